/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transcript's view of one connection: each chunk of bytes, in either
 * direction, becomes the lines a reader sees (message data elided, see
 * MsLineDecoder) and the command it carries or answers. Shared by the
 * simulated links (ms-world-connection.c) and the real TCP connections of
 * the live server (net/ms-live-client.c), so both read the same way. */
#pragma once

#include <glib.h>
#include "ms-line-decoder.h"
#include "ms-link.h"

G_BEGIN_DECLS

typedef struct
{
  char          *protocol;       /* "pop3", "imap", "smtp" */
  MsLineDecoder  decoders[3];    /* indexed by MsDirection */
  char          *last_command;   /* what the next answer belongs to */
} MsChunkDecoder;

void   ms_chunk_decoder_init       (MsChunkDecoder *self,
                                    const char     *protocol);
void   ms_chunk_decoder_clear      (MsChunkDecoder *self);
/* The command the first line of a client's chunk carries: "RETR" for POP3
 * and SMTP, "a4 UID FETCH" for IMAP (tag, name, and UID's sub-command);
 * NULL for an empty line. */
char  *ms_chunk_decoder_command_of (const char     *protocol,
                                    const guint8   *data,
                                    gsize           len);
/* Decodes one chunk. Returns its lines (NULL-terminated, owned); @command is
 * what a client chunk carries (from command_of(), or NULL), and
 * @command_out (owned, may be NULL) gets the command the chunk carries or
 * answers. */
GStrv  ms_chunk_decoder_feed       (MsChunkDecoder *self,
                                    MsDirection     direction,
                                    const guint8   *data,
                                    gsize           len,
                                    const char     *command,
                                    char          **command_out);

G_END_DECLS

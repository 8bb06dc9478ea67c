/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the three loaders share: a list of parsed messages that is appended
 * to the mailbox only once the whole source has parsed, and small helpers. */
#pragma once

#include "ms-store-loader.h"
#include "ms-raw-file-private.h"

G_BEGIN_DECLS

typedef struct {
  GBytes  *raw;        /* CRLF line ends; NULL when span.file is set */
  MsRawSpan span;      /* or where the message is in its file */
  MsFlags  flags;
  char   **keywords;   /* NULL or NULL-terminated */
  gint64   date;
  int      tz_offset;  /* minutes east of UTC */
} MsPendingMessage;

GPtrArray *ms_loader_pending_new       (void);
/* Takes @raw; checks the message size limit and the mailbox's message limit. */
gboolean   ms_loader_pending_add       (GPtrArray   *pending,
                                        MsMailbox   *mailbox,
                                        GBytes      *raw,
                                        MsFlags      flags,
                                        const char  *keyword,
                                        gint64       date,
                                        int          tz_offset,
                                        const char  *display_name,
                                        GError     **error);
/* The same for a message left in its file; refs span->file. */
gboolean   ms_loader_pending_add_span  (GPtrArray       *pending,
                                        MsMailbox       *mailbox,
                                        const MsRawSpan *span,
                                        gint64           date,
                                        int              tz_offset,
                                        const char      *display_name,
                                        GError         **error);
void       ms_loader_pending_commit    (GPtrArray   *pending,
                                        MsMailbox   *mailbox);

/* The Date: header of @raw as Unix time and offset; FALSE when absent or unparsable. */
gboolean   ms_loader_date_from_header  (GBytes      *raw,
                                        gint64      *date,
                                        int         *tz_offset);
/* Appends @data with every CRLF turned into LF. */
void       ms_loader_append_lf         (GString     *out,
                                        const guint8 *data,
                                        gsize        len);
/* Writes @contents to @path via a temporary file, fsync and rename. */
gboolean   ms_loader_write_file        (const char  *path,
                                        const char  *contents,
                                        gsize        len,
                                        GError     **error);
void       ms_loader_set_io_error      (GError     **error,
                                        int          saved_errno,
                                        const char  *what,
                                        const char  *path);

/* Reads one message file into CRLF bytes, refusing files over the size limit. */
GBytes    *ms_loader_read_message_file (const char  *path,
                                        GError     **error);
/* For g_ptr_array_sort() of file names. */
int        ms_loader_compare_strings   (gconstpointer a,
                                        gconstpointer b);

/* Parses the mbox in @file, leaving the messages in it where it can. With
 * @mapped, the file is a read-only mapping whose pages may be dropped once
 * parsed. */
gboolean   ms_loader_load_mbox_data    (MsMailbox   *mailbox,
                                        MsRawFile   *file,
                                        const char  *name,
                                        gboolean     mapped,
                                        GError     **error);
gboolean   ms_loader_load_maildir      (MsMailbox   *mailbox,
                                        const char  *path,
                                        GError     **error);

G_END_DECLS

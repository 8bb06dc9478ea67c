/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the three loaders share: a list of parsed messages that is appended
 * to the mailbox only once the whole source has parsed, and small helpers. */
#pragma once

#include "ms-store-loader.h"

G_BEGIN_DECLS

typedef struct {
  GBytes  *raw;        /* CRLF line ends */
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

/* Where loaded messages are built, a line at a time (ms-store-loader-arena.c).
 * @expected is the input size, to choose how to allocate. */
typedef struct _MsLoaderArena MsLoaderArena;
MsLoaderArena *ms_loader_arena_new         (gsize          expected);
void           ms_loader_arena_free        (MsLoaderArena *arena);
/* Appends @line (no line end) and CRLF to the message being built. */
void           ms_loader_arena_append_line (MsLoaderArena *arena,
                                            const char    *line,
                                            gsize          len);
gsize          ms_loader_arena_get_length  (MsLoaderArena *arena);
/* Drops the message being built. */
void           ms_loader_arena_discard     (MsLoaderArena *arena);
/* The message built so far; the next one starts empty. */
GBytes        *ms_loader_arena_finish      (MsLoaderArena *arena);

/* Parses @len bytes of mbox at @data. With @mapped, @data is a read-only
 * file mapping the loader owns, whose pages it may drop once parsed. */
gboolean   ms_loader_load_mbox_data    (MsMailbox   *mailbox,
                                        const char  *data,
                                        gsize        len,
                                        const char  *name,
                                        gboolean     mapped,
                                        GError     **error);
gboolean   ms_loader_load_maildir      (MsMailbox   *mailbox,
                                        const char  *path,
                                        GError     **error);

G_END_DECLS

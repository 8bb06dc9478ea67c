/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mailbox file whose messages are left where they are until someone asks
 * for their bytes (ms-raw-file.c): loading an mbox only finds where each
 * message starts and ends and how large it is with CRLF line ends. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MsRawFile MsRawFile;

/* One message's place in a raw file. */
typedef struct {
  MsRawFile *file;
  gsize      offset;   /* where the message's first line starts */
  gsize      length;   /* the bytes of its lines there, line ends included */
  gsize      size;     /* its size with CRLF line ends */
  gboolean   crlf;     /* every line ends in CRLF already, else in LF (no CR at all) */
  gboolean   quoted;   /* some line is a quoted From_ line (^>+From ) that loses a '>' */
} MsRawSpan;

/* Takes @contents (the whole file, mapped or in memory) and @fd (the open
 * file it was mapped from, or -1), which it closes when the last message
 * that needs it is gone. */
MsRawFile    *ms_raw_file_new      (GBytes          *contents,
                                    int              fd,
                                    const char      *display_name);
MsRawFile    *ms_raw_file_ref      (MsRawFile       *file);
void          ms_raw_file_unref    (MsRawFile       *file);
const char   *ms_raw_file_get_data (MsRawFile       *file,
                                    gsize           *len);
/* Bytes @offset to @offset + @len of the file, copied to @out with pread()
 * (not through the mapping; see ms-raw-file.c); FALSE if they are not all
 * there any more. */
gboolean      ms_raw_file_read     (MsRawFile       *file,
                                    gsize            offset,
                                    guint8          *out,
                                    gsize            len);

/* The message's bytes with CRLF line ends, exactly span->size of them: a
 * slice of the file when span->crlf and not span->quoted, else a copy with
 * CRLF line ends and one '>' less on each quoted From_ line. */
GBytes       *ms_raw_span_read     (const MsRawSpan *span);
/* The same bytes, only the first @limit of them, written to @out (room for
 * MIN (span->size, @limit)); returns how many. Nothing is kept. */
gsize         ms_raw_span_read_into (const MsRawSpan *span,
                                     guint8          *out,
                                     gsize            limit);
/* For a message whose lines end in LF in the file: where offsets @at (n of
 * them, ascending) of its CRLF form lie in its lines in the file, written
 * to @out. An offset at an added CR or at a line's LF gives that LF; one at
 * the start of a quoted From_ line gives the byte after its extra '>'. So
 * the file's bytes between two such places are the CRLF form's bytes
 * between them less the CRs added before LFs, and with one '>' more at the
 * start of each quoted From_ line inside: text without line ends and
 * without '>' is in the one exactly when it is in the other. FALSE for
 * other messages, or when the file was cut short. */
gboolean      ms_raw_span_locate   (const MsRawSpan *span,
                                    const gsize     *at,
                                    gsize           *out,
                                    guint            n);
/* The file's bytes from @start of such a message's lines on (@end, the
 * end, is checked to be in the file), in place; NULL as above. */
const char   *ms_raw_span_peek_lines (const MsRawSpan *span,
                                      gsize            start,
                                      gsize            end);

/* Whether a line (without its line end) matches ^>+From , the mboxrd way of
 * keeping a body line that starts with "From " from opening a message. */
gboolean      ms_raw_line_is_from_quoted (const char *line,
                                          gsize       len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsRawFile, ms_raw_file_unref)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages read from their mbox file when they are first needed.
 *
 * Copying every message out of a 2 GB mbox at load time cost most of the
 * load (a page fault for each 4 KiB of new memory, then the copy), and kept
 * the copies in memory even if no one ever read them. Now the loader only
 * finds where each message is, and the file stays mapped: a message whose
 * lines already end in CRLF is a slice of the mapping (no copy ever), and one
 * with LF line ends (or a quoted From_ line to unquote) is copied with CRs
 * added the first time someone asks.
 *
 * The file changing under us: the mapping is private and read-only, and the
 * file's descriptor stays open.
 * - A program that writes a new file and renames it over the old one (as
 *   Mailscope's own save does, and most mail programs) leaves our inode, and
 *   so our messages, untouched.
 * - Mail appended to the file lands past the bytes we mapped and is ignored.
 * - A file shortened in place would make reading the lost pages fail with
 *   SIGBUS, so the file's size is checked before each message is read, and a
 *   message whose bytes are gone reads as a note saying so (of the size the
 *   server has already announced). A file rewritten in place with the same
 *   size gives whatever bytes are there now, cut or padded to that size.
 * Neither of the last two is a supported way to use Mailscope; they are
 * handled only so that they cannot crash the server. */
#define G_LOG_DOMAIN "ms-store"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ms-raw-file-private.h"

#if defined(__SANITIZE_ADDRESS__)
#define RAW_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAW_SANITIZED 1
#endif
#endif
#ifndef RAW_SANITIZED
#define RAW_SANITIZED 0
#endif

struct _MsRawFile
{
  gatomicrefcount  ref_count;
  GBytes          *contents;
  int              fd;
  char            *display_name;
  gint             warned;   /* atomic: the file was found changed once */

  /* The file's size as last seen, and until when it is trusted (see
   * still_there()). */
  GMutex           size_lock;
  guint64          seen_size;
  gint64           seen_until;   /* monotonic µs */
};

MsRawFile *
ms_raw_file_new (GBytes     *contents,
                 int         fd,
                 const char *display_name)
{
  MsRawFile *file = g_new0 (MsRawFile, 1);

  g_atomic_ref_count_init (&file->ref_count);
  file->contents = contents;
  file->fd = fd;
  file->display_name = g_strdup (display_name);
  g_mutex_init (&file->size_lock);
  return file;
}

MsRawFile *
ms_raw_file_ref (MsRawFile *file)
{
  g_atomic_ref_count_inc (&file->ref_count);
  return file;
}

void
ms_raw_file_unref (MsRawFile *file)
{
  if (file == NULL || !g_atomic_ref_count_dec (&file->ref_count))
    return;
  g_bytes_unref (file->contents);
  g_mutex_clear (&file->size_lock);
  if (file->fd >= 0)
    close (file->fd);
  g_free (file->display_name);
  g_free (file);
}

const char *
ms_raw_file_get_data (MsRawFile *file,
                      gsize     *len)
{
  return g_bytes_get_data (file->contents, len);
}

static void
warn_changed (MsRawFile *file)
{
  if (g_atomic_int_compare_and_exchange (&file->warned, 0, 1))
    g_warning ("%s changed on disk while its messages were loaded; some of them now read "
               "as a note that they are gone", file->display_name);
}

/* How long a look at the file's size is trusted. A search over 100k
 * messages asked for it 100k times, and fstat() costs 4 µs on a virtual
 * machine (a fifth of a search that scans the file in place). The check
 * was never airtight (the file can shrink between it and the read); this
 * widens that gap to a millisecond. */
#define SIZE_TRUSTED_US 1000

/* Whether the span's bytes are still in the file: a file cut short under a
 * mapping faults (SIGBUS) where the pages are gone. */
static gboolean
still_there (const MsRawSpan *span)
{
  MsRawFile *file = span->file;
  guint64 need = span->offset + span->length;
  gint64 now;
  gboolean there;
  struct stat st;

  if (file->fd < 0)
    return TRUE;
  now = g_get_monotonic_time ();
  g_mutex_lock (&file->size_lock);
  if (now >= file->seen_until || file->seen_size < need)
    {
      file->seen_size = fstat (file->fd, &st) == 0 ? (guint64) st.st_size : 0;
      file->seen_until = now + SIZE_TRUSTED_US;
    }
  there = file->seen_size >= need;
  g_mutex_unlock (&file->size_lock);
  return there;
}

/* What a message whose bytes left the file reads as: a note, padded to the
 * size already announced; @limit bytes of it. */
static void
gone_note_into (const MsRawSpan *span,
                guint8          *out,
                gsize            limit)
{
  static const char note[] = "X-Mailscope-Note: this message was removed from its mbox file while loaded\r\n\r\n";
  gsize n = MIN (span->size, limit);

  memset (out, ' ', n);
  memcpy (out, note, MIN (n, sizeof note - 1));
  if (span->size >= sizeof note + 1 && span->size <= limit)
    memcpy (out + span->size - 2, "\r\n", 2);
  warn_changed (span->file);
}

gboolean
ms_raw_line_is_from_quoted (const char *line,
                            gsize       len)
{
  gsize i = 0;

  while (i < len && line[i] == '>')
    i++;
  return i > 0 && len - i >= 5 && memcmp (line + i, "From ", 5) == 0;
}

/* The lines with CRLF ends and quoted From_ lines unquoted: the first
 * @limit of exactly span->size bytes, whatever the file holds now. @src
 * holds the first @src_len bytes of the lines; FALSE when that was too
 * few to tell (a line cut before it could be known whether it is quoted),
 * and nothing is certain of @out then. */
static gboolean
copy_lines_into (const MsRawSpan *span,
                 const char      *src,
                 gsize            src_len,
                 guint8          *out,
                 gsize            limit)
{
  const char *end = src + src_len;
  gboolean cut = src_len < span->length;
  gsize want = MIN (span->size, limit);
  gsize w = 0;

  while (src < end && w < want)
    {
      const char *eol = memchr (src, '\n', end - src);
      const char *next = eol ? eol + 1 : end;
      gsize n = (eol ? eol : end) - src;

      if (eol == NULL && cut)
        return FALSE;
      if (span->crlf && n > 0 && src[n - 1] == '\r')
        n--;
      if (span->quoted && n > 0 && src[0] == '>' && ms_raw_line_is_from_quoted (src, n))
        {
          src++;
          n--;
        }
      n = MIN (n, want - w);
      memcpy (out + w, src, n);
      w += n;
      src = next;
      if (eol == NULL || w + 2 > span->size)
        break;
      if (w == want)
        return TRUE;   /* a prefix, cut before this line's end */
      out[w++] = '\r';
      if (w == want)
        return TRUE;
      out[w++] = '\n';
    }
  if (w == want && (want < span->size || src == end))
    return TRUE;
  memset (out + w, ' ', want - w);
  warn_changed (span->file);
  return TRUE;
}

gboolean
ms_raw_file_read (MsRawFile *file,
                  gsize      offset,
                  guint8    *out,
                  gsize      len)
{
  gsize size, done = 0;
  const char *data = ms_raw_file_get_data (file, &size);

  if (offset > size || len > size - offset)
    return FALSE;
  if (file->fd < 0)
    {
      memcpy (out, data + offset, len);
      return TRUE;
    }
  while (done < len)
    {
      ssize_t n = pread (file->fd, out + done, len - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

static void
scratch_free (gpointer scratch)
{
  g_byte_array_unref (scratch);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

/* The first @want bytes of the span's lines as the file holds them. Read
 * with pread() into a buffer of the thread, reused, rather than through
 * the mapping: on a virtual machine every page of a mapping costs a trap
 * when it is first touched, and reading a 2 GB mbox through its mapping
 * took three times the CPU of reading it with read() (2.0 s against 0.7 s
 * on the development machine). NULL if the file no longer has them. */
static const char *
read_lines (const MsRawSpan *span,
            gsize            want)
{
  const char *data = ms_raw_file_get_data (span->file, NULL);
  GByteArray *scratch;

  if (span->file->fd < 0 || RAW_SANITIZED)
    return data + span->offset;
  scratch = g_private_get (&scratch_key);
  if (scratch == NULL)
    {
      scratch = g_byte_array_new ();
      g_private_set (&scratch_key, scratch);
    }
  g_byte_array_set_size (scratch, MAX (want, 1));
  return ms_raw_file_read (span->file, span->offset, scratch->data, want) ? (const char *) scratch->data : NULL;
}

gsize
ms_raw_span_read_into (const MsRawSpan *span,
                       guint8          *out,
                       gsize            limit)
{
  const char *data;
  gsize len;

  g_return_val_if_fail (span != NULL && span->file != NULL, 0);

  data = ms_raw_file_get_data (span->file, &len);
  g_return_val_if_fail (span->offset + span->length <= len, 0);
  if (!still_there (span))
    gone_note_into (span, out, limit);
  else if (!span->crlf || span->quoted)
    {
      /* A line of n bytes becomes at least n bytes: @limit bytes of the
       * copy need no more than @limit of the file, and a little more tells
       * whether the line they end in is quoted; else all of it is read. */
      gsize want = limit < span->length - MIN (span->length, 4096) ? limit + 4096 : span->length;
      const char *lines = read_lines (span, want);

      if (lines != NULL && !copy_lines_into (span, lines, want, out, limit))
        {
          lines = read_lines (span, span->length);
          if (lines != NULL)
            copy_lines_into (span, lines, span->length, out, limit);
        }
      if (lines == NULL)
        gone_note_into (span, out, limit);
    }
  else
    memcpy (out, data + span->offset, MIN (span->size, limit));
  return MIN (span->size, limit);
}

gboolean
ms_raw_span_locate (const MsRawSpan *span,
                    const gsize     *at,
                    gsize           *out,
                    guint            n)
{
  const char *src;
  gsize c = 0, l = 0;   /* the start of a line, in the CRLF form and in the file */
  gsize limit;
  guint i = 0;

  g_return_val_if_fail (span != NULL && span->file != NULL, FALSE);

  if (span->crlf || !still_there (span))
    return FALSE;
  /* Only as far as the last offset, and an offset at the very end is
   * known without a look. */
  while (n > 0 && at[n - 1] >= span->size)
    out[--n] = span->length;
  /* A source offset is at most its CRLF offset; the rest of its line tells
   * whether the line is quoted, else all of it is read. */
  limit = n > 0 && at[n - 1] < span->length - MIN (span->length, 4096) ? at[n - 1] + 4096 : span->length;
  src = read_lines (span, limit);
  if (src == NULL)
    return FALSE;
  while (i < n)
    {
      const char *eol = memchr (src + l, '\n', limit - l);
      gsize line = (eol ? (gsize) (eol - src) : limit) - l;   /* without its LF */
      gsize q = span->quoted && line > 0 && src[l] == '>' && ms_raw_line_is_from_quoted (src + l, line);
      gsize kept = line - q;   /* the line in the CRLF form, without CRLF */

      if (eol == NULL && limit < span->length)
        {
          /* Cut before its end: all of it, from the start. */
          limit = span->length;
          if ((src = read_lines (span, limit)) == NULL)
            return FALSE;
          c = l = 0;
          i = 0;
          continue;
        }
      /* That line is [c, c + kept + 2) in the CRLF form: its text, CR, LF. */
      for (; i < n && (eol == NULL || at[i] < c + kept + 2); i++)
        {
          g_return_val_if_fail (at[i] >= c, FALSE);
          out[i] = at[i] - c <= kept ? l + q + (at[i] - c) : l + line;
          out[i] = MIN (out[i], span->length);
        }
      if (eol == NULL)
        break;
      c += kept + 2;
      l += line + 1;
    }
  return TRUE;
}

const char *
ms_raw_span_peek_lines (const MsRawSpan *span,
                        gsize            start,
                        gsize            end)
{
  g_return_val_if_fail (span != NULL && span->file != NULL, NULL);
  g_return_val_if_fail (start <= end && end <= span->length, NULL);

  if (span->crlf || !still_there (span))
    return NULL;
  return ms_raw_file_get_data (span->file, NULL) + span->offset + start;
}

GBytes *
ms_raw_span_read (const MsRawSpan *span)
{
  guint8 *out;

  g_return_val_if_fail (span != NULL && span->file != NULL, NULL);

  /* With AddressSanitizer every message gets its own allocation, so that a
   * read past its end is caught instead of landing in the next message. */
  if (span->crlf && !span->quoted && !RAW_SANITIZED)
    {
      gsize len;

      ms_raw_file_get_data (span->file, &len);
      g_return_val_if_fail (span->offset + span->length <= len, NULL);
      if (still_there (span))
        return g_bytes_new_from_bytes (span->file->contents, span->offset, span->length);
    }
  out = g_malloc (MAX (span->size, 1));
  ms_raw_span_read_into (span, out, span->size);
  return g_bytes_new_take (out, span->size);
}

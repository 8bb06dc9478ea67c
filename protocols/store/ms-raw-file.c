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

/* Whether the span's bytes are still in the file: a file cut short under a
 * mapping faults (SIGBUS) where the pages are gone. */
static gboolean
still_there (const MsRawSpan *span)
{
  struct stat st;

  if (span->file->fd < 0)
    return TRUE;
  return fstat (span->file->fd, &st) == 0 && (guint64) st.st_size >= span->offset + span->length;
}

static GBytes *
gone_note (const MsRawSpan *span)
{
  static const char note[] = "X-Mailscope-Note: this message was removed from its mbox file while loaded\r\n\r\n";
  guint8 *out = g_malloc (MAX (span->size, 1));

  memset (out, ' ', span->size);
  memcpy (out, note, MIN (span->size, sizeof note - 1));
  if (span->size >= sizeof note + 1)
    memcpy (out + span->size - 2, "\r\n", 2);
  warn_changed (span->file);
  return g_bytes_new_take (out, span->size);
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

/* The lines with CRLF ends and quoted From_ lines unquoted, writing exactly
 * span->size bytes whatever the file holds now. */
static GBytes *
copy_lines (const MsRawSpan *span,
            const char      *src)
{
  const char *end = src + span->length;
  guint8 *out = g_malloc (MAX (span->size, 1));
  gsize w = 0;

  while (src < end && w < span->size)
    {
      const char *eol = memchr (src, '\n', end - src);
      const char *next = eol ? eol + 1 : end;
      gsize n = (eol ? eol : end) - src;

      if (span->crlf && n > 0 && src[n - 1] == '\r')
        n--;
      if (span->quoted && n > 0 && src[0] == '>' && ms_raw_line_is_from_quoted (src, n))
        {
          src++;
          n--;
        }
      n = MIN (n, span->size - w);
      memcpy (out + w, src, n);
      w += n;
      src = next;
      if (eol == NULL || w + 2 > span->size)
        break;
      out[w++] = '\r';
      out[w++] = '\n';
    }
  if (w != span->size || src != end)
    {
      memset (out + w, ' ', span->size - w);
      warn_changed (span->file);
    }
  return g_bytes_new_take (out, span->size);
}

GBytes *
ms_raw_span_read (const MsRawSpan *span)
{
  const char *data;
  gsize len;

  g_return_val_if_fail (span != NULL && span->file != NULL, NULL);

  data = ms_raw_file_get_data (span->file, &len);
  g_return_val_if_fail (span->offset + span->length <= len, NULL);
  if (!still_there (span))
    return gone_note (span);
  if (!span->crlf || span->quoted)
    return copy_lines (span, data + span->offset);
  /* With AddressSanitizer every message gets its own allocation, so that a
   * read past its end is caught instead of landing in the next message. */
  if (RAW_SANITIZED)
    return g_bytes_new (data + span->offset, span->length);
  return g_bytes_new_from_bytes (span->file->contents, span->offset, span->length);
}

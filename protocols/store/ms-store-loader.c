/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-store-loader"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/mman.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "ms-limits.h"
#include "ms-mailbox-private.h"
#include "ms-store.h"
#include "ms-store-loader-private.h"

static void
pending_message_free (gpointer data)
{
  MsPendingMessage *pending = data;

  g_clear_pointer (&pending->raw, g_bytes_unref);
  g_clear_pointer (&pending->span.file, ms_raw_file_unref);
  g_strfreev (pending->keywords);
  g_free (pending);
}

GPtrArray *
ms_loader_pending_new (void)
{
  return g_ptr_array_new_with_free_func (pending_message_free);
}

static gboolean
pending_check (GPtrArray   *pending,
               MsMailbox   *mailbox,
               gsize        size,
               const char  *display_name,
               GError     **error)
{
  if (size > MS_LIMIT_MESSAGE_SIZE)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: a message is larger than the limit of %u MiB",
                   display_name, MS_LIMIT_MESSAGE_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (ms_mailbox_get_n_messages (mailbox) + pending->len >= MS_LIMIT_MAILBOX_MESSAGES)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: the mailbox would hold more than %u messages",
                   display_name, MS_LIMIT_MAILBOX_MESSAGES);
      return FALSE;
    }
  return TRUE;
}

gboolean
ms_loader_pending_add (GPtrArray   *pending,
                       MsMailbox   *mailbox,
                       GBytes      *raw,
                       MsFlags      flags,
                       const char  *keyword,
                       gint64       date,
                       int          tz_offset,
                       const char  *display_name,
                       GError     **error)
{
  MsPendingMessage *message;

  g_assert (pending != NULL);
  g_assert (raw != NULL);

  if (!pending_check (pending, mailbox, g_bytes_get_size (raw), display_name, error))
    {
      g_bytes_unref (raw);
      return FALSE;
    }

  message = g_new0 (MsPendingMessage, 1);
  message->raw = raw;
  message->flags = flags;
  if (keyword != NULL)
    {
      message->keywords = g_new0 (char *, 2);
      message->keywords[0] = g_strdup (keyword);
    }
  message->date = date;
  message->tz_offset = tz_offset;
  g_ptr_array_add (pending, message);
  return TRUE;
}

gboolean
ms_loader_pending_add_span (GPtrArray        *pending,
                            MsMailbox        *mailbox,
                            const MsRawSpan  *span,
                            gint64            date,
                            int               tz_offset,
                            const char       *display_name,
                            GError          **error)
{
  MsPendingMessage *message;

  if (!pending_check (pending, mailbox, span->size, display_name, error))
    return FALSE;
  message = g_new0 (MsPendingMessage, 1);
  message->span = *span;
  ms_raw_file_ref (span->file);
  message->date = date;
  message->tz_offset = tz_offset;
  g_ptr_array_add (pending, message);
  return TRUE;
}

void
ms_loader_pending_commit (GPtrArray *pending,
                          MsMailbox *mailbox)
{
  for (guint i = 0; i < pending->len; i++)
    {
      MsPendingMessage *message = g_ptr_array_index (pending, i);

      if (message->span.file != NULL)
        ms_mailbox_append_span (mailbox, &message->span, message->flags,
                                (const char * const *) message->keywords,
                                message->date, message->tz_offset);
      else
        ms_mailbox_append (mailbox, message->raw, message->flags,
                           (const char * const *) message->keywords,
                           message->date, message->tz_offset);
    }
}

gboolean
ms_loader_date_from_header (GBytes *raw,
                            gint64 *date,
                            int    *tz_offset)
{
  g_autoptr(GString) value = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  const char *data;
  gsize len, pos = 0;

  data = g_bytes_get_data (raw, &len);
  /* Walk the header lines only; a "Date:" in the body is not the date. */
  while (pos < len)
    {
      const char *eol = memchr (data + pos, '\n', len - pos);
      gsize end = eol ? (gsize) (eol - data) : len;
      gsize line_end = end;

      if (line_end > pos && data[line_end - 1] == '\r')
        line_end--;
      if (line_end == pos)
        break;
      if (value != NULL)
        {
          if (data[pos] != ' ' && data[pos] != '\t')
            break;
          g_string_append_len (value, data + pos, line_end - pos);
        }
      else if (line_end - pos >= 5 && g_ascii_strncasecmp (data + pos, "Date:", 5) == 0)
        value = g_string_new_len (data + pos + 5, line_end - pos - 5);
      pos = end + 1;
    }
  if (value == NULL)
    return FALSE;

  parsed = g_mime_utils_header_decode_date (value->str);
  if (parsed == NULL)
    return FALSE;
  *date = g_date_time_to_unix (parsed);
  *tz_offset = (int) (g_date_time_get_utc_offset (parsed) / G_TIME_SPAN_MINUTE);
  return TRUE;
}

void
ms_loader_append_lf (GString      *out,
                     const guint8 *data,
                     gsize         len)
{
  gsize start = 0;

  for (gsize i = 0; i + 1 < len; i++)
    if (data[i] == '\r' && data[i + 1] == '\n')
      {
        g_string_append_len (out, (const char *) data + start, i - start);
        start = i + 1;
      }
  g_string_append_len (out, (const char *) data + start, len - start);
}

void
ms_loader_set_io_error (GError     **error,
                        int          saved_errno,
                        const char  *what,
                        const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s: %s: %s",
               display, what, g_strerror (saved_errno));
}

gboolean
ms_loader_write_file (const char  *path,
                      const char  *contents,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
read_message_file (const char  *path,
                   GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      ms_loader_set_io_error (error, errno, "cannot read the message", path);
      return NULL;
    }
  /* Check the size before mapping, so a huge file is refused cheaply. */
  if ((guint64) st.st_size > MS_LIMIT_MESSAGE_SIZE)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: the message is larger than the limit of %u MiB",
                   display, MS_LIMIT_MESSAGE_SIZE / (1024 * 1024));
      return NULL;
    }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE, "%s: the message file is empty", display);
      return NULL;
    }
  /* Always copies (or converts), so the store never holds a mapping of a
   * file that someone else may truncate under us. */
  {
    g_autoptr(GBytes) crlf = ms_store_normalize_crlf (bytes);

    if (crlf == bytes)
      return g_bytes_new (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    return g_steal_pointer (&crlf);
  }
}

GBytes *
ms_loader_read_message_file (const char  *path,
                             GError     **error)
{
  return read_message_file (path, error);
}

static gboolean
load_eml_folder (MsMailbox   *mailbox,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pending = ms_loader_pending_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  if (names->len == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: not a mailbox: a folder with no .eml files and no Maildir cur/ or new/",
                   display);
      return FALSE;
    }
  g_ptr_array_sort (names, (GCompareFunc) ms_loader_compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      g_autofree char *file_display = g_filename_display_name (file);
      GBytes *raw = read_message_file (file, error);
      gint64 date = 0;
      int tz_offset = 0;

      if (raw == NULL)
        return FALSE;
      if (!ms_loader_date_from_header (raw, &date, &tz_offset))
        {
          GStatBuf st;

          if (g_stat (file, &st) == 0)
            date = st.st_mtime;
          tz_offset = 0;
        }
      if (!ms_loader_pending_add (pending, mailbox, raw, MS_FLAG_NONE, NULL, date, tz_offset,
                                  file_display, error))
        return FALSE;
    }
  ms_loader_pending_commit (pending, mailbox);
  return TRUE;
}

typedef struct {
  void  *base;
  gsize  len;
} Mapping;

static void
mapping_free (gpointer data)
{
  Mapping *mapping = data;

  munmap (mapping->base, mapping->len);
  g_free (mapping);
}

/* The file stays mapped, and its descriptor open, for as long as a message
 * loaded from it lives: see ms-raw-file.c for why, and for what happens if
 * someone changes the file meanwhile. */
static gboolean
load_mbox_file (MsMailbox   *mailbox,
                const char  *path,
                GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(MsRawFile) file = NULL;
  Mapping *mapping;
  struct stat st;
  void *base;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      ms_loader_set_io_error (error, errno, "cannot open the mailbox", path);
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      ms_loader_set_io_error (error, errno, "cannot read the mailbox", path);
      close (fd);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      close (fd);
      return TRUE;
    }
  base = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED)
    {
      ms_loader_set_io_error (error, errno, "cannot read the mailbox", path);
      close (fd);
      return FALSE;
    }
  /* The scan reads the file with read() (ms-store-loader-mbox.c); the
   * mapping is for the messages read in place later, in any order. */
  mapping = g_new (Mapping, 1);
  mapping->base = base;
  mapping->len = st.st_size;
  file = ms_raw_file_new (g_bytes_new_with_free_func (base, st.st_size, mapping_free, mapping),
                          fd, display);
  return ms_loader_load_mbox_data (mailbox, file, display, TRUE, error);
}

gboolean
ms_store_loader_load (MsMailbox   *mailbox,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *display = NULL;
  GStatBuf st;

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mime_init ();
  display = g_filename_display_name (path);

  if (g_stat (path, &st) != 0)
    {
      ms_loader_set_io_error (error, errno, "cannot open the mailbox", path);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_autofree char *cur = g_build_filename (path, "cur", NULL);
      g_autofree char *new_dir = g_build_filename (path, "new", NULL);

      if (g_file_test (cur, G_FILE_TEST_IS_DIR) || g_file_test (new_dir, G_FILE_TEST_IS_DIR))
        return ms_loader_load_maildir (mailbox, path, error);
      return load_eml_folder (mailbox, path, error);
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: not a mailbox: neither a folder nor a regular file", display);
      return FALSE;
    }
  if (st.st_size == 0)
    return TRUE;   /* an empty mbox file is an empty mailbox */
  return load_mbox_file (mailbox, path, error);
}

gboolean
ms_store_loader_save_eml_folder (MsMailbox   *mailbox,
                                 const char  *path,
                                 GError     **error)
{
  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      ms_loader_set_io_error (error, errno, "cannot create the folder", path);
      return FALSE;
    }
  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      g_autofree char *name = g_strdup_printf ("%06u.eml", ms_message_get_uid (message));
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      gsize len;
      const guint8 *data = g_bytes_get_data (ms_message_get_raw (message), &len);

      ms_loader_append_lf (text, data, len);
      if (!ms_loader_write_file (file, text->str, text->len, error))
        return FALSE;
    }
  return TRUE;
}

int
ms_loader_compare_strings (gconstpointer a,
                           gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

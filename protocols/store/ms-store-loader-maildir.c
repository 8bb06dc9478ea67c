/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Maildir (https://cr.yp.to/proto/maildir.html): new/ holds mail no client
 * has looked at, cur/ the rest; a file's name is "<time>.<unique>.<host>"
 * and, in cur/, ":2," plus the flags in ASCII order. tmp/ holds deliveries in
 * progress and is never read. */
#define G_LOG_DOMAIN "ms-store-loader"
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "ms-store.h"
#include "ms-store-loader-private.h"

#define FORWARDED_KEYWORD "$Forwarded"

typedef struct {
  char    *path;
  char    *name;
  guint64  stamp;
  gboolean has_stamp;
} MaildirEntry;

static void
maildir_entry_free (gpointer data)
{
  MaildirEntry *entry = data;

  g_free (entry->path);
  g_free (entry->name);
  g_free (entry);
}

/* Delivery order: by the leading timestamp, then by name, so 9.x sorts
 * before 10.x the way the deliveries happened. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const MaildirEntry *x = *(MaildirEntry * const *) a;
  const MaildirEntry *y = *(MaildirEntry * const *) b;

  if (x->has_stamp && y->has_stamp && x->stamp != y->stamp)
    return x->stamp < y->stamp ? -1 : 1;
  if (x->has_stamp != y->has_stamp)
    return x->has_stamp ? -1 : 1;
  return strcmp (x->name, y->name);
}

static MsFlags
flags_from_name (const char *name,
                 gboolean   *forwarded)
{
  const char *info = strstr (name, ":2,");
  MsFlags flags = MS_FLAG_NONE;

  *forwarded = FALSE;
  if (info == NULL)
    return flags;
  for (const char *p = info + 3; *p; p++)
    switch (*p)
      {
      case 'D': flags |= MS_FLAG_DRAFT; break;
      case 'F': flags |= MS_FLAG_FLAGGED; break;
      case 'P': *forwarded = TRUE; break;
      case 'R': flags |= MS_FLAG_ANSWERED; break;
      case 'S': flags |= MS_FLAG_SEEN; break;
      case 'T': flags |= MS_FLAG_DELETED; break;
      default: break;   /* lower-case letters are Dovecot's keywords; not kept */
      }
  return flags;
}

static gboolean
list_subdir (GPtrArray   *entries,
             const char  *maildir,
             const char  *sub,
             GError     **error)
{
  g_autofree char *path = g_build_filename (maildir, sub, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      MaildirEntry *entry;
      char *end = NULL;

      if (name[0] == '.')
        continue;
      entry = g_new0 (MaildirEntry, 1);
      entry->name = g_strdup (name);
      entry->path = g_build_filename (path, name, NULL);
      entry->stamp = g_ascii_strtoull (name, &end, 10);
      entry->has_stamp = end != name && (*end == '.' || *end == '\0');
      g_ptr_array_add (entries, entry);
    }
  return TRUE;
}

gboolean
ms_loader_load_maildir (MsMailbox   *mailbox,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (maildir_entry_free);
  g_autoptr(GPtrArray) pending = ms_loader_pending_new ();

  if (!list_subdir (entries, path, "cur", error) || !list_subdir (entries, path, "new", error))
    return FALSE;
  g_ptr_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    {
      MaildirEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *display = g_filename_display_name (entry->path);
      GBytes *raw;
      gboolean forwarded;
      MsFlags flags = flags_from_name (entry->name, &forwarded);
      gint64 date = (gint64) entry->stamp;

      if (!g_file_test (entry->path, G_FILE_TEST_IS_REGULAR))
        continue;
      raw = ms_loader_read_message_file (entry->path, error);
      if (raw == NULL)
        return FALSE;
      if (!entry->has_stamp)
        {
          GStatBuf st;

          date = g_stat (entry->path, &st) == 0 ? st.st_mtime : 0;
        }
      if (!ms_loader_pending_add (pending, mailbox, raw, flags, forwarded ? FORWARDED_KEYWORD : NULL,
                                  date, 0, display, error))
        return FALSE;
    }
  ms_loader_pending_commit (pending, mailbox);
  return TRUE;
}

static char *
maildir_name (MsMessage *message)
{
  GString *name = g_string_new (NULL);
  MsFlags flags = ms_message_get_flags (message);

  g_string_append_printf (name, "%" G_GINT64_FORMAT ".%u.mailscope:2,",
                          MAX (ms_message_get_internal_date (message), 0), ms_message_get_uid (message));
  /* Maildir wants the flag letters in ASCII order. */
  if (flags & MS_FLAG_DRAFT)
    g_string_append_c (name, 'D');
  if (flags & MS_FLAG_FLAGGED)
    g_string_append_c (name, 'F');
  if (ms_message_has_keyword (message, FORWARDED_KEYWORD))
    g_string_append_c (name, 'P');
  if (flags & MS_FLAG_ANSWERED)
    g_string_append_c (name, 'R');
  if (flags & MS_FLAG_SEEN)
    g_string_append_c (name, 'S');
  if (flags & MS_FLAG_DELETED)
    g_string_append_c (name, 'T');
  return g_string_free (name, FALSE);
}

gboolean
ms_store_loader_save_maildir (MsMailbox   *mailbox,
                              const char  *path,
                              GError     **error)
{
  static const char *subdirs[] = { "cur", "new", "tmp" };

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (path, subdirs[i], NULL);

      if (g_mkdir_with_parents (sub, 0700) != 0)
        {
          ms_loader_set_io_error (error, errno, "cannot create the folder", sub);
          return FALSE;
        }
    }
  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      g_autofree char *name = maildir_name (message);
      g_autofree char *file = g_build_filename (path, "cur", name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      struct utimbuf times;
      gsize len;
      const guint8 *data = g_bytes_get_data (ms_message_get_raw (message), &len);

      ms_loader_append_lf (text, data, len);
      if (!ms_loader_write_file (file, text->str, text->len, error))
        return FALSE;
      times.actime = times.modtime = (time_t) ms_message_get_internal_date (message);
      if (g_utime (file, &times) != 0)
        {
          ms_loader_set_io_error (error, errno, "cannot set the time of", file);
          return FALSE;
        }
    }
  return TRUE;
}

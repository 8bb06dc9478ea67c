/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reading side of the on-disk state: mailbox lists, their journals and
 * bodies, and the collection of bodies no journal names any more. */
#define G_LOG_DOMAIN "ms-store-state"
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ms-store-state-private.h"

void
ms_state_mailbox_free (gpointer data)
{
  MsStateMailbox *saved = data;

  g_free (saved->name);
  g_clear_pointer (&saved->log, ms_state_log_free);
  g_clear_pointer (&saved->bodies, g_ptr_array_unref);
  g_free (saved);
}

int
ms_state_compare_saved (gconstpointer a,
               gconstpointer b)
{
  const MsStateMailbox *x = *(MsStateMailbox * const *) a;
  const MsStateMailbox *y = *(MsStateMailbox * const *) b;

  return strcmp (x->name, y->name);
}

/* M records: the originals of moves are gone, whether or not a crash let
 * their X records reach the source's journal. A UID is never used twice in
 * a mailbox, so a record with the source UID is that original. */
static void
apply_moves (GPtrArray *saved)
{
  for (guint i = 0; i < saved->len; i++)
    {
      MsStateMailbox *target = g_ptr_array_index (saved, i);

      for (guint m = 0; m < target->log->moves->len; m++)
        {
          MsStateMove *move = &g_array_index (target->log->moves, MsStateMove, m);

          for (guint j = 0; j < saved->len; j++)
            {
              MsStateMailbox *source = g_ptr_array_index (saved, j);
              GPtrArray *records = source->log->records;
              guint lo = 0, hi = records->len;

              if (source->id != move->source_id)
                continue;
              while (lo < hi)
                {
                  guint mid = lo + (hi - lo) / 2;
                  guint32 uid = ((MsStateRecord *) g_ptr_array_index (records, mid))->uid;

                  if (uid == move->source_uid)
                    {
                      g_ptr_array_remove_index (records, mid);
                      if (source->bodies != NULL)
                        g_ptr_array_remove_index (source->bodies, mid);
                      break;
                    }
                  if (uid < move->source_uid)
                    lo = mid + 1;
                  else
                    hi = mid;
                }
            }
        }
    }
}

/* Parses accounts/<name>/mailboxes; with @read_bodies also every journal
 * and body it names, so that nothing is changed before all of it is known good. */
GPtrArray *
ms_state_read_mailboxes (const char  *root,
                      const char  *account_dir,
                      gboolean     read_bodies,
                      guint       *next_id,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (account_dir, "mailboxes", NULL);
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (ms_state_mailbox_free);
  g_autoptr(GError) local_error = NULL;
  guint64 value;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE, "%s", local_error->message);
      return NULL;
    }
  /* The file is only ever replaced whole and ends with a newline. Without
   * one it was cut or edited, and its last name may be cut too: "INBO"
   * would have served INBOX's mail under that name and filled INBOX anew
   * from --mail. */
  if (len == 0 || contents[len - 1] != '\n')
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: the last line is not complete (was the file cut short?)", display);
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  if (g_strv_length (lines) < 3 || strcmp (lines[0], MS_STATE_MAILBOXES_MAGIC) != 0 ||
      !g_str_has_prefix (lines[1], "next-id ") ||
      !g_ascii_string_to_unsigned (lines[1] + 8, 10, 1, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE, "%s: not a Mailscope mailbox list", display);
      return NULL;
    }
  *next_id = value;

  /* Every line up to the final newline; an empty one is not valid: it used
   * to end the list, and the mailboxes after it were dropped, their
   * messages then collected as garbage. */
  for (guint i = 2; lines[i + 1] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 4);
      g_autofree char *log_name = NULL;
      g_autofree char *log_file = NULL;
      MsStateMailbox *mailbox;
      guint64 id;

      if (g_strv_length (fields) != 4 ||
          !g_ascii_string_to_unsigned (fields[0], 10, 1, G_MAXUINT - 1, &id, NULL) ||
          (strcmp (fields[2], "0") != 0 && strcmp (fields[2], "1") != 0) ||
          !ms_account_name_is_valid (fields[3], NULL))
        {
          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                       "%s: line %u: not a valid mailbox line", display, i + 1);
          return NULL;
        }
      mailbox = g_new0 (MsStateMailbox, 1);
      mailbox->id = id;
      mailbox->role = ms_mailbox_role_from_string (fields[1]);
      mailbox->subscribed = fields[2][0] == '1';
      mailbox->name = g_strdup (fields[3]);
      g_ptr_array_add (saved, mailbox);
      *next_id = MAX (*next_id, id + 1);

      log_name = g_strdup_printf ("%u.log", mailbox->id);
      log_file = g_build_filename (account_dir, log_name, NULL);
      mailbox->log = ms_state_log_read (log_file, error);
      if (mailbox->log == NULL)
        return NULL;
      if (read_bodies)
        {
          mailbox->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
          for (guint j = 0; j < mailbox->log->records->len; j++)
            {
              MsStateRecord *record = g_ptr_array_index (mailbox->log->records, j);
              GBytes *body = ms_state_read_body (root, record->digest, record->size, error);

              if (body == NULL)
                return NULL;
              g_ptr_array_add (mailbox->bodies, body);
            }
        }
    }
  apply_moves (saved);
  return g_steal_pointer (&saved);
}

/* Bodies that no journal names any more (expunged since the last start, or
 * left by a crash between writing a body and its journal line). Runs only
 * when every account folder in DIR could be read, so it never deletes a body
 * that an unreadable journal might still need. */
void
ms_state_collect_garbage (const char *root)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *accounts_dir = g_build_filename (root, "accounts", NULL);
  g_autofree char *messages_dir = g_build_filename (root, "messages", NULL);
  g_autoptr(GDir) dir = g_dir_open (accounts_dir, 0, NULL);
  g_autoptr(GDir) top = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *account_dir = g_build_filename (accounts_dir, name, NULL);
      g_autofree char *list = g_build_filename (account_dir, "mailboxes", NULL);
      g_autoptr(GPtrArray) saved = NULL;
      guint next_id;

      if (!g_file_test (list, G_FILE_TEST_EXISTS))
        continue;
      saved = ms_state_read_mailboxes (root, account_dir, FALSE, &next_id, NULL);
      if (saved == NULL)
        return;
      for (guint i = 0; i < saved->len; i++)
        {
          MsStateLog *log = ((MsStateMailbox *) g_ptr_array_index (saved, i))->log;

          for (guint j = 0; j < log->records->len; j++)
            g_hash_table_add (used, g_strdup (((MsStateRecord *) g_ptr_array_index (log->records, j))->digest));
        }
    }

  top = g_dir_open (messages_dir, 0, NULL);
  while (top != NULL && (name = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub = g_build_filename (messages_dir, name, NULL);
      g_autoptr(GDir) inner = g_dir_open (sub, 0, NULL);
      const char *body;

      while (inner != NULL && (body = g_dir_read_name (inner)) != NULL)
        if (!g_hash_table_contains (used, body))
          {
            g_autofree char *path = g_build_filename (sub, body, NULL);

            g_unlink (path);
          }
    }
}

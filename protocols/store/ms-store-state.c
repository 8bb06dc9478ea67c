/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The state object: opening or creating DIR, tracking accounts and
 * restoring them. Following changes is in ms-store-state-follow.c. */
#define G_LOG_DOMAIN "ms-store-state"
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-mailbox-private.h"
#include "ms-store-state-private.h"

G_DEFINE_FINAL_TYPE (MsStoreState, ms_store_state, G_TYPE_OBJECT)

/* --- accounts ----------------------------------------------------------- */

static void
account_state_free (gpointer data)
{
  AccountState *astate = data;

  g_signal_handlers_disconnect_by_data (astate->account, astate);
  g_hash_table_unref (astate->mailboxes);
  g_object_unref (astate->account);
  g_free (astate->dir);
  g_free (astate);
}

static gboolean restore_account (MsStoreState  *self,
                                 AccountState  *astate,
                                 GError       **error);

static gboolean
write_account (AccountState  *astate,
               GError       **error)
{
  GPtrArray *mailboxes = ms_account_list_mailboxes (astate->account);

  for (guint i = 0; i < mailboxes->len; i++)
    if (!ms_state_write_new_mailbox (astate, g_ptr_array_index (mailboxes, i), TRUE, error))
      return FALSE;
  return ms_state_sync_fs (astate->dir, error) && ms_state_write_mailboxes_file (astate, error);
}

static gboolean
track_account (MsStoreState  *self,
               MsAccount     *account,
               GError       **error)
{
  AccountState *astate;
  g_autofree char *mailboxes_file = NULL;
  const char *name = ms_account_get_name (account);

  /* Account names become folder names; these two would name the wrong folder. */
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                   "Account \"%s\" cannot be kept in a state folder", name);
      return FALSE;
    }
  astate = g_new0 (AccountState, 1);
  astate->state = self;
  astate->account = g_object_ref (account);
  astate->dir = g_build_filename (self->dir, "accounts", name, NULL);
  astate->next_id = 1;
  astate->mailboxes = g_hash_table_new_full (NULL, NULL, NULL, ms_state_mailbox_state_free);
  g_ptr_array_add (self->accounts, astate);

  if (!ms_state_mkdir (astate->dir, error))
    return FALSE;
  mailboxes_file = g_build_filename (astate->dir, "mailboxes", NULL);
  if (g_file_test (mailboxes_file, G_FILE_TEST_EXISTS))
    {
      if (!restore_account (self, astate, error))
        return FALSE;
    }
  else if (!write_account (astate, error))
    return FALSE;

  g_signal_connect (account, "mailbox-created", G_CALLBACK (ms_state_on_mailbox_created), astate);
  g_signal_connect (account, "mailbox-deleted", G_CALLBACK (ms_state_on_mailbox_deleted), astate);
  g_signal_connect (account, "mailbox-renamed", G_CALLBACK (ms_state_on_mailbox_renamed), astate);
  return TRUE;
}

static void
on_account_added (MsStore      *store,
                  MsAccount    *account,
                  MsStoreState *self)
{
  GError *error = NULL;

  if (!track_account (self, account, &error))
    ms_state_note_failure (self, error);
}

/* --- restoring ---------------------------------------------------------- */

static int
compare_names_descending (gconstpointer a,
                          gconstpointer b)
{
  return -strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
restore_account (MsStoreState  *self,
                                AccountState  *astate,
                                GError       **error)
{
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *mailboxes;
  MsMailbox *inbox = ms_account_get_inbox (astate->account);
  gboolean inbox_saved = FALSE;
  guint next_id = 1;

  saved = ms_state_read_mailboxes (self->dir, astate->dir, TRUE, &next_id, error);
  if (saved == NULL)
    return FALSE;
  g_ptr_array_sort (saved, ms_state_compare_saved);
  for (guint i = 0; i < saved->len; i++)
    inbox_saved |= g_ascii_strcasecmp (((MsStateMailbox *) g_ptr_array_index (saved, i))->name, "INBOX") == 0;

  /* What DIR says replaces whatever the account held: children before parents. */
  mailboxes = ms_account_list_mailboxes (astate->account);
  for (guint i = 0; i < mailboxes->len; i++)
    if (g_ptr_array_index (mailboxes, i) != inbox)
      g_ptr_array_add (doomed, g_strdup (ms_mailbox_get_name (g_ptr_array_index (mailboxes, i))));
  g_ptr_array_sort (doomed, compare_names_descending);
  for (guint i = 0; i < doomed->len; i++)
    if (!ms_account_delete_mailbox (astate->account, g_ptr_array_index (doomed, i), error))
      return FALSE;
  if (inbox_saved)
    ms_mailbox_reset (inbox);

  for (guint i = 0; i < saved->len; i++)
    {
      MsStateMailbox *entry = g_ptr_array_index (saved, i);
      MsMailbox *mailbox;
      MailboxState *mstate;

      if (g_ascii_strcasecmp (entry->name, "INBOX") == 0)
        mailbox = inbox;
      else if ((mailbox = ms_account_create_mailbox (astate->account, entry->name, error)) == NULL)
        return FALSE;

      mstate = ms_state_add_mailbox_state (astate, mailbox, entry->id);
      for (guint j = 0; j < entry->log->records->len; j++)
        {
          MsStateRecord *record = g_ptr_array_index (entry->log->records, j);

          ms_mailbox_restore_message (mailbox, record->uid, g_ptr_array_index (entry->bodies, j),
                                      record->flags, (const char * const *) record->keywords,
                                      record->date, record->tz_offset);
          g_hash_table_replace (mstate->digests, GUINT_TO_POINTER (record->uid), g_strdup (record->digest));
        }
      ms_mailbox_restore_counters (mailbox, entry->log->uidvalidity, entry->log->uidnext,
                                   entry->log->highest_modseq);
      ms_mailbox_set_role (mailbox, entry->role);
      ms_mailbox_set_subscribed (mailbox, entry->subscribed);
      if (!ms_state_note_uidvalidity (self, entry->log->uidvalidity, error))
        return FALSE;
      ms_state_connect_mailbox (mstate);
    }
  /* Starts each journal afresh: drops history and any torn last line. The
   * journals with M records last, once their moves' sources are written
   * without the originals: a crash in between must not bring one back. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < saved->len; i++)
      {
        MsStateMailbox *entry = g_ptr_array_index (saved, i);
        MsMailbox *mailbox = g_ascii_strcasecmp (entry->name, "INBOX") == 0
                             ? inbox : ms_account_lookup_mailbox (astate->account, entry->name);

        if ((entry->log->moves->len > 0) == (pass == 1) &&
            !ms_state_rewrite_log (g_hash_table_lookup (astate->mailboxes, mailbox), error))
          return FALSE;
      }
  astate->next_id = MAX (astate->next_id, next_id);
  if (!inbox_saved && !ms_state_write_new_mailbox (astate, inbox, FALSE, error))
    return FALSE;
  return ms_state_write_mailboxes_file (astate, error);
}

/* --- the object --------------------------------------------------------- */

static void
ms_store_state_dispose (GObject *object)
{
  MsStoreState *self = (MsStoreState *) object;

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      /* Nothing is written any more, so nothing is failing either. */
      ms_store_set_persist_retry (self->store, NULL, NULL);
      if (self->error != NULL)
        ms_store_note_persist_error (self->store, NULL);
    }
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ms_store_state_parent_class)->dispose (object);
}

static void
ms_store_state_finalize (GObject *object)
{
  MsStoreState *self = (MsStoreState *) object;

  g_clear_pointer (&self->dir, g_free);
  g_clear_error (&self->error);
  if (self->lock_fd >= 0)
    close (self->lock_fd);

  G_OBJECT_CLASS (ms_store_state_parent_class)->finalize (object);
}

static void
ms_store_state_class_init (MsStoreStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_store_state_dispose;
  object_class->finalize = ms_store_state_finalize;
}

static void
ms_store_state_init (MsStoreState *self)
{
  self->accounts = g_ptr_array_new_with_free_func (account_state_free);
  self->next_uidvalidity = 1;
  self->lock_fd = -1;
}

static gboolean
read_state_file (MsStoreState  *self,
                 const char    *path,
                 GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 value;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  if (g_strv_length (lines) < 2 || strcmp (lines[0], MS_STATE_MAGIC) != 0 ||
      !g_str_has_prefix (lines[1], "next-uidvalidity ") ||
      !g_ascii_string_to_unsigned (lines[1] + 17, 10, 1, G_MAXUINT32, &value, NULL))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: not a Mailscope state file (version 1)", display);
      return FALSE;
    }
  self->next_uidvalidity = value;
  return TRUE;
}

/* Empty but for the lock file, which a start that failed before writing
 * the state file leaves behind. */
static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (strcmp (name, "lock") != 0)
      return FALSE;
  return TRUE;
}

MsStoreState *
ms_store_state_new (MsStore     *store,
                    const char  *dir,
                    GError     **error)
{
  g_autoptr(MsStoreState) self = NULL;
  g_autofree char *state_file = NULL;
  GPtrArray *accounts;
  guint32 counter;

  g_return_val_if_fail (MS_IS_STORE (store), NULL);
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MS_TYPE_STORE_STATE, NULL);
  self->store = g_object_ref (store);
  if (g_path_is_absolute (dir))
    self->dir = g_strdup (dir);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();

      self->dir = g_build_filename (cwd, dir, NULL);
    }
  state_file = g_build_filename (self->dir, "state", NULL);

  if (g_file_test (state_file, G_FILE_TEST_EXISTS))
    {
      if ((self->lock_fd = ms_state_lock_dir (self->dir, error)) < 0 ||
          !read_state_file (self, state_file, error))
        return NULL;
    }
  else
    {
      if (g_file_test (self->dir, G_FILE_TEST_EXISTS) && !dir_is_empty (self->dir))
        {
          g_autofree char *display = g_filename_display_name (self->dir);

          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                       "%s: not empty and not a Mailscope state folder; refusing to write there", display);
          return NULL;
        }
      /* The state file first: it marks DIR as ours, and an account folder
       * without its mailboxes file (a crash while writing it) is rewritten. */
      if (!ms_state_mkdir (self->dir, error) || (self->lock_fd = ms_state_lock_dir (self->dir, error)) < 0 ||
          !ms_state_write_state_file (self, error))
        return NULL;
    }
  ms_state_remove_temp_files (self->dir);

  accounts = ms_store_list_accounts (store);
  for (guint i = 0; i < accounts->len; i++)
    if (!track_account (self, g_ptr_array_index (accounts, i), error))
      return NULL;

  /* New mailboxes must get a UIDVALIDITY that no earlier mailbox had, even
   * one deleted before the restart. */
  counter = ms_store_next_uidvalidity (store);
  ms_store_set_uidvalidity_base (store, MAX (counter, self->next_uidvalidity));
  if (counter > self->next_uidvalidity)
    {
      self->next_uidvalidity = counter;
      if (!ms_state_write_state_file (self, error))
        return NULL;
    }
  ms_state_collect_garbage (self->dir);

  g_signal_connect (store, "account-added", G_CALLBACK (on_account_added), self);
  ms_store_set_persist_retry (store, ms_state_repair, self);
  return g_steal_pointer (&self);
}

const char *
ms_store_state_get_dir (MsStoreState *self)
{
  g_return_val_if_fail (MS_IS_STORE_STATE (self), NULL);
  return self->dir;
}

const GError *
ms_store_state_get_error (MsStoreState *self)
{
  g_return_val_if_fail (MS_IS_STORE_STATE (self), NULL);
  return self->error;
}

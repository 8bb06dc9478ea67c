/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-store-state"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-mailbox-private.h"
#include "ms-store-state-private.h"

#define STATE_MAGIC     "mailscope-state 1"

typedef struct _AccountState AccountState;

typedef struct {
  AccountState *account;
  MsMailbox    *mailbox;     /* strong */
  guint         id;
  int           log_fd;
  guint         log_lines;
  GHashTable   *digests;     /* uid -> sha256 of the body, to rewrite the journal */
} MailboxState;

struct _AccountState {
  MsStoreState *state;
  MsAccount    *account;     /* strong */
  char         *dir;
  guint         next_id;
  GHashTable   *mailboxes;   /* MsMailbox* -> MailboxState* */
};

struct _MsStoreState
{
  GObject     parent_instance;

  MsStore    *store;
  char       *dir;
  GPtrArray  *accounts;      /* AccountState */
  guint32     next_uidvalidity;
  GError     *error;
};

G_DEFINE_FINAL_TYPE (MsStoreState, ms_store_state, G_TYPE_OBJECT)


/* --- failures inside signal handlers ----------------------------------- */

static void
note_failure (MsStoreState *self,
              GError       *error)
{
  g_warning ("On-disk state in %s: %s", self->dir, error->message);
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

/* --- writing ------------------------------------------------------------ */

static gboolean
write_state_file (MsStoreState  *self,
                  GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, "state", NULL);
  g_autofree char *text = g_strdup_printf (STATE_MAGIC "\nnext-uidvalidity %u\n", self->next_uidvalidity);

  return ms_state_write_atomic (path, text, strlen (text), error);
}

static gboolean
note_uidvalidity (MsStoreState  *self,
                  guint32        uidvalidity,
                  GError       **error)
{
  if (uidvalidity < self->next_uidvalidity || uidvalidity == G_MAXUINT32)
    return TRUE;
  self->next_uidvalidity = uidvalidity + 1;
  return write_state_file (self, error);
}

static gboolean
write_mailboxes_file (AccountState  *astate,
                      GError       **error)
{
  g_autofree char *path = g_build_filename (astate->dir, "mailboxes", NULL);
  g_autoptr(GString) text = g_string_new (MS_STATE_MAILBOXES_MAGIC "\n");
  GPtrArray *mailboxes = ms_account_list_mailboxes (astate->account);

  g_string_append_printf (text, "next-id %u\n", astate->next_id);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (mailboxes, i);
      MailboxState *mstate = g_hash_table_lookup (astate->mailboxes, mailbox);

      if (mstate == NULL)
        continue;
      g_string_append_printf (text, "%u %s %d %s\n", mstate->id,
                              ms_mailbox_role_to_string (ms_mailbox_get_role (mailbox)),
                              ms_mailbox_get_subscribed (mailbox) ? 1 : 0,
                              ms_mailbox_get_name (mailbox));
    }
  return ms_state_write_atomic (path, text->str, text->len, error);
}

static char *
log_path (MailboxState *mstate)
{
  g_autofree char *name = g_strdup_printf ("%u.log", mstate->id);

  return g_build_filename (mstate->account->dir, name, NULL);
}

static void
append_counters (GString   *line,
                 char       op,
                 MsMailbox *mailbox)
{
  g_string_append_printf (line, "%c %u %" G_GUINT64_FORMAT, op, ms_mailbox_get_uidnext (mailbox),
                          ms_mailbox_get_highest_modseq (mailbox));
}

static void
append_add_record (GString      *line,
                   MailboxState *mstate,
                   MsMessage    *message)
{
  const char *digest = g_hash_table_lookup (mstate->digests, GUINT_TO_POINTER (ms_message_get_uid (message)));

  g_assert (digest != NULL);
  append_counters (line, 'A', mstate->mailbox);
  g_string_append_printf (line, " %u %" G_GINT64_FORMAT " %d %" G_GSIZE_FORMAT " %s ",
                          ms_message_get_uid (message), MAX (ms_message_get_internal_date (message), 0),
                          ms_message_get_internal_date_offset (message), ms_message_get_size (message),
                          digest);
  ms_state_append_flags (line, ms_message_get_flags (message), ms_message_get_keywords (message));
  g_string_append_c (line, '\n');
}

/* Replaces the journal with its shortest form, atomically, and reopens it. */
static gboolean
rewrite_log (MailboxState  *mstate,
             GError       **error)
{
  MsMailbox *mailbox = mstate->mailbox;
  g_autofree char *path = log_path (mstate);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = ms_mailbox_get_n_messages (mailbox);

  g_string_append_printf (text, "V %u\n", ms_mailbox_get_uidvalidity (mailbox));
  append_counters (text, 'C', mailbox);
  g_string_append_c (text, '\n');
  for (guint i = 0; i < n; i++)
    append_add_record (text, mstate, ms_mailbox_get_message (mailbox, i));

  if (mstate->log_fd >= 0)
    close (mstate->log_fd);
  mstate->log_fd = -1;
  if (!ms_state_write_atomic (path, text->str, text->len, error))
    return FALSE;
  mstate->log_fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (mstate->log_fd < 0)
    {
      int saved = errno;

      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s: cannot open: %s", path, g_strerror (saved));
      return FALSE;
    }
  mstate->log_lines = n + 2;
  return TRUE;
}

/* One whole line, then fdatasync: after a crash the line is either all
 * there or missing its '\n', and the reader drops a line without one. */
static gboolean
append_log (MailboxState  *mstate,
            GString       *line,
            GError       **error)
{
  const char *data = line->str;
  gsize len = line->len;

  g_assert (mstate->log_fd >= 0);
  while (len > 0)
    {
      gssize n = write (mstate->log_fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      data += n;
      len -= n;
    }
  if (len > 0 || fdatasync (mstate->log_fd) != 0)
    {
      g_autofree char *path = log_path (mstate);
      int saved = errno;

      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO, "%s: cannot append: %s", path, g_strerror (saved));
      return FALSE;
    }
  mstate->log_lines++;
  /* Flag changes and expunges pile up; rewrite once half the journal is history. */
  if (mstate->log_lines > 2 * ms_mailbox_get_n_messages (mstate->mailbox) + 64)
    return rewrite_log (mstate, error);
  return TRUE;
}

static gboolean
remember_body (MailboxState  *mstate,
               MsMessage     *message,
               gboolean       durable,
               GError       **error)
{
  char *digest = ms_state_digest (ms_message_get_raw (message));

  g_hash_table_replace (mstate->digests, GUINT_TO_POINTER (ms_message_get_uid (message)), digest);
  return ms_state_write_body (mstate->account->state->dir, ms_message_get_raw (message), digest,
                              durable, error);
}

/* --- following the store ------------------------------------------------ */

static void
on_message_added (MsMailbox    *mailbox,
                  MsMessage    *message,
                  MailboxState *mstate)
{
  g_autoptr(GString) line = g_string_new (NULL);
  GError *error = NULL;

  if (!remember_body (mstate, message, TRUE, &error))
    {
      note_failure (mstate->account->state, error);
      return;
    }
  append_add_record (line, mstate, message);
  if (!append_log (mstate, line, &error))
    note_failure (mstate->account->state, error);
}

static void
on_flags_changed (MsMailbox    *mailbox,
                  MsMessage    *message,
                  guint         index,
                  MailboxState *mstate)
{
  g_autoptr(GString) line = g_string_new (NULL);
  GError *error = NULL;

  append_counters (line, 'F', mailbox);
  g_string_append_printf (line, " %u ", ms_message_get_uid (message));
  ms_state_append_flags (line, ms_message_get_flags (message), ms_message_get_keywords (message));
  g_string_append_c (line, '\n');
  if (!append_log (mstate, line, &error))
    note_failure (mstate->account->state, error);
}

static void
on_message_expunged (MsMailbox    *mailbox,
                     guint         uid,
                     guint         index,
                     MailboxState *mstate)
{
  g_autoptr(GString) line = g_string_new (NULL);
  GError *error = NULL;

  g_hash_table_remove (mstate->digests, GUINT_TO_POINTER (uid));
  append_counters (line, 'X', mailbox);
  g_string_append_printf (line, " %u\n", uid);
  if (!append_log (mstate, line, &error))
    note_failure (mstate->account->state, error);
}

static void
on_mailbox_notify (MsMailbox    *mailbox,
                   GParamSpec   *pspec,
                   MailboxState *mstate)
{
  GError *error = NULL;

  if (!write_mailboxes_file (mstate->account, &error))
    note_failure (mstate->account->state, error);
}

static void
mailbox_state_free (gpointer data)
{
  MailboxState *mstate = data;

  g_signal_handlers_disconnect_by_data (mstate->mailbox, mstate);
  if (mstate->log_fd >= 0)
    close (mstate->log_fd);
  g_hash_table_unref (mstate->digests);
  g_object_unref (mstate->mailbox);
  g_free (mstate);
}

static MailboxState *
add_mailbox_state (AccountState *astate,
                   MsMailbox    *mailbox,
                   guint         id)
{
  MailboxState *mstate = g_new0 (MailboxState, 1);

  mstate->account = astate;
  mstate->mailbox = g_object_ref (mailbox);
  mstate->id = id;
  mstate->log_fd = -1;
  mstate->digests = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  astate->next_id = MAX (astate->next_id, id + 1);
  g_hash_table_insert (astate->mailboxes, mailbox, mstate);
  return mstate;
}

static void
connect_mailbox (MailboxState *mstate)
{
  g_signal_connect (mstate->mailbox, "message-added", G_CALLBACK (on_message_added), mstate);
  g_signal_connect (mstate->mailbox, "flags-changed", G_CALLBACK (on_flags_changed), mstate);
  g_signal_connect (mstate->mailbox, "message-expunged", G_CALLBACK (on_message_expunged), mstate);
  g_signal_connect (mstate->mailbox, "notify::role", G_CALLBACK (on_mailbox_notify), mstate);
  g_signal_connect (mstate->mailbox, "notify::subscribed", G_CALLBACK (on_mailbox_notify), mstate);
}

/* Writes a mailbox that the state does not know yet: bodies, then the
 * journal, then (by the caller) the mailboxes file that makes it count.
 * With @bulk the bodies are not fsync'ed one by one (100,000 fsyncs take
 * minutes); the caller then flushes the file system once before it writes
 * the mailboxes file, so nothing that file names can be missing. */
static gboolean
write_new_mailbox (AccountState  *astate,
                   MsMailbox     *mailbox,
                   gboolean       bulk,
                   GError       **error)
{
  MailboxState *mstate = add_mailbox_state (astate, mailbox, astate->next_id);

  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    if (!remember_body (mstate, ms_mailbox_get_message (mailbox, i), !bulk, error))
      return FALSE;
  if (!rewrite_log (mstate, error))
    return FALSE;
  connect_mailbox (mstate);
  return note_uidvalidity (astate->state, ms_mailbox_get_uidvalidity (mailbox), error);
}

static void
on_mailbox_created (MsAccount    *account,
                    MsMailbox    *mailbox,
                    AccountState *astate)
{
  GError *error = NULL;

  if (!write_new_mailbox (astate, mailbox, FALSE, &error) || !write_mailboxes_file (astate, &error))
    note_failure (astate->state, error);
}

static void
on_mailbox_deleted (MsAccount    *account,
                    MsMailbox    *mailbox,
                    AccountState *astate)
{
  MailboxState *mstate = g_hash_table_lookup (astate->mailboxes, mailbox);
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (mstate == NULL)
    return;
  path = log_path (mstate);
  g_hash_table_remove (astate->mailboxes, mailbox);
  /* The mailboxes file first: a journal it does not list is ignored, so a
   * crash between the two steps leaves only a stray file behind. */
  if (!write_mailboxes_file (astate, &error))
    {
      note_failure (astate->state, error);
      return;
    }
  g_unlink (path);
  if (!ms_state_fsync_dir (astate->dir, &error))
    note_failure (astate->state, error);
}

static void
on_mailbox_renamed (MsAccount    *account,
                    MsMailbox    *mailbox,
                    const char   *old_name,
                    AccountState *astate)
{
  GError *error = NULL;

  if (!write_mailboxes_file (astate, &error))
    note_failure (astate->state, error);
}

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
    if (!write_new_mailbox (astate, g_ptr_array_index (mailboxes, i), TRUE, error))
      return FALSE;
  return ms_state_sync_fs (astate->dir, error) && write_mailboxes_file (astate, error);
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
  astate->mailboxes = g_hash_table_new_full (NULL, NULL, NULL, mailbox_state_free);
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

  g_signal_connect (account, "mailbox-created", G_CALLBACK (on_mailbox_created), astate);
  g_signal_connect (account, "mailbox-deleted", G_CALLBACK (on_mailbox_deleted), astate);
  g_signal_connect (account, "mailbox-renamed", G_CALLBACK (on_mailbox_renamed), astate);
  return TRUE;
}

static void
on_account_added (MsStore      *store,
                  MsAccount    *account,
                  MsStoreState *self)
{
  GError *error = NULL;

  if (!track_account (self, account, &error))
    note_failure (self, error);
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

      mstate = add_mailbox_state (astate, mailbox, entry->id);
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
      /* Starts each journal afresh: drops history and any torn last line. */
      if (!rewrite_log (mstate, error) || !note_uidvalidity (self, entry->log->uidvalidity, error))
        return FALSE;
      connect_mailbox (mstate);
    }
  astate->next_id = MAX (astate->next_id, next_id);
  if (!inbox_saved && !write_new_mailbox (astate, inbox, FALSE, error))
    return FALSE;
  return write_mailboxes_file (astate, error);
}

/* --- the object --------------------------------------------------------- */

static void
ms_store_state_dispose (GObject *object)
{
  MsStoreState *self = (MsStoreState *) object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
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
  if (g_strv_length (lines) < 2 || strcmp (lines[0], STATE_MAGIC) != 0 ||
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

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
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
      if (!read_state_file (self, state_file, error))
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
      if (!ms_state_mkdir (self->dir, error) || !write_state_file (self, error))
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
      if (!write_state_file (self, error))
        return NULL;
    }
  ms_state_collect_garbage (self->dir);

  g_signal_connect (store, "account-added", G_CALLBACK (on_account_added), self);
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

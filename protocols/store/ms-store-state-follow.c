/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Following the store: every change is written before its signal handler
 * returns, and what a failed write left dirty is written again whole (see
 * ms-store-state.h). The object itself, accounts and restoring are in
 * ms-store-state.c. */
#define G_LOG_DOMAIN "ms-store-state"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-mailbox-private.h"
#include "ms-store-state-private.h"

/* --- failures inside signal handlers ----------------------------------- */

/* A write failed inside a signal handler, where the change cannot be
 * refused any more. The caller marked what the write was for as dirty;
 * ms_state_repair() or the next change to it writes it again whole. The store tells
 * the servers, which answer the command with an error instead of OK, and
 * `serve` logs the change of state (not every failure: a full disk would
 * otherwise fill the log too). */
void
ms_state_note_failure (MsStoreState *self,
                       GError       *error)
{
  g_debug ("On-disk state in %s: %s", self->dir, error->message);
  ms_store_note_persist_error (self->store, error);
  g_clear_error (&self->error);
  self->error = error;
}

/* --- writing ------------------------------------------------------------ */

gboolean
ms_state_write_state_file (MsStoreState  *self,
                           GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, "state", NULL);
  g_autofree char *text = g_strdup_printf (MS_STATE_MAGIC "\nnext-uidvalidity %u\n", self->next_uidvalidity);

  return ms_state_write_atomic (path, text, strlen (text), error);
}

gboolean
ms_state_note_uidvalidity (MsStoreState  *self,
                           guint32        uidvalidity,
                           GError       **error)
{
  if (uidvalidity < self->next_uidvalidity || uidvalidity == G_MAXUINT32)
    return TRUE;
  self->next_uidvalidity = uidvalidity + 1;
  if (!ms_state_write_state_file (self, error))
    {
      self->state_dirty = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
ms_state_write_mailboxes_file (AccountState  *astate,
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

      /* A mailbox whose journal was never written would make the next
       * start fail; it is named once ms_state_repair() wrote it. */
      if (mstate == NULL || !mstate->on_disk)
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
gboolean
ms_state_rewrite_log (MailboxState  *mstate,
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
  mstate->on_disk = TRUE;
  mstate->log_fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (mstate->log_fd < 0)
    {
      int saved = errno;

      g_set_error (error, MS_STORE_ERROR, ms_state_errno_code (saved), "%s: cannot open: %s",
                   path, g_strerror (saved));
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

  g_assert (mstate->log_fd >= 0 && !mstate->dirty);
  errno = EIO;   /* a write() of 0 bytes sets none */
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

      g_set_error (error, MS_STORE_ERROR, ms_state_errno_code (saved), "%s: cannot append: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  mstate->log_lines++;
  /* Flag changes and expunges pile up; rewrite once half the journal is history. */
  if (mstate->log_lines > 2 * ms_mailbox_get_n_messages (mstate->mailbox) + 64)
    return ms_state_rewrite_log (mstate, error);
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

/* Writes every body the mailbox's journal needs (those already on disk are
 * skipped) and then the journal, whole: how a new mailbox is written, and
 * how a mailbox whose write failed is repaired. */
static gboolean
write_mailbox (MailboxState  *mstate,
               gboolean       durable,
               GError       **error)
{
  const char *root = mstate->account->state->dir;
  guint n = ms_mailbox_get_n_messages (mstate->mailbox);

  for (guint i = 0; i < n; i++)
    {
      MsMessage *message = ms_mailbox_get_message (mstate->mailbox, i);
      const char *digest = g_hash_table_lookup (mstate->digests, GUINT_TO_POINTER (ms_message_get_uid (message)));

      if (digest == NULL ? !remember_body (mstate, message, durable, error)
                         : !ms_state_write_body (root, ms_message_get_raw (message), digest, durable, error))
        return FALSE;
    }
  if (!ms_state_rewrite_log (mstate, error))
    return FALSE;
  mstate->dirty = FALSE;
  return TRUE;
}

static gboolean
anything_dirty (MsStoreState *self)
{
  if (self->state_dirty)
    return TRUE;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      AccountState *astate = g_ptr_array_index (self->accounts, i);
      GHashTableIter iter;
      MailboxState *mstate;

      if (astate->dirty)
        return TRUE;
      g_hash_table_iter_init (&iter, astate->mailboxes);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mstate))
        if (mstate->dirty)
          return TRUE;
    }
  return FALSE;
}

static void
note_success (MsStoreState *self)
{
  if (self->error == NULL || anything_dirty (self))
    return;
  g_clear_error (&self->error);
  ms_store_note_persist_error (self->store, NULL);
}

/* The store's retry (ms_store_check_persist()): writes again everything a
 * failed write left dirty, journals before the mailboxes files that name
 * them, and the state file last. */
gboolean
ms_state_repair (gpointer   data,
                 GError   **error)
{
  MsStoreState *self = data;
  GError *local_error = NULL;

  for (guint i = 0; i < self->accounts->len && local_error == NULL; i++)
    {
      AccountState *astate = g_ptr_array_index (self->accounts, i);
      GHashTableIter iter;
      MailboxState *mstate;

      g_hash_table_iter_init (&iter, astate->mailboxes);
      while (local_error == NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &mstate))
        if (mstate->dirty)
          write_mailbox (mstate, TRUE, &local_error);
      if (local_error == NULL && astate->dirty && ms_state_write_mailboxes_file (astate, &local_error))
        astate->dirty = FALSE;
    }
  if (local_error == NULL && self->state_dirty && ms_state_write_state_file (self, &local_error))
    self->state_dirty = FALSE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_error_copy (local_error));
      ms_state_note_failure (self, local_error);
      return FALSE;
    }
  note_success (self);
  return TRUE;
}

/* --- following the store ------------------------------------------------ */

/* Makes one change to a mailbox durable before the handler returns: a
 * journal line (built by @build once the body, if any, is written), or,
 * when an earlier write failed, the whole mailbox again, because its
 * journal may lack lines or end in a torn one and nothing may follow it. */
typedef void (*BuildLine) (GString      *line,
                           MailboxState *mstate,
                           gpointer      data);

static void
save_change (MailboxState *mstate,
             MsMessage    *added,
             BuildLine     build,
             gpointer      data)
{
  MsStoreState *self = mstate->account->state;
  g_autoptr(GString) line = g_string_new (NULL);
  GError *error = NULL;

  if (mstate->dirty)
    {
      if (!write_mailbox (mstate, TRUE, &error))
        ms_state_note_failure (self, error);
      else
        note_success (self);
      return;
    }
  if (added != NULL && !remember_body (mstate, added, TRUE, &error))
    {
      mstate->dirty = TRUE;
      ms_state_note_failure (self, error);
      return;
    }
  build (line, mstate, data);
  if (!append_log (mstate, line, &error))
    {
      mstate->dirty = TRUE;
      ms_state_note_failure (self, error);
    }
}

static void
build_add (GString      *line,
           MailboxState *mstate,
           gpointer      data)
{
  append_add_record (line, mstate, data);
}

static void
on_message_added (MsMailbox    *mailbox,
                  MsMessage    *message,
                  MailboxState *mstate)
{
  save_change (mstate, message, build_add, message);
}

static void
build_flags (GString      *line,
             MailboxState *mstate,
             gpointer      data)
{
  MsMessage *message = data;

  append_counters (line, 'F', mstate->mailbox);
  g_string_append_printf (line, " %u ", ms_message_get_uid (message));
  ms_state_append_flags (line, ms_message_get_flags (message), ms_message_get_keywords (message));
  g_string_append_c (line, '\n');
}

static void
on_flags_changed (MsMailbox    *mailbox,
                  MsMessage    *message,
                  guint         index,
                  MailboxState *mstate)
{
  save_change (mstate, NULL, build_flags, message);
}

static void
build_expunge (GString      *line,
               MailboxState *mstate,
               gpointer      data)
{
  append_counters (line, 'X', mstate->mailbox);
  g_string_append_printf (line, " %u\n", GPOINTER_TO_UINT (data));
}

static void
on_message_expunged (MsMailbox    *mailbox,
                     guint         uid,
                     guint         index,
                     MailboxState *mstate)
{
  g_hash_table_remove (mstate->digests, GUINT_TO_POINTER (uid));
  save_change (mstate, NULL, build_expunge, GUINT_TO_POINTER (uid));
}

/* The mailboxes file changes (a mailbox is created, renamed, deleted or
 * changes role or subscription). */
static void
save_mailboxes (AccountState *astate)
{
  GError *error = NULL;

  if (!ms_state_write_mailboxes_file (astate, &error))
    {
      astate->dirty = TRUE;
      ms_state_note_failure (astate->state, error);
      return;
    }
  astate->dirty = FALSE;
  note_success (astate->state);
}

static void
on_mailbox_notify (MsMailbox    *mailbox,
                   GParamSpec   *pspec,
                   MailboxState *mstate)
{
  save_mailboxes (mstate->account);
}

void
ms_state_mailbox_state_free (gpointer data)
{
  MailboxState *mstate = data;

  g_signal_handlers_disconnect_by_data (mstate->mailbox, mstate);
  if (mstate->log_fd >= 0)
    close (mstate->log_fd);
  g_hash_table_unref (mstate->digests);
  g_object_unref (mstate->mailbox);
  g_free (mstate);
}

MailboxState *
ms_state_add_mailbox_state (AccountState *astate,
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

void
ms_state_connect_mailbox (MailboxState *mstate)
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
 * the mailboxes file, so nothing that file names can be missing. The state
 * follows the mailbox from the start, so that a failed write is repaired
 * later rather than leaving the mailbox unwatched. */
gboolean
ms_state_write_new_mailbox (AccountState  *astate,
                            MsMailbox     *mailbox,
                            gboolean       bulk,
                            GError       **error)
{
  MailboxState *mstate = ms_state_add_mailbox_state (astate, mailbox, astate->next_id);

  ms_state_connect_mailbox (mstate);
  mstate->dirty = TRUE;
  return write_mailbox (mstate, !bulk, error) &&
         ms_state_note_uidvalidity (astate->state, ms_mailbox_get_uidvalidity (mailbox), error);
}

void
ms_state_on_mailbox_created (MsAccount    *account,
                             MsMailbox    *mailbox,
                             AccountState *astate)
{
  GError *error = NULL;

  if (!ms_state_write_new_mailbox (astate, mailbox, FALSE, &error))
    {
      astate->dirty = TRUE;
      ms_state_note_failure (astate->state, error);
      return;
    }
  save_mailboxes (astate);
}

void
ms_state_on_mailbox_deleted (MsAccount    *account,
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
   * crash between the two steps leaves only a stray file behind. While the
   * old file may still name the journal, the journal must stay. */
  save_mailboxes (astate);
  if (astate->dirty)
    return;
  g_unlink (path);
  if (!ms_state_fsync_dir (astate->dir, &error))
    ms_state_note_failure (astate->state, error);
}

void
ms_state_on_mailbox_renamed (MsAccount    *account,
                             MsMailbox    *mailbox,
                             const char   *old_name,
                             AccountState *astate)
{
  save_mailboxes (astate);
}

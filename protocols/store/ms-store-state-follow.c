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

/* --- failures -------------------------------------------------------- */

/* A write failed: the change it was for is refused (ms_state_note_failure())
 * or, when it is on disk by other means already (the originals of a move
 * whose M records are written), stands (ms_state_note_backlog()). What a
 * failed write may have left torn is marked dirty by the caller, and
 * ms_state_repair() or the next change to it writes it again whole. The
 * store tells the servers, which answer the command with an error instead
 * of OK, and `serve` logs the change of state (not every failure: a full
 * disk would otherwise fill the log too). */
static void
note (MsStoreState *self,
      GError       *error,
      gboolean      refused)
{
  g_debug ("On-disk state in %s: %s", self->dir, error->message);
  if (refused)
    ms_store_note_persist_error (self->store, error);
  else
    ms_store_note_persist_backlog (self->store, error);
  g_clear_error (&self->error);
  self->error = error;
}

void
ms_state_note_failure (MsStoreState *self,
                       GError       *error)
{
  note (self, error, TRUE);
}

void
ms_state_note_backlog (MsStoreState *self,
                       GError       *error)
{
  note (self, error, FALSE);
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

/* An A record, or with @source an M record: the message moved here from
 * the message @source_uid of the mailbox @source (see ms-store-state.h). */
static void
append_message_record (GString      *line,
                       MailboxState *mstate,
                       MsMessage    *message,
                       guint32       uidnext,
                       guint64       hms,
                       MailboxState *source,
                       guint32       source_uid)
{
  const char *digest = g_hash_table_lookup (mstate->digests, GUINT_TO_POINTER (ms_message_get_uid (message)));

  g_assert (digest != NULL);
  g_string_append_printf (line, "%c %u %" G_GUINT64_FORMAT, source ? 'M' : 'A', uidnext, hms);
  if (source != NULL)
    g_string_append_printf (line, " %u %u", source->id, source_uid);
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
    append_message_record (text, mstate, ms_mailbox_get_message (mailbox, i), ms_mailbox_get_uidnext (mailbox),
                           ms_mailbox_get_highest_modseq (mailbox), NULL, 0);

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

/* Whole lines in one write, then fdatasync: after a crash the last line
 * is either all there or missing its '\n', and the reader drops a line
 * without one. When the write fails (a full disk), the journal is cut back
 * to where it was, so that what it says is still exactly what the mailbox
 * holds; only when even that fails is the mailbox marked to be written
 * again whole. */
static gboolean
append_log (MailboxState  *mstate,
            GString       *lines,
            guint          n_lines,
            GError       **error)
{
  const char *data = lines->str;
  gsize len = lines->len;
  off_t start;

  g_assert (mstate->log_fd >= 0 && !mstate->dirty);
  start = lseek (mstate->log_fd, 0, SEEK_END);
  errno = EIO;   /* a write() of 0 bytes sets none */
  while (start >= 0 && len > 0)
    {
      gssize n = write (mstate->log_fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      data += n;
      len -= n;
    }
  if (start < 0 || len > 0 || fdatasync (mstate->log_fd) != 0)
    {
      g_autofree char *path = log_path (mstate);
      int saved = errno;

      g_set_error (error, MS_STORE_ERROR, ms_state_errno_code (saved), "%s: cannot append: %s",
                   path, g_strerror (saved));
      if (start < 0 || ftruncate (mstate->log_fd, start) != 0 || fdatasync (mstate->log_fd) != 0)
        mstate->dirty = TRUE;
      return FALSE;
    }
  mstate->log_lines += n_lines;
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
  mstate->moved_from = FALSE;
  return TRUE;
}

/* A mailbox of the account waits to be written again whole. */
static gboolean
account_dirty (AccountState *astate)
{
  GHashTableIter iter;
  MailboxState *mstate;

  g_hash_table_iter_init (&iter, astate->mailboxes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mstate))
    if (mstate->dirty)
      return TRUE;
  return FALSE;
}

static gboolean
anything_dirty (MsStoreState *self)
{
  if (self->state_dirty)
    return TRUE;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      AccountState *astate = g_ptr_array_index (self->accounts, i);

      if (astate->dirty || account_dirty (astate))
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

  /* Nothing to write again (a failed write was cut back cleanly): the next
   * change may try, and only a write that works says that saving works. */
  if (!anything_dirty (self))
    return TRUE;
  for (guint i = 0; i < self->accounts->len && local_error == NULL; i++)
    {
      AccountState *astate = g_ptr_array_index (self->accounts, i);
      GHashTableIter iter;
      MailboxState *mstate;

      /* The sources of moves first: until they are written, other
       * journals' M records are all that marks their originals as gone. */
      for (int pass = 0; pass < 2; pass++)
        {
          g_hash_table_iter_init (&iter, astate->mailboxes);
          while (local_error == NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &mstate))
            if (mstate->dirty && (pass == 1 || mstate->moved_from))
              write_mailbox (mstate, TRUE, &local_error);
        }
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

/* --- the write-ahead journal (MsMailboxJournal) ----------------------- */

/* Before a change is written to @mstate's journal: a mailbox whose earlier
 * write failed is written again whole first (its journal may miss lines,
 * and nothing may follow that). A journal that has grown to twice the
 * lines it needs is rewritten short, but not while a mailbox of the account
 * waits to be written again: that one may be the source of a move whose
 * originals only this journal's M records still mark as gone. */
static gboolean
prepare (MailboxState  *mstate,
         GError       **error)
{
  if (mstate->dirty)
    return write_mailbox (mstate, TRUE, error);
  if (mstate->log_lines > 2 * ms_mailbox_get_n_messages (mstate->mailbox) + 64 &&
      !account_dirty (mstate->account) && !ms_state_rewrite_log (mstate, error))
    {
      mstate->dirty = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* A write for a change failed: the change is refused, and the store (so the
 * servers) learn why. */
static gboolean
refuse (MailboxState *mstate,
        GError       *error)
{
  ms_state_note_failure (mstate->account->state, error);
  return FALSE;
}

static void
forget_digests (MailboxState *mstate,
                GPtrArray    *messages)
{
  for (guint i = 0; i < messages->len; i++)
    g_hash_table_remove (mstate->digests, GUINT_TO_POINTER (ms_message_get_uid (g_ptr_array_index (messages, i))));
}

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* X records for @uids, ascending, as the mailbox will remove them. */
static void
append_expunges (GString       *lines,
                 const guint32 *uids,
                 guint          n_uids,
                 guint32        uidnext,
                 guint64        hms)
{
  for (guint i = 0; i < n_uids; i++)
    g_string_append_printf (lines, "X %u %" G_GUINT64_FORMAT " %u\n", uidnext, hms + i + 1, uids[i]);
}

static void
forget_uids (MailboxState  *mstate,
             const guint32 *uids,
             guint          n_uids)
{
  for (guint i = 0; i < n_uids; i++)
    g_hash_table_remove (mstate->digests, GUINT_TO_POINTER (uids[i]));
}

/* The bodies first, then the A (or M) records in one write: that write is
 * the moment the messages exist. For a move, the originals' X records
 * follow in the source's journal; if that write fails, the move still
 * happened (on the next start the M records remove the originals), so the
 * source is only marked to be written again. */
static gboolean
journal_add (MsMailbox     *mailbox,
             GPtrArray     *messages,
             MsMailbox     *source,
             const guint32 *source_uids,
             gpointer       data)
{
  MailboxState *mstate = data;
  MailboxState *sstate = source ? g_hash_table_lookup (mstate->account->mailboxes, source) : NULL;
  MsMessage *last = g_ptr_array_index (messages, messages->len - 1);
  g_autoptr(GString) lines = g_string_new (NULL);
  GError *error = NULL;

  if (!prepare (mstate, &error) || (sstate != NULL && !prepare (sstate, &error)))
    return refuse (mstate, error);
  for (guint i = 0; i < messages->len; i++)
    if (!remember_body (mstate, g_ptr_array_index (messages, i), TRUE, &error))
      {
        forget_digests (mstate, messages);
        return refuse (mstate, error);
      }
  for (guint i = 0; i < messages->len; i++)
    {
      MsMessage *message = g_ptr_array_index (messages, i);

      append_message_record (lines, mstate, message, ms_message_get_uid (message) + 1,
                             ms_message_get_modseq (message), sstate, sstate ? source_uids[i] : 0);
    }
  if (!append_log (mstate, lines, messages->len, &error))
    {
      forget_digests (mstate, messages);
      return refuse (mstate, error);
    }
  note_success (mstate->account->state);

  if (sstate != NULL)
    {
      g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
      guint64 hms = sstate == mstate ? ms_message_get_modseq (last) : ms_mailbox_get_highest_modseq (source);
      guint32 uidnext = sstate == mstate ? ms_message_get_uid (last) + 1 : ms_mailbox_get_uidnext (source);

      g_array_append_vals (uids, source_uids, messages->len);
      g_array_sort (uids, compare_uid);
      g_string_truncate (lines, 0);
      append_expunges (lines, (const guint32 *) uids->data, uids->len, uidnext, hms);
      forget_uids (sstate, (const guint32 *) uids->data, uids->len);
      if (!append_log (sstate, lines, uids->len, &error))
        {
          /* Written again whole before anything else (ms_state_repair()). */
          sstate->dirty = TRUE;
          sstate->moved_from = TRUE;
          ms_state_note_backlog (mstate->account->state, error);
        }
    }
  return TRUE;
}

/* One F record per message, all in one write and one fsync. Should a
 * crash cut the write, each whole line is one message's new flags and each
 * torn one is ignored: every message has either its old flags or its new
 * ones, and the client, which had no answer yet, cannot tell. */
static gboolean
journal_flags (MsMailbox         *mailbox,
               MsMessage * const *messages,
               guint              n_messages,
               gpointer           data)
{
  MailboxState *mstate = data;
  g_autoptr(GString) lines = g_string_new (NULL);
  GError *error = NULL;

  if (!prepare (mstate, &error))
    return refuse (mstate, error);
  for (guint i = 0; i < n_messages; i++)
    {
      MsMessage *message = messages[i];

      g_string_append_printf (lines, "F %u %" G_GUINT64_FORMAT " %u ", ms_mailbox_get_uidnext (mailbox),
                              ms_message_get_modseq (message), ms_message_get_uid (message));
      ms_state_append_flags (lines, ms_message_get_flags (message), ms_message_get_keywords (message));
      g_string_append_c (lines, '\n');
    }
  if (!append_log (mstate, lines, n_messages, &error))
    return refuse (mstate, error);
  note_success (mstate->account->state);
  return TRUE;
}

static gboolean
journal_expunge (MsMailbox     *mailbox,
                 const guint32 *uids,
                 guint          n_uids,
                 gpointer       data)
{
  MailboxState *mstate = data;
  g_autoptr(GString) lines = g_string_new (NULL);
  GError *error = NULL;

  if (!prepare (mstate, &error))
    return refuse (mstate, error);
  append_expunges (lines, uids, n_uids, ms_mailbox_get_uidnext (mailbox),
                   ms_mailbox_get_highest_modseq (mailbox));
  if (!append_log (mstate, lines, n_uids, &error))
    return refuse (mstate, error);
  forget_uids (mstate, uids, n_uids);
  note_success (mstate->account->state);
  return TRUE;
}

static const MsMailboxJournal journal = {
  .add = journal_add,
  .flags = journal_flags,
  .expunge = journal_expunge,
};

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
  ms_mailbox_set_journal (mstate->mailbox, NULL, NULL);
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
  ms_mailbox_set_journal (mstate->mailbox, &journal, mstate);
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

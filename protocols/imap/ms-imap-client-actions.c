/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-imap-client-private.h"
#include "ms-client-local.h"

static gboolean
same_folder (const char *a,
             const char *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (g_ascii_strcasecmp (a, "INBOX") == 0)
    return g_ascii_strcasecmp (b, "INBOX") == 0;
  return strcmp (a, b) == 0;
}

/* What the action does, one fragment of its summary (takes @what over). */
static void
note (MsImapClient *self,
      MsPhrase     *what)
{
  g_ptr_array_add (self->job_notes, what);
}

/* The second half of what an offline change says. */
static MsPhrase *
queued_for_the_server (void)
{
  return ms_phrase_new (NC_ ("transcript", "queued for the server"));
}

/* The notes so far, as a new list. */
static MsPhrase *
notes_list (MsImapClient *self)
{
  MsPhrase *list = ms_phrase_list_new ("; ");

  for (guint i = 0; i < self->job_notes->len; i++)
    ms_phrase_list_append (list, ms_phrase_ref (g_ptr_array_index (self->job_notes, i)));
  return list;
}

void
ms_imap_client_plan_select (MsImapClient *self,
                            const char   *mailbox,
                            gboolean      sync)
{
  const char *name = mailbox ? mailbox : "INBOX";

  if (!same_folder (self->planned, name))
    {
      g_autofree char *quoted = ms_imap_client_quote (name);

      ms_imap_client_queue (self, CMD_SELECT, name, "SELECT", "SELECT %s", quoted);
      g_free (self->planned);
      self->planned = g_strdup (name);
    }
  if (sync)
    ms_imap_client_queue (self, CMD_SYNC, name, "SYNC", NULL);
}

const char *
ms_imap_client_role_name (MsImapClient  *self,
                          MsMailboxRole  role,
                          const char    *fallback)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->listed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_INT (value) == (int) role)
      return key;
  {
    MsAccount *account = ms_client_local_account (self->store, self->user);
    MsMailbox *local = ms_account_lookup_role (account, role);

    if (local)
      return ms_mailbox_get_name (local);
  }
  return fallback;
}

/* The message an action names: "uid:N" (queued offline) or a local selector. */
static MsImapCachedMessage *
resolve (MsImapClient         *self,
         const MsClientAction *action,
         MsMessage           **message_out,
         MsPhrase            **subject_out)
{
  const char *mbox = action->mailbox ? action->mailbox : "INBOX";
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, mbox);
  MsMailbox *local = ms_imap_client_local_mailbox (self, mbox, FALSE);
  MsImapCachedMessage *entry = NULL;
  MsMessage *message = NULL;

  if (action->message && g_str_has_prefix (action->message, "uid:"))
    {
      guint64 uid = 0;

      if (g_ascii_string_to_unsigned (action->message + 4, 10, 1, G_MAXUINT32, &uid, NULL))
        {
          static MsImapCachedMessage detached;

          /* Deleted or moved locally while offline: no entry is left, only the UID. */
          entry = ms_imap_client_cache_lookup (cache, uid);
          if (entry == NULL)
            {
              memset (&detached, 0, sizeof detached);
              detached.server_uid = uid;
              entry = &detached;
            }
        }
    }
  else if (local)
    {
      message = ms_client_local_find (local, action->message, NULL);
      entry = message ? ms_imap_client_cache_find_local (cache, ms_message_get_uid (message)) : NULL;
    }
  if (entry && entry->local_uid && local && message == NULL)
    message = ms_mailbox_lookup_uid (local, entry->local_uid, NULL);
  if (message_out)
    *message_out = message;
  if (subject_out)
    {
      g_autofree char *subject = message ? ms_client_local_header (ms_message_get_raw (message), "Subject") : NULL;

      *subject_out = ms_client_local_quoted_phrase (subject ? subject : action->message ? action->message : "?");
    }
  return entry;
}

static void
queue_store (MsImapClient *self,
             const char   *mailbox,
             guint32       uid,
             MsFlags       flag,
             const char   *keyword,
             gboolean      remove,
             gboolean      silent)
{
  MsImapClientCommand *cmd;

  cmd = ms_imap_client_queue (self, CMD_STORE, mailbox, "UID STORE", "UID STORE %u %cFLAGS%s (%s)", uid,
                              remove ? '-' : '+', silent ? ".SILENT" : "",
                              keyword ? keyword : ms_flag_to_string (flag));
  cmd->uid = uid;
  cmd->flags = flag;
  cmd->keyword = g_strdup (keyword);
  cmd->remove = remove;
}

static void
queue_move (MsImapClient *self,
            const char   *mailbox,
            guint32       uid,
            const char   *target)
{
  g_autofree char *quoted = ms_imap_client_quote (target);
  MsImapClientCommand *cmd;

  if (g_hash_table_contains (self->caps, "MOVE"))
    {
      cmd = ms_imap_client_queue (self, CMD_MOVE, mailbox, "UID MOVE", "UID MOVE %u %s", uid, quoted);
      cmd->uid = uid;
      cmd->argument = g_strdup (target);
      return;
    }
  /* Without MOVE (RFC 6851): copy, mark deleted, expunge. */
  cmd = ms_imap_client_queue (self, CMD_COPY, mailbox, "UID COPY", "UID COPY %u %s", uid, quoted);
  cmd->uid = uid;
  queue_store (self, mailbox, uid, MS_FLAG_DELETED, NULL, FALSE, TRUE);
  ms_imap_client_queue (self, CMD_EXPUNGE, mailbox, "EXPUNGE", "EXPUNGE");
}

static gboolean
plan_message_action (MsImapClient         *self,
                     const MsClientAction *action,
                     MsPhrase            **summary)
{
  const char *mbox = action->mailbox ? action->mailbox : "INBOX";
  g_autoptr(MsPhrase) what = NULL;
  MsMessage *message = NULL;
  MsImapCachedMessage *entry = resolve (self, action, &message, &what);
  MsImapClientCommand *cmd;

  if (entry == NULL && !self->replaying)
    {
      MsImapClientCommand *plan;

      /* Not known here yet (the device never synced this folder): sync it
       * first, as a client shows the list before the user picks a message. */
      ms_imap_client_plan_select (self, mbox, TRUE);
      plan = ms_imap_client_queue (self, CMD_PLAN, mbox, "PLAN", NULL);
      plan->plan = ms_client_action_copy (action);
      return TRUE;
    }
  if (entry == NULL)
    {
      *summary = ms_phrase_new (NC_ ("transcript", "no message matches %s in %s here"),
                                ms_client_local_quoted_phrase (action->message), ms_phrase_text (mbox));
      return FALSE;
    }
  ms_imap_client_plan_select (self, mbox, FALSE);

  switch (action->kind)
    {
    case MS_CLIENT_ACTION_OPEN:
      {
        gboolean text_only = !self->policy.fetch_attachments_on_open && entry->attachment_mask != 0;
        gboolean have = entry->level == MS_IMAP_CACHE_FULL || (text_only && entry->level == MS_IMAP_CACHE_TEXT);
        gboolean seen = message && ms_message_has_flag (message, MS_FLAG_SEEN);
        const char *section = text_only ? "1" : "";

        if (have)
          {
            note (self, ms_phrase_new (NC_ ("transcript", "opened %s from the local cache, no download"),
                                       ms_phrase_ref (what)));
            if (!seen)
              queue_store (self, mbox, entry->server_uid, MS_FLAG_SEEN, NULL, FALSE, FALSE);
            return TRUE;
          }
        cmd = ms_imap_client_queue (self, CMD_FETCH_BODY, mbox, "UID FETCH", "UID FETCH %u (BODY%s[%s])",
                                    entry->server_uid, self->policy.peek ? ".PEEK" : "", section);
        cmd->uid = entry->server_uid;
        if (self->policy.peek && !seen)
          queue_store (self, mbox, entry->server_uid, MS_FLAG_SEEN, NULL, FALSE, FALSE);
        if (text_only)
          {
            guint n_att = 0;
            guint64 att_bytes = 0;

            for (guint i = 0; i < 32 && i < entry->n_parts; i++)
              if (entry->attachment_mask & (1u << i))
                {
                  n_att++;
                  att_bytes += i < G_N_ELEMENTS (entry->part_size) ? entry->part_size[i] : 0;
                }
            note (self, self->policy.peek
                        ? ms_phrase_new (NC_ ("transcript", "opened %s: fetched only the text part (BODY.PEEK[1])"),
                                         ms_phrase_ref (what))
                        : ms_phrase_new (NC_ ("transcript", "opened %s: fetched only the text part (BODY[1])"),
                                         ms_phrase_ref (what)));
            note (self, ms_phrase_new_plural (MS_NP ("transcript",
                                                     "%u attachment (%s) stays on the server until opened",
                                                     "%u attachments (%s) stay on the server until opened"),
                                              n_att, ms_phrase_uint (n_att),
                                              ms_client_local_size_phrase (att_bytes)));
          }
        else if (self->policy.peek)
          note (self, ms_phrase_new (NC_ ("transcript", "opened %s: fetched it with BODY.PEEK[] (no \\Seen) and then "
                                          "set \\Seen with STORE"), ms_phrase_ref (what)));
        else
          note (self, ms_phrase_new (NC_ ("transcript", "opened %s: fetched it with BODY[], which made the server "
                                          "set \\Seen"), ms_phrase_ref (what)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_OPEN_PART:
      {
        const char *part = action->argument ? action->argument : "2";
        guint64 n = 0;

        if (!g_ascii_string_to_unsigned (part, 10, 1, 32, &n, NULL))
          {
            *summary = ms_phrase_new (NC_ ("transcript", "%s is not a part number"),
                                      ms_client_local_quoted_phrase (part));
            return FALSE;
          }
        if (entry->level == MS_IMAP_CACHE_FULL || (entry->parts_here & (1u << (n - 1))))
          {
            note (self, ms_phrase_new (NC_ ("transcript", "opened part %s of %s from the local cache"),
                                       ms_phrase_text (part), ms_phrase_ref (what)));
            return TRUE;
          }
        cmd = ms_imap_client_queue (self, CMD_FETCH_BODY, mbox, "UID FETCH", "UID FETCH %u (BODY.PEEK[%s])",
                                    entry->server_uid, part);
        cmd->uid = entry->server_uid;
        note (self, ms_phrase_new (NC_ ("transcript", "opened part %s of %s: fetched just that part (BODY.PEEK[%s])"),
                                   ms_phrase_text (part), ms_phrase_ref (what), ms_phrase_text (part)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_MARK_READ:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_SEEN, NULL, FALSE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "marked %s read on the server (every device will see it)"),
                                 ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_MARK_UNREAD:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_SEEN, NULL, TRUE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "marked %s unread on the server"), ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_FLAG:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_FLAGGED, NULL, FALSE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "flagged %s on the server"), ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_UNFLAG:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_FLAGGED, NULL, TRUE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "removed the flag from %s on the server"), ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_REPLY:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_ANSWERED, NULL, FALSE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "marked %s \\Answered on the server"), ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_FORWARD:
      queue_store (self, mbox, entry->server_uid, MS_FLAG_NONE, "$Forwarded", FALSE, FALSE);
      note (self, ms_phrase_new (NC_ ("transcript", "marked %s $Forwarded on the server"), ms_phrase_ref (what)));
      return TRUE;
    case MS_CLIENT_ACTION_DELETE:
      {
        const char *trash = ms_imap_client_role_name (self, MS_MAILBOX_ROLE_TRASH, "Trash");

        if (self->policy.delete_mode == MS_DELETE_MODE_MOVE_TO_TRASH && !same_folder (mbox, trash))
          {
            queue_move (self, mbox, entry->server_uid, trash);
            note (self, ms_phrase_new (NC_ ("transcript", "deleted %s by moving it to %s on the server"),
                                       ms_phrase_ref (what), ms_phrase_text (trash)));
          }
        else if (self->policy.delete_mode == MS_DELETE_MODE_FLAG_ONLY)
          {
            queue_store (self, mbox, entry->server_uid, MS_FLAG_DELETED, NULL, FALSE, FALSE);
            note (self, ms_phrase_new (NC_ ("transcript", "marked %s \\Deleted"), ms_phrase_ref (what)));
            note (self, ms_phrase_new (NC_ ("transcript", "it stays on the server until some client expunges")));
          }
        else
          {
            queue_store (self, mbox, entry->server_uid, MS_FLAG_DELETED, NULL, FALSE, TRUE);
            ms_imap_client_queue (self, CMD_EXPUNGE, mbox, "EXPUNGE", "EXPUNGE");
            note (self, ms_phrase_new (NC_ ("transcript", "deleted %s on the server (\\Deleted, then EXPUNGE)"),
                                       ms_phrase_ref (what)));
          }
        return TRUE;
      }
    case MS_CLIENT_ACTION_MOVE:
      if (action->argument == NULL || same_folder (action->argument, mbox))
        {
          *summary = ms_phrase_new (NC_ ("transcript", "move needs another folder as its argument"));
          return FALSE;
        }
      queue_move (self, mbox, entry->server_uid, action->argument);
      note (self, ms_phrase_new (NC_ ("transcript", "moved %s to %s on the server"),
                                 ms_phrase_ref (what), ms_phrase_text (action->argument)));
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
plan_online (MsImapClient         *self,
             const MsClientAction *action,
             MsPhrase            **summary)
{
  const char *mbox = action->mailbox ? action->mailbox : "INBOX";
  MsImapClientCommand *cmd;

  switch (action->kind)
    {
    case MS_CLIENT_ACTION_CHECK:
      ms_imap_client_plan_select (self, mbox, TRUE);
      note (self, ms_phrase_new (NC_ ("transcript", "synced %s"), ms_phrase_text (mbox)));
      return TRUE;
    case MS_CLIENT_ACTION_SEARCH:
      {
        g_autofree char *quoted = ms_imap_client_quote (action->argument);

        ms_imap_client_plan_select (self, mbox, FALSE);
        cmd = ms_imap_client_queue (self, CMD_SEARCH, mbox, "UID SEARCH", "UID SEARCH TEXT %s", quoted);
        note (self, ms_phrase_new (NC_ ("transcript", "asked the server to search %s for %s"),
                                   ms_phrase_text (mbox), ms_phrase_text (quoted)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_CREATE_FOLDER:
      {
        g_autofree char *quoted = ms_imap_client_quote (action->argument);

        cmd = ms_imap_client_queue (self, CMD_CREATE, NULL, "CREATE", "CREATE %s", quoted);
        cmd->argument = g_strdup (action->argument);
        note (self, ms_phrase_new (NC_ ("transcript", "created the folder %s on the server"),
                                   ms_phrase_text (action->argument)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_RENAME_FOLDER:
      {
        g_autofree char *from = ms_imap_client_quote (action->mailbox);
        g_autofree char *to = ms_imap_client_quote (action->argument);

        if (action->mailbox == NULL || action->argument == NULL)
          {
            *summary = ms_phrase_new (NC_ ("transcript", "rename needs the folder (mailbox) and the new name "
                                           "(argument)"));
            return FALSE;
          }
        cmd = ms_imap_client_queue (self, CMD_RENAME, action->mailbox, "RENAME", "RENAME %s %s", from, to);
        cmd->argument = g_strdup (action->argument);
        if (same_folder (self->planned, action->mailbox))
          {
            g_free (self->planned);
            self->planned = g_strdup (action->argument);
          }
        note (self, ms_phrase_new (NC_ ("transcript", "renamed the folder %s to %s on the server"),
                                   ms_phrase_text (action->mailbox), ms_phrase_text (action->argument)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_DELETE_FOLDER:
      {
        g_autofree char *quoted = ms_imap_client_quote (action->argument);

        if (same_folder (self->planned, action->argument))
          ms_imap_client_plan_select (self, "INBOX", FALSE);
        cmd = ms_imap_client_queue (self, CMD_DELETE, NULL, "DELETE", "DELETE %s", quoted);
        cmd->argument = g_strdup (action->argument);
        note (self, ms_phrase_new (NC_ ("transcript", "deleted the folder %s on the server"),
                                   ms_phrase_text (action->argument)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_SAVE_SENT:
      {
        const char *sent = ms_imap_client_role_name (self, MS_MAILBOX_ROLE_SENT, "Sent");
        g_autofree char *quoted = ms_imap_client_quote (sent);
        g_autoptr(GBytes) raw = NULL;

        if (action->raw == NULL)
          {
            *summary = ms_phrase_new (NC_ ("transcript", "nothing to save"));
            return FALSE;
          }
        raw = ms_store_normalize_crlf (action->raw);
        if (!g_hash_table_contains (self->listed, sent))
          {
            cmd = ms_imap_client_queue (self, CMD_CREATE, NULL, "CREATE", "CREATE %s", quoted);
            cmd->argument = g_strdup (sent);
            cmd->optional = TRUE;   /* it may exist unlisted; APPEND will tell */
          }
        cmd = ms_imap_client_queue (self, CMD_APPEND, sent, "APPEND", "APPEND %s (\\Seen) {%" G_GSIZE_FORMAT "}",
                                    quoted, g_bytes_get_size (raw));
        cmd->literal = g_bytes_ref (raw);
        note (self, ms_phrase_new (NC_ ("transcript", "saved the sent message in %s on the server (APPEND), so "
                                        "every device sees it"), ms_phrase_text (sent)));
        return TRUE;
      }
    case MS_CLIENT_ACTION_IDLE:
      ms_imap_client_plan_select (self, mbox, FALSE);
      ms_imap_client_queue (self, CMD_IDLE, mbox, "IDLE", "IDLE");
      note (self, ms_phrase_new (NC_ ("transcript", "idling in %s: the server will push new mail"),
                                 ms_phrase_text (mbox)));
      return TRUE;
    case MS_CLIENT_ACTION_DISCONNECT:
      ms_imap_client_queue (self, CMD_LOGOUT, NULL, "LOGOUT", "LOGOUT");
      note (self, ms_phrase_new (NC_ ("transcript", "logged out")));
      return TRUE;
    case MS_CLIENT_ACTION_RESYNC:
      {
        GPtrArray *queued = ms_imap_client_cache_offline_queue (self->store, self->user);
        guint n = queued->len;

        for (guint i = 0; i < queued->len; i++)
          {
            g_autoptr(MsPhrase) ignored = NULL;

            plan_online (self, g_ptr_array_index (queued, i), &ignored);
          }
        g_ptr_array_set_size (queued, 0);
        g_ptr_array_set_size (self->job_notes, 0);
        ms_imap_client_plan_select (self, "INBOX", TRUE);
        note (self, ms_phrase_new_plural (MS_NP ("transcript", "replayed %u action done offline and synced INBOX",
                                                 "replayed %u actions done offline and synced INBOX"),
                                          n, ms_phrase_uint (n)));
        return TRUE;
      }
    default:
      return plan_message_action (self, action, summary);
    }
}

gboolean
ms_imap_client_plan_action (MsImapClient         *self,
                            const MsClientAction *action,
                            MsPhrase            **summary)
{
  if (g_queue_is_empty (self->queue) && self->current == NULL)
    {
      g_free (self->planned);
      self->planned = g_strdup (self->selected);
    }
  else if (self->current && self->current->kind == CMD_IDLE)
    {
      g_free (self->planned);
      self->planned = g_strdup (self->selected);
    }
  g_ptr_array_set_size (self->job_notes, 0);
  if (!plan_online (self, action, summary))
    return FALSE;
  if (summary && *summary == NULL)
    *summary = notes_list (self);
  return TRUE;
}

static void
queue_offline (MsImapClient         *self,
               const MsClientAction *action,
               guint32               uid)
{
  MsClientAction *copy = ms_client_action_copy (action);

  if (uid != 0)
    {
      g_free (copy->message);
      copy->message = g_strdup_printf ("uid:%u", uid);
    }
  g_ptr_array_add (ms_imap_client_cache_offline_queue (self->store, self->user), copy);
}

gboolean
ms_imap_client_perform_offline (MsImapClient         *self,
                                const MsClientAction *action,
                                MsPhrase            **summary)
{
  const char *mbox = action->mailbox ? action->mailbox : "INBOX";
  MsAccount *account = ms_client_local_account (self->store, self->user);
  MsMailbox *local = ms_imap_client_local_mailbox (self, mbox, FALSE);
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, mbox);
  g_autoptr(MsPhrase) what = NULL;
  MsMessage *message = NULL;
  MsImapCachedMessage *entry;
  MsFlags flag = MS_FLAG_NONE;
  const char *keyword = NULL;
  gboolean remove = FALSE;

  switch (action->kind)
    {
    case MS_CLIENT_ACTION_CHECK:
    case MS_CLIENT_ACTION_RESYNC:
    case MS_CLIENT_ACTION_IDLE:
      *summary = ms_phrase_new (NC_ ("transcript", "offline: the server cannot be reached"));
      return FALSE;
    case MS_CLIENT_ACTION_DISCONNECT:
      *summary = ms_phrase_new (NC_ ("transcript", "already offline"));
      return TRUE;
    case MS_CLIENT_ACTION_SEARCH:
      {
        guint found = 0, total = local ? ms_mailbox_get_n_messages (local) : 0;

        for (guint i = 0; i < total; i++)
          if (ms_client_local_matches (ms_message_get_raw (ms_mailbox_get_message (local, i)), action->argument))
            found++;
        *summary = ms_phrase_new (NC_ ("transcript", "offline: searched only the local cache, %u of %u match "
                                       "(bodies never downloaded were not searched)"),
                                  ms_phrase_uint (found), ms_phrase_uint (total));
        return TRUE;
      }
    case MS_CLIENT_ACTION_CREATE_FOLDER:
      if (ms_account_create_mailbox (account, action->argument ? action->argument : "", NULL) == NULL)
        break;
      queue_offline (self, action, 0);
      *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "offline: created %s here"),
                                                               ms_phrase_text (action->argument)),
                                                queued_for_the_server ());
      return TRUE;
    case MS_CLIENT_ACTION_RENAME_FOLDER:
      if (!ms_account_rename_mailbox (account, action->mailbox ? action->mailbox : "",
                                      action->argument ? action->argument : "", NULL))
        break;
      ms_imap_client_cache_rename_mailbox (self->store, self->user, action->mailbox, action->argument);
      queue_offline (self, action, 0);
      *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "offline: renamed %s to %s here"),
                                                               ms_phrase_text (action->mailbox),
                                                               ms_phrase_text (action->argument)),
                                                queued_for_the_server ());
      return TRUE;
    case MS_CLIENT_ACTION_DELETE_FOLDER:
      if (!ms_account_delete_mailbox (account, action->argument ? action->argument : "", NULL))
        break;
      ms_imap_client_cache_drop_mailbox (self->store, self->user, action->argument);
      queue_offline (self, action, 0);
      *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "offline: deleted %s here"),
                                                               ms_phrase_text (action->argument)),
                                                queued_for_the_server ());
      return TRUE;
    case MS_CLIENT_ACTION_SAVE_SENT:
      queue_offline (self, action, 0);
      *summary = ms_phrase_new (NC_ ("transcript", "offline: the sent message waits in the queue for APPEND"));
      return TRUE;
    default:
      break;
    }
  if (action->kind == MS_CLIENT_ACTION_CREATE_FOLDER || action->kind == MS_CLIENT_ACTION_RENAME_FOLDER ||
      action->kind == MS_CLIENT_ACTION_DELETE_FOLDER)
    {
      *summary = ms_phrase_new (NC_ ("transcript", "offline: the folder change failed locally"));
      return FALSE;
    }

  entry = resolve (self, action, &message, &what);
  if (entry == NULL || message == NULL || local == NULL)
    {
      *summary = ms_phrase_new (NC_ ("transcript", "offline: no cached message matches %s"),
                                ms_client_local_quoted_phrase (action->message));
      return FALSE;
    }
  switch (action->kind)
    {
    case MS_CLIENT_ACTION_OPEN:
      if (entry->level < MS_IMAP_CACHE_TEXT)
        {
          *summary = ms_phrase_new (NC_ ("transcript", "offline: %s was never downloaded (headers only), so it "
                                         "cannot be read"), g_steal_pointer (&what));
          return FALSE;
        }
      if (!ms_message_has_flag (message, MS_FLAG_SEEN))
        {
          MsClientAction mark = *action;

          mark.kind = MS_CLIENT_ACTION_MARK_READ;
          ms_mailbox_store_flags (local, message, MS_FLAGS_ADD, MS_FLAG_SEEN, NULL);
          queue_offline (self, &mark, entry->server_uid);
        }
      *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "offline: opened %s from the "
                                                                    "cache"), g_steal_pointer (&what)),
                                                ms_phrase_new (NC_ ("transcript", "\\Seen is queued for the "
                                                                    "server")));
      return TRUE;
    case MS_CLIENT_ACTION_OPEN_PART:
      *summary = entry->level == MS_IMAP_CACHE_FULL
                 ? ms_phrase_new (NC_ ("transcript", "offline: the attachment of %s was opened from the cache"),
                                  g_steal_pointer (&what))
                 : ms_phrase_new (NC_ ("transcript", "offline: the attachment of %s was never downloaded"),
                                  g_steal_pointer (&what));
      return entry->level == MS_IMAP_CACHE_FULL;
    case MS_CLIENT_ACTION_MARK_READ:   flag = MS_FLAG_SEEN; break;
    case MS_CLIENT_ACTION_MARK_UNREAD: flag = MS_FLAG_SEEN; remove = TRUE; break;
    case MS_CLIENT_ACTION_FLAG:        flag = MS_FLAG_FLAGGED; break;
    case MS_CLIENT_ACTION_UNFLAG:      flag = MS_FLAG_FLAGGED; remove = TRUE; break;
    case MS_CLIENT_ACTION_REPLY:       flag = MS_FLAG_ANSWERED; break;
    case MS_CLIENT_ACTION_FORWARD:     keyword = "$Forwarded"; break;
    case MS_CLIENT_ACTION_DELETE:
    case MS_CLIENT_ACTION_MOVE:
      {
        guint32 uid = entry->server_uid;
        MsPhrase *done = action->kind == MS_CLIENT_ACTION_DELETE
                         ? ms_phrase_new (NC_ ("transcript", "offline: deleted %s here"), g_steal_pointer (&what))
                         : ms_phrase_new (NC_ ("transcript", "offline: moved %s here"), g_steal_pointer (&what));

        queue_offline (self, action, uid);
        ms_imap_client_cache_remove (cache, local, uid);
        *summary = ms_client_local_two_fragments (done, queued_for_the_server ());
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
  {
    const char *keywords[] = { keyword, NULL };

    ms_mailbox_store_flags (local, message, remove ? MS_FLAGS_REMOVE : MS_FLAGS_ADD, flag, keyword ? keywords : NULL);
  }
  queue_offline (self, action, entry->server_uid);
  *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "offline: changed %s here"),
                                                           g_steal_pointer (&what)),
                                            ms_phrase_new (NC_ ("transcript", "the change is queued for the "
                                                                "server")));
  return TRUE;
}

/* What a sync needs, decided when the sync is reached (the cache may have
 * changed since it was planned): the flags of what is cached (which also
 * shows what vanished), then the headers of what is new. */
void
ms_imap_client_expand_sync (MsImapClient *self)
{
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, self->selected);
  guint32 high = cache->max_uid;
  g_autoptr(GQueue) expansion = g_queue_new ();
  MsImapClientCommand *cmd;

  g_hash_table_remove_all (self->refreshed);
  if (self->exists == 0)
    {
      /* An empty folder: whatever is cached has vanished. */
      MsMailbox *local = ms_imap_client_local_mailbox (self, self->selected, TRUE);

      self->job_vanished += g_hash_table_size (cache->by_uid);
      if (g_hash_table_size (cache->by_uid) > 0)
        ms_imap_client_cache_clear (cache, local);
      cache->uidvalidity = self->select_uidvalidity;
      return;
    }
  if (high > 0 && g_hash_table_size (cache->by_uid) > 0)
    {
      cmd = g_new0 (MsImapClientCommand, 1);
      cmd->kind = CMD_FETCH_FLAGS;
      cmd->verb = g_strdup ("UID FETCH");
      cmd->mailbox = g_strdup (self->selected);
      cmd->uid = high;
      cmd->line = g_strdup_printf ("UID FETCH 1:%u (FLAGS)", high);
      g_queue_push_tail (expansion, cmd);
    }
  cmd = g_new0 (MsImapClientCommand, 1);
  cmd->kind = CMD_FETCH_NEW;
  cmd->verb = g_strdup ("UID FETCH");
  cmd->mailbox = g_strdup (self->selected);
  cmd->line = g_strdup_printf ("UID FETCH %u:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", high + 1);
  g_queue_push_tail (expansion, cmd);
  while ((cmd = g_queue_pop_tail (expansion)) != NULL)
    g_queue_push_head (self->queue, cmd);
}

void
ms_imap_client_plan_deferred (MsImapClient         *self,
                              const MsClientAction *action)
{
  MsPhrase *summary = NULL;
  g_autoptr(GQueue) before = g_queue_new ();
  MsImapClientCommand *cmd;

  /* Plan onto an empty queue, then put back what was waiting behind. */
  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    g_queue_push_tail (before, cmd);
  g_free (self->planned);
  self->planned = g_strdup (self->selected);
  self->replaying = TRUE;
  if (!plan_message_action (self, action, &summary))
    ms_imap_client_note_failure (self, summary);
  self->replaying = FALSE;
  while ((cmd = g_queue_pop_head (before)) != NULL)
    g_queue_push_tail (self->queue, cmd);
}

MsPhrase *
ms_imap_client_job_summary (MsImapClient *self)
{
  MsPhrase *s = notes_list (self);
  gboolean syncing = self->action == NULL || self->action->kind == MS_CLIENT_ACTION_CHECK ||
                     self->action->kind == MS_CLIENT_ACTION_RESYNC;

  if (self->job_new > 0)
    ms_phrase_list_append (s, ms_phrase_new_plural (MS_NP ("transcript", "%u new message (headers only)",
                                                           "%u new messages (headers only)"),
                                                    self->job_new, ms_phrase_uint (self->job_new)));
  /* After the user's own change the server's echo is no news. */
  if (syncing && self->job_flag_updates > 0)
    ms_phrase_list_append (s, ms_phrase_new_plural (MS_NP ("transcript", "%u flag change from the server",
                                                           "%u flag changes from the server"),
                                                    self->job_flag_updates, ms_phrase_uint (self->job_flag_updates)));
  if (syncing && self->job_vanished > 0)
    ms_phrase_list_append (s, ms_phrase_new (NC_ ("transcript", "%u removed here because the server no longer "
                                                  "has them"), ms_phrase_uint (self->job_vanished)));
  if (self->action && self->action->kind == MS_CLIENT_ACTION_SEARCH && !self->job_failed)
    ms_phrase_list_append (s, ms_phrase_new (NC_ ("transcript", "the server found %u"),
                                             ms_phrase_uint (self->search_result->len)));
  if (self->job_bytes_in > 0)
    ms_phrase_list_append (s, ms_phrase_new (NC_ ("transcript", "%s from the server"),
                                             ms_client_local_size_phrase (self->job_bytes_in)));
  if (self->job_failed && self->job_failure != NULL)
    ms_phrase_list_append (s, ms_phrase_new (NC_ ("transcript", "failed: %s"), ms_phrase_ref (self->job_failure)));
  return s;
}

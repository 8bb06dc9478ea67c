/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-pop3-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-pop3-client-local.h"
#include "ms-client-local.h"

typedef struct
{
  char    *mailbox;        /* where the local copy is now, or NULL once deleted here */
  guint32  local_uid;
  gint64   downloaded_at;  /* virtual Unix seconds */
} SeenEntry;

typedef struct
{
  GHashTable *entries;  /* UIDL → SeenEntry */
  GHashTable *pending;  /* UIDLs to DELE at the next check (deleted here) */
} SeenTable;

static void
seen_entry_free (gpointer data)
{
  SeenEntry *entry = data;

  g_free (entry->mailbox);
  g_free (entry);
}

static void
seen_table_free (gpointer data)
{
  SeenTable *table = data;

  g_hash_table_unref (table->entries);
  g_hash_table_unref (table->pending);
  g_free (table);
}

/* Kept as data on the store object so it shares the store's fate: a device
 * that crashes gets a new store and forgets, like a reinstalled client. */
static SeenTable *
get_table (MsStore    *store,
           const char *user)
{
  g_autofree char *key = g_strconcat ("ms-pop3-client-seen/", user, NULL);
  SeenTable *table = g_object_get_data (G_OBJECT (store), key);

  if (table == NULL)
    {
      table = g_new0 (SeenTable, 1);
      table->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, seen_entry_free);
      table->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_object_set_data_full (G_OBJECT (store), key, table, seen_table_free);
    }
  return table;
}

gboolean
ms_pop3_client_local_is_seen (MsStore    *store,
                              const char *user,
                              const char *uidl)
{
  return g_hash_table_contains (get_table (store, user)->entries, uidl);
}

gboolean
ms_pop3_client_local_should_delete (MsStore              *store,
                                    const char           *user,
                                    const char           *uidl,
                                    const MsClientPolicy *policy,
                                    gint64                now)
{
  SeenTable *table = get_table (store, user);
  SeenEntry *entry = g_hash_table_lookup (table->entries, uidl);

  if (entry == NULL)
    return FALSE;
  if (!policy->leave_on_server)
    return TRUE;
  if (policy->delete_when_deleted_here && g_hash_table_contains (table->pending, uidl))
    return TRUE;
  if (policy->delete_after_days >= 0 &&
      now - entry->downloaded_at >= (gint64) policy->delete_after_days * 24 * 3600)
    return TRUE;
  return FALSE;
}

void
ms_pop3_client_local_forget_missing (MsStore    *store,
                                     const char *user,
                                     GPtrArray  *listed)
{
  SeenTable *table = get_table (store, user);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < listed->len; i++)
    if (g_ptr_array_index (listed, i) != NULL)
      g_hash_table_add (present, g_ptr_array_index (listed, i));

  g_hash_table_iter_init (&iter, table->entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, table->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
}

void
ms_pop3_client_local_store_download (MsStore    *store,
                                     const char *user,
                                     const char *uidl,
                                     GBytes     *raw,
                                     gint64      now)
{
  MsAccount *account = ms_client_local_account (store, user);
  MsMailbox *inbox = ms_account_get_inbox (account);
  g_autoptr(GBytes) normal = ms_store_normalize_crlf (raw);
  MsMessage *message = ms_mailbox_append (inbox, normal, MS_FLAG_NONE, NULL, now, 0);

  if (uidl != NULL && message != NULL)
    {
      SeenEntry *entry = g_new0 (SeenEntry, 1);

      entry->mailbox = g_strdup ("INBOX");
      entry->local_uid = ms_message_get_uid (message);
      entry->downloaded_at = now;
      g_hash_table_replace (get_table (store, user)->entries, g_strdup (uidl), entry);
    }
}

void
ms_pop3_client_local_confirm_deleted (MsStore    *store,
                                      const char *user,
                                      GPtrArray  *uidls)
{
  SeenTable *table = get_table (store, user);

  for (guint i = 0; i < uidls->len; i++)
    {
      g_hash_table_remove (table->pending, g_ptr_array_index (uidls, i));
      g_hash_table_remove (table->entries, g_ptr_array_index (uidls, i));
    }
}

guint
ms_pop3_client_local_count (MsStore    *store,
                            const char *user,
                            gboolean    pending_deletes)
{
  SeenTable *table = get_table (store, user);

  return g_hash_table_size (pending_deletes ? table->pending : table->entries);
}

/* The UIDL whose local copy is this message, or NULL. */
static const char *
find_uidl (SeenTable  *table,
           MsMailbox  *mailbox,
           MsMessage  *message,
           SeenEntry **entry_out)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SeenEntry *entry = value;

      if (entry->mailbox && entry->local_uid == ms_message_get_uid (message) &&
          g_ascii_strcasecmp (entry->mailbox, ms_mailbox_get_name (mailbox)) == 0)
        {
          *entry_out = entry;
          return key;
        }
    }
  *entry_out = NULL;
  return NULL;
}

/* The message a summary names: its subject in quotes. */
static MsPhrase *
describe (MsMessage *message)
{
  g_autofree char *subject = ms_client_local_header (ms_message_get_raw (message), "Subject");

  return ms_client_local_subject_phrase (subject);
}

static gboolean
perform_on_message (MsStore              *store,
                    const char           *user,
                    const MsClientPolicy *policy,
                    const MsClientAction *action,
                    MsMailbox            *mailbox,
                    MsMessage            *message,
                    MsPhrase            **summary)
{
  g_autoptr(MsPhrase) what = describe (message);
  SeenTable *table = get_table (store, user);
  MsFlags flag = MS_FLAG_NONE;
  MsFlagsMode mode = MS_FLAGS_ADD;
  const char *keyword = NULL;
  const char *done = NULL;

  switch (action->kind)
    {
    case MS_CLIENT_ACTION_OPEN:
    case MS_CLIENT_ACTION_OPEN_PART:
      ms_mailbox_store_flags (mailbox, message, MS_FLAGS_ADD, MS_FLAG_SEEN, NULL);
      *summary = ms_phrase_new (NC_ ("transcript", "opened %s from the local copy (POP3 downloaded it whole; "
                                     "the server never learns it was read)"), g_steal_pointer (&what));
      return TRUE;
    case MS_CLIENT_ACTION_MARK_READ:
      flag = MS_FLAG_SEEN;
      done = NC_ ("transcript", "marked read %s here only");
      break;
    case MS_CLIENT_ACTION_MARK_UNREAD:
      flag = MS_FLAG_SEEN;
      mode = MS_FLAGS_REMOVE;
      done = NC_ ("transcript", "marked unread %s here only");
      break;
    case MS_CLIENT_ACTION_FLAG:
      flag = MS_FLAG_FLAGGED;
      done = NC_ ("transcript", "flagged %s here only");
      break;
    case MS_CLIENT_ACTION_UNFLAG:
      flag = MS_FLAG_FLAGGED;
      mode = MS_FLAGS_REMOVE;
      done = NC_ ("transcript", "unflagged %s here only");
      break;
    case MS_CLIENT_ACTION_REPLY:
      flag = MS_FLAG_ANSWERED;
      done = NC_ ("transcript", "marked answered %s here only");
      break;
    case MS_CLIENT_ACTION_FORWARD:
      keyword = "$Forwarded";
      done = NC_ ("transcript", "marked forwarded %s here only");
      break;
    case MS_CLIENT_ACTION_DELETE:
      {
        SeenEntry *entry = NULL;
        const char *uidl = find_uidl (table, mailbox, message, &entry);
        guint32 uid = ms_message_get_uid (message);
        gboolean remember = uidl && policy->leave_on_server && policy->delete_when_deleted_here;
        MsPhrase *deleted;

        if (entry)
          g_clear_pointer (&entry->mailbox, g_free);
        if (remember)
          g_hash_table_add (table->pending, g_strdup (uidl));
        ms_mailbox_expunge_uids (mailbox, &uid, 1);
        deleted = ms_phrase_new (NC_ ("transcript", "deleted %s on this device only"), g_steal_pointer (&what));
        *summary = ms_client_local_two_fragments (deleted,
                                                  remember
                                                  ? ms_phrase_new (NC_ ("transcript", "the client will DELE it at "
                                                                        "the next check"))
                                                  : ms_phrase_new (NC_ ("transcript", "the copy on the server (if "
                                                                        "any) stays")));
        return TRUE;
      }
    case MS_CLIENT_ACTION_MOVE:
      {
        MsAccount *account = ms_client_local_account (store, user);
        MsMailbox *target = action->argument ? ms_client_local_mailbox (account, action->argument) : NULL;
        SeenEntry *entry = NULL;
        MsMessage *copy;
        MsPhrase *moved;
        guint32 uid = ms_message_get_uid (message);

        if (target == NULL || target == mailbox)
          {
            *summary = ms_phrase_new (NC_ ("transcript", "no local folder %s to move to"),
                                      action->argument ? ms_phrase_text (action->argument)
                                                       : ms_phrase_new (NC_ ("transcript", "(none)")));
            return FALSE;
          }
        find_uidl (table, mailbox, message, &entry);
        copy = ms_mailbox_append (target, ms_message_get_raw (message), ms_message_get_flags (message),
                                  ms_message_get_keywords (message), ms_message_get_internal_date (message),
                                  ms_message_get_internal_date_offset (message));
        if (entry)
          {
            g_free (entry->mailbox);
            entry->mailbox = g_strdup (ms_mailbox_get_name (target));
            entry->local_uid = ms_message_get_uid (copy);
          }
        ms_mailbox_expunge_uids (mailbox, &uid, 1);
        moved = ms_phrase_new (NC_ ("transcript", "moved %s to the local folder %s"),
                               g_steal_pointer (&what), ms_phrase_text (ms_mailbox_get_name (target)));
        *summary = ms_client_local_two_fragments (moved, ms_phrase_new (NC_ ("transcript", "the server knows "
                                                                             "nothing of folders")));
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }

  if (keyword)
    {
      const char *keywords[] = { keyword, NULL };

      ms_mailbox_store_flags (mailbox, message, mode, MS_FLAG_NONE, keywords);
    }
  else
    ms_mailbox_store_flags (mailbox, message, mode, flag, NULL);
  *summary = ms_client_local_two_fragments (ms_phrase_new (done, g_steal_pointer (&what)),
                                            ms_phrase_new (NC_ ("transcript", "POP3 cannot tell the server")));
  return TRUE;
}

gboolean
ms_pop3_client_local_perform (MsStore              *store,
                              const char           *user,
                              const MsClientPolicy *policy,
                              const MsClientAction *action,
                              MsPhrase            **summary)
{
  MsAccount *account = ms_client_local_account (store, user);
  g_autoptr(GError) error = NULL;
  MsMailbox *mailbox;
  MsMessage *message;

  switch (action->kind)
    {
    case MS_CLIENT_ACTION_IDLE:
      *summary = ms_phrase_new (NC_ ("transcript", "POP3 has no IDLE: new mail appears only at the next check"));
      return TRUE;
    case MS_CLIENT_ACTION_DISCONNECT:
      *summary = ms_phrase_new (NC_ ("transcript", "nothing to do: the POP3 client disconnects after every check"));
      return TRUE;
    case MS_CLIENT_ACTION_CREATE_FOLDER:
      if (ms_account_create_mailbox (account, action->argument ? action->argument : "", &error) == NULL)
        break;
      *summary = ms_phrase_new (NC_ ("transcript", "created the folder %s on this device only"),
                                ms_phrase_text (action->argument));
      return TRUE;
    case MS_CLIENT_ACTION_RENAME_FOLDER:
      if (!ms_account_rename_mailbox (account, action->mailbox ? action->mailbox : "",
                                      action->argument ? action->argument : "", &error))
        break;
      *summary = ms_phrase_new (NC_ ("transcript", "renamed the folder %s to %s on this device only"),
                                ms_phrase_text (action->mailbox), ms_phrase_text (action->argument));
      return TRUE;
    case MS_CLIENT_ACTION_DELETE_FOLDER:
      if (!ms_account_delete_mailbox (account, action->argument ? action->argument : "", &error))
        break;
      *summary = ms_phrase_new (NC_ ("transcript", "deleted the folder %s on this device only"),
                                ms_phrase_text (action->argument));
      return TRUE;
    case MS_CLIENT_ACTION_SAVE_SENT:
      {
        MsMailbox *sent = ms_client_local_role_mailbox (account, MS_MAILBOX_ROLE_SENT, "Sent");
        g_autoptr(GBytes) raw = NULL;

        if (action->raw == NULL || sent == NULL)
          {
            *summary = ms_phrase_new (NC_ ("transcript", "nothing to save"));
            return FALSE;
          }
        raw = ms_store_normalize_crlf (action->raw);
        ms_mailbox_append (sent, raw, MS_FLAG_SEEN, NULL, action->now, 0);
        *summary = ms_client_local_two_fragments (ms_phrase_new (NC_ ("transcript", "kept a copy in the local "
                                                                      "Sent folder")),
                                                  ms_phrase_new (NC_ ("transcript", "other devices will never "
                                                                      "see it")));
        return TRUE;
      }
    case MS_CLIENT_ACTION_SEARCH:
      {
        guint found = 0, total;

        mailbox = ms_client_local_mailbox (account, action->mailbox);
        if (mailbox == NULL)
          {
            *summary = ms_phrase_new (NC_ ("transcript", "no local folder %s"), ms_phrase_text (action->mailbox));
            return FALSE;
          }
        total = ms_mailbox_get_n_messages (mailbox);
        for (guint i = 0; i < total; i++)
          if (ms_client_local_matches (ms_message_get_raw (ms_mailbox_get_message (mailbox, i)),
                                       action->argument))
            found++;
        *summary = ms_phrase_new_plural (MS_NP ("transcript",
                                                "found %u of %u local message matching %s, searched on this "
                                                "device (only what was downloaded)",
                                                "found %u of %u local messages matching %s, searched on this "
                                                "device (only what was downloaded)"),
                                         total, ms_phrase_uint (found), ms_phrase_uint (total),
                                         ms_client_local_quoted_phrase (action->argument));
        return TRUE;
      }
    default:
      mailbox = ms_client_local_mailbox (account, action->mailbox);
      message = mailbox ? ms_client_local_find (mailbox, action->message, NULL) : NULL;
      if (message == NULL)
        {
          MsPhrase *selector = ms_client_local_quoted_phrase (action->message);

          *summary = mailbox ? ms_phrase_new (NC_ ("transcript", "no local message matches %s"), selector)
                             : ms_phrase_new (NC_ ("transcript", "no local message matches %s (no such folder)"),
                                              selector);
          return FALSE;
        }
      return perform_on_message (store, user, policy, action, mailbox, message, summary);
    }

  *summary = ms_phrase_new (NC_ ("transcript", "failed: %s"),
                            error ? ms_phrase_text (error->message)
                                  : ms_phrase_new (NC_ ("transcript", "bad arguments")));
  return FALSE;
}

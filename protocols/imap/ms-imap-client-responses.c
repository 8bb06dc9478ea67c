/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IMAP client's handling of what the server sends: untagged data
 * (CAPABILITY, LIST, EXISTS, EXPUNGE, FETCH, SEARCH) applied to the local
 * store and the cache as it arrives, and each command's tagged completion. */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-imap-client-private.h"
#include "ms-client-local.h"
#include "ms-protocol-event.h"

/* Untagged data. */

static void
parse_caps (MsImapClient *self,
            const char   *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  g_hash_table_remove_all (self->caps);
  for (guint i = 0; words[i]; i++)
    if (words[i][0] && g_ascii_strcasecmp (words[i], "CAPABILITY") != 0)
      g_hash_table_add (self->caps, g_ascii_strup (words[i], -1));
}

static void
handle_list (MsImapClient         *self,
             const MsImapClientResponse *r)
{
  const MsImapClientItem *attrs = ms_imap_client_item_child (r->items, 0);
  const char *name = ms_imap_client_item_text (ms_imap_client_item_child (r->items, 2));
  MsMailboxRole role = MS_MAILBOX_ROLE_NONE;
  MsMailbox *local;
  gboolean noselect = FALSE;

  if (name == NULL)
    return;
  for (guint i = 0; i < ms_imap_client_item_n_children (attrs); i++)
    {
      const char *attr = ms_imap_client_item_text (ms_imap_client_item_child (attrs, i));
      MsMailboxRole r2;

      if (attr == NULL)
        continue;
      if (g_ascii_strcasecmp (attr, "\\Noselect") == 0 || g_ascii_strcasecmp (attr, "\\NonExistent") == 0)
        noselect = TRUE;
      /* "\\Sent" → "sent": the store spells roles without the backslash. */
      r2 = attr[0] == '\\' ? ms_mailbox_role_from_string (attr + 1) : MS_MAILBOX_ROLE_NONE;
      if (r2 != MS_MAILBOX_ROLE_NONE && r2 != MS_MAILBOX_ROLE_INBOX)
        role = r2;
    }
  if (noselect)
    return;
  g_hash_table_replace (self->listed, g_strdup (name), GINT_TO_POINTER (role));
  local = ms_imap_client_local_mailbox (self, name, TRUE);
  if (local && role != MS_MAILBOX_ROLE_NONE)
    ms_mailbox_set_role (local, role);
}

static gboolean
section_of (const char *name,
            char      **section)
{
  const char *open, *close;

  if (g_ascii_strncasecmp (name, "BODY[", 5) != 0)
    return FALSE;
  open = name + 4;
  close = strchr (open, ']');
  if (close == NULL)
    return FALSE;
  *section = g_strndup (open + 1, close - open - 1);
  return TRUE;
}

static void
apply_body (MsImapClient        *self,
            MsImapCachedMailbox *cache,
            MsMailbox           *local,
            MsImapCachedMessage *entry,
            const char          *section,
            const MsImapClientItem    *value)
{
  const char *data = ms_imap_client_item_text (value);
  gsize len = value ? value->len : 0;
  guint64 part = 0;

  if (data == NULL)
    return;
  self->job_bodies++;
  self->job_body_bytes += len;
  if (section[0] == '\0')
    {
      g_autoptr(GBytes) raw = g_bytes_new (data, len);

      ms_imap_client_cache_replace_raw (cache, local, entry, raw);
      entry->level = MS_IMAP_CACHE_FULL;
      entry->parts_here = (entry->n_parts >= 32) ? G_MAXUINT32 : (1u << entry->n_parts) - 1;
      return;
    }
  if (!g_ascii_string_to_unsigned (section, 10, 1, 32, &part, NULL))
    return;
  if (part == 1 && entry->level < MS_IMAP_CACHE_TEXT)
    {
      /* Keep the text readable locally: the header we have, then the text part. */
      MsMessage *message = ms_mailbox_lookup_uid (local, entry->local_uid, NULL);
      g_autoptr(GByteArray) raw = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;

      if (message)
        {
          gsize hlen;
          const guint8 *h = g_bytes_get_data (ms_message_get_raw (message), &hlen);

          g_byte_array_append (raw, h, hlen);
        }
      g_byte_array_append (raw, (const guint8 *) data, len);
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&raw));
      ms_imap_client_cache_replace_raw (cache, local, entry, bytes);
      entry->level = MS_IMAP_CACHE_TEXT;
    }
  entry->parts_here |= 1u << (part - 1);
  if (entry->n_parts < 32 && entry->parts_here == (1u << entry->n_parts) - 1 && entry->level == MS_IMAP_CACHE_TEXT)
    entry->level = MS_IMAP_CACHE_TEXT;  /* the parts are here, though not as one message */
}

static void
handle_fetch (MsImapClient         *self,
              const MsImapClientResponse *r)
{
  const MsImapClientItem *list = ms_imap_client_item_child (r->items, 0);
  MsImapCachedMailbox *cache;
  MsMailbox *local;
  MsImapCachedMessage *entry;
  const MsImapClientItem *flags_item, *envelope;
  guint32 uid = 0, size = 0;
  guint seq = r->number;

  if (self->selected == NULL || list == NULL || list->kind != MS_IMAP_CLIENT_ITEM_LIST || seq == 0)
    return;
  if (!ms_imap_client_item_uint32 (ms_imap_client_item_lookup (list, "UID"), &uid))
    uid = seq <= self->seq_uids->len ? g_array_index (self->seq_uids, guint32, seq - 1) : 0;
  if (uid == 0)
    return;
  if (seq > self->seq_uids->len && seq <= 10000000)
    g_array_set_size (self->seq_uids, seq);
  if (seq <= self->seq_uids->len)
    g_array_index (self->seq_uids, guint32, seq - 1) = uid;

  cache = ms_imap_client_cache_mailbox (self->store, self->user, self->selected);
  local = ms_imap_client_local_mailbox (self, self->selected, TRUE);
  entry = ms_imap_client_cache_lookup (cache, uid);
  flags_item = ms_imap_client_item_lookup (list, "FLAGS");
  envelope = ms_imap_client_item_lookup (list, "ENVELOPE");

  if (self->current && self->current->kind == CMD_FETCH_FLAGS)
    g_hash_table_add (self->refreshed, GUINT_TO_POINTER (uid));

  if (entry == NULL && envelope != NULL && uid > cache->max_uid)
    {
      MsFlags flags = MS_FLAG_NONE;
      g_auto(GStrv) keywords = NULL;

      ms_imap_client_flags_from_item (flags_item, &flags, &keywords);
      ms_imap_client_item_uint32 (ms_imap_client_item_lookup (list, "RFC822.SIZE"), &size);
      entry = ms_imap_client_cache_add_headers (cache, local, uid, envelope, ms_imap_client_item_lookup (list, "BODYSTRUCTURE"),
                                         size, flags, (const char * const *) keywords,
                                         self->action ? self->action->now : 0);
      self->job_new++;
    }
  else if (entry != NULL && flags_item != NULL)
    {
      MsMessage *message = ms_mailbox_lookup_uid (local, entry->local_uid, NULL);
      MsFlags flags = MS_FLAG_NONE;
      g_auto(GStrv) keywords = NULL;

      ms_imap_client_flags_from_item (flags_item, &flags, &keywords);
      if (message && ms_mailbox_store_flags (local, message, MS_FLAGS_REPLACE, flags,
                                             (const char * const *) keywords))
        self->job_flag_updates++;
    }
  if (entry == NULL)
    return;
  for (guint i = 0; i + 1 < ms_imap_client_item_n_children (list); i += 2)
    {
      const char *name = ms_imap_client_item_text (ms_imap_client_item_child (list, i));
      g_autofree char *section = NULL;

      if (name && section_of (name, &section))
        apply_body (self, cache, local, entry, section, ms_imap_client_item_child (list, i + 1));
    }
}

static void
handle_expunge (MsImapClient *self,
                guint         seq)
{
  guint32 uid;

  if (seq == 0 || seq > self->seq_uids->len)
    return;
  uid = g_array_index (self->seq_uids, guint32, seq - 1);
  g_array_remove_index (self->seq_uids, seq - 1);
  if (self->exists > 0)
    self->exists--;
  if (uid != 0 && self->selected)
    {
      MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, self->selected);

      if (ms_imap_client_cache_lookup (cache, uid))
        {
          ms_imap_client_cache_remove (cache, ms_imap_client_local_mailbox (self, self->selected, FALSE), uid);
          self->job_vanished++;
        }
    }
}

void
ms_imap_client_handle_untagged (MsImapClient         *self,
                 const MsImapClientResponse *r)
{
  if (r->status)
    {
      if (r->code && g_ascii_strncasecmp (r->code, "CAPABILITY ", 11) == 0)
        parse_caps (self, r->code + 11);
      else if (r->code && g_ascii_strncasecmp (r->code, "UIDVALIDITY ", 12) == 0)
        {
          guint64 v = 0;

          if (g_ascii_string_to_unsigned (r->code + 12, 10, 1, G_MAXUINT32, &v, NULL))
            self->select_uidvalidity = v;
        }
      if (self->state == MS_IMAP_CLIENT_STATE_GREETING)
        {
          if (strcmp (r->status, "OK") == 0 || strcmp (r->status, "PREAUTH") == 0)
            {
              self->logged_in = (strcmp (r->status, "PREAUTH") == 0);
              ms_imap_client_set_state (self, self->logged_in ? MS_IMAP_CLIENT_STATE_AUTHENTICATED
                                                              : MS_IMAP_CLIENT_STATE_NOT_AUTHENTICATED);
              ms_imap_client_send_next (self);
            }
          else
            ms_imap_client_protocol_error (self, ms_phrase_new (NC_ ("transcript", "the server refused the "
                                                                     "connection")));
        }
      else if (strcmp (r->status, "BYE") == 0 && self->state != MS_IMAP_CLIENT_STATE_LOGOUT)
        ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), "bye",
                                              ms_phrase_new (NC_ ("transcript", "the server is closing the connection")));
      return;
    }
  if (g_strcmp0 (r->name, "CAPABILITY") == 0)
    {
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < ms_imap_client_item_n_children (r->items); i++)
        g_string_append_printf (s, "%s ", ms_imap_client_item_text (ms_imap_client_item_child (r->items, i)) ?: "");
      parse_caps (self, s->str);
      g_string_free (s, TRUE);
    }
  else if (g_strcmp0 (r->name, "LIST") == 0)
    handle_list (self, r);
  else if (g_strcmp0 (r->name, "EXISTS") == 0 && r->has_number)
    {
      gboolean grew = r->number > self->exists;

      self->exists = r->number;
      if (self->seq_uids->len < r->number && r->number <= 10000000)
        g_array_set_size (self->seq_uids, r->number);
      if (grew && !(self->current && (self->current->kind == CMD_SELECT || self->current->kind == CMD_FETCH_NEW)))
        {
          self->new_mail_pending = TRUE;
          if (self->state == MS_IMAP_CLIENT_STATE_IDLE)
            ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), NC_ ("transcript", "pushed"),
                                                  ms_phrase_new (NC_ ("transcript", "the server pushed news of new "
                                                                      "mail during IDLE")));
          ms_imap_client_send_next (self);
        }
    }
  else if (g_strcmp0 (r->name, "EXPUNGE") == 0 && r->has_number)
    handle_expunge (self, r->number);
  else if (g_strcmp0 (r->name, "FETCH") == 0 && r->has_number)
    handle_fetch (self, r);
  else if (g_strcmp0 (r->name, "SEARCH") == 0)
    {
      g_array_set_size (self->search_result, 0);
      for (guint i = 0; i < ms_imap_client_item_n_children (r->items); i++)
        {
          guint32 uid;

          if (ms_imap_client_item_uint32 (ms_imap_client_item_child (r->items, i), &uid))
            g_array_append_val (self->search_result, uid);
        }
    }
}

/* Tagged completions. */

static void
after_select (MsImapClient  *self,
              MsImapClientCommand *cmd)
{
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, cmd->mailbox);
  MsMailbox *local = ms_imap_client_local_mailbox (self, cmd->mailbox, TRUE);

  g_free (self->selected);
  self->selected = g_strdup (cmd->mailbox);
  if (cache->uidvalidity != 0 && cache->uidvalidity != self->select_uidvalidity)
    {
      GList *l = self->queue->head;

      ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), NC_ ("transcript", "uidvalidity-changed"),
                                            ms_phrase_new (NC_ ("transcript", "UIDVALIDITY of %s changed from %u "
                                                                "to %u: the cached copies are no longer valid and "
                                                                "are thrown away"),
                                                           ms_phrase_text (cmd->mailbox),
                                                           ms_phrase_uint (cache->uidvalidity),
                                                           ms_phrase_uint (self->select_uidvalidity)));
      self->job_vanished += g_hash_table_size (cache->by_uid);
      ms_imap_client_cache_clear (cache, local);
      /* Queued commands naming old UIDs in this folder would hit other messages now. */
      while (l)
        {
          GList *next = l->next;
          MsImapClientCommand *q = l->data;

          if (q->uid != 0 && g_strcmp0 (q->mailbox, cmd->mailbox) == 0 && q->kind != CMD_FETCH_FLAGS)
            {
              ms_imap_client_command_free (q);
              g_queue_delete_link (self->queue, l);
            }
          l = next;
        }
    }
  cache->uidvalidity = self->select_uidvalidity;
  if (local && self->select_uidvalidity)
    ms_mailbox_restore_counters (local, self->select_uidvalidity, 0, 0);
}

static void
after_fetch_flags (MsImapClient  *self,
                   MsImapClientCommand *cmd)
{
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, cmd->mailbox);
  MsMailbox *local = ms_imap_client_local_mailbox (self, cmd->mailbox, FALSE);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer key;

  /* What was cached but not answered is gone from the server. */
  g_hash_table_iter_init (&iter, cache->by_uid);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint32 uid = GPOINTER_TO_UINT (key);

      if (uid <= cmd->uid && !g_hash_table_contains (self->refreshed, key))
        g_array_append_val (gone, uid);
    }
  for (guint i = 0; i < gone->len; i++)
    ms_imap_client_cache_remove (cache, local, g_array_index (gone, guint32, i));
  self->job_vanished += gone->len;
}

static void
apply_store_locally (MsImapClient  *self,
                     MsImapClientCommand *cmd)
{
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, cmd->mailbox);
  MsImapCachedMessage *entry = ms_imap_client_cache_lookup (cache, cmd->uid);
  MsMailbox *local = ms_imap_client_local_mailbox (self, cmd->mailbox, FALSE);
  MsMessage *message = (entry && local) ? ms_mailbox_lookup_uid (local, entry->local_uid, NULL) : NULL;
  const char *keywords[] = { cmd->keyword, NULL };

  if (message == NULL)
    return;
  ms_mailbox_store_flags (local, message, cmd->remove ? MS_FLAGS_REMOVE : MS_FLAGS_ADD, cmd->flags,
                          cmd->keyword ? keywords : NULL);
}

static guint32
code_number (const char *code,
             const char *name,
             guint       index)
{
  g_auto(GStrv) words = NULL;
  guint64 v = 0;

  if (code == NULL || g_ascii_strncasecmp (code, name, strlen (name)) != 0)
    return 0;
  words = g_strsplit (code, " ", -1);
  if (g_strv_length (words) <= index || !g_ascii_string_to_unsigned (words[index], 10, 1, G_MAXUINT32, &v, NULL))
    return 0;
  return v;
}

static void
after_append (MsImapClient         *self,
              MsImapClientCommand        *cmd,
              const MsImapClientResponse *r)
{
  guint32 uidvalidity = code_number (r->code, "APPENDUID", 1);
  guint32 uid = code_number (r->code, "APPENDUID", 2);
  MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, cmd->mailbox);
  MsMailbox *local = ms_imap_client_local_mailbox (self, cmd->mailbox, TRUE);
  MsImapCachedMessage *entry;
  MsMessage *message;
  g_autoptr(GBytes) raw = NULL;

  /* Without APPENDUID the client cannot tell which server message is its
   * copy, so it waits for the next sync of the folder to learn it. */
  if (uid == 0 || local == NULL || (cache->uidvalidity != 0 && cache->uidvalidity != uidvalidity) ||
      uid <= cache->max_uid)
    return;
  raw = ms_store_normalize_crlf (cmd->literal);
  cache->uidvalidity = uidvalidity;
  if (uid >= ms_mailbox_get_uidnext (local))
    message = ms_mailbox_restore_message (local, uid, raw, MS_FLAG_SEEN, NULL, self->action ? self->action->now : 0, 0);
  else
    message = ms_mailbox_append (local, raw, MS_FLAG_SEEN, NULL, self->action ? self->action->now : 0, 0);
  entry = g_new0 (MsImapCachedMessage, 1);
  entry->server_uid = uid;
  entry->local_uid = ms_message_get_uid (message);
  entry->level = MS_IMAP_CACHE_FULL;
  entry->size = g_bytes_get_size (raw);
  entry->n_parts = 1;
  g_hash_table_replace (cache->by_uid, GUINT_TO_POINTER (uid), entry);
  cache->max_uid = uid;
}

void
ms_imap_client_handle_tagged (MsImapClient         *self,
               MsImapClientCommand        *cmd,
               const MsImapClientResponse *r)
{
  gboolean ok = (strcmp (r->status, "OK") == 0);

  /* RFC 3501 section 7.1: [TRYCREATE] means the target folder is missing;
   * clients create it and try once more (Trash or Sent on a fresh account). */
  if (!ok && !cmd->retried && r->code && g_ascii_strncasecmp (r->code, "TRYCREATE", 9) == 0 &&
      (cmd->kind == CMD_MOVE || cmd->kind == CMD_COPY || cmd->kind == CMD_APPEND))
    {
      const char *target = cmd->kind == CMD_APPEND ? cmd->mailbox : cmd->argument;
      g_autofree char *quoted = ms_imap_client_quote (target);
      MsImapClientCommand *again = g_new0 (MsImapClientCommand, 1);
      MsImapClientCommand *create = g_new0 (MsImapClientCommand, 1);

      *again = *cmd;
      again->tag = NULL;
      again->verb = g_strdup (cmd->verb);
      again->line = g_strdup (cmd->line);
      again->literal = cmd->literal ? g_bytes_ref (cmd->literal) : NULL;
      again->mailbox = g_strdup (cmd->mailbox);
      again->argument = g_strdup (cmd->argument);
      again->keyword = g_strdup (cmd->keyword);
      again->plan = NULL;
      again->retried = TRUE;
      create->kind = CMD_CREATE;
      create->verb = g_strdup ("CREATE");
      create->line = g_strdup_printf ("CREATE %s", quoted);
      create->argument = g_strdup (target);
      g_queue_push_head (self->queue, again);
      g_queue_push_head (self->queue, create);
      return;
    }
  if (!ok && !cmd->optional)
    {
      ms_imap_client_note_failure (self, ms_phrase_new (NC_ ("transcript", "%s was refused: %s"),
                                                        ms_phrase_text (cmd->verb),
                                                        ms_phrase_text (r->text ? r->text : r->status)));
    }
  if (r->code && g_ascii_strncasecmp (r->code, "CAPABILITY ", 11) == 0)
    parse_caps (self, r->code + 11);

  switch (cmd->kind)
    {
    case CMD_STARTTLS:
      if (!ok)
        {
          /* Logging in anyway would send the password in clear. */
          ms_imap_client_clear_queue (self);
          ms_imap_client_queue (self, CMD_LOGOUT, NULL, "LOGOUT", "LOGOUT");
          return;
        }
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE);
      ms_client_session_emit_tls_requested (MS_CLIENT_SESSION (self));
      break;
    case CMD_LOGIN:
      if (!ok)
        {
          ms_imap_client_clear_queue (self);
          ms_imap_client_queue (self, CMD_LOGOUT, NULL, "LOGOUT", "LOGOUT");
          return;
        }
      self->logged_in = TRUE;
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_AUTHENTICATED);
      break;
    case CMD_SELECT:
      if (!ok)
        {
          g_clear_pointer (&self->selected, g_free);
          ms_imap_client_clear_queue (self);
          return;
        }
      after_select (self, cmd);
      break;
    case CMD_FETCH_FLAGS:
      if (ok)
        after_fetch_flags (self, cmd);
      break;
    case CMD_STORE:
      if (ok)
        apply_store_locally (self, cmd);
      break;
    case CMD_MOVE:
      if (ok)
        {
          MsImapCachedMailbox *cache = ms_imap_client_cache_mailbox (self->store, self->user, cmd->mailbox);

          /* The server sent EXPUNGE for it already; this covers a server that did not. */
          if (ms_imap_client_cache_lookup (cache, cmd->uid))
            {
              ms_imap_client_cache_remove (cache, ms_imap_client_local_mailbox (self, cmd->mailbox, FALSE), cmd->uid);
              self->job_vanished++;
            }
        }
      break;
    case CMD_CREATE:
      if (ok)
        {
          ms_imap_client_local_mailbox (self, cmd->argument, TRUE);
          g_hash_table_replace (self->listed, g_strdup (cmd->argument), GINT_TO_POINTER (MS_MAILBOX_ROLE_NONE));
        }
      break;
    case CMD_RENAME:
      if (ok)
        {
          MsAccount *account = ms_client_local_account (self->store, self->user);

          ms_account_rename_mailbox (account, cmd->mailbox, cmd->argument, NULL);
          ms_imap_client_cache_rename_mailbox (self->store, self->user, cmd->mailbox, cmd->argument);
          g_hash_table_remove (self->listed, cmd->mailbox);
          g_hash_table_replace (self->listed, g_strdup (cmd->argument), GINT_TO_POINTER (MS_MAILBOX_ROLE_NONE));
          if (g_strcmp0 (self->selected, cmd->mailbox) == 0)
            {
              g_free (self->selected);
              self->selected = g_strdup (cmd->argument);
            }
        }
      break;
    case CMD_DELETE:
      if (ok)
        {
          MsAccount *account = ms_client_local_account (self->store, self->user);

          ms_account_delete_mailbox (account, cmd->argument, NULL);
          ms_imap_client_cache_drop_mailbox (self->store, self->user, cmd->argument);
          g_hash_table_remove (self->listed, cmd->argument);
        }
      break;
    case CMD_APPEND:
      if (ok)
        after_append (self, cmd, r);
      break;
    case CMD_LOGOUT:
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_CLOSING);
      return;
    case CMD_IDLE:
    case CMD_CAPABILITY:
    case CMD_LIST:
    case CMD_SYNC:
    case CMD_FETCH_NEW:
    case CMD_FETCH_BODY:
    case CMD_EXPUNGE:
    case CMD_COPY:
    case CMD_SEARCH:
    case CMD_PLAN:
      break;
    }
}


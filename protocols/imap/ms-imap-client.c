/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ms-imap-client-private.h"
#include "ms-client-local.h"
#include "ms-protocol-event.h"

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ms_imap_client_session_init (MsClientSessionInterface *iface);
static void send_next (MsImapClient *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsImapClient, ms_imap_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_CLIENT_SESSION,
                                                      ms_imap_client_session_init))

static const char *state_names[] = {
  [MS_IMAP_CLIENT_STATE_OFFLINE]           = "offline",
  [MS_IMAP_CLIENT_STATE_CONNECTING]        = "connecting",
  [MS_IMAP_CLIENT_STATE_GREETING]          = "greeting",
  [MS_IMAP_CLIENT_STATE_NOT_AUTHENTICATED] = "not-authenticated",
  [MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE]     = "tls-handshake",
  [MS_IMAP_CLIENT_STATE_AUTHENTICATED]     = "authenticated",
  [MS_IMAP_CLIENT_STATE_SELECTED]          = "selected",
  [MS_IMAP_CLIENT_STATE_BUSY]              = "busy",
  [MS_IMAP_CLIENT_STATE_IDLE]              = "idle",
  [MS_IMAP_CLIENT_STATE_LOGOUT]            = "logout",
  [MS_IMAP_CLIENT_STATE_CLOSING]           = "closing",
};

const char *
ms_imap_client_state_to_string (MsImapClientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

static void
emit (MsImapClient        *self,
      MsProtocolEventKind  kind,
      const char          *name,
      const char          *tag,
      const char          *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (kind, "imap", name, tag, text);

  ms_client_session_emit_event (MS_CLIENT_SESSION (self), event);
}

/* The only place the state changes, so every transition is reported. */
void
ms_imap_client_set_state (MsImapClient      *self,
                          MsImapClientState  state)
{
  MsImapClientState old = self->state;

  if (old == state)
    return;
  self->state = state;
  emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], NULL, state_names[old]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
command_free (MsImapClientCommand *cmd)
{
  if (cmd == NULL)
    return;
  g_free (cmd->tag);
  g_free (cmd->verb);
  g_free (cmd->line);
  g_clear_pointer (&cmd->literal, g_bytes_unref);
  g_free (cmd->mailbox);
  g_free (cmd->argument);
  g_free (cmd->keyword);
  g_free (cmd);
}

MsImapClientCommand *
ms_imap_client_queue (MsImapClient      *self,
                      MsImapClientCommandKind  kind,
                      const char        *mailbox,
                      const char        *verb,
                      const char        *format,
                      ...)
{
  MsImapClientCommand *cmd = g_new0 (MsImapClientCommand, 1);
  va_list args;

  cmd->kind = kind;
  cmd->mailbox = g_strdup (mailbox);
  cmd->verb = g_strdup (verb);
  if (format)
    {
      va_start (args, format);
      cmd->line = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_queue_push_tail (self->queue, cmd);
  return cmd;
}

void
ms_imap_client_note_failure (MsImapClient *self,
                             const char   *why)
{
  self->job_failed = TRUE;
  if (self->job_failure == NULL)
    self->job_failure = g_strdup (why);
}

char *
ms_imap_client_quote (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      if (*p == '\r' || *p == '\n')
        g_string_append_c (s, ' ');
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

MsMailbox *
ms_imap_client_local_mailbox (MsImapClient *self,
                              const char   *name,
                              gboolean      create)
{
  MsAccount *account = ms_client_local_account (self->store, self->user);
  MsMailbox *mailbox = ms_client_local_mailbox (account, name);

  if (mailbox == NULL && create && name)
    mailbox = ms_account_create_mailbox (account, name, NULL);
  return mailbox;
}

static void
clear_queue (MsImapClient *self)
{
  MsImapClientCommand *cmd;

  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    command_free (cmd);
  g_clear_pointer (&self->planned, g_free);
  self->planned = g_strdup (self->selected);
}

static void
reset_job (MsImapClient *self)
{
  self->job_failed = FALSE;
  g_clear_pointer (&self->job_failure, g_free);
  self->job_bytes_in = 0;
  self->job_new = 0;
  self->job_vanished = 0;
  self->job_flag_updates = 0;
  self->job_bodies = 0;
  self->job_body_bytes = 0;
  g_string_truncate (self->job_note, 0);
}

static void
finish_action (MsImapClient *self,
               gboolean      success,
               const char   *summary)
{
  g_autoptr(MsClientAction) action = g_steal_pointer (&self->action);

  if (action == NULL)
    return;
  ms_client_session_emit_action_finished (MS_CLIENT_SESSION (self), action, success, summary);
}

static void
send_raw_line (MsImapClient *self,
               const char   *line)
{
  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
}

static void
send_command (MsImapClient  *self,
              MsImapClientCommand *cmd)
{
  g_autofree char *full = NULL;

  cmd->tag = g_strdup_printf ("A%03u", ++self->next_tag);
  full = g_strdup_printf ("%s %s", cmd->tag, cmd->line);
  send_raw_line (self, full);
  emit (self, MS_PROTOCOL_EVENT_COMMAND, cmd->verb, cmd->tag, full);
  self->current = cmd;
  self->awaiting_continuation = (cmd->literal != NULL || cmd->kind == CMD_IDLE);
  self->idle_done_sent = FALSE;
}

/* What a sync needs, decided when the sync is reached (the cache may have
 * changed since it was planned): the flags of what is cached (which also
 * shows what vanished), then the headers of what is new. */
static void
expand_sync (MsImapClient  *self,
             MsImapClientCommand *sync)
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
  (void) sync;
}

static void
job_complete (MsImapClient *self)
{
  if (self->action != NULL)
    {
      g_autofree char *summary = ms_imap_client_job_summary (self);
      gboolean success = !self->job_failed;

      reset_job (self);
      finish_action (self, success, summary);
      if (self->current != NULL || !g_queue_is_empty (self->queue))
        return;   /* a handler began another action */
    }
  if (self->state == MS_IMAP_CLIENT_STATE_CLOSING || self->state == MS_IMAP_CLIENT_STATE_OFFLINE ||
      self->state == MS_IMAP_CLIENT_STATE_LOGOUT)
    return;
  reset_job (self);
  if (self->selected && self->new_mail_pending)
    {
      /* Mail arrived (pushed during IDLE, or reported by EXISTS): fetch its headers. */
      self->new_mail_pending = FALSE;
      ms_imap_client_queue (self, CMD_SYNC, self->selected, "SYNC", NULL);
      send_next (self);
      return;
    }
  if (self->selected && self->policy.use_idle && g_hash_table_contains (self->caps, "IDLE"))
    {
      ms_imap_client_queue (self, CMD_IDLE, self->selected, "IDLE", "IDLE");
      send_next (self);
      return;
    }
  ms_imap_client_set_state (self, self->selected ? MS_IMAP_CLIENT_STATE_SELECTED
                                                 : MS_IMAP_CLIENT_STATE_AUTHENTICATED);
}

static void
send_next (MsImapClient *self)
{
  MsImapClientCommand *cmd;

  if (self->state == MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE || self->state == MS_IMAP_CLIENT_STATE_CLOSING ||
      self->state == MS_IMAP_CLIENT_STATE_OFFLINE || self->state == MS_IMAP_CLIENT_STATE_CONNECTING ||
      self->state == MS_IMAP_CLIENT_STATE_GREETING)
    return;
  if (self->current != NULL)
    {
      /* IDLE ends with DONE once there is something else to do (RFC 2177). */
      if (self->current->kind == CMD_IDLE && self->state == MS_IMAP_CLIENT_STATE_IDLE &&
          !self->idle_done_sent && (!g_queue_is_empty (self->queue) || self->new_mail_pending))
        {
          send_raw_line (self, "DONE");
          emit (self, MS_PROTOCOL_EVENT_COMMAND, "DONE", self->current->tag, "DONE");
          self->idle_done_sent = TRUE;
          ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_BUSY);
        }
      return;
    }
  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    {
      if (cmd->kind == CMD_SYNC)
        {
          expand_sync (self, cmd);
          command_free (cmd);
          continue;
        }
      if (cmd->kind != CMD_IDLE && cmd->kind != CMD_LOGOUT)
        ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_BUSY);
      if (cmd->kind == CMD_LOGOUT)
        ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_LOGOUT);
      send_command (self, cmd);
      return;
    }
  job_complete (self);
}

static void
protocol_error (MsImapClient *self,
                const char   *why)
{
  emit (self, MS_PROTOCOL_EVENT_NOTICE, "protocol-error", NULL, why);
  ms_imap_client_note_failure (self, why);
  clear_queue (self);
  command_free (g_steal_pointer (&self->current));
  ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_CLOSING);
}

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

static void
handle_untagged (MsImapClient         *self,
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
              send_next (self);
            }
          else
            protocol_error (self, "the server refused the connection");
        }
      else if (strcmp (r->status, "BYE") == 0 && self->state != MS_IMAP_CLIENT_STATE_LOGOUT)
        emit (self, MS_PROTOCOL_EVENT_NOTICE, "bye", NULL, "the server is closing the connection");
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
            emit (self, MS_PROTOCOL_EVENT_NOTICE, "pushed", NULL, "the server pushed news of new mail during IDLE");
          send_next (self);
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
      g_autofree char *notice = g_strdup_printf ("UIDVALIDITY of %s changed from %u to %u: the cached "
                                                 "copies are no longer valid and are thrown away",
                                                 cmd->mailbox, cache->uidvalidity, self->select_uidvalidity);
      GList *l = self->queue->head;

      emit (self, MS_PROTOCOL_EVENT_NOTICE, "uidvalidity-changed", NULL, notice);
      self->job_vanished += g_hash_table_size (cache->by_uid);
      ms_imap_client_cache_clear (cache, local);
      /* Queued commands naming old UIDs in this folder would hit other messages now. */
      while (l)
        {
          GList *next = l->next;
          MsImapClientCommand *q = l->data;

          if (q->uid != 0 && g_strcmp0 (q->mailbox, cmd->mailbox) == 0 && q->kind != CMD_FETCH_FLAGS)
            {
              command_free (q);
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

static void
handle_tagged (MsImapClient         *self,
               MsImapClientCommand        *cmd,
               const MsImapClientResponse *r)
{
  gboolean ok = (strcmp (r->status, "OK") == 0);

  if (!ok && !cmd->optional)
    {
      g_autofree char *why = g_strdup_printf ("%s was refused: %s", cmd->verb, r->text ? r->text : r->status);

      ms_imap_client_note_failure (self, why);
    }
  if (r->code && g_ascii_strncasecmp (r->code, "CAPABILITY ", 11) == 0)
    parse_caps (self, r->code + 11);

  switch (cmd->kind)
    {
    case CMD_STARTTLS:
      if (!ok)
        {
          /* Logging in anyway would send the password in clear. */
          clear_queue (self);
          ms_imap_client_queue (self, CMD_LOGOUT, NULL, "LOGOUT", "LOGOUT");
          return;
        }
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE);
      ms_client_session_emit_tls_requested (MS_CLIENT_SESSION (self));
      break;
    case CMD_LOGIN:
      if (!ok)
        {
          clear_queue (self);
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
          clear_queue (self);
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
      break;
    }
}

static void
handle_response (MsImapClient   *self,
                 MsImapClientResponse *r)
{
  const char *name = r->kind == MS_IMAP_CLIENT_RESPONSE_CONTINUATION ? "+" : r->status ? r->status : r->name;

  emit (self, MS_PROTOCOL_EVENT_RESPONSE, name, r->tag, r->line);
  self->job_bytes_in += r->wire_size;

  if (r->kind == MS_IMAP_CLIENT_RESPONSE_CONTINUATION)
    {
      MsImapClientCommand *cmd = self->current;

      if (cmd == NULL || !self->awaiting_continuation)
        {
          protocol_error (self, "the server sent a continuation nobody asked for");
          return;
        }
      self->awaiting_continuation = FALSE;
      if (cmd->kind == CMD_IDLE)
        {
          ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_IDLE);
          if (self->action && self->action->kind == MS_CLIENT_ACTION_IDLE)
            {
              g_autofree char *summary = ms_imap_client_job_summary (self);

              reset_job (self);
              finish_action (self, TRUE, summary);
            }
          send_next (self);   /* something may already be waiting: DONE at once */
          return;
        }
      {
        g_autofree char *elided = g_strdup_printf ("{%" G_GSIZE_FORMAT " bytes}", g_bytes_get_size (cmd->literal));

        g_byte_array_append (self->out, g_bytes_get_data (cmd->literal, NULL), g_bytes_get_size (cmd->literal));
        g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
        emit (self, MS_PROTOCOL_EVENT_COMMAND, "literal", cmd->tag, elided);
      }
      return;
    }
  if (r->kind == MS_IMAP_CLIENT_RESPONSE_UNTAGGED)
    {
      handle_untagged (self, r);
      return;
    }
  if (self->current == NULL || g_strcmp0 (self->current->tag, r->tag) != 0)
    {
      protocol_error (self, "the server answered a tag that was never sent");
      return;
    }
  {
    MsImapClientCommand *cmd = g_steal_pointer (&self->current);

    self->awaiting_continuation = FALSE;
    handle_tagged (self, cmd, r);
    command_free (cmd);
  }
  send_next (self);
}

static void
process_input (MsImapClient *self)
{
  while (self->state != MS_IMAP_CLIENT_STATE_CLOSING && self->state != MS_IMAP_CLIENT_STATE_OFFLINE &&
         self->state != MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE)
    {
      g_autoptr(MsImapClientResponse) r = NULL;
      g_autofree char *error = NULL;

      switch (ms_imap_client_parser_next (self->parser, &r, &error))
        {
        case MS_IMAP_CLIENT_PARSE_READY:
          handle_response (self, r);
          break;
        case MS_IMAP_CLIENT_PARSE_NEED_MORE:
          return;
        case MS_IMAP_CLIENT_PARSE_ERROR:
          protocol_error (self, error);
          return;
        }
    }
}

/* Queues what a new connection needs before the action's own commands. */
static void
queue_setup (MsImapClient *self)
{
  g_autoptr(GQueue) rest = g_queue_new ();
  MsImapClientCommand *cmd;

  /* Move the already-queued action commands aside, queue the setup, put them back. */
  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    g_queue_push_tail (rest, cmd);
  ms_imap_client_queue (self, CMD_CAPABILITY, NULL, "CAPABILITY", "CAPABILITY");
  if (self->tls == MS_CLIENT_TLS_STARTTLS && !self->tls_active)
    ms_imap_client_queue (self, CMD_STARTTLS, NULL, "STARTTLS", "STARTTLS");
  {
    g_autofree char *user = ms_imap_client_quote (self->user);
    g_autofree char *password = ms_imap_client_quote (self->password);

    ms_imap_client_queue (self, CMD_LOGIN, NULL, "LOGIN", "LOGIN %s %s", user, password);
  }
  ms_imap_client_queue (self, CMD_LIST, NULL, "LIST", "LIST \"\" \"*\"");
  while ((cmd = g_queue_pop_head (rest)) != NULL)
    g_queue_push_tail (self->queue, cmd);
}

/* The interface. */

static const char *
client_get_protocol (MsClientSession *session)
{
  return "imap";
}

static MsStore *
client_get_local_store (MsClientSession *session)
{
  return MS_IMAP_CLIENT (session)->store;
}

static gboolean
client_begin_action (MsClientSession      *session,
                     const MsClientAction *action,
                     GError              **error)
{
  MsImapClient *self = MS_IMAP_CLIENT (session);
  g_autofree char *summary = NULL;
  gboolean connected;

  g_return_val_if_fail (action != NULL, FALSE);

  if (self->action != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "The IMAP client is busy with %s",
                   ms_client_action_kind_to_string (self->action->kind));
      return FALSE;
    }
  self->action = ms_client_action_copy (action);
  reset_job (self);

  if (!self->online)
    {
      gboolean success = ms_imap_client_perform_offline (self, action, &summary);

      finish_action (self, success, summary);
      return TRUE;
    }
  connected = (self->state != MS_IMAP_CLIENT_STATE_OFFLINE);
  if (!connected && action->kind == MS_CLIENT_ACTION_DISCONNECT)
    {
      finish_action (self, TRUE, "not connected");
      return TRUE;
    }
  if (!connected)
    {
      g_clear_pointer (&self->planned, g_free);
      g_clear_pointer (&self->selected, g_free);
    }
  if (!ms_imap_client_plan_action (self, action, &summary))
    {
      finish_action (self, FALSE, summary);
      return TRUE;
    }
  if (g_queue_is_empty (self->queue) && self->current == NULL && connected)
    {
      /* Nothing to say to the server (a cached message opened again). */
      finish_action (self, TRUE, summary);
      return TRUE;
    }
  if (!connected)
    {
      queue_setup (self);
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_CONNECTING);
      return TRUE;
    }
  send_next (self);
  return TRUE;
}

static gboolean
client_is_busy (MsClientSession *session)
{
  return MS_IMAP_CLIENT (session)->action != NULL;
}

static gboolean
client_wants_connection (MsClientSession *session)
{
  return MS_IMAP_CLIENT (session)->state == MS_IMAP_CLIENT_STATE_CONNECTING;
}

static gboolean
client_wants_close (MsClientSession *session)
{
  return MS_IMAP_CLIENT (session)->state == MS_IMAP_CLIENT_STATE_CLOSING;
}

static void
client_connected (MsClientSession *session)
{
  MsImapClient *self = MS_IMAP_CLIENT (session);

  g_return_if_fail (self->state == MS_IMAP_CLIENT_STATE_CONNECTING);

  ms_imap_client_parser_reset (self->parser);
  g_byte_array_set_size (self->out, 0);
  g_hash_table_remove_all (self->caps);
  self->tls_active = (self->tls == MS_CLIENT_TLS_IMPLICIT);
  self->logged_in = FALSE;
  self->exists = 0;
  g_array_set_size (self->seq_uids, 0);
  ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_GREETING);
}

static void
client_feed (MsClientSession *session,
             const guint8    *data,
             gsize            len)
{
  MsImapClient *self = MS_IMAP_CLIENT (session);

  if (self->state == MS_IMAP_CLIENT_STATE_OFFLINE || self->state == MS_IMAP_CLIENT_STATE_CONNECTING ||
      self->state == MS_IMAP_CLIENT_STATE_CLOSING)
    return;
  ms_imap_client_parser_feed (self->parser, data, len);
  process_input (self);
}

static gsize
client_take_output (MsClientSession *session,
                    GByteArray      *dest)
{
  MsImapClient *self = MS_IMAP_CLIENT (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static void
end_connection (MsImapClient *self,
                gboolean      lost)
{
  if (lost && self->state == MS_IMAP_CLIENT_STATE_CONNECTING)
    {
      /* The device has no network: do what can be done here and queue the
       * rest for RESYNC, as a client in offline mode does. */
      g_autofree char *summary = NULL;
      gboolean success;

      clear_queue (self);
      g_clear_pointer (&self->selected, g_free);
      g_clear_pointer (&self->planned, g_free);
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_OFFLINE);
      if (self->action == NULL)
        return;
      reset_job (self);
      success = ms_imap_client_perform_offline (self, self->action, &summary);
      finish_action (self, success, summary);
      return;
    }

  gboolean clean = (self->state == MS_IMAP_CLIENT_STATE_CLOSING && self->current == NULL);
  g_autofree char *what = self->current ? g_strdup (self->current->line) : NULL;

  ms_imap_client_parser_reset (self->parser);
  g_byte_array_set_size (self->out, 0);
  command_free (g_steal_pointer (&self->current));
  clear_queue (self);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->planned, g_free);
  self->new_mail_pending = FALSE;
  self->awaiting_continuation = FALSE;
  self->tls_active = FALSE;
  self->logged_in = FALSE;
  ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_OFFLINE);

  if (self->action == NULL)
    return;
  if (!clean || (self->action->kind != MS_CLIENT_ACTION_DISCONNECT && !self->job_failed && lost))
    {
      g_autofree char *why = NULL;

      if (what && g_str_has_prefix (what, "LOGIN "))
        {
          /* Never repeat the password in a summary. */
          g_free (what);
          what = g_strdup ("LOGIN");
        }
      why = g_strdup_printf ("the connection was %s%s%s", lost ? "lost" : "closed by the server",
                             what ? " during " : "", what ? what : "");
      ms_imap_client_note_failure (self, why);
    }
  {
    g_autofree char *summary = ms_imap_client_job_summary (self);
    gboolean success = !self->job_failed;

    reset_job (self);
    finish_action (self, success, summary);
  }
}

static void
client_connection_closed (MsClientSession *session)
{
  end_connection (MS_IMAP_CLIENT (session), FALSE);
}

static void
client_connection_lost (MsClientSession *session)
{
  end_connection (MS_IMAP_CLIENT (session), TRUE);
}

static void
client_set_tls_active (MsClientSession *session,
                       gboolean         active)
{
  MsImapClient *self = MS_IMAP_CLIENT (session);

  self->tls_active = active;
  if (self->state != MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE)
    return;
  if (!active)
    {
      protocol_error (self, "the TLS handshake failed");
      return;
    }
  /* RFC 3501 section 6.2.1: capabilities learnt before TLS are void. */
  g_hash_table_remove_all (self->caps);
  {
    MsImapClientCommand *cmd = g_new0 (MsImapClientCommand, 1);

    cmd->kind = CMD_CAPABILITY;
    cmd->verb = g_strdup ("CAPABILITY");
    cmd->line = g_strdup ("CAPABILITY");
    g_queue_push_head (self->queue, cmd);
  }
  ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_NOT_AUTHENTICATED);
  send_next (self);
}

static void
ms_imap_client_session_init (MsClientSessionInterface *iface)
{
  iface->get_protocol = client_get_protocol;
  iface->get_local_store = client_get_local_store;
  iface->begin_action = client_begin_action;
  iface->is_busy = client_is_busy;
  iface->wants_connection = client_wants_connection;
  iface->wants_close = client_wants_close;
  iface->connected = client_connected;
  iface->feed = client_feed;
  iface->take_output = client_take_output;
  iface->connection_closed = client_connection_closed;
  iface->connection_lost = client_connection_lost;
  iface->set_tls_active = client_set_tls_active;
}

static void
ms_imap_client_finalize (GObject *object)
{
  MsImapClient *self = MS_IMAP_CLIENT (object);

  command_free (self->current);
  clear_queue (self);
  g_queue_free (self->queue);
  g_clear_object (&self->store);
  g_free (self->user);
  g_free (self->password);
  ms_imap_client_parser_free (self->parser);
  g_byte_array_unref (self->out);
  g_hash_table_unref (self->caps);
  g_hash_table_unref (self->listed);
  g_free (self->selected);
  g_free (self->planned);
  g_array_unref (self->seq_uids);
  g_clear_pointer (&self->action, ms_client_action_free);
  g_free (self->job_failure);
  g_hash_table_unref (self->refreshed);
  g_array_unref (self->search_result);
  g_string_free (self->job_note, TRUE);

  G_OBJECT_CLASS (ms_imap_client_parent_class)->finalize (object);
}

static void
ms_imap_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsImapClient *self = MS_IMAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_imap_client_class_init (MsImapClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_imap_client_finalize;
  object_class->get_property = ms_imap_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, MS_IMAP_CLIENT_STATE_CLOSING, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_imap_client_init (MsImapClient *self)
{
  self->online = TRUE;
  self->parser = ms_imap_client_parser_new ();
  self->out = g_byte_array_new ();
  self->caps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seq_uids = g_array_new (FALSE, TRUE, sizeof (guint32));
  self->queue = g_queue_new ();
  self->refreshed = g_hash_table_new (NULL, NULL);
  self->search_result = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->job_note = g_string_new (NULL);
}

MsImapClient *
ms_imap_client_new (MsStore              *local_store,
                    const char           *user,
                    const char           *password,
                    const MsClientPolicy *policy,
                    MsClientTlsMode       tls)
{
  MsImapClient *self;

  g_return_val_if_fail (MS_IS_STORE (local_store), NULL);
  g_return_val_if_fail (user != NULL && password != NULL, NULL);

  self = g_object_new (MS_TYPE_IMAP_CLIENT, NULL);
  self->store = g_object_ref (local_store);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  if (policy)
    self->policy = *policy;
  else
    ms_client_policy_init_defaults (&self->policy);
  self->tls = tls;
  ms_client_local_account (local_store, user);
  return self;
}

MsImapClientState
ms_imap_client_get_state (MsImapClient *self)
{
  g_return_val_if_fail (MS_IS_IMAP_CLIENT (self), MS_IMAP_CLIENT_STATE_OFFLINE);
  return self->state;
}

MsImapCacheLevel
ms_imap_client_get_cache_level (MsImapClient *self,
                                const char   *mailbox,
                                MsMessage    *local_message)
{
  MsImapCachedMessage *entry;

  g_return_val_if_fail (MS_IS_IMAP_CLIENT (self), MS_IMAP_CACHE_NONE);
  g_return_val_if_fail (local_message != NULL, MS_IMAP_CACHE_NONE);

  entry = ms_imap_client_cache_find_local (ms_imap_client_cache_mailbox (self->store, self->user, mailbox),
                                    ms_message_get_uid (local_message));
  return entry ? entry->level : MS_IMAP_CACHE_NONE;
}

guint
ms_imap_client_get_n_queued (MsImapClient *self)
{
  g_return_val_if_fail (MS_IS_IMAP_CLIENT (self), 0);
  return ms_imap_client_cache_offline_queue (self->store, self->user)->len;
}

GArray *
ms_imap_client_get_search_result (MsImapClient *self)
{
  g_return_val_if_fail (MS_IS_IMAP_CLIENT (self), NULL);
  return self->search_result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <glib/gi18n-lib.h>

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

G_DEFINE_FINAL_TYPE_WITH_CODE (MsImapClient, ms_imap_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_CLIENT_SESSION,
                                                      ms_imap_client_session_init))

static const char *state_names[] = {
  [MS_IMAP_CLIENT_STATE_OFFLINE]           = "offline",
  [MS_IMAP_CLIENT_STATE_CONNECTING]        = NC_ ("transcript", "connecting"),
  [MS_IMAP_CLIENT_STATE_GREETING]          = NC_ ("transcript", "greeting"),
  [MS_IMAP_CLIENT_STATE_NOT_AUTHENTICATED] = NC_ ("transcript", "not-authenticated"),
  [MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE]     = NC_ ("transcript", "tls-handshake"),
  [MS_IMAP_CLIENT_STATE_AUTHENTICATED]     = NC_ ("transcript", "authenticated"),
  [MS_IMAP_CLIENT_STATE_SELECTED]          = NC_ ("transcript", "selected"),
  [MS_IMAP_CLIENT_STATE_BUSY]              = NC_ ("transcript", "busy"),
  [MS_IMAP_CLIENT_STATE_IDLE]              = "idle",
  [MS_IMAP_CLIENT_STATE_LOGOUT]            = "logout",
  [MS_IMAP_CLIENT_STATE_CLOSING]           = NC_ ("transcript", "closing"),
};

const char *
ms_imap_client_state_to_string (MsImapClientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

void
ms_imap_client_emit (MsImapClient        *self,
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
  ms_imap_client_emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], NULL, state_names[old]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
ms_imap_client_command_free (MsImapClientCommand *cmd)
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
  g_clear_pointer (&cmd->plan, ms_client_action_free);
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
ms_imap_client_clear_queue (MsImapClient *self)
{
  MsImapClientCommand *cmd;

  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    ms_imap_client_command_free (cmd);
  g_clear_pointer (&self->planned, g_free);
  self->planned = g_strdup (self->selected);
}

static void
reset_job (MsImapClient *self)
{
  self->job_failed = FALSE;
  g_clear_pointer (&self->job_failure, ms_phrase_unref);
  self->job_bytes_in = 0;
  self->job_new = 0;
  self->job_vanished = 0;
  self->job_flag_updates = 0;
  self->job_bodies = 0;
  self->job_body_bytes = 0;
  g_ptr_array_set_size (self->job_notes, 0);
}

/* Takes @summary over. */
static void
finish_action (MsImapClient *self,
               gboolean      success,
               MsPhrase     *summary)
{
  g_autoptr(MsClientAction) action = g_steal_pointer (&self->action);

  if (action == NULL)
    {
      ms_phrase_unref (summary);
      return;
    }
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
  ms_imap_client_emit (self, MS_PROTOCOL_EVENT_COMMAND, cmd->verb, cmd->tag, full);
  self->current = cmd;
  self->awaiting_continuation = (cmd->literal != NULL || cmd->kind == CMD_IDLE);
  self->idle_done_sent = FALSE;
}

static void
job_complete (MsImapClient *self)
{
  if (self->action != NULL)
    {
      MsPhrase *summary = ms_imap_client_job_summary (self);
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
      ms_imap_client_send_next (self);
      return;
    }
  if (self->selected && self->policy.use_idle && g_hash_table_contains (self->caps, "IDLE"))
    {
      ms_imap_client_queue (self, CMD_IDLE, self->selected, "IDLE", "IDLE");
      ms_imap_client_send_next (self);
      return;
    }
  ms_imap_client_set_state (self, self->selected ? MS_IMAP_CLIENT_STATE_SELECTED
                                                 : MS_IMAP_CLIENT_STATE_AUTHENTICATED);
}

/* RFC 3501 section 6.2.3: a server that says LOGINDISABLED (often before
 * TLS) may still take SASL PLAIN (RFC 4616); with SASL-IR (RFC 4959) the
 * credentials ride on the command line, else they follow the "+". */
static void
use_authenticate_plain (MsImapClient        *self,
                        MsImapClientCommand *cmd)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autofree char *b64 = NULL;

  g_byte_array_append (plain, (const guint8 *) "", 1);
  g_byte_array_append (plain, (const guint8 *) self->user, strlen (self->user) + 1);
  g_byte_array_append (plain, (const guint8 *) self->password, strlen (self->password));
  b64 = g_base64_encode (plain->data, plain->len);
  g_free (cmd->verb);
  g_free (cmd->line);
  cmd->verb = g_strdup ("AUTHENTICATE");
  if (g_hash_table_contains (self->caps, "SASL-IR"))
    cmd->line = g_strdup_printf ("AUTHENTICATE PLAIN %s", b64);
  else
    {
      cmd->line = g_strdup ("AUTHENTICATE PLAIN");
      cmd->literal = g_bytes_new (b64, strlen (b64));
    }
}

void
ms_imap_client_send_next (MsImapClient *self)
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
          ms_imap_client_emit (self, MS_PROTOCOL_EVENT_COMMAND, "DONE", self->current->tag, "DONE");
          self->idle_done_sent = TRUE;
          ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_BUSY);
        }
      return;
    }
  while ((cmd = g_queue_pop_head (self->queue)) != NULL)
    {
      if (cmd->kind == CMD_PLAN)
        {
          ms_imap_client_plan_deferred (self, cmd->plan);
          ms_imap_client_command_free (cmd);
          continue;
        }
      if (cmd->kind == CMD_LOGIN && g_hash_table_contains (self->caps, "LOGINDISABLED") &&
          g_hash_table_contains (self->caps, "AUTH=PLAIN"))
        use_authenticate_plain (self, cmd);
      if (cmd->kind == CMD_SYNC)
        {
          ms_imap_client_expand_sync (self);
          ms_imap_client_command_free (cmd);
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

void
ms_imap_client_protocol_error (MsImapClient *self,
                               MsPhrase     *why)
{
  ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), "protocol-error", ms_phrase_ref (why));
  ms_imap_client_note_failure (self, why);
  ms_imap_client_clear_queue (self);
  ms_imap_client_command_free (g_steal_pointer (&self->current));
  ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_CLOSING);
}

static void
handle_response (MsImapClient   *self,
                 MsImapClientResponse *r)
{
  const char *name = r->kind == MS_IMAP_CLIENT_RESPONSE_CONTINUATION ? "+" : r->status ? r->status : r->name;

  ms_imap_client_emit (self, MS_PROTOCOL_EVENT_RESPONSE, name, r->tag, r->line);
  self->job_bytes_in += r->wire_size;

  if (r->kind == MS_IMAP_CLIENT_RESPONSE_CONTINUATION)
    {
      MsImapClientCommand *cmd = self->current;

      if (cmd == NULL || !self->awaiting_continuation)
        {
          ms_imap_client_protocol_error (self, ms_phrase_new (NC_ ("transcript", "the server sent a continuation "
                                                                    "nobody asked for")));
          return;
        }
      self->awaiting_continuation = FALSE;
      if (cmd->kind == CMD_IDLE)
        {
          ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_IDLE);
          if (self->action && self->action->kind == MS_CLIENT_ACTION_IDLE)
            {
              MsPhrase *summary = ms_imap_client_job_summary (self);

              reset_job (self);
              finish_action (self, TRUE, summary);
            }
          ms_imap_client_send_next (self);   /* something may already be waiting: DONE at once */
          return;
        }
      {
        g_autofree char *elided = cmd->kind == CMD_LOGIN ?
          g_strndup (g_bytes_get_data (cmd->literal, NULL), g_bytes_get_size (cmd->literal)) :
          g_strdup_printf ("{%" G_GSIZE_FORMAT " bytes}", g_bytes_get_size (cmd->literal));

        g_byte_array_append (self->out, g_bytes_get_data (cmd->literal, NULL), g_bytes_get_size (cmd->literal));
        g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
        ms_imap_client_emit (self, MS_PROTOCOL_EVENT_COMMAND, cmd->kind == CMD_LOGIN ? "AUTHENTICATE" : "literal",
                             cmd->tag, elided);
      }
      return;
    }
  if (r->kind == MS_IMAP_CLIENT_RESPONSE_UNTAGGED)
    {
      ms_imap_client_handle_untagged (self, r);
      return;
    }
  if (self->current == NULL || g_strcmp0 (self->current->tag, r->tag) != 0)
    {
      ms_imap_client_protocol_error (self, ms_phrase_new (NC_ ("transcript", "the server answered a tag that "
                                                                  "was never sent")));
      return;
    }
  {
    MsImapClientCommand *cmd = g_steal_pointer (&self->current);

    self->awaiting_continuation = FALSE;
    ms_imap_client_handle_tagged (self, cmd, r);
    ms_imap_client_command_free (cmd);
  }
  ms_imap_client_send_next (self);
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
          /* The parser's own words, as the wire gave cause for them. */
          ms_imap_client_protocol_error (self, ms_phrase_text (error));
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
  MsPhrase *summary = NULL;
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
      finish_action (self, TRUE, ms_phrase_new (NC_ ("transcript", "not connected")));
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
  /* The server has the last word: the summary is made again when its
   * answers are in, so this one is not needed. */
  g_clear_pointer (&summary, ms_phrase_unref);
  if (!connected)
    {
      queue_setup (self);
      ms_imap_client_set_state (self, MS_IMAP_CLIENT_STATE_CONNECTING);
      return TRUE;
    }
  ms_imap_client_send_next (self);
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
      MsPhrase *summary = NULL;
      gboolean success;

      ms_imap_client_clear_queue (self);
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
  ms_imap_client_command_free (g_steal_pointer (&self->current));
  ms_imap_client_clear_queue (self);
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
      MsPhrase *why;

      if (what && g_str_has_prefix (what, "LOGIN "))
        {
          /* Never repeat the password in a summary. */
          g_free (what);
          what = g_strdup ("LOGIN");
        }
      if (what != NULL)
        why = lost ? ms_phrase_new (NC_ ("transcript", "the connection was lost during %s"), ms_phrase_text (what))
                   : ms_phrase_new (NC_ ("transcript", "the connection was closed by the server during %s"),
                                    ms_phrase_text (what));
      else
        why = lost ? ms_phrase_new (NC_ ("transcript", "the connection was lost"))
                   : ms_phrase_new (NC_ ("transcript", "the connection was closed by the server"));
      ms_imap_client_note_failure (self, why);
    }
  {
    MsPhrase *summary = ms_imap_client_job_summary (self);
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
      ms_imap_client_protocol_error (self, ms_phrase_new (NC_ ("transcript", "the TLS handshake failed")));
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
  ms_imap_client_send_next (self);
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

  ms_imap_client_command_free (self->current);
  ms_imap_client_clear_queue (self);
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
  g_clear_pointer (&self->job_failure, ms_phrase_unref);
  g_hash_table_unref (self->refreshed);
  g_array_unref (self->search_result);
  g_ptr_array_unref (self->job_notes);

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
  self->job_notes = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_phrase_unref);
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

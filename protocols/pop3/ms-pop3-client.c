/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-pop3-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "ms-pop3-client.h"
#include "ms-pop3-client-local.h"
#include "ms-pop3-client-private.h"
#include "ms-client-local.h"
#include "ms-protocol-event.h"
#include "ms-store.h"

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ms_pop3_client_session_init (MsClientSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsPop3Client, ms_pop3_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_CLIENT_SESSION,
                                                      ms_pop3_client_session_init))

static const char *state_names[] = {
  [MS_POP3_CLIENT_STATE_OFFLINE]       = "offline",
  [MS_POP3_CLIENT_STATE_CONNECTING]    = NC_ ("transcript", "connecting"),
  [MS_POP3_CLIENT_STATE_GREETING]      = NC_ ("transcript", "greeting"),
  [MS_POP3_CLIENT_STATE_CAPA]          = "capa",
  [MS_POP3_CLIENT_STATE_STLS]          = "stls",
  [MS_POP3_CLIENT_STATE_TLS_HANDSHAKE] = NC_ ("transcript", "tls-handshake"),
  [MS_POP3_CLIENT_STATE_USER]          = "user",
  [MS_POP3_CLIENT_STATE_PASS]          = "pass",
  [MS_POP3_CLIENT_STATE_STAT]          = "stat",
  [MS_POP3_CLIENT_STATE_UIDL]          = "uidl",
  [MS_POP3_CLIENT_STATE_RETR]          = "retr",
  [MS_POP3_CLIENT_STATE_DELE]          = "dele",
  [MS_POP3_CLIENT_STATE_RSET]          = "rset",
  [MS_POP3_CLIENT_STATE_QUIT]          = "quit",
  [MS_POP3_CLIENT_STATE_CLOSING]       = NC_ ("transcript", "closing"),
};

const char *
ms_pop3_client_state_to_string (MsPop3ClientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

void
ms_pop3_client_emit (MsPop3Client        *self,
      MsProtocolEventKind  kind,
      const char          *name,
      const char          *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (kind, "pop3", name, NULL, text);

  ms_client_session_emit_event (MS_CLIENT_SESSION (self), event);
}

/* The only place the state changes, so every transition is reported. */
void
ms_pop3_client_set_state (MsPop3Client      *self,
           MsPop3ClientState  state)
{
  MsPop3ClientState old = self->state;

  if (old == state)
    return;
  self->state = state;
  ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], state_names[old]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
ms_pop3_client_send_command (MsPop3Client      *self,
              MsPop3ClientState  waiting,
              const char        *verb,
              const char        *format,
              ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
  ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_COMMAND, verb, line);
  ms_pop3_client_set_state (self, waiting);
}

static void
reset_check (MsPop3Client *self)
{
  g_ptr_array_set_size (self->uidls, 0);
  self->have_uidl = FALSE;
  self->n_listed = 0;
  g_array_set_size (self->to_retr, 0);
  g_array_set_size (self->to_dele, 0);
  g_ptr_array_set_size (self->deleted_uidls, 0);
  self->stopping = FALSE;
  self->n_unmarked = 0;
  self->step = 0;
  self->current = 0;
  self->n_downloaded = 0;
  self->bytes_downloaded = 0;
  self->n_failed = 0;
  self->multiline = FALSE;
  g_byte_array_set_size (self->body, 0);
  g_clear_pointer (&self->failure, ms_phrase_unref);
}

void
ms_pop3_client_note_failure (MsPop3Client *self,
                             MsPhrase     *what)
{
  self->n_failed++;
  if (self->failure == NULL)
    self->failure = what;
  else
    ms_phrase_unref (what);
}

/* "downloaded 3 messages, 41 KB; left 3 on the server": the fragments of a
 * check's summary, each a sentence of its own. */
static MsPhrase *
build_summary (MsPop3Client *self,
               gboolean      completed)
{
  MsPhrase *summary = ms_phrase_list_new ("; ");
  guint dele = self->deleted_uidls->len;

  if (self->n_downloaded == 0)
    ms_phrase_list_append (summary, ms_phrase_new (NC_ ("transcript", "no new mail")));
  else
    ms_phrase_list_append (summary,
                           ms_phrase_new_plural (MS_NP ("transcript", "downloaded %u message, %s",
                                                        "downloaded %u messages, %s"),
                                                 self->n_downloaded, ms_phrase_uint (self->n_downloaded),
                                                 ms_client_local_size_phrase (self->bytes_downloaded)));
  if (completed)
    {
      guint left = self->n_listed > dele ? self->n_listed - dele : 0;

      if (dele > 0)
        ms_phrase_list_append (summary, ms_phrase_new (NC_ ("transcript", "deleted %u from the server"),
                                                       ms_phrase_uint (dele)));
      if (left > 0)
        ms_phrase_list_append (summary, ms_phrase_new (NC_ ("transcript", "left %u on the server"),
                                                       ms_phrase_uint (left)));
    }
  else if (dele > 0)
    ms_phrase_list_append (summary,
                           ms_phrase_new_plural (MS_NP ("transcript", "the %u DELE never took effect (no QUIT)",
                                                        "the %u DELEs never took effect (no QUIT)"),
                                                 dele, ms_phrase_uint (dele)));
  if (self->stopping)
    ms_phrase_list_append (summary, ms_phrase_new (NC_ ("transcript", "stopped by the user")));
  if (self->n_unmarked > 0)
    ms_phrase_list_append (summary,
                           ms_phrase_new_plural (MS_NP ("transcript",
                                                        "RSET took back %u deletion mark, so the server keeps it",
                                                        "RSET took back %u deletion marks, so the server keeps them"),
                                                 self->n_unmarked, ms_phrase_uint (self->n_unmarked)));
  if (self->failure)
    ms_phrase_list_append (summary, ms_phrase_ref (self->failure));
  return summary;
}

static void
finish (MsPop3Client *self,
        gboolean      success,
        MsPhrase     *summary)
{
  g_autoptr(MsClientAction) action = g_steal_pointer (&self->action);

  g_assert (action != NULL);
  ms_client_session_emit_action_finished (MS_CLIENT_SESSION (self), action, success, summary);
}

/* Gives up on the check politely: QUIT, then close. Nothing DELE'd before
 * takes effect unless the server answers QUIT (it does, in UPDATE state). */
void
ms_pop3_client_abort_with_quit (MsPop3Client *self,
                                const char   *why)
{
  ms_pop3_client_note_failure (self, ms_phrase_new (why));
  ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_QUIT, "QUIT", "QUIT");
}

/* A server that breaks the protocol gets no more commands. */
void
ms_pop3_client_protocol_error (MsPop3Client *self,
                               const char   *why)
{
  ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), NC_ ("transcript", "protocol-error"),
                                        ms_phrase_new (why));
  ms_pop3_client_note_failure (self, ms_phrase_new (why));
  g_byte_array_set_size (self->in, 0);
  ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_CLOSING);
}

static void
process_input (MsPop3Client *self)
{
  gsize pos = 0;

  while (pos < self->in->len && self->state != MS_POP3_CLIENT_STATE_CLOSING &&
         self->state != MS_POP3_CLIENT_STATE_TLS_HANDSHAKE &&
         self->state != MS_POP3_CLIENT_STATE_OFFLINE)
    {
      const char *start = (const char *) self->in->data + pos;
      const char *eol = memchr (start, '\n', self->in->len - pos);
      gsize limit = self->multiline ? MAX_DATA_LINE : MAX_STATUS_LINE;
      gsize len;

      if (eol == NULL)
        {
          if (self->in->len - pos > limit)
            ms_pop3_client_protocol_error (self, NC_ ("transcript", "a line from the server is too long"));
          break;
        }
      len = eol - start;
      pos += len + 1;
      if (len > limit)
        {
          ms_pop3_client_protocol_error (self, NC_ ("transcript", "a line from the server is too long"));
          break;
        }
      if (len > 0 && start[len - 1] == '\r')
        len--;

      if (self->multiline)
        {
          if (len == 1 && start[0] == '.')
            ms_pop3_client_handle_multiline_end (self);
          else if (len > 0 && start[0] == '.')
            ms_pop3_client_handle_data_line (self, start + 1, len - 1);  /* dot-unstuffing */
          else
            ms_pop3_client_handle_data_line (self, start, len);
        }
      else
        ms_pop3_client_handle_status (self, start, len);
    }
  if (self->state == MS_POP3_CLIENT_STATE_CLOSING || self->state == MS_POP3_CLIENT_STATE_OFFLINE)
    g_byte_array_set_size (self->in, 0);
  else
    g_byte_array_remove_range (self->in, 0, MIN (pos, self->in->len));
}

/* The interface. */

static const char *
client_get_protocol (MsClientSession *session)
{
  return "pop3";
}

static MsStore *
client_get_local_store (MsClientSession *session)
{
  return MS_POP3_CLIENT (session)->store;
}

static gboolean
client_begin_action (MsClientSession      *session,
                     const MsClientAction *action,
                     GError              **error)
{
  MsPop3Client *self = MS_POP3_CLIENT (session);
  MsPhrase *summary = NULL;
  gboolean success;

  g_return_val_if_fail (action != NULL, FALSE);

  if (self->action != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "The POP3 client is busy with %s",
                   ms_client_action_kind_to_string (self->action->kind));
      return FALSE;
    }

  if (action->kind == MS_CLIENT_ACTION_CHECK || action->kind == MS_CLIENT_ACTION_RESYNC)
    {
      self->action = ms_client_action_copy (action);
      reset_check (self);
      if (self->state == MS_POP3_CLIENT_STATE_OFFLINE)
        ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_CONNECTING);
      return TRUE;
    }

  /* Everything else happens on this device only: POP3 has no commands for it. */
  self->action = ms_client_action_copy (action);
  success = ms_pop3_client_local_perform (self->store, self->user, &self->policy, action, &summary);
  finish (self, success, summary);
  return TRUE;
}

static gboolean
client_is_busy (MsClientSession *session)
{
  return MS_POP3_CLIENT (session)->action != NULL;
}

static gboolean
client_wants_connection (MsClientSession *session)
{
  return MS_POP3_CLIENT (session)->state == MS_POP3_CLIENT_STATE_CONNECTING;
}

static gboolean
client_wants_close (MsClientSession *session)
{
  return MS_POP3_CLIENT (session)->state == MS_POP3_CLIENT_STATE_CLOSING;
}

static void
client_connected (MsClientSession *session)
{
  MsPop3Client *self = MS_POP3_CLIENT (session);

  g_return_if_fail (self->state == MS_POP3_CLIENT_STATE_CONNECTING);

  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
  self->tls_active = (self->tls == MS_CLIENT_TLS_IMPLICIT);
  ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_GREETING);
}

static void
client_feed (MsClientSession *session,
             const guint8    *data,
             gsize            len)
{
  MsPop3Client *self = MS_POP3_CLIENT (session);

  if (self->state == MS_POP3_CLIENT_STATE_OFFLINE || self->state == MS_POP3_CLIENT_STATE_CONNECTING)
    return;
  g_byte_array_append (self->in, data, len);
  process_input (self);
}

static gsize
client_take_output (MsClientSession *session,
                    GByteArray      *dest)
{
  MsPop3Client *self = MS_POP3_CLIENT (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static void
end_connection (MsPop3Client *self,
                gboolean      lost)
{
  gboolean completed = (self->state == MS_POP3_CLIENT_STATE_CLOSING);
  MsPop3ClientState was = self->state;

  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
  g_byte_array_set_size (self->body, 0);
  self->multiline = FALSE;
  self->tls_active = FALSE;
  ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_OFFLINE);

  if (self->action == NULL)
    return;
  if (!completed)
    {
      MsPhrase *state = ms_phrase_word (state_names[was]);

      ms_pop3_client_note_failure (self, lost
                                   ? ms_phrase_new (NC_ ("transcript",
                                                         "the connection was lost while waiting for %s"),
                                                    state)
                                   : ms_phrase_new (NC_ ("transcript",
                                                         "the connection was closed by the server "
                                                         "while waiting for %s"), state));
    }
  finish (self, completed && self->n_failed == 0, build_summary (self, completed));
}

static void
client_connection_closed (MsClientSession *session)
{
  end_connection (MS_POP3_CLIENT (session), FALSE);
}

static void
client_connection_lost (MsClientSession *session)
{
  end_connection (MS_POP3_CLIENT (session), TRUE);
}

static void
client_set_tls_active (MsClientSession *session,
                       gboolean         active)
{
  MsPop3Client *self = MS_POP3_CLIENT (session);

  self->tls_active = active;
  if (self->state != MS_POP3_CLIENT_STATE_TLS_HANDSHAKE)
    return;
  if (!active)
    {
      ms_pop3_client_protocol_error (self, NC_ ("transcript", "the TLS handshake failed"));
      return;
    }
  /* RFC 2595 section 4: forget what was learnt before TLS and ask again. */
  ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_CAPA, "CAPA", "CAPA");
}

static void
ms_pop3_client_session_init (MsClientSessionInterface *iface)
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
ms_pop3_client_finalize (GObject *object)
{
  MsPop3Client *self = MS_POP3_CLIENT (object);

  g_clear_object (&self->store);
  g_free (self->user);
  g_free (self->password);
  g_clear_pointer (&self->action, ms_client_action_free);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_byte_array_unref (self->body);
  g_ptr_array_unref (self->uidls);
  g_array_unref (self->to_retr);
  g_array_unref (self->to_dele);
  g_ptr_array_unref (self->deleted_uidls);
  g_clear_pointer (&self->failure, ms_phrase_unref);

  G_OBJECT_CLASS (ms_pop3_client_parent_class)->finalize (object);
}

static void
ms_pop3_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsPop3Client *self = MS_POP3_CLIENT (object);

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
ms_pop3_client_class_init (MsPop3ClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_pop3_client_finalize;
  object_class->get_property = ms_pop3_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, MS_POP3_CLIENT_STATE_CLOSING, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_pop3_client_init (MsPop3Client *self)
{
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->body = g_byte_array_new ();
  self->uidls = g_ptr_array_new_with_free_func (g_free);
  self->to_retr = g_array_new (FALSE, FALSE, sizeof (guint));
  self->to_dele = g_array_new (FALSE, FALSE, sizeof (guint));
  self->deleted_uidls = g_ptr_array_new_with_free_func (g_free);
}

MsPop3Client *
ms_pop3_client_new (MsStore              *local_store,
                    const char           *user,
                    const char           *password,
                    const MsClientPolicy *policy,
                    MsClientTlsMode       tls)
{
  MsPop3Client *self;

  g_return_val_if_fail (MS_IS_STORE (local_store), NULL);
  g_return_val_if_fail (user != NULL && password != NULL, NULL);

  self = g_object_new (MS_TYPE_POP3_CLIENT, NULL);
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

MsPop3ClientState
ms_pop3_client_get_state (MsPop3Client *self)
{
  g_return_val_if_fail (MS_IS_POP3_CLIENT (self), MS_POP3_CLIENT_STATE_OFFLINE);
  return self->state;
}

guint
ms_pop3_client_get_n_seen (MsPop3Client *self)
{
  g_return_val_if_fail (MS_IS_POP3_CLIENT (self), 0);
  return ms_pop3_client_local_count (self->store, self->user, FALSE);
}

gboolean
ms_pop3_client_stop (MsPop3Client *self)
{
  g_return_val_if_fail (MS_IS_POP3_CLIENT (self), FALSE);

  if (self->action == NULL || self->stopping ||
      self->state == MS_POP3_CLIENT_STATE_OFFLINE || self->state == MS_POP3_CLIENT_STATE_CONNECTING ||
      self->state == MS_POP3_CLIENT_STATE_QUIT || self->state == MS_POP3_CLIENT_STATE_CLOSING)
    return FALSE;
  /* A command is always in flight here; its answer comes first. */
  self->stopping = TRUE;
  ms_client_session_emit_notice_phrase (MS_CLIENT_SESSION (self), NC_ ("transcript", "stop"),
                                        ms_phrase_new (NC_ ("transcript", "the user pressed Stop: the client "
                                                            "finishes the command in progress, then stops")));
  return TRUE;
}

guint
ms_pop3_client_get_n_pending_deletes (MsPop3Client *self)
{
  g_return_val_if_fail (MS_IS_POP3_CLIENT (self), 0);
  return ms_pop3_client_local_count (self->store, self->user, TRUE);
}

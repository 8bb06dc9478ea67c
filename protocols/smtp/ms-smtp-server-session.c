/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMTP session's machinery: the line reader with its limits, command
 * dispatch through the table of ms-smtp-commands.c (message text goes to
 * ms-smtp-data.c), replies, events and the MsServerSession interface. */
#define G_LOG_DOMAIN "ms-smtp-server"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-smtp-server-session-private.h"

static void ms_smtp_server_session_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSmtpServerSession, ms_smtp_server_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION,
                                                      ms_smtp_server_session_iface_init))

static const char *state_names[] = {
  [MS_SMTP_SERVER_STATE_CONNECTED] = NC_ ("transcript", "connected"),
  [MS_SMTP_SERVER_STATE_GREETED]   = NC_ ("transcript", "greeted"),
  [MS_SMTP_SERVER_STATE_READY]     = NC_ ("transcript", "ready"),
  [MS_SMTP_SERVER_STATE_MAIL]      = "mail",
  [MS_SMTP_SERVER_STATE_RCPT]      = "rcpt",
  [MS_SMTP_SERVER_STATE_DATA]      = "data",
  [MS_SMTP_SERVER_STATE_TLS]       = "tls",
  [MS_SMTP_SERVER_STATE_CLOSED]    = NC_ ("transcript", "closed"),
};

const char *
ms_smtp_server_state_to_string (MsSmtpServerState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

void
ms_smtp_session_emit (MsSmtpServerSession *self,
                      MsProtocolEventKind  kind,
                      const char          *name,
                      const char          *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (kind, "smtp", name, NULL, text);

  ms_server_session_emit_event (MS_SERVER_SESSION (self), event);
}

void
ms_smtp_session_set_state (MsSmtpServerSession *self,
                           MsSmtpServerState    state)
{
  MsSmtpServerState old = self->state;

  if (old == state)
    return;
  self->state = state;
  ms_smtp_session_emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], state_names[old]);
}

void
ms_smtp_session_reply_line (MsSmtpServerSession *self,
                            guint                code,
                            gboolean             more,
                            const char          *text)
{
  g_autofree char *line = g_strdup_printf ("%u%c%s", code, more ? '-' : ' ', text);
  char name[4];

  g_snprintf (name, sizeof name, "%u", code);
  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
  ms_smtp_session_emit (self, MS_PROTOCOL_EVENT_RESPONSE, name, line);
}

void
ms_smtp_session_reply (MsSmtpServerSession *self,
                       guint                code,
                       const char          *text)
{
  ms_smtp_session_reply_line (self, code, FALSE, text);
}

void
ms_smtp_session_reset_transaction (MsSmtpServerSession *self)
{
  g_clear_pointer (&self->mail_from, g_free);
  g_ptr_array_set_size (self->recipients, 0);
  g_byte_array_set_size (self->data, 0);
  self->data_too_big = FALSE;
}

void
ms_smtp_session_bad_command (MsSmtpServerSession *self,
                             guint                code,
                             const char          *text)
{
  ms_smtp_session_reply (self, code, text);
  if (++self->n_bad >= MS_SMTP_MAX_BAD_COMMANDS)
    {
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "smtp", NC_ ("transcript", "too-many-errors"),
                                            ms_phrase_new (NC_ ("transcript", "closing after too many bad commands")));
      ms_smtp_session_reply (self, 421, "4.7.0 Too many errors, closing connection");
      ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
    }
}

static void
command_line (MsSmtpServerSession *self,
              const char          *line,
              gsize                len)
{
  g_autofree char *text = g_utf8_make_valid (line, len);
  g_autofree char *verb = NULL;
  const char *space;
  const char *arg = NULL;

  if (self->auth_pending)
    {
      self->auth_pending = FALSE;
      ms_smtp_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, "AUTH", text);
      ms_smtp_auth_plain (self, text);
      return;
    }
  space = strchr (text, ' ');
  verb = g_ascii_strup (text, space ? space - text : -1);
  if (space)
    arg = space + 1;
  ms_smtp_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, verb, text);
  if (memchr (line, '\0', len) != NULL)
    {
      ms_smtp_session_bad_command (self, 500, "5.5.2 NUL in command");
      return;
    }

  for (guint i = 0; i < ms_smtp_n_commands; i++)
    if (strcmp (ms_smtp_commands[i].name, verb) == 0)
      {
        if ((ms_smtp_commands[i].states & MS_SMTP_IN (self->state)) == 0)
          {
            ms_smtp_session_bad_command (self, 503, "5.5.1 Bad sequence of commands");
            return;
          }
        ms_smtp_commands[i].handler (self, arg);
        return;
      }
  ms_smtp_session_bad_command (self, 500, "5.5.2 Command not recognized");
}

static void
process_input (MsSmtpServerSession *self)
{
  gsize pos = 0;

  while (pos < self->in->len && self->state != MS_SMTP_SERVER_STATE_CLOSED &&
         self->state != MS_SMTP_SERVER_STATE_TLS)
    {
      const char *start = (const char *) self->in->data + pos;
      const char *eol = memchr (start, '\n', self->in->len - pos);
      gboolean in_data = (self->state == MS_SMTP_SERVER_STATE_DATA);
      gsize limit = in_data ? MS_SMTP_MAX_DATA_LINE : MS_SMTP_MAX_COMMAND_LINE;
      gsize len;

      if (eol == NULL)
        {
          if (self->in->len - pos > limit)
            {
              /* Drop what we have and skip to the end of this line. */
              pos = self->in->len;
              if (!self->discarding)
                {
                  self->discarding = TRUE;
                  if (in_data)
                    self->data_too_big = TRUE;
                  else
                    ms_smtp_session_bad_command (self, 500, "5.5.2 Line too long");
                }
            }
          break;
        }
      len = eol - start;
      pos += len + 1;
      if (self->discarding)
        {
          self->discarding = FALSE;
          continue;
        }
      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (len > limit)
        {
          if (in_data)
            self->data_too_big = TRUE;
          else
            ms_smtp_session_bad_command (self, 500, "5.5.2 Line too long");
          continue;
        }
      if (in_data)
        ms_smtp_data_line (self, start, len);
      else
        command_line (self, start, len);
    }
  if (self->state == MS_SMTP_SERVER_STATE_TLS || self->state == MS_SMTP_SERVER_STATE_CLOSED)
    g_byte_array_set_size (self->in, 0);
  else
    g_byte_array_remove_range (self->in, 0, MIN (pos, self->in->len));
}

/* MsServerSession */

static void
session_start (MsServerSession *session)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);
  g_autofree char *text = g_strdup_printf ("%s ESMTP Mailscope submission ready", self->hostname);

  g_return_if_fail (self->state == MS_SMTP_SERVER_STATE_CONNECTED);
  ms_smtp_session_reply (self, 220, text);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_GREETED);
}

static void
session_feed (MsServerSession *session,
              const guint8    *data,
              gsize            len)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  if (self->state == MS_SMTP_SERVER_STATE_CLOSED || self->state == MS_SMTP_SERVER_STATE_TLS ||
      self->state == MS_SMTP_SERVER_STATE_CONNECTED)
    return;
  g_byte_array_append (self->in, data, len);
  process_input (self);
}

static gsize
session_take_output (MsServerSession *session,
                     GByteArray      *dest)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static gboolean
session_is_finished (MsServerSession *session)
{
  return MS_SMTP_SERVER_SESSION (session)->state == MS_SMTP_SERVER_STATE_CLOSED;
}

static void
session_connection_lost (MsServerSession *session)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  /* A message whose final "." never arrived is not delivered (RFC 5321 section 4.1.1.4). */
  ms_smtp_session_reset_transaction (self);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
}

static guint
session_get_hold_ms (MsServerSession *session)
{
  return 0;
}

static void
session_release_hold (MsServerSession *session)
{
}

static void
session_set_tls_active (MsServerSession *session,
                        gboolean         active)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  self->tls_active = active;
  if (self->state != MS_SMTP_SERVER_STATE_TLS)
    return;
  if (!active)
    {
      ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
      return;
    }
  /* RFC 3207 section 4.2: forget everything; the client starts over with EHLO. */
  g_clear_pointer (&self->helo, g_free);
  g_clear_pointer (&self->auth_user, g_free);
  ms_smtp_session_reset_transaction (self);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_GREETED);
}

static gboolean
session_get_tls_active (MsServerSession *session)
{
  return MS_SMTP_SERVER_SESSION (session)->tls_active;
}

static void
ms_smtp_server_session_iface_init (MsServerSessionInterface *iface)
{
  iface->start = session_start;
  iface->feed = session_feed;
  iface->take_output = session_take_output;
  iface->is_finished = session_is_finished;
  iface->connection_lost = session_connection_lost;
  iface->get_hold_ms = session_get_hold_ms;
  iface->release_hold = session_release_hold;
  iface->set_tls_active = session_set_tls_active;
  iface->get_tls_active = session_get_tls_active;
}

static void
ms_smtp_server_session_finalize (GObject *object)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (object);

  g_clear_object (&self->store);
  g_free (self->hostname);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_free (self->helo);
  g_free (self->auth_user);
  g_free (self->mail_from);
  g_ptr_array_unref (self->recipients);
  g_byte_array_unref (self->data);

  G_OBJECT_CLASS (ms_smtp_server_session_parent_class)->finalize (object);
}

static void
ms_smtp_server_session_class_init (MsSmtpServerSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_smtp_server_session_finalize;
}

static void
ms_smtp_server_session_init (MsSmtpServerSession *self)
{
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->recipients = g_ptr_array_new ();
  self->data = g_byte_array_new ();
}

MsSmtpServerSession *
ms_smtp_server_session_new (MsStore    *store,
                            const char *hostname,
                            gboolean    tls_available)
{
  MsSmtpServerSession *self;

  g_return_val_if_fail (MS_IS_STORE (store), NULL);

  self = g_object_new (MS_TYPE_SMTP_SERVER_SESSION, NULL);
  self->store = g_object_ref (store);
  self->hostname = g_strdup (hostname ? hostname : "mail.example.org");
  self->tls_available = tls_available;
  return self;
}

void
ms_smtp_server_session_set_now (MsSmtpServerSession *self,
                                gint64               now)
{
  g_return_if_fail (MS_IS_SMTP_SERVER_SESSION (self));
  self->now = now;
}

MsSmtpServerState
ms_smtp_server_session_get_state (MsSmtpServerSession *self)
{
  g_return_val_if_fail (MS_IS_SMTP_SERVER_SESSION (self), MS_SMTP_SERVER_STATE_CLOSED);
  return self->state;
}

guint
ms_smtp_server_session_get_n_delivered (MsSmtpServerSession *self)
{
  g_return_val_if_fail (MS_IS_SMTP_SERVER_SESSION (self), 0);
  return self->n_delivered;
}

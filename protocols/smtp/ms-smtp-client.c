/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-smtp-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-smtp-client.h"
#include "ms-protocol-event.h"

struct _MsSmtpClient
{
  GObject            parent_instance;

  char              *user;
  char              *password;
  char              *from;
  GStrv              to;
  GBytes            *message;
  MsClientTlsMode    tls;
  gboolean           tls_active;

  MsSmtpClientState  state;
  GByteArray        *in;
  GByteArray        *out;
  GString           *reply;       /* the reply being collected, lines joined by '\n' */
  guint              next_rcpt;
  guint              n_accepted;
  gboolean           delivered;
  char              *failure;
  gboolean           finished;
};

enum {
  SIGNAL_PROTOCOL_EVENT,
  SIGNAL_FINISHED,
  SIGNAL_TLS_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsSmtpClient, ms_smtp_client, G_TYPE_OBJECT)

static const char *state_names[] = {
  [MS_SMTP_CLIENT_STATE_CONNECTING]    = NC_ ("transcript", "connecting"),
  [MS_SMTP_CLIENT_STATE_GREETING]      = NC_ ("transcript", "greeting"),
  [MS_SMTP_CLIENT_STATE_EHLO]          = "ehlo",
  [MS_SMTP_CLIENT_STATE_STARTTLS]      = "starttls",
  [MS_SMTP_CLIENT_STATE_TLS_HANDSHAKE] = NC_ ("transcript", "tls-handshake"),
  [MS_SMTP_CLIENT_STATE_AUTH]          = "auth",
  [MS_SMTP_CLIENT_STATE_MAIL]          = "mail",
  [MS_SMTP_CLIENT_STATE_RCPT]          = "rcpt",
  [MS_SMTP_CLIENT_STATE_DATA]          = "data",
  [MS_SMTP_CLIENT_STATE_BODY]          = NC_ ("transcript", "body"),
  [MS_SMTP_CLIENT_STATE_QUIT]          = "quit",
  [MS_SMTP_CLIENT_STATE_CLOSING]       = NC_ ("transcript", "closing"),
  [MS_SMTP_CLIENT_STATE_DONE]          = NC_ ("transcript", "done"),
};

const char *
ms_smtp_client_state_to_string (MsSmtpClientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

static void
emit (MsSmtpClient        *self,
      MsProtocolEventKind  kind,
      const char          *name,
      const char          *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (kind, "smtp", name, NULL, text);

  g_signal_emit (self, signals[SIGNAL_PROTOCOL_EVENT], 0, event);
}

/* The only place the state changes. */
static void
set_state (MsSmtpClient      *self,
           MsSmtpClientState  state)
{
  MsSmtpClientState old = self->state;

  if (old == state)
    return;
  self->state = state;
  emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], state_names[old]);
}

static void
send_line (MsSmtpClient      *self,
           MsSmtpClientState  waiting,
           const char        *verb,
           const char        *line)
{
  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
  emit (self, MS_PROTOCOL_EVENT_COMMAND, verb, line);
  set_state (self, waiting);
}

static void
fail (MsSmtpClient *self,
      const char   *why)
{
  if (self->failure == NULL)
    self->failure = g_strdup (why);
  send_line (self, MS_SMTP_CLIENT_STATE_QUIT, "QUIT", "QUIT");
}

static void
send_ehlo (MsSmtpClient *self)
{
  send_line (self, MS_SMTP_CLIENT_STATE_EHLO, "EHLO", "EHLO client.example.org");
}

static void
send_auth (MsSmtpClient *self)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;

  /* RFC 4616: an empty authorization identity, NUL, user, NUL, password. */
  g_byte_array_append (plain, (const guint8 *) "", 1);
  g_byte_array_append (plain, (const guint8 *) self->user, strlen (self->user) + 1);
  g_byte_array_append (plain, (const guint8 *) self->password, strlen (self->password));
  b64 = g_base64_encode (plain->data, plain->len);
  line = g_strdup_printf ("AUTH PLAIN %s", b64);
  send_line (self, MS_SMTP_CLIENT_STATE_AUTH, "AUTH", line);
}

static void
send_rcpt_or_data (MsSmtpClient *self)
{
  if (self->to[self->next_rcpt] != NULL)
    {
      g_autofree char *line = g_strdup_printf ("RCPT TO:<%s>", self->to[self->next_rcpt++]);

      send_line (self, MS_SMTP_CLIENT_STATE_RCPT, "RCPT", line);
    }
  else if (self->n_accepted == 0)
    fail (self, "the server accepted none of the recipients");
  else
    send_line (self, MS_SMTP_CLIENT_STATE_DATA, "DATA", "DATA");
}

static void
send_body (MsSmtpClient *self)
{
  gsize len;
  const char *data = g_bytes_get_data (self->message, &len);
  gsize pos = 0;
  g_autofree char *elided = g_strdup_printf ("{%" G_GSIZE_FORMAT " bytes}", len);

  /* Normalise line ends to CRLF and stuff a dot before lines that start with
   * one (RFC 5321 section 4.5.2), then the lone "." that ends the data. */
  while (pos < len)
    {
      const char *eol = memchr (data + pos, '\n', len - pos);
      gsize line_len = eol ? (gsize) (eol - data - pos) : len - pos;
      gsize content = line_len;

      if (content > 0 && data[pos + content - 1] == '\r')
        content--;
      if (content > 0 && data[pos] == '.')
        g_byte_array_append (self->out, (const guint8 *) ".", 1);
      g_byte_array_append (self->out, (const guint8 *) data + pos, content);
      g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
      pos += line_len + (eol ? 1 : 0);
    }
  g_byte_array_append (self->out, (const guint8 *) ".\r\n", 3);
  emit (self, MS_PROTOCOL_EVENT_COMMAND, "data", elided);
  set_state (self, MS_SMTP_CLIENT_STATE_BODY);
}

static void
handle_reply (MsSmtpClient *self,
              guint         code)
{
  gboolean ok = (code >= 200 && code < 400);

  switch (self->state)
    {
    case MS_SMTP_CLIENT_STATE_GREETING:
      if (code != 220)
        fail (self, "the server refused the connection");
      else
        send_ehlo (self);
      break;
    case MS_SMTP_CLIENT_STATE_EHLO:
      if (code != 250)
        fail (self, "EHLO was refused");
      else if (self->tls == MS_CLIENT_TLS_STARTTLS && !self->tls_active)
        send_line (self, MS_SMTP_CLIENT_STATE_STARTTLS, "STARTTLS", "STARTTLS");
      else
        send_auth (self);
      break;
    case MS_SMTP_CLIENT_STATE_STARTTLS:
      if (code != 220)
        fail (self, "the server refused STARTTLS, so the client did not log in");
      else
        {
          set_state (self, MS_SMTP_CLIENT_STATE_TLS_HANDSHAKE);
          g_signal_emit (self, signals[SIGNAL_TLS_REQUESTED], 0);
        }
      break;
    case MS_SMTP_CLIENT_STATE_AUTH:
      if (code != 235)
        fail (self, "authentication failed");
      else
        {
          g_autofree char *line = g_strdup_printf ("MAIL FROM:<%s>", self->from);

          send_line (self, MS_SMTP_CLIENT_STATE_MAIL, "MAIL", line);
        }
      break;
    case MS_SMTP_CLIENT_STATE_MAIL:
      if (code != 250)
        fail (self, "the server refused the sender");
      else
        send_rcpt_or_data (self);
      break;
    case MS_SMTP_CLIENT_STATE_RCPT:
      if (code == 250 || code == 251)
        self->n_accepted++;
      send_rcpt_or_data (self);
      break;
    case MS_SMTP_CLIENT_STATE_DATA:
      if (code != 354)
        fail (self, "the server refused DATA");
      else
        send_body (self);
      break;
    case MS_SMTP_CLIENT_STATE_BODY:
      if (code != 250)
        fail (self, "the server refused the message");
      else
        {
          self->delivered = TRUE;
          send_line (self, MS_SMTP_CLIENT_STATE_QUIT, "QUIT", "QUIT");
        }
      break;
    case MS_SMTP_CLIENT_STATE_QUIT:
      set_state (self, MS_SMTP_CLIENT_STATE_CLOSING);
      break;
    default:
      if (!ok && self->failure == NULL)
        self->failure = g_strdup ("the server sent a reply nobody asked for");
      set_state (self, MS_SMTP_CLIENT_STATE_CLOSING);
      break;
    }
}

static void
protocol_error (MsSmtpClient *self,
                const char   *why)
{
  emit (self, MS_PROTOCOL_EVENT_NOTICE, NC_ ("transcript", "protocol-error"), why);
  if (self->failure == NULL)
    self->failure = g_strdup (why);
  set_state (self, MS_SMTP_CLIENT_STATE_CLOSING);
}

static void
process_input (MsSmtpClient *self)
{
  gsize pos = 0;

  while (pos < self->in->len && self->state != MS_SMTP_CLIENT_STATE_CLOSING &&
         self->state != MS_SMTP_CLIENT_STATE_TLS_HANDSHAKE && self->state != MS_SMTP_CLIENT_STATE_DONE)
    {
      const char *start = (const char *) self->in->data + pos;
      const char *eol = memchr (start, '\n', self->in->len - pos);
      g_autofree char *text = NULL;
      gsize len;
      guint code;

      if (eol == NULL)
        {
          if (self->in->len - pos > MS_SMTP_CLIENT_MAX_REPLY_LINE)
            protocol_error (self, "a reply line is too long");
          break;
        }
      len = eol - start;
      pos += len + 1;
      if (len > 0 && start[len - 1] == '\r')
        len--;
      text = g_utf8_make_valid (start, len);
      /* RFC 5321 section 4.2: three digits, then '-' (more lines follow) or ' ' (last). */
      if (len < 3 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2]) ||
          (len > 3 && text[3] != ' ' && text[3] != '-') || len > MS_SMTP_CLIENT_MAX_REPLY_LINE)
        {
          protocol_error (self, "the server sent a malformed reply");
          break;
        }
      {
        char name[4] = { text[0], text[1], text[2], '\0' };

        emit (self, MS_PROTOCOL_EVENT_RESPONSE, name, text);
        code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
      }
      if (len > 3 && text[3] == '-')
        continue;
      handle_reply (self, code);
    }
  if (self->state == MS_SMTP_CLIENT_STATE_CLOSING || self->state == MS_SMTP_CLIENT_STATE_DONE)
    g_byte_array_set_size (self->in, 0);
  else
    g_byte_array_remove_range (self->in, 0, MIN (pos, self->in->len));
}

static void
end (MsSmtpClient *self,
     gboolean      lost)
{
  g_autofree char *summary = NULL;
  MsSmtpClientState was = self->state;

  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
  set_state (self, MS_SMTP_CLIENT_STATE_DONE);
  if (self->finished)
    return;
  self->finished = TRUE;
  if (self->delivered)
    summary = g_strdup_printf ("submitted the message by SMTP for %u recipient%s", self->n_accepted,
                               self->n_accepted == 1 ? "" : "s");
  else if (self->failure)
    summary = g_strdup_printf ("not sent: %s", self->failure);
  else
    summary = g_strdup_printf ("not sent: the connection was %s while waiting for %s",
                               lost ? "lost" : "closed", state_names[was]);
  /* Once the server said 250 to the data, the message is its responsibility,
   * even if the QUIT never got through. */
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->delivered, summary);
}

gboolean
ms_smtp_client_wants_connection (MsSmtpClient *self)
{
  g_return_val_if_fail (MS_IS_SMTP_CLIENT (self), FALSE);
  return self->state == MS_SMTP_CLIENT_STATE_CONNECTING;
}

gboolean
ms_smtp_client_wants_close (MsSmtpClient *self)
{
  g_return_val_if_fail (MS_IS_SMTP_CLIENT (self), FALSE);
  return self->state == MS_SMTP_CLIENT_STATE_CLOSING;
}

void
ms_smtp_client_connected (MsSmtpClient *self)
{
  g_return_if_fail (MS_IS_SMTP_CLIENT (self));
  g_return_if_fail (self->state == MS_SMTP_CLIENT_STATE_CONNECTING);

  self->tls_active = (self->tls == MS_CLIENT_TLS_IMPLICIT);
  set_state (self, MS_SMTP_CLIENT_STATE_GREETING);
}

void
ms_smtp_client_feed (MsSmtpClient *self,
                     const guint8 *data,
                     gsize         len)
{
  g_return_if_fail (MS_IS_SMTP_CLIENT (self));

  if (self->state == MS_SMTP_CLIENT_STATE_CONNECTING || self->state == MS_SMTP_CLIENT_STATE_DONE)
    return;
  g_byte_array_append (self->in, data, len);
  process_input (self);
}

gsize
ms_smtp_client_take_output (MsSmtpClient *self,
                            GByteArray   *dest)
{
  gsize n;

  g_return_val_if_fail (MS_IS_SMTP_CLIENT (self), 0);

  n = self->out->len;
  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

void
ms_smtp_client_connection_closed (MsSmtpClient *self)
{
  g_return_if_fail (MS_IS_SMTP_CLIENT (self));
  end (self, FALSE);
}

void
ms_smtp_client_connection_lost (MsSmtpClient *self)
{
  g_return_if_fail (MS_IS_SMTP_CLIENT (self));
  end (self, TRUE);
}

void
ms_smtp_client_set_tls_active (MsSmtpClient *self,
                               gboolean      active)
{
  g_return_if_fail (MS_IS_SMTP_CLIENT (self));

  self->tls_active = active;
  if (self->state != MS_SMTP_CLIENT_STATE_TLS_HANDSHAKE)
    return;
  if (!active)
    protocol_error (self, "the TLS handshake failed");
  else
    send_ehlo (self);   /* RFC 3207 section 4.2: start over with EHLO */
}

MsSmtpClientState
ms_smtp_client_get_state (MsSmtpClient *self)
{
  g_return_val_if_fail (MS_IS_SMTP_CLIENT (self), MS_SMTP_CLIENT_STATE_DONE);
  return self->state;
}

guint
ms_smtp_client_get_n_accepted (MsSmtpClient *self)
{
  g_return_val_if_fail (MS_IS_SMTP_CLIENT (self), 0);
  return self->n_accepted;
}

static void
ms_smtp_client_finalize (GObject *object)
{
  MsSmtpClient *self = MS_SMTP_CLIENT (object);

  g_free (self->user);
  g_free (self->password);
  g_free (self->from);
  g_strfreev (self->to);
  g_bytes_unref (self->message);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_string_free (self->reply, TRUE);
  g_free (self->failure);

  G_OBJECT_CLASS (ms_smtp_client_parent_class)->finalize (object);
}

static void
ms_smtp_client_class_init (MsSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_smtp_client_finalize;

  /**
   * MsSmtpClient::protocol-event:
   * @event: (type MsProtocolEvent): valid during emission only
   */
  signals[SIGNAL_PROTOCOL_EVENT] =
    g_signal_new ("protocol-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MS_TYPE_PROTOCOL_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * MsSmtpClient::finished:
   * @success: TRUE when the server accepted the message
   * @summary: one line for the narration
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[SIGNAL_TLS_REQUESTED] =
    g_signal_new ("tls-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ms_smtp_client_init (MsSmtpClient *self)
{
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->reply = g_string_new (NULL);
}

MsSmtpClient *
ms_smtp_client_new (const char         *user,
                    const char         *password,
                    const char         *from,
                    const char * const *to,
                    GBytes             *message,
                    MsClientTlsMode     tls)
{
  MsSmtpClient *self;

  g_return_val_if_fail (user != NULL && password != NULL && from != NULL, NULL);
  g_return_val_if_fail (to != NULL && message != NULL, NULL);

  self = g_object_new (MS_TYPE_SMTP_CLIENT, NULL);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  self->from = g_strdup (from);
  self->to = g_strdupv ((char **) to);
  self->message = g_bytes_ref (message);
  self->tls = tls;
  return self;
}

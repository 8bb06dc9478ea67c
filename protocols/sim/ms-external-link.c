/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-external-link"
#include "config.h"

#include <string.h>

#include "ms-external-link.h"
#include "ms-protocol-event.h"

/* How long to wait for a server that says nothing, and how long a pause
 * ends an answer. A local Dovecot answers in well under a millisecond. */
#define CONNECT_TIMEOUT_S   5
#define FIRST_BYTE_MS       30000
#define QUIET_MS            150
/* Read no more than this per answer: a teaching run, not a mirror. */
#define MAX_ANSWER          (64u * 1024u * 1024u)

struct _MsExternalLink
{
  GObject            parent_instance;
  char              *protocol;
  char              *host;
  guint16            port;
  GSocketConnection *connection;
  GByteArray        *output;
  gboolean           finished;
};

static void server_session_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsExternalLink, ms_external_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION, server_session_iface_init))

static void
notice (MsExternalLink *self,
        const char     *name,
        const char     *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (MS_PROTOCOL_EVENT_NOTICE, self->protocol,
                                                            name, NULL, text);

  ms_server_session_emit_event (MS_SERVER_SESSION (self), event);
}

static void
close_socket (MsExternalLink *self)
{
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  self->finished = TRUE;
}

/* Reads what the server sends until it pauses. */
static void
read_answer (MsExternalLink *self)
{
  GSocket *socket;
  int timeout = FIRST_BYTE_MS;
  gsize total = 0;

  if (self->connection == NULL)
    return;
  socket = g_socket_connection_get_socket (self->connection);

  while (total < MAX_ANSWER)
    {
      guint8 buf[16384];
      gssize n;
      g_autoptr(GError) error = NULL;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN, (gint64) timeout * 1000, NULL, NULL))
        return;   /* quiet: the answer is complete for now */
      n = g_socket_receive (socket, (char *) buf, sizeof buf, NULL, &error);
      if (n <= 0)
        {
          notice (self, "closed", n == 0 ? "the server closed the connection" : error->message);
          close_socket (self);
          return;
        }
      g_byte_array_append (self->output, buf, (guint) n);
      total += (gsize) n;
      timeout = QUIET_MS;
    }
}

static void
ext_start (MsServerSession *session)
{
  MsExternalLink *self = MS_EXTERNAL_LINK (session);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  self->connection = g_socket_client_connect_to_host (client, self->host, self->port, NULL, &error);
  if (self->connection == NULL)
    {
      notice (self, "connect-failed", error->message);
      self->finished = TRUE;
      return;
    }
  read_answer (self);
}

static void
ext_feed (MsServerSession *session,
          const guint8    *data,
          gsize            len)
{
  MsExternalLink *self = MS_EXTERNAL_LINK (session);
  g_autoptr(GError) error = NULL;

  if (self->connection == NULL)
    return;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (self->connection)),
                                  data, len, NULL, NULL, &error))
    {
      notice (self, "write-failed", error->message);
      close_socket (self);
      return;
    }
  read_answer (self);
}

static gsize
ext_take_output (MsServerSession *session,
                 GByteArray      *dest)
{
  MsExternalLink *self = MS_EXTERNAL_LINK (session);
  gsize n = self->output->len;

  g_byte_array_append (dest, self->output->data, self->output->len);
  g_byte_array_set_size (self->output, 0);
  return n;
}

static gboolean
ext_is_finished (MsServerSession *session)
{
  MsExternalLink *self = MS_EXTERNAL_LINK (session);

  return self->finished && self->output->len == 0;
}

static void
ext_connection_lost (MsServerSession *session)
{
  close_socket (MS_EXTERNAL_LINK (session));
}

static guint ext_get_hold_ms (MsServerSession *session) { return 0; }
static void ext_release_hold (MsServerSession *session) { }
static void ext_set_tls_active (MsServerSession *session, gboolean active) { }
static gboolean ext_get_tls_active (MsServerSession *session) { return FALSE; }

static void
server_session_iface_init (MsServerSessionInterface *iface)
{
  iface->start = ext_start;
  iface->feed = ext_feed;
  iface->take_output = ext_take_output;
  iface->is_finished = ext_is_finished;
  iface->connection_lost = ext_connection_lost;
  iface->get_hold_ms = ext_get_hold_ms;
  iface->release_hold = ext_release_hold;
  iface->set_tls_active = ext_set_tls_active;
  iface->get_tls_active = ext_get_tls_active;
}

static void
ms_external_link_finalize (GObject *object)
{
  MsExternalLink *self = MS_EXTERNAL_LINK (object);

  close_socket (self);
  g_byte_array_unref (self->output);
  g_free (self->protocol);
  g_free (self->host);
  G_OBJECT_CLASS (ms_external_link_parent_class)->finalize (object);
}

static void
ms_external_link_class_init (MsExternalLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_external_link_finalize;
}

static void
ms_external_link_init (MsExternalLink *self)
{
  self->output = g_byte_array_new ();
}

MsServerSession *
ms_external_link_new (const char  *url,
                      GError     **error)
{
  g_autoptr(MsExternalLink) self = NULL;
  const char *rest;
  const char *colon;
  guint64 port;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (MS_TYPE_EXTERNAL_LINK, NULL);
  if (g_str_has_prefix (url, "imap://"))
    self->protocol = g_strdup ("imap");
  else if (g_str_has_prefix (url, "pop3://"))
    self->protocol = g_strdup ("pop3");
  else
    goto bad;
  rest = url + strlen ("imap://");
  colon = strrchr (rest, ':');
  if (colon == NULL || colon == rest ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    goto bad;
  self->host = g_strndup (rest, (gsize) (colon - rest));
  if (strchr (self->host, '/') != NULL)
    goto bad;
  self->port = (guint16) port;
  return MS_SERVER_SESSION (g_steal_pointer (&self));

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not imap://HOST:PORT or pop3://HOST:PORT", url);
  return NULL;
}

const char *
ms_external_link_get_protocol (MsExternalLink *self)
{
  g_return_val_if_fail (MS_IS_EXTERNAL_LINK (self), NULL);
  return self->protocol;
}

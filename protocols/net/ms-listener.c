/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections are numbered across all listeners of the process, so that a
 * transcript of a server with POP3 and IMAP has one id per connection. */
#define G_LOG_DOMAIN "ms-net"
#include "config.h"

#include "ms-listener.h"

struct _MsListener
{
  GObject                 parent_instance;

  char                   *protocol;
  MsServerSessionFactory  factory;
  gpointer                user_data;
  GSocketService         *service;
  GPtrArray              *connections;  /* MsConnection, open ones */
  MsTlsContext           *tls_context;
  gboolean                tls_implicit;
};

G_DEFINE_FINAL_TYPE (MsListener, ms_listener, G_TYPE_OBJECT)

enum {
  CONNECTION_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static guint next_connection_id = 1;

GInetSocketAddress *
ms_listener_parse_address (const char  *address,
                           GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *host;
  guint16 port;

  g_return_val_if_fail (address != NULL, NULL);

  /* g_network_address_parse() accepts a missing port; we do not. */
  if (g_strrstr (address, ":") == NULL || g_str_has_suffix (address, "]"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not ADDRESS:PORT", address);
      return NULL;
    }
  parsed = g_network_address_parse (address, 0, error);
  if (parsed == NULL)
    return NULL;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address (or localhost)", host);
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet, port));
}

static char *
format_address (GSocketAddress *address)
{
  GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  g_autofree char *host = g_inet_address_to_string (inet);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

static void
on_connection_closed (MsConnection *connection,
                      int           reason,
                      MsListener   *self)
{
  g_ptr_array_remove (self->connections, connection);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *socket,
             GObject           *source,
             MsListener        *self)
{
  g_autoptr(MsServerSession) session = self->factory (self->user_data);
  g_autoptr(MsConnection) connection = NULL;

  g_return_val_if_fail (MS_IS_SERVER_SESSION (session), FALSE);

  connection = ms_connection_new (socket, session, self->protocol, next_connection_id++);
  if (self->tls_context != NULL)
    ms_connection_set_tls (connection, self->tls_context, self->tls_implicit);
  g_ptr_array_add (self->connections, g_object_ref (connection));
  g_signal_connect_object (connection, "closed", G_CALLBACK (on_connection_closed), self, 0);
  /* Before start, so that observers see the greeting too. */
  g_signal_emit (self, signals[CONNECTION_OPENED], 0, connection);
  ms_connection_start (connection);
  return TRUE;
}

static void
ms_listener_dispose (GObject *object)
{
  MsListener *self = MS_LISTENER (object);

  ms_listener_stop (self);
  g_clear_object (&self->service);
  g_clear_object (&self->tls_context);

  G_OBJECT_CLASS (ms_listener_parent_class)->dispose (object);
}

static void
ms_listener_finalize (GObject *object)
{
  MsListener *self = MS_LISTENER (object);

  g_free (self->protocol);
  g_ptr_array_unref (self->connections);

  G_OBJECT_CLASS (ms_listener_parent_class)->finalize (object);
}

static void
ms_listener_class_init (MsListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_listener_dispose;
  object_class->finalize = ms_listener_finalize;

  /**
   * MsListener::connection-opened:
   * @connection: the new MsConnection, not started yet
   */
  signals[CONNECTION_OPENED] =
    g_signal_new ("connection-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_CONNECTION);
}

static void
ms_listener_init (MsListener *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->service = g_socket_service_new ();
  /* GSocketListener's default backlog is 10: a burst of clients that
   * reconnect quickly (fetchmail polling, a classroom of Thunderbirds, the
   * load test) overflows it, and the kernel then silently drops their
   * handshakes, so they wait forever for a greeting. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 512);
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
}

MsListener *
ms_listener_new (const char             *protocol,
                 MsServerSessionFactory  factory,
                 gpointer                user_data)
{
  MsListener *self;

  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (factory != NULL, NULL);

  self = g_object_new (MS_TYPE_LISTENER, NULL);
  self->protocol = g_strdup (protocol);
  self->factory = factory;
  self->user_data = user_data;
  return self;
}

void
ms_listener_set_tls (MsListener   *self,
                     MsTlsContext *context,
                     gboolean      implicit)
{
  g_return_if_fail (MS_IS_LISTENER (self));
  g_return_if_fail (context == NULL || MS_IS_TLS_CONTEXT (context));

  g_set_object (&self->tls_context, context);
  self->tls_implicit = implicit;
}

char *
ms_listener_listen (MsListener  *self,
                    const char  *address,
                    GError     **error)
{
  g_autoptr(GInetSocketAddress) wanted = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (MS_IS_LISTENER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  wanted = ms_listener_parse_address (address, error);
  if (wanted == NULL)
    return NULL;
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), G_SOCKET_ADDRESS (wanted),
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    return NULL;
  g_socket_service_start (self->service);
  return format_address (bound);
}

void
ms_listener_stop (MsListener *self)
{
  g_autoptr(GPtrArray) open = NULL;

  g_return_if_fail (MS_IS_LISTENER (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  /* Closing removes each from the array through "closed": work on a copy. */
  open = g_ptr_array_copy (self->connections, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (open, g_object_unref);
  for (guint i = 0; i < open->len; i++)
    ms_connection_shutdown (g_ptr_array_index (open, i));
}

const char *
ms_listener_get_protocol (MsListener *self)
{
  g_return_val_if_fail (MS_IS_LISTENER (self), NULL);
  return self->protocol;
}

guint
ms_listener_get_n_connections (MsListener *self)
{
  g_return_val_if_fail (MS_IS_LISTENER (self), 0);
  return self->connections->len;
}

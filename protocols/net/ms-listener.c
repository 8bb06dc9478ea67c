/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections are numbered across all listeners of the process, so that a
 * transcript of a server with POP3 and IMAP has one id per connection. */
#define G_LOG_DOMAIN "ms-net"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-listen-socket.h"
#include "ms-listener.h"
#include "ms-protocol-event.h"

/* Failed logins from one client address, across its connections. */
typedef struct
{
  guint  failures;
  gint64 last_us;   /* monotonic time of the last failure */
} AddressRecord;

struct _MsListener
{
  GObject                 parent_instance;

  char                   *protocol;
  MsServerSessionFactory  factory;
  gpointer                user_data;
  MsListenSocket         *socket;
  GPtrArray              *connections;  /* MsConnection, open ones */
  MsTlsContext           *tls_context;
  gboolean                tls_implicit;
  guint                   max_connections;
  guint                   login_timeout_s;
  guint                   idle_timeout_s;
  char                   *refusal;      /* sent to a client over the limit, or NULL */
  GHashTable             *failures;     /* client address -> AddressRecord */
  gboolean                loopback;     /* the bound address is loopback */
  gboolean                deferred;     /* the opened handler starts connections */
};

G_DEFINE_FINAL_TYPE (MsListener, ms_listener, G_TYPE_OBJECT)

enum {
  CONNECTION_OPENED,
  CONNECTION_REFUSED,
  CONNECTION_DELAYED,
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

/* The client's address without the port, the key of the failure record. */
static char *
peer_host (GSocketConnection *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (socket, NULL);

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

static void
forget_old_failures (MsListener *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  AddressRecord *record;

  g_hash_table_iter_init (&iter, self->failures);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &record))
    if (now - record->last_us > (gint64) MS_LIMIT_ADDRESS_LOGIN_MEMORY_S * G_USEC_PER_SEC)
      g_hash_table_iter_remove (&iter);
}

/* How long a new connection from @host waits before its greeting. */
static guint
greeting_delay_ms (MsListener *self,
                   const char *host)
{
  AddressRecord *record;
  guint64 delay;

  forget_old_failures (self);
  record = g_hash_table_lookup (self->failures, host);
  if (record == NULL || record->failures <= MS_LIMIT_ADDRESS_LOGIN_FREE)
    return 0;
  delay = (guint64) MS_LIMIT_ADDRESS_LOGIN_DELAY_MS << MIN (record->failures - MS_LIMIT_ADDRESS_LOGIN_FREE - 1, 16u);
  return (guint) MIN (delay, (guint64) MS_LIMIT_ADDRESS_LOGIN_DELAY_MAX_MS);
}

static void
on_session_event (MsServerSession       *session,
                  const MsProtocolEvent *event,
                  MsConnection          *connection)
{
  MsListener *self = g_object_get_data (G_OBJECT (connection), "ms-listener");
  const char *host = g_object_get_data (G_OBJECT (connection), "ms-listener-host");
  AddressRecord *record;

  if (self == NULL || event->kind != MS_PROTOCOL_EVENT_NOTICE || g_strcmp0 (event->name, "login-failed") != 0)
    return;
  record = g_hash_table_lookup (self->failures, host);
  if (record == NULL)
    {
      if (g_hash_table_size (self->failures) >= MS_LIMIT_ADDRESS_LOGIN_RECORDS)
        forget_old_failures (self);
      if (g_hash_table_size (self->failures) >= MS_LIMIT_ADDRESS_LOGIN_RECORDS)
        return;
      record = g_new0 (AddressRecord, 1);
      g_hash_table_insert (self->failures, g_strdup (host), record);
    }
  record->failures++;
  record->last_us = g_get_monotonic_time ();
}

static gboolean
start_delayed (gpointer data)
{
  MsConnection *connection = data;

  /* The listener may have stopped meanwhile and closed it. */
  if (!ms_connection_is_closed (connection))
    ms_connection_start (connection);
  return G_SOURCE_REMOVE;
}

/* Over the limit: the protocol's refusal in plain text (never on an
 * implicit-TLS port, where the client expects a handshake), then close. */
static void
refuse (MsListener        *self,
        GSocketConnection *socket,
        const char        *host,
        const char        *reason)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (socket));

  if (self->refusal != NULL && !self->tls_implicit)
    g_output_stream_write_all (out, self->refusal, strlen (self->refusal), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (socket), NULL, NULL);
  g_signal_emit (self, signals[CONNECTION_REFUSED], 0, host, reason);
}

/* The process is out of file descriptors (see ms-listen-socket.h). */
static void
on_out_of_descriptors (GSocketConnection *socket,
                       const GError      *error,
                       gpointer           data)
{
  MsListener *self = data;
  g_autofree char *reason = g_strdup_printf ("out of file descriptors (%s)", error->message);

  if (socket != NULL)
    {
      g_autofree char *host = peer_host (socket);

      refuse (self, socket, host, reason);
    }
  else
    g_signal_emit (self, signals[CONNECTION_REFUSED], 0, NULL, reason);
}

static void
on_incoming (GSocketConnection *socket,
             gpointer           data)
{
  MsListener *self = data;
  g_autoptr(MsServerSession) session = NULL;
  g_autoptr(MsConnection) connection = NULL;
  g_autofree char *host = peer_host (socket);
  guint delay;

  if (self->connections->len >= self->max_connections)
    {
      refuse (self, socket, host, "too many connections");
      return;
    }
  session = self->factory (self->user_data);
  g_return_if_fail (MS_IS_SERVER_SESSION (session));

  connection = ms_connection_new (socket, session, self->protocol, next_connection_id++);
  if (self->tls_context != NULL)
    ms_connection_set_tls (connection, self->tls_context, self->tls_implicit);
  ms_connection_set_timeouts (connection, self->login_timeout_s, self->idle_timeout_s);
  g_ptr_array_add (self->connections, g_object_ref (connection));
  g_signal_connect_object (connection, "closed", G_CALLBACK (on_connection_closed), self, 0);
  /* The session outlives neither the connection nor the listener's record
   * of it: the data set here is what on_session_event() needs. */
  g_object_set_data (G_OBJECT (connection), "ms-listener", self);
  g_object_set_data_full (G_OBJECT (connection), "ms-listener-host", g_strdup (host), g_free);
  g_signal_connect_object (session, "protocol-event::notice", G_CALLBACK (on_session_event), connection, 0);
  /* Before start, so that observers see the greeting too. */
  g_signal_emit (self, signals[CONNECTION_OPENED], 0, connection);
  if (self->deferred)
    return;

  delay = greeting_delay_ms (self, host);
  if (delay == 0)
    ms_connection_start (connection);
  else
    {
      g_signal_emit (self, signals[CONNECTION_DELAYED], 0, connection, delay);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, start_delayed,
                          g_object_ref (connection), g_object_unref);
    }
}

static void
ms_listener_dispose (GObject *object)
{
  MsListener *self = MS_LISTENER (object);

  ms_listener_stop (self);
  g_clear_object (&self->tls_context);

  G_OBJECT_CLASS (ms_listener_parent_class)->dispose (object);
}

static void
ms_listener_finalize (GObject *object)
{
  MsListener *self = MS_LISTENER (object);

  g_free (self->protocol);
  g_free (self->refusal);
  g_hash_table_unref (self->failures);
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

  /**
   * MsListener::connection-refused:
   * @host: (nullable): the client's address, or NULL when no client could
   *   even be accepted (out of file descriptors: accepting pauses a moment)
   * @reason: why, for the log
   */
  signals[CONNECTION_REFUSED] =
    g_signal_new ("connection-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * MsListener::connection-delayed:
   * @connection: the connection, opened but not started
   * @delay_ms: how long its greeting waits (failed logins from its address)
   */
  signals[CONNECTION_DELAYED] =
    g_signal_new ("connection-delayed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, MS_TYPE_CONNECTION, G_TYPE_UINT);
}

static void
ms_listener_init (MsListener *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_connections = MS_LIMIT_LISTENER_CONNECTIONS;
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
  GSocketAddress *bound;

  g_return_val_if_fail (MS_IS_LISTENER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (self->socket == NULL, NULL);

  wanted = ms_listener_parse_address (address, error);
  if (wanted == NULL)
    return NULL;
  /* A backlog of 512, not GSocketListener's 10: a burst of clients that
   * reconnect quickly (fetchmail polling, a classroom of Thunderbirds, the
   * load test) overflows 10, and the kernel then silently drops their
   * handshakes, so they wait forever for a greeting. */
  self->socket = ms_listen_socket_new (wanted, 512, on_incoming, on_out_of_descriptors, self, error);
  if (self->socket == NULL)
    return NULL;
  bound = ms_listen_socket_get_address (self->socket);
  self->loopback = g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  /* Tests cannot bind a real non-loopback address (CI has none to spare;
   * on Linux all of 127/8 is loopback), so this makes the listener behave
   * as if it had. */
  if (g_strcmp0 (g_getenv ("MS_TEST_TREAT_AS_REMOTE"), "1") == 0)
    self->loopback = FALSE;
  return format_address (bound);
}

void
ms_listener_stop (MsListener *self)
{
  g_autoptr(GPtrArray) open = NULL;

  g_return_if_fail (MS_IS_LISTENER (self));

  g_clear_pointer (&self->socket, ms_listen_socket_free);
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

void
ms_listener_set_max_connections (MsListener *self,
                                 guint       max,
                                 const char *refusal)
{
  g_return_if_fail (MS_IS_LISTENER (self));
  g_return_if_fail (max > 0);

  self->max_connections = max;
  g_free (self->refusal);
  self->refusal = g_strdup (refusal);
}

void
ms_listener_set_timeouts (MsListener *self,
                          guint       login_s,
                          guint       idle_s)
{
  g_return_if_fail (MS_IS_LISTENER (self));

  self->login_timeout_s = login_s;
  self->idle_timeout_s = idle_s;
}

gboolean
ms_listener_is_loopback (MsListener *self)
{
  g_return_val_if_fail (MS_IS_LISTENER (self), FALSE);
  return self->loopback;
}

void
ms_listener_set_deferred_start (MsListener *self,
                                gboolean    deferred)
{
  g_return_if_fail (MS_IS_LISTENER (self));
  self->deferred = !!deferred;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A TCP listener for one protocol: every accepted connection gets a fresh
 * server session from the factory and an MsConnection that drives it.
 *
 * The listener also keeps the limits that span connections: how many may be
 * open at once, and, per client address, how many logins failed lately;
 * a new connection from such an address gets its greeting late (a timer,
 * see MS_LIMIT_ADDRESS_LOGIN_DELAY_MS), so that guessing passwords over
 * fresh connections is slow while every other client is served at once. */
#pragma once

#include <gio/gio.h>
#include "ms-connection.h"
#include "ms-server-session.h"

G_BEGIN_DECLS

/* Returns a new session (full ownership) for one accepted connection. */
typedef MsServerSession *(*MsServerSessionFactory) (gpointer user_data);

#define MS_TYPE_LISTENER (ms_listener_get_type ())

G_DECLARE_FINAL_TYPE (MsListener, ms_listener, MS, LISTENER, GObject)

/* @protocol names the listener in logs and connections ("pop3", "imap"). */
MsListener *ms_listener_new            (const char              *protocol,
                                        MsServerSessionFactory   factory,
                                        gpointer                 user_data);
/* Every connection accepted from now on runs TLS with @context: from the
 * first byte when @implicit (pop3s, imaps), else when the session accepts
 * STLS/STARTTLS. */
void        ms_listener_set_tls        (MsListener              *self,
                                        MsTlsContext            *context,
                                        gboolean                 implicit);
/* Binds @address ("127.0.0.1:1110", "[::1]:0", "localhost:1143"; port 0
 * picks a free port; the host must be an IP address or "localhost") and
 * starts accepting. Returns the address actually bound, "ADDR:PORT". */
char       *ms_listener_listen         (MsListener              *self,
                                        const char              *address,
                                        GError                 **error);
/* Stops accepting and closes every open connection (their sessions are told
 * the connection was lost). */
void        ms_listener_stop           (MsListener              *self);
const char *ms_listener_get_protocol   (MsListener              *self);
/* At most @max open connections (default MS_LIMIT_LISTENER_CONNECTIONS);
 * a client beyond that gets @refusal (a CRLF-terminated line, not sent on
 * implicit-TLS ports; NULL: nothing) and is closed, and
 * "connection-refused" is emitted. */
void        ms_listener_set_max_connections (MsListener         *self,
                                             guint               max,
                                             const char         *refusal);
/* Inactivity timers for every connection accepted from now on (see
 * ms_connection_set_timeouts(); default none). */
void        ms_listener_set_timeouts   (MsListener              *self,
                                        guint                    login_s,
                                        guint                    idle_s);
/* Whether the address bound by ms_listener_listen() is loopback. The
 * environment variable MS_TEST_TREAT_AS_REMOTE=1 makes it FALSE, so that
 * tests can check the rules for remote listeners on 127.0.0.x. */
gboolean    ms_listener_is_loopback    (MsListener              *self);
/* With @deferred, a connection is not started when accepted: the
 * "connection-opened" handler starts it (ms_connection_start()) when ready,
 * for example once it knows which program connected. No greeting delay
 * applies then. */
void        ms_listener_set_deferred_start (MsListener          *self,
                                            gboolean             deferred);
guint       ms_listener_get_n_connections (MsListener           *self);

/* Parses "HOST:PORT" for binding; "localhost" means 127.0.0.1. */
GInetSocketAddress *ms_listener_parse_address (const char       *address,
                                               GError          **error);

G_END_DECLS

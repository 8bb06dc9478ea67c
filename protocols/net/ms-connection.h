/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One real TCP connection driving one MsServerSession on the main context:
 * reads and writes are asynchronous, so one slow or held client never
 * blocks the others.
 *
 * The byte path is two functions in ms-connection.c, "socket → session"
 * (received()) and "session → socket" (flush_output()): a TLS filter
 * (STLS/STARTTLS, implicit TLS) goes between them and the socket.
 *
 * Signals: "closed" (reason), "tls-record" (from_client, MsTlsRecord*: each
 * TLS record as an eavesdropper sees it, valid during emission),
 * "tls-established" (once the handshake completed), and "plaintext"
 * (from_client, GBytes, wire size, encrypted: every chunk as the endpoints
 * see it, for the app's live transcript).
 *
 * Flow control: the connection reads only when everything the session had
 * to say has been written. It takes the session's output again after each
 * write, so a session that hands out a bounded piece at a time (IMAP FETCH)
 * streams at the pace the client reads. While the session asks to be held
 * (ms_server_session_get_hold_ms()) it writes what was queued before the
 * hold, then neither reads nor writes until the hold is over. */
#pragma once

#include <gio/gio.h>
#include "ms-server-session.h"
#include "ms-tls-context.h"
#include "ms-tls-filter.h"

G_BEGIN_DECLS

typedef enum {
  MS_CONNECTION_CLOSED_FINISHED,  /* the session ended it (QUIT, LOGOUT, a limit) */
  MS_CONNECTION_CLOSED_LOST,      /* the client went away or the socket failed */
  MS_CONNECTION_CLOSED_SHUTDOWN,  /* the server is stopping */
  MS_CONNECTION_CLOSED_TIMEOUT,   /* the client was inactive too long */
} MsConnectionCloseReason;

#define MS_TYPE_CONNECTION (ms_connection_get_type ())

G_DECLARE_FINAL_TYPE (MsConnection, ms_connection, MS, CONNECTION, GObject)

MsConnection    *ms_connection_new          (GSocketConnection *socket,
                                             MsServerSession   *session,
                                             const char        *protocol,
                                             guint              id);
/* Puts TLS between the socket and the session; call before start. With
 * @implicit the handshake starts with the first byte (ports 995/993);
 * otherwise the context waits for the session's "tls-requested"
 * (STLS/STARTTLS). The session is told set_tls_active(TRUE) before it is
 * fed any decrypted byte: once the handshake completes after STLS/STARTTLS,
 * and before start() (so before its greeting) on an implicit-TLS port. */
void             ms_connection_set_tls      (MsConnection      *self,
                                             MsTlsContext      *context,
                                             gboolean           implicit);
/* The TLS filter once TLS started (key log, version), else NULL. */
MsTlsFilter     *ms_connection_get_tls_filter (MsConnection    *self);
/* Inactivity timers in seconds (0: none, the default): @login_s until the
 * session is authenticated, then @idle_s. Each restarts when the session
 * answers something the client sent, or when 4 KiB more arrived; not on
 * output the session makes on its own (IMAP IDLE). A TLS handshake that
 * never completes, a line never finished, a literal never sent and a
 * client that never reads its answers all run into them. When one runs
 * out, ms_server_session_timed_out() is called, its farewell is sent if
 * the socket takes it at once, and "closed" is emitted with
 * MS_CONNECTION_CLOSED_TIMEOUT. */
void             ms_connection_set_timeouts (MsConnection      *self,
                                             guint              login_s,
                                             guint              idle_s);
/* Starts the session (its greeting goes out) and the read/write loop. */
void             ms_connection_start        (MsConnection      *self);
/* Ends the connection from the server's side: the session is told the
 * connection was lost (so a POP3 session removes nothing), then the socket
 * closes. "closed" is emitted with MS_CONNECTION_CLOSED_SHUTDOWN. */
void             ms_connection_shutdown     (MsConnection      *self);
guint            ms_connection_get_id       (MsConnection      *self);
const char      *ms_connection_get_protocol (MsConnection      *self);
/* "ADDR:PORT" of the client. */
const char      *ms_connection_get_peer     (MsConnection      *self);
MsServerSession *ms_connection_get_session  (MsConnection      *self);
gboolean         ms_connection_is_closed    (MsConnection      *self);
/* The most bytes this connection ever held waiting for the socket: what one
 * take_output() handed it (an IMAP session hands out at most its output
 * budget per call), encrypted under TLS. Tests check that a client that does
 * not read costs a bounded amount here. */
gsize            ms_connection_get_max_pending_write (MsConnection *self);
const char      *ms_connection_close_reason_to_string (MsConnectionCloseReason reason);

G_END_DECLS

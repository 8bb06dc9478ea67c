/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sans-I/O contract of a simulated mail client (POP3 or IMAP).
 *
 * A client keeps the device's local copy of the mail in an MsStore it is
 * given, and turns the user's actions (MsClientAction) into commands. The
 * driver (a simulated device in sim/) owns the connection:
 *
 *   - when wants_connection() becomes TRUE and there is none, the driver
 *     connects and calls connected(); the client then waits for the greeting;
 *   - it feeds the server's bytes with feed() and sends what take_output()
 *     returns; output may appear after feed() or begin_action();
 *   - when wants_close() is TRUE (after QUIT/LOGOUT was answered, or a POP3
 *     client finished its check) the driver closes the connection and calls
 *     connection_closed(); connection_lost() when the network dropped it;
 *   - "tls-requested" asks the driver to start a client-side TLS handshake
 *     (after STLS/STARTTLS was accepted); the driver calls set_tls_active().
 *
 * Each begin_action() ends with exactly one "action-finished" emission, which
 * carries a one-line summary of what the client did ("downloaded 3 messages,
 * 41 KB; deleted them from the server") for the transcript, as an MsPhrase
 * so that it can be shown in the reader's language. Protocol lines and
 * state changes are reported with "protocol-event", as server sessions do. */
#pragma once

#include <glib-object.h>
#include "ms-client-action.h"
#include "ms-phrase.h"
#include "ms-types.h"

G_BEGIN_DECLS

typedef enum {
  MS_CLIENT_TLS_OFF,
  MS_CLIENT_TLS_STARTTLS,   /* STLS / STARTTLS on the plain port */
  MS_CLIENT_TLS_IMPLICIT,   /* 995 / 993: TLS from the first byte (the driver does it) */
} MsClientTlsMode;

#define MS_TYPE_CLIENT_SESSION (ms_client_session_get_type ())

G_DECLARE_INTERFACE (MsClientSession, ms_client_session, MS, CLIENT_SESSION, GObject)

struct _MsClientSessionInterface
{
  GTypeInterface parent_iface;

  const char *(*get_protocol)       (MsClientSession      *self);
  MsStore    *(*get_local_store)    (MsClientSession      *self);
  gboolean    (*begin_action)       (MsClientSession      *self,
                                     const MsClientAction *action,
                                     GError              **error);
  gboolean    (*is_busy)            (MsClientSession      *self);
  gboolean    (*wants_connection)   (MsClientSession      *self);
  gboolean    (*wants_close)        (MsClientSession      *self);
  void        (*connected)          (MsClientSession      *self);
  void        (*feed)               (MsClientSession      *self,
                                     const guint8         *data,
                                     gsize                 len);
  gsize       (*take_output)        (MsClientSession      *self,
                                     GByteArray           *dest);
  void        (*connection_closed)  (MsClientSession      *self);
  void        (*connection_lost)    (MsClientSession      *self);
  void        (*set_tls_active)     (MsClientSession      *self,
                                     gboolean              active);
};

const char *ms_client_session_get_protocol      (MsClientSession      *self);
MsStore    *ms_client_session_get_local_store   (MsClientSession      *self);
gboolean    ms_client_session_begin_action      (MsClientSession      *self,
                                                 const MsClientAction *action,
                                                 GError              **error);
gboolean    ms_client_session_is_busy           (MsClientSession      *self);
gboolean    ms_client_session_wants_connection  (MsClientSession      *self);
gboolean    ms_client_session_wants_close       (MsClientSession      *self);
void        ms_client_session_connected         (MsClientSession      *self);
void        ms_client_session_feed              (MsClientSession      *self,
                                                 const guint8         *data,
                                                 gsize                 len);
gsize       ms_client_session_take_output       (MsClientSession      *self,
                                                 GByteArray           *dest);
void        ms_client_session_connection_closed (MsClientSession      *self);
void        ms_client_session_connection_lost   (MsClientSession      *self);
void        ms_client_session_set_tls_active    (MsClientSession      *self,
                                                 gboolean              active);

/* For implementations. */
void        ms_client_session_emit_event           (MsClientSession       *self,
                                                    const MsProtocolEvent *event);
/* Takes @summary over. */
void        ms_client_session_emit_action_finished (MsClientSession       *self,
                                                    const MsClientAction  *action,
                                                    gboolean               success,
                                                    MsPhrase              *summary);
void        ms_client_session_emit_tls_requested   (MsClientSession       *self);
/* A NOTICE event whose text is @phrase (taken over; ms-phrase.h). */
void        ms_client_session_emit_notice_phrase   (MsClientSession       *self,
                                                    const char            *name,
                                                    MsPhrase              *phrase);

G_END_DECLS

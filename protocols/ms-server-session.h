/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sans-I/O contract every server session (POP3, IMAP, SMTP) fulfils.
 *
 * A driver (a real TCP connection in net/, a simulated link in sim/) owns the
 * bytes: it calls start() once, feeds what arrived with feed(), and drains
 * what the session wants to send with take_output(). The session never reads
 * or writes a socket and never sleeps.
 *
 * Holding: after a failed login a session asks to be held for a while
 * (get_hold_ms() > 0). The driver then sends nothing and feeds nothing to
 * this session until that much time has passed, then calls release_hold().
 * Only this session waits; the driver keeps serving the others.
 *
 * TLS: when a session accepts STLS/STARTTLS it queues its positive answer,
 * drops any input that followed the command line (never executed, the
 * CVE-2011-0411 class), and emits "tls-requested". The driver sends the
 * queued answer in plain text, starts the TLS handshake, and calls
 * set_tls_active(TRUE) once it completes.
 *
 * Inactivity: a driver may end a session that has been silent too long. It
 * asks is_authenticated() which timer applies (a shorter one before login,
 * RFC 9051 section 5.4), and when it runs out calls timed_out(): the session
 * queues its farewell if its protocol has one (IMAP "* BYE Autologout") and
 * ends as if the connection were lost (a POP3 session removes nothing, RFC
 * 1939 section 3). */
#pragma once

#include <glib-object.h>
#include "ms-protocol-event.h"
#include "ms-phrase.h"
#include "ms-types.h"

G_BEGIN_DECLS

#define MS_TYPE_SERVER_SESSION (ms_server_session_get_type ())

G_DECLARE_INTERFACE (MsServerSession, ms_server_session, MS, SERVER_SESSION, GObject)

struct _MsServerSessionInterface
{
  GTypeInterface parent_iface;

  void      (*start)           (MsServerSession *self);
  void      (*feed)            (MsServerSession *self,
                                const guint8    *data,
                                gsize            len);
  gsize     (*take_output)     (MsServerSession *self,
                                GByteArray      *dest);
  gboolean  (*is_finished)     (MsServerSession *self);
  void      (*connection_lost) (MsServerSession *self);
  guint     (*get_hold_ms)     (MsServerSession *self);
  void      (*release_hold)    (MsServerSession *self);
  void      (*set_tls_active)  (MsServerSession *self,
                                gboolean         active);
  gboolean  (*get_tls_active)  (MsServerSession *self);
  gboolean  (*is_authenticated) (MsServerSession *self);
  void      (*timed_out)       (MsServerSession *self);
  /* Optional: take_output() as one GBytes, so a session that already holds
   * its output in one buffer can hand it over without copying it (a POP3
   * RETR of a large message). NULL when there is nothing to send. */
  GBytes   *(*take_output_bytes) (MsServerSession *self);
};

void      ms_server_session_start           (MsServerSession *self);
void      ms_server_session_feed            (MsServerSession *self,
                                             const guint8    *data,
                                             gsize            len);
gsize     ms_server_session_take_output     (MsServerSession *self,
                                             GByteArray      *dest);
GBytes   *ms_server_session_take_output_bytes (MsServerSession *self);
gboolean  ms_server_session_is_finished     (MsServerSession *self);
void      ms_server_session_connection_lost (MsServerSession *self);
guint     ms_server_session_get_hold_ms     (MsServerSession *self);
void      ms_server_session_release_hold    (MsServerSession *self);
void      ms_server_session_set_tls_active  (MsServerSession *self,
                                             gboolean         active);
gboolean  ms_server_session_get_tls_active  (MsServerSession *self);
/* FALSE for a session without the notion. */
gboolean  ms_server_session_is_authenticated (MsServerSession *self);
/* Without its own, the session is told the connection was lost. */
void      ms_server_session_timed_out       (MsServerSession *self);

/* For implementations: emit the interface's signals. */
void      ms_server_session_emit_event         (MsServerSession       *self,
                                                const MsProtocolEvent *event);
void      ms_server_session_emit_tls_requested (MsServerSession       *self);
/* A NOTICE event whose text is @phrase (taken over; ms-phrase.h). */
void      ms_server_session_emit_notice_phrase (MsServerSession       *self,
                                                const char            *protocol,
                                                const char            *name,
                                                MsPhrase              *phrase);
/* Does anyone observe events of this kind (connected to "protocol-event"
 * without detail or with this kind's)? When not, an implementation may skip
 * building them. */
gboolean  ms_server_session_wants_events      (MsServerSession       *self,
                                                MsProtocolEventKind    kind);

G_END_DECLS

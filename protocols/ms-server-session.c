/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-server-session"
#include "config.h"

#include "ms-protocol-event.h"
#include "ms-server-session.h"

G_DEFINE_INTERFACE (MsServerSession, ms_server_session, G_TYPE_OBJECT)

enum {
  PROTOCOL_EVENT,
  TLS_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
/* The signal's detail, by event kind: "protocol-event::notice". */
static GQuark kind_quarks[MS_PROTOCOL_EVENT_NOTICE + 1];

static void
ms_server_session_default_init (MsServerSessionInterface *iface)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_quarks); i++)
    kind_quarks[i] = g_quark_from_static_string (ms_protocol_event_kind_name (i));

  /**
   * MsServerSession::protocol-event:
   * @event: (type MsProtocolEvent): what happened; valid during emission only
   *
   * The detail is the event's kind ("command", "response", "state",
   * "notice"). An observer that needs only some kinds connects to those
   * ("protocol-event::notice"): a session then need not describe the others,
   * which matters when it answers thousands of FETCH lines a second.
   */
  signals[PROTOCOL_EVENT] =
    g_signal_new ("protocol-event",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MS_TYPE_PROTOCOL_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[TLS_REQUESTED] =
    g_signal_new ("tls-requested",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

void
ms_server_session_start (MsServerSession *self)
{
  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  MS_SERVER_SESSION_GET_IFACE (self)->start (self);
}

void
ms_server_session_feed (MsServerSession *self,
                        const guint8    *data,
                        gsize            len)
{
  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  g_return_if_fail (data != NULL || len == 0);
  MS_SERVER_SESSION_GET_IFACE (self)->feed (self, data, len);
}

gsize
ms_server_session_take_output (MsServerSession *self,
                               GByteArray      *dest)
{
  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), 0);
  g_return_val_if_fail (dest != NULL, 0);
  return MS_SERVER_SESSION_GET_IFACE (self)->take_output (self, dest);
}

/* What take_output() would give, as a GBytes (NULL for nothing): without
 * copying it when the session implements take_output_bytes(), else taken
 * into an array that becomes the GBytes as it is. */
GBytes *
ms_server_session_take_output_bytes (MsServerSession *self)
{
  MsServerSessionInterface *iface;
  GByteArray *out;

  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), NULL);
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  if (iface->take_output_bytes != NULL)
    return iface->take_output_bytes (self);
  out = g_byte_array_new ();
  if (iface->take_output (self, out) == 0)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

gboolean
ms_server_session_is_finished (MsServerSession *self)
{
  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), TRUE);
  return MS_SERVER_SESSION_GET_IFACE (self)->is_finished (self);
}

void
ms_server_session_connection_lost (MsServerSession *self)
{
  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  MS_SERVER_SESSION_GET_IFACE (self)->connection_lost (self);
}

guint
ms_server_session_get_hold_ms (MsServerSession *self)
{
  MsServerSessionInterface *iface;

  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), 0);
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  return iface->get_hold_ms ? iface->get_hold_ms (self) : 0;
}

void
ms_server_session_release_hold (MsServerSession *self)
{
  MsServerSessionInterface *iface;

  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  if (iface->release_hold)
    iface->release_hold (self);
}

void
ms_server_session_set_tls_active (MsServerSession *self,
                                  gboolean         active)
{
  MsServerSessionInterface *iface;

  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  if (iface->set_tls_active)
    iface->set_tls_active (self, active);
}

gboolean
ms_server_session_get_tls_active (MsServerSession *self)
{
  MsServerSessionInterface *iface;

  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), FALSE);
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  return iface->get_tls_active ? iface->get_tls_active (self) : FALSE;
}

gboolean
ms_server_session_is_authenticated (MsServerSession *self)
{
  MsServerSessionInterface *iface;

  g_return_val_if_fail (MS_IS_SERVER_SESSION (self), FALSE);
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  return iface->is_authenticated ? iface->is_authenticated (self) : FALSE;
}

void
ms_server_session_timed_out (MsServerSession *self)
{
  MsServerSessionInterface *iface;

  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  iface = MS_SERVER_SESSION_GET_IFACE (self);
  if (iface->timed_out)
    iface->timed_out (self);
  else
    ms_server_session_connection_lost (self);
}

void
ms_server_session_emit_event (MsServerSession       *self,
                              const MsProtocolEvent *event)
{
  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  g_return_if_fail (event->kind < G_N_ELEMENTS (kind_quarks));
  g_signal_emit (self, signals[PROTOCOL_EVENT], kind_quarks[event->kind], event);
}

gboolean
ms_server_session_wants_events (MsServerSession     *self,
                                MsProtocolEventKind  kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_quarks), FALSE);
  /* Asked with a detail, GLib 2.74 matches only the handlers connected with
   * that detail; those connected without one are asked about separately. */
  return g_signal_has_handler_pending (self, signals[PROTOCOL_EVENT], 0, FALSE) ||
         g_signal_has_handler_pending (self, signals[PROTOCOL_EVENT], kind_quarks[kind], FALSE);
}

void
ms_server_session_emit_tls_requested (MsServerSession *self)
{
  g_return_if_fail (MS_IS_SERVER_SESSION (self));
  g_signal_emit (self, signals[TLS_REQUESTED], 0);
}

void
ms_server_session_emit_notice_phrase (MsServerSession *self,
                                      const char      *protocol,
                                      const char      *name,
                                      MsPhrase        *phrase)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new_phrase (MS_PROTOCOL_EVENT_NOTICE, protocol, name,
                                                                   NULL, phrase);

  ms_server_session_emit_event (self, event);
}

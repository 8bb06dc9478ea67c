/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-client-session"
#include "config.h"

#include "ms-client-session.h"
#include "ms-protocol-event.h"

G_DEFINE_INTERFACE (MsClientSession, ms_client_session, G_TYPE_OBJECT)

enum {
  PROTOCOL_EVENT,
  ACTION_FINISHED,
  TLS_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ms_client_session_default_init (MsClientSessionInterface *iface)
{
  /**
   * MsClientSession::protocol-event:
   * @event: (type MsProtocolEvent): valid during emission only
   */
  signals[PROTOCOL_EVENT] =
    g_signal_new ("protocol-event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MS_TYPE_PROTOCOL_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * MsClientSession::action-finished:
   * @action: (type MsClientAction): the action that ended
   * @success: FALSE when the server refused or the connection failed
   * @summary: (type MsPhrase): one line for the transcript; take a
   *   reference to keep it
   */
  signals[ACTION_FINISHED] =
    g_signal_new ("action-finished", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, MS_TYPE_CLIENT_ACTION | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN, MS_TYPE_PHRASE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[TLS_REQUESTED] =
    g_signal_new ("tls-requested", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

const char *
ms_client_session_get_protocol (MsClientSession *self)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), NULL);
  return MS_CLIENT_SESSION_GET_IFACE (self)->get_protocol (self);
}

MsStore *
ms_client_session_get_local_store (MsClientSession *self)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), NULL);
  return MS_CLIENT_SESSION_GET_IFACE (self)->get_local_store (self);
}

gboolean
ms_client_session_begin_action (MsClientSession *self, const MsClientAction *action, GError **error)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), FALSE);
  return MS_CLIENT_SESSION_GET_IFACE (self)->begin_action (self, action, error);
}

gboolean
ms_client_session_is_busy (MsClientSession *self)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), FALSE);
  return MS_CLIENT_SESSION_GET_IFACE (self)->is_busy (self);
}

gboolean
ms_client_session_wants_connection (MsClientSession *self)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), FALSE);
  return MS_CLIENT_SESSION_GET_IFACE (self)->wants_connection (self);
}

gboolean
ms_client_session_wants_close (MsClientSession *self)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), FALSE);
  return MS_CLIENT_SESSION_GET_IFACE (self)->wants_close (self);
}

void
ms_client_session_connected (MsClientSession *self)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  MS_CLIENT_SESSION_GET_IFACE (self)->connected (self);
}

void
ms_client_session_feed (MsClientSession *self, const guint8 *data, gsize len)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  MS_CLIENT_SESSION_GET_IFACE (self)->feed (self, data, len);
}

gsize
ms_client_session_take_output (MsClientSession *self, GByteArray *dest)
{
  g_return_val_if_fail (MS_IS_CLIENT_SESSION (self), 0);
  return MS_CLIENT_SESSION_GET_IFACE (self)->take_output (self, dest);
}

void
ms_client_session_connection_closed (MsClientSession *self)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  MS_CLIENT_SESSION_GET_IFACE (self)->connection_closed (self);
}

void
ms_client_session_connection_lost (MsClientSession *self)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  MS_CLIENT_SESSION_GET_IFACE (self)->connection_lost (self);
}

void
ms_client_session_set_tls_active (MsClientSession *self, gboolean active)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  MS_CLIENT_SESSION_GET_IFACE (self)->set_tls_active (self, active);
}

void
ms_client_session_emit_event (MsClientSession       *self,
                              const MsProtocolEvent *event)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  g_signal_emit (self, signals[PROTOCOL_EVENT], 0, event);
}

void
ms_client_session_emit_action_finished (MsClientSession      *self,
                                        const MsClientAction *action,
                                        gboolean              success,
                                        MsPhrase             *summary)
{
  g_autoptr(MsPhrase) owned = summary;

  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  g_return_if_fail (summary != NULL);
  g_signal_emit (self, signals[ACTION_FINISHED], 0, action, success, owned);
}

void
ms_client_session_emit_tls_requested (MsClientSession *self)
{
  g_return_if_fail (MS_IS_CLIENT_SESSION (self));
  g_signal_emit (self, signals[TLS_REQUESTED], 0);
}

void
ms_client_session_emit_notice_phrase (MsClientSession *self,
                                      const char      *name,
                                      MsPhrase        *phrase)
{
  g_autoptr(MsProtocolEvent) event = NULL;

  g_return_if_fail (MS_IS_CLIENT_SESSION (self));

  event = ms_protocol_event_new_phrase (MS_PROTOCOL_EVENT_NOTICE, ms_client_session_get_protocol (self), name,
                                        NULL, phrase);
  ms_client_session_emit_event (self, event);
}

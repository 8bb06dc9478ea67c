/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-sim-smtp"
#include "config.h"

#include <gio/gio.h>

#include "ms-protocol-event.h"
#include "ms-sim-smtp-adapter.h"

struct _MsSimSmtpAdapter
{
  GObject       parent_instance;
  MsSmtpClient *client;
  gboolean      finished;
};

static void client_session_iface_init (MsClientSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSimSmtpAdapter, ms_sim_smtp_adapter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_CLIENT_SESSION, client_session_iface_init))

static const char *get_protocol (MsClientSession *s) { return "smtp"; }
static MsStore *get_local_store (MsClientSession *s) { return NULL; }

static gboolean
begin_action (MsClientSession *s, const MsClientAction *action, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "an SMTP client only sends");
  return FALSE;
}

#define SELF MS_SIM_SMTP_ADAPTER (s)

static gboolean is_busy (MsClientSession *s) { return !SELF->finished; }
static gboolean wants_connection (MsClientSession *s) { return ms_smtp_client_wants_connection (SELF->client); }
static gboolean wants_close (MsClientSession *s) { return ms_smtp_client_wants_close (SELF->client); }
static void connected (MsClientSession *s) { ms_smtp_client_connected (SELF->client); }
static void feed (MsClientSession *s, const guint8 *d, gsize n) { ms_smtp_client_feed (SELF->client, d, n); }
static gsize take_output (MsClientSession *s, GByteArray *dest) { return ms_smtp_client_take_output (SELF->client, dest); }
static void connection_closed (MsClientSession *s) { ms_smtp_client_connection_closed (SELF->client); }
static void connection_lost (MsClientSession *s) { ms_smtp_client_connection_lost (SELF->client); }
static void set_tls_active (MsClientSession *s, gboolean a) { ms_smtp_client_set_tls_active (SELF->client, a); }

static void
client_session_iface_init (MsClientSessionInterface *iface)
{
  iface->get_protocol = get_protocol;
  iface->get_local_store = get_local_store;
  iface->begin_action = begin_action;
  iface->is_busy = is_busy;
  iface->wants_connection = wants_connection;
  iface->wants_close = wants_close;
  iface->connected = connected;
  iface->feed = feed;
  iface->take_output = take_output;
  iface->connection_closed = connection_closed;
  iface->connection_lost = connection_lost;
  iface->set_tls_active = set_tls_active;
}

static void
on_event (MsSmtpClient          *client,
          const MsProtocolEvent *event,
          MsSimSmtpAdapter      *self)
{
  ms_client_session_emit_event (MS_CLIENT_SESSION (self), event);
}

static void
on_tls_requested (MsSmtpClient     *client,
                  MsSimSmtpAdapter *self)
{
  ms_client_session_emit_tls_requested (MS_CLIENT_SESSION (self));
}

static void
on_finished (MsSmtpClient     *client,
             gboolean          delivered,
             const char       *summary,
             MsSimSmtpAdapter *self)
{
  self->finished = TRUE;
}

static void
ms_sim_smtp_adapter_dispose (GObject *object)
{
  MsSimSmtpAdapter *self = MS_SIM_SMTP_ADAPTER (object);

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (ms_sim_smtp_adapter_parent_class)->dispose (object);
}

static void
ms_sim_smtp_adapter_class_init (MsSimSmtpAdapterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ms_sim_smtp_adapter_dispose;
}

static void
ms_sim_smtp_adapter_init (MsSimSmtpAdapter *self)
{
}

MsClientSession *
ms_sim_smtp_adapter_new (MsSmtpClient *client)
{
  MsSimSmtpAdapter *self;

  g_return_val_if_fail (MS_IS_SMTP_CLIENT (client), NULL);

  self = g_object_new (MS_TYPE_SIM_SMTP_ADAPTER, NULL);
  self->client = g_object_ref (client);
  g_signal_connect (client, "protocol-event", G_CALLBACK (on_event), self);
  g_signal_connect (client, "tls-requested", G_CALLBACK (on_tls_requested), self);
  g_signal_connect (client, "finished", G_CALLBACK (on_finished), self);
  return MS_CLIENT_SESSION (self);
}

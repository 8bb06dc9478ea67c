/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-device"
#include "config.h"

#include "ms-device-private.h"
#include "ms-sim-sessions.h"

G_DEFINE_FINAL_TYPE (MsDevice, ms_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_PROTOCOL,
  PROP_TLS_MODE,
  PROP_LINK,
  PROP_CLIENT_SESSION,
  PROP_ONLINE,
  PROP_CONNECTED,
  PROP_ENCRYPTED,
  PROP_BYTES_DOWN,
  PROP_BYTES_UP,
  PROP_ROUND_TRIPS,
  PROP_BUSY_US,
  PROP_GENERATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ms_device_dispose (GObject *object)
{
  MsDevice *self = MS_DEVICE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->link);
  G_OBJECT_CLASS (ms_device_parent_class)->dispose (object);
}

static void
ms_device_finalize (GObject *object)
{
  MsDevice *self = MS_DEVICE (object);

  g_free (self->name);
  g_free (self->protocol);
  g_free (self->server_url);
  g_clear_pointer (&self->signal_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (ms_device_parent_class)->finalize (object);
}

static void
ms_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MsDevice *self = MS_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->protocol);
      break;
    case PROP_TLS_MODE:
      g_value_set_uint (value, self->tls_mode);
      break;
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    case PROP_CLIENT_SESSION:
      g_value_set_object (value, self->client);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connection != NULL);
      break;
    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      break;
    case PROP_BYTES_DOWN:
      g_value_set_uint64 (value, self->bytes_down);
      break;
    case PROP_BYTES_UP:
      g_value_set_uint64 (value, self->bytes_up);
      break;
    case PROP_ROUND_TRIPS:
      g_value_set_uint (value, self->round_trips);
      break;
    case PROP_BUSY_US:
      g_value_set_int64 (value, self->busy_us);
      break;
    case PROP_GENERATION:
      g_value_set_uint (value, self->generation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_device_class_init (MsDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ms_device_dispose;
  object_class->finalize = ms_device_finalize;
  object_class->get_property = ms_device_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, NULL, ro);
  properties[PROP_TLS_MODE] = g_param_spec_uint ("tls-mode", NULL, NULL, 0, MS_CLIENT_TLS_IMPLICIT, 0, ro);
  properties[PROP_LINK] = g_param_spec_object ("link", NULL, NULL, MS_TYPE_LINK, ro);
  properties[PROP_CLIENT_SESSION] =
    g_param_spec_object ("client-session", NULL, NULL, MS_TYPE_CLIENT_SESSION, ro);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE, ro);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_ENCRYPTED] = g_param_spec_boolean ("encrypted", NULL, NULL, FALSE, ro);
  properties[PROP_BYTES_DOWN] = g_param_spec_uint64 ("bytes-down", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_UP] = g_param_spec_uint64 ("bytes-up", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_ROUND_TRIPS] = g_param_spec_uint ("round-trips", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BUSY_US] = g_param_spec_int64 ("busy-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_GENERATION] = g_param_spec_uint ("generation", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_device_init (MsDevice *self)
{
  self->online = TRUE;
}

MsDevice *
ms_device_new (const char           *name,
               const char           *protocol,
               MsClientTlsMode       tls_mode,
               const MsClientPolicy *policy,
               MsLink               *link,
               const char           *server_url)
{
  MsDevice *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (MS_IS_LINK (link), NULL);

  self = g_object_new (MS_TYPE_DEVICE, NULL);
  self->name = g_strdup (name);
  self->protocol = g_strdup (protocol);
  self->tls_mode = tls_mode;
  self->policy = *policy;
  self->link = g_object_ref (link);
  self->server_url = g_strdup (server_url);
  return self;
}

void
ms_device_set_client (MsDevice        *self,
                      MsClientSession *client)
{
  g_return_if_fail (MS_IS_DEVICE (self));

  if (self->client != NULL)
    self->generation++;
  g_set_object (&self->client, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATION]);
}

void
ms_device_set_online (MsDevice *self,
                      gboolean  online)
{
  g_return_if_fail (MS_IS_DEVICE (self));

  online = !!online;
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

void
ms_device_notify_connected (MsDevice *self)
{
  /* A new connection (or none) is in clear until its handshake is done;
   * notified first, so that a view that redraws on "connected" already
   * reads the right state. */
  ms_device_set_encrypted (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

void
ms_device_set_encrypted (MsDevice *self,
                         gboolean  encrypted)
{
  encrypted = !!encrypted;
  if (self->encrypted == encrypted)
    return;
  self->encrypted = encrypted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}

void
ms_device_add_traffic (MsDevice    *self,
                       MsDirection  direction,
                       gsize        bytes)
{
  if (direction == MS_DIRECTION_TO_SERVER)
    {
      self->bytes_up += bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_UP]);
    }
  else
    {
      self->bytes_down += bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DOWN]);
    }
}

void
ms_device_add_round_trip (MsDevice *self)
{
  self->round_trips++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUND_TRIPS]);
}

void
ms_device_add_busy (MsDevice *self,
                    gint64    us)
{
  if (us <= 0)
    return;
  self->busy_us += us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY_US]);
}

void
ms_device_add_connection (MsDevice *self)
{
  self->connections++;
}

#define GETTER(type, name, expr, fallback)                   \
  type                                                       \
  ms_device_get_##name (MsDevice *self)                      \
  {                                                          \
    g_return_val_if_fail (MS_IS_DEVICE (self), fallback);    \
    return expr;                                             \
  }

GETTER (const char *, name, self->name, NULL)
GETTER (const char *, protocol, self->protocol, NULL)
GETTER (MsClientTlsMode, tls_mode, self->tls_mode, MS_CLIENT_TLS_OFF)
GETTER (const MsClientPolicy *, policy, &self->policy, NULL)
GETTER (MsLink *, link, self->link, NULL)
GETTER (MsClientSession *, client_session, self->client, NULL)
GETTER (const char *, server_url, self->server_url, NULL)
GETTER (gboolean, online, self->online, FALSE)
GETTER (gboolean, connected, self->connection != NULL, FALSE)
GETTER (gboolean, encrypted, self->encrypted, FALSE)
GETTER (guint64, bytes_down, self->bytes_down, 0)
GETTER (guint64, bytes_up, self->bytes_up, 0)
GETTER (guint, round_trips, self->round_trips, 0)
GETTER (guint, connections, self->connections, 0)
GETTER (gint64, busy_us, self->busy_us, 0)
GETTER (guint, generation, self->generation, 0)

MsStore *
ms_device_get_local_store (MsDevice *self)
{
  g_return_val_if_fail (MS_IS_DEVICE (self), NULL);
  return self->client != NULL ? ms_client_session_get_local_store (self->client) : NULL;
}

guint
ms_device_get_port (MsDevice *self)
{
  g_return_val_if_fail (MS_IS_DEVICE (self), 0);
  return ms_sim_default_port (self->protocol, self->tls_mode == MS_CLIENT_TLS_IMPLICIT);
}

const char *
ms_client_tls_mode_to_string (MsClientTlsMode mode)
{
  switch (mode)
    {
    case MS_CLIENT_TLS_OFF: return "off";
    case MS_CLIENT_TLS_STARTTLS: return "starttls";
    case MS_CLIENT_TLS_IMPLICIT: return "implicit";
    default: return "unknown";
    }
}

gboolean
ms_client_tls_mode_from_string (const char      *text,
                                MsClientTlsMode *mode)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_str_equal (text, "off") || g_str_equal (text, "none"))
    *mode = MS_CLIENT_TLS_OFF;
  else if (g_str_equal (text, "starttls") || g_str_equal (text, "stls"))
    *mode = MS_CLIENT_TLS_STARTTLS;
  else if (g_str_equal (text, "implicit") || g_str_equal (text, "tls"))
    *mode = MS_CLIENT_TLS_IMPLICIT;
  else
    return FALSE;
  return TRUE;
}

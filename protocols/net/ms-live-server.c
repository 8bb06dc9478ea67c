/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-live"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-imap-server-session.h"
#include "ms-listener.h"
#include "ms-live-server.h"
#include "ms-pop3-server-session.h"
#include "ms-tls-certificate.h"
#include "ms-tls-context.h"

/* How far above a busy port to look for a free one. */
#define PORT_TRIES 20

typedef struct
{
  const char *name;
  const char *protocol;   /* the session's: "pop3" or "imap" */
  gboolean    implicit_tls;
  guint16     wanted;
  guint16     port;
  char       *problem;
  MsListener *listener;
} Slot;

struct _MsLiveServer
{
  GObject        parent_instance;

  MsWorld       *world;
  Slot           slots[MS_LIVE_SERVER_N_LISTENERS];
  MsTlsContext  *tls_context;
  GPtrArray     *open;             /* MsLiveClient, connected now */
  guint          n_clients;        /* numbers them */
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (MsLiveServer, ms_live_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PORTS,
  PROP_N_OPEN,
  N_PROPS
};

enum {
  CLIENT_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static MsServerSession *
new_session (MsLiveServer *self,
             const char   *protocol)
{
  MsStore *store = ms_world_get_server_store (self->world);
  MsServerSession *session;

  if (g_str_equal (protocol, "pop3"))
    session = MS_SERVER_SESSION (ms_pop3_server_session_new (store, g_get_host_name ()));
  else
    session = MS_SERVER_SESSION (ms_imap_server_session_new (store));
  /* STLS/STARTTLS are offered once there is a certificate; on loopback a
   * plain login stays allowed, as `mailscope serve` allows it there. */
  if (self->tls_context != NULL)
    g_object_set (session, "tls-available", TRUE, NULL);
  return session;
}

static MsServerSession *
new_pop3_session (gpointer user_data)
{
  return new_session (user_data, "pop3");
}

static MsServerSession *
new_imap_session (gpointer user_data)
{
  return new_session (user_data, "imap");
}

static void
on_client_notify_open (MsLiveClient *client,
                       GParamSpec   *pspec,
                       MsLiveServer *self)
{
  if (ms_live_client_get_open (client))
    return;
  g_signal_handlers_disconnect_by_func (client, on_client_notify_open, self);
  g_ptr_array_remove (self->open, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
}

static void
on_connection_opened (MsListener   *listener,
                      MsConnection *connection,
                      MsLiveServer *self)
{
  g_autoptr(MsLiveClient) client = NULL;
  guint16 port = 0;

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    if (self->slots[i].listener == listener)
      port = self->slots[i].port;
  client = ms_live_client_new (connection, ++self->n_clients, port, self->world);
  g_ptr_array_add (self->open, g_object_ref (client));
  g_signal_connect_object (client, "notify::open", G_CALLBACK (on_client_notify_open), self, 0);
  g_signal_emit (self, signals[CLIENT_ADDED], 0, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
}

/* Opens one listener on its wanted port, else the next free one above. */
static void
open_slot (MsLiveServer *self,
           Slot         *slot)
{
  for (guint try = 0; try < PORT_TRIES && slot->wanted + try <= G_MAXUINT16; try++)
    {
      g_autoptr(MsListener) listener = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", slot->wanted + try);
      g_autofree char *bound = NULL;

      listener = ms_listener_new (slot->protocol, g_str_equal (slot->protocol, "pop3") ? new_pop3_session
                                                                                        : new_imap_session, self);
      if (self->tls_context != NULL)
        ms_listener_set_tls (listener, self->tls_context, slot->implicit_tls);
      /* Each MsLiveClient starts its connection once it knows who it is. */
      ms_listener_set_deferred_start (listener, TRUE);
      bound = ms_listener_listen (listener, address, &error);
      if (bound == NULL)
        {
          if (try == 0)
            slot->problem = g_strdup (error->message);
          continue;
        }
      /* From what was bound: a wanted port of 0 lets the system choose. */
      slot->port = (guint16) g_ascii_strtoull (strrchr (bound, ':') + 1, NULL, 10);
      g_signal_connect_object (listener, "connection-opened", G_CALLBACK (on_connection_opened), self, 0);
      slot->listener = g_steal_pointer (&listener);
      return;
    }
}

static void
close_slot (Slot *slot)
{
  if (slot->listener != NULL)
    {
      g_signal_handlers_disconnect_matched (slot->listener, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                            on_connection_opened, NULL);
      ms_listener_stop (slot->listener);
    }
  g_clear_object (&slot->listener);
  g_clear_pointer (&slot->problem, g_free);
  slot->port = 0;
}

static void
close_clients (MsLiveServer *self,
               const char   *why)
{
  g_autoptr(GPtrArray) open = g_ptr_array_copy (self->open, (GCopyFunc) g_object_ref, NULL);

  /* Each removes itself from self->open as it closes: work on a copy. */
  g_ptr_array_set_free_func (open, g_object_unref);
  for (guint i = 0; i < open->len; i++)
    ms_live_client_shutdown (g_ptr_array_index (open, i), why);
}

/* The server's identity, kept in the user data folder (as `mailscope serve`
 * keeps it). Made here on first use: an EC P-256 key takes about a
 * millisecond, so the main loop does not wait for it in any way a person
 * would notice, and no worker thread can outlive the window. */
static void
ensure_tls (MsLiveServer *self)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tls_context != NULL)
    return;
  if (ms_tls_certificate_ensure (NULL, &cert, &key, &error))
    self->tls_context = ms_tls_context_new_server (cert, key, &error);
  if (self->tls_context != NULL)
    return;
  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    if (self->slots[i].implicit_tls)
      self->slots[i].problem = g_strdup_printf ("no TLS certificate: %s", error->message);
}

/* ---- GObject ---- */

static void
ms_live_server_dispose (GObject *object)
{
  MsLiveServer *self = MS_LIVE_SERVER (object);

  ms_live_server_stop (self);
  g_clear_object (&self->world);
  g_clear_object (&self->tls_context);

  G_OBJECT_CLASS (ms_live_server_parent_class)->dispose (object);
}

static void
ms_live_server_finalize (GObject *object)
{
  MsLiveServer *self = MS_LIVE_SERVER (object);

  g_ptr_array_unref (self->open);

  G_OBJECT_CLASS (ms_live_server_parent_class)->finalize (object);
}

static void
ms_live_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsLiveServer *self = MS_LIVE_SERVER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PORTS:
      g_value_set_uint (value, ms_live_server_lookup_port (self, "pop3"));
      break;
    case PROP_N_OPEN:
      g_value_set_uint (value, self->open->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_live_server_class_init (MsLiveServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_live_server_dispose;
  object_class->finalize = ms_live_server_finalize;
  object_class->get_property = ms_live_server_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Notified when any listener opens or closes; reads as the POP3 port. */
  properties[PROP_PORTS] =
    g_param_spec_uint ("ports", NULL, NULL, 0, G_MAXUINT16, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OPEN] =
    g_param_spec_uint ("n-open", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsLiveServer::client-added:
   * @client: the MsLiveClient of a new connection
   */
  signals[CLIENT_ADDED] =
    g_signal_new ("client-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_LIVE_CLIENT);
}

static void
ms_live_server_init (MsLiveServer *self)
{
  static const Slot defaults[MS_LIVE_SERVER_N_LISTENERS] = {
    { "pop3",  "pop3", FALSE, 1110 },
    { "imap",  "imap", FALSE, 1143 },
    { "pop3s", "pop3", TRUE,  1995 },
    { "imaps", "imap", TRUE,  1993 },
  };

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    self->slots[i] = defaults[i];
  self->open = g_ptr_array_new_with_free_func (g_object_unref);
}

MsLiveServer *
ms_live_server_new (void)
{
  return g_object_new (MS_TYPE_LIVE_SERVER, NULL);
}

void
ms_live_server_set_world (MsLiveServer *self,
                          MsWorld      *world)
{
  g_return_if_fail (MS_IS_LIVE_SERVER (self));
  g_return_if_fail (world == NULL || MS_IS_WORLD (world));

  if (self->world == world)
    return;
  close_clients (self, NC_ ("transcript", "the world on screen was rebuilt (step back, restart or another "
                                          "scenario), so the mailbox this connection used is gone; connect again"));
  /* Without a world the listeners keep the last one rather than refuse. */
  if (world != NULL)
    g_set_object (&self->world, world);
}

MsWorld *
ms_live_server_get_world (MsLiveServer *self)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), NULL);
  return self->world;
}

gboolean
ms_live_server_start (MsLiveServer  *self,
                      GError       **error)
{
  gboolean any = FALSE;

  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), FALSE);

  if (self->running)
    return TRUE;
  if (self->world == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "there is no mail server to open");
      return FALSE;
    }
  ensure_tls (self);
  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    if (!self->slots[i].implicit_tls || self->tls_context != NULL)
      {
        open_slot (self, &self->slots[i]);
        any |= self->slots[i].listener != NULL;
      }
  if (!any)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   "no port could be opened for POP3 or IMAP on 127.0.0.1: %s",
                   self->slots[0].problem ? self->slots[0].problem : "unknown error");
      for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
        g_clear_pointer (&self->slots[i].problem, g_free);
      return FALSE;
    }
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTS]);
  return TRUE;
}

void
ms_live_server_stop (MsLiveServer *self)
{
  g_return_if_fail (MS_IS_LIVE_SERVER (self));

  if (!self->running)
    return;
  self->running = FALSE;
  close_clients (self, NC_ ("transcript", "the real-clients switch was turned off"));
  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    close_slot (&self->slots[i]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTS]);
}

gboolean
ms_live_server_get_running (MsLiveServer *self)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), FALSE);
  return self->running;
}

void
ms_live_server_set_wanted_port (MsLiveServer *self,
                                const char   *name,
                                guint16       port)
{
  g_return_if_fail (MS_IS_LIVE_SERVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!self->running);

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    if (g_str_equal (self->slots[i].name, name))
      self->slots[i].wanted = port;
}

const char *
ms_live_server_get_name (MsLiveServer *self,
                         guint         i)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), NULL);
  g_return_val_if_fail (i < MS_LIVE_SERVER_N_LISTENERS, NULL);
  return self->slots[i].name;
}

guint16
ms_live_server_get_wanted_port (MsLiveServer *self,
                                guint         i)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), 0);
  g_return_val_if_fail (i < MS_LIVE_SERVER_N_LISTENERS, 0);
  return self->slots[i].wanted;
}

guint16
ms_live_server_get_port (MsLiveServer *self,
                         guint         i)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), 0);
  g_return_val_if_fail (i < MS_LIVE_SERVER_N_LISTENERS, 0);
  return self->slots[i].port;
}

const char *
ms_live_server_get_problem (MsLiveServer *self,
                            guint         i)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), NULL);
  g_return_val_if_fail (i < MS_LIVE_SERVER_N_LISTENERS, NULL);
  return self->slots[i].problem;
}

guint16
ms_live_server_lookup_port (MsLiveServer *self,
                            const char   *name)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    if (g_str_equal (self->slots[i].name, name))
      return self->slots[i].port;
  return 0;
}

guint
ms_live_server_get_n_open (MsLiveServer *self)
{
  g_return_val_if_fail (MS_IS_LIVE_SERVER (self), 0);
  return self->open->len;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the world changes on a device. */
#pragma once

#include "ms-device.h"

G_BEGIN_DECLS

typedef struct _MsSimConnection MsSimConnection;

struct _MsDevice
{
  GObject          parent_instance;
  char            *name;
  char            *protocol;
  MsClientTlsMode  tls_mode;
  MsClientPolicy   policy;
  MsLink          *link;
  char            *server_url;
  MsClientSession *client;
  guint            generation;
  gboolean         online;
  MsSimConnection    *connection;     /* the mail connection, or NULL */
  gboolean         encrypted;      /* its TLS handshake is done */
  guint64          bytes_down;
  guint64          bytes_up;
  guint            round_trips;
  guint            connections;
  gint64           busy_us;
  /* The current action, while the world runs it. */
  gboolean         action_running;
  gint64           action_started_us;
  gboolean         action_success;
  gboolean         offline_refused;
  gulong           finished_handler;
  GPtrArray       *signal_ids;     /* handler ids on client */
};

MsDevice *ms_device_new            (const char           *name,
                                    const char           *protocol,
                                    MsClientTlsMode       tls_mode,
                                    const MsClientPolicy *policy,
                                    MsLink               *link,
                                    const char           *server_url);
/* Replaces the client session (a new device after a crash). */
void      ms_device_set_client     (MsDevice             *self,
                                    MsClientSession      *client);
void      ms_device_set_online     (MsDevice             *self,
                                    gboolean              online);
void      ms_device_notify_connected (MsDevice           *self);
void      ms_device_set_encrypted  (MsDevice             *self,
                                    gboolean              encrypted);
void      ms_device_add_traffic    (MsDevice             *self,
                                    MsDirection           direction,
                                    gsize                 bytes);
void      ms_device_add_round_trip (MsDevice             *self);
void      ms_device_add_busy       (MsDevice             *self,
                                    gint64                us);
void      ms_device_add_connection (MsDevice             *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulated device (a laptop, a phone): a mail client with its own local
 * store and policy, on a link to the server. The world drives it; the device
 * holds what the UI shows about it and notifies every change. */
#pragma once

#include <glib-object.h>
#include "ms-client-session.h"
#include "ms-link.h"

G_BEGIN_DECLS

#define MS_TYPE_DEVICE (ms_device_get_type ())

G_DECLARE_FINAL_TYPE (MsDevice, ms_device, MS, DEVICE, GObject)

const char           *ms_device_get_name           (MsDevice *self);
/* "pop3" or "imap". */
const char           *ms_device_get_protocol       (MsDevice *self);
MsClientTlsMode       ms_device_get_tls_mode       (MsDevice *self);
const MsClientPolicy *ms_device_get_policy         (MsDevice *self);
MsLink               *ms_device_get_link           (MsDevice *self);
MsClientSession      *ms_device_get_client_session (MsDevice *self);
/* The device's own copy of the mail (the client session's local store). */
MsStore              *ms_device_get_local_store    (MsDevice *self);
/* NULL for the in-process server, else "imap://host:port" or "pop3://host:port". */
const char           *ms_device_get_server_url     (MsDevice *self);
guint                 ms_device_get_port           (MsDevice *self);
gboolean              ms_device_get_online         (MsDevice *self);
gboolean              ms_device_get_connected      (MsDevice *self);
/* Its mail connection runs over TLS now: implicit TLS or STLS/STARTTLS
 * once the handshake is done (before that, the same connection is in
 * clear). FALSE when not connected. */
gboolean              ms_device_get_encrypted      (MsDevice *self);
guint64               ms_device_get_bytes_down     (MsDevice *self);
guint64               ms_device_get_bytes_up       (MsDevice *self);
guint                 ms_device_get_round_trips    (MsDevice *self);
guint                 ms_device_get_connections    (MsDevice *self);
/* Virtual time spent waiting for the network, summed over actions. */
gint64                ms_device_get_busy_us        (MsDevice *self);
/* How many times this device was replaced after a crash. */
guint                 ms_device_get_generation     (MsDevice *self);

const char           *ms_client_tls_mode_to_string   (MsClientTlsMode  mode);
gboolean              ms_client_tls_mode_from_string (const char      *text,
                                                      MsClientTlsMode *mode);

G_END_DECLS

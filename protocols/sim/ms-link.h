/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A network link between a device and the server: a one-way latency and a
 * bandwidth in each direction. A chunk of n bytes sent at t arrives at
 * t' + n * 8 / bandwidth + latency, where t' is when the link's sending side
 * is free again (chunks in one direction queue behind each other, as on a
 * real line). Times are whole microseconds, rounded up, so a run is exact. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MS_DIRECTION_NONE,
  MS_DIRECTION_TO_SERVER,
  MS_DIRECTION_TO_CLIENT,
} MsDirection;

#define MS_TYPE_LINK (ms_link_get_type ())

G_DECLARE_FINAL_TYPE (MsLink, ms_link, MS, LINK, GObject)

/* Presets: "modem-56k" (56 kbit/s down, 33.6 up, 100 ms), "dsl-16m" (16 Mbit/s
 * down, 1 up, 20 ms), "fibre-1g" (1 Gbit/s both ways, 2 ms). NULL if unknown. */
MsLink     *ms_link_new_preset           (const char  *preset);
MsLink     *ms_link_new_custom           (gint64       latency_us,
                                          guint64      down_bps,
                                          guint64      up_bps);
MsLink     *ms_link_copy                 (MsLink      *self);
const char *ms_link_get_preset           (MsLink      *self);
/* A human name: "56k modem", "DSL 16 Mbit/s", "fibre 1 Gbit/s", "custom …". */
char       *ms_link_describe             (MsLink      *self);
gint64      ms_link_get_latency_us       (MsLink      *self);
guint64     ms_link_get_down_bps         (MsLink      *self);
guint64     ms_link_get_up_bps           (MsLink      *self);
/* Serialisation plus latency for @bytes from the server to the device. */
gint64      ms_link_transfer_time_us     (MsLink      *self,
                                          gsize        bytes);
gint64      ms_link_transfer_time_dir_us (MsLink      *self,
                                          MsDirection  direction,
                                          gsize        bytes);
/* Time to push @bytes onto the line, without the latency. */
gint64      ms_link_serialise_time_us    (MsLink      *self,
                                          MsDirection  direction,
                                          gsize        bytes);
/* Parses "56k", "modem-56k", "dsl-16m", "fibre-1g", or
 * "custom:LATENCY_MS:DOWN_KBPS:UP_KBPS". */
MsLink     *ms_link_parse                (const char  *text,
                                          GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One world on screen: the stage with the server in the middle and the
 * devices on either side (the first and third on the left, the second and
 * fourth on the right, stacked and compact when a column holds two), and
 * a line of counters (bytes, round trips, time).
 * Compare mode shows two of these, one above the other. */
#pragma once

#include <gtk/gtk.h>
#include "ms-account.h"
#include "ms-device-panel.h"
#include "ms-stage.h"
#include "ms-world.h"

G_BEGIN_DECLS

#define MS_TYPE_WORLD_VIEW (ms_world_view_get_type ())

G_DECLARE_FINAL_TYPE (MsWorldView, ms_world_view, MS, WORLD_VIEW, GtkWidget)

GtkWidget     *ms_world_view_new          (void);
MsStage       *ms_world_view_get_stage    (MsWorldView *self);
/* The panel in a stage slot (see ms_world_view_side_for()), or NULL when
 * no device is there. */
MsDevicePanel *ms_world_view_get_panel    (MsWorldView *self,
                                           MsStagePosition position);
void           ms_world_view_set_caption  (MsWorldView *self,
                                           const char  *caption);
void           ms_world_view_set_counters (MsWorldView *self,
                                           const char  *counters);
void           ms_world_view_set_compact  (MsWorldView *self,
                                           gboolean     compact);
/* Shows @world: its server and its devices, up to MS_STAGE_MAX_DEVICES
 * (the counters say how many more there are). What is
 * already in its transcript is taken as seen; what is added later travels
 * across the stage. */
void           ms_world_view_set_world    (MsWorldView *self,
                                           MsWorld     *world);
MsWorld       *ms_world_view_get_world    (MsWorldView *self);
/* While a world is replayed up to where it was shown already (stepping by
 * exchange rebuilds the world each time), nothing before transcript entry
 * @n travels and no deletion before it shows; 0 ends that. */
void           ms_world_view_set_quiet_until (MsWorldView *self,
                                              guint        n);
/* The stage slot a device is drawn in (its panel, its link), or -1: the
 * one place that maps a device to where it is on the stage. */
int            ms_world_view_side_for     (MsWorldView *self,
                                           const char  *device);

/* What an envelope carrying the chunk @entry says: its first line, cut to
 * fit, and how many more lines it holds; @is_message tells whether it
 * carries message data. Real clients' lanes label theirs the same way. */
char          *ms_world_view_envelope_label (MsTranscriptEntry *entry,
                                             gboolean          *is_message);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window shows while the "Real clients" switch is on: a strip that
 * says the server is open to programs on this computer, on which ports,
 * with which login (and which port was busy, if one was), and below it one
 * lane per real client (MsRealClientLane). A lane whose client has gone
 * stays, greyed, for a while (LANE_LINGER_S): a curl run lasts a few
 * milliseconds, and the class must get to see it; then it goes, so that a
 * client polling every minute does not fill the window. Its lines stay in
 * the transcript. The panel only observes the MsLiveServer. */
#pragma once

#include <gtk/gtk.h>
#include "ms-live-server.h"
#include "ms-real-client-lane.h"

G_BEGIN_DECLS

#define MS_TYPE_REAL_CLIENTS_PANEL (ms_real_clients_panel_get_type ())

G_DECLARE_FINAL_TYPE (MsRealClientsPanel, ms_real_clients_panel, MS, REAL_CLIENTS_PANEL, GtkWidget)

GtkWidget        *ms_real_clients_panel_new         (void);
void              ms_real_clients_panel_set_server  (MsRealClientsPanel *self,
                                                     MsLiveServer       *server);
MsLiveServer     *ms_real_clients_panel_get_server  (MsRealClientsPanel *self);
/* The lanes shown now, oldest first. */
guint             ms_real_clients_panel_get_n_lanes (MsRealClientsPanel *self);
MsRealClientLane *ms_real_clients_panel_get_lane    (MsRealClientsPanel *self,
                                                     guint               i);
/* The strip's text: the ports, the login and any busy port. */
char             *ms_real_clients_panel_dup_status  (MsRealClientsPanel *self);
void              ms_real_clients_panel_set_show_inside (MsRealClientsPanel *self,
                                                         gboolean            show_inside);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One real client on the stage: a short stage of its own whose left side is
 * a card for the client ("curl (127.0.0.1:53122) POP3", who it logged in
 * as, whether the line is encrypted, the last command and what it means)
 * and whose middle is the server shown above, with the client's commands
 * and the server's answers travelling between them as envelopes, like the
 * simulated devices'. It only observes an MsLiveClient: the socket lives in
 * protocols/net/. */
#pragma once

#include <gtk/gtk.h>
#include "ms-live-client.h"
#include "ms-stage.h"

G_BEGIN_DECLS

#define MS_TYPE_REAL_CLIENT_LANE (ms_real_client_lane_get_type ())

G_DECLARE_FINAL_TYPE (MsRealClientLane, ms_real_client_lane, MS, REAL_CLIENT_LANE, GtkWidget)

GtkWidget    *ms_real_client_lane_new        (MsLiveClient     *client);
MsLiveClient *ms_real_client_lane_get_client (MsRealClientLane *self);
MsStage      *ms_real_client_lane_get_stage  (MsRealClientLane *self);
/* What the card's title says ("curl (127.0.0.1:53122) POP3"). */
const char   *ms_real_client_lane_get_title  (MsRealClientLane *self);
/* How many of the client's chunks have been sent on their way. */
guint         ms_real_client_lane_get_n_envelopes (MsRealClientLane *self);

G_END_DECLS

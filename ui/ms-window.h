/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "ms-transcript-view.h"

G_BEGIN_DECLS

#define MS_TYPE_WINDOW (ms_window_get_type ())

G_DECLARE_FINAL_TYPE (MsWindow, ms_window, MS, WINDOW, GtkApplicationWindow)

MsWindow  *ms_window_new           (GtkApplication *application);
/* For the UI tests and the measurements in their report. */
GtkWidget *ms_window_get_stage     (MsWindow       *self);
const char *ms_window_get_narration (MsWindow      *self);
guint       ms_window_get_position  (MsWindow      *self);
guint       ms_window_get_n_steps   (MsWindow      *self);
/* > 0 when stepping by exchange stopped inside step position + 1. */
guint       ms_window_get_exchange  (MsWindow      *self);
/* The last step's or action's error message, or NULL. */
const char *ms_window_get_error     (MsWindow      *self);
/* Messages in the server's INBOX in the (upper) world. */
guint       ms_window_get_server_count (MsWindow   *self);
MsTranscriptView *ms_window_get_transcript_view (MsWindow *self);
/* The link preset (or link spelling) @device uses in the (upper) world. */
const char *ms_window_get_device_link (MsWindow *self,
                                       const char *device);
/* The strip and lanes of the "Real clients" switch (an MsRealClientsPanel). */
GtkWidget  *ms_window_get_real_clients_panel (MsWindow *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MS_TYPE_WINDOW (ms_window_get_type ())

G_DECLARE_FINAL_TYPE (MsWindow, ms_window, MS, WINDOW, GtkApplicationWindow)

MsWindow  *ms_window_new           (GtkApplication *application);
/* For the UI tests and the measurements in their report. */
GtkWidget *ms_window_get_stage     (MsWindow       *self);
const char *ms_window_get_narration (MsWindow      *self);

G_END_DECLS

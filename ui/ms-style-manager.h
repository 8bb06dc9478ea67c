/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Light or dark. GTK 4.8 without libadwaita does not follow the desktop's
 * preference by itself: this reads it from the freedesktop Settings portal
 * (org.freedesktop.appearance color-scheme, and its SettingChanged signal),
 * or from GNOME's own setting when there is no portal, and combines it with
 * the user's choice in the app ("follow", "light", "dark"). When dark, it
 * asks GTK for the theme's dark variant and adds the app's dark colours
 * (style-dark.css) over style.css. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MS_TYPE_STYLE_MANAGER (ms_style_manager_get_type ())

G_DECLARE_FINAL_TYPE (MsStyleManager, ms_style_manager, MS, STYLE_MANAGER, GObject)

/* Starts listening to the desktop at once (asynchronously); light until
 * the answer comes. */
MsStyleManager *ms_style_manager_new                    (GdkDisplay     *display);
/* "follow" (the desktop decides), "light" or "dark". */
const char     *ms_style_manager_get_color_scheme       (MsStyleManager *self);
void            ms_style_manager_set_color_scheme       (MsStyleManager *self,
                                                         const char     *color_scheme);
gboolean        ms_style_manager_get_system_prefers_dark (MsStyleManager *self);
/* What is shown now. */
gboolean        ms_style_manager_get_dark               (MsStyleManager *self);

G_END_DECLS

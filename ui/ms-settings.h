/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's GSettings, when its schema is installed (or found through
 * GSETTINGS_SCHEMA_DIR). Without it, g_settings_new() would abort; the app
 * then runs with its defaults and remembers nothing. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A new reference to the app's settings, or NULL when the schema is missing. */
GSettings *ms_settings_try_new (void);

G_END_DECLS

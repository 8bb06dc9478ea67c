/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the translations come from, for the app, the command line and the
 * tests alike. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The folder that holds de/LC_MESSAGES/mailscope.mo and the like:
 * $MAILSCOPE_LOCALEDIR, then the build tree's po/ (so a build runs in German
 * without installing), then the installed LOCALEDIR. */
const char *ms_i18n_locale_dir (void);

/* setlocale (LC_ALL, "") and binds the text domain to ms_i18n_locale_dir()
 * in UTF-8. Call once, first thing in main. */
void        ms_i18n_init       (void);

G_END_DECLS

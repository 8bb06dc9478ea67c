/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the app's data files live (the sample mailbox, the scenarios). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the absolute path of @relative (e.g. "mail/sample", "scenarios")
 * inside the first data folder that has it: $MAILSCOPE_DATADIR, then the
 * source tree's data/ (so the build tree runs without installing), then the
 * installed PKGDATADIR. NULL when none has it. Free with g_free(). */
char *ms_data_path (const char *relative);

G_END_DECLS

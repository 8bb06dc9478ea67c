/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Temporary folders for tests that write files (the on-disk state). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty folder under the system's temporary folder. */
char *ms_test_make_temp_dir (void);
/* Removes @path and everything below it; symbolic links are removed, not
 * followed. */
void  ms_test_remove_tree   (const char *path);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes what a player's world recorded to a file whose extension picks the
 * format. Only ".txt" (the narrated transcript, as `mailscope run` prints it)
 * exists so far; the other formats of design.md join here. The file is
 * written to a temporary name and renamed, so it is never half-written. */
#pragma once

#include <glib.h>
#include "ms-player.h"

G_BEGIN_DECLS

gboolean ms_export_write         (MsPlayer    *player,
                                  const char  *path,
                                  GError     **error);
/* TRUE when @path's extension names a format ms_export_write() can write. */
gboolean ms_export_is_supported  (const char  *path);
/* The full narrated text: the transcript, then the summary. */
void     ms_export_format_text   (MsPlayer    *player,
                                  GString     *out);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <gio/gio.h>

#include "ms-export.h"

gboolean
ms_export_is_supported (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return g_str_has_suffix (path, ".txt");
}

void
ms_export_format_text (MsPlayer *player,
                       GString  *out)
{
  MsWorld *world;

  g_return_if_fail (MS_IS_PLAYER (player));

  world = ms_player_get_world (player);
  ms_transcript_format_text (ms_world_get_transcript (world), out);
  ms_world_format_summary (world, out);
}

gboolean
ms_export_write (MsPlayer    *player,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (MS_IS_PLAYER (player), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!ms_export_is_supported (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: only .txt exports exist in this build", path);
      return FALSE;
    }
  ms_export_format_text (player, text);
  /* g_file_set_contents writes a temporary file and renames it into place. */
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <gio/gio.h>

#include "ms-clock.h"
#include "ms-export-private.h"

/* A chunk in the transcript's own text form, but with each line through the
 * redactor: "mm:ss.mmm device protocol#connection C:/S: text". */
static void
format_chunk (MsRedactor        *redactor,
              MsTranscriptEntry *entry,
              GString           *out)
{
  g_auto(GStrv) lines = ms_redactor_entry_lines (redactor, entry);
  g_autofree char *time = ms_transcript_entry_format_time (entry);
  g_autofree char *where = g_strdup_printf ("%s#%u", ms_transcript_entry_get_protocol (entry),
                                            ms_transcript_entry_get_connection (entry));
  const char *device = ms_transcript_entry_get_device (entry);
  const char *who = ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER ? "C:" : "S:";

  if (lines[0] == NULL)
    {
      /* Part of a line (a cut connection): the transcript's own form. It is
       * never a password line, which is complete or not sent at all. */
      ms_transcript_format_entry (entry, out);
      return;
    }
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s %-7s %-7s %s %s\n", time, device != NULL ? device : "-",
                            where, who, lines[i]);
}

void
ms_export_format_text_full (MsPlayer      *player,
                            MsExportFlags  flags,
                            GString       *out)
{
  g_autoptr(MsRedactor) redactor = NULL;
  MsTranscript *transcript;
  MsWorld *world;
  guint n;

  g_return_if_fail (MS_IS_PLAYER (player));
  g_return_if_fail (out != NULL);

  world = ms_player_get_world (player);
  transcript = ms_world_get_transcript (world);
  redactor = ms_redactor_new ((flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
  n = ms_transcript_get_n_entries (transcript);
  for (guint i = 0; i < n; i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);

      if (ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_CHUNK)
        format_chunk (redactor, entry, out);
      else
        ms_transcript_format_entry (entry, out);
    }
  ms_world_format_summary (world, out);
}

void
ms_export_format_text (MsPlayer *player,
                       GString  *out)
{
  ms_export_format_text_full (player, MS_EXPORT_FLAGS_NONE, out);
}

GBytes *
ms_export_text_bytes (MsPlayer       *player,
                      MsExportFlags   flags,
                      GError        **error)
{
  GString *out = g_string_new (NULL);
  MsScenario *scenario = ms_player_get_scenario (player);

  /* A comment header: what this is, and whether passwords were hidden. */
  g_string_append_printf (out, _("# Mailscope transcript: %s (%s)\n"), ms_scenario_get_title (scenario),
                          ms_scenario_get_id (scenario));
  g_string_append_printf (out, "# %s\n", ms_export_password_note (flags));
  g_string_append (out, _("# C: a device to the server, S: the server to a device; times are mm:ss.mmm of virtual time.\n"));
  ms_export_format_text_full (player, flags, out);
  return g_string_free_to_bytes (out);
}

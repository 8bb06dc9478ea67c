/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <string.h>

#include "ms-device.h"
#include "ms-display-names.h"
#include "ms-export-private.h"

/* A handout in CommonMark: the scenario, what it teaches, the devices, then
 * each step's narration and exchange. Text from scenarios is escaped, so a
 * teacher's "*" or "<b>" shows as written. */

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (strchr ("\\`*_[]<>#|&!{}", *p) != NULL)
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "  \n");   /* a hard line break */
      else
        g_string_append_c (out, *p);
    }
}

/* A code fence longer than any run of backticks inside it. */
static char *
fence_for (const char *text)
{
  guint longest = 0, run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  return g_strnfill (MAX (3, longest + 1), '`');
}

static void
append_ids (GString            *out,
            const char * const *ids)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", ids[i]);
}

static void
append_teaching (GString            *out,
                 const char * const *teaching,
                 const char * const *myths)
{
  const char * const *lists[] = { teaching, myths };

  if ((teaching == NULL || teaching[0] == NULL) && (myths == NULL || myths[0] == NULL))
    return;
  g_string_append_printf (out, "## %s\n\n", _("What this shows"));
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        const char *summary = ms_export_teaching_summary (lists[l][i]);

        g_string_append_printf (out, "- **%s**: ", lists[l][i]);
        append_escaped (out, summary != NULL ? summary : _("(not in this version's list)"));
        g_string_append_c (out, '\n');
      }
  g_string_append_c (out, '\n');
}

static void
append_devices (GString *out,
                MsWorld *world)
{
  GListModel *devices = ms_world_get_devices (world);

  /* TRANSLATORS: the heading and the columns of the devices table. */
  g_string_append_printf (out, "## %s\n\n| %s | %s | TLS | %s | %s | %s |\n"
                               "|---|---|---|---|---:|---:|\n", _("Devices"), _("Device"),
                          _("Protocol"), _("Link"), C_("bytes", "Up"), C_("bytes", "Down"));
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);
      g_autofree char *link = ms_link_describe (ms_device_get_link (device));
      g_autofree char *up = ms_export_format_size (ms_device_get_bytes_up (device));
      g_autofree char *down = ms_export_format_size (ms_device_get_bytes_down (device));

      g_string_append (out, "| ");
      append_escaped (out, ms_device_reader_name (ms_device_get_name (device)));
      g_string_append_printf (out, " | %s | %s | ", ms_device_get_protocol (device),
                              ms_client_tls_mode_display_name (ms_device_get_tls_mode (device)));
      append_escaped (out, link);
      g_string_append_printf (out, " | %s | %s |\n", up, down);
    }
  g_string_append_c (out, '\n');
}

static void
append_step (GString      *out,
             MsRedactor   *redactor,
             MsExportStep *step)
{
  g_autoptr(GPtrArray) rows = ms_export_rows_new ();
  g_autofree char *counters = ms_export_step_counters (step);
  g_autoptr(GString) block = g_string_new (NULL);
  g_autofree char *fence = NULL;

  g_string_append (out, "## ");
  append_escaped (out, step->title != NULL ? step->title : _("Before the first step"));
  g_string_append (out, "\n\n");

  for (guint i = 0; i < step->narrations->len; i++)
    {
      MsTranscriptEntry *narration = g_ptr_array_index (step->narrations, i);
      const char * const *ids = ms_transcript_entry_get_teaching_ids (narration);
      const char * const *myths = ms_transcript_entry_get_myth_ids (narration);

      g_string_append (out, "> ");
      append_escaped (out, ms_transcript_entry_get_text (narration));
      if ((ids != NULL && ids[0] != NULL) || (myths != NULL && myths[0] != NULL))
        {
          g_string_append (out, " (");
          append_ids (out, ids);
          if (ids != NULL && ids[0] != NULL && myths != NULL && myths[0] != NULL)
            g_string_append (out, ", ");
          append_ids (out, myths);
          g_string_append (out, ")");
        }
      g_string_append (out, "\n\n");
    }

  g_string_append_printf (out, "*%s*\n\n", counters);

  for (guint i = 0; i < step->entries->len; i++)
    ms_export_entry_rows (redactor, g_ptr_array_index (step->entries, i), rows);
  if (rows->len == 0)
    return;
  for (guint i = 0; i < rows->len; i++)
    {
      MsExportRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (block, "%s %-7s %-7s %-3s %s\n", row->time, row->device, row->where,
                              row->marker, row->text);
    }
  fence = fence_for (block->str);
  g_string_append_printf (out, "%stext\n%s%s\n\n", fence, block->str, fence);
}

GBytes *
ms_export_markdown_bytes (MsPlayer       *player,
                          MsExportFlags   flags,
                          GError        **error)
{
  GString *out = g_string_new (NULL);
  MsScenario *scenario = ms_player_get_scenario (player);
  MsWorld *world = ms_player_get_world (player);
  g_autoptr(GPtrArray) steps = ms_export_collect_steps (ms_world_get_transcript (world));
  g_autoptr(MsRedactor) redactor = ms_redactor_new ((flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
  g_autoptr(GString) summary = g_string_new (NULL);

  g_string_append (out, "# ");
  append_escaped (out, ms_scenario_get_title (scenario));
  g_string_append (out, "\n\n");
  if (ms_scenario_get_description (scenario) != NULL)
    {
      append_escaped (out, ms_scenario_get_description (scenario));
      g_string_append (out, "\n\n");
    }
  g_string_append_printf (out, _("Scenario `%s`, %u of %u steps run. %s\n\n"),
                          ms_scenario_get_id (scenario), ms_player_get_position (player),
                          ms_player_get_n_steps (player), ms_export_password_note (flags));
  g_string_append (out, _("In the exchanges, `C:` is a device talking to the server and `S:` the "
                          "server's answer; `!!` marks what happened around them."));
  if (ms_export_has_tls_records (ms_world_get_transcript (ms_player_get_world (player))))
    g_string_append (out, _(" `C>` and `S>` are TLS records, all an eavesdropper sees of a TLS "
                            "connection: their type and size. The lines after them are what the two "
                            "ends read once they decrypted them."));
  g_string_append (out, _(" Times are minutes:seconds.milliseconds of the simulated clock."));
  g_string_append (out, "\n\n");
  append_teaching (out, ms_scenario_get_teaching_ids (scenario), ms_scenario_get_myth_ids (scenario));
  append_devices (out, world);

  for (guint i = 0; i < steps->len; i++)
    {
      MsExportStep *step = g_ptr_array_index (steps, i);

      /* Step 0 holds only the scenario's own heading line. */
      if (step->index == 0 && step->entries->len == 0 && step->narrations->len == 0)
        continue;
      append_step (out, redactor, step);
    }

  ms_world_format_summary (world, summary);
  if (summary->len > 0)
    {
      g_autofree char *fence = fence_for (summary->str);

      g_string_append_printf (out, "## %s\n\n%stext\n%s%s%s\n", _("Summary"), fence, summary->str,
                              g_str_has_suffix (summary->str, "\n") ? "" : "\n", fence);
    }
  return g_string_free_to_bytes (out);
}

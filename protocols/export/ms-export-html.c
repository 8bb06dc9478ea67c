/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include "ms-device.h"
#include "ms-display-names.h"
#include "ms-export-private.h"

/* A handout as one self-contained HTML file: no scripts, fonts or images
 * from elsewhere, so it opens offline and mails as one attachment. The
 * markup is well-formed XML (every element closed, only XML's five
 * entities) and semantic (headings, lists, tables with header cells), so it
 * reads without its style sheet and in a screen reader. The colours are
 * the stage's: light blue for what a device sends, light green for the
 * server's answers, one strong colour per device. */

static const char style[] =
  "body{font-family:Cantarell,'DejaVu Sans',sans-serif;max-width:62rem;margin:2rem auto;"
  "padding:0 1rem;color:#241f31;background:#fff;line-height:1.45}\n"
  "h1{font-size:1.9rem;margin-bottom:.3rem}\n"
  "h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #deddda;padding-bottom:.2rem}\n"
  ".meta{color:#5e5c64}\n"
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\n"
  "dt{font-weight:bold}\n"
  "dd{margin:0}\n"
  ".narration{border-left:5px solid #e5a50a;background:#fdf6e3;padding:.6rem .9rem;margin:.8rem 0}\n"
  ".ids{color:#5e5c64;font-size:.9em}\n"
  ".counters{color:#5e5c64;font-size:.9em}\n"
  "table{border-collapse:collapse;width:100%}\n"
  "th,td{text-align:left;padding:.15rem .5rem;vertical-align:top}\n"
  "thead th{border-bottom:1px solid #9a9996}\n"
  ".devices td,.devices th{border-bottom:1px solid #deddda}\n"
  ".num{text-align:right}\n"
  ".exchange{font-family:'DejaVu Sans Mono',monospace;font-size:.85rem}\n"
  ".exchange td.line{white-space:pre-wrap;overflow-wrap:anywhere}\n"
  ".exchange tr.up td.line{background:#dbeaff}\n"
  ".exchange tr.down td.line{background:#e5f5e5}\n"
  ".exchange tr.notice td.line{font-style:italic;color:#5e5c64}\n"
  ".exchange tr.tls td.line{color:#5e5c64}\n"
  ".exchange tr.tls.up td.line{background:#f0f6ff}\n"
  ".exchange tr.tls.down td.line{background:#f2faf2}\n"
  ".exchange td.who{font-weight:bold;white-space:nowrap}\n"
  ".exchange td.time{color:#5e5c64;white-space:nowrap}\n"
  ".swatch{display:inline-block;width:.8em;height:.8em;border-radius:.2em;margin-right:.3em}\n"
  "pre{background:#f6f5f4;padding:.6rem;overflow-x:auto}\n"
  "@media print{body{margin:0;max-width:none;font-size:10pt}"
  "h2{break-after:avoid;page-break-after:avoid}"
  "tr,.narration{break-inside:avoid;page-break-inside:avoid}"
  "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void
esc (GString    *out,
     const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static void
append_ids (GString            *out,
            const char * const *ids,
            gboolean           *first)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_string_append (out, *first ? "" : ", ");
      esc (out, ids[i]);
      *first = FALSE;
    }
}

static void
append_teaching (GString            *out,
                 const char * const *teaching,
                 const char * const *myths)
{
  const char * const *lists[] = { teaching, myths };

  if ((teaching == NULL || teaching[0] == NULL) && (myths == NULL || myths[0] == NULL))
    return;
  g_string_append_printf (out, "<section>\n<h2>%s</h2>\n<dl>\n", _("What this shows"));
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        const char *summary = ms_export_teaching_summary (lists[l][i]);

        g_string_append (out, "<dt>");
        esc (out, lists[l][i]);
        g_string_append (out, "</dt><dd>");
        esc (out, summary != NULL ? summary : _("(not in this version's list)"));
        g_string_append (out, "</dd>\n");
      }
  g_string_append (out, "</dl>\n</section>\n");
}

static void
append_devices (GString *out,
                MsWorld *world)
{
  GListModel *devices = ms_world_get_devices (world);

  g_string_append_printf (out, "<section>\n<h2>%s</h2>\n<table class=\"devices\">\n<thead><tr>"
                               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                               "<th scope=\"col\">TLS</th><th scope=\"col\">%s</th>"
                               "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                               "</tr></thead>\n<tbody>\n", _("Devices"), _("Device"), _("Protocol"),
                          _("Link"), C_("bytes", "Sent"), C_("bytes", "Received"));
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);
      g_autofree char *link = ms_link_describe (ms_device_get_link (device));
      g_autofree char *up = ms_export_format_size (ms_device_get_bytes_up (device));
      g_autofree char *down = ms_export_format_size (ms_device_get_bytes_down (device));
      const char *name = ms_device_get_name (device);

      g_string_append_printf (out, "<tr><th scope=\"row\"><span class=\"swatch\" style=\"background:%s\"></span>",
                              ms_export_device_colour (world, name));
      esc (out, ms_device_reader_name (name));
      g_string_append (out, "</th><td>");
      esc (out, ms_device_get_protocol (device));
      g_string_append (out, "</td><td>");
      esc (out, ms_client_tls_mode_display_name (ms_device_get_tls_mode (device)));
      g_string_append (out, "</td><td>");
      esc (out, link);
      g_string_append_printf (out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n", up, down);
    }
  g_string_append (out, "</tbody>\n</table>\n</section>\n");
}

static const char *
row_class (const MsExportRow *row)
{
  if (g_str_equal (row->marker, "!!"))
    return "notice";
  if (row->tls)
    return row->direction == MS_DIRECTION_TO_SERVER ? "tls up" : "tls down";
  return row->direction == MS_DIRECTION_TO_SERVER ? "up" : "down";
}

static void
append_step (GString      *out,
             MsWorld      *world,
             MsRedactor   *redactor,
             MsExportStep *step)
{
  g_autoptr(GPtrArray) rows = ms_export_rows_new ();
  g_autofree char *counters = ms_export_step_counters (step);

  g_string_append_printf (out, "<section id=\"step-%u\">\n<h2>", step->index);
  esc (out, step->title != NULL ? step->title : _("Before the first step"));
  g_string_append (out, "</h2>\n");

  for (guint i = 0; i < step->narrations->len; i++)
    {
      MsTranscriptEntry *narration = g_ptr_array_index (step->narrations, i);
      const char * const *ids = ms_transcript_entry_get_teaching_ids (narration);
      const char * const *myths = ms_transcript_entry_get_myth_ids (narration);
      gboolean first = TRUE;

      g_string_append (out, "<p class=\"narration\">");
      esc (out, ms_transcript_entry_get_text (narration));
      if ((ids != NULL && ids[0] != NULL) || (myths != NULL && myths[0] != NULL))
        {
          g_string_append (out, " <span class=\"ids\">(");
          append_ids (out, ids, &first);
          append_ids (out, myths, &first);
          g_string_append (out, ")</span>");
        }
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "<p class=\"counters\">");
  esc (out, counters);
  g_string_append (out, "</p>\n");

  for (guint i = 0; i < step->entries->len; i++)
    ms_export_entry_rows (redactor, g_ptr_array_index (step->entries, i), rows);
  if (rows->len > 0)
    {
      g_string_append_printf (out, "<table class=\"exchange\">\n<thead><tr><th scope=\"col\">%s</th>"
                                   "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                                   "<th scope=\"col\"><abbr title=\"", _("Time"), _("Who"), _("Connection"));
      esc (out, _("C: device to server, S: server to device; C> and S>: a TLS record"));
      g_string_append_printf (out, "\">%s</abbr></th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                              /* TRANSLATORS: short for direction, a column heading. */
                              _("Dir"), _("Line"));
      for (guint i = 0; i < rows->len; i++)
        {
          MsExportRow *row = g_ptr_array_index (rows, i);

          g_string_append_printf (out, "<tr class=\"%s\"><td class=\"time\">%s</td>"
                                       "<td class=\"who\" style=\"color:%s\">", row_class (row), row->time,
                                  ms_export_device_colour (world, row->device));
          esc (out, row->device);
          g_string_append (out, "</td><td>");
          esc (out, row->where);
          g_string_append (out, "</td><td>");
          esc (out, row->marker);
          g_string_append (out, "</td><td class=\"line\"><code>");
          esc (out, row->text);
          g_string_append (out, "</code></td></tr>\n");
        }
      g_string_append (out, "</tbody>\n</table>\n");
    }
  g_string_append (out, "</section>\n");
}

GBytes *
ms_export_html_bytes (MsPlayer       *player,
                      MsExportFlags   flags,
                      GError        **error)
{
  GString *out = g_string_new (NULL);
  MsScenario *scenario = ms_player_get_scenario (player);
  MsWorld *world = ms_player_get_world (player);
  g_autoptr(GPtrArray) steps = ms_export_collect_steps (ms_world_get_transcript (world));
  g_autoptr(MsRedactor) redactor = ms_redactor_new ((flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
  g_autoptr(GString) summary = g_string_new (NULL);

  /* TRANSLATORS: the language of the HTML export, for <html lang>: "de". */
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n", _("en"));
  g_string_append (out, "<meta name=\"generator\" content=\"Mailscope\"/>\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
  esc (out, ms_scenario_get_title (scenario));
  g_string_append_printf (out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", style);
  esc (out, ms_scenario_get_title (scenario));
  g_string_append (out, "</h1>\n");
  if (ms_scenario_get_description (scenario) != NULL)
    {
      g_string_append (out, "<p>");
      esc (out, ms_scenario_get_description (scenario));
      g_string_append (out, "</p>\n");
    }
  {
    g_autofree char *id = g_markup_printf_escaped ("<code>%s</code>", ms_scenario_get_id (scenario));

    g_string_append (out, "<p class=\"meta\">");
    /* TRANSLATORS: %s is the scenario's id; the HTML around it stays. */
    g_string_append_printf (out, _("Scenario %s, %u of %u steps run."), id, ms_player_get_position (player),
                            ms_player_get_n_steps (player));
    g_string_append (out, " <strong>");
  }
  esc (out, ms_export_password_note (flags));
  g_string_append (out, "</strong></p>\n<p class=\"meta\">");
  g_string_append (out, _("In the exchanges, <code>C:</code> is a device "
                          "talking to the server (blue) and <code>S:</code> the server's answer (green); "
                          "<code>!!</code> marks what happened around them."));
  if (ms_export_has_tls_records (ms_world_get_transcript (world)))
    g_string_append (out, _(" <code>C&gt;</code> and <code>S&gt;</code> are TLS records, all an "
                            "eavesdropper sees of a TLS connection: their type and size. The lines "
                            "after them are what the two ends read once they decrypted them."));
  g_string_append (out, _(" Times are minutes:seconds.milliseconds of the simulated clock."));
  g_string_append (out, "</p>\n</header>\n<main>\n");
  append_teaching (out, ms_scenario_get_teaching_ids (scenario), ms_scenario_get_myth_ids (scenario));
  append_devices (out, world);

  for (guint i = 0; i < steps->len; i++)
    {
      MsExportStep *step = g_ptr_array_index (steps, i);

      if (step->index == 0 && step->entries->len == 0 && step->narrations->len == 0)
        continue;
      append_step (out, world, redactor, step);
    }

  ms_world_format_summary (world, summary);
  if (summary->len > 0)
    {
      g_string_append_printf (out, "<section>\n<h2>%s</h2>\n<pre>", _("Summary"));
      esc (out, summary->str);
      g_string_append (out, "</pre>\n</section>\n");
    }
  g_string_append (out, "</main>\n</body>\n</html>\n");
  return g_string_free_to_bytes (out);
}

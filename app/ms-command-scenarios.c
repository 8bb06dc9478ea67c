/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope-scenarios"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-commands.h"
#include "ms-scenario.h"

/* `mailscope scenarios`: one built-in scenario a line, "id<TAB>title<TAB>ids",
 * in teaching order. */
int
ms_command_scenarios (int    argc,
                      char **argv)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (argc > 1)
    {
      if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
        {
          g_print (_("Usage: mailscope scenarios\n"
                     "Lists the built-in scenarios: id, title, teaching point and myth ids.\n"));
          return 0;
        }
      g_printerr (_("mailscope scenarios: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }

  ids = ms_scenario_list_builtin ();
  if (ids[0] == NULL)
    {
      g_printerr (_("mailscope scenarios: no built-in scenarios found (data/scenarios)\n"));
      return 2;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
      g_autofree char *teaching = NULL;
      g_autofree char *myths = NULL;

      if (scenario == NULL)
        {
          g_printerr (_("mailscope scenarios: %s\n"), error->message);
          return 2;
        }
      teaching = g_strjoinv (" ", (GStrv) ms_scenario_get_teaching_ids (scenario));
      myths = g_strjoinv (" ", (GStrv) ms_scenario_get_myth_ids (scenario));
      g_string_append_printf (text, "%s\t%s\t%s%s%s\n", ids[i], ms_scenario_get_title (scenario), teaching,
                              teaching[0] != '\0' && myths[0] != '\0' ? " " : "", myths);
    }
  return ms_command_write_stdout ("mailscope scenarios", text) ? 0 : 2;
}

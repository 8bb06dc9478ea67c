/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-application.h"
#include "ms-commands.h"
#include "ms-i18n.h"
#include "ms-scenario.h"

static const struct {
  const char *name;
  int       (*func) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "serve",     ms_command_serve,     N_("run the POP3 and IMAP server headless") },
  { "run",       ms_command_run,       N_("run a scenario headless and print its transcript") },
  { "scenarios", ms_command_scenarios, N_("list the built-in scenarios") },
};

static void
print_help (void)
{
  /* The columns are padded here, not in the translations, so that a longer
   * German word cannot break the alignment. */
  g_print ("%s\n", _("Usage:"));
  g_print ("  %-24s  %s\n", "mailscope", _("open the app"));
  g_print ("  %-24s  %s\n", "mailscope FILE.scenario", _("open the app with a scenario file"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strconcat ("mailscope ", commands[i].name, NULL);

      g_print ("  %-24s  %s\n", usage, _(commands[i].summary));
    }
  g_print ("\n%s\n", _("Each command takes --help."));
  g_print ("  %-24s  %s\n", "--version", _("print the version"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MsApplication) app = NULL;

  ms_i18n_init ();

  /* The headless commands are dispatched before anything touches GTK, so
   * `serve`, `run` and `scenarios` work with no display at all. */
  if (argc >= 2)
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (argv[1], commands[i].name) == 0)
          return commands[i].func (argc - 1, argv + 1);

      if (strcmp (argv[1], "--version") == 0)
        {
          g_print ("mailscope %s\n", PACKAGE_VERSION);
          return 0;
        }
      if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
        {
          print_help ();
          return 0;
        }
      /* A scenario file for the app: checked here, headless, so that a
       * bad file gets one line on stderr and status 2 like every command,
       * not a window with an error in it. */
      if (argv[1][0] != '-' && g_str_has_suffix (argv[1], ".scenario"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(MsScenario) scenario = ms_scenario_load (argv[1], &error);

          if (scenario == NULL)
            {
              g_printerr ("mailscope: %s\n", error->message);
              return 2;
            }
        }
      else if (argv[1][0] != '-')
        {
          g_printerr (_("mailscope: unknown command “%s”; try mailscope --help\n"), argv[1]);
          return 2;
        }
    }

  /* ms_i18n_init() chose the locale; GTK would otherwise set it again from
   * the environment and undo the switch from C to C.UTF-8. */
  gtk_disable_setlocale ();
  app = ms_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

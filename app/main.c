/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope"
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

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
  /* The placeholder as the subcommands' --help writes it (DATEI in German). */
  g_autofree char *open_file = g_strdup_printf ("mailscope %s.scenario", _("FILE"));

  g_print ("%s\n", _("Usage:"));
  g_print ("  %-24s  %s\n", "mailscope", _("open the app"));
  g_print ("  %-24s  %s\n", open_file, _("open the app with a scenario file"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strconcat ("mailscope ", commands[i].name, NULL);

      g_print ("  %-24s  %s\n", usage, _(commands[i].summary));
    }
  g_print ("\n%s\n", _("Each command takes --help."));
  g_print ("  %-24s  %s\n", "--version", _("print the version"));
}

/* What is not a command is a scenario file to open (GApplication's
 * "open"): something that exists, a name ending in .scenario, a path or a
 * URI. A misspelt command ("sevre") stays an error. */
static gboolean
looks_like_file (const char *arg)
{
  return g_str_has_suffix (arg, ".scenario") || strchr (arg, '/') != NULL ||
         g_file_test (arg, G_FILE_TEST_EXISTS) || g_uri_peek_scheme (arg) != NULL;
}

/* Each file is checked here, headless, so that a bad one gets one line on
 * stderr and status 2 like every command, not a window with an error in
 * it: a missing file, a folder, or a scenario that does not load. (A
 * remote URI is left to the app, which says why it cannot open it.) */
static gboolean
file_can_be_read (const char *arg)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = NULL;
  const char *problem = NULL;

  if (path == NULL)
    return TRUE;
  if (g_access (path, R_OK) != 0)
    problem = g_strerror (errno);
  else if (g_file_test (path, G_FILE_TEST_IS_DIR))
    problem = g_strerror (EISDIR);
  if (problem != NULL)
    {
      g_printerr (_("mailscope: cannot open “%s”: %s\n"), arg, problem);
      return FALSE;
    }
  scenario = ms_scenario_load (path, &error);
  if (scenario == NULL)
    {
      g_printerr ("mailscope: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
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
      if (argv[1][0] != '-' && !looks_like_file (argv[1]))
        {
          g_printerr (_("mailscope: unknown command “%s”; try mailscope --help\n"), argv[1]);
          return 2;
        }
      for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' && !file_can_be_read (argv[i]))
          return 2;
    }

  /* ms_i18n_init() chose the locale; GTK would otherwise set it again from
   * the environment and undo the switch from C to C.UTF-8. */
  gtk_disable_setlocale ();
  app = ms_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-application.h"
#include "ms-commands.h"
#include "ms-i18n.h"

static const struct {
  const char *name;
  int       (*func) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "serve",     ms_command_serve,     "run the POP3 and IMAP server headless" },
  { "run",       ms_command_run,       "run a scenario headless and print its transcript" },
  { "scenarios", ms_command_scenarios, "list the built-in scenarios" },
};

static void
print_help (void)
{
  g_print ("Usage:\n"
           "  mailscope                 open the app\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  mailscope %-14s %s\n", commands[i].name, commands[i].summary);
  g_print ("\n"
           "Each command takes --help.\n"
           "  --version                 print the version\n");
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
      if (argv[1][0] != '-')
        {
          g_printerr ("mailscope: unknown command “%s”; try mailscope --help\n", argv[1]);
          return 2;
        }
    }

  app = ms_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope-run"
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "ms-commands.h"
#include "ms-export.h"
#include "ms-player.h"
#include "ms-scenario.h"

/* `mailscope run x > transcript.txt` on a full disk used to exit 0 with
 * the transcript cut short: a script had no way to know. A reader that
 * stopped early on purpose (`| head`) is not an error: EPIPE is silent. */
gboolean
ms_command_write_stdout (const char *command,
                         GString    *text)
{
  int saved;

  if (fwrite (text->str, 1, text->len, stdout) == text->len && fflush (stdout) == 0)
    return TRUE;
  saved = errno;
  if (saved == EPIPE)
    return TRUE;
  g_printerr (_("%s: cannot write to standard output: %s\n"), command, g_strerror (saved));
  return FALSE;
}

/* `mailscope run SCENARIO [--export FILE]... [--server URL]`: runs a
 * scenario headless, prints the narrated transcript and a summary, writes
 * the exports. Exit status: 0 every assertion held, 1 one failed (named on
 * stderr), 2 bad input. */
int
ms_command_run (int    argc,
                char **argv)
{
  g_auto(GStrv) exports = NULL;
  g_autofree char *server = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = NULL;
  g_autoptr(MsPlayer) player = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const MsAssertionResult *failure;
  gboolean ran;
  gboolean redact = FALSE;
  MsExportFlags flags;
  const GOptionEntry entries[] = {
    { "export", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &exports,
      N_("write the transcript to FILE (the extension picks the format)"), N_("FILE") },
    { "redact-passwords", 0, 0, G_OPTION_ARG_NONE, &redact,
      N_("show passwords as •••• in the output and every export"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("point every device at a real server: imap://HOST:PORT or pop3://HOST:PORT"), N_("URL") },
    { NULL }
  };

  context = g_option_context_new (N_("SCENARIO - run a scenario headless"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* The usage line ("SCENARIO - …") is translated by the context's
   * domain, the entries by the group's. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr (_("mailscope run: %s\n"), error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_printerr (_("mailscope run: give exactly one scenario (an id or a .scenario file)\n"));
      return 2;
    }
  for (guint i = 0; exports != NULL && exports[i] != NULL; i++)
    if (!ms_export_is_supported (exports[i]))
      {
        g_printerr (_("mailscope run: --export %s: unknown format (use one of %s)\n"), exports[i],
                    ms_export_supported_extensions ());
        return 2;
      }

  scenario = ms_scenario_load (argv[1], &error);
  if (scenario == NULL)
    {
      g_printerr (_("mailscope run: %s\n"), error->message);
      return 2;
    }
  if (server != NULL && !ms_scenario_set_server_url (scenario, server, &error))
    {
      g_printerr (_("mailscope run: %s\n"), error->message);
      return 2;
    }

  player = ms_player_new (scenario);
  if (!ms_player_prepare (player, &error))
    {
      g_printerr (_("mailscope run: %s: %s\n"), ms_scenario_get_file (scenario), error->message);
      return 2;
    }
  ran = ms_player_run_to_end (player, &error);

  flags = redact ? MS_EXPORT_FLAGS_REDACT_PASSWORDS : MS_EXPORT_FLAGS_NONE;
  ms_export_format_text_full (player, flags, text);
  if (!ms_command_write_stdout ("mailscope run", text))
    return 2;

  for (guint i = 0; exports != NULL && exports[i] != NULL; i++)
    {
      g_autoptr(GError) export_error = NULL;

      if (!ms_export_write_full (player, exports[i], flags, &export_error))
        {
          g_printerr (_("mailscope run: %s\n"), export_error->message);
          return 2;
        }
    }

  if (!ran)
    {
      g_printerr (_("mailscope run: %s\n"), error->message);
      return 1;
    }
  failure = ms_player_get_first_failure (player);
  if (failure != NULL)
    {
      g_printerr (_("mailscope run: %s: step %u: %s=%s failed: %s\n"),
                  ms_scenario_get_file (scenario), failure->step, failure->key,
                  failure->text, failure->detail);
      return 1;
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Compare mode runs every built-in scenario twice, once with every device
 * on POP3 and once on IMAP. Each must play to its end in both worlds: a
 * step written for one protocol (for example one that pauses at "RETR 16")
 * may not make the other world stop with an error. Assertions may fail
 * there (they describe the scenario's own protocols); errors may not. */
#define G_LOG_DOMAIN "test-compare"
#include "config.h"

#include "ms-player.h"
#include "ms-scenario.h"

static gboolean
transcript_mentions (MsPlayer   *player,
                     const char *text)
{
  return ms_transcript_contains (ms_world_get_transcript (ms_player_get_world (player)), text);
}

static void
test_every_scenario_both_protocols (void)
{
  static const char *protocols[] = { "pop3", "imap" };
  g_auto(GStrv) ids = ms_scenario_list_builtin ();

  g_assert_nonnull (ids);
  for (guint i = 0; ids[i] != NULL; i++)
    for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
        g_autoptr(MsPlayer) player = NULL;

        g_assert_no_error (error);
        player = ms_player_new_with_protocol (scenario, protocols[p]);
        if (!ms_player_run_to_end (player, &error))
          g_error ("%s over %s: %s", ids[i], protocols[p], error != NULL ? error->message : "no error");
        g_assert_cmpuint (ms_player_get_position (player), ==, ms_player_get_n_steps (player));
      }
}

/* The one built-in scenario that pauses on a POP3 line says, over IMAP,
 * why it did not pause. */
static void
test_until_over_other_protocol (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("one-session-at-a-time", &error);
  g_autoptr(MsPlayer) player = NULL;

  g_assert_no_error (error);
  player = ms_player_new_with_protocol (scenario, "imap");
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_player_get_position (player), ==, 2);
  g_assert_true (transcript_mentions (player, "over imap this step does not pause: “RETR 16”"));

  /* Without the override the same scenario still pauses there. */
  g_clear_object (&player);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  g_assert_false (transcript_mentions (player, "does not pause"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare/every-scenario-both-protocols", test_every_scenario_both_protocols);
  g_test_add_func ("/compare/until-over-other-protocol", test_until_over_other_protocol);
  return g_test_run ();
}

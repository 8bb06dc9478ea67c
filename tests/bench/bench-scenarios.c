/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prints how long each built-in scenario takes to run headless (load, run
 * every step, format the transcript): the median of 5 runs, in wall-clock
 * time and in the CPU time the process used (on a loaded machine the wall
 * time is mostly waiting for a core). Not a test; a figure to watch (a
 * 50-step scenario should take milliseconds). */
#define G_LOG_DOMAIN "bench-scenarios"
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "ms-player.h"
#include "ms-scenario.h"

#define RUNS 5

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) ids = argc > 1 ? g_strdupv (argv + 1) : ms_scenario_list_builtin ();

  g_print ("%-28s %6s %9s %12s %12s\n", "scenario", "steps", "entries", "median ms", "median cpu");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 times[RUNS];
      gint64 cpu[RUNS];
      guint n_steps = 0;
      guint n_entries = 0;
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      for (guint r = 0; r < RUNS && ok; r++)
        {
          gint64 start = g_get_monotonic_time ();
          gint64 cpu_start = cpu_us ();
          g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
          g_autoptr(MsPlayer) player = NULL;
          g_autoptr(GString) text = g_string_new (NULL);

          if (scenario == NULL)
            {
              ok = FALSE;
              break;
            }
          player = ms_player_new (scenario);
          if (!ms_player_run_to_end (player, &error))
            {
              ok = FALSE;
              break;
            }
          ms_transcript_format_text (ms_world_get_transcript (ms_player_get_world (player)), text);
          times[r] = g_get_monotonic_time () - start;
          cpu[r] = cpu_us () - cpu_start;
          n_steps = ms_scenario_get_n_steps (scenario);
          n_entries = ms_transcript_get_n_entries (ms_world_get_transcript (ms_player_get_world (player)));
        }
      if (!ok)
        {
          g_print ("%-28s not run: %s\n", ids[i], error->message);
          continue;
        }
      qsort (times, RUNS, sizeof times[0], compare_gint64);
      qsort (cpu, RUNS, sizeof cpu[0], compare_gint64);
      g_print ("%-28s %6u %9u %12.3f %12.3f\n", ids[i], n_steps, n_entries, times[RUNS / 2] / 1000.0,
               cpu[RUNS / 2] / 1000.0);
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Frame times of the app's window while the stage animates: the window at
 * 1920x1080 with the transcript open, the first built-in scenario played
 * at 1x from the start, RUNS times (build-aux/bench runs it under a private
 * Xvfb). Prints tab-separated rows: measure, median over the runs, unit.
 *
 * Two figures per run, both from the window's GdkFrameClock and counted
 * only while the stage has something in flight:
 * - the 95th percentile of the interval between frames (the frame clock's
 *   frame times, as the stage's own tick callback sees them): what a person
 *   sees; 16.7 ms is one frame at 60 Hz. On a machine with more runnable
 *   processes than cores it also holds the time spent waiting for a core.
 * - the 95th percentile of the CPU time the main thread spent from
 *   "before-paint" to "after-paint" (update, layout, snapshot and cairo
 *   render): the app's own work per frame, which is what fits or does not
 *   fit into 16.7 ms whatever the load. (The wall time of the same span is
 *   mostly waiting for a core on a loaded machine, so it is not shown.)
 * Each play stops after --max-seconds (20 s: the first two steps and a
 * half of the scenario at 1x). Figures only, no verdicts: never a test. */
#define G_LOG_DOMAIN "bench-frames"
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "bench-wire.h"
#include "ms-application.h"
#include "ms-stage.h"
#include "ms-ui-test.h"
#include "ms-window.h"

static int runs = 5;
static int width = 1920;
static int height = 1080;
static double speed = 1.0;
static int max_seconds = 20;

static const GOptionEntry entries[] = {
  { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Plays of the scenario (the median is printed)", "N" },
  { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "PX" },
  { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "Playback speed (0.25 to 4)", "X" },
  { "max-seconds", 0, 0, G_OPTION_ARG_INT, &max_seconds, "Stop a play after this long", "S" },
  { NULL }
};

typedef struct
{
  MsStage *stage;
  gint64   paint_start;
  GArray  *work_ms;
} Paint;

/* CPU time of this thread, in microseconds. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_before_paint (GdkFrameClock *clock,
                 Paint         *paint)
{
  paint->paint_start = ms_stage_get_busy (paint->stage) ? thread_cpu_us () : 0;
}

static void
on_after_paint (GdkFrameClock *clock,
                Paint         *paint)
{
  if (paint->paint_start != 0)
    {
      double ms = (thread_cpu_us () - paint->paint_start) / 1000.0;

      g_array_append_val (paint->work_ms, ms);
    }
  paint->paint_start = 0;
}

static gboolean
is_playing (GtkWidget *window)
{
  gboolean playing = FALSE;

  g_object_get (window, "playing", &playing, NULL);
  return playing;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- frame times of the animating stage");
  g_autoptr(GError) error = NULL;
  g_autoptr(MsApplication) app = NULL;
  g_autofree double *interval_p95 = NULL;
  g_autofree double *work_p95 = NULL;
  g_autofree double *frames = NULL;
  Paint paint = { 0 };
  GTestDBus *bus;
  GtkWidget *window;
  GdkFrameClock *clock;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-frames: %s\n", error->message);
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("bench-frames: no DISPLAY (build-aux/bench starts an Xvfb)\n");
      return 2;
    }
  runs = MAX (runs, 1);

  /* GtkApplication wants a session bus: a private one, as in the UI tests. */
  bus = ms_ui_test_start_bus ();
  app = ms_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);

  window = ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
  g_object_set (window, "show-transcript", TRUE, "speed", speed, NULL);
  paint.stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));
  paint.work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &paint);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &paint);

  interval_p95 = g_new0 (double, runs);
  work_p95 = g_new0 (double, runs);
  frames = g_new0 (double, runs);
  for (int r = 0; r < runs; r++)
    {
      gint64 deadline;
      guint n_frames;

      gtk_widget_activate_action (window, "win.restart", NULL);
      ms_ui_test_wait_until_still (window);
      ms_stage_reset_frame_stats (paint.stage);
      g_array_set_size (paint.work_ms, 0);

      g_object_set (window, "playing", TRUE, NULL);
      deadline = g_get_monotonic_time () + max_seconds * G_USEC_PER_SEC;
      while ((is_playing (window) || ms_stage_get_busy (paint.stage)) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      ms_stage_get_frame_stats (paint.stage, &n_frames, NULL, NULL);
      interval_p95[r] = ms_stage_get_frame_percentile (paint.stage, 95);
      work_p95[r] = bench_percentile ((double *) (void *) paint.work_ms->data, paint.work_ms->len, 95);
      frames[r] = n_frames;
      /* The next run's restart clears what is still in flight. */
      g_object_set (window, "playing", FALSE, NULL);
      g_printerr ("run %d: %u frames, interval p95 %.2f ms, CPU per frame p95 %.2f ms (%u paints)\n",
                  r + 1, n_frames, interval_p95[r], work_p95[r], paint.work_ms->len);
    }

  g_print ("frame-interval-p95\t%.3f\tms\n", bench_median (interval_p95, runs));
  g_print ("frame-cpu-p95\t%.3f\tms\n", bench_median (work_p95, runs));
  g_print ("frames\t%.0f\tframes\n", bench_median (frames, runs));

  g_signal_handlers_disconnect_by_data (clock, &paint);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (paint.work_ms);
  g_clear_object (&app);
  /* Not g_test_dbus_down(): it waits 30 s for GTK's last reference to the
   * connection, which the process is about to drop by exiting anyway. */
  g_test_dbus_stop (bus);
  return 0;
}

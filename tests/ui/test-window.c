/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drives the window through its actions under Xvfb and saves a screenshot
 * of every mode in $MS_BUILD_DIR/ui-screenshots/ for a person to look at.
 * Also measures start-up time to the first frame, frame times while the
 * stage animates, and RSS; they go to ui-screenshots/metrics.txt (figures,
 * not assertions: timing is not asserted in tests). */
#define G_LOG_DOMAIN "test-window"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "ms-application.h"
#include "ms-mailbox-view.h"
#include "ms-stage.h"
#include "ms-transcript-view.h"
#include "ms-store.h"
#include "ms-scenario.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static gint64 process_start_us;
static MsApplication *app;
static GString *metrics;

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static GtkWidget *
new_window (int width,
            int height)
{
  return ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
}

static void
test_startup (void)
{
  GtkWidget *window;
  gint64 start = g_get_monotonic_time ();
  gint64 first_frame;

  window = new_window (1280, 800);
  first_frame = g_get_monotonic_time ();
  g_string_append_printf (metrics, "start-up to first frame: %.1f ms since main(), %.1f ms to build and draw the window\n",
                          (first_frame - process_start_us) / 1000.0, (first_frame - start) / 1000.0);
  g_string_append_printf (metrics, "RSS after the first window: %ld KiB\n", rss_kib ());

  g_assert_nonnull (ms_window_get_stage (MS_WINDOW (window)));
  /* Ready to play: the first built-in scenario (or free exploration when
   * none is installed), with something to read. */
  g_assert_cmpuint (ms_window_get_position (MS_WINDOW (window)), ==, 0);
  g_assert_cmpuint (strlen (ms_window_get_narration (MS_WINDOW (window))), >, 20);
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  ms_ui_test_save_screenshot (window, "start");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
drive_modes (int width,
             int height)
{
  GtkWidget *window = new_window (width, height);
  g_autofree char *name = NULL;

  ms_ui_test_save_screenshot (window, "window");

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.link-preset", "s", "modem-56k"));
  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 2.0));
  {
    gboolean compare = FALSE;
    double speed = 0;
    g_object_get (window, "compare", &compare, "speed", &speed, NULL);
    g_assert_true (compare);
    g_assert_cmpfloat (speed, ==, 2.0);
  }
  ms_ui_test_save_screenshot (window, "compare");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  g_assert_true (gtk_widget_activate_action (window, "win.show-transcript", NULL));
  ms_ui_test_save_screenshot (window, "no-transcript");
  g_assert_true (gtk_widget_activate_action (window, "win.show-transcript", NULL));

  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  ms_ui_test_iterate (300);
  ms_ui_test_save_screenshot (window, "presentation");
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));
  {
    gboolean presentation = TRUE;
    g_object_get (window, "presentation", &presentation, NULL);
    g_assert_false (presentation);
  }
  ms_ui_test_iterate (200);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_modes_1280 (void)
{
  drive_modes (1280, 800);
}

static void
test_modes_1920 (void)
{
  drive_modes (1920, 1080);
}

static char *
tour_path (void)
{
  const char *source = g_getenv ("MS_SOURCE_DIR");
  return g_build_filename (source ? source : ".", "tests", "ui", "scenarios", "ui-tour.scenario", NULL);
}

static guint
window_position (GtkWidget *window)
{
  return ms_window_get_position (MS_WINDOW (window));
}

/* Loads a scenario, steps to the end (screenshots along the way), back to
 * the start, and checks that stepping back restores the earlier state. */
static void
play_scenario (GtkWidget  *window,
               const char *id_or_path,
               const char *shot_prefix)
{
  g_autofree char *narration_at_1 = NULL;
  guint n_steps, server_at_1 = 0;

  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", id_or_path));
  g_assert_cmpuint (window_position (window), ==, 0);
  n_steps = ms_window_get_n_steps (MS_WINDOW (window));
  g_assert_cmpuint (n_steps, >, 0);
  if (shot_prefix)
    {
      g_autofree char *name = g_strdup_printf ("%s-ready", shot_prefix);
      ms_ui_test_save_screenshot (window, name);
    }

  for (guint i = 1; i <= n_steps; i++)
    {
      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      g_assert_null (ms_window_get_error (MS_WINDOW (window)));
      g_assert_cmpuint (window_position (window), ==, i);
      if (i == 1)
        {
          narration_at_1 = g_strdup (ms_window_get_narration (MS_WINDOW (window)));
          server_at_1 = ms_window_get_server_count (MS_WINDOW (window));
        }
      if (shot_prefix)
        {
          g_autofree char *name = g_strdup_printf ("%s-step%u", shot_prefix, i);
          /* Mid-flight: envelopes on the links. */
          ms_ui_test_iterate (250);
          ms_ui_test_save_screenshot (window, name);
          ms_ui_test_wait_until_still (window);
        }
      else
        {
          /* Let a few frames run, then move on: the next step lands
           * whatever still travels. */
          ms_ui_test_iterate (30);
        }
    }
  if (shot_prefix)
    {
      g_autofree char *name = g_strdup_printf ("%s-end", shot_prefix);
      ms_ui_test_save_screenshot (window, name);
    }

  /* Step back (each is a replay) to step 1: the same narration and the
   * same server state. The other scenarios check one step back only, as
   * every replay costs the whole scenario again. */
  if (shot_prefix == NULL && n_steps > 1)
    {
      g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
      g_assert_cmpuint (window_position (window), ==, n_steps - 1);
    }
  else
    {
      while (window_position (window) > 1)
        g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
      g_assert_cmpstr (ms_window_get_narration (MS_WINDOW (window)), ==, narration_at_1);
      g_assert_cmpuint (ms_window_get_server_count (MS_WINDOW (window)), ==, server_at_1);
    }
  g_assert_true (gtk_widget_activate_action (window, "win.restart", NULL));
  g_assert_cmpuint (window_position (window), ==, 0);
}

static void
test_scenarios (void)
{
  GtkWidget *window = new_window (1280, 800);
  g_autofree char *tour = tour_path ();
  g_auto(GStrv) ids = ms_scenario_list_builtin ();

  /* The fastest speed a teacher can pick: screenshots still catch
   * envelopes mid-flight, and the suite stays quick. */
  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  play_scenario (window, tour, "tour");
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("scenario-%s", ids[i]);
      MsStage *stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));

      g_test_message ("built-in scenario %s", ids[i]);
      if (i == 0)
        ms_stage_reset_frame_stats (stage);
      play_scenario (window, ids[i], i == 0 ? prefix : NULL);
      /* Frame times while the first scenario plays (it waits for every
       * envelope to land, with screenshots in between). */
      if (i == 0)
        {
          guint n_frames;
          double mean_ms, max_ms;

          ms_stage_get_frame_stats (stage, &n_frames, &mean_ms, &max_ms);
          g_string_append_printf (metrics, "first scenario at 4x, 1280x800: %u frames, mean frame interval %.2f ms, p95 %.2f ms, worst %.2f ms\n",
                                  n_frames, mean_ms, ms_stage_get_frame_percentile (stage, 95), max_ms);
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_transcript (void)
{
  GtkWidget *window = new_window (1920, 1080);
  g_autofree char *tour = tour_path ();
  MsTranscriptView *view;
  guint n;

  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", tour));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  view = ms_window_get_transcript_view (MS_WINDOW (window));
  n = ms_transcript_view_get_n_shown (view);
  g_assert_cmpuint (n, >, 10);
  /* Find a RETR and check it is explained. */
  for (guint i = 0; i < n; i++)
    {
      MsTranscriptEntry *entry;
      const char * const *lines;

      ms_transcript_view_select (view, i);
      entry = ms_transcript_view_get_selected (view);
      lines = ms_transcript_entry_get_lines (entry);
      if (lines && lines[0] && g_str_has_prefix (lines[0], "RETR"))
        {
          g_assert_nonnull (strstr (ms_transcript_view_get_explanation (view), "whole message"));
          break;
        }
    }
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "transcript-explained");

  ms_transcript_view_set_eavesdropper (view, TRUE);
  g_assert_cmpuint (ms_transcript_view_get_n_shown (view), >, 0);
  ms_ui_test_save_screenshot (window, "transcript-eavesdropper");
  ms_transcript_view_set_eavesdropper (view, FALSE);

  ms_transcript_view_set_device_filter (view, "phone");
  g_assert_cmpuint (ms_transcript_view_get_n_shown (view), <, n);
  ms_transcript_view_set_device_filter (view, NULL);

  /* Compare mode: two worlds in lockstep. */
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_cmpuint (window_position (window), ==, 3);
  /* The transcript shows both worlds, each line marked with its world, and
   * filters by world and by device. */
  {
    guint both = ms_transcript_view_get_n_shown (view), pop, imap, phone;

    ms_transcript_view_set_world_filter (view, 1);
    pop = ms_transcript_view_get_n_shown (view);
    ms_transcript_view_set_world_filter (view, 2);
    imap = ms_transcript_view_get_n_shown (view);
    g_assert_cmpuint (pop, >, 0);
    g_assert_cmpuint (imap, >, 0);
    g_assert_cmpuint (pop + imap, ==, both);
    ms_transcript_view_select (view, imap - 1);
    g_assert_cmpuint (ms_transcript_view_get_entry_world (view, ms_transcript_view_get_selected (view)), ==, 2);
    ms_transcript_view_set_world_filter (view, 0);
    ms_transcript_view_set_device_filter (view, "phone");
    phone = ms_transcript_view_get_n_shown (view);
    g_assert_cmpuint (phone, <, both);
    ms_transcript_view_set_device_filter (view, NULL);
    g_assert_cmpuint (ms_transcript_view_get_n_shown (view), ==, both);
  }
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "compare-tour");
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_iterate (600);
  ms_ui_test_save_screenshot (window, "compare-tour-step4");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  /* Presentation mode on a scenario. */
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
  ms_ui_test_iterate (300);
  ms_ui_test_save_screenshot (window, "presentation-tour");
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));

  /* Free exploration from where the scenario stands. */
  g_assert_true (gtk_widget_activate_action (window, "world.perform", "(ss)", "server", "deliver"));
  g_assert_true (gtk_widget_activate_action (window, "world.perform", "(ss)", "phone", "check"));
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  ms_ui_test_iterate (400);
  ms_ui_test_save_screenshot (window, "free-action");
  ms_ui_test_wait_until_still (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  guint position, exchange, n_shown;
  char *narration;
} Stop;

static void
stop_clear (gpointer data)
{
  g_free (((Stop *) data)->narration);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stop, stop_clear)

static Stop
stop_here (GtkWidget *window)
{
  MsWindow *w = MS_WINDOW (window);

  return (Stop) { ms_window_get_position (w), ms_window_get_exchange (w),
                  ms_transcript_view_get_n_shown (ms_window_get_transcript_view (w)),
                  g_strdup (ms_window_get_narration (w)) };
}

/* Stepping by exchange through the phone's POP3 check and back: every stop
 * going back is the stop that was seen going forward. */
static void
test_step_by_exchange (void)
{
  GtkWidget *window = new_window (1280, 800);
  g_autoptr(GArray) stops = g_array_new (FALSE, FALSE, sizeof (Stop));
  g_autofree char *mode = NULL;

  g_array_set_clear_func (stops, stop_clear);
  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "first-check"));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-step-mode", NULL));
  g_object_get (window, "step-mode", &mode, NULL);
  g_assert_cmpstr (mode, ==, "exchange");
  ms_ui_test_wait_until_still (window);

  {
    Stop here = stop_here (window);
    g_array_append_val (stops, here);
  }
  /* Six stops in (each is a replay; the player's own test goes through
   * every stop of the step and back). */
  for (guint n = 0; n < 6; n++)
    {
      Stop here;

      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      g_assert_null (ms_window_get_error (MS_WINDOW (window)));
      here = stop_here (window);
      g_assert_cmpuint (here.n_shown, >, g_array_index (stops, Stop, stops->len - 1).n_shown);
      g_array_append_val (stops, here);
      if (here.exchange == 4)
        {
          ms_ui_test_iterate (250);
          ms_ui_test_save_screenshot (window, "exchange-mid-flight");
          ms_ui_test_wait_until_still (window);
          g_assert_nonnull (strstr (ms_window_get_narration (MS_WINDOW (window)), "RETR"));
        }
      else
        ms_ui_test_iterate (20);
    }
  g_assert_cmpuint (window_position (window), ==, 2);
  g_assert_cmpuint (ms_window_get_exchange (MS_WINDOW (window)), ==, 6);

  for (guint i = stops->len - 1; i > 0; i--)
    {
      Stop *want = &g_array_index (stops, Stop, i - 1);
      g_auto(Stop) here = { 0 };

      g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
      g_assert_null (ms_window_get_error (MS_WINDOW (window)));
      here = stop_here (window);
      g_assert_cmpuint (here.position, ==, want->position);
      g_assert_cmpuint (here.exchange, ==, want->exchange);
      g_assert_cmpuint (here.n_shown, ==, want->n_shown);
      g_assert_cmpstr (here.narration, ==, want->narration);
    }

  /* By action again, Next from inside a step ends that step. */
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-mode", "s", "action"));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_cmpuint (window_position (window), ==, 3);
  g_assert_cmpuint (ms_window_get_exchange (MS_WINDOW (window)), ==, 0);
  g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
  g_assert_cmpuint (window_position (window), ==, 2);
  g_assert_true (gtk_widget_activate_action (window, "win.step-mode", "s", "exchange"));

  /* Compare mode by exchange: the two worlds go on together, and back the
   * way they came. */
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_array_set_size (stops, 0);
  for (guint i = 0; i < 5; i++)
    {
      Stop here = stop_here (window);

      g_array_append_val (stops, here);
      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      g_assert_null (ms_window_get_error (MS_WINDOW (window)));
      ms_ui_test_iterate (20);
    }
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "compare-exchange");
  for (guint i = stops->len; i > 0; i--)
    {
      Stop *want = &g_array_index (stops, Stop, i - 1);
      g_auto(Stop) here = { 0 };

      g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
      here = stop_here (window);
      g_assert_cmpuint (here.position, ==, want->position);
      g_assert_cmpuint (here.exchange, ==, want->exchange);
      g_assert_cmpstr (here.narration, ==, want->narration);
    }
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-mode", "s", "action"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The stage on its own: what it draws for a POP3 download and an IMAP
 * fetch, and how fast it draws it. */
static void
test_stage_animation (void)
{
  GtkWidget *window = new_window (1280, 800);
  MsStage *stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));
  guint n_frames;
  double mean_ms, max_ms;

  ms_stage_set_link (stage, MS_STAGE_LEFT, "DSL · 16 Mbit/s", TRUE, FALSE);
  ms_stage_set_link (stage, MS_STAGE_RIGHT, "DSL · 16 Mbit/s", TRUE, TRUE);
  ms_stage_reset_frame_stats (stage);
  ms_stage_add_envelope (stage, MS_STAGE_LEFT, TRUE, MS_ENVELOPE_COMMAND, "RETR 5", 8, 0, 20000, FALSE);
  ms_stage_add_envelope (stage, MS_STAGE_LEFT, FALSE, MS_ENVELOPE_MESSAGE, "+OK 48213 octets: Invoice", 48213, 20000, 60000, FALSE);
  ms_stage_add_envelope (stage, MS_STAGE_RIGHT, TRUE, MS_ENVELOPE_COMMAND, "a4 UID FETCH 5 (ENVELOPE FLAGS)", 34, 0, 20000, TRUE);
  g_assert_true (ms_stage_get_busy (stage));

  ms_ui_test_iterate (450);
  ms_ui_test_save_screenshot (window, "stage-envelopes");
  ms_stage_set_show_inside (stage, TRUE);
  ms_ui_test_iterate (600);
  ms_ui_test_save_screenshot (window, "stage-envelopes-inside");
  ms_stage_add_vanish (stage, MS_STAGE_CENTER, "Invoice");
  ms_ui_test_iterate (300);
  ms_ui_test_save_screenshot (window, "stage-vanish");

  while (ms_stage_get_busy (stage))
    g_main_context_iteration (NULL, TRUE);
  ms_stage_get_frame_stats (stage, &n_frames, &mean_ms, &max_ms);
  g_assert_cmpuint (n_frames, >, 10);
  g_string_append_printf (metrics, "stage animation: %u frames, mean frame interval %.2f ms (%.1f fps), p95 %.2f ms, worst %.2f ms\n",
                          n_frames, mean_ms, mean_ms > 0 ? 1000.0 / mean_ms : 0,
                          ms_stage_get_frame_percentile (stage, 95), max_ms);
  g_string_append_printf (metrics, "RSS after animating: %ld KiB\n", rss_kib ());

  ms_stage_clear (stage);
  g_assert_false (ms_stage_get_busy (stage));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A mailbox of 100,000 messages in a view: it must open at once because
 * only the visible rows are made. */
static void
test_big_mailbox (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", NULL);
  MsMailbox *inbox = ms_account_get_inbox (account);
  const char *text = "From: Bob <bob@example.org>\r\nSubject: Number\r\n\r\nHello\r\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (text, strlen (text));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = ms_mailbox_view_new ();
  gint64 start;
  GListModel *model;

  for (guint i = 0; i < 100000; i++)
    ms_mailbox_append (inbox, raw, (i % 2) ? MS_FLAG_SEEN : MS_FLAG_NONE, NULL, 0, 0);

  gtk_window_set_default_size (GTK_WINDOW (window), 500, 700);
  gtk_window_set_child (GTK_WINDOW (window), view);
  start = g_get_monotonic_time ();
  ms_mailbox_view_set_account (MS_MAILBOX_VIEW (view), account);
  gtk_window_present (GTK_WINDOW (window));
  ms_ui_test_wait_for_frame (window);
  model = ms_mailbox_view_get_model (MS_MAILBOX_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100000);
  g_string_append_printf (metrics, "100,000-message mailbox view: first frame after %.1f ms\n",
                          (g_get_monotonic_time () - start) / 1000.0);

  /* Changes while shown: a flag, an expunge, a new message. */
  ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 0), MS_FLAGS_ADD, MS_FLAG_FLAGGED | MS_FLAG_DELETED, NULL);
  ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 2), MS_FLAGS_ADD, MS_FLAG_FLAGGED, NULL);
  ms_ui_test_save_screenshot (window, "mailbox-100k");
  g_assert_cmpuint (ms_mailbox_expunge_deleted (inbox), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 99999);
  ms_ui_test_wait_for_frame (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GTestDBus *bus;
  int status;

  process_start_us = g_get_monotonic_time ();
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }

  bus = ms_ui_test_start_bus ();

  app = ms_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  metrics = g_string_new (NULL);

  g_test_add_func ("/ui/window/startup", test_startup);
  g_test_add_func ("/ui/window/modes-1280x800", test_modes_1280);
  g_test_add_func ("/ui/window/modes-1920x1080", test_modes_1920);
  g_test_add_func ("/ui/stage/animation", test_stage_animation);
  g_test_add_func ("/ui/window/scenarios", test_scenarios);
  g_test_add_func ("/ui/window/transcript-compare-presentation", test_transcript);
  g_test_add_func ("/ui/window/step-by-exchange", test_step_by_exchange);
  g_test_add_func ("/ui/mailbox-view/100k", test_big_mailbox);

  status = g_test_run ();

  dir = ms_ui_test_screenshot_dir ();
  path = g_build_filename (dir, "metrics.txt", NULL);
  g_file_set_contents (path, metrics->str, -1, NULL);
  g_test_message ("%s", metrics->str);
  g_string_free (metrics, TRUE);
  g_clear_object (&app);
  /* stop, not down: GTK keeps the session connection until exit, and
   * down would wait for it to go. */
  g_test_dbus_stop (bus);
  /* Not unreffed: its finalize waits for the connection like down does. */
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GSettings under Xvfb with GSETTINGS_BACKEND=memory: what a window is
 * told through its actions is saved at once (its size when it closes), and
 * a second window starts where the first one stopped. */
#define G_LOG_DOMAIN "test-settings"
#include "config.h"

#include <gtk/gtk.h>

#include "ms-application.h"
#include "ms-scenario.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

static GtkWidget *
new_window (void)
{
  /* No size: the window takes the one it remembers. */
  return ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), 0, 0);
}

/* A built-in scenario that is not the first, so that restoring it is not
 * the same as starting afresh. */
static char *
second_scenario (void)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();

  g_assert_nonnull (ids);
  g_assert_nonnull (ids[0]);
  g_assert_nonnull (ids[1]);
  return g_strdup (ids[1]);
}

static void
assert_string (GSettings  *settings,
               const char *key,
               const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_restore (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *scenario = second_scenario ();
  g_autofree char *narration = NULL;
  g_autofree char *step_mode = NULL;
  g_autofree char *link_preset = NULL;
  GtkWidget *window = new_window ();
  double speed = 0;
  int width, height;

  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 2.0));
  g_assert_true (gtk_widget_activate_action (window, "win.link-preset", "s", "modem-56k"));
  g_assert_true (gtk_widget_activate_action (window, "win.step-mode", "s", "exchange"));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", scenario));
  g_assert_true (gtk_widget_activate_action (window, "settings.redact-passwords", NULL));
  g_assert_true (gtk_widget_activate_action (window, "settings.presentation-large-text", NULL));
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string ("dark"));
  narration = g_strdup (ms_window_get_narration (MS_WINDOW (window)));

  /* Saved at once, not when the window goes. */
  g_assert_cmpfloat (g_settings_get_double (settings, "speed"), ==, 2.0);
  assert_string (settings, "link-preset", "modem-56k");
  g_assert_cmpint (g_settings_get_enum (settings, "step-granularity"), ==, 0);
  assert_string (settings, "last-scenario", scenario);
  g_assert_false (g_settings_get_boolean (settings, "redact-passwords"));
  g_assert_false (g_settings_get_boolean (settings, "presentation-large-text"));
  g_assert_true (g_settings_get_boolean (settings, "presentation-high-contrast"));
  assert_string (settings, "color-scheme", "dark");

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  ms_ui_test_wait_for_frame (window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 720);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A second window, as after a restart. */
  window = new_window ();
  g_object_get (window, "speed", &speed, "link-preset", &link_preset, "step-mode", &step_mode, NULL);
  g_assert_cmpfloat (speed, ==, 2.0);
  g_assert_cmpstr (link_preset, ==, "modem-56k");
  g_assert_cmpstr (step_mode, ==, "exchange");
  g_assert_cmpstr (ms_window_get_narration (MS_WINDOW (window)), ==, narration);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 720);
  g_assert_false (gtk_widget_has_css_class (window, "large-text"));
  g_assert_true (gtk_widget_has_css_class (window, "high-contrast"));

  /* High contrast without large type, as a teacher may want on a small
   * projector. */
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  ms_ui_test_iterate (300);
  ms_ui_test_save_screenshot (window, "presentation-normal-text");
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));
  ms_ui_test_iterate (200);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
assert_link (GtkWidget  *window,
             const char *expected)
{
  g_autofree char *shown = NULL;

  g_object_get (window, "link-preset", &shown, NULL);
  g_assert_cmpstr (shown, ==, expected);
  /* What the header says is what the devices use. */
  g_assert_cmpstr (ms_window_get_device_link (MS_WINDOW (window), "laptop"), ==, expected);
}

/* The header's link and the simulation agree: a scenario's own link= shows
 * (dial-up stays dial-up) without becoming the user's default; a link the
 * user picks holds for the whole run, replays included, and becomes the
 * default for scenarios that do not choose one. */
static void
test_link (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;

  g_settings_set_string (settings, "link-preset", "dsl-16m");
  g_settings_set_string (settings, "last-scenario", "attachments-dialup");
  window = new_window ();
  assert_link (window, "modem-56k");
  assert_string (settings, "link-preset", "dsl-16m");

  g_assert_true (gtk_widget_activate_action (window, "win.link-preset", "s", "fibre-1g"));
  assert_link (window, "fibre-1g");
  assert_string (settings, "link-preset", "fibre-1g");
  /* Step back replays into a new world; compare mode builds two. */
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  g_assert_cmpuint (ms_window_get_position (MS_WINDOW (window)), ==, 1);
  assert_link (window, "fibre-1g");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  assert_link (window, "fibre-1g");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  /* Picking the link the header shows is a choice too. */
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "attachments-dialup"));
  assert_link (window, "modem-56k");
  g_assert_true (gtk_widget_activate_action (window, "win.link-preset", "s", "modem-56k"));
  assert_string (settings, "link-preset", "modem-56k");

  /* No link= of its own: the user's default. */
  g_assert_true (gtk_widget_activate_action (window, "win.link-preset", "s", "fibre-1g"));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "pop-two-devices"));
  assert_link (window, "fibre-1g");
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "first-check"));
  assert_link (window, "dsl-16m");
  assert_string (settings, "link-preset", "fibre-1g");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Waits (up to 10 s) until @window shows @expected: a GSettings change
 * reaches the other windows from the main loop. */
static void
wait_for_link (GtkWidget  *window,
               const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *shown = NULL;

      g_object_get (window, "link-preset", &shown, NULL);
      if (g_strcmp0 (shown, expected) == 0 || g_get_monotonic_time () > deadline)
        break;
      g_main_context_iteration (NULL, FALSE);
    }
  assert_link (window, expected);
}

/* One link for all windows: a pick in either window's link menu, or a
 * change of the key from outside (gsettings set, dconf), shows in both
 * headers and moves both windows' devices onto it, even where a scenario
 * had its own link=. */
static void
test_link_two_windows (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *first, *second;

  g_settings_set_string (settings, "link-preset", "dsl-16m");
  g_settings_set_string (settings, "last-scenario", "pop-two-devices");
  first = new_window ();
  second = new_window ();
  g_assert_true (gtk_widget_activate_action (second, "win.load-scenario", "s", "attachments-dialup"));
  assert_link (first, "dsl-16m");
  assert_link (second, "modem-56k");

  g_assert_true (gtk_widget_activate_action (first, "win.link-preset", "s", "fibre-1g"));
  assert_string (settings, "link-preset", "fibre-1g");
  assert_link (first, "fibre-1g");
  wait_for_link (second, "fibre-1g");
  ms_ui_test_save_screenshot (second, "link-followed");

  g_assert_true (gtk_widget_activate_action (second, "win.link-preset", "s", "modem-56k"));
  assert_string (settings, "link-preset", "modem-56k");
  wait_for_link (first, "modem-56k");
  assert_link (second, "modem-56k");

  /* From outside, as `gsettings set` would. */
  g_settings_set_string (settings, "link-preset", "dsl-16m");
  wait_for_link (first, "dsl-16m");
  wait_for_link (second, "dsl-16m");
  g_assert_null (ms_window_get_error (MS_WINDOW (first)));
  g_assert_null (ms_window_get_error (MS_WINDOW (second)));

  /* A step back replays on the followed link too. */
  g_assert_true (gtk_widget_activate_action (second, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (second, "win.step-back", NULL));
  assert_link (second, "dsl-16m");

  gtk_window_destroy (GTK_WINDOW (first));
  gtk_window_destroy (GTK_WINDOW (second));
}

/* A scenario file that is gone falls back to the first built-in one. */
static void
test_missing_scenario (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;

  g_settings_set_string (settings, "last-scenario", "/nonexistent/lesson.scenario");
  window = new_window ();
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  g_assert_cmpuint (ms_window_get_n_steps (MS_WINDOW (window)), >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  GTestDBus *bus;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }
  /* The memory backend: nothing is read from or written to the user's
   * own settings. */
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");

  bus = ms_ui_test_start_bus ();
  app = ms_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/settings/restore", test_restore);
  g_test_add_func ("/ui/settings/missing-scenario", test_missing_scenario);
  g_test_add_func ("/ui/settings/link", test_link);
  g_test_add_func ("/ui/settings/link-two-windows", test_link_two_windows);

  status = g_test_run ();

  g_clear_object (&app);
  g_test_dbus_stop (bus);
  return status;
}

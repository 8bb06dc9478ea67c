/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every device of a scenario is on the stage, not only the first two:
 * plays "one session at a time" (two POP3 and two IMAP devices) and "IMAP
 * with two devices and webmail", checks the device panels the stage shows
 * and where, and saves screenshots at 1280x800 and 1920x1080 in
 * $MS_BUILD_DIR/ui-screenshots/ for a person to look at. */
#define G_LOG_DOMAIN "test-stage-devices"
#include "config.h"

#include <gtk/gtk.h>

#include "ms-application.h"
#include "ms-device-panel.h"
#include "ms-stage.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

static GtkWidget *
new_window (int width,
            int height)
{
  return ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
}

/* The device panels on the top stage, in the order of their stage slots;
 * the server's comes back in @server. */
static GPtrArray *
device_panels (GtkWidget  *window,
               GtkWidget **server)
{
  GtkWidget *stage = ms_window_get_stage (MS_WINDOW (window));
  GPtrArray *panels = g_ptr_array_new ();

  *server = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (stage); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!MS_IS_DEVICE_PANEL (child) || !gtk_widget_get_visible (child))
        continue;
      if (g_str_equal (ms_device_panel_get_actor (MS_DEVICE_PANEL (child)), "server"))
        *server = child;
      else
        g_ptr_array_add (panels, child);
    }
  return panels;
}

static GtkWidget *
find_panel (GPtrArray  *panels,
            const char *actor)
{
  for (guint i = 0; i < panels->len; i++)
    if (g_str_equal (ms_device_panel_get_actor (g_ptr_array_index (panels, i)), actor))
      return g_ptr_array_index (panels, i);
  return NULL;
}

/* @left and @right list the devices top to bottom in each column. */
static void
assert_layout (GtkWidget          *window,
               const char * const *left,
               const char * const *right,
               float               min_height)
{
  GtkWidget *stage = ms_window_get_stage (MS_WINDOW (window));
  GtkWidget *server = NULL;
  g_autoptr(GPtrArray) panels = device_panels (window, &server);
  graphene_rect_t middle;
  guint n = g_strv_length ((char **) left) + g_strv_length ((char **) right);

  g_assert_nonnull (server);
  g_assert_cmpuint (panels->len, ==, n);
  g_assert_true (gtk_widget_compute_bounds (server, stage, &middle));
  for (guint column = 0; column < 2; column++)
    {
      const char * const *names = column == 0 ? left : right;
      float below = -1;

      for (guint i = 0; names[i] != NULL; i++)
        {
          GtkWidget *panel = find_panel (panels, names[i]);
          graphene_rect_t bounds;

          g_test_message ("panel %s", names[i]);
          g_assert_nonnull (panel);
          g_assert_true (gtk_widget_compute_bounds (panel, stage, &bounds));
          /* Room for its name, its counts and messages (compare mode at
           * 1280x800 had 90 pixels a device: a name and a drop-down), on
           * its side of the server, under the one above it in its column,
           * and inside the stage. */
          g_assert_cmpfloat (bounds.size.width, >, 100);
          g_assert_cmpfloat (bounds.size.height, >=, min_height);
          if (column == 0)
            g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <, middle.origin.x);
          else
            g_assert_cmpfloat (bounds.origin.x, >, middle.origin.x + middle.size.width);
          g_assert_cmpfloat (bounds.origin.y, >, below);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (stage) + 0.5f);
          below = bounds.origin.y + bounds.size.height;
        }
    }
}

/* No envelope's label in the last frame covers a link's caption or
 * connection state (an answer's label ran over the caption in the short
 * bands of a 1280x720 window). */
static void
assert_captions_clear (MsStage *stage)
{
  const graphene_rect_t *labels, *captions;
  guint n_labels = ms_stage_get_drawn_labels (stage, &labels);
  guint n_captions = ms_stage_get_drawn_captions (stage, &captions);

  for (guint i = 0; i < n_labels; i++)
    for (guint c = 0; c < n_captions; c++)
      if (graphene_rect_intersection (&labels[i], &captions[c], NULL))
        g_error ("label %u at %.0f,%.0f %.0fx%.0f covers the caption at %.0f,%.0f %.0fx%.0f", i,
                 labels[i].origin.x, labels[i].origin.y, labels[i].size.width, labels[i].size.height,
                 captions[c].origin.x, captions[c].origin.y, captions[c].size.width, captions[c].size.height);
}

/* Over a few frames of an exchange: no envelope's label covers a panel
 * (they used to run 90 pixels into the panels on either side), nor a
 * link's caption. Returns how many labels it saw. */
static guint
assert_labels_clear (GtkWidget *window)
{
  MsStage *stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));
  GtkWidget *server = NULL;
  g_autoptr(GPtrArray) panels = device_panels (window, &server);
  guint seen = 0;

  g_ptr_array_add (panels, server);
  for (guint frame = 0; frame < 12 && ms_stage_get_busy (stage); frame++)
    {
      const graphene_rect_t *labels;
      guint n;

      ms_ui_test_wait_for_frame (window);
      assert_captions_clear (stage);
      n = ms_stage_get_drawn_labels (stage, &labels);
      seen += n;
      for (guint i = 0; i < n; i++)
        for (guint p = 0; p < panels->len; p++)
          {
            graphene_rect_t bounds;

            g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (panels, p), GTK_WIDGET (stage), &bounds));
            if (graphene_rect_intersection (&labels[i], &bounds, NULL))
              g_error ("label %u at %.0f,%.0f %.0fx%.0f covers the panel of %s", i,
                       labels[i].origin.x, labels[i].origin.y, labels[i].size.width, labels[i].size.height,
                       ms_device_panel_get_actor (g_ptr_array_index (panels, p)));
          }
    }
  return seen;
}

static gboolean
transcript_shown (GtkWidget *window)
{
  gboolean shown = FALSE;

  g_object_get (window, "show-transcript", &shown, NULL);
  return shown;
}

static void
play (GtkWidget  *window,
      const char *id,
      guint       shot_step,
      const char *shot_name)
{
  guint n_steps;

  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", id));
  n_steps = ms_window_get_n_steps (MS_WINDOW (window));
  for (guint i = 1; i <= n_steps; i++)
    {
      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      g_assert_null (ms_window_get_error (MS_WINDOW (window)));
      if (i == shot_step)
        {
          g_autofree char *name = g_strdup_printf ("%s-step%u", shot_name, i);
          /* Envelopes on the link of the device that acts in this step;
           * the picture is for a person, nothing is asserted on it. */
          ms_ui_test_wait_for_frame (window);
          ms_ui_test_save_screenshot (window, name);
          g_assert_cmpuint (assert_labels_clear (window), >, 0);
        }
      ms_ui_test_wait_until_still (window);
    }
  {
    g_autofree char *name = g_strdup_printf ("%s-end", shot_name);
    ms_ui_test_save_screenshot (window, name);
  }
}

static void
drive (int width,
       int height)
{
  static const char * const left19[] = { "laptop", "tablet", NULL };
  static const char * const right19[] = { "phone", "desktop", NULL };
  static const char * const left03[] = { "laptop", "webmail", NULL };
  static const char * const right03[] = { "phone", NULL };
  static const char * const left01[] = { "laptop", NULL };
  static const char * const right01[] = { "phone", NULL };
  GtkWidget *window = new_window (width, height);
  GtkWidget *server = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));

  /* Step 5: the tablet opens the INBOX over IMAP while the laptop's POP3
   * session still holds the lock. */
  play (window, "one-session-at-a-time", 5, "stage-devices-19");
  assert_layout (window, left19, right19, 150);

  /* Step back replays the world: the same four panels stay. */
  before = device_panels (window, &server);
  g_assert_true (gtk_widget_activate_action (window, "win.step-back", NULL));
  ms_ui_test_wait_for_frame (window);
  assert_layout (window, left19, right19, 150);
  after = device_panels (window, &server);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_find (after, g_ptr_array_index (before, i), NULL));

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  ms_ui_test_wait_for_frame (window);
  ms_ui_test_save_screenshot (window, "stage-devices-19-compare");
  /* On a short screen compare mode puts the transcript away for the
   * stage, and gives it back after. */
  g_assert_true (transcript_shown (window) == (height >= 960));
  assert_layout (window, left19, right19, 125);
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_true (transcript_shown (window));

  /* Step 4: webmail marks a message read; the laptop sees it at once. */
  play (window, "imap-two-devices", 4, "stage-devices-03");
  assert_layout (window, left03, right03, 150);
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  ms_ui_test_wait_for_frame (window);
  ms_ui_test_save_screenshot (window, "stage-devices-03-compare");
  assert_layout (window, left03, right03, 125);
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  /* Back to two devices: nothing is left over from three. */
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "first-check"));
  ms_ui_test_wait_for_frame (window);
  assert_layout (window, left01, right01, 150);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A 1280x720 screen, four devices two to a column, compare mode too:
 * every frame of every step, no answer's label over a link's caption;
 * a screenshot in the middle of step 5's exchange. */
static void
test_1280x720 (void)
{
  GtkWidget *window = new_window (1280, 720);
  MsStage *stage = MS_STAGE (ms_window_get_stage (MS_WINDOW (window)));
  guint n_frames = 0;

  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 2.0));
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n_steps;

      g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "one-session-at-a-time"));
      if (pass == 1)
        g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
      n_steps = ms_window_get_n_steps (MS_WINDOW (window));
      for (guint step = 1; step <= n_steps; step++)
        {
          g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
          g_assert_null (ms_window_get_error (MS_WINDOW (window)));
          for (guint frame = 0; ms_stage_get_busy (stage) && frame < 400; frame++)
            {
              ms_ui_test_wait_for_frame (window);
              assert_captions_clear (stage);
              n_frames++;
              if (step == 5 && frame == 6)
                ms_ui_test_save_screenshot (window, pass == 0 ? "stage-band-19" : "stage-band-19-compare");
            }
          /* The devices' status lines and the worlds' headers fit too. */
          ms_ui_test_wait_for_frame (window);
          ms_ui_test_assert_status_lines (window);
        }
    }
  g_test_message ("%u frames checked", n_frames);
  g_assert_cmpuint (n_frames, >, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_1280 (void)
{
  drive (1280, 800);
}

static void
test_1920 (void)
{
  drive (1920, 1080);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/stage/devices-1280x800", test_1280);
  g_test_add_func ("/ui/stage/captions-1280x720", test_1280x720);
  g_test_add_func ("/ui/stage/devices-1920x1080", test_1920);
}

int
main (int   argc,
      char *argv[])
{
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A transcript row chosen from code (ms_transcript_view_select(): a test,
 * the keyboard, the stage) is scrolled into view, wherever the list was;
 * and every row is one line high, so that GTK 4.8's list lays them out
 * where they are (wrapped rows of different heights were left blank). */
#define G_LOG_DOMAIN "test-transcript-scroll"
#include "config.h"

#include <gtk/gtk.h>

#include "ms-application.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

static GtkWidget *
find_column_view (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_column_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether row @row of @n (all of one height) is wholly in view. */
static gboolean
row_in_view (GtkAdjustment *adjustment,
             guint          row,
             guint          n)
{
  double height = gtk_adjustment_get_upper (adjustment) / n;
  double value = gtk_adjustment_get_value (adjustment);

  return row * height >= value - 1 &&
         (row + 1) * height <= value + gtk_adjustment_get_page_size (adjustment) + 1;
}

static void
test_select_scrolls (void)
{
  GtkWidget *window = ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), 1280, 800);
  MsTranscriptView *view = ms_window_get_transcript_view (MS_WINDOW (window));
  GtkWidget *column_view = find_column_view (GTK_WIDGET (view));
  GtkAdjustment *adjustment;
  guint n, targets[3];

  g_assert_nonnull (column_view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "one-session-at-a-time"));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_wait_until_still (window);
  ms_ui_test_wait_for_frame (window);

  n = ms_transcript_view_get_n_shown (view);
  g_assert_cmpuint (n, >, 40);
  /* It follows the newest line. */
  for (guint i = 0; i < 600 && !row_in_view (adjustment, n - 1, n); i++)
    ms_ui_test_iterate (100);
  g_assert_true (row_in_view (adjustment, n - 1, n));
  /* Many rows, and not one page of them: the list must scroll. */
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adjustment), <, gtk_adjustment_get_upper (adjustment) / 4);

  targets[0] = 0;
  targets[1] = n / 2;
  targets[2] = n - 1;
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_test_message ("row %u of %u", targets[t], n);
      ms_transcript_view_select (view, targets[t]);
      g_assert_nonnull (ms_transcript_view_get_selected (view));
      /* Waits on the condition (60 s at most), not for a set time. */
      for (guint i = 0; i < 600 && !row_in_view (adjustment, targets[t], n); i++)
        ms_ui_test_iterate (100);
      g_assert_true (row_in_view (adjustment, targets[t], n));
      if (t == 1)
        ms_ui_test_save_screenshot (window, "transcript-selected-middle");
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/transcript/select-scrolls", test_select_scrolls);
}

int
main (int   argc,
      char *argv[])
{
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

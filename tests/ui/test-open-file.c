/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `mailscope FILE.scenario` and a file manager's "Open with": the app
 * handles GApplication's open, one window per file, each on its scenario.
 * (What the command line does before that, for a missing file or a
 * misspelt command, is tests/install/check-open-cli.py.) */
#define G_LOG_DOMAIN "test-open-file"
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ms-application.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

static const char scenario_text[] =
  "[scenario]\n"
  "id=teachers-own\n"
  "title=A teacher's own lesson\n"
  "description=Opened from the command line.\n"
  "teaching=T02\n"
  "mailbox=sample\n"
  "intro=A lesson opened from a file given to the app.\n"
  "\n"
  "[device laptop]\n"
  "protocol=imap\n"
  "\n"
  "[step 1]\n"
  "actor=laptop\n"
  "action=check\n"
  "narration=The laptop checks.\n"
  "\n"
  "[step 2]\n"
  "actor=laptop\n"
  "action=check\n"
  "narration=It checks again.\n";

static GList *
new_windows (GList *before)
{
  GList *after = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (g_list_find (before, l->data) == NULL && MS_IS_WINDOW (l->data))
      after = g_list_prepend (after, l->data);
  return after;
}

static void
test_open_two_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ms-open-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "teachers-own.scenario", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.scenario", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  GFile *files[] = { file, broken_file };
  g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_autoptr(GList) opened = NULL;
  MsWindow *good = NULL, *bad = NULL;

  g_assert_true (g_file_set_contents (path, scenario_text, -1, NULL));
  g_assert_true (g_file_set_contents (broken, "[scenario]\nthis is not a scenario\n", -1, NULL));

  g_application_open (G_APPLICATION (app), files, G_N_ELEMENTS (files), "");
  opened = new_windows (before);
  g_assert_cmpuint (g_list_length (opened), ==, 2);
  for (GList *l = opened; l != NULL; l = l->next)
    {
      ms_ui_test_wait_for_frame (l->data);
      if (ms_window_get_error (l->data) == NULL)
        good = l->data;
      else
        bad = l->data;
    }

  /* The teacher's file, ready at its start. */
  g_assert_nonnull (good);
  g_assert_cmpuint (ms_window_get_n_steps (good), ==, 2);
  g_assert_cmpuint (ms_window_get_position (good), ==, 0);
  g_assert_nonnull (strstr (ms_window_get_narration (good), "A lesson opened from a file"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (good), "win.step-forward", NULL));
  g_assert_cmpuint (ms_window_get_position (good), ==, 1);
  ms_ui_test_save_screenshot (GTK_WIDGET (good), "open-file");

  /* A file that does not parse: its window says why. */
  g_assert_nonnull (bad);
  g_assert_nonnull (strstr (ms_window_get_error (bad), "broken.scenario"));

  gtk_window_destroy (GTK_WINDOW (good));
  gtk_window_destroy (GTK_WINDOW (bad));
  g_unlink (path);
  g_unlink (broken);
  g_rmdir (dir);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/open/two-files", test_open_two_files);
}

int
main (int   argc,
      char *argv[])
{
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window in German (the test sets LANGUAGE=de): the header bar,
 * the device buttons, the narration strip and the scenario texts come from
 * po/de.po and the scenarios' [de] keys. Saves german-*.png screenshots in
 * $MS_BUILD_DIR/ui-screenshots/ for a person to look at: German words are
 * longer, and a clipped button shows there first. */
#define G_LOG_DOMAIN "test-german"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "ms-application.h"
#include "ms-i18n.h"
#include "ms-ui-test.h"
#include "ms-window.h"

static MsApplication *app;

/* Every label text and tooltip under @widget, one a line. */
static void
collect_texts (GtkWidget *widget,
               GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

static gboolean
has_line (const char *texts,
          const char *line)
{
  g_autofree char *needle = g_strdup_printf ("\n%s\n", line);
  g_autofree char *haystack = g_strdup_printf ("\n%s", texts);

  return strstr (haystack, needle) != NULL;
}

static void
test_german_window (void)
{
  GtkWidget *window = GTK_WIDGET (ms_window_new (GTK_APPLICATION (app)));
  g_autoptr(GString) texts = g_string_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "first-check"));
  ms_ui_test_wait_for_frame (window);

  collect_texts (window, texts);
  g_test_message ("visible texts:\n%s", texts->str);
  /* Header bar, device buttons, transcript pane: from po/de.po. */
  g_assert_true (has_line (texts->str, "Vergleichen"));
  g_assert_true (has_line (texts->str, "Abrufen"));
  g_assert_true (has_line (texts->str, "Mitschrift"));
  g_assert_true (has_line (texts->str, "Mailserver"));
  g_assert_false (has_line (texts->str, "Compare"));
  g_assert_false (has_line (texts->str, "Check"));
  /* The narration strip before step 1: the scenario's intro[de]. */
  g_assert_nonnull (strstr (ms_window_get_narration (MS_WINDOW (window)), "Alice hat ein Postfach"));
  g_assert_nonnull (strstr (texts->str, "Erster Abruf: derselbe Posteingang"));
  ms_ui_test_save_screenshot (window, "german-start");

  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  ms_ui_test_wait_until_still (window);
  g_assert_nonnull (strstr (ms_window_get_narration (MS_WINDOW (window)), "Der Laptop verbindet sich mit IMAP"));
  g_string_truncate (texts, 0);
  collect_texts (window, texts);
  g_assert_nonnull (strstr (texts->str, "Schritt 1 von 4"));
  ms_ui_test_save_screenshot (window, "german-step1");

  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "german-step3");

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "german-compare");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  ms_ui_test_wait_until_still (window);
  ms_ui_test_save_screenshot (window, "german-presentation");
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));

  /* STLS, implicit TLS and the eavesdropper's view: the longest link
   * captions ("verschlüsselt (TLS)") and explanations. A new window: one
   * that left full screen keeps whatever size Xvfb gave it. */
  gtk_window_destroy (GTK_WINDOW (window));
  window = GTK_WIDGET (ms_window_new (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "tls-eavesdropper"));
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_wait_until_still (window);
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));
  ms_ui_test_save_screenshot (window, "german-tls");

  /* The real-clients strip: ports, the login and a curl line to try. */
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  ms_ui_test_wait_for_frame (window);
  g_string_truncate (texts, 0);
  collect_texts (window, texts);
  g_assert_nonnull (strstr (texts->str, "Echte Mailprogramme: AN"));
  ms_ui_test_save_screenshot (window, "german-real-clients");
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  GTestDBus *bus;
  int status;

  /* Before anything reads it; the suite's LC_ALL=C.UTF-8 is not "C", so
   * gettext honours LANGUAGE. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }
  /* What main() does for the app: the locale from the environment and the
   * build tree's translations. */
  ms_i18n_init ();

  bus = ms_ui_test_start_bus ();
  app = ms_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/german/window", test_german_window);
  status = g_test_run ();

  g_clear_object (&app);
  /* As in test-window.c: stop, not down, and no unref (both would wait for
   * GTK's session connection, which lives until exit). */
  g_test_dbus_stop (bus);
  return status;
}

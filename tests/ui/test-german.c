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
#include "ms-export.h"
#include "ms-i18n.h"
#include "ms-player.h"
#include "ms-scenario.h"
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

/* A window 1270 pixels wide and 720 high (a projector's 1280x720 less
 * the frame), in German, whose words are longer: the status lines of the
 * devices and the header of each world in compare mode fit, wrap between
 * their parts, or are cut short with a tooltip; nothing covers anything.
 * Four devices (two to a column) and two, one world and compare mode. */
static void
test_german_layout (void)
{
  static const char *scenarios[] = { "first-check", "one-session-at-a-time" };
  GtkWidget *window = GTK_WIDGET (ms_window_new (GTK_APPLICATION (app)));
  guint n_checked = 0;

  /* The frame takes 10 pixels of each side of the size asked for. */
  ms_ui_test_present (window, 1280, 730);
  g_test_message ("window %dx%d", gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    for (guint compare = 0; compare < 2; compare++)
      {
        guint n_steps;

        g_object_set (window, "compare", (gboolean) compare, NULL);
        g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", scenarios[s]));
        n_steps = ms_window_get_n_steps (MS_WINDOW (window));
        for (guint step = 1; step <= n_steps; step++)
          {
            g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
            ms_ui_test_wait_until_still (window);
            ms_ui_test_wait_for_frame (window);
            n_checked += ms_ui_test_assert_status_lines (window);
          }
        if (s == 0)
          ms_ui_test_save_screenshot (window, compare ? "german-layout-compare" : "german-layout");
      }
  g_test_message ("%u status lines checked", n_checked);
  g_assert_cmpuint (n_checked, >, 100);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Waits for a toplevel of @type the app opens; NULL after a minute. */
static GtkWindow *
wait_for_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GtkWindow *found;

  while ((found = ms_ui_test_find_toplevel (type)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (found != NULL)
    ms_ui_test_wait_for_frame (GTK_WIDGET (found));
  return found;
}

/* Waits for the dialog of @type the app opens, checks that it holds
 * @german, saves it alone as @name and the screen as @name-screen. */
static GtkWindow *
shoot_dialog (GType       type,
              const char *german,
              const char *name,
              int         width,
              int         height)
{
  GtkWindow *dialog = wait_for_toplevel (type);
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autofree char *screen = g_strdup_printf ("%s-screen", name);

  g_assert_nonnull (dialog);
  /* A file chooser lists its folder first, for the picture. */
  ms_ui_test_iterate (800);
  collect_texts (GTK_WIDGET (dialog), texts);
  if (strstr (texts->str, german) == NULL)
    g_error ("%s lacks “%s”:\n%s", name, german, texts->str);
  ms_ui_test_save_screenshot (GTK_WIDGET (dialog), name);
  ms_ui_test_save_screen (screen, width, height);
  return dialog;
}

/* The dialogs and menus in German, for a person to look at (and for the
 * user guide): About, the keyboard shortcuts, the export dialog and the
 * preferences (the primary menu's Presentation Options and Style), each
 * alone and as the screen shows it over a 1920x1080 and a 1280x800 window.
 * Their texts must be German. */
static void
test_german_dialogs (void)
{
  static const int sizes[][2] = { { 1920, 1080 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int width = sizes[i][0], height = sizes[i][1];
      GtkWidget *window = ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
      GtkMenuButton *menu = GTK_MENU_BUTTON (gtk_widget_get_template_child (window, MS_TYPE_WINDOW, "primary_menu_button"));
      GtkWindow *dialog;
      GtkWidget *popover;

      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      ms_ui_test_wait_until_still (window);

      g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
      dialog = shoot_dialog (GTK_TYPE_ABOUT_DIALOG, "Sieh, was POP3 und IMAP wirklich senden", "german-about", width, height);
      gtk_window_destroy (dialog);

      g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
      dialog = shoot_dialog (GTK_TYPE_SHORTCUTS_WINDOW, "Vergleichen", "german-shortcuts", width, height);
      gtk_widget_set_visible (GTK_WIDGET (dialog), FALSE);

      g_assert_true (gtk_widget_activate_action (window, "win.export", NULL));
      dialog = shoot_dialog (GTK_TYPE_FILE_CHOOSER_DIALOG, "Passwörter verbergen", "german-export", width, height);
      gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
      ms_ui_test_iterate (100);

      for (guint s = 0; s < 2; s++)
        {
          const char *submenu = s == 0 ? "Presentation Options" : "Style";

          gtk_menu_button_popup (menu);
          popover = GTK_WIDGET (gtk_menu_button_get_popover (menu));
          ms_ui_test_wait_for_frame (popover);
          ms_ui_test_open_submenu (popover, g_dgettext (GETTEXT_PACKAGE, submenu));
          ms_ui_test_save_screenshot (popover, s == 0 ? "german-presentation-options" : "german-style");
          ms_ui_test_save_screen (s == 0 ? "german-presentation-options-screen" : "german-style-screen", width, height);
          gtk_menu_button_popdown (menu);
        }
      /* The closed menu hands the pointer back to the widget under it,
       * whose tooltip timer (500 ms) would then ask a destroyed surface
       * where the pointer is: a GTK 4.8 critical. Let it show first. */
      ms_ui_test_iterate (800);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* The lines the simulation writes, as the transcript pane shows them:
 * every notice and state line in German, no "check ok" or "done:" left. */
static void
test_german_transcript (void)
{
  GtkWidget *window = GTK_WIDGET (ms_window_new (GTK_APPLICATION (app)));
  MsTranscriptView *view;
  g_autoptr(GString) texts = g_string_new (NULL);
  guint n, checked = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "leave-a-copy"));
  for (guint i = 0; i < 2; i++)
    g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_wait_until_still (window);
  g_assert_null (ms_window_get_error (MS_WINDOW (window)));

  view = ms_window_get_transcript_view (MS_WINDOW (window));
  n = ms_transcript_view_get_n_shown (view);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      MsTranscriptEntry *entry;
      MsTranscriptKind kind;

      ms_transcript_view_select (view, i);
      entry = ms_transcript_view_get_selected (view);
      g_assert_nonnull (entry);
      kind = ms_transcript_entry_get_kind (entry);
      if (kind != MS_TRANSCRIPT_NOTICE && kind != MS_TRANSCRIPT_STATE)
        continue;
      checked++;
      /* "offline" is German too. */
      if (g_strcmp0 (ms_transcript_entry_get_text (entry), "offline") != 0)
        g_assert_cmpstr (ms_transcript_entry_get_display_text (entry), !=, ms_transcript_entry_get_text (entry));
    }
  g_assert_cmpuint (checked, >, 10);

  /* The last row is selected and scrolled to: a check, in German. */
  ms_ui_test_wait_for_frame (window);
  collect_texts (window, texts);
  g_test_message ("visible texts:\n%s", texts->str);
  g_assert_nonnull (strstr (texts->str, "Prüfung bestanden: "));
  g_assert_null (strstr (texts->str, "check ok: "));
  g_assert_null (strstr (texts->str, " done: "));
  g_assert_nonnull (strstr (ms_transcript_view_get_explanation (view), "INBOX enthält"));
  ms_ui_test_save_screenshot (window, "german-transcript");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the app's Export writes (ms_export_to_bytes, as the export dialog
 * does): German headings, labels and notices; protocol lines as on the
 * wire; JSON keeps the canonical English text. */
static void
test_german_exports (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("leave-a-copy", &error);
  g_autoptr(MsPlayer) player = NULL;
  static const struct {
    MsExportFormat format;
    const char    *german[3];
  } formats[] = {
    { MS_EXPORT_FORMAT_TEXT, { "# Mailscope-Mitschrift: ", "== Zusammenfassung ==", "Passwörter stehen" } },
    { MS_EXPORT_FORMAT_MARKDOWN, { "## Geräte", "## Zusammenfassung", "Szenario `leave-a-copy`" } },
    { MS_EXPORT_FORMAT_HTML, { "<html lang=\"de\">", "<h2>Geräte</h2>", "<h2>Zusammenfassung</h2>" } },
  };

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_prepare (player, &error));
  g_assert_no_error (error);
  g_assert_true (ms_player_run_to_end (player, &error));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GBytes) bytes = ms_export_to_bytes (player, formats[i].format, MS_EXPORT_FLAGS_NONE, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      for (guint j = 0; j < G_N_ELEMENTS (formats[i].german); j++)
        if (strstr (text, formats[i].german[j]) == NULL)
          g_error ("export %u lacks “%s”", i, formats[i].german[j]);
      g_assert_nonnull (strstr (text, "Prüfung bestanden: "));
      g_assert_nonnull (strstr (text, " fertig: "));
      g_assert_null (strstr (text, "check ok: "));
      g_assert_null (strstr (text, " done: "));
      g_assert_null (strstr (text, "Summary"));
      g_assert_null (strstr (text, "bytes on the wire"));
      /* Wire bytes stay: the commands and the server's own words. */
      g_assert_nonnull (strstr (text, "RETR 1"));
      g_assert_nonnull (strstr (text, "+OK Logged in as alice"));
    }

  {
    g_autoptr(GBytes) json = ms_export_to_bytes (player, MS_EXPORT_FORMAT_JSON, MS_EXPORT_FLAGS_NONE, &error);
    g_autofree char *text = g_strndup (g_bytes_get_data (json, NULL), g_bytes_get_size (json));

    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "check ok: "));
    g_assert_null (strstr (text, "Prüfung bestanden"));
  }
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
  g_test_add_func ("/ui/german/transcript", test_german_transcript);
  g_test_add_func ("/ui/german/layout-1270x720", test_german_layout);
  g_test_add_func ("/ui/german/dialogs", test_german_dialogs);
  g_test_add_func ("/ui/german/exports", test_german_exports);
  status = g_test_run ();

  g_clear_object (&app);
  /* As in test-window.c: stop, not down, and no unref (both would wait for
   * GTK's session connection, which lives until exit). */
  g_test_dbus_stop (bus);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every control a person can act on has a name a screen reader can say and
 * can be reached from the keyboard: the main window (one world, compare
 * mode, presentation mode with its large-text and high-contrast options),
 * every menu of the header bar including the submenus of the primary menu
 * (the app's preferences: presentation options and style), and the export
 * dialog. A control is a button of any kind (toggle, check, menu, the rows
 * of a menu), a switch, a spin button, a drop-down, a scale or a text
 * entry. Its name is its visible text, its accessible label (or
 * labelled-by relation), or else its tooltip. Reached means that Tab gives
 * it the focus (F6 is the app's own key: tests/ui/test-shortcuts.c). GTK's
 * accessibility runs with its test context here, which keeps what the
 * widgets tell it. */
#define G_LOG_DOMAIN "test-accessibility"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "ms-application.h"
#include "ms-settings.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

/* ---- what counts ---- */

/* The part a person acts on. The inner button of a menu button or a
 * drop-down is its parent's, which the check covers. */
static gboolean
is_control (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (parent != NULL && (GTK_IS_MENU_BUTTON (parent) || GTK_IS_DROP_DOWN (parent)))
    return FALSE;
  /* A spin button's + and − belong to it. */
  if (parent != NULL && GTK_IS_SPIN_BUTTON (parent))
    return FALSE;
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_SCALE (widget) || (GTK_IS_ENTRY (widget) && !GTK_IS_SPIN_BUTTON (parent)) ||
         GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) || ms_ui_test_is_menu_row (widget);
}

static gboolean
has_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_text (c))
      return TRUE;
  return FALSE;
}

static gboolean
has_name (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (tooltip != NULL && *tooltip != '\0')
    return TRUE;
  /* A drop-down's text is its choice, an entry's its content: neither
   * says what it is for. */
  if (GTK_IS_DROP_DOWN (widget) || GTK_IS_EDITABLE (widget))
    return FALSE;
  return has_text (widget);
}

static char *
describe (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  g_autoptr(GString) path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_string_prepend (path, gtk_widget_get_css_name (w));
      g_string_prepend (path, " > ");
    }
  return g_strdup_printf ("%s (%s%s%s)", G_OBJECT_TYPE_NAME (widget), path->str + 3,
                          tooltip ? ", tooltip " : "", tooltip ? tooltip : "");
}

/* ---- names ---- */

/* Every control under @widget that is not hidden, whether on screen or
 * not (a menu's other pages, the part of a list scrolled away). A closed
 * popover is hidden: the menus are checked open. Returns how many. */
static guint
check_names (GtkWidget *widget,
             gboolean   on_screen_only)
{
  guint n = 0;

  /* GTK names the window's own buttons (close, maximize). The file
   * chooser's path bar is GTK's too, and in GTK 4.8 its home and root
   * buttons are bare icons: nothing the app can name. */
  if (GTK_IS_WINDOW_CONTROLS (widget) || !gtk_widget_get_visible (widget) ||
      g_str_equal (gtk_widget_get_css_name (widget), "pathbar") ||
      (on_screen_only && !gtk_widget_is_drawable (widget)))
    return 0;
  if (is_control (widget))
    {
      if (!has_name (widget))
        {
          g_autofree char *what = describe (widget);
          g_error ("%s has no accessible name", what);
        }
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += check_names (c, on_screen_only);
  return n;
}

/* ---- the keyboard ---- */

/* Tab from the start until the focus comes back round: the widgets that
 * had the focus. */
static GHashTable *
focus_chain (GtkWidget *top)
{
  GtkRoot *root = gtk_widget_get_root (top);
  GHashTable *focused = g_hash_table_new (NULL, NULL);
  GtkWidget *first = NULL;

  gtk_root_set_focus (root, NULL);
  for (guint i = 0; i < 3000; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (top, GTK_DIR_TAB_FORWARD))
        {
          /* At the end of a popover: it starts again from the top. */
          gtk_root_set_focus (root, NULL);
          if (!gtk_widget_child_focus (top, GTK_DIR_TAB_FORWARD))
            break;
        }
      focus = gtk_root_get_focus (root);
      g_assert_nonnull (focus);
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;
      g_hash_table_add (focused, focus);
    }
  return focused;
}

static gboolean
reached (GHashTable *focused,
         GtkWidget  *widget)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_contains (focused, widget))
    return TRUE;
  /* A list's column headers: the arrow keys move there from the list. */
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    if ((GTK_IS_TREE_VIEW (up) || GTK_IS_COLUMN_VIEW (up)) && reached (focused, up))
      return TRUE;
  /* A menu button, drop-down or list takes the focus in a child. */
  g_hash_table_iter_init (&iter, focused);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (gtk_widget_is_ancestor (key, widget))
      return TRUE;
  return FALSE;
}

/* Every control on screen and enabled under @widget had the focus; so did
 * every list. Returns how many. */
static guint
check_reached (GtkWidget  *widget,
               GHashTable *focused)
{
  guint n = 0;

  if (GTK_IS_WINDOW_CONTROLS (widget) || !gtk_widget_is_drawable (widget) || !gtk_widget_is_sensitive (widget))
    return 0;
  if (is_control (widget) || GTK_IS_LIST_VIEW (widget) || GTK_IS_COLUMN_VIEW (widget))
    {
      if (!reached (focused, widget))
        {
          g_autofree char *what = describe (widget);
          g_error ("%s cannot be reached with Tab (focusable %d)", what, gtk_widget_get_focusable (widget));
        }
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += check_reached (c, focused);
  return n;
}

static void
check_keyboard (GtkWidget  *top,
                const char *what,
                guint       at_least)
{
  g_autoptr(GHashTable) focused = focus_chain (top);
  guint n = check_reached (top, focused);

  g_test_message ("%s: %u widgets in the Tab chain, %u controls reached", what, g_hash_table_size (focused), n);
  g_assert_cmpuint (n, >=, at_least);
}

static void
check_all (GtkWidget  *top,
           const char *what,
           guint       at_least,
           gboolean    on_screen_only)
{
  guint n = check_names (top, on_screen_only);

  g_test_message ("%s: %u controls named", what, n);
  g_assert_cmpuint (n, >=, at_least);
  check_keyboard (top, what, at_least);
}

/* ---- the scenes ---- */

static GtkWidget *
new_window (void)
{
  GtkWidget *window = ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), 1280, 800);

  /* Into the scenario, so that every player button is enabled. */
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  ms_ui_test_wait_until_still (window);
  return window;
}

static GtkWidget *
child (GtkWidget  *window,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (window, MS_TYPE_WINDOW, name));
}

/* The stage is drawn, not built of widgets: it says what it is, and what
 * it shows in words (its description follows the scene). */
static void
check_stage (GtkWidget *window)
{
  GtkWidget *stage = ms_window_get_stage (MS_WINDOW (window));

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (stage), GTK_ACCESSIBLE_ROLE_GROUP));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (stage), GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (stage), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static void
test_main_window (void)
{
  GtkWidget *window = new_window ();

  check_stage (window);

  /* Header, both device panels, the server, the transcript. */
  check_all (window, "one world", 30, FALSE);

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  ms_ui_test_wait_until_still (window);
  check_all (window, "compare", 15, FALSE);
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  ms_ui_test_wait_for_frame (window);
  check_all (window, "real clients", 15, FALSE);
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Presentation mode with its options on: no header, large type, high
 * contrast; the keyboard still reaches every control on the stage. */
static void
test_presentation (void)
{
  GtkWidget *window = new_window ();
  g_autoptr(GSettings) settings = ms_settings_try_new ();

  /* The same (memory) settings as the window's menu items. */
  g_assert_nonnull (settings);
  g_settings_set_boolean (settings, "presentation-large-text", TRUE);
  g_settings_set_boolean (settings, "presentation-high-contrast", TRUE);
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  ms_ui_test_wait_until_still (window);
  ms_ui_test_wait_for_frame (window);
  check_all (window, "presentation", 20, FALSE);
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_menus (void)
{
  static const struct { const char *button; guint at_least; } menus[] = {
    { "scenario_button", 5 },
    { "step_mode_button", 2 },
    { "speed_button", 5 },
    { "link_button", 3 },
    { "primary_menu_button", 8 },
  };
  GtkWidget *window = new_window ();

  for (guint i = 0; i < G_N_ELEMENTS (menus); i++)
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (child (window, menus[i].button));
      GtkWidget *popover;

      gtk_menu_button_popup (button);
      popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
      ms_ui_test_wait_for_frame (popover);
      /* Every page (submenus too) for names; the shown one for Tab. */
      g_assert_cmpuint (check_names (popover, FALSE), >=, menus[i].at_least);
      check_keyboard (popover, menus[i].button, menus[i].at_least);
      gtk_menu_button_popdown (button);
    }

  /* The app's preferences live in the primary menu's submenus: each is
   * reached by its row, and each of its rows with Tab. */
  {
    GtkMenuButton *button = GTK_MENU_BUTTON (child (window, "primary_menu_button"));
    static const char *submenus[] = { "Presentation Options", "Style" };

    for (guint i = 0; i < G_N_ELEMENTS (submenus); i++)
      {
        GtkWidget *popover, *page;

        gtk_menu_button_popup (button);
        popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
        ms_ui_test_wait_for_frame (popover);
        page = ms_ui_test_open_submenu (popover, submenus[i]);
        g_assert_nonnull (page);
        /* Back, and two or three choices. */
        g_assert_cmpuint (check_names (page, FALSE), >=, 3);
        check_keyboard (popover, submenus[i], 3);
        gtk_menu_button_popdown (button);
      }
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* One filter per format the export writes, named for a person, the first
 * (HTML) chosen as the name ends in .html; picking another changes the
 * name's extension, which picks the format. The dialog has room for its
 * list (it opened 867 by 407 pixels, its own natural size). */
static void
check_export_formats (GtkFileChooser *chooser)
{
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);
  g_autofree char *name = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (chooser));
  int height = gtk_widget_get_height (GTK_WIDGET (chooser));

  g_test_message ("export dialog: %d x %d, %u filters", width, height, g_list_model_get_n_items (filters));
  g_assert_cmpint (width, >=, 880);
  g_assert_cmpint (height, >=, 560);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 8);
  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      g_assert_nonnull (gtk_file_filter_get_name (filter));
      g_assert_nonnull (strstr (gtk_file_filter_get_name (filter), " (."));
    }
  g_assert_nonnull (gtk_file_chooser_get_filter (chooser));
  g_assert_nonnull (strstr (gtk_file_filter_get_name (gtk_file_chooser_get_filter (chooser)), "(.html)"));
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_true (g_str_has_suffix (name, ".html"));

  {
    g_autoptr(GtkFileFilter) markdown = g_list_model_get_item (filters, 1);
    g_autofree char *renamed = NULL;

    gtk_file_chooser_set_filter (chooser, markdown);
    ms_ui_test_iterate (100);
    renamed = gtk_file_chooser_get_current_name (chooser);
    g_test_message ("after picking %s: %s", gtk_file_filter_get_name (markdown), renamed);
    g_assert_true (g_str_has_suffix (renamed, ".md"));
  }
}

static void
test_export_dialog (void)
{
  GtkWidget *window = new_window ();
  GtkWindow *dialog;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* With no portal, GtkFileChooserNative shows GTK's own dialog. */
  g_assert_true (gtk_widget_activate_action (window, "win.export", NULL));
  while ((dialog = ms_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dialog);
  ms_ui_test_wait_for_frame (GTK_WIDGET (dialog));
  /* Let it list the folder: closed before that, GTK complains next time. */
  ms_ui_test_iterate (500);
  /* On screen only: the file chooser's other pages (search, places) are
   * GTK's, and the app has no say in them. */
  check_all (GTK_WIDGET (dialog), "export dialog", 6, TRUE);
  check_export_formats (GTK_FILE_CHOOSER (dialog));
  ms_ui_test_save_screen ("export-dialog", 1280, 800);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  ms_ui_test_iterate (100);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/accessibility/main-window", test_main_window);
  g_test_add_func ("/ui/accessibility/presentation", test_presentation);
  g_test_add_func ("/ui/accessibility/menus", test_menus);
  g_test_add_func ("/ui/accessibility/export-dialog", test_export_dialog);
}

int
main (int   argc,
      char *argv[])
{
  /* The test context of GTK's accessibility keeps every property and
   * relation, so that the test can read them back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

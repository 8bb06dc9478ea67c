/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every key the shortcuts window lists, pressed for real: xdotool sends it
 * through the X server (XTest), as a keyboard would, with the focus in a
 * list on the stage and in a menu's open popover.
 * The list is read from the app's own GtkShortcutsWindow, so a binding
 * added there without a check here fails the test; each key must have its
 * effect (an action's state changed, a step taken, a dialog opened). */
#define G_LOG_DOMAIN "test-shortcuts"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "ms-application.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;
static guint n_quit;

/* Where the focus is when the key comes: in a list on the stage (a list
 * view, which has key bindings of its own for arrows, Home and space), and
 * in an open menu's popover (a surface of its own). The header's buttons,
 * the primary menu and the transcript (a column view, the same bindings as
 * a list view) behave as these do, since the same controllers catch the
 * keys; each press costs a reload of the scenario, so they are left out
 * to keep the test within minutes under ASan on a loaded machine. */
typedef enum {
  FOCUS_STAGE,
  FOCUS_SPEED_POPOVER,
  N_FOCUS
} Focus;

static const char *focus_names[] = { "stage", "speed popover" };

typedef struct
{
  GtkWidget  *window;
  const char *accel;     /* as the shortcuts window spells it */
  const char *action;    /* what the window's bindings run, or NULL */
  gboolean    presentation;
  Focus       focus;
} Press;

/* ---- what the window and the app hold ---- */

static gboolean
get_bool (GtkWidget  *window,
          const char *property)
{
  gboolean value = FALSE;

  g_object_get (window, property, &value, NULL);
  return value;
}

static char *
get_string (GtkWidget  *window,
            const char *property)
{
  char *value = NULL;

  g_object_get (window, property, &value, NULL);
  return value;
}

static GtkWidget *
child (GtkWidget  *window,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (window, MS_TYPE_WINDOW, name));
}

static GtkWidget *
first_focusable (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_focusable (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- the keys, through the X server ---- */

static char *
xdotool_name (const char *accel)
{
  guint keyval;
  GdkModifierType mods;
  g_autoptr(GString) name = g_string_new (NULL);

  g_assert_true (gtk_accelerator_parse (accel, &keyval, &mods));
  if (mods & GDK_CONTROL_MASK)
    g_string_append (name, "ctrl+");
  if (mods & GDK_ALT_MASK)
    g_string_append (name, "alt+");
  if (mods & GDK_SHIFT_MASK)
    g_string_append (name, "shift+");
  g_string_append (name, gdk_keyval_name (keyval));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
xdotool (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool %s failed: %s", args[0], err);
}

static void
press_key (const char *accel)
{
  g_autofree char *key = xdotool_name (accel);

  g_test_message ("key %s", key);
  xdotool ((const char *[]) { "key", key, NULL });
}

/* The X server sends keys to the window with the input focus; with no
 * window manager nobody gives it out, so the test does. */
static void
focus_x_window (GtkWidget *window)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));

  xdotool ((const char *[]) { "windowfocus", "--sync", xid, NULL });
#endif
}

static gboolean
window_active (Press   *press,
               gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (press->window));
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (Press *press, gpointer before);

/* Runs the loop until @condition holds; a key goes through the X server
 * and back, so a loaded machine gets a generous deadline. */
static gboolean
wait_for (Condition condition,
          Press    *press,
          gpointer  before)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint timer = g_timeout_add (50, wake_up, NULL);
  gboolean met;

  while (!(met = condition (press, before)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  return met;
}

/* ---- each action's effect ---- */

static gboolean
position_is (Press   *press,
             gpointer position)
{
  return ms_window_get_position (MS_WINDOW (press->window)) == GPOINTER_TO_UINT (position);
}

static gboolean
flipped (Press   *press,
         gpointer before)
{
  /* The property the action is named after. */
  const char *property = strchr (press->action, '.') + 1;

  if (g_str_equal (property, "toggle-presentation") || g_str_equal (property, "leave-presentation"))
    property = "presentation";
  return get_bool (press->window, property) != GPOINTER_TO_INT (before);
}

static gboolean
step_mode_changed (Press   *press,
                   gpointer before)
{
  g_autofree char *mode = get_string (press->window, "step-mode");

  return g_strcmp0 (mode, before) != 0;
}

static gboolean
file_chooser_open (Press   *press,
                   gpointer data)
{
  return ms_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
help_overlay_open (Press   *press,
                   gpointer data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (press->window));

  return overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static gboolean
quit_asked (Press   *press,
            gpointer before)
{
  return n_quit > GPOINTER_TO_UINT (before);
}

static gboolean
main_menu_open (Press   *press,
                gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (press->window, "primary_menu_button")));

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static gboolean
focus_moved (Press   *press,
             gpointer before)
{
  return gtk_root_get_focus (GTK_ROOT (press->window)) != before;
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       data)
{
  n_quit++;
}

/* ---- setting the scene ---- */

static void
reset (GtkWidget *window)
{
  GtkWindow *dialog;

  while ((dialog = ms_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL)
    {
      /* Closed while it still lists the folder, GTK's file chooser says
       * "The folder contents could not be displayed" next time. */
      ms_ui_test_wait_for_frame (GTK_WIDGET (dialog));
      ms_ui_test_iterate (300);
      gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
      ms_ui_test_iterate (50);
    }
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) != NULL)
    gtk_widget_set_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), FALSE);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (child (window, "speed_button")));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (child (window, "primary_menu_button")));
  g_object_set (window, "playing", FALSE, "compare", FALSE, "presentation", FALSE, "show-transcript", TRUE,
                "step-mode", "action", NULL);
  g_assert_true (gtk_widget_activate_action (window, "win.load-scenario", "s", "first-check"));
  ms_ui_test_iterate (50);
}

static void
set_focus (Press *press)
{
  GtkWidget *window = press->window;
  GtkWidget *target = NULL;
  const char *button = NULL;

  switch (press->focus)
    {
    case FOCUS_STAGE:
      target = first_focusable (ms_window_get_stage (MS_WINDOW (window)), GTK_TYPE_LIST_VIEW);
      break;
    case FOCUS_SPEED_POPOVER:
      button = "speed_button";
      break;
    case N_FOCUS:
      g_assert_not_reached ();
    }

  focus_x_window (window);
  if (button != NULL)
    {
      GtkPopover *popover;

      gtk_menu_button_popup (GTK_MENU_BUTTON (child (window, button)));
      popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (window, button)));
      ms_ui_test_wait_for_frame (GTK_WIDGET (popover));
      target = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (target);
      g_assert_true (gtk_widget_is_ancestor (target, GTK_WIDGET (popover)));
    }
  else
    {
      g_assert_nonnull (target);
      g_assert_true (gtk_widget_grab_focus (target));
    }
  ms_ui_test_iterate (30);
}

/* Presses @press's key in its scene and waits for its effect. */
static void
check_press (Press *press)
{
  GtkWidget *window = press->window;
  const char *action = press->action;
  Condition condition = NULL;
  gpointer before = NULL;
  g_autofree char *mode = NULL;

  reset (window);
  if (press->presentation)
    g_object_set (window, "presentation", TRUE, NULL);
  /* Where the key has something to undo. */
  if (g_strcmp0 (action, "win.step-back") == 0 || g_strcmp0 (action, "win.restart") == 0)
    {
      g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
      ms_ui_test_wait_until_still (window);
    }
  set_focus (press);

  if (action == NULL && g_str_equal (press->accel, "F10"))
    condition = main_menu_open;
  else if (action == NULL && (g_str_equal (press->accel, "Tab") || g_str_equal (press->accel, "<Shift>Tab")))
    condition = focus_moved, before = gtk_root_get_focus (GTK_ROOT (window));
  else if (action == NULL)
    g_error ("the shortcuts window lists %s, which runs no action of the window or the app", press->accel);
  else if (g_str_equal (action, "win.step-forward"))
    condition = position_is, before = GUINT_TO_POINTER (1);
  else if (g_str_equal (action, "win.step-back") || g_str_equal (action, "win.restart"))
    condition = position_is, before = GUINT_TO_POINTER (0);
  else if (g_str_equal (action, "win.playing") || g_str_equal (action, "win.compare") ||
           g_str_equal (action, "win.show-transcript") || g_str_equal (action, "win.toggle-presentation") ||
           g_str_equal (action, "win.leave-presentation"))
    {
      condition = flipped;
      before = GINT_TO_POINTER (get_bool (window, g_str_equal (action, "win.playing") ? "playing"
                                                 : g_str_equal (action, "win.compare") ? "compare"
                                                 : g_str_equal (action, "win.show-transcript") ? "show-transcript"
                                                 : "presentation"));
    }
  else if (g_str_equal (action, "win.toggle-step-mode"))
    condition = step_mode_changed, before = mode = get_string (window, "step-mode");
  else if (g_str_equal (action, "win.open-scenario") || g_str_equal (action, "win.export"))
    condition = file_chooser_open;
  else if (g_str_equal (action, "win.show-help-overlay"))
    condition = help_overlay_open;
  else if (g_str_equal (action, "app.quit"))
    condition = quit_asked, before = GUINT_TO_POINTER (n_quit);
  else
    g_error ("%s runs %s, and this test does not know what that should do: add a check", press->accel, action);

  g_assert_false (condition (press, before));
  /* GTK has seen the focus come (FocusIn), so the key finds the window. */
  wait_for (window_active, press, NULL);
  press_key (press->accel);
  if (!wait_for (condition, press, before))
    {
      /* What is open instead (GTK's file chooser has error dialogs). */
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);
          g_autofree char *text = NULL;

          if (GTK_IS_MESSAGE_DIALOG (toplevel))
            g_object_get (toplevel, "text", &text, NULL);
          g_test_message ("window %s, visible %d%s%s", G_OBJECT_TYPE_NAME (toplevel),
                          gtk_widget_get_visible (GTK_WIDGET (toplevel)), text ? ": " : "", text ? text : "");
        }
    }
  if (!condition (press, before))
    g_error ("%s (%s) did nothing with the focus in the %s%s", press->accel, action ? action : "GTK's own",
             focus_names[press->focus], press->presentation ? " in presentation mode" : "");
}

/* ---- what the shortcuts window lists, and what each key runs ---- */

static void
collect_listed (GtkWidget *widget,
                GPtrArray *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) parts = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      parts = g_strsplit (accelerator ? accelerator : "", " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (accels, g_strdup (parts[i]));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_listed (c, accels);
}

static gboolean
same_key (const char         *accel,
          GtkShortcutTrigger *trigger)
{
  guint keyval;
  GdkModifierType mods;

  if (!GTK_IS_KEYVAL_TRIGGER (trigger))
    return FALSE;
  g_assert_true (gtk_accelerator_parse (accel, &keyval, &mods));
  return gdk_keyval_to_lower (keyval) == gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) &&
         mods == gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger));
}

/* The action the window's shortcut controllers run for @accel; the
 * controller that is off outside presentation mode sets *@presentation. */
static const char *
window_action_for (GtkWidget  *window,
                   const char *accel,
                   gboolean   *presentation)
{
  g_autoptr(GPtrArray) shortcuts = ms_ui_test_named_shortcuts (window);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);
      GtkEventController *controller = g_object_get_data (G_OBJECT (shortcut), "controller");

      if (same_key (accel, gtk_shortcut_get_trigger (shortcut)))
        {
          *presentation = gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_NONE;
          /* The name lives as long as the shortcut, which the window keeps. */
          return gtk_named_action_get_action_name (GTK_NAMED_ACTION (gtk_shortcut_get_action (shortcut)));
        }
    }
  return NULL;
}

static const char *
app_action_for (const char *accel)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

  return actions[0] != NULL ? g_intern_string (actions[0]) : NULL;
}

static void
test_every_listed_key (void)
{
  GtkWidget *window = ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), 1280, 800);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *overlay;
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  guint n_presses = 0;

#ifdef GDK_WINDOWING_X11
  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (window)))
#endif
    {
      g_test_skip ("keys are sent through an X server (Xvfb)");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  g_signal_connect (g_action_map_lookup_action (G_ACTION_MAP (app), "quit"), "activate", G_CALLBACK (on_quit), NULL);
  /* The list comes from the window's resource, built here: the window
   * builds its own shortcuts window on first use, and Ctrl+? must do that
   * too (the first press of it below), not find one the test made. */
  builder = gtk_builder_new_from_resource ("/io/github/mailscope/Mailscope/ui/ms-shortcuts-window.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_nonnull (overlay);
  collect_listed (overlay, accels);
  gtk_window_destroy (GTK_WINDOW (overlay));
  g_assert_cmpuint (accels->len, >=, 20);
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  for (guint i = 0; i < accels->len; i++)
    {
      Press press = { .window = window, .accel = g_ptr_array_index (accels, i) };

      /* Out of presentation mode, where its keys are off. */
      reset (window);
      press.action = window_action_for (window, press.accel, &press.presentation);
      if (press.action == NULL)
        press.action = app_action_for (press.accel);
      for (Focus focus = 0; focus < N_FOCUS; focus++)
        {
          /* Presentation mode hides the header, and with it its menus. */
          if (press.presentation && focus == FOCUS_SPEED_POPOVER)
            continue;
          /* Tab and F10 inside a menu are the menu's (move, close). */
          if (press.action == NULL && focus == FOCUS_SPEED_POPOVER)
            continue;
          press.focus = focus;
          g_test_message ("%s (%s), focus in the %s", press.accel, press.action ? press.action : "GTK", focus_names[focus]);
          check_press (&press);
          n_presses++;
        }
    }
  g_test_message ("%u keys pressed", n_presses);
  reset (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/shortcuts/every-listed-key", test_every_listed_key);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");

  if (xdotool_path == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_skip ("no xdotool (build-aux/ensure-deps test installs it)");
      return g_test_run ();
    }
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

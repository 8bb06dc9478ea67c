/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app as a desktop citizen, under Xvfb: light and dark (following a
 * fake freedesktop Settings portal on the test's private bus, and the
 * user's choice), the shortcuts window against the real key bindings, and
 * the About dialog (names and Tab: test-accessibility.c; every key pressed:
 * test-shortcuts.c). Dark screenshots go to $MS_BUILD_DIR/ui-screenshots/. */
#define G_LOG_DOMAIN "test-desktop"
#include "config.h"

#include <gtk/gtk.h>

#include "ms-application.h"
#include "ms-window.h"
#include "ms-ui-test.h"

static MsApplication *app;

/* ---- a fake org.freedesktop.portal.Settings ---- */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Settings'>"
  "    <method name='Read'>"
  "      <arg type='s' name='namespace' direction='in'/>"
  "      <arg type='s' name='key' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <signal name='SettingChanged'>"
  "      <arg type='s' name='namespace'/>"
  "      <arg type='s' name='key'/>"
  "      <arg type='v' name='value'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static GDBusConnection *portal_bus;
static guint32 portal_color_scheme;
static gboolean portal_was_read;

static void
portal_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *path,
                    const char            *interface,
                    const char            *method,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  const char *namespace, *key;

  g_variant_get (parameters, "(&s&s)", &namespace, &key);
  if (!g_str_equal (namespace, "org.freedesktop.appearance") || !g_str_equal (key, "color-scheme"))
    {
      g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.portal.Error.NotFound",
                                                  "Requested setting not found");
      return;
    }
  /* Wrapped twice, as the portal versions before ReadOne answer. */
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(v)", g_variant_new_variant (g_variant_new_uint32 (portal_color_scheme))));
  portal_was_read = TRUE;
}

static void
portal_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  /* Kept: the bus singleton closes when its last reference goes, and the
   * name with it. */
  GDBusConnection *bus = portal_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  static const GDBusInterfaceVTable vtable = { .method_call = portal_method_call };
  g_autoptr(GVariant) reply = NULL;
  guint32 owner = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/freedesktop/portal/desktop", info->interfaces[0],
                                                       &vtable, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 0x4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owner);
  /* 1: the primary owner. */
  g_assert_cmpuint (owner, ==, 1);
}

static void
portal_set (guint32 color_scheme)
{
  portal_color_scheme = color_scheme;
  g_dbus_connection_emit_signal (portal_bus, NULL, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Settings",
                                 "SettingChanged",
                                 g_variant_new ("(ssv)", "org.freedesktop.appearance", "color-scheme",
                                                g_variant_new_uint32 (color_scheme)),
                                 NULL);
}

static gboolean
is_dark (void)
{
  return ms_style_manager_get_dark (ms_application_get_style_manager (app));
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits on a condition, with a generous deadline for a loaded machine; a
 * timer wakes the loop up so that the deadline is seen. */
static gboolean
wait_until (gboolean (*condition) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint timer = g_timeout_add (100, wake_up, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  return met;
}

static gboolean
dark_is (gpointer data)
{
  return is_dark () == GPOINTER_TO_INT (data);
}

static gboolean
system_prefers_dark (gpointer data)
{
  return ms_style_manager_get_system_prefers_dark (ms_application_get_style_manager (app));
}

static gboolean
portal_read (gpointer data)
{
  return portal_was_read;
}

static void
wait_for_dark (gboolean dark)
{
  g_assert_true (wait_until (dark_is, GINT_TO_POINTER (dark)));
}

static gboolean
gtk_prefers_dark (void)
{
  gboolean prefer = FALSE;

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &prefer, NULL);
  return prefer;
}

static GtkWidget *
new_window (int width,
            int height)
{
  return ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
}

static void
set_color_scheme (const char *scheme)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string (scheme));
}

static void
test_follow_system (void)
{
  /* The app asked the portal at startup: after that answer, every change
   * comes through SettingChanged. */
  g_assert_true (wait_until (portal_read, NULL));
  wait_for_dark (FALSE);

  portal_set (1);
  wait_for_dark (TRUE);
  g_assert_true (gtk_prefers_dark ());
  portal_set (2);
  wait_for_dark (FALSE);
  g_assert_false (gtk_prefers_dark ());

  /* The user's choice wins over the desktop's, both ways. */
  set_color_scheme ("dark");
  g_assert_true (is_dark ());
  portal_set (1);
  g_assert_true (wait_until (system_prefers_dark, NULL));
  set_color_scheme ("light");
  g_assert_false (is_dark ());
  set_color_scheme ("follow");
  g_assert_true (is_dark ());
  portal_set (0);
  wait_for_dark (FALSE);
}

static void
test_dark_screenshots (void)
{
  GtkWidget *window;

  set_color_scheme ("dark");
  g_assert_true (is_dark ());
  window = new_window (1280, 800);
  ms_ui_test_save_screenshot (window, "dark-start");

  g_assert_true (gtk_widget_activate_action (window, "win.speed", "d", 4.0));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (window, "win.step-forward", NULL));
  /* Mid-flight: envelopes on the links. */
  ms_ui_test_iterate (250);
  ms_ui_test_save_screenshot (window, "dark-step2");

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  ms_ui_test_iterate (250);
  ms_ui_test_save_screenshot (window, "dark-compare");
  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));

  /* Presentation mode keeps its own high-contrast black and white. */
  g_assert_true (gtk_widget_activate_action (window, "win.toggle-presentation", NULL));
  ms_ui_test_iterate (300);
  ms_ui_test_save_screenshot (window, "dark-presentation");
  g_assert_true (gtk_widget_activate_action (window, "win.leave-presentation", NULL));
  ms_ui_test_iterate (200);

  gtk_window_destroy (GTK_WINDOW (window));
  set_color_scheme ("follow");
  wait_for_dark (FALSE);
}

/* ---- key bindings ---- */

static char *
accel_key (guint           keyval,
           GdkModifierType mods)
{
  return gtk_accelerator_name (gdk_keyval_to_lower (keyval), mods & gtk_accelerator_get_default_mod_mask ());
}

static void
add_accels (GHashTable *set,
            const char *accelerators)
{
  g_auto(GStrv) parts = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint keyval;
      GdkModifierType mods;

      if (*parts[i] == '\0')
        continue;
      g_assert_true (gtk_accelerator_parse (parts[i], &keyval, &mods));
      g_hash_table_add (set, accel_key (keyval, mods));
    }
}

static void
collect_overlay (GtkWidget  *widget,
                 GHashTable *set)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      if (accelerator != NULL)
        add_accels (set, accelerator);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_overlay (child, set);
}

/* Every key that runs a win. or app. action: the window's class bindings,
 * the presentation-mode keys, the application's accelerators. */
static GHashTable *
real_bindings (GtkWidget *window)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) shortcuts = ms_ui_test_named_shortcuts (window);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
      const char *name = gtk_named_action_get_action_name (GTK_NAMED_ACTION (gtk_shortcut_get_action (shortcut)));

      if (!g_str_has_prefix (name, "win.") && !g_str_has_prefix (name, "app."))
        continue;
      g_hash_table_add (set, accel_key (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                        gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
    }
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        add_accels (set, accels[j]);
    }
  return set;
}

static void
test_shortcuts_window (void)
{
  GtkWidget *window = new_window (1280, 800);
  GtkShortcutsWindow *overlay = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) real = NULL;
  /* Keys GTK itself gives every window: they are listed for the user. */
  static const char *builtin[] = { "F10", "Tab", "<Shift>Tab" };
  GHashTableIter iter;
  gpointer key;

  /* The window builds it when first asked (ms-window-menus.c). */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  collect_overlay (GTK_WIDGET (overlay), listed);
  real = real_bindings (window);
  g_assert_cmpuint (g_hash_table_size (real), >=, 15);

  g_hash_table_iter_init (&iter, real);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (listed, key))
      g_error ("the key %s runs an action but the shortcuts window does not list it", (char *) key);
  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    add_accels (real, builtin[i]);
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (real, key))
      g_error ("the shortcuts window lists %s, which the window does not have", (char *) key);

  ms_ui_test_wait_for_frame (GTK_WIDGET (overlay));
  ms_ui_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts-window");
  gtk_window_close (GTK_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- about ---- */

static void
test_about (void)
{
  GtkWidget *window = new_window (1280, 800);
  GtkAboutDialog *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  /* Found without an unref of gtk_window_get_toplevels(), GTK's own list. */
  about = GTK_ABOUT_DIALOG (ms_ui_test_find_toplevel (GTK_TYPE_ABOUT_DIALOG));
  g_assert_nonnull (about);
  g_assert_cmpint (gtk_about_dialog_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (gtk_about_dialog_get_website (about), ==, "https://github.com/mailscope/mailscope");
  g_assert_nonnull (gtk_about_dialog_get_authors (about));
  g_assert_cmpstr (gtk_about_dialog_get_version (about), ==, PACKAGE_VERSION);
  ms_ui_test_wait_for_frame (GTK_WIDGET (about));
  ms_ui_test_save_screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (GTK_WINDOW (about));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  GTestDBus *bus;
  int status;

  /* The test context of GTK's accessibility: it keeps every property and
   * relation so that the test can read them back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }

  bus = ms_ui_test_start_bus ();
  /* Before the app starts, so that its first question finds the portal. */
  portal_up ();
  app = ms_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/desktop/follow-system", test_follow_system);
  g_test_add_func ("/ui/desktop/dark", test_dark_screenshots);
  g_test_add_func ("/ui/desktop/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/desktop/about", test_about);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&portal_bus);
  /* stop, not down: GTK keeps the session connection until exit. */
  g_test_dbus_stop (bus);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dark style on a desktop with no settings portal: MsStyleManager then reads
 * GNOME's own key (org.gnome.desktop.interface color-scheme) when its schema
 * is installed, and stays light, with the app's own choice still working,
 * when it is not. test-desktop.c covers the portal. Each case runs in a
 * child process, because GIO reads the schema folders once per process. */
#define G_LOG_DOMAIN "test-style-fallback"
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ms-style-manager.h"
#include "ms-ui-test.h"

/* The buses of ms_ui_test_start_bus() have nothing on them: the portal's
 * Read fails as it does on a desktop without xdg-desktop-portal. */

/* The part of gsettings-desktop-schemas the app reads, written here so
 * that the test means the same on a machine without GNOME installed. */
static const char gnome_schema[] =
  "<schemalist>\n"
  "  <enum id='org.gnome.desktop.interface.ColorScheme'>\n"
  "    <value nick='default' value='0'/>\n"
  "    <value nick='prefer-dark' value='1'/>\n"
  "    <value nick='prefer-light' value='2'/>\n"
  "  </enum>\n"
  "  <schema id='org.gnome.desktop.interface' path='/org/gnome/desktop/interface/'>\n"
  "    <key name='color-scheme' enum='org.gnome.desktop.interface.ColorScheme'>\n"
  "      <default>'default'</default>\n"
  "    </key>\n"
  "  </schema>\n"
  "</schemalist>\n";

/* Schemas only from @dir (none from the system), settings in memory. */
static char *
use_schema_dir (gboolean with_gnome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ms-style-XXXXXX", &error);

  g_assert_no_error (error);
  if (with_gnome)
    {
      g_autofree char *xml = g_build_filename (dir, "org.gnome.desktop.interface.gschema.xml", NULL);
      const char *argv[] = { "glib-compile-schemas", "--strict", dir, NULL };
      int status = -1;

      g_assert_true (g_file_set_contents (xml, gnome_schema, -1, &error));
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, &error));
    }
  g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
  g_setenv ("XDG_DATA_DIRS", "/nonexistent", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  return g_steal_pointer (&dir);
}

static void
remove_schema_dir (const char *dir)
{
  g_autofree char *xml = g_build_filename (dir, "org.gnome.desktop.interface.gschema.xml", NULL);
  g_autofree char *compiled = g_build_filename (dir, "gschemas.compiled", NULL);

  g_unlink (xml);
  g_unlink (compiled);
  g_rmdir (dir);
}

static gboolean
gtk_prefers_dark (void)
{
  gboolean dark = FALSE;

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark;
}

/* Spins the main loop until the manager shows @dark (the GNOME setting
 * arrives after the portal's answer, asynchronously); fails after a minute. */
static void
wait_for_dark (MsStyleManager *manager,
               gboolean        dark)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (ms_style_manager_get_dark (manager) != dark && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpint (ms_style_manager_get_dark (manager), ==, dark);
  g_assert_cmpint (gtk_prefers_dark (), ==, dark);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  gboolean *done = user_data;

  /* No portal: an error, as the manager got a moment before. */
  g_assert_null (reply);
  *done = TRUE;
}

/* The manager's question to the portal went out first on the same
 * connection; once the same question is answered here, the manager has
 * had its answer and has fallen back to GNOME's key, or found none. */
static void
wait_for_portal_answer (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gboolean done = FALSE;

  g_assert_nonnull (bus);
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Settings", "Read",
                          g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_read_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
child_gnome_schema_present (void)
{
  g_autofree char *dir = use_schema_dir (TRUE);
  g_autoptr(GSettings) gnome = g_settings_new ("org.gnome.desktop.interface");
  GTestDBus *bus = ms_ui_test_start_bus ();
  g_autoptr(MsStyleManager) manager = NULL;

  /* The desktop prefers dark before the app starts. */
  g_assert_true (g_settings_set_string (gnome, "color-scheme", "prefer-dark"));
  gtk_init ();
  manager = ms_style_manager_new (gdk_display_get_default ());
  wait_for_dark (manager, TRUE);
  g_assert_true (ms_style_manager_get_system_prefers_dark (manager));

  /* The user switches GNOME back: "default" is light, and so is
   * "prefer-light". */
  g_settings_set_string (gnome, "color-scheme", "default");
  wait_for_dark (manager, FALSE);
  g_assert_false (ms_style_manager_get_system_prefers_dark (manager));
  g_settings_set_string (gnome, "color-scheme", "prefer-light");
  g_settings_set_string (gnome, "color-scheme", "prefer-dark");
  wait_for_dark (manager, TRUE);

  /* The app's own choice wins over the desktop, both ways. */
  ms_style_manager_set_color_scheme (manager, "light");
  wait_for_dark (manager, FALSE);
  g_assert_true (ms_style_manager_get_system_prefers_dark (manager));
  ms_style_manager_set_color_scheme (manager, "follow");
  wait_for_dark (manager, TRUE);

  g_clear_object (&manager);
  remove_schema_dir (dir);
  g_test_dbus_stop (bus);
}

static void
child_gnome_schema_missing (void)
{
  g_autofree char *dir = use_schema_dir (FALSE);
  GTestDBus *bus = ms_ui_test_start_bus ();
  g_autoptr(MsStyleManager) manager = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE) : NULL;

  g_assert_null (schema);
  gtk_init ();
  manager = ms_style_manager_new (gdk_display_get_default ());
  wait_for_portal_answer ();
  /* Nothing to follow: light, and no crash from a missing schema (which
   * g_settings_new() would abort on). */
  g_assert_false (ms_style_manager_get_system_prefers_dark (manager));
  wait_for_dark (manager, FALSE);

  /* The app's own choice still works. */
  ms_style_manager_set_color_scheme (manager, "dark");
  wait_for_dark (manager, TRUE);
  ms_style_manager_set_color_scheme (manager, "follow");
  wait_for_dark (manager, FALSE);

  g_clear_object (&manager);
  remove_schema_dir (dir);
  g_test_dbus_stop (bus);
}

static void
test_gnome_schema_present (void)
{
  if (g_test_subprocess ())
    {
      child_gnome_schema_present ();
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_gnome_schema_missing (void)
{
  if (g_test_subprocess ())
    {
      child_gnome_schema_missing ();
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under build-aux/test, which starts Xvfb)");
      return g_test_run ();
    }
  g_test_add_func ("/ui/style/gnome-schema-present", test_gnome_schema_present);
  g_test_add_func ("/ui/style/gnome-schema-missing", test_gnome_schema_missing);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include "ms-settings.h"
#include "ms-window-private.h"

/* What the window remembers between runs (io.github.mailscope.Mailscope):
 * its size, speed, step granularity and link preset (bound to the
 * window's properties, so a change is saved at once and every open window
 * follows; the link preset by hand, see ms_window_settings_init()), the
 * last scenario, the presentation options, password redaction and the
 * folder of the last export. Without the schema the
 * window works the same and forgets everything. */

/* Window properties bound both ways to keys of the same meaning. */
static const struct {
  const char *key;
  const char *property;
} bound[] = {
  { "speed",            "speed" },
  { "step-granularity", "step-mode" },
};

/* Presentation options become style classes next to .presentation, which
 * style.css reads (window.presentation.large-text …). */
static void
apply_presentation_options (MsWindow *self)
{
  gboolean large = self->settings ? g_settings_get_boolean (self->settings, "presentation-large-text") : TRUE;
  gboolean contrast = self->settings ? g_settings_get_boolean (self->settings, "presentation-high-contrast") : TRUE;

  if (large)
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  if (contrast)
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
}

/* The size is saved when the window closes, not on every pixel of a drag;
 * the maximized state comes with it. */
static gboolean
on_close_request (MsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return FALSE;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  /* A maximized or full-screen size is not the size to come back to. */
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && !self->presentation && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
  return FALSE;
}

static void
on_link_preset_changed (MsWindow *self)
{
  g_autofree char *link = g_settings_get_string (self->settings, "link-preset");

  /* The window's own pick comes back here too: nothing left to do then. */
  if (g_strcmp0 (link, self->default_link) == 0 && g_strcmp0 (link, self->link_preset) == 0)
    return;
  g_object_set (self, "link-preset", link, NULL);
}

void
ms_window_settings_init (MsWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  static const char *toggles[] = { "presentation-large-text", "presentation-high-contrast", "redact-passwords" };

  self->settings = ms_settings_try_new ();
  apply_presentation_options (self);
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    g_settings_bind (self->settings, bound[i].key, self, bound[i].property, G_SETTINGS_BIND_DEFAULT);
  /* link-preset is the user's link, one for all windows, and the default
   * for scenarios without a link= of their own. Not g_settings_bind():
   * the header also shows a scenario's own link, which must not be saved.
   * So it is read here, written when the user picks a link in any window
   * (ms_window_settings_link_chosen), and a change from anywhere (another
   * window, gsettings set) is that user's pick in every window. */
  g_free (self->default_link);
  self->default_link = g_settings_get_string (self->settings, "link-preset");
  ms_window_show_scenario_link (self);
  g_signal_connect_object (self->settings, "changed::link-preset",
                           G_CALLBACK (on_link_preset_changed), self, G_CONNECT_SWAPPED);

  /* settings.presentation-large-text … for the primary menu's check items. */
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, toggles[i]);
      g_action_map_add_action (G_ACTION_MAP (group), action);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));
  g_signal_connect_object (self->settings, "changed::presentation-large-text",
                           G_CALLBACK (apply_presentation_options), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::presentation-high-contrast",
                           G_CALLBACK (apply_presentation_options), self, G_CONNECT_SWAPPED);
}

void
ms_window_settings_dispose (MsWindow *self)
{
  /* Unbound first: a change from another window must not reach a window
   * that is being taken apart. */
  if (self->settings != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
      g_settings_unbind (self, bound[i].property);
  g_clear_object (&self->settings);
}

void
ms_window_settings_link_chosen (MsWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_string (self->default_link));

  if (self->settings == NULL)
    return;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "link-preset");
  /* Only the presets fit the key; a spelled-out link is for this run. */
  if (!g_settings_schema_key_range_check (key, value))
    return;
  /* Written only when it changes: every window follows a change, and one
   * that already shows it must not start another round. */
  {
    g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "link-preset");

    if (!g_variant_equal (saved, value))
      g_settings_set_value (self->settings, "link-preset", value);
  }
}

char *
ms_window_settings_get_last_scenario (MsWindow *self)
{
  g_autofree char *last = self->settings ? g_settings_get_string (self->settings, "last-scenario") : NULL;

  return last && *last ? g_steal_pointer (&last) : NULL;
}

void
ms_window_settings_scenario_loaded (MsWindow *self)
{
  g_auto(GStrv) builtin = NULL;
  const char *id;

  if (self->settings == NULL || self->scenario == NULL)
    return;
  /* A built-in scenario by its id (it moves with the installation), one
   * of the teacher's own by its path. */
  id = ms_scenario_get_id (self->scenario);
  builtin = ms_scenario_list_builtin ();
  if (builtin == NULL || !g_strv_contains ((const char * const *) builtin, id))
    id = ms_scenario_get_file (self->scenario);
  if (id != NULL)
    g_settings_set_string (self->settings, "last-scenario", id);
}

void
ms_window_settings_prepare_export (MsWindow       *self,
                                   GtkFileChooser *chooser)
{
  g_autofree char *folder = NULL;
  g_autoptr(GFile) file = NULL;

  if (self->settings == NULL)
    return;
  /* Hidden unless the user said otherwise last time: a handout must not
   * carry Alice's password by accident. */
  gtk_file_chooser_set_choice (chooser, "hide-passwords",
                               g_settings_get_boolean (self->settings, "redact-passwords") ? "true" : "false");
  folder = g_settings_get_string (self->settings, "last-export-folder");
  if (*folder == '\0' || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    return;
  file = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (chooser, file, NULL);
}

void
ms_window_settings_exported (MsWindow      *self,
                             const char    *path,
                             MsExportFlags  flags)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "last-export-folder", folder);
  g_settings_set_boolean (self->settings, "redact-passwords", (flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-device.h"
#include "ms-export.h"
#include "ms-message-item.h"
#include "ms-window-private.h"

/* The actions a user starts from the menus and the device panels:
 * scenarios from the menu or a file, export, free actions and the POP3/IMAP
 * switch. */

void
ms_window_load_scenario_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load (g_variant_get_string (parameter, NULL), &error);

  if (scenario == NULL)
    {
      ms_window_set_error (self, error);
      ms_window_update_narration (self);
      return;
    }
  ms_window_load_scenario (self, scenario);
}

static void
on_scenario_file_chosen (MsWindow             *self,
                         int                   response,
                         GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = path ? ms_scenario_load (path, &error) : NULL;

      if (scenario != NULL)
        ms_window_load_scenario (self, scenario);
      else
        {
          ms_window_set_error (self, error);
          ms_window_update_narration (self);
        }
    }
  g_object_unref (chooser);
}

void
ms_window_open_scenario_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Scenario File"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Mailscope scenarios"));
  gtk_file_filter_add_pattern (filter, "*.scenario");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_scenario_file_chosen), widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The export's formats as the chooser's filters, in the user's language;
 * each knows its extension (object data "extension"). */
static void
add_export_filters (GtkFileChooser *chooser)
{
  static const struct { const char *name; const char *extension; } formats[] = {
    { N_("Web page (.html)"), "html" },
    { N_("Markdown (.md)"), "md" },
    { N_("Plain text (.txt)"), "txt" },
    { N_("JSON, for programs (.json)"), "json" },
    { N_("Packet capture for Wireshark (.pcapng)"), "pcapng" },
    { N_("Sequence diagram as a PNG picture (.png)"), "png" },
    { N_("Sequence diagram as an SVG drawing (.svg)"), "svg" },
    { N_("Sequence diagram as a PDF document (.pdf)"), "pdf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autofree char *pattern = g_strdup_printf ("*.%s", formats[i].extension);

      gtk_file_filter_set_name (filter, _(formats[i].name));
      gtk_file_filter_add_pattern (filter, pattern);
      if (g_str_equal (formats[i].extension, "html"))
        gtk_file_filter_add_pattern (filter, "*.htm");
      g_object_set_data (G_OBJECT (filter), "extension", (gpointer) formats[i].extension);
      gtk_file_chooser_add_filter (chooser, filter);
      /* The name the chooser starts with ends in .html. */
      if (i == 0)
        gtk_file_chooser_set_filter (chooser, filter);
    }
}

/* @name with the extension of @chooser's filter: picking "Markdown" turns
 * "first-check.html" into "first-check.md", since the format follows the
 * extension. A name without one gets it. Free with g_free(). */
static char *
name_for_filter (GtkFileChooser *chooser,
                 const char     *name)
{
  GtkFileFilter *filter = gtk_file_chooser_get_filter (chooser);
  const char *extension = filter ? g_object_get_data (G_OBJECT (filter), "extension") : NULL;
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = NULL;

  if (extension == NULL)
    return g_strdup (name);
  stem = dot != NULL && dot != name && ms_export_is_supported (name) ? g_strndup (name, dot - name) : g_strdup (name);
  return g_strdup_printf ("%s.%s", stem, extension);
}

static void
on_export_filter_changed (GtkFileChooser *chooser)
{
  g_autofree char *name = gtk_file_chooser_get_current_name (chooser);
  g_autofree char *renamed = NULL;

  if (name == NULL || *name == '\0')
    return;
  renamed = name_for_filter (chooser, name);
  if (!g_str_equal (name, renamed))
    gtk_file_chooser_set_current_name (chooser, renamed);
}

/* Whether GTK's file chooser remembers a size the user gave it (GTK keeps
 * it in its own settings, -1 by -1 until then). */
static gboolean
file_chooser_has_size (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  int width = -1, height = -1;

  schema = source ? g_settings_schema_source_lookup (source, "org.gtk.gtk4.Settings.FileChooser", TRUE) : NULL;
  if (schema == NULL || !g_settings_schema_has_key (schema, "window-size"))
    return FALSE;
  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  return width > 0 && height > 0;
}

/* GTK's own chooser, which GtkFileChooserNative shows when there is no
 * portal. It opens at its natural size where no file chooser was resized
 * before (815 by 407 pixels: a short list, a cut sidebar), so it gets room
 * unless the user gave it a size already. And the native chooser hears of
 * a filter picked in it only once it closes: the name's extension follows
 * the filter as it is picked. */
static void
adjust_export_dialog (MsWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);
      int width = 0, height = 0;

      if (!GTK_IS_FILE_CHOOSER_DIALOG (toplevel) || gtk_window_get_transient_for (toplevel) != GTK_WINDOW (self))
        continue;
      g_signal_connect (toplevel, "notify::filter", G_CALLBACK (on_export_filter_changed), NULL);
      if (file_chooser_has_size ())
        continue;
      gtk_window_get_default_size (toplevel, &width, &height);
      gtk_window_set_default_size (toplevel, MAX (width, 960), MAX (height, 640));
    }
}

static void
on_export_file_chosen (MsWindow             *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->player != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *chosen = g_file_get_path (file);
      /* A name typed without an extension takes the chosen format's. */
      g_autofree char *path = chosen != NULL && !ms_export_is_supported (chosen)
                              ? name_for_filter (GTK_FILE_CHOOSER (chooser), chosen) : g_steal_pointer (&chosen);
      const char *hide = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "hide-passwords");
      MsExportFlags flags = g_strcmp0 (hide, "true") == 0 ? MS_EXPORT_FLAGS_REDACT_PASSWORDS : 0;
      g_autoptr(GError) error = NULL;

      /* The format follows the extension, as for `mailscope run --export`. */
      if (path != NULL && !ms_export_write_full (self->player, path, flags, &error))
        {
          ms_window_set_error (self, error);
          ms_window_update_narration (self);
        }
      else if (path != NULL)
        ms_window_settings_exported (self, path, flags);
    }
  g_object_unref (chooser);
}

void
ms_window_export_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Transcript"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.html", self->scenario ? ms_scenario_get_id (self->scenario) : "mailscope");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  add_export_filters (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "notify::filter", G_CALLBACK (on_export_filter_changed), NULL);
  /* The same choice as `mailscope run --redact-passwords`. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "hide-passwords",
                               _("Hide passwords (shown as ••••)"), NULL, NULL);
  /* The folder and the choice of the last export (GSettings). */
  ms_window_settings_prepare_export (self, GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_file_chosen), widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  adjust_export_dialog (self);
}

static gboolean
perform_in (MsWindow     *self,
            MsWorldView  *view,
            const char   *actor,
            const char   *action,
            GError      **error)
{
  MsWorld *world = ms_world_view_get_world (view);
  g_autoptr(GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_auto(GStrv) parts = g_strsplit (action, " ", 2);
  int side = ms_world_view_side_for (view, actor);

  if (world == NULL)
    return TRUE;

  /* "drop laptop": the network cuts that device's connection now. */
  if (g_str_equal (actor, "network") && parts[1] != NULL)
    g_hash_table_insert (args, (gpointer) "device", g_strdup (parts[1]));
  else if (g_str_equal (actor, "server"))
    g_hash_table_insert (args, (gpointer) "subject", g_strdup (_("Hello from the outside world")));
  else if (side >= 0)
    {
      MsMailboxView *mailbox = ms_device_panel_get_view (ms_world_view_get_panel (view, side));
      MsMessage *selected = ms_mailbox_view_get_selected (mailbox);
      g_autofree char *subject = selected ? ms_message_item_read_header (ms_message_get_raw (selected), "Subject") : NULL;

      /* The message the user picked, found by its subject; else the first. */
      g_hash_table_insert (args, (gpointer) "message", g_strdup (subject ? subject : "#1"));
      if (g_str_equal (parts[0], "search"))
        g_hash_table_insert (args, (gpointer) "argument", g_strdup (subject ? subject : "Invoice"));
    }

  return ms_world_perform (world, actor, parts[0], args, error);
}

void
ms_window_perform_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *actor, *action;

  g_variant_get (parameter, "(&s&s)", &actor, &action);
  ms_window_set_error (self, NULL);
  if (!perform_in (self, self->world_view, actor, action, &error) ||
      (self->compare && !perform_in (self, self->compare_view, actor, action, &error)))
    ms_window_set_error (self, error);

  text = ms_window_describe_user_action (actor, action);
  ms_window_set_narration (self, _("Your own action (the scenario waits)"),
                 self->last_error ? self->last_error : text, NULL, NULL);
}

void
ms_window_set_protocol_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  const char *actor, *protocol;
  MsWorld *world = ms_window_current_world (self);
  g_autoptr(MsDevice) device = NULL;

  g_variant_get (parameter, "(&s&s)", &actor, &protocol);
  if (world != NULL)
    device = ms_world_lookup_device (world, actor) ? g_object_ref (ms_world_lookup_device (world, actor)) : NULL;
  if (device != NULL && g_strcmp0 (ms_device_get_protocol (device), protocol) == 0)
    return;
  g_hash_table_insert (self->protocols, g_strdup (actor), g_strdup (protocol));
  /* The same steps again with the device's new mail program. */
  ms_window_reload (self, ms_window_current_position (self));
}

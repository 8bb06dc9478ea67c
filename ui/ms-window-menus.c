/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-teaching.h"
#include "ms-window-private.h"

/* The header's menus (scenario, step mode, main menu, link, speed) are
 * made when first opened, not with the window. A GtkMenuButton given a
 * menu model builds its popover and a widget for every item at once, and
 * the scenario menu needs every built-in scenario parsed for its titles:
 * together about 30 ms of CPU before the first frame, for menus that are
 * closed in it. GtkMenuButton calls the create-popup function each time
 * it is about to open (F10 and the keyboard too) and stays sensitive
 * while it has one; the first call gives the button its model, which it
 * then keeps.
 *
 * The shortcuts window likewise: installed as gtk/help-overlay.ui,
 * GtkApplication would build it (some 60 widgets) for every window it
 * adds, about 13 ms of CPU; win.show-help-overlay builds it on first use
 * and hands it to GtkApplicationWindow, which then keeps it. */

static void
build_scenario_menu (MsWindow *self)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();
  g_autoptr(GHashTable) topics = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
      const char * const *teaching;
      const char *topic = NULL;
      GMenu *submenu;
      g_autoptr(GMenuItem) item = NULL;

      if (scenario == NULL)
        {
          g_warning ("%s", error->message);
          continue;
        }
      teaching = ms_scenario_get_teaching_ids (scenario);
      if (teaching != NULL && teaching[0] != NULL)
        topic = ms_teaching_topic (teaching[0]);
      if (topic == NULL)
        topic = _("More");
      submenu = g_hash_table_lookup (topics, topic);
      if (submenu == NULL)
        {
          submenu = g_menu_new ();
          g_hash_table_insert (topics, (gpointer) topic, submenu);
          g_ptr_array_add (order, (gpointer) topic);
        }
      item = g_menu_item_new (ms_scenario_get_title (scenario), NULL);
      g_menu_item_set_action_and_target (item, "win.load-scenario", "s", ids[i]);
      g_menu_append_item (submenu, item);
    }

  for (guint i = 0; i < order->len; i++)
    {
      GMenu *submenu = g_hash_table_lookup (topics, g_ptr_array_index (order, i));

      g_menu_append_submenu (self->builtin_section, g_ptr_array_index (order, i), G_MENU_MODEL (submenu));
      g_object_unref (submenu);
    }
}

static void
create_popup (GtkMenuButton *button,
              gpointer       user_data)
{
  MsWindow *self = MS_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  GMenuModel *model = user_data;

  if (gtk_menu_button_get_menu_model (button) == model)
    return;
  if (model == self->scenario_menu)
    build_scenario_menu (self);
  gtk_menu_button_set_menu_model (button, model);
}

void
ms_window_init_menus (MsWindow *self)
{
  const struct {
    GtkMenuButton *button;
    GMenuModel    *model;
  } menus[] = {
    { self->scenario_button,     self->scenario_menu },
    { self->step_mode_button,    self->step_mode_menu },
    { self->primary_menu_button, self->primary_menu },
    { self->link_button,         self->link_menu },
    { self->speed_button,        self->speed_menu },
  };

  for (guint i = 0; i < G_N_ELEMENTS (menus); i++)
    gtk_menu_button_set_create_popup_func (menus[i].button, create_popup, menus[i].model, NULL);
}

static void
show_help_overlay (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/mailscope/Mailscope/ui/ms-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* It keeps this action: it adds its own only when there is none. */
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

void
ms_window_init_help_overlay (MsWindow *self)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("show-help-overlay", NULL);

  g_signal_connect_object (action, "activate", G_CALLBACK (show_help_overlay), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* Presentation mode: full screen, no header bar, large type, and bare
 * keys a teacher can hit without looking. */

void
ms_window_update_presentation (MsWindow *self)
{
  if (self->presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
      gtk_event_controller_set_propagation_phase (self->presentation_keys, GTK_PHASE_CAPTURE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), TRUE);
      gtk_window_unfullscreen (GTK_WINDOW (self));
      gtk_event_controller_set_propagation_phase (self->presentation_keys, GTK_PHASE_NONE);
    }
}

GtkEventController *
ms_window_shortcuts (void)
{
  /* The keys of the shortcuts window, from wherever the focus is. Caught
   * before the focused widget sees them: as class bindings (bubbling up
   * last) F6 went to the GtkPaned around the stage and the transcript,
   * which cycles its panes' focus with it. No text field in the window
   * uses these keys. While a popover is open the keys go to it instead:
   * see ms_window_share_shortcuts(). */
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_Right, GDK_ALT_MASK, "win.step-forward" },
    { GDK_KEY_Left, GDK_ALT_MASK, "win.step-back" },
    { GDK_KEY_F5, 0, "win.playing" },
    { GDK_KEY_Home, GDK_ALT_MASK, "win.restart" },
    { GDK_KEY_t, GDK_CONTROL_MASK, "win.show-transcript" },
    { GDK_KEY_m, GDK_CONTROL_MASK, "win.compare" },
    { GDK_KEY_o, GDK_CONTROL_MASK, "win.open-scenario" },
    { GDK_KEY_e, GDK_CONTROL_MASK, "win.export" },
    { GDK_KEY_F11, 0, "win.toggle-presentation" },
    { GDK_KEY_F6, 0, "win.toggle-step-mode" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  return controller;
}

/* A popover (a menu, a drop-down's list) is a surface of its own: while it
 * is open the X server sends the keys to it, and they travel up to the
 * popover and no further, so the window's controller never sees them, with
 * or without a propagation limit (Ctrl+M in the speed menu did nothing;
 * tests/ui/test-shortcuts.c presses every key there). Each popover the
 * focus enters gets the window's keys and the application's too; their
 * actions are found through its parent, the button in the window. */
/* The application's accelerators (Ctrl+?, Ctrl+Q): GtkApplication hands
 * them to its windows, not to their popovers. */
static GtkEventController *
application_shortcuts (GtkApplication *application)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (application);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (application, actions[i]);
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;

      if (!g_action_parse_detailed_name (actions[i], &name, &target, NULL))
        continue;
      for (guint j = 0; accels[j] != NULL; j++)
        {
          GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (accels[j]);
          GtkShortcut *shortcut;

          if (trigger == NULL)
            continue;
          shortcut = gtk_shortcut_new (trigger, gtk_named_action_new (name));
          gtk_shortcut_set_arguments (shortcut, target);
          gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
        }
    }
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  return controller;
}

static void
on_focus_widget (MsWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *popover = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) : NULL;

  if (popover == NULL || g_object_get_data (G_OBJECT (popover), "ms-window-shortcuts") != NULL)
    return;
  gtk_widget_add_controller (popover, ms_window_shortcuts ());
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    gtk_widget_add_controller (popover, application_shortcuts (gtk_window_get_application (GTK_WINDOW (self))));
  g_object_set_data (G_OBJECT (popover), "ms-window-shortcuts", GINT_TO_POINTER (TRUE));
}

void
ms_window_share_shortcuts (MsWindow *self)
{
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget), NULL);
}

GtkEventController *
ms_window_presentation_shortcuts (void)
{
  /* Presentation mode is keyboard only, with bare keys a teacher can hit
   * without looking; they are caught before any focused widget sees them,
   * and only in that mode. */
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space, "win.playing" },
    { GDK_KEY_Right, "win.step-forward" },
    { GDK_KEY_Left, "win.step-back" },
    { GDK_KEY_Home, "win.restart" },
    { GDK_KEY_t, "win.show-transcript" },
    { GDK_KEY_c, "win.compare" },
    { GDK_KEY_e, "win.toggle-step-mode" },
    { GDK_KEY_Escape, "win.leave-presentation" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_NONE);
  return controller;
}

void
ms_window_toggle_presentation_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);

  g_object_set (self, "presentation", !self->presentation, NULL);
}

void
ms_window_leave_presentation_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  g_object_set (widget, "presentation", FALSE, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include "ms-window.h"

struct _MsWindow
{
  GtkApplicationWindow  parent_instance;

  GtkHeaderBar         *header_bar;
  GtkMenuButton        *scenario_button;
  GtkMenuButton        *primary_menu_button;
  GtkLabel             *narration_label;
  GtkPaned             *main_paned;
  GtkBox               *stage_box;
  GtkScrolledWindow    *transcript_scroller;
};

G_DEFINE_FINAL_TYPE (MsWindow, ms_window, GTK_TYPE_APPLICATION_WINDOW)

static void
ms_window_class_init (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, scenario_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, narration_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, stage_box);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_scroller);
}

static void
ms_window_init (MsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MsWindow *
ms_window_new (GtkApplication *application)
{
  return g_object_new (MS_TYPE_WINDOW, "application", application, NULL);
}

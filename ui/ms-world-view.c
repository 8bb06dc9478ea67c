/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-world-view"
#include "config.h"

#include "ms-world-view.h"

struct _MsWorldView
{
  GtkWidget      parent_instance;

  MsDevicePanel *panels[3];

  /* template */
  GtkWidget     *box;
  GtkWidget     *caption_box;
  GtkLabel      *caption_label;
  GtkLabel      *counters_label;
  MsStage       *stage;
};

G_DEFINE_FINAL_TYPE (MsWorldView, ms_world_view, GTK_TYPE_WIDGET)

static void
ms_world_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MS_TYPE_WORLD_VIEW);

  G_OBJECT_CLASS (ms_world_view_parent_class)->dispose (object);
}

static void
ms_world_view_class_init (MsWorldViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_world_view_dispose;

  g_type_ensure (MS_TYPE_STAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-world-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, box);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, caption_box);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, caption_label);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, counters_label);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, stage);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "worldview");
}

static void
ms_world_view_init (MsWorldView *self)
{
  static const char *actors[3] = { "laptop", "server", "phone" };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The panels belong to the stage, which lays them out around its links. */
  for (guint i = 0; i < 3; i++)
    {
      self->panels[i] = MS_DEVICE_PANEL (ms_device_panel_new (actors[i]));
      ms_stage_set_panel (self->stage, i, GTK_WIDGET (self->panels[i]));
    }
}

GtkWidget *
ms_world_view_new (void)
{
  return g_object_new (MS_TYPE_WORLD_VIEW, NULL);
}

MsStage *
ms_world_view_get_stage (MsWorldView *self)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), NULL);
  return self->stage;
}

MsDevicePanel *
ms_world_view_get_panel (MsWorldView     *self,
                         MsStagePosition  position)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), NULL);
  g_return_val_if_fail (position <= MS_STAGE_RIGHT, NULL);
  return self->panels[position];
}

void
ms_world_view_set_caption (MsWorldView *self,
                           const char  *caption)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));

  gtk_label_set_text (self->caption_label, caption ? caption : "");
  gtk_widget_set_visible (self->caption_box, caption != NULL);
}

void
ms_world_view_set_counters (MsWorldView *self,
                            const char  *counters)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));
  gtk_label_set_text (self->counters_label, counters ? counters : "");
}

void
ms_world_view_set_compact (MsWorldView *self,
                           gboolean     compact)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));

  for (guint i = 0; i < 3; i++)
    ms_device_panel_set_compact (self->panels[i], compact);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-stage"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-stage-private.h"

static void update_description (MsStage *self);

enum {
  PROP_0,
  PROP_SPEED,
  PROP_SHOW_INSIDE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsStage, ms_stage, GTK_TYPE_WIDGET)

/* ---- layout: panels in three columns with a link gap between ---- */

/* Between two devices stacked in one column. */
#define STACK_SPACING 8

int
ms_stage_slot_for_device (guint index)
{
  /* 0 and 1 keep LEFT and RIGHT around the server (CENTER, 1); the
   * others follow it. */
  if (index >= MS_STAGE_MAX_DEVICES)
    return -1;
  return index == 0 ? MS_STAGE_LEFT : (int) index + 1;
}

static guint
slot_device_index (int slot)
{
  return slot == MS_STAGE_LEFT ? 0 : (guint) slot - 1;
}

gboolean
ms_stage_slot_is_left (int slot)
{
  return slot_device_index (slot) % 2 == 0;
}

static gboolean
panel_shown (MsStage *self,
             guint    slot)
{
  return self->panels[slot] != NULL && gtk_widget_get_visible (self->panels[slot]);
}

static void
ms_stage_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  MsStage *self = MS_STAGE (widget);
  /* Left column, server, right column: widths side by side, heights of a
   * column's stacked panels added up. */
  int col_min[3] = { 0 }, col_nat[3] = { 0 };

  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    {
      int min = 0, nat = 0;
      guint col = i == MS_STAGE_CENTER ? 1 : ms_stage_slot_is_left (i) ? 0 : 2;

      if (!panel_shown (self, i))
        continue;
      gtk_widget_measure (self->panels[i], orientation, -1, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          col_min[col] = MAX (col_min[col], min);
          col_nat[col] = MAX (col_nat[col], nat);
        }
      else
        {
          int spacing = col_nat[col] > 0 ? STACK_SPACING : 0;
          col_min[col] += min + spacing;
          col_nat[col] += nat + spacing;
        }
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = col_min[0] + col_min[1] + col_min[2] + 2 * (LINK_GAP / 2);
      *natural = col_nat[0] + col_nat[1] + col_nat[2] + 2 * LINK_GAP;
    }
  else
    {
      *minimum = MAX (col_min[0], MAX (col_min[1], col_min[2]));
      *natural = MAX (col_nat[0], MAX (col_nat[1], col_nat[2]));
    }
}

static int
link_gap (MsStage *self,
          int      width)
{
  /* The gap grows with the window, but the panels keep most of it. */
  return CLAMP (width / 7, LINK_GAP / 2, LINK_GAP + 60);
}

static void
ms_stage_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  MsStage *self = MS_STAGE (widget);
  int gap = link_gap (self, width);
  int side_w = MAX ((width - 2 * gap) * 3 / 10, 0);
  int center_w = MAX (width - 2 * gap - 2 * side_w, 0);
  int right_x = side_w + gap + center_w + gap;
  int n_left = 0, n_right = 0, row_left = 0, row_right = 0;

  if (panel_shown (self, MS_STAGE_CENTER))
    gtk_widget_size_allocate (self->panels[MS_STAGE_CENTER],
                              &(GtkAllocation) { side_w + gap, 0, center_w, height }, -1);

  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    if (i != MS_STAGE_CENTER && panel_shown (self, i))
      {
        if (ms_stage_slot_is_left (i))
          n_left++;
        else
          n_right++;
      }

  /* Devices in one column share its height equally, in their order. The
   * slots are numbered in device order, so walking them is walking rows. */
  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    {
      gboolean left;
      int n, row, row_h;

      if (i == MS_STAGE_CENTER || !panel_shown (self, i))
        continue;
      left = ms_stage_slot_is_left (i);
      n = left ? n_left : n_right;
      row = left ? row_left++ : row_right++;
      row_h = MAX ((height - (n - 1) * STACK_SPACING) / n, 0);
      gtk_widget_size_allocate (self->panels[i],
                                &(GtkAllocation) { left ? 0 : right_x, row * (row_h + STACK_SPACING),
                                                   side_w, row_h }, -1);
    }
}

void
ms_stage_notify_busy (MsStage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- GObject ---- */

static void
ms_stage_dispose (GObject *object)
{
  MsStage *self = MS_STAGE (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    g_clear_pointer (&self->panels[i], gtk_widget_unparent);
  g_queue_clear_full (&self->queue, ms_stage_envelope_free);
  g_ptr_array_set_size (self->vanishing, 0);

  G_OBJECT_CLASS (ms_stage_parent_class)->dispose (object);
}

static void
ms_stage_finalize (GObject *object)
{
  MsStage *self = MS_STAGE (object);

  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    g_free (self->links[i].label);
  g_free (self->highlight_label);
  g_ptr_array_unref (self->vanishing);
  g_array_unref (self->frame_ms);
  g_array_unref (self->label_rects);
  g_array_unref (self->caption_rects);

  G_OBJECT_CLASS (ms_stage_parent_class)->finalize (object);
}

static void
ms_stage_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MsStage *self = MS_STAGE (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_SHOW_INSIDE:
      g_value_set_boolean (value, self->show_inside);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, ms_stage_is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_stage_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MsStage *self = MS_STAGE (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      ms_stage_set_speed (self, g_value_get_double (value));
      break;
    case PROP_SHOW_INSIDE:
      ms_stage_set_show_inside (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_stage_class_init (MsStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_stage_dispose;
  object_class->finalize = ms_stage_finalize;
  object_class->get_property = ms_stage_get_property;
  object_class->set_property = ms_stage_set_property;

  widget_class->measure = ms_stage_measure;
  widget_class->size_allocate = ms_stage_size_allocate;
  widget_class->snapshot = ms_stage_snapshot;

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.25, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_INSIDE] =
    g_param_spec_boolean ("show-inside", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "stage");
  /* A group, not an image: the panels drawn on it hold real controls. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ms_stage_init (MsStage *self)
{
  self->speed = 1.0;
  self->highlight_side = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network stage"), -1);
  update_description (self);
  self->vanishing = g_ptr_array_new_with_free_func (ms_stage_vanish_free);
  self->frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  self->label_rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  self->caption_rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_queue_init (&self->queue);
}

GtkWidget *
ms_stage_new (void)
{
  return g_object_new (MS_TYPE_STAGE, NULL);
}

void
ms_stage_set_panel (MsStage         *self,
                    MsStagePosition  position,
                    GtkWidget       *panel)
{
  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (position < MS_STAGE_N_SLOTS);
  g_return_if_fail (panel == NULL || GTK_IS_WIDGET (panel));

  if (self->panels[position] == panel)
    return;
  g_clear_pointer (&self->panels[position], gtk_widget_unparent);
  if (panel != NULL)
    {
      self->panels[position] = panel;
      gtk_widget_set_parent (panel, GTK_WIDGET (self));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* What a screen reader says about the stage: what it is, and the state of
 * each link, which is drawn and not otherwise written anywhere. (The
 * panels are real widgets with their own names; the envelopes are in the
 * transcript as text.) */
static void
update_description (MsStage *self)
{
  g_autoptr(GString) text = g_string_new (_("The mail server in the middle, a device on each side, and the network links "
                                            "between them, on which every command and answer travels as an envelope. "
                                            "The transcript lists the same traffic as text."));

  /* Every device's link, in device order: the third and fourth are the
   * lower ones in the left and right columns. */
  for (guint i = 0; i < MS_STAGE_MAX_DEVICES; i++)
    {
      int slot = ms_stage_slot_for_device (i);
      Link *link = &self->links[slot];
      const char *state = !link->connected ? _("not connected")
                          : link->tls ? _("connected, encrypted with TLS")
                          : _("connected, not encrypted");

      if (link->label == NULL)
        continue;
      g_string_append_c (text, ' ');
      /* Translators: "Left link: DSL 16 Mbit/s, connected, not encrypted." */
      g_string_append_printf (text, ms_stage_slot_is_left (slot) ? _("Left link: %s, %s.") : _("Right link: %s, %s."),
                              link->label, state);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

void
ms_stage_set_link (MsStage         *self,
                   MsStagePosition  side,
                   const char      *label,
                   gboolean         connected,
                   gboolean         tls)
{
  Link *link;

  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (side != MS_STAGE_CENTER && side < MS_STAGE_N_SLOTS);

  link = &self->links[side];
  g_free (link->label);
  link->label = g_strdup (label);
  link->connected = !!connected;
  link->tls = !!tls;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ms_stage_set_link_captions (MsStage  *self,
                            gboolean  captions)
{
  g_return_if_fail (MS_IS_STAGE (self));

  self->hide_link_captions = !captions;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ms_stage_get_speed (MsStage *self)
{
  g_return_val_if_fail (MS_IS_STAGE (self), 1.0);
  return self->speed;
}

void
ms_stage_set_speed (MsStage *self,
                    double   speed)
{
  g_return_if_fail (MS_IS_STAGE (self));

  speed = CLAMP (speed, 0.25, 4.0);
  if (self->speed == speed)
    return;
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

gboolean
ms_stage_get_show_inside (MsStage *self)
{
  g_return_val_if_fail (MS_IS_STAGE (self), FALSE);
  return self->show_inside;
}

void
ms_stage_set_show_inside (MsStage  *self,
                          gboolean  show_inside)
{
  g_return_if_fail (MS_IS_STAGE (self));

  show_inside = !!show_inside;
  if (self->show_inside == show_inside)
    return;
  self->show_inside = show_inside;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_INSIDE]);
}


void
ms_stage_highlight (MsStage    *self,
                    int         side,
                    gboolean    to_server,
                    const char *label)
{
  g_return_if_fail (MS_IS_STAGE (self));

  self->highlight_side = side;
  self->highlight_to_server = !!to_server;
  g_free (self->highlight_label);
  self->highlight_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ms_stage_get_busy (MsStage *self)
{
  g_return_val_if_fail (MS_IS_STAGE (self), FALSE);
  return ms_stage_is_busy (self);
}


void
ms_stage_get_frame_stats (MsStage *self,
                          guint   *n_frames,
                          double  *mean_ms,
                          double  *max_ms)
{
  g_return_if_fail (MS_IS_STAGE (self));

  if (n_frames)
    *n_frames = self->n_frames;
  if (mean_ms)
    *mean_ms = self->n_frames ? self->sum_frame_ms / self->n_frames : 0;
  if (max_ms)
    *max_ms = self->max_frame_ms;
}

void
ms_stage_reset_frame_stats (MsStage *self)
{
  g_return_if_fail (MS_IS_STAGE (self));

  self->n_frames = 0;
  self->sum_frame_ms = 0;
  self->max_frame_ms = 0;
  g_array_set_size (self->frame_ms, 0);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
ms_stage_get_frame_percentile (MsStage *self,
                               double   percentile)
{
  g_autoptr(GArray) sorted = NULL;
  guint index;

  g_return_val_if_fail (MS_IS_STAGE (self), 0);

  if (self->frame_ms->len == 0)
    return 0;
  sorted = g_array_copy (self->frame_ms);
  g_array_sort (sorted, compare_double);
  index = MIN ((guint) (CLAMP (percentile, 0, 100) / 100.0 * sorted->len), sorted->len - 1);
  return g_array_index (sorted, double, index);
}


guint
ms_stage_get_drawn_labels (MsStage                *self,
                           const graphene_rect_t **rects)
{
  g_return_val_if_fail (MS_IS_STAGE (self), 0);

  if (rects != NULL)
    *rects = (const graphene_rect_t *) (gpointer) self->label_rects->data;
  return self->label_rects->len;
}

guint
ms_stage_get_drawn_captions (MsStage                *self,
                             const graphene_rect_t **rects)
{
  g_return_val_if_fail (MS_IS_STAGE (self), 0);

  if (rects != NULL)
    *rects = (const graphene_rect_t *) (gpointer) self->caption_rects->data;
  return self->caption_rects->len;
}

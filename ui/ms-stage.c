/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-stage"
#include "config.h"

#include <math.h>

#include "ms-stage.h"

/* Screen time of one journey at 1x, before the link's own slowness is
 * added: long enough to read the label, short enough for a lesson. */
#define BASE_JOURNEY_S   0.9
#define MAX_JOURNEY_S    3.0
/* A new envelope leaves when the previous one is this far along, so a
 * command and its response read as a conversation, not a pile. */
#define OVERLAP          0.85
#define VANISH_S         1.2
#define LINK_GAP         190
#define MAX_QUEUE        4096

typedef struct
{
  MsStagePosition side;
  gboolean        to_server;
  MsEnvelopeKind  kind;
  char           *label;
  gsize           wire_bytes;
  double          duration;   /* seconds at 1x */
  double          started;    /* stage time (s) when it left; < 0 while queued */
  gboolean        sealed;
  guint64         seq;
} Envelope;

typedef struct
{
  MsStagePosition position;
  char           *label;
  double          started;    /* < 0 while the envelopes before it travel */
  guint64         after_seq;  /* starts once every envelope up to this one arrived */
  guint           count;      /* messages gone in one go */
} Vanish;

typedef struct
{
  char     *label;
  gboolean  connected;
  gboolean  tls;
} Link;

struct _MsStage
{
  GtkWidget   parent_instance;

  GtkWidget  *panels[3];
  Link        links[3];     /* LEFT and RIGHT used */
  double      speed;
  gboolean    show_inside;

  GQueue      queue;        /* Envelope*, waiting or travelling, in order */
  GPtrArray  *vanishing;    /* Vanish* */
  guint64     next_seq;
  double      now;          /* stage time in seconds, advanced by speed */
  gint64      last_frame_us;
  guint       tick_id;

  int         highlight_side;
  gboolean    highlight_to_server;
  char       *highlight_label;

  guint       n_frames;
  double      sum_frame_ms;
  double      max_frame_ms;
};

enum {
  PROP_0,
  PROP_SPEED,
  PROP_SHOW_INSIDE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsStage, ms_stage, GTK_TYPE_WIDGET)

static void
envelope_free (gpointer data)
{
  Envelope *envelope = data;

  g_free (envelope->label);
  g_free (envelope);
}

static void
vanish_free (gpointer data)
{
  Vanish *vanish = data;

  g_free (vanish->label);
  g_free (vanish);
}

/* ---- layout: panels in three columns with a link gap between ---- */

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

  *minimum = *natural = 0;
  for (guint i = 0; i < 3; i++)
    {
      int min = 0, nat = 0;

      if (self->panels[i] == NULL || !gtk_widget_get_visible (self->panels[i]))
        continue;
      gtk_widget_measure (self->panels[i], orientation, -1, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum += min;
          *natural += nat;
        }
      else
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum += 2 * (LINK_GAP / 2);
      *natural += 2 * LINK_GAP;
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
  int side_w = (width - 2 * gap) * 3 / 10;
  int center_w = width - 2 * gap - 2 * side_w;
  int x[3] = { 0, side_w + gap, side_w + gap + center_w + gap };
  int w[3] = { side_w, center_w, side_w };

  for (guint i = 0; i < 3; i++)
    if (self->panels[i] != NULL && gtk_widget_get_visible (self->panels[i]))
      gtk_widget_size_allocate (self->panels[i],
                                &(GtkAllocation) { x[i], 0, MAX (w[i], 0), height }, -1);
}

/* ---- animation ---- */

static double
journey_seconds (gint64 start_us,
                 gint64 arrival_us)
{
  double transfer_ms = MAX (arrival_us - start_us, 0) / 1000.0;

  /* Logarithmic: a 7-second modem download takes visibly longer than a
   * 1 ms fibre one, without making the lesson wait seven seconds. */
  return MIN (BASE_JOURNEY_S + 0.35 * log10 (1.0 + transfer_ms), MAX_JOURNEY_S);
}

static gboolean
is_busy (MsStage *self)
{
  return self->queue.length > 0 || self->vanishing->len > 0;
}

static void
advance (MsStage *self)
{
  gboolean was_busy = is_busy (self);
  Envelope *previous = NULL;

  /* Drop what has arrived; start what may start. */
  for (GList *l = self->queue.head; l != NULL;)
    {
      Envelope *envelope = l->data;
      GList *next = l->next;

      if (envelope->started < 0)
        {
          if (previous == NULL ||
              self->now >= previous->started + previous->duration * OVERLAP)
            envelope->started = self->now;
          else
            break;
        }
      if (self->now >= envelope->started + envelope->duration)
        {
          g_queue_delete_link (&self->queue, l);
          envelope_free (envelope);
        }
      else
        previous = envelope;
      l = next;
    }

  for (guint i = self->vanishing->len; i > 0; i--)
    {
      Vanish *vanish = g_ptr_array_index (self->vanishing, i - 1);
      Envelope *head = g_queue_peek_head (&self->queue);

      /* A message goes away when the exchange that removed it has been
       * seen to arrive, not before. */
      if (vanish->started < 0 && (head == NULL || head->seq > vanish->after_seq))
        vanish->started = self->now;
      if (vanish->started >= 0 && self->now >= vanish->started + VANISH_S)
        g_ptr_array_remove_index (self->vanishing, i - 1);
    }

  if (was_busy != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  MsStage *self = MS_STAGE (widget);
  gint64 frame_us = gdk_frame_clock_get_frame_time (clock);

  if (self->last_frame_us != 0)
    {
      double dt_ms = (frame_us - self->last_frame_us) / 1000.0;

      guint waiting = 0;

      for (GList *l = self->queue.head; l != NULL; l = l->next)
        if (((Envelope *) l->data)->started < 0)
          waiting++;
      /* A stall (window hidden, debugger) must not make envelopes jump.
       * A long burst (fifteen RETRs) speeds up as it goes, so the lesson
       * does not wait half a minute for the fifteenth envelope. */
      self->now += MIN (dt_ms, 100.0) / 1000.0 * self->speed * (1.0 + MAX ((int) waiting - 3, 0) * 0.3);
      self->n_frames++;
      self->sum_frame_ms += dt_ms;
      self->max_frame_ms = MAX (self->max_frame_ms, dt_ms);
    }
  self->last_frame_us = frame_us;

  advance (self);
  gtk_widget_queue_draw (widget);

  if (!is_busy (self))
    {
      self->tick_id = 0;
      self->last_frame_us = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_ticking (MsStage *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

/* ---- drawing ---- */

static gboolean
side_geometry (MsStage          *self,
               MsStagePosition   side,
               graphene_rect_t  *gap_out)
{
  graphene_rect_t a, b;
  GtkWidget *device = self->panels[side];
  GtkWidget *server = self->panels[MS_STAGE_CENTER];

  if (device == NULL || server == NULL ||
      !gtk_widget_get_visible (device) || !gtk_widget_get_visible (server))
    return FALSE;
  if (!gtk_widget_compute_bounds (device, GTK_WIDGET (self), &a) ||
      !gtk_widget_compute_bounds (server, GTK_WIDGET (self), &b))
    return FALSE;

  if (side == MS_STAGE_LEFT)
    graphene_rect_init (gap_out, a.origin.x + a.size.width, 0,
                        b.origin.x - (a.origin.x + a.size.width), gtk_widget_get_height (GTK_WIDGET (self)));
  else
    graphene_rect_init (gap_out, b.origin.x + b.size.width, 0,
                        a.origin.x - (b.origin.x + b.size.width), gtk_widget_get_height (GTK_WIDGET (self)));
  return TRUE;
}

static PangoLayout *
make_layout (MsStage    *self,
             const char *text,
             double      scale,
             gboolean    bold,
             int         width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));

  pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * scale));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  if (width > 0)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           float          cx,
           float          y,
           const GdkRGBA *color)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (cx - w / 2.0f, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
fill_rounded (GtkSnapshot           *snapshot,
              const graphene_rect_t *rect,
              float                  radius,
              const GdkRGBA         *fill,
              const GdkRGBA         *border,
              float                  border_width)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, fill, rect);
  gtk_snapshot_pop (snapshot);
  if (border != NULL)
    gtk_snapshot_append_border (snapshot, &rounded,
                                (float[4]) { border_width, border_width, border_width, border_width },
                                (GdkRGBA[4]) { *border, *border, *border, *border });
}

/* A padlock from rectangles: fonts on a projector may lack the emoji. */
static void
draw_padlock (GtkSnapshot   *snapshot,
              float          cx,
              float          cy,
              float          size,
              const GdkRGBA *color)
{
  graphene_rect_t body = GRAPHENE_RECT_INIT (cx - size / 2, cy - size * 0.1f, size, size * 0.75f);
  graphene_rect_t shackle = GRAPHENE_RECT_INIT (cx - size * 0.32f, cy - size * 0.65f, size * 0.64f, size * 0.8f);
  GskRoundedRect rounded;
  float width = MAX (size / 6, 1.5f);

  gsk_rounded_rect_init_from_rect (&rounded, &shackle, size * 0.32f);
  gtk_snapshot_append_border (snapshot, &rounded,
                              (float[4]) { width, width, width, width },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
  fill_rounded (snapshot, &body, 2, color, NULL, 0);
}

static gboolean
in_flight (MsStage         *self,
           MsStagePosition  side)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Envelope *envelope = l->data;
      if (envelope->side == side && envelope->started >= 0)
        return TRUE;
    }
  return FALSE;
}

static void
draw_link (MsStage               *self,
           GtkSnapshot           *snapshot,
           MsStagePosition        side,
           const graphene_rect_t *gap,
           float                  y,
           const GdkRGBA         *fg)
{
  Link *link = &self->links[side];
  GdkRGBA line = *fg;
  gboolean lit = self->highlight_side == (int) side;
  /* The world may have closed the connection already while its last
   * envelopes are still shown travelling: the line is up until they land. */
  gboolean connected = link->connected || in_flight (self, side);
  float thickness = connected ? 4 : 2;

  line.alpha = connected ? 0.55f : 0.25f;
  if (lit)
    line = (GdkRGBA) { 0.95f, 0.6f, 0.1f, 1 };

  /* Two lanes: commands go to the server on the upper one, answers come
   * back on the lower one, so a conversation reads like a dialogue. */
  if (connected)
    {
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (gap->origin.x + 6, y - 22, gap->size.width - 12, thickness));
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (gap->origin.x + 6, y + 22, gap->size.width - 12, thickness));
    }
  else
    {
      /* Not connected: a dashed line. */
      for (float x = gap->origin.x + 6; x < gap->origin.x + gap->size.width - 12; x += 14)
        gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, y, 7, thickness));
    }

  if (link->label != NULL)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, link->label, 0.85, FALSE, gap->size.width - 8);
      GdkRGBA dim = *fg;
      dim.alpha = 0.75f;
      draw_text (snapshot, layout, gap->origin.x + gap->size.width / 2, y + 104, &dim);
    }
  {
    const char *state = connected ? (link->tls ? "connected\nencrypted (TLS)" : "connected\nNOT encrypted")
                                  : "not connected";
    g_autoptr(PangoLayout) layout = make_layout (self, state, 0.8, connected, gap->size.width - 8);
    GdkRGBA color = *fg;
    int w, h;

    color.alpha = 0.75f;
    if (connected && !link->tls)
      color = (GdkRGBA) { 0.8f, 0.3f, 0.05f, 1 };
    else if (connected && link->tls)
      color = (GdkRGBA) { 0.15f, 0.55f, 0.3f, 1 };
    draw_text (snapshot, layout, gap->origin.x + gap->size.width / 2, y + 122, &color);
    if (link->tls)
      {
        pango_layout_get_pixel_size (layout, &w, &h);
        draw_padlock (snapshot, gap->origin.x + gap->size.width / 2, y + 122 + h + 14, 12, &color);
      }
  }
}

static float
envelope_width (gsize bytes)
{
  /* Area follows bytes on a log scale: 20 bytes and 2 MB both stay on screen. */
  return CLAMP (34.0f + 10.0f * log2f (1.0f + bytes / 8.0f), 40.0f, 170.0f);
}

static void
draw_envelope (MsStage               *self,
               GtkSnapshot           *snapshot,
               Envelope              *envelope,
               const graphene_rect_t *gap,
               float                  y,
               const GdkRGBA         *fg)
{
  double t = CLAMP ((self->now - envelope->started) / envelope->duration, 0.0, 1.0);
  /* Ease in and out: it leaves, travels, arrives. */
  double eased = t * t * (3 - 2 * t);
  gboolean towards_right = (envelope->side == MS_STAGE_LEFT) == envelope->to_server;
  float w = envelope_width (envelope->wire_bytes);
  float h = envelope->kind == MS_ENVELOPE_MESSAGE ? w * 0.62f : 30;
  float travel = gap->size.width - w;
  float x = gap->origin.x + (towards_right ? eased : 1 - eased) * travel;
  float lane_y = envelope->to_server ? y - 22 - h - 4 : y + 22 + 8;
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, lane_y, w, h);
  gboolean hidden = envelope->sealed && !self->show_inside;
  GdkRGBA fill, border = { 0.2f, 0.2f, 0.25f, 0.9f }, text = { 0.1f, 0.1f, 0.12f, 1 };
  g_autofree char *caption = NULL;
  g_autofree char *size = g_format_size (envelope->wire_bytes);

  switch (envelope->kind)
    {
    case MS_ENVELOPE_MESSAGE:
      fill = (GdkRGBA) { 1.0f, 0.93f, 0.6f, 1 };
      break;
    case MS_ENVELOPE_TLS:
      fill = (GdkRGBA) { 0.75f, 0.75f, 0.8f, 1 };
      break;
    case MS_ENVELOPE_COMMAND:
    default:
      fill = envelope->to_server ? (GdkRGBA) { 0.75f, 0.87f, 1.0f, 1 } : (GdkRGBA) { 0.8f, 0.95f, 0.8f, 1 };
      break;
    }
  if (hidden)
    fill = (GdkRGBA) { 0.35f, 0.35f, 0.42f, 1 }, text = (GdkRGBA) { 1, 1, 1, 1 };

  fill_rounded (snapshot, &rect, 4, &fill, &border, 1.5f);

  /* The flap of the envelope: two lines from the top corners to the middle. */
  {
    GdkRGBA flap = border;
    flap.alpha = 0.35f;
    for (int i = 0; i < 8; i++)
      {
        float fx = (w / 2) * i / 8.0f;
        float fy = MIN (h * 0.45f, 14.0f) * i / 8.0f;
        gtk_snapshot_append_color (snapshot, &flap, &GRAPHENE_RECT_INIT (x + fx, lane_y + fy, w / 16, 1.5f));
        gtk_snapshot_append_color (snapshot, &flap, &GRAPHENE_RECT_INIT (x + w - fx - w / 16, lane_y + fy, w / 16, 1.5f));
      }
  }

  if (hidden)
    caption = g_strdup_printf ("encrypted · %s", size);
  else
    caption = g_strdup_printf ("%s  (%s)", envelope->label, size);

  {
    /* The label rides above (commands) or below (answers) the envelope,
     * wide enough to read; the envelope itself shows the size. */
    g_autoptr(PangoLayout) label = make_layout (self, caption, 0.95, TRUE, MAX (gap->size.width + 180, 240));
    g_autoptr(PangoLayout) bytes = make_layout (self, size, 0.75, FALSE, w);
    int lw, lh;
    float cx;
    GdkRGBA label_bg = { 1, 1, 1, 0.88f };

    pango_layout_get_pixel_size (label, &lw, &lh);
    cx = CLAMP (x + w / 2, lw / 2.0f + 4, gtk_widget_get_width (GTK_WIDGET (self)) - lw / 2.0f - 4);
    {
      float ly = envelope->to_server ? lane_y - lh - 4 : lane_y + h + 4;
      graphene_rect_t bg = GRAPHENE_RECT_INIT (cx - lw / 2.0f - 4, ly - 1, lw + 8, lh + 2);
      fill_rounded (snapshot, &bg, 3, &label_bg, NULL, 0);
      draw_text (snapshot, label, cx, ly, &text);
      (void) fg;
    }
    if (hidden)
      draw_padlock (snapshot, x + w / 2, lane_y + h / 2 + 3, MIN (h * 0.5f, 16), &text);
    else if (envelope->kind == MS_ENVELOPE_MESSAGE && h >= 40)
      draw_text (snapshot, bytes, x + w / 2, lane_y + h - 18, &text);
  }
}

static void
draw_vanish (MsStage       *self,
             GtkSnapshot   *snapshot,
             Vanish        *vanish)
{
  GtkWidget *panel = self->panels[vanish->position];
  graphene_rect_t bounds;
  double t;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color = { 0.8f, 0.15f, 0.1f, 1 };
  g_autofree char *text = NULL;

  if (vanish->started < 0 || panel == NULL || !gtk_widget_compute_bounds (panel, GTK_WIDGET (self), &bounds))
    return;
  t = CLAMP ((self->now - vanish->started) / VANISH_S, 0.0, 1.0);
  color.alpha = 1.0f - t * t;
  if (vanish->count > 1)
    text = g_strdup_printf ("✗ %u messages deleted", vanish->count);
  else
    text = g_strdup_printf ("✗ %s", vanish->label);
  layout = make_layout (self, text, 1.1 + 0.4 * t, TRUE, bounds.size.width);
  draw_text (snapshot, layout, bounds.origin.x + bounds.size.width / 2,
             bounds.origin.y + bounds.size.height * 0.45f - 30 * t, &color);
}

static void
ms_stage_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  MsStage *self = MS_STAGE (widget);
  GdkRGBA fg;
  float y = gtk_widget_get_height (widget) * 0.42f;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  for (guint i = 0; i < 3; i++)
    if (self->panels[i] != NULL)
      gtk_widget_snapshot_child (widget, self->panels[i], snapshot);

  for (MsStagePosition side = MS_STAGE_LEFT; side <= MS_STAGE_RIGHT; side += 2)
    {
      graphene_rect_t gap;

      if (side_geometry (self, side, &gap))
        draw_link (self, snapshot, side, &gap, y, &fg);
    }

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Envelope *envelope = l->data;
      graphene_rect_t gap;

      if (envelope->started < 0)
        break;
      if (side_geometry (self, envelope->side, &gap))
        draw_envelope (self, snapshot, envelope, &gap, y, &fg);
    }

  for (guint i = 0; i < self->vanishing->len; i++)
    draw_vanish (self, snapshot, g_ptr_array_index (self->vanishing, i));
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
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&self->panels[i], gtk_widget_unparent);
  g_queue_clear_full (&self->queue, envelope_free);
  g_ptr_array_set_size (self->vanishing, 0);

  G_OBJECT_CLASS (ms_stage_parent_class)->dispose (object);
}

static void
ms_stage_finalize (GObject *object)
{
  MsStage *self = MS_STAGE (object);

  for (guint i = 0; i < 3; i++)
    g_free (self->links[i].label);
  g_free (self->highlight_label);
  g_ptr_array_unref (self->vanishing);

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
      g_value_set_boolean (value, is_busy (self));
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
}

static void
ms_stage_init (MsStage *self)
{
  self->speed = 1.0;
  self->highlight_side = -1;
  self->vanishing = g_ptr_array_new_with_free_func (vanish_free);
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
  g_return_if_fail (position <= MS_STAGE_RIGHT);
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

void
ms_stage_set_link (MsStage         *self,
                   MsStagePosition  side,
                   const char      *label,
                   gboolean         connected,
                   gboolean         tls)
{
  Link *link;

  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (side == MS_STAGE_LEFT || side == MS_STAGE_RIGHT);

  link = &self->links[side];
  g_free (link->label);
  link->label = g_strdup (label);
  link->connected = !!connected;
  link->tls = !!tls;
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
ms_stage_add_envelope (MsStage         *self,
                       MsStagePosition  side,
                       gboolean         to_server,
                       MsEnvelopeKind   kind,
                       const char      *label,
                       gsize            wire_bytes,
                       gint64           start_us,
                       gint64           arrival_us,
                       gboolean         sealed)
{
  Envelope *envelope;
  gboolean was_busy;

  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (side == MS_STAGE_LEFT || side == MS_STAGE_RIGHT);
  g_return_if_fail (label != NULL);

  /* A run-away world must not grow the queue without end. */
  if (self->queue.length >= MAX_QUEUE)
    return;

  was_busy = is_busy (self);
  envelope = g_new0 (Envelope, 1);
  envelope->side = side;
  envelope->to_server = !!to_server;
  envelope->kind = kind;
  envelope->label = g_strdup (label);
  envelope->wire_bytes = wire_bytes;
  envelope->duration = journey_seconds (start_us, arrival_us);
  envelope->started = -1;
  envelope->sealed = !!sealed;
  envelope->seq = ++self->next_seq;
  g_queue_push_tail (&self->queue, envelope);

  advance (self);
  ensure_ticking (self);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
ms_stage_add_vanish (MsStage         *self,
                     MsStagePosition  position,
                     const char      *label)
{
  Vanish *vanish;
  gboolean was_busy;

  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (position <= MS_STAGE_RIGHT);
  g_return_if_fail (label != NULL);

  was_busy = is_busy (self);
  /* Fifteen deletions at one QUIT read as one event, not fifteen. */
  for (guint i = 0; i < self->vanishing->len; i++)
    {
      vanish = g_ptr_array_index (self->vanishing, i);
      if (vanish->position == position && vanish->started < 0 && vanish->after_seq == self->next_seq)
        {
          vanish->count++;
          ensure_ticking (self);
          return;
        }
    }
  vanish = g_new0 (Vanish, 1);
  vanish->position = position;
  vanish->label = g_strdup (label);
  vanish->started = -1;
  vanish->after_seq = self->next_seq;
  vanish->count = 1;
  g_ptr_array_add (self->vanishing, vanish);
  advance (self);
  ensure_ticking (self);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
  return is_busy (self);
}

void
ms_stage_clear (MsStage *self)
{
  gboolean was_busy;

  g_return_if_fail (MS_IS_STAGE (self));

  was_busy = is_busy (self);
  g_queue_clear_full (&self->queue, envelope_free);
  g_ptr_array_set_size (self->vanishing, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
}

void
ms_stage_skip (MsStage *self)
{
  g_return_if_fail (MS_IS_STAGE (self));

  /* The viewer moved on: what was still waiting is dropped, what travels
   * lands now, and pending deletions show at once. */
  while (self->queue.length > 0)
    envelope_free (g_queue_pop_head (&self->queue));
  for (guint i = 0; i < self->vanishing->len; i++)
    {
      Vanish *vanish = g_ptr_array_index (self->vanishing, i);
      if (vanish->started < 0)
        vanish->started = self->now;
    }
  advance (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

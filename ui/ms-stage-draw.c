/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-stage"
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ms-stage-band.h"
#include "ms-stage-private.h"

/* ---- drawing ---- */

/* Where one device's link is drawn: the gap between its panel and the
 * server's, as high as the panel (devices stacked in a column each get
 * their own band), in rows that ms_stage_band_layout() works out so that
 * an answer's label never covers the link's caption. A short band (two
 * devices in a column, compare mode) is drawn tight: closer lanes,
 * smaller envelopes, the caption at its foot. */
typedef struct
{
  graphene_rect_t gap;
  MsStageBand     band;
  gboolean        connected;
  gboolean        tls;
  PangoLayout    *caption;  /* NULL when the link has none or it is hidden */
  PangoLayout    *state;    /* NULL when link captions are hidden */
} LinkGeometry;

static void
link_geometry_clear (LinkGeometry *geometry)
{
  g_clear_object (&geometry->caption);
  g_clear_object (&geometry->state);
}

static PangoLayout *make_layout (MsStage    *self,
                                 const char *text,
                                 double      scale,
                                 gboolean    bold,
                                 int         width);
static Envelope *last_in_flight (MsStage         *self,
                                 MsStagePosition  side);

/* An envelope's label: the font draw_envelope() uses, one line in a
 * tight band and two elsewhere, with its background's margin. */
static float
envelope_label_height (MsStage  *self,
                       gboolean  tight)
{
  g_autoptr(PangoLayout) sample = make_layout (self, "Ag", 0.9, TRUE, -1);
  int h;

  pango_layout_get_pixel_size (sample, NULL, &h);
  return (tight ? 1 : 2) * h + 2;
}

static gboolean
side_geometry (MsStage          *self,
               MsStagePosition   side,
               LinkGeometry     *out)
{
  graphene_rect_t a, b;
  GtkWidget *device = self->panels[side];
  GtkWidget *server = self->panels[MS_STAGE_CENTER];
  Link *link = &self->links[side];
  /* The world runs a step ahead of its pictures: it may have closed the
   * connection, or finished a STARTTLS handshake, while the envelopes of
   * that step are still shown travelling. The line is up until they land,
   * and it is encrypted from the first envelope that travels sealed: the
   * CAPA and STLS before it went in clear, and the handshake's records
   * are not yet protection. */
  Envelope *travelling = last_in_flight (self, side);
  gboolean tight;
  int width;

  if (device == NULL || server == NULL ||
      !gtk_widget_get_visible (device) || !gtk_widget_get_visible (server))
    return FALSE;
  if (!gtk_widget_compute_bounds (device, GTK_WIDGET (self), &a) ||
      !gtk_widget_compute_bounds (server, GTK_WIDGET (self), &b))
    return FALSE;

  if (ms_stage_slot_is_left (side))
    graphene_rect_init (&out->gap, a.origin.x + a.size.width, a.origin.y,
                        b.origin.x - (a.origin.x + a.size.width), a.size.height);
  else
    graphene_rect_init (&out->gap, b.origin.x + b.size.width, a.origin.y,
                        a.origin.x - (b.origin.x + b.size.width), a.size.height);
  out->connected = link->connected || travelling != NULL;
  out->tls = travelling != NULL ? travelling->sealed : link->tls;
  out->caption = out->state = NULL;
  tight = a.size.height < MS_STAGE_TIGHT_BAND;
  width = (int) out->gap.size.width - 8;

  out->band = (MsStageBand) {
    .top = a.origin.y,
    .height = a.size.height,
    .label_h = envelope_label_height (self, tight),
  };
  /* Below the answers' lane: a short stage says it elsewhere. */
  if (!self->hide_link_captions)
    {
      const char *state = out->connected ? (out->tls ? _("connected\nencrypted (TLS)") : _("connected\nNOT encrypted"))
                                         : _("not connected");
      /* A tight band has room for one line: the last one ("NOT
       * encrypted"), as its solid lanes already say it is connected; the
       * padlock goes in front of it. */
      const char *last_line = strrchr (state, '\n');
      int padlock_room = tight && out->tls ? 22 : 0;
      int h;

      out->state = make_layout (self, tight && last_line ? last_line + 1 : state, 0.8, out->connected,
                                width - padlock_room);
      pango_layout_get_pixel_size (out->state, NULL, &h);
      /* Elsewhere the padlock goes under the state's lines. */
      out->band.state_h = h + (!tight && out->tls ? 24 : 0);
      if (link->label != NULL)
        {
          out->caption = make_layout (self, link->label, 0.85, FALSE, width);
          pango_layout_get_pixel_size (out->caption, NULL, &h);
          out->band.caption_h = h;
        }
    }
  ms_stage_band_layout (&out->band);
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

/* The last envelope on @side's link that has left, or NULL when none
 * travels there. */
static Envelope *
last_in_flight (MsStage         *self,
                MsStagePosition  side)
{
  Envelope *last = NULL;

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Envelope *envelope = l->data;

      if (envelope->started < 0)
        break;
      if (envelope->side == side)
        last = envelope;
    }
  return last;
}

/* Colours for the stage's own marks, in two tints: deep ones for a light
 * background, light ones for a dark one (the dark style, or presentation
 * mode's black), so that each keeps its contrast. The theme's text colour
 * tells which background the stage is drawn on. */
typedef enum {
  STAGE_HIGHLIGHT,
  STAGE_PLAIN,
  STAGE_SECURE,
  STAGE_VANISH,
} StageColor;

static GdkRGBA
stage_color (const GdkRGBA *fg,
             StageColor     which)
{
  static const GdkRGBA on_light[] = {
    [STAGE_HIGHLIGHT] = { 0.95f, 0.6f, 0.1f, 1 },
    [STAGE_PLAIN]     = { 0.8f, 0.3f, 0.05f, 1 },
    [STAGE_SECURE]    = { 0.15f, 0.55f, 0.3f, 1 },
    [STAGE_VANISH]    = { 0.8f, 0.15f, 0.1f, 1 },
  };
  static const GdkRGBA on_dark[] = {
    [STAGE_HIGHLIGHT] = { 0.97f, 0.89f, 0.36f, 1 },
    [STAGE_PLAIN]     = { 1.0f, 0.64f, 0.28f, 1 },
    [STAGE_SECURE]    = { 0.34f, 0.89f, 0.54f, 1 },
    [STAGE_VANISH]    = { 1.0f, 0.48f, 0.39f, 1 },
  };
  gboolean dark_background = 0.299f * fg->red + 0.587f * fg->green + 0.114f * fg->blue > 0.5f;

  return dark_background ? on_dark[which] : on_light[which];
}

static void
draw_link (MsStage               *self,
           GtkSnapshot           *snapshot,
           MsStagePosition        side,
           const LinkGeometry    *geometry,
           const GdkRGBA         *fg)
{
  const graphene_rect_t *gap = &geometry->gap;
  const MsStageBand *band = &geometry->band;
  float y = band->y;
  float lane = band->lane;
  GdkRGBA line = *fg;
  gboolean lit = self->highlight_side == (int) side;
  gboolean connected = geometry->connected;
  gboolean tls = geometry->tls;
  float thickness = connected ? 4 : 2;
  float cx = gap->origin.x + gap->size.width / 2;
  graphene_rect_t drawn;

  line.alpha = connected ? 0.55f : 0.25f;
  if (lit)
    line = stage_color (fg, STAGE_HIGHLIGHT);

  /* Two lanes: commands go to the server on the upper one, answers come
   * back on the lower one, so a conversation reads like a dialogue. */
  if (connected)
    {
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (gap->origin.x + 6, y - lane, gap->size.width - 12, thickness));
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (gap->origin.x + 6, y + lane, gap->size.width - 12, thickness));
    }
  else
    {
      /* Not connected: a dashed line. */
      for (float x = gap->origin.x + 6; x < gap->origin.x + gap->size.width - 12; x += 14)
        gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, y, 7, thickness));
    }

  if (geometry->caption != NULL && band->show_caption)
    {
      GdkRGBA dim = *fg;
      int w;

      dim.alpha = 0.75f;
      pango_layout_get_pixel_size (geometry->caption, &w, NULL);
      draw_text (snapshot, geometry->caption, cx, band->caption_y, &dim);
      graphene_rect_init (&drawn, cx - w / 2.0f, band->caption_y, w, band->caption_h);
      g_array_append_val (self->caption_rects, drawn);
    }
  if (geometry->state != NULL && band->show_state)
    {
      GdkRGBA color = *fg;
      int padlock_room = band->tight && tls ? 22 : 0;
      float state_y = band->state_y;
      int w, h;

      pango_layout_get_pixel_size (geometry->state, &w, &h);
      color.alpha = 0.75f;
      if (connected && !tls)
        color = stage_color (fg, STAGE_PLAIN);
      else if (connected && tls)
        color = stage_color (fg, STAGE_SECURE);
      draw_text (snapshot, geometry->state, cx + padlock_room / 2.0f, state_y, &color);
      if (tls && band->tight)
        draw_padlock (snapshot, cx + padlock_room / 2.0f - w / 2.0f - 12, state_y + h / 2.0f + 1, 10, &color);
      else if (tls)
        draw_padlock (snapshot, cx, state_y + h + 14, 12, &color);
      graphene_rect_init (&drawn, cx + padlock_room / 2.0f - w / 2.0f - padlock_room, state_y,
                          w + padlock_room, band->state_h);
      g_array_append_val (self->caption_rects, drawn);
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
               const LinkGeometry    *geometry,
               const GdkRGBA         *fg)
{
  const graphene_rect_t *gap = &geometry->gap;
  const MsStageBand *band = &geometry->band;
  float y = band->y;
  double t = CLAMP ((self->now - envelope->started) / envelope->duration, 0.0, 1.0);
  /* Ease in and out: it leaves, travels, arrives. */
  double eased = t * t * (3 - 2 * t);
  gboolean towards_right = ms_stage_slot_is_left (envelope->side) == envelope->to_server;
  /* As tall as the band's rows allow: a message and its label stay
   * between the lanes and the caption (ms-stage-band.c). */
  float w = MIN (envelope_width (envelope->wire_bytes), band->tight ? 110.0f : 170.0f);
  float h = envelope->kind == MS_ENVELOPE_MESSAGE ? CLAMP (w * 0.62f, band->command_h, band->message_h)
                                                  : band->command_h;
  float travel = gap->size.width - w;
  float x = gap->origin.x + (towards_right ? eased : 1 - eased) * travel;
  float lane_y = envelope->to_server ? y - band->lane - h - 4 : y + band->lane + 8;
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
    caption = g_strdup_printf (_("encrypted · %s"), size);
  else
    caption = g_strdup_printf ("%s  (%s)", envelope->label, size);

  {
    /* The label rides above (commands) or below (answers) the envelope,
     * inside the link's gap: wider, it covered the top of the panels on
     * either side. A long one wraps to a second line (one in a tight band,
     * which has no room above), then ends in "…"; the transcript has it
     * whole. The envelope itself shows the size. */
    g_autoptr(PangoLayout) label = make_layout (self, caption, 0.9, TRUE, MAX (gap->size.width - 16, 40));
    g_autoptr(PangoLayout) bytes = make_layout (self, size, 0.75, FALSE, w);
    int lw, lh;
    float cx;
    GdkRGBA label_bg = { 1, 1, 1, 0.88f };

    pango_layout_set_wrap (label, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height (label, band->tight ? -1 : -2);
    pango_layout_set_alignment (label, PANGO_ALIGN_CENTER);
    pango_layout_get_pixel_size (label, &lw, &lh);
    cx = CLAMP (x + w / 2, gap->origin.x + lw / 2.0f + 6, gap->origin.x + gap->size.width - lw / 2.0f - 6);
    {
      float ly = envelope->to_server ? lane_y - lh - 4 : lane_y + h + 4;
      graphene_rect_t bg = GRAPHENE_RECT_INIT (cx - lw / 2.0f - 4, ly - 1, lw + 8, lh + 2);
      /* Dark on the light label, whatever colour the envelope's own text
       * has (white on a sealed one): a sealed caption was invisible. */
      fill_rounded (snapshot, &bg, 3, &label_bg, NULL, 0);
      g_array_append_val (self->label_rects, bg);
      draw_text (snapshot, label, cx, ly, &(GdkRGBA) { 0.1f, 0.1f, 0.12f, 1 });
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
             Vanish        *vanish,
             const GdkRGBA *fg)
{
  GtkWidget *panel = self->panels[vanish->position];
  graphene_rect_t bounds;
  double t;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color = stage_color (fg, STAGE_VANISH);
  g_autofree char *text = NULL;

  if (vanish->started < 0 || panel == NULL || !gtk_widget_compute_bounds (panel, GTK_WIDGET (self), &bounds))
    return;
  t = CLAMP ((self->now - vanish->started) / VANISH_S, 0.0, 1.0);
  color.alpha = 1.0f - t * t;
  if (vanish->count > 1)
    text = g_strdup_printf (ngettext ("✗ %u message deleted", "✗ %u messages deleted", vanish->count), vanish->count);
  else
    text = g_strdup_printf ("✗ %s", vanish->label);
  layout = make_layout (self, text, 1.1 + 0.4 * t, TRUE, bounds.size.width);
  draw_text (snapshot, layout, bounds.origin.x + bounds.size.width / 2,
             bounds.origin.y + bounds.size.height * 0.45f - 30 * t, &color);
}

void
ms_stage_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  MsStage *self = MS_STAGE (widget);
  LinkGeometry geometries[MS_STAGE_N_SLOTS] = { 0 };
  gboolean shown[MS_STAGE_N_SLOTS] = { FALSE };
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  g_array_set_size (self->label_rects, 0);
  g_array_set_size (self->caption_rects, 0);

  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    if (self->panels[i] != NULL)
      gtk_widget_snapshot_child (widget, self->panels[i], snapshot);

  /* Each link's rows once a frame, for its lanes and its envelopes. */
  for (MsStagePosition side = MS_STAGE_LEFT; side < MS_STAGE_N_SLOTS; side++)
    {
      shown[side] = side != MS_STAGE_CENTER && side_geometry (self, side, &geometries[side]);
      if (shown[side])
        draw_link (self, snapshot, side, &geometries[side], &fg);
    }

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Envelope *envelope = l->data;

      if (envelope->started < 0)
        break;
      if (shown[envelope->side])
        draw_envelope (self, snapshot, envelope, &geometries[envelope->side], &fg);
    }

  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    link_geometry_clear (&geometries[i]);

  for (guint i = 0; i < self->vanishing->len; i++)
    draw_vanish (self, snapshot, g_ptr_array_index (self->vanishing, i), &fg);
}

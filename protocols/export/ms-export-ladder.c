/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "ms-device.h"
#include "ms-export-private.h"

/* A sequence ("ladder") diagram of the whole session for slides and
 * handouts: one column per device and one for the server, time running
 * down with the clock on the left, an arrow per chunk labelled with its
 * first line, and a box with the narration where each step starts. It is
 * drawn with cairo alone (no GTK: protocols/ stays usable without a
 * display) and its toy text API, which is enough for one-line labels. */

#define MARGIN 24.0
#define TIME_WIDTH 78.0
#define COLUMN_WIDTH 250.0
#define HEAD_HEIGHT 96.0
#define ARROW_ROW 22.0
#define NOTICE_ROW 17.0
#define LINE_HEIGHT 16.0
#define SLOPE 8.0
/* cairo image surfaces stop at 32767 pixels a side. */
#define MAX_PNG_HEIGHT 32000.0
/* A PDF page of a long session is cut into pages of this height (points). */
#define PDF_PAGE_HEIGHT 1190.0

typedef struct
{
  MsPlayer      *player;
  MsWorld       *world;
  MsExportFlags  flags;
  GPtrArray     *columns;   /* char*: device names in drawing order, "server" among them */
  double         width;
  double         limit;     /* stop drawing rows below this y */
  guint          skipped;   /* chunks not drawn because of the limit */
  GArray        *breaks;    /* double: tops of rows and boxes, where a page may end */
} Ladder;

static void
set_hex (cairo_t    *cr,
         const char *hex,
         double      alpha)
{
  guint value = (guint) g_ascii_strtoull (hex + 1, NULL, 16);

  cairo_set_source_rgba (cr, ((value >> 16) & 0xff) / 255.0, ((value >> 8) & 0xff) / 255.0,
                         (value & 0xff) / 255.0, alpha);
}

static void
set_font (cairo_t *cr,
          gboolean mono,
          gboolean bold,
          double   size)
{
  cairo_select_font_face (cr, mono ? "DejaVu Sans Mono" : "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

static double
text_width (cairo_t    *cr,
            const char *text)
{
  cairo_text_extents_t extents;

  cairo_text_extents (cr, text, &extents);
  return extents.x_advance;
}

/* @text cut with "…" to fit @width. */
static char *
fit_text (cairo_t    *cr,
          const char *text,
          double      width)
{
  glong n = g_utf8_strlen (text, -1);

  if (text_width (cr, text) <= width)
    return g_strdup (text);
  while (n > 0)
    {
      g_autofree char *head = g_utf8_substring (text, 0, --n);
      char *candidate = g_strconcat (head, "\xe2\x80\xa6", NULL);

      if (text_width (cr, candidate) <= width)
        return candidate;
      g_free (candidate);
    }
  return g_strdup ("\xe2\x80\xa6");
}

/* Word wrap into lines no wider than @width. */
static GPtrArray *
wrap_text (cairo_t    *cr,
           const char *text,
           double      width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *candidate = NULL;

      if (*words[i] == '\0')
        continue;
      candidate = line->len > 0 ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
      if (line->len > 0 && text_width (cr, candidate) > width)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_assign (line, words[i]);
        }
      else
        g_string_assign (line, candidate);
    }
  if (line->len > 0)
    g_ptr_array_add (lines, g_strdup (line->str));
  return lines;
}

static double
column_x (Ladder     *ladder,
          const char *name)
{
  for (guint i = 0; i < ladder->columns->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ladder->columns, i), name) == 0)
      return MARGIN + TIME_WIDTH + COLUMN_WIDTH * (i + 0.5);
  return MARGIN + TIME_WIDTH + COLUMN_WIDTH * 0.5;
}

static void
draw_arrow (cairo_t *cr,
            double   x1,
            double   y1,
            double   x2,
            double   y2)
{
  double angle = atan2 (y2 - y1, x2 - x1);

  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
  cairo_move_to (cr, x2, y2);
  cairo_line_to (cr, x2 - 9 * cos (angle - 0.4), y2 - 9 * sin (angle - 0.4));
  cairo_line_to (cr, x2 - 9 * cos (angle + 0.4), y2 - 9 * sin (angle + 0.4));
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* A chunk as a solid arrow (blue up, green down) labelled with its first
 * line, @more saying how many lines follow; a TLS record as a thinner
 * dashed grey arrow with its type and size, which is all an eavesdropper
 * sees of it. */
static void
draw_exchange_arrow (cairo_t           *cr,
                     const MsExportRow *row,
                     double             xd,
                     double             xs,
                     double             y,
                     const char        *more)
{
  static const double dash[] = { 5, 3 };
  gboolean up = row->direction == MS_DIRECTION_TO_SERVER;
  double x1 = up ? xd : xs, x2 = up ? xs : xd;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  g_autofree char *fitted = NULL;

  if (more == NULL)
    more = "";
  /* An arrow between an outer device and the server passes the inner
   * devices' life lines: a band of the background under it breaks them
   * there, so that it reads as passing over, not as stopping at one of
   * them (they used to cross, as if the inner device took part). */
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 9);
  cairo_move_to (cr, x1 + (x2 > x1 ? 8 : -8), y + 10);
  cairo_line_to (cr, x2 + (x2 > x1 ? -8 : 8), y + 10 + SLOPE);
  cairo_stroke (cr);
  cairo_restore (cr);
  if (row->tls)
    {
      set_hex (cr, "#9a9996", 1);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
    }
  else
    {
      set_hex (cr, up ? "#1c71d8" : "#26a269", 1);
      cairo_set_line_width (cr, 1.5);
    }
  draw_arrow (cr, x1, y + 10, x2, y + 10 + SLOPE);
  cairo_set_dash (cr, NULL, 0, 0);

  /* The count of further lines is kept whole; the first line gives way. */
  set_font (cr, TRUE, FALSE, row->tls ? 9.5 : 10.5);
  /* "on the wire" goes without saying on a drawn wire. */
  text = g_strdup (row->text);
  if (row->tls && g_str_has_suffix (text, " on the wire"))
    text[strlen (text) - strlen (" on the wire")] = '\0';
  label = fit_text (cr, text, fabs (x2 - x1) - 16 - text_width (cr, more));
  fitted = g_strconcat (label, more, NULL);
  /* The label on the background too, so no life line runs through it. */
  {
    cairo_font_extents_t font;

    cairo_font_extents (cr, &font);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_rectangle (cr, MIN (x1, x2) + 6, y + 7 - font.ascent, text_width (cr, fitted) + 4, font.ascent + font.descent);
    cairo_fill (cr);
  }
  set_hex (cr, row->tls ? "#77767b" : "#241f31", 1);
  cairo_move_to (cr, MIN (x1, x2) + 8, y + 7);
  cairo_show_text (cr, fitted);
}

static double
draw_head (Ladder  *ladder,
           cairo_t *cr,
           gboolean draw)
{
  MsScenario *scenario = ms_player_get_scenario (ladder->player);

  if (draw)
    {
      g_autofree char *title = NULL;
      g_autofree char *note = NULL;

      set_font (cr, FALSE, TRUE, 18);
      set_hex (cr, "#241f31", 1);
      title = fit_text (cr, ms_scenario_get_title (scenario), ladder->width - 2 * MARGIN);
      cairo_move_to (cr, MARGIN, MARGIN + 18);
      cairo_show_text (cr, title);
      set_font (cr, FALSE, FALSE, 11);
      set_hex (cr, "#5e5c64", 1);
      note = g_strdup_printf (_("Scenario %s, %u of %u steps. %s"), ms_scenario_get_id (scenario),
                              ms_player_get_position (ladder->player), ms_player_get_n_steps (ladder->player),
                              ms_export_password_note (ladder->flags));
      cairo_move_to (cr, MARGIN, MARGIN + 38);
      cairo_show_text (cr, note);

      for (guint i = 0; i < ladder->columns->len; i++)
        {
          const char *name = g_ptr_array_index (ladder->columns, i);
          double x = column_x (ladder, name);
          g_autofree char *label = NULL;
          MsDevice *device = ms_world_lookup_device (ladder->world, name);

          label = device != NULL
            ? g_strdup_printf ("%s (%s)", name, ms_device_get_protocol (device))
            : g_strdup ("mail server");
          set_hex (cr, ms_export_device_colour (ladder->world, name), 1);
          cairo_rectangle (cr, x - COLUMN_WIDTH * 0.4, MARGIN + 50, COLUMN_WIDTH * 0.8, 26);
          cairo_fill (cr);
          set_font (cr, FALSE, TRUE, 13);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_move_to (cr, x - text_width (cr, label) / 2, MARGIN + 68);
          cairo_show_text (cr, label);
        }
    }
  return MARGIN + HEAD_HEIGHT;
}

/* Lays the session out from @y, drawing when @draw; returns the bottom. */
static double
draw_body (Ladder  *ladder,
           cairo_t *cr,
           double   y,
           gboolean draw)
{
  MsTranscript *transcript = ms_world_get_transcript (ladder->world);
  g_autoptr(GPtrArray) steps = ms_export_collect_steps (transcript);
  g_autoptr(MsRedactor) redactor = ms_redactor_new ((ladder->flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
  double box_width = ladder->width - 2 * MARGIN - TIME_WIDTH;

  ladder->skipped = 0;
  for (guint s = 0; s < steps->len; s++)
    {
      MsExportStep *step = g_ptr_array_index (steps, s);

      if (step->index > 0)
        {
          g_autoptr(GPtrArray) lines = NULL;
          g_autoptr(GString) text = g_string_new (NULL);
          double height;

          for (guint i = 0; i < step->narrations->len; i++)
            g_string_append_printf (text, "%s%s", i > 0 ? " " : "",
                                    ms_transcript_entry_get_text (g_ptr_array_index (step->narrations, i)));
          set_font (cr, FALSE, FALSE, 12);
          lines = wrap_text (cr, text->str, box_width - 20);
          height = 30 + lines->len * LINE_HEIGHT + 6;
          if (y + height > ladder->limit)
            {
              ladder->skipped += step->n_chunks;
              continue;
            }
          if (!draw)
            g_array_append_val (ladder->breaks, y);
          if (draw)
            {
              g_autofree char *title = NULL;

              set_hex (cr, "#fdf6e3", 1);
              cairo_rectangle (cr, MARGIN + TIME_WIDTH, y + 6, box_width, height - 6);
              cairo_fill_preserve (cr);
              set_hex (cr, "#e5a50a", 1);
              cairo_set_line_width (cr, 1.5);
              cairo_stroke (cr);
              set_font (cr, FALSE, TRUE, 13);
              set_hex (cr, "#241f31", 1);
              title = fit_text (cr, step->title != NULL ? step->title : "", box_width - 20);
              cairo_move_to (cr, MARGIN + TIME_WIDTH + 10, y + 24);
              cairo_show_text (cr, title);
              set_font (cr, FALSE, FALSE, 12);
              for (guint i = 0; i < lines->len; i++)
                {
                  cairo_move_to (cr, MARGIN + TIME_WIDTH + 10, y + 24 + (i + 1) * LINE_HEIGHT);
                  cairo_show_text (cr, g_ptr_array_index (lines, i));
                }
            }
          y += height + 8;
        }

      for (guint e = 0; e < step->entries->len; e++)
        {
          MsTranscriptEntry *entry = g_ptr_array_index (step->entries, e);
          MsTranscriptKind kind = ms_transcript_entry_get_kind (entry);
          g_autoptr(GPtrArray) rows = ms_export_rows_new ();
          MsExportRow *row;
          double row_height = NOTICE_ROW;

          /* Every chunk goes through the redactor, drawn or not, so that
           * its state follows the connection. */
          ms_export_entry_rows (redactor, entry, rows);
          if (rows->len == 0)
            continue;
          row = g_ptr_array_index (rows, 0);
          if (kind == MS_TRANSCRIPT_CHUNK || row->tls)
            row_height = ARROW_ROW;
          if (y + row_height > ladder->limit)
            {
              ladder->skipped += kind == MS_TRANSCRIPT_CHUNK;
              continue;
            }
          if (!draw)
            g_array_append_val (ladder->breaks, y);
          if (draw)
            {
              double xd = column_x (ladder, row->device);
              double xs = column_x (ladder, "server");

              set_font (cr, TRUE, FALSE, 10);
              set_hex (cr, "#5e5c64", 1);
              cairo_move_to (cr, MARGIN, y + (row_height == ARROW_ROW ? 10 : 13));
              cairo_show_text (cr, row->time);

              if (kind == MS_TRANSCRIPT_CHUNK || row->tls)
                {
                  g_autofree char *more = rows->len > 1 ? g_strdup_printf ("  (+%u lines)", rows->len - 1) : NULL;

                  draw_exchange_arrow (cr, row, xd, xs, y, more);
                }
              else
                {
                  g_autofree char *fitted = NULL;

                  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
                  cairo_set_font_size (cr, 10.5);
                  set_hex (cr, "#77767b", 1);
                  fitted = fit_text (cr, row->text, box_width - 16);
                  cairo_move_to (cr, MARGIN + TIME_WIDTH + 8, y + 13);
                  cairo_show_text (cr, fitted);
                }
            }
          y += row_height;
        }
    }

  if (ladder->skipped > 0)
    {
      if (draw)
        {
          g_autofree char *note = g_strdup_printf ("%u more chunks do not fit in one image; "
                                                   "the .txt or .pdf export has them all.", ladder->skipped);
          set_font (cr, FALSE, TRUE, 12);
          set_hex (cr, "#a51d2d", 1);
          cairo_move_to (cr, MARGIN + TIME_WIDTH, y + 20);
          cairo_show_text (cr, note);
        }
      y += 30;
    }

  return y + MARGIN;
}

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static double
measure (Ladder *ladder)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  double height;

  height = draw_body (ladder, cr, draw_head (ladder, cr, FALSE), FALSE);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return height;
}

/* Life lines first, light and dashed, so that the step boxes and the
 * labels drawn over them stay readable. */
static void
draw_life_lines (Ladder  *ladder,
                 cairo_t *cr,
                 double   top,
                 double   bottom)
{
  static const double dashes[] = { 4, 4 };

  cairo_save (cr);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < ladder->columns->len; i++)
    {
      const char *name = g_ptr_array_index (ladder->columns, i);

      set_hex (cr, ms_export_device_colour (ladder->world, name), 0.4);
      cairo_move_to (cr, column_x (ladder, name), top);
      cairo_line_to (cr, column_x (ladder, name), bottom);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
paint (Ladder  *ladder,
       cairo_t *cr,
       double   height)
{
  double top;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  top = draw_head (ladder, cr, TRUE);
  draw_life_lines (ladder, cr, top - 20, height - MARGIN);
  draw_body (ladder, cr, top, TRUE);
}

GBytes *
ms_export_ladder_bytes (MsPlayer       *player,
                        MsExportFormat  format,
                        MsExportFlags   flags,
                        GError        **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  GListModel *devices;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  g_autoptr(GArray) breaks = g_array_new (FALSE, FALSE, sizeof (double));
  Ladder ladder = { player, ms_player_get_world (player), flags, columns, 0, G_MAXDOUBLE, 0, breaks };
  double height;
  guint n;

  /* The server in the middle, devices on either side, as on the stage. */
  devices = ms_world_get_devices (ladder.world);
  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i <= n; i++)
    {
      if (i == (n + 1) / 2)
        g_ptr_array_add (columns, g_strdup ("server"));
      if (i < n)
        {
          g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);

          g_ptr_array_add (columns, g_strdup (ms_device_get_name (device)));
        }
    }
  ladder.width = 2 * MARGIN + TIME_WIDTH + COLUMN_WIDTH * columns->len;
  if (format == MS_EXPORT_FORMAT_PNG)
    ladder.limit = MAX_PNG_HEIGHT - 60;
  height = ceil (measure (&ladder));

  switch (format)
    {
    case MS_EXPORT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ladder.width, (int) height);
      break;
    case MS_EXPORT_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (append_cb, out, ladder.width, height);
      break;
    case MS_EXPORT_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (append_cb, out, ladder.width,
                                                     MIN (height, PDF_PAGE_HEIGHT));
      /* A fixed date keeps the file the same from one run to the next. */
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "2025-03-17T08:00:00");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mailscope");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                      ms_scenario_get_title (ms_player_get_scenario (player)));
      break;
    default:
      g_assert_not_reached ();
    }

  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_t *cr = cairo_create (surface);

      if (format == MS_EXPORT_FORMAT_PDF)
        {
          /* Long sessions go on several pages, each a window on the
           * whole that ends above the first row it would cut. */
          double top = 0;

          while (top < height)
            {
              double bottom = MIN (top + PDF_PAGE_HEIGHT, height);

              for (guint i = 0; bottom < height && i < breaks->len; i++)
                {
                  double at = g_array_index (breaks, double, i);

                  if (at > top + PDF_PAGE_HEIGHT / 2 && at <= top + PDF_PAGE_HEIGHT)
                    bottom = at;
                }
              cairo_save (cr);
              cairo_rectangle (cr, 0, 0, ladder.width, bottom - top);
              cairo_clip (cr);
              cairo_translate (cr, 0, -top);
              paint (&ladder, cr, height);
              cairo_restore (cr);
              cairo_show_page (cr);
              top = bottom;
            }
        }
      else
        paint (&ladder, cr, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
    }
  if (status == CAIRO_STATUS_SUCCESS && format == MS_EXPORT_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_cb, out);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot draw the ladder diagram: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

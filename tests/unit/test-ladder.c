/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ladder (sequence diagram) export: where an arrow between an outer
 * device and the server passes an inner device's life line, the life line
 * is broken under it, so that the arrow does not read as stopping there.
 * Checked on the pixels of the PNG for "one session at a time", whose
 * laptop (the first column) talks across the phone's (the second). */
#define G_LOG_DOMAIN "test-ladder"
#include "config.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "ms-export.h"
#include "ms-player.h"
#include "ms-scenario.h"

/* ms-export-ladder.c's layout: margin 24, time column 78, columns 250 wide;
 * the phone's life line runs down the middle of the second column. */
#define PHONE_X (24 + 78 + 250 * 3 / 2)
#define BODY_TOP 130

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         offset;
} Reader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  Reader *reader = closure;

  if (reader->offset + length > reader->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

typedef struct
{
  const guint8 *pixels;
  int           stride;
  int           width;
  int           height;
} Image;

static void
pixel (const Image *image,
       int          x,
       int          y,
       int         *r,
       int         *g,
       int         *b)
{
  guint32 value = *(const guint32 *) (image->pixels + y * image->stride + x * 4);

  *r = (value >> 16) & 0xff;
  *g = (value >> 8) & 0xff;
  *b = value & 0xff;
}

/* The full blue of a command or green of an answer, not a pale life line. */
static gboolean
is_arrow (const Image *image,
          int          x,
          int          y)
{
  int r, g, b;

  pixel (image, x, y, &r, &g, &b);
  return (abs (r - 0x1c) + abs (g - 0x71) + abs (b - 0xd8) < 90) ||
         (abs (r - 0x26) + abs (g - 0xa2) + abs (b - 0x69) < 90);
}

static gboolean
is_arrow_near (const Image *image,
               int          x,
               int          y)
{
  for (int dy = -3; dy <= 3; dy++)
    if (y + dy >= 0 && y + dy < image->height && is_arrow (image, x, y + dy))
      return TRUE;
  return FALSE;
}

static gboolean
is_background (const Image *image,
               int          x,
               int          y)
{
  int r, g, b;

  pixel (image, x, y, &r, &g, &b);
  return r > 235 && g > 235 && b > 235;
}

static void
test_arrows_break_life_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("one-session-at-a-time", &error);
  g_autoptr(MsPlayer) player = NULL;
  g_autoptr(GBytes) png = NULL;
  cairo_surface_t *surface;
  Reader reader = { 0 };
  Image image;
  guint crossings = 0;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  png = ms_export_to_bytes (player, MS_EXPORT_FORMAT_PNG, 0, &error);
  g_assert_no_error (error);

  reader.data = g_bytes_get_data (png, &reader.len);
  surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  image.pixels = cairo_image_surface_get_data (surface);
  image.stride = cairo_image_surface_get_stride (surface);
  image.width = cairo_image_surface_get_width (surface);
  image.height = cairo_image_surface_get_height (surface);
  g_assert_cmpint (image.width, >, PHONE_X + 20);

  /* Every arrow that passes the phone's life line (drawn on both sides of
   * it: the laptop's, not the phone's own) has background just above and
   * below it there, not the life line. */
  for (int y = BODY_TOP; y < image.height - 5; y++)
    {
      if (!is_arrow (&image, PHONE_X, y) ||
          !is_arrow_near (&image, PHONE_X - 12, y) || !is_arrow_near (&image, PHONE_X + 12, y))
        continue;
      crossings++;
      for (int x = PHONE_X - 1; x <= PHONE_X; x++)
        if (!is_background (&image, x, y - 3) || !is_background (&image, x, y + 3))
          g_error ("the arrow at y=%d crosses the phone's life line at x=%d without breaking it", y, x);
      y += 4;
    }
  /* The laptop's POP3 session: some forty commands and answers. */
  g_assert_cmpuint (crossings, >, 20);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/ladder/arrows-break-life-lines", test_arrows_break_life_lines);
  return g_test_run ();
}

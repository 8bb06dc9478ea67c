/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of a link's band on the stage (ms-stage-band.c), at every band
 * height from a squeezed compare-mode panel to a 4K screen, with the text
 * heights of normal type and of presentation mode's large type: no
 * command's label above the band, no answer or its label under the
 * caption, no caption or state under the band's foot. Needs no display. */
#define G_LOG_DOMAIN "test-stage-band"
#include "config.h"

#include <glib.h>

#include "ms-stage-band.h"

typedef struct
{
  const char *name;
  float       line;      /* one line of an envelope label */
  float       caption;
  float       state;     /* one line of the state */
} Type;

static const Type types[] = {
  { "normal", 15, 15, 13 },
  { "large",  24, 25, 21 },
};

static void
check_band (const Type *type,
            float       height,
            gboolean    tls,
            gboolean    captions)
{
  gboolean tight = height < MS_STAGE_TIGHT_BAND;
  MsStageBand band = {
    .top = 37,
    .height = height,
    .label_h = (tight ? 1 : 2) * type->line + 2,
    .caption_h = captions ? type->caption : 0,
    .state_h = captions ? (tight ? type->state : 2 * type->state + (tls ? 24 : 0)) : 0,
  };
  float bottom = band.top + band.height;

  ms_stage_band_layout (&band);
  g_assert_true (band.tight == tight);
  g_assert_cmpfloat (band.command_h, <=, band.message_h);
  g_assert_cmpfloat (band.lane, >, 0);

  /* Whatever is drawn of the caption and the state sits below the lowest
   * answer's label and inside the band, caption over state. */
  if (band.show_caption)
    {
      g_assert_true (captions);
      g_assert_cmpfloat (band.caption_y, >=, ms_stage_band_answers_bottom (&band));
      g_assert_cmpfloat (band.caption_y + band.caption_h, <=, band.state_y);
    }
  if (band.show_state)
    {
      g_assert_true (captions);
      g_assert_cmpfloat (band.state_y, >=, ms_stage_band_answers_bottom (&band));
      g_assert_cmpfloat (band.state_y + band.state_h, <=, bottom);
    }
  /* A band that fits the smallest envelopes and their labels keeps them
   * inside it, whatever else had to give. */
  if (band.height >= 2 * (type->line + 2) + 2 * 16 + 2 * 14 + 30)
    {
      g_assert_cmpfloat (ms_stage_band_commands_top (&band), >=, band.top);
      g_assert_cmpfloat (ms_stage_band_answers_bottom (&band), <=, bottom);
    }
  /* Nothing shrinks while the band has room for it: the state shows from
   * 140 pixels up (a compare-mode panel has at least 125, where the
   * smallest envelopes and their labels come first), and at full size the
   * envelopes are as big as they get. */
  if (captions && type->line < 20 && height >= 140)
    g_assert_true (band.show_state);
  if (height >= 600 && type->line < 20)
    {
      g_assert_true (!captions || band.show_caption);
      g_assert_cmpfloat (band.message_h, ==, 105);
    }
}

static void
test_every_height (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (float height = 60; height <= 2160; height += 1)
      for (guint variant = 0; variant < 4; variant++)
        check_band (&types[t], height, variant & 1, (variant & 2) == 0);
}

/* The case of the 1280x720 screen with two devices in a column: a band
 * of about 200 pixels had its answer's label over the link's caption. */
static void
test_short_band (void)
{
  MsStageBand band = { .top = 0, .height = 200, .label_h = 17, .caption_h = 15, .state_h = 13 };

  ms_stage_band_layout (&band);
  g_test_message ("200 px: y %.0f, lane %.0f, command %.0f, message %.0f, caption at %.0f (%s), state at %.0f",
                  band.y, band.lane, band.command_h, band.message_h, band.caption_y,
                  band.show_caption ? "shown" : "hidden", band.state_y);
  g_assert_true (band.show_caption);
  g_assert_true (band.show_state);
  g_assert_cmpfloat (band.caption_y, >=, ms_stage_band_answers_bottom (&band));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/stage-band/every-height", test_every_height);
  g_test_add_func ("/ui/stage-band/short-band", test_short_band);
  return g_test_run ();
}

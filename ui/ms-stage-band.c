/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-stage"
#include "config.h"

#include "ms-stage-band.h"

/* Spacing, as ms-stage-draw.c draws it: a command's envelope sits
 * ENVELOPE_GAP above the upper lane with its label LABEL_GAP above it; an
 * answer's sits LOWER_GAP below the lower lane (under the lane's
 * thickness) with its label LABEL_GAP below it. */
#define EDGE          2
#define LABEL_GAP     4
#define ENVELOPE_GAP  4
#define LOWER_GAP     8
#define CAPTION_GAP   4
#define FOOT          4
/* Below this an envelope cannot show what it is. */
#define MIN_ENVELOPE 16

static float
above (const MsStageBand *band)
{
  return EDGE + band->label_h + LABEL_GAP + band->message_h + ENVELOPE_GAP + band->lane;
}

static float
below (const MsStageBand *band)
{
  return band->lane + LOWER_GAP + band->message_h + LABEL_GAP + band->label_h;
}

static float
foot (const MsStageBand *band)
{
  return CAPTION_GAP + (band->show_caption ? band->caption_h : 0) + (band->show_state ? band->state_h : 0) + FOOT;
}

float
ms_stage_band_commands_top (const MsStageBand *band)
{
  return band->y - (above (band) - EDGE);
}

float
ms_stage_band_answers_bottom (const MsStageBand *band)
{
  return band->y + below (band);
}

void
ms_stage_band_layout (MsStageBand *band)
{
  float slack;

  band->tight = band->height < MS_STAGE_TIGHT_BAND;
  band->lane = band->tight ? 14 : 22;
  band->command_h = band->tight ? 24 : 30;
  band->message_h = band->tight ? 44 : 105;
  band->show_caption = band->caption_h > 0;
  band->show_state = band->state_h > 0;

  /* Everything at full size, or less in a short band: first a message is
   * drawn smaller, then the caption goes (the header's link button says
   * the same), then commands shrink, then the state line goes. No two
   * rows ever share pixels. */
  for (;;)
    {
      float excess = above (band) + below (band) + foot (band) - band->height;

      if (excess <= 0)
        break;
      if (band->message_h > band->command_h)
        band->message_h = MAX (band->command_h, band->message_h - excess);
      else if (band->show_caption)
        band->show_caption = FALSE;
      else if (band->command_h > MIN_ENVELOPE)
        band->message_h = band->command_h = MAX (MIN_ENVELOPE, band->command_h - excess);
      else if (band->show_state)
        band->show_state = FALSE;
      else
        break;
    }

  /* What is left over goes mostly under the answers, so that the lanes
   * sit a little above the middle. */
  slack = MAX (band->height - above (band) - below (band) - foot (band), 0);
  band->y = band->top + above (band) + slack * 0.35f;
  if (band->tight)
    /* At the foot of the band, as far from the lanes as it can be. */
    band->caption_y = band->top + band->height - FOOT - (band->show_state ? band->state_h : 0)
                      - (band->show_caption ? band->caption_h : 0);
  else
    /* Right under the lowest an answer's label can reach. */
    band->caption_y = ms_stage_band_answers_bottom (band) + CAPTION_GAP;
  band->state_y = band->caption_y + (band->show_caption ? band->caption_h : 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of one link's band on the stage, top to bottom: the commands'
 * labels, the commands, the two lanes, the answers, the answers' labels,
 * then the link's caption and its connection state. Worked out from the
 * band's height and the heights of its texts alone, so that a test can
 * check that no row runs into another at any height (tests/ui
 * test-stage-band.c). Not installed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A band shorter than this is drawn tight: closer lanes, smaller
 * envelopes, one-line labels, the caption at its foot. */
#define MS_STAGE_TIGHT_BAND 420

typedef struct
{
  /* given */
  float    top;
  float    height;
  float    label_h;     /* an envelope's label, all its lines, its background included */
  float    caption_h;   /* the link's caption; 0 when it has none */
  float    state_h;     /* the connection state, its padlock included; 0 when not shown */

  /* worked out */
  gboolean tight;
  float    y;           /* between the two lanes */
  float    lane;        /* from y to each lane */
  float    command_h;   /* a command's envelope */
  float    message_h;   /* the tallest a message's envelope may be, on either lane */
  gboolean show_caption;
  gboolean show_state;
  float    caption_y;
  float    state_y;
} MsStageBand;

/* Where a command's label ends at the top (its smallest y) and an
 * answer's label at the bottom (its largest y), for envelopes as tall as
 * @band allows. */
float ms_stage_band_commands_top (const MsStageBand *band);
float ms_stage_band_answers_bottom (const MsStageBand *band);

/* Fills in the worked-out fields of @band from the given ones. */
void  ms_stage_band_layout (MsStageBand *band);

G_END_DECLS

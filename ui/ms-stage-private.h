/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the stage's files share: its instance struct, the envelopes and
 * deletions in flight, and the helpers one concern offers another.
 * ms-stage.c holds the type and its API, ms-stage-animation.c the queue
 * and the frame clock, ms-stage-draw.c the snapshot. Not installed. */
#pragma once

#include "ms-stage.h"

G_BEGIN_DECLS

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

  GtkWidget  *panels[MS_STAGE_N_SLOTS];
  Link        links[MS_STAGE_N_SLOTS];  /* all but CENTER used */
  double      speed;
  gboolean    show_inside;
  gboolean    hide_link_captions;  /* a short stage: a real client's lane */

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
  GArray     *frame_ms;     /* double: every interval since the reset (capped) */
  GArray     *label_rects;  /* graphene_rect_t: envelope labels of the last frame */
  GArray     *caption_rects;  /* graphene_rect_t: link captions and states likewise */
};

/* ms-stage.c */
void     ms_stage_notify_busy       (MsStage         *self);

/* ms-stage-animation.c */
void     ms_stage_envelope_free     (gpointer         data);
void     ms_stage_vanish_free       (gpointer         data);
double   ms_stage_journey_seconds   (gint64           start_us,
                                     gint64           arrival_us);
gboolean ms_stage_is_busy           (MsStage         *self);
void     ms_stage_advance           (MsStage         *self);
void     ms_stage_ensure_ticking    (MsStage         *self);

/* ms-stage-draw.c */
void     ms_stage_snapshot          (GtkWidget       *widget,
                                     GtkSnapshot     *snapshot);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stage: the server's panel in the middle, the devices' panels in a
 * column on each side, and between each device and the server its own
 * network link, drawn with the frame clock.
 * What crosses a link travels as an envelope whose size follows its bytes;
 * TLS traffic travels sealed unless the viewer asks to see inside. Virtual
 * time (microseconds of the simulation) is mapped to screen time so that
 * every exchange is visible: slower links give longer journeys, and the
 * speed factor (0.25x to 4x) scales everything. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where a panel sits. LEFT and RIGHT are the first and second device;
 * a third, fourth... device takes slot 3, 4... and is stacked under them,
 * odd devices (1st, 3rd, 5th) on the left, even ones on the right. Every
 * device slot has its own link; ms_stage_slot_for_device() is the one
 * place that maps a device's index in its world to its slot. */
typedef enum {
  MS_STAGE_LEFT,
  MS_STAGE_CENTER,
  MS_STAGE_RIGHT,
} MsStagePosition;

/* Three to a column is as many as stay readable at 1280x800. */
#define MS_STAGE_MAX_DEVICES 6
#define MS_STAGE_N_SLOTS     (MS_STAGE_MAX_DEVICES + 1)

typedef enum {
  MS_ENVELOPE_COMMAND,   /* a command or a response */
  MS_ENVELOPE_MESSAGE,   /* a whole message being copied */
  MS_ENVELOPE_TLS,       /* TLS handshake or alert records */
} MsEnvelopeKind;

#define MS_TYPE_STAGE (ms_stage_get_type ())

G_DECLARE_FINAL_TYPE (MsStage, ms_stage, MS, STAGE, GtkWidget)

GtkWidget *ms_stage_new             (void);
/* The slot of a world's @index-th device (from 0), or -1 past
 * MS_STAGE_MAX_DEVICES. */
int        ms_stage_slot_for_device (guint            index);
/* Whether device slot @slot is in the left column (else the right one). */
gboolean   ms_stage_slot_is_left    (int              slot);
void       ms_stage_set_panel       (MsStage         *self,
                                     MsStagePosition  position,
                                     GtkWidget       *panel);
/* What the link of one device slot is: "DSL · 16 Mbit/s · 20 ms". */
void       ms_stage_set_link        (MsStage         *self,
                                     MsStagePosition  side,
                                     const char      *label,
                                     gboolean         connected,
                                     gboolean         tls);
/* Whether each link says under it what it is and whether it is encrypted
 * (default TRUE); a short stage leaves that to its panels. */
void       ms_stage_set_link_captions (MsStage       *self,
                                       gboolean       captions);
double     ms_stage_get_speed       (MsStage         *self);
void       ms_stage_set_speed       (MsStage         *self,
                                     double           speed);
gboolean   ms_stage_get_show_inside (MsStage         *self);
void       ms_stage_set_show_inside (MsStage         *self,
                                     gboolean         show_inside);
/* Queues one envelope on the link of device slot @side. @label is what it says
 * ("a4 UID FETCH 2 BODY[]"); @sealed hides it behind a padlock unless
 * show-inside is on. Envelopes travel in the order they were queued;
 * @start_us and @arrival_us (virtual time) set how long the journey looks. */
void       ms_stage_add_envelope    (MsStage         *self,
                                     MsStagePosition  side,
                                     gboolean         to_server,
                                     MsEnvelopeKind   kind,
                                     const char      *label,
                                     gsize            wire_bytes,
                                     gint64           start_us,
                                     gint64           arrival_us,
                                     gboolean         sealed);
/* Shows a message going away at @position (deleted, expunged). */
void       ms_stage_add_vanish      (MsStage         *self,
                                     MsStagePosition  position,
                                     const char      *label);
/* Lights up one link (a transcript line the user selected); -1 for none. */
void       ms_stage_highlight       (MsStage         *self,
                                     int              side,
                                     gboolean         to_server,
                                     const char      *label);
/* TRUE while anything is travelling: the player waits for it before the
 * next step, so nobody misses an exchange. */
gboolean   ms_stage_get_busy        (MsStage         *self);
/* Lands everything in flight at once (the viewer pressed Next). */
void       ms_stage_skip            (MsStage         *self);
/* Drops everything in flight (step back, restart). */
void       ms_stage_clear           (MsStage         *self);
/* Frame statistics since the last reset, for the measurements in tests. */
void       ms_stage_get_frame_stats (MsStage         *self,
                                     guint           *n_frames,
                                     double          *mean_ms,
                                     double          *max_ms);
void       ms_stage_reset_frame_stats (MsStage       *self);
/* The frame interval (ms) below which @percentile % of them fall. */
double     ms_stage_get_frame_percentile (MsStage    *self,
                                          double      percentile);

/* For the tests: the envelope labels drawn in the last frame (their
 * backgrounds), in the stage's coordinates. */
guint        ms_stage_get_drawn_labels   (MsStage                *self,
                                          const graphene_rect_t **rects);
/* Likewise the links' captions and connection states. */
guint        ms_stage_get_drawn_captions (MsStage                *self,
                                          const graphene_rect_t **rects);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-stage"
#include "config.h"

#include <math.h>

#include "ms-stage-private.h"

/* The stage's envelopes and deletions in flight, moved on by the frame
 * clock; ms-stage-draw.c shows them where this leaves them. */

void
ms_stage_envelope_free (gpointer data)
{
  Envelope *envelope = data;

  g_free (envelope->label);
  g_free (envelope);
}

void
ms_stage_vanish_free (gpointer data)
{
  Vanish *vanish = data;

  g_free (vanish->label);
  g_free (vanish);
}

double
ms_stage_journey_seconds (gint64 start_us,
                          gint64 arrival_us)
{
  double transfer_ms = MAX (arrival_us - start_us, 0) / 1000.0;

  /* Logarithmic: a 7-second modem download takes visibly longer than a
   * 1 ms fibre one, without making the lesson wait seven seconds. */
  return MIN (BASE_JOURNEY_S + 0.35 * log10 (1.0 + transfer_ms), MAX_JOURNEY_S);
}

gboolean
ms_stage_is_busy (MsStage *self)
{
  return self->queue.length > 0 || self->vanishing->len > 0;
}

void
ms_stage_advance (MsStage *self)
{
  gboolean was_busy = ms_stage_is_busy (self);
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
          ms_stage_envelope_free (envelope);
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

  if (was_busy != ms_stage_is_busy (self))
    ms_stage_notify_busy (self);
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
      if (self->frame_ms->len < 100000)
        g_array_append_val (self->frame_ms, dt_ms);
    }
  self->last_frame_us = frame_us;

  ms_stage_advance (self);
  gtk_widget_queue_draw (widget);

  if (!ms_stage_is_busy (self))
    {
      self->tick_id = 0;
      self->last_frame_us = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
ms_stage_ensure_ticking (MsStage *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
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
  g_return_if_fail (side != MS_STAGE_CENTER && side < MS_STAGE_N_SLOTS);
  g_return_if_fail (label != NULL);

  /* A run-away world must not grow the queue without end. */
  if (self->queue.length >= MAX_QUEUE)
    return;

  was_busy = ms_stage_is_busy (self);
  envelope = g_new0 (Envelope, 1);
  envelope->side = side;
  envelope->to_server = !!to_server;
  envelope->kind = kind;
  envelope->label = g_strdup (label);
  envelope->wire_bytes = wire_bytes;
  envelope->duration = ms_stage_journey_seconds (start_us, arrival_us);
  envelope->started = -1;
  envelope->sealed = !!sealed;
  envelope->seq = ++self->next_seq;
  g_queue_push_tail (&self->queue, envelope);

  ms_stage_advance (self);
  ms_stage_ensure_ticking (self);
  if (!was_busy)
    ms_stage_notify_busy (self);
}

void
ms_stage_add_vanish (MsStage         *self,
                     MsStagePosition  position,
                     const char      *label)
{
  Vanish *vanish;
  gboolean was_busy;

  g_return_if_fail (MS_IS_STAGE (self));
  g_return_if_fail (position < MS_STAGE_N_SLOTS);
  g_return_if_fail (label != NULL);

  was_busy = ms_stage_is_busy (self);
  /* Fifteen deletions at one QUIT read as one event, not fifteen. */
  for (guint i = 0; i < self->vanishing->len; i++)
    {
      vanish = g_ptr_array_index (self->vanishing, i);
      if (vanish->position == position && vanish->started < 0 && vanish->after_seq == self->next_seq)
        {
          vanish->count++;
          ms_stage_ensure_ticking (self);
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
  ms_stage_advance (self);
  ms_stage_ensure_ticking (self);
  if (!was_busy)
    ms_stage_notify_busy (self);
}

void
ms_stage_clear (MsStage *self)
{
  gboolean was_busy;

  g_return_if_fail (MS_IS_STAGE (self));

  was_busy = ms_stage_is_busy (self);
  g_queue_clear_full (&self->queue, ms_stage_envelope_free);
  g_ptr_array_set_size (self->vanishing, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (was_busy)
    ms_stage_notify_busy (self);
}

void
ms_stage_skip (MsStage *self)
{
  g_return_if_fail (MS_IS_STAGE (self));

  /* The viewer moved on: what was still waiting is dropped, what travels
   * lands now, and pending deletions show at once. */
  while (self->queue.length > 0)
    ms_stage_envelope_free (g_queue_pop_head (&self->queue));
  for (guint i = 0; i < self->vanishing->len; i++)
    {
      Vanish *vanish = g_ptr_array_index (self->vanishing, i);
      if (vanish->started < 0)
        vanish->started = self->now;
    }
  ms_stage_advance (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

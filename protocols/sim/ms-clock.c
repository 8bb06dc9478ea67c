/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-clock"
#include "config.h"

#include "ms-clock.h"

typedef struct
{
  gint64         at_us;
  guint64        seq;
  MsClockFunc    func;
  gpointer       user_data;
  GDestroyNotify destroy;
} Timer;

struct _MsClock
{
  GObject    parent_instance;
  gint64     now_us;
  guint64    next_seq;
  GSequence *queue;   /* Timer*, sorted by (at_us, seq) */
  guint64    n_events;
  guint64    event_limit;
};

G_DEFINE_FINAL_TYPE (MsClock, ms_clock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NOW_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
timer_free (gpointer data)
{
  Timer *timer = data;

  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static int
timer_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Timer *ta = a;
  const Timer *tb = b;

  if (ta->at_us != tb->at_us)
    return ta->at_us < tb->at_us ? -1 : 1;
  if (ta->seq != tb->seq)
    return ta->seq < tb->seq ? -1 : 1;
  return 0;
}

static void
ms_clock_finalize (GObject *object)
{
  MsClock *self = MS_CLOCK (object);

  g_sequence_free (self->queue);
  G_OBJECT_CLASS (ms_clock_parent_class)->finalize (object);
}

static void
ms_clock_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MsClock *self = MS_CLOCK (object);

  switch (prop_id)
    {
    case PROP_NOW_US:
      g_value_set_int64 (value, self->now_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_clock_class_init (MsClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_clock_finalize;
  object_class->get_property = ms_clock_get_property;

  properties[PROP_NOW_US] =
    g_param_spec_int64 ("now-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_clock_init (MsClock *self)
{
  self->queue = g_sequence_new (timer_free);
  self->next_seq = 1;
  self->event_limit = G_MAXUINT64;
}

MsClock *
ms_clock_new (void)
{
  return g_object_new (MS_TYPE_CLOCK, NULL);
}

gint64
ms_clock_get_now_us (MsClock *self)
{
  g_return_val_if_fail (MS_IS_CLOCK (self), 0);
  return self->now_us;
}

guint64
ms_clock_schedule (MsClock        *self,
                   gint64          at_us,
                   MsClockFunc     func,
                   gpointer        user_data,
                   GDestroyNotify  destroy)
{
  Timer *timer;

  g_return_val_if_fail (MS_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  timer = g_new0 (Timer, 1);
  timer->at_us = MAX (at_us, self->now_us);
  timer->seq = self->next_seq++;
  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;
  g_sequence_insert_sorted (self->queue, timer, timer_compare, NULL);
  return timer->seq;
}

gboolean
ms_clock_cancel (MsClock *self,
                 guint64  id)
{
  g_return_val_if_fail (MS_IS_CLOCK (self), FALSE);

  /* Few timers are ever pending (one per chunk in flight), so a scan is fine. */
  for (GSequenceIter *iter = g_sequence_get_begin_iter (self->queue);
       !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      Timer *timer = g_sequence_get (iter);

      if (timer->seq == id)
        {
          g_sequence_remove (iter);
          return TRUE;
        }
    }
  return FALSE;
}

guint
ms_clock_get_n_pending (MsClock *self)
{
  g_return_val_if_fail (MS_IS_CLOCK (self), 0);
  return (guint) g_sequence_get_length (self->queue);
}

gboolean
ms_clock_run_one (MsClock *self)
{
  GSequenceIter *first;
  Timer *timer;
  MsClockFunc func;
  gpointer user_data;
  GDestroyNotify destroy;

  g_return_val_if_fail (MS_IS_CLOCK (self), FALSE);

  first = g_sequence_get_begin_iter (self->queue);
  if (g_sequence_iter_is_end (first) || self->n_events >= self->event_limit)
    return FALSE;

  /* Take the timer out before running it: the callback may schedule more. */
  timer = g_sequence_get (first);
  func = timer->func;
  user_data = timer->user_data;
  destroy = timer->destroy;
  timer->destroy = NULL;
  g_assert (timer->at_us >= self->now_us);
  if (timer->at_us != self->now_us)
    {
      self->now_us = timer->at_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW_US]);
    }
  g_sequence_remove (first);

  func (user_data);
  if (destroy != NULL)
    destroy (user_data);
  /* Counted once it is over: a callback that looks at the count sees how
   * many ran before it, which is where a limit would stop just before it. */
  self->n_events++;
  return TRUE;
}

guint64
ms_clock_get_n_events (MsClock *self)
{
  g_return_val_if_fail (MS_IS_CLOCK (self), 0);
  return self->n_events;
}

void
ms_clock_set_event_limit (MsClock *self,
                          guint64  n_events)
{
  g_return_if_fail (MS_IS_CLOCK (self));
  self->event_limit = n_events;
}

gboolean
ms_clock_get_limit_reached (MsClock *self)
{
  g_return_val_if_fail (MS_IS_CLOCK (self), FALSE);
  return self->n_events >= self->event_limit &&
         !g_sequence_iter_is_end (g_sequence_get_begin_iter (self->queue));
}

guint
ms_clock_run_until_idle (MsClock *self,
                         guint    max_events)
{
  guint n = 0;

  g_return_val_if_fail (MS_IS_CLOCK (self), 0);

  while ((max_events == 0 || n < max_events) && ms_clock_run_one (self))
    n++;
  return n;
}

guint
ms_clock_run_until (MsClock *self,
                    gint64   at_us)
{
  guint n = 0;

  g_return_val_if_fail (MS_IS_CLOCK (self), 0);

  for (;;)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->queue);

      if (g_sequence_iter_is_end (first) || ((Timer *) g_sequence_get (first))->at_us > at_us)
        break;
      if (!ms_clock_run_one (self))
        break;
      n++;
    }
  /* Stopped by the event limit: time stands where that event was. */
  if (ms_clock_get_limit_reached (self))
    return n;
  if (at_us > self->now_us)
    {
      self->now_us = at_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW_US]);
    }
  return n;
}

char *
ms_clock_format_time (gint64 time_us)
{
  gint64 ms = time_us / 1000;

  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02d.%03d",
                          ms / 60000, (int) ((ms / 1000) % 60), (int) (ms % 1000));
}

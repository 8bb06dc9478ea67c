/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Virtual time for the simulation. Nothing here reads the real clock or
 * sleeps: callbacks are queued at a virtual time in microseconds and run in
 * (time, sequence number) order, so two events at the same instant always run
 * in the order they were scheduled and every run is the same. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MS_TYPE_CLOCK (ms_clock_get_type ())

G_DECLARE_FINAL_TYPE (MsClock, ms_clock, MS, CLOCK, GObject)

typedef void (*MsClockFunc) (gpointer user_data);

MsClock *ms_clock_new            (void);
gint64   ms_clock_get_now_us     (MsClock        *self);
/* Schedules @func at @at_us (clamped to now: the past cannot be changed).
 * Returns an id (never 0) for ms_clock_cancel(). */
guint64  ms_clock_schedule       (MsClock        *self,
                                  gint64          at_us,
                                  MsClockFunc     func,
                                  gpointer        user_data,
                                  GDestroyNotify  destroy);
gboolean ms_clock_cancel         (MsClock        *self,
                                  guint64         id);
guint    ms_clock_get_n_pending  (MsClock        *self);
/* Runs the earliest callback, advancing time to it; FALSE when none is queued. */
gboolean ms_clock_run_one        (MsClock        *self);
/* Runs callbacks until none is left, or @max_events ran (0: no bound).
 * Returns the number of callbacks that ran. */
guint    ms_clock_run_until_idle (MsClock        *self,
                                  guint           max_events);
/* Runs the callbacks due at or before @at_us, then moves the clock to
 * @at_us; later callbacks stay queued. Returns how many ran. */
guint    ms_clock_run_until      (MsClock        *self,
                                  gint64          at_us);
/* How many callbacks have run since the clock was made. The world is
 * deterministic, so a count names one moment of a run in every replay. */
guint64  ms_clock_get_n_events   (MsClock        *self);
/* Makes the clock stand still once @n_events callbacks have run in all
 * (G_MAXUINT64: never): ms_clock_run_one() then returns FALSE as if nothing
 * were queued. The player uses it to stop a step in the middle. */
void     ms_clock_set_event_limit (MsClock       *self,
                                  guint64         n_events);
gboolean ms_clock_get_limit_reached (MsClock     *self);
/* Formats a virtual time as "mm:ss.mmm" (minutes grow past 59). */
char    *ms_clock_format_time    (gint64          time_us);

G_END_DECLS

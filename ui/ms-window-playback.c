/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* Playing: step forward, step back, restart, and the timer that plays
 * the steps one after another, waiting for the stage to be still. */

static gboolean
stages_busy (MsWindow *self)
{
  return ms_stage_get_busy (ms_world_view_get_stage (self->world_view)) ||
         (self->compare && ms_stage_get_busy (ms_world_view_get_stage (self->compare_view)));
}

static void
step_forward (MsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->player == NULL)
    return;
  ms_window_set_error (self, NULL);
  ms_stage_skip (ms_world_view_get_stage (self->world_view));
  ms_stage_skip (ms_world_view_get_stage (self->compare_view));
  /* Lockstep: both worlds take the same step. */
  if (!ms_player_step_forward (self->player, &error) ||
      (self->compare_player != NULL && !ms_player_step_forward (self->compare_player, &error)))
    ms_window_set_error (self, error);
  self->last_step_us = g_get_monotonic_time ();
  ms_window_update_narration (self);
  ms_window_update_actions (self);
}

static gboolean
on_play_tick (gpointer data)
{
  MsWindow *self = data;
  /* A pause after each step to read the narration: longer at slow speed. */
  gint64 pause_us = (gint64) (2.5 * G_USEC_PER_SEC / self->speed);

  if (self->player == NULL ||
      ms_player_get_position (self->player) >= ms_player_get_n_steps (self->player))
    {
      self->play_timer = 0;
      g_object_set (self, "playing", FALSE, NULL);
      return G_SOURCE_REMOVE;
    }
  if (!stages_busy (self) && g_get_monotonic_time () - self->last_step_us >= pause_us)
    step_forward (self);
  return G_SOURCE_CONTINUE;
}

void
ms_window_update_playing (MsWindow *self)
{
  if (self->playing && self->play_timer == 0)
    {
      /* The first step comes at once. */
      self->last_step_us = 0;
      self->play_timer = g_timeout_add (100, on_play_tick, self);
    }
  else if (!self->playing)
    g_clear_handle_id (&self->play_timer, g_source_remove);
  ms_window_update_actions (self);
}

void
ms_window_step_forward_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);

  g_object_set (self, "playing", FALSE, NULL);
  step_forward (self);
}

static void
replay (MsWindow *self,
        gboolean  to_start)
{
  g_autoptr(GError) error = NULL;
  MsPlayer *players[2] = { self->player, self->compare_player };

  g_object_set (self, "playing", FALSE, NULL);
  ms_window_set_error (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (players); i++)
    if (players[i] != NULL &&
        !(to_start ? ms_player_restart (players[i], &error) : ms_player_step_back (players[i], &error)))
      {
        ms_window_set_error (self, error);
        break;
      }
  ms_window_show_worlds (self);
}

void
ms_window_step_back_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  replay (MS_WINDOW (widget), FALSE);
}

void
ms_window_restart_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  replay (MS_WINDOW (widget), TRUE);
}

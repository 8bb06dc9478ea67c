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

typedef gboolean (*PlayerMove) (MsPlayer  *player,
                                GError   **error);

static guint
transcript_length (MsPlayer *player)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ms_world_get_transcript (ms_player_get_world (player))));
}

/* Moves one player. Stepping by exchange replays a new world from the
 * start, and the view follows the replay: going forward it stays quiet
 * through what it showed already and animates the rest; going back it
 * animates nothing. */
static gboolean
move_player (MsPlayer     *player,
             MsWorldView  *view,
             gboolean      forward,
             PlayerMove    move,
             GError      **error)
{
  gboolean ok;

  ms_world_view_set_quiet_until (view, forward ? transcript_length (player) : G_MAXUINT);
  ok = move (player, error);
  ms_world_view_set_quiet_until (view, 0);
  return ok;
}

static gboolean
by_exchange (MsWindow *self)
{
  return g_strcmp0 (self->step_mode, "exchange") == 0;
}

static void
remember (MsWindow *self)
{
  MsPlace place = { { 0 } };
  MsPlayer *players[2] = { self->player, self->compare_player };

  for (guint i = 0; i < 2; i++)
    if (players[i] != NULL)
      {
        place.position[i] = ms_player_get_position (players[i]);
        place.exchange[i] = ms_player_get_exchange (players[i]);
      }
  g_array_append_val (self->history, place);
}

static void
step_forward (MsWindow *self)
{
  g_autoptr(GError) error = NULL;
  MsPlayer *players[2] = { self->player, self->compare_player };
  MsWorldView *views[2] = { self->world_view, self->compare_view };
  gboolean inside = FALSE;

  if (self->player == NULL)
    return;
  ms_window_set_error (self, NULL);
  ms_stage_skip (ms_world_view_get_stage (self->world_view));
  ms_stage_skip (ms_world_view_get_stage (self->compare_view));
  remember (self);
  for (guint i = 0; i < 2; i++)
    inside |= players[i] != NULL && ms_player_get_exchange (players[i]) > 0;
  /* Lockstep: both worlds take the same step. By exchange the two worlds
   * need different numbers of exchanges for one user action: while either
   * is inside a step, only that one goes on, so both start the next user
   * action together. */
  for (guint i = 0; i < 2; i++)
    {
      if (players[i] == NULL)
        continue;
      if (by_exchange (self) && inside && ms_player_get_exchange (players[i]) == 0)
        continue;
      if (ms_player_get_position (players[i]) >= ms_player_get_n_steps (players[i]))
        continue;
      if (!move_player (players[i], views[i], TRUE,
                        by_exchange (self) ? ms_player_exchange_forward : ms_player_step_forward, &error))
        {
          ms_window_set_error (self, error);
          break;
        }
    }
  self->last_step_us = g_get_monotonic_time ();
  ms_window_show_worlds (self);
}

static gboolean
on_play_tick (gpointer data)
{
  MsWindow *self = data;
  /* A pause after each step to read the narration: longer at slow speed. */
  gint64 pause_us = (gint64) (2.5 * G_USEC_PER_SEC / self->speed);

  if (self->player == NULL ||
      (ms_player_get_position (self->player) >= ms_player_get_n_steps (self->player) &&
       (self->compare_player == NULL ||
        ms_player_get_position (self->compare_player) >= ms_player_get_n_steps (self->compare_player))))
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
  MsWorldView *views[2] = { self->world_view, self->compare_view };

  g_object_set (self, "playing", FALSE, NULL);
  ms_window_set_error (self, NULL);
  if (to_start)
    g_array_set_size (self->history, 0);
  /* Two worlds stepped by exchange go back exactly the way they came. */
  if (!to_start && self->compare_player != NULL && by_exchange (self) && self->history->len > 0)
    {
      MsPlace place = g_array_index (self->history, MsPlace, self->history->len - 1);

      g_array_set_size (self->history, self->history->len - 1);
      for (guint i = 0; i < G_N_ELEMENTS (players); i++)
        {
          ms_world_view_set_quiet_until (views[i], G_MAXUINT);
          if (!ms_player_seek (players[i], place.position[i], place.exchange[i], &error))
            ms_window_set_error (self, error);
          ms_world_view_set_quiet_until (views[i], 0);
          if (error != NULL)
            break;
        }
      ms_window_show_worlds (self);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (players); i++)
    if (players[i] != NULL &&
        !(to_start ? ms_player_restart (players[i], &error)
                   : move_player (players[i], views[i], FALSE,
                                  by_exchange (self) ? ms_player_exchange_back : ms_player_step_back, &error)))
      {
        ms_window_set_error (self, error);
        break;
      }
  if (self->history->len > 0)
    g_array_set_size (self->history, self->history->len - 1);
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

void
ms_window_toggle_step_mode_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);

  g_object_set (self, "step-mode", by_exchange (self) ? "action" : "exchange", NULL);
}

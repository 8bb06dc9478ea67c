/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plays a scenario in a world, one step at a time. Stepping back replays
 * the scenario from the start into a new world up to the previous step, so
 * the state after step N is always exactly the state a straight run reaches
 * (the world is deterministic). In compare mode every device is forced to
 * one protocol so that the same user actions run over POP3 and over IMAP. */
#pragma once

#include <glib-object.h>
#include "ms-scenario.h"
#include "ms-world.h"

G_BEGIN_DECLS

typedef struct
{
  guint     step;        /* 1-based */
  guint     index;       /* 0-based within the step */
  char     *key;         /* "assert", "assert-2" … */
  char     *text;
  gboolean  passed;
  char     *detail;
} MsAssertionResult;

#define MS_TYPE_PLAYER (ms_player_get_type ())

G_DECLARE_FINAL_TYPE (MsPlayer, ms_player, MS, PLAYER, GObject)

MsPlayer   *ms_player_new               (MsScenario  *scenario);
/* @protocol_override: "pop3", "imap" or NULL. */
MsPlayer   *ms_player_new_with_protocol (MsScenario  *scenario,
                                         const char  *protocol_override);
MsScenario *ms_player_get_scenario      (MsPlayer    *self);
MsWorld    *ms_player_get_world         (MsPlayer    *self);
const char *ms_player_get_protocol_override (MsPlayer *self);
guint       ms_player_get_n_steps       (MsPlayer    *self);
/* How many steps have run (0 = none). */
guint       ms_player_get_position      (MsPlayer    *self);
/* Sets up the world if needed (mailbox, devices); FALSE if it cannot be
 * built (a bad mailbox path, a protocol session that is not available). */
gboolean    ms_player_prepare           (MsPlayer    *self,
                                         GError     **error);
gboolean    ms_player_step_forward      (MsPlayer    *self,
                                         GError     **error);
/* Replays into a new world up to position - 1 and notifies "world". */
gboolean    ms_player_step_back         (MsPlayer    *self,
                                         GError     **error);
/* A new world before the first step. */
gboolean    ms_player_restart           (MsPlayer    *self,
                                         GError     **error);
gboolean    ms_player_run_to_end        (MsPlayer    *self,
                                         GError     **error);
/* MsAssertionResult*, in the order they were checked, for the steps run so far. */
GPtrArray  *ms_player_get_results       (MsPlayer    *self);
/* The first failed assertion so far, or NULL. */
const MsAssertionResult *ms_player_get_first_failure (MsPlayer *self);

G_END_DECLS

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
/* Every device on @link (an ms_link_parse() spelling) in each world this
 * player builds from now on, replays included; NULL: the scenario's links.
 * The app's link menu; the world already running is not touched. */
void        ms_player_set_link          (MsPlayer    *self,
                                         const char  *link);
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
/* Stepping by exchange (a command and its answer) rather than by user
 * action. Inside a step the world stands still where a straight run would
 * be after that many exchanges: the scenario is replayed from the start and
 * the clock stopped there, so every state is exactly reproducible. */
/* > 0 when step position + 1 stands still after that many exchanges. */
guint       ms_player_get_exchange      (MsPlayer    *self);
/* How many stops step @step (1-based) has inside it (0: one exchange, or
 * none); -1 while not known (the step has not run whole yet). */
int         ms_player_get_n_stops       (MsPlayer    *self,
                                         guint        step);
/* Puts the world at @position steps done and, with @exchange > 0, step
 * @position + 1 stopped after that many exchanges. "world" is notified
 * before that last step runs, so a view sees what it adds. */
gboolean    ms_player_seek              (MsPlayer    *self,
                                         guint        position,
                                         guint        exchange,
                                         GError     **error);
/* One exchange on (into the next step at its end); one exchange back. */
gboolean    ms_player_exchange_forward  (MsPlayer    *self,
                                         GError     **error);
gboolean    ms_player_exchange_back     (MsPlayer    *self,
                                         GError     **error);
/* MsAssertionResult*, in the order they were checked, for the steps run so far. */
GPtrArray  *ms_player_get_results       (MsPlayer    *self);
/* The first failed assertion so far, or NULL. */
const MsAssertionResult *ms_player_get_first_failure (MsPlayer *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-player"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-display-names.h"
#include "ms-link.h"
#include "ms-player.h"
#include "ms-transcript.h"
#include "ms-transcript-display.h"

struct _MsPlayer
{
  GObject     parent_instance;
  MsScenario *scenario;
  char       *protocol_override;
  char       *link_override;
  MsWorld    *world;
  gboolean    prepared;
  guint       position;
  /* > 0: step position + 1 stands still after this many of its exchanges. */
  guint       exchange;
  GPtrArray  *results;   /* MsAssertionResult* */
  /* Per step (index step - 1): GArray of guint64, the clock's event counts
   * at which the step's exchanges end; NULL until the step has run whole.
   * The world is deterministic, so they hold for every replay. */
  GPtrArray  *stops;
};

G_DEFINE_FINAL_TYPE (MsPlayer, ms_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCENARIO,
  PROP_WORLD,
  PROP_N_STEPS,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
result_free (gpointer data)
{
  MsAssertionResult *r = data;

  g_free (r->key);
  g_free (r->text);
  g_free (r->detail);
  g_free (r);
}

static void
ms_player_dispose (GObject *object)
{
  MsPlayer *self = MS_PLAYER (object);

  g_clear_object (&self->world);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (ms_player_parent_class)->dispose (object);
}

static void
ms_player_finalize (GObject *object)
{
  MsPlayer *self = MS_PLAYER (object);

  g_free (self->protocol_override);
  g_free (self->link_override);
  g_ptr_array_unref (self->results);
  g_ptr_array_unref (self->stops);
  G_OBJECT_CLASS (ms_player_parent_class)->finalize (object);
}

static void
ms_player_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MsPlayer *self = MS_PLAYER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_object (value, self->scenario);
      break;
    case PROP_WORLD:
      g_value_set_object (value, self->world);
      break;
    case PROP_N_STEPS:
      g_value_set_uint (value, ms_scenario_get_n_steps (self->scenario));
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_player_class_init (MsPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ms_player_dispose;
  object_class->finalize = ms_player_finalize;
  object_class->get_property = ms_player_get_property;

  properties[PROP_SCENARIO] = g_param_spec_object ("scenario", NULL, NULL, MS_TYPE_SCENARIO, ro);
  properties[PROP_WORLD] = g_param_spec_object ("world", NULL, NULL, MS_TYPE_WORLD, ro);
  properties[PROP_N_STEPS] = g_param_spec_uint ("n-steps", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_player_init (MsPlayer *self)
{
  self->results = g_ptr_array_new_with_free_func (result_free);
  self->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

MsPlayer *
ms_player_new_with_protocol (MsScenario *scenario,
                             const char *protocol_override)
{
  MsPlayer *self;

  g_return_val_if_fail (MS_IS_SCENARIO (scenario), NULL);
  g_return_val_if_fail (protocol_override == NULL || g_str_equal (protocol_override, "pop3") ||
                        g_str_equal (protocol_override, "imap"), NULL);

  self = g_object_new (MS_TYPE_PLAYER, NULL);
  self->scenario = g_object_ref (scenario);
  self->protocol_override = g_strdup (protocol_override);
  self->world = ms_world_new ();
  return self;
}

MsPlayer *
ms_player_new (MsScenario *scenario)
{
  return ms_player_new_with_protocol (scenario, NULL);
}

MsScenario *
ms_player_get_scenario (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), NULL);
  return self->scenario;
}

MsWorld *
ms_player_get_world (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), NULL);
  return self->world;
}

const char *
ms_player_get_protocol_override (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), NULL);
  return self->protocol_override;
}

guint
ms_player_get_n_steps (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), 0);
  return ms_scenario_get_n_steps (self->scenario);
}

guint
ms_player_get_position (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), 0);
  return self->position;
}

GPtrArray *
ms_player_get_results (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), NULL);
  return self->results;
}

const MsAssertionResult *
ms_player_get_first_failure (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), NULL);

  for (guint i = 0; i < self->results->len; i++)
    {
      const MsAssertionResult *r = g_ptr_array_index (self->results, i);

      if (!r->passed)
        return r;
    }
  return NULL;
}

void
ms_player_set_link (MsPlayer   *self,
                    const char *link)
{
  g_return_if_fail (MS_IS_PLAYER (self));

  g_free (self->link_override);
  self->link_override = g_strdup (link);
}

gboolean
ms_player_prepare (MsPlayer  *self,
                   GError   **error)
{
  MsScenario *s;
  g_autoptr(MsLink) default_link = NULL;

  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);

  if (self->prepared)
    return TRUE;

  s = self->scenario;
  if (!ms_world_load_mailbox (self->world, ms_scenario_get_mailbox (s), error))
    return FALSE;
  default_link = ms_link_parse (self->link_override ? self->link_override : ms_scenario_get_link (s), error);
  if (default_link == NULL)
    return FALSE;

  for (guint i = 0; i < ms_scenario_get_n_devices (s); i++)
    {
      const MsScenarioDevice *d = ms_scenario_get_device (s, i);
      g_autoptr(MsLink) link = d->link != NULL && self->link_override == NULL
        ? ms_link_parse (d->link, error) : ms_link_copy (default_link);
      const char *protocol = self->protocol_override != NULL ? self->protocol_override : d->protocol;

      if (link == NULL)
        return FALSE;
      if (ms_world_add_device (self->world, d->name, protocol, d->tls_mode, &d->policy, link,
                               d->server_url, error) == NULL)
        return FALSE;
    }

  {
    g_autofree char *title = g_strdup_printf ("%s: %s", ms_scenario_get_id (s), ms_scenario_get_title (s));

    ms_world_begin_step (self->world, 0, title);
    if (ms_scenario_get_intro (s) != NULL)
      ms_world_narrate (self->world, ms_scenario_get_intro (s),
                        ms_scenario_get_teaching_ids (s), ms_scenario_get_myth_ids (s));
  }
  self->prepared = TRUE;
  return TRUE;
}

/* Watches a step run whole and notes where each exchange ends: just
 * before the clock event in which the client sends a command after it has
 * had an answer. Stopping there shows the command and its answer sent, and
 * the answer on its way or arrived. */
typedef struct
{
  MsClock  *clock;
  gboolean  answered;
  GArray   *stops;
} StopRecorder;

static void
on_step_transcript (GListModel   *transcript,
                    guint         position,
                    guint         removed,
                    guint         added,
                    StopRecorder *recorder)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(MsTranscriptEntry) entry = g_list_model_get_item (transcript, i);
      guint64 at = ms_clock_get_n_events (recorder->clock);

      if (ms_transcript_entry_get_kind (entry) != MS_TRANSCRIPT_CHUNK)
        continue;
      if (ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_CLIENT)
        recorder->answered = TRUE;
      else if (recorder->answered)
        {
          recorder->answered = FALSE;
          if (recorder->stops->len == 0 || g_array_index (recorder->stops, guint64, recorder->stops->len - 1) < at)
            g_array_append_val (recorder->stops, at);
        }
    }
}

/* Runs step position + 1, whole, or with @stop_at until the clock has run
 * that many events in all (the step then stays unfinished: no checks, the
 * position does not move). */
static gboolean
run_step (MsPlayer  *self,
          guint64    stop_at,
          GError   **error)
{
  const MsScenarioStep *step;
  g_autofree char *what = NULL;
  g_autofree char *title = NULL;
  MsClock *clock;
  StopRecorder recorder = { 0 };
  GError *local_error = NULL;
  gulong handler;
  gboolean performed, stopped;
  guint number;

  if (!ms_player_prepare (self, error))
    return FALSE;
  if (self->position >= ms_scenario_get_n_steps (self->scenario))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the scenario is over");
      return FALSE;
    }

  step = ms_scenario_get_step (self->scenario, self->position);
  number = self->position + 1;
  /* In the reader's language, like the narration: exports made from the
   * German app read "Schritt 1 von 4 - Handy: abrufen". In English the
   * scenario's own words stay, which the golden tests pin. */
  what = ms_transcript_display_active () ? ms_step_display_describe (step) : ms_scenario_step_describe (step);
  title = g_strdup_printf (_("Step %u of %u - %s"), number, ms_scenario_get_n_steps (self->scenario), what);
  clock = ms_world_get_clock (self->world);

  recorder.clock = clock;
  recorder.stops = g_array_new (FALSE, FALSE, sizeof (guint64));
  handler = g_signal_connect (ms_world_get_transcript (self->world), "items-changed",
                              G_CALLBACK (on_step_transcript), &recorder);
  ms_clock_set_event_limit (clock, stop_at > 0 ? stop_at : G_MAXUINT64);

  if (step->wait_us > 0)
    ms_world_advance (self->world, step->wait_us);
  ms_world_begin_step (self->world, number, title);
  if (step->narration != NULL)
    ms_world_narrate (self->world, step->narration,
                      (const char * const *) step->teaching_ids,
                      (const char * const *) step->myth_ids);

  performed = ms_world_perform_until (self->world, step->actor, step->action, step->args, step->until, &local_error);
  stopped = stop_at > 0 && ms_clock_get_limit_reached (clock);
  ms_clock_set_event_limit (clock, G_MAXUINT64);
  g_signal_handler_disconnect (ms_world_get_transcript (self->world), handler);

  /* A step written for one protocol may wait for a line the other one never
   * sends (until=RETR 16 in compare mode's IMAP world). The action then ran
   * to its end, which is what that world does; say so instead of failing. */
  if (!performed && self->protocol_override != NULL &&
      g_error_matches (local_error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNTIL_NOT_MET))
    {
      MsPhrase *notice = ms_phrase_new (NC_ ("transcript", "over %s this step does not pause: “%s” never "
                                             "crosses the wire, so the exchange ran to its end"),
                                        ms_phrase_text (self->protocol_override), ms_phrase_text (step->until));

      g_clear_error (&local_error);
      ms_world_add_notice_phrase (self->world, step->actor, notice);
      performed = TRUE;
    }

  /* Stopped in the middle, a step may not have got where it was going yet
   * (until= its line); that is no failure. */
  if (stopped)
    {
      g_clear_error (&local_error);
      g_array_unref (recorder.stops);
      return TRUE;
    }
  if (!performed)
    {
      g_array_unref (recorder.stops);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: step %u (%s): ",
                                  ms_scenario_get_file (self->scenario), number, what);
      return FALSE;
    }

  /* A stop at the very end would show the finished step twice. */
  while (recorder.stops->len > 0 &&
         g_array_index (recorder.stops, guint64, recorder.stops->len - 1) >= ms_clock_get_n_events (clock))
    g_array_set_size (recorder.stops, recorder.stops->len - 1);
  if (self->stops->len < number)
    g_ptr_array_set_size (self->stops, number);
  if (g_ptr_array_index (self->stops, number - 1) == NULL)
    g_ptr_array_index (self->stops, number - 1) = g_array_ref (recorder.stops);
  g_array_unref (recorder.stops);

  for (guint i = 0; i < step->assertions->len; i++)
    {
      MsAssertion *assertion = g_ptr_array_index (step->assertions, i);
      MsAssertionResult *r = g_new0 (MsAssertionResult, 1);
      MsPhrase *detail = NULL;
      MsPhrase *notice;

      r->step = number;
      r->index = i;
      r->key = g_strdup (g_ptr_array_index (step->assertion_keys, i));
      r->text = g_strdup (ms_assertion_get_text (assertion));
      r->passed = ms_assertion_check (assertion, self->world, number, &detail);
      r->detail = ms_phrase_to_english (detail);
      g_ptr_array_add (self->results, r);

      if (r->passed)
        notice = ms_phrase_new (NC_ ("transcript", "check ok: %s (%s)"), ms_phrase_text (r->text), detail);
      else
        notice = ms_phrase_new (NC_ ("transcript", "check FAILED: %s (%s)"), ms_phrase_text (r->text), detail);
      ms_world_add_notice_phrase (self->world, "check", notice);
    }

  self->position = number;
  self->exchange = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return TRUE;
}

gboolean
ms_player_step_forward (MsPlayer  *self,
                        GError   **error)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);

  /* In the middle of a step: the step is run whole in a fresh replay. */
  if (self->exchange > 0)
    return ms_player_seek (self, self->position + 1, 0, error);
  return run_step (self, 0, error);
}

static gboolean
replay_to (MsPlayer  *self,
           guint      target,
           GError   **error)
{
  g_clear_object (&self->world);
  self->world = ms_world_new ();
  self->prepared = FALSE;
  self->position = 0;
  self->exchange = 0;
  g_ptr_array_set_size (self->results, 0);

  if (!ms_player_prepare (self, error))
    goto out;
  while (self->position < target)
    if (!run_step (self, 0, error))
      goto out;

out:
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORLD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return self->position == target && self->prepared;
}

gboolean
ms_player_step_back (MsPlayer  *self,
                     GError   **error)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);
  /* In the middle of a step, back is the start of that step. */
  if (self->exchange > 0)
    return replay_to (self, self->position, error);
  return replay_to (self, self->position > 0 ? self->position - 1 : 0, error);
}

gboolean
ms_player_restart (MsPlayer  *self,
                   GError   **error)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);
  return replay_to (self, 0, error);
}

gboolean
ms_player_run_to_end (MsPlayer  *self,
                      GError   **error)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);

  if (!ms_player_prepare (self, error))
    return FALSE;
  while (self->position < ms_scenario_get_n_steps (self->scenario))
    if (!ms_player_step_forward (self, error))
      return FALSE;
  return TRUE;
}

guint
ms_player_get_exchange (MsPlayer *self)
{
  g_return_val_if_fail (MS_IS_PLAYER (self), 0);
  return self->exchange;
}

int
ms_player_get_n_stops (MsPlayer *self,
                       guint     step)
{
  GArray *stops;

  g_return_val_if_fail (MS_IS_PLAYER (self), -1);

  if (step == 0 || step > self->stops->len)
    return -1;
  stops = g_ptr_array_index (self->stops, step - 1);
  return stops != NULL ? (int) stops->len : -1;
}

/* Runs the whole scenario once in a world nobody sees, to learn where every
 * step's exchanges end. */
static gboolean
learn_stops (MsPlayer  *self,
             guint      step,
             GError   **error)
{
  g_autoptr(MsPlayer) probe = NULL;

  if (ms_player_get_n_stops (self, step) >= 0)
    return TRUE;
  probe = ms_player_new_with_protocol (self->scenario, self->protocol_override);
  ms_player_set_link (probe, self->link_override);
  while (probe->position < step)
    if (!run_step (probe, 0, error))
      return FALSE;
  if (self->stops->len < probe->stops->len)
    g_ptr_array_set_size (self->stops, probe->stops->len);
  for (guint i = 0; i < probe->stops->len; i++)
    if (g_ptr_array_index (self->stops, i) == NULL && g_ptr_array_index (probe->stops, i) != NULL)
      g_ptr_array_index (self->stops, i) = g_array_ref (g_ptr_array_index (probe->stops, i));
  return TRUE;
}

gboolean
ms_player_seek (MsPlayer  *self,
                guint      position,
                guint      exchange,
                GError   **error)
{
  GArray *stops;

  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);
  g_return_val_if_fail (position <= ms_scenario_get_n_steps (self->scenario), FALSE);
  g_return_val_if_fail (exchange == 0 || position < ms_scenario_get_n_steps (self->scenario), FALSE);

  if (exchange > 0)
    {
      if (!learn_stops (self, position + 1, error))
        return FALSE;
      stops = g_ptr_array_index (self->stops, position);
      if (exchange > stops->len)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "step %u has %u stops, not %u", position + 1, stops->len, exchange);
          return FALSE;
        }
    }
  /* The steps before run unseen ("world" is notified after them); the
   * step itself runs in the world a view shows, so that what it adds
   * can travel on screen. */
  if (exchange == 0 && position > 0)
    return replay_to (self, position - 1, error) && run_step (self, 0, error);
  if (!replay_to (self, position, error))
    return FALSE;
  if (exchange > 0)
    {
      stops = g_ptr_array_index (self->stops, position);
      if (!run_step (self, g_array_index (stops, guint64, exchange - 1), error))
        return FALSE;
      self->exchange = exchange;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  return TRUE;
}

gboolean
ms_player_exchange_forward (MsPlayer  *self,
                            GError   **error)
{
  int n_stops;

  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);

  if (self->position >= ms_scenario_get_n_steps (self->scenario))
    return run_step (self, 0, error);
  if (!learn_stops (self, self->position + 1, error))
    return FALSE;
  n_stops = ms_player_get_n_stops (self, self->position + 1);
  if ((int) self->exchange < n_stops)
    return ms_player_seek (self, self->position, self->exchange + 1, error);
  /* The last exchange: the step ends as in a straight run. */
  if (self->exchange == 0)
    return run_step (self, 0, error);
  return ms_player_seek (self, self->position + 1, 0, error);
}

gboolean
ms_player_exchange_back (MsPlayer  *self,
                         GError   **error)
{
  int n_stops;

  g_return_val_if_fail (MS_IS_PLAYER (self), FALSE);

  if (self->exchange > 1)
    return ms_player_seek (self, self->position, self->exchange - 1, error);
  if (self->exchange == 1)
    return replay_to (self, self->position, error);
  if (self->position == 0)
    return replay_to (self, 0, error);
  if (!learn_stops (self, self->position, error))
    return FALSE;
  n_stops = ms_player_get_n_stops (self, self->position);
  if (n_stops > 0)
    return ms_player_seek (self, self->position - 1, n_stops, error);
  return replay_to (self, self->position - 1, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-teaching.h"
#include "ms-window-private.h"

/* The narration strip: the step, what it says, the teaching point and
 * the myth card, and the words for a user's own action. */

void
ms_window_set_narration (MsWindow   *self,
                         const char *step,
                         const char *narration,
                         const char *teaching,
                         const char *myth)
{
  gtk_label_set_text (self->step_label, step ? step : "");
  gtk_widget_set_visible (GTK_WIDGET (self->step_label), step != NULL);
  gtk_label_set_text (self->narration_label, narration ? narration : "");
  gtk_label_set_text (self->teaching_label, teaching ? teaching : "");
  gtk_widget_set_visible (GTK_WIDGET (self->teaching_label), teaching != NULL);
  gtk_label_set_text (self->myth_label, myth ? myth : "");
  gtk_widget_set_visible (self->myth_card, myth != NULL);
}

static char *
teaching_text (const char * const *ids)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const char *title = ms_teaching_title (ids[i]);

      if (title == NULL)
        continue;
      g_string_append_printf (text, "%s%s", text->len ? "  ·  " : _("What this shows: "), title);
    }
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
myth_text (const char * const *ids)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (ms_myth_claim (ids[i]) != NULL)
      return g_strdup_printf ("%s\n%s", ms_myth_claim (ids[i]), ms_myth_truth (ids[i]));
  return NULL;
}

/* The step on screen: the last one done, or the one a world stands inside
 * when stepping by exchange. */
static guint
shown_step (MsWindow *self)
{
  MsPlayer *players[2] = { self->player, self->compare_player };
  guint shown = 0;

  for (guint i = 0; i < 2; i++)
    if (players[i] != NULL)
      shown = MAX (shown, ms_player_get_position (players[i]) + (ms_player_get_exchange (players[i]) > 0));
  return shown;
}

/* "exchange 5 of 37", per world in compare mode; "" at a step's end. */
static char *
exchange_text (MsWindow *self,
               guint     step)
{
  MsPlayer *players[2] = { self->player, self->compare_player };
  const char *names[2] = { N_("POP3 world"), N_("IMAP world") };
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean inside = FALSE;

  for (guint i = 0; i < 2; i++)
    inside |= players[i] != NULL && ms_player_get_exchange (players[i]) > 0;
  if (!inside)
    return g_strdup ("");
  for (guint i = 0; i < 2; i++)
    {
      int n_stops;

      if (players[i] == NULL)
        continue;
      n_stops = ms_player_get_n_stops (players[i], step);
      if (text->len > 0)
        g_string_append (text, " · ");
      if (self->compare_player != NULL)
        g_string_append_printf (text, "%s: ", _(names[i]));
      if (ms_player_get_exchange (players[i]) == 0)
        g_string_append (text, _("done"));
      else
        g_string_append_printf (text, _("exchange %u of %d"), ms_player_get_exchange (players[i]), n_stops + 1);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
ms_window_update_narration (MsWindow *self)
{
  g_autofree char *step_text = NULL;
  g_autofree char *teaching = NULL;
  g_autofree char *myth = NULL;
  g_autofree char *error_text = NULL;
  const char *narration;
  guint position;

  if (self->player == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s%s%s",
                                               _("Alice's mailbox lives on the mail server in the middle. Her laptop uses POP3, her phone uses IMAP. "
                                                 "Press Check on either device and watch what crosses the network."),
                                               self->last_error ? "\n" : "", self->last_error ? self->last_error : "");
      ms_window_set_narration (self, _("Free exploration"), text, NULL, NULL);
      return;
    }

  position = shown_step (self);
  if (position == 0)
    {
      guint n_steps = ms_player_get_n_steps (self->player);

      step_text = g_strdup_printf (ngettext ("%s · %u step · press Play or Next",
                                             "%s · %u steps · press Play or Next", n_steps),
                                   ms_scenario_get_title (self->scenario), n_steps);
      narration = ms_scenario_get_intro (self->scenario);
      if (narration == NULL)
        narration = ms_scenario_get_description (self->scenario);
      teaching = teaching_text (ms_scenario_get_teaching_ids (self->scenario));
      myth = myth_text (ms_scenario_get_myth_ids (self->scenario));
    }
  else
    {
      const MsScenarioStep *step = ms_scenario_get_step (self->scenario, position - 1);
      g_autofree char *what = ms_step_display_describe (step);
      g_autofree char *where = exchange_text (self, position);

      if (where[0] != '\0')
        /* TRANSLATORS: step, steps, where the worlds stand inside the step
         * ("exchange 4 of 37"), what the step does. */
        step_text = g_strdup_printf (_("Step %u of %u · %s · %s"), position, ms_player_get_n_steps (self->player), where, what);
      else
        step_text = g_strdup_printf (_("Step %u of %u · %s"), position, ms_player_get_n_steps (self->player), what);
      narration = step->narration != NULL ? step->narration : what;
      /* A step without its own points shows the scenario's. */
      teaching = teaching_text ((const char * const *) step->teaching_ids);
      if (teaching == NULL)
        teaching = teaching_text (ms_scenario_get_teaching_ids (self->scenario));
      myth = myth_text ((const char * const *) step->myth_ids);
      if (myth == NULL)
        myth = myth_text (ms_scenario_get_myth_ids (self->scenario));
    }
  if (self->last_error != NULL)
    {
      error_text = g_strdup_printf (_("%s\n(This did not work: %s)"), narration ? narration : "", self->last_error);
      narration = error_text;
    }
  ms_window_set_narration (self, step_text, narration, teaching, myth);
}

/* What the user asked for, in the narration strip's words. */
char *
ms_window_describe_user_action (const char *actor,
                                const char *action)
{
  static const struct { const char *action; const char *what; } texts[] = {
    { "check",      N_("check for new mail") },
    { "open",       N_("open a message") },
    { "mark-read",  N_("mark a message as read") },
    { "flag",       N_("flag a message") },
    { "delete",     N_("delete a message") },
    { "search",     N_("search its mail") },
    { "disconnect", N_("log out") },
    { "deliver",    N_("receive a new message from outside") },
    { "drop",       N_("cut a connection") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_has_prefix (action, texts[i].action))
      /* TRANSLATORS: "You asked the Laptop to check for new mail." The first
       * %s is a device ("Laptop", "Phone") or "Server", the second one of
       * the actions above. */
      return g_strdup_printf (_("You asked the %s to %s."), ms_device_display_name (actor), _(texts[i].what));
  return g_strdup_printf (_("%s: %s"), ms_device_display_name (actor), action);
}

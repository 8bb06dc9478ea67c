/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-device.h"
#include "ms-link.h"
#include "ms-window-private.h"

/* The worlds on screen: the players (one per world, two in compare mode)
 * or the free worlds, built again when a choice changes, and the link
 * preset applied to every device. (The scenario menu is in
 * ms-window-menus.c.) */

void
ms_window_show_worlds (MsWindow *self)
{
  MsWorld *top = ms_window_current_world (self);
  MsWorld *bottom = self->compare_player ? ms_player_get_world (self->compare_player) : self->free_compare_world;

  ms_world_view_set_world (self->world_view, top);
  ms_world_view_set_world (self->compare_view, self->compare ? bottom : NULL);
  /* Compare mode: both worlds' lines in one list, with a World column. */
  if (self->compare && top != NULL && bottom != NULL)
    ms_transcript_view_set_models (self->transcript_view,
                                   G_LIST_MODEL (ms_world_get_transcript (top)), _("POP3"),
                                   G_LIST_MODEL (ms_world_get_transcript (bottom)), _("IMAP"));
  else
    ms_transcript_view_set_model (self->transcript_view,
                                  top ? G_LIST_MODEL (ms_world_get_transcript (top)) : NULL);
  ms_window_follow_world_with_real_clients (self);
  ms_window_update_narration (self);
  ms_window_update_actions (self);
}

static void
on_player_world (MsWindow *self)
{
  /* Step back replays into a new world: show it as it is, no animation. */
  ms_window_show_worlds (self);
}

/* Every device of @world on @link (an ms_link_parse() spelling). */
static void
apply_link (MsWorld    *world,
            const char *link)
{
  GListModel *devices = ms_world_get_devices (world);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);
      g_autoptr(GHashTable) args = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;

      g_hash_table_insert (args, (gpointer) "device", (gpointer) ms_device_get_name (device));
      g_hash_table_insert (args, (gpointer) "link", (gpointer) link);
      if (!ms_world_perform (world, "network", "set-link", args, &error))
        g_warning ("%s", error->message);
    }
}

/* The scenario with the user's POP3/IMAP choices applied to its devices. */
static MsScenario *
scenario_with_choices (MsWindow    *self,
                       MsScenario  *scenario,
                       GError     **error)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *data = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize len;

  if (g_hash_table_size (self->protocols) == 0 || ms_scenario_get_file (scenario) == NULL)
    return g_object_ref (scenario);

  file = g_key_file_new ();
  if (!g_key_file_load_from_file (file, ms_scenario_get_file (scenario), G_KEY_FILE_KEEP_COMMENTS, error))
    return NULL;
  g_hash_table_iter_init (&iter, self->protocols);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *group = g_strdup_printf ("device %s", (const char *) key);

      if (g_key_file_has_group (file, group))
        g_key_file_set_string (file, group, "protocol", value);
    }
  data = g_key_file_to_data (file, &len, NULL);
  return ms_scenario_load_from_data (data, len, ms_scenario_get_file (scenario), error);
}

static MsPlayer *
new_player (MsWindow   *self,
            MsScenario *scenario,
            const char *protocol,
            guint       position,
            GError    **error)
{
  g_autoptr(MsPlayer) player = protocol ? ms_player_new_with_protocol (scenario, protocol) : ms_player_new (scenario);

  /* The header's link for the whole run, replays (step back) included,
   * when it is not the scenario's own. */
  if (g_strcmp0 (self->link_preset, ms_scenario_get_link (scenario)) != 0)
    ms_player_set_link (player, self->link_preset);
  if (!ms_player_prepare (player, error))
    return NULL;
  while (ms_player_get_position (player) < position)
    if (!ms_player_step_forward (player, error))
      return NULL;
  g_signal_connect_object (player, "notify::world", G_CALLBACK (on_player_world), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (player, "notify::position", G_CALLBACK (ms_window_update_actions), self, G_CONNECT_SWAPPED);
  return g_steal_pointer (&player);
}

static MsWorld *
new_free_world (MsWindow    *self,
                const char  *force_protocol,
                GError     **error)
{
  static const char *names[2] = { "laptop", "phone" };
  static const char *defaults[2] = { "pop3", "imap" };
  g_autoptr(MsWorld) world = ms_world_new ();
  g_autoptr(MsLink) link = ms_link_new_preset (self->link_preset);
  MsClientPolicy policy;

  if (!ms_world_load_mailbox (world, "sample", error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *chosen = g_hash_table_lookup (self->protocols, names[i]);
      const char *protocol = force_protocol ? force_protocol : chosen ? chosen : defaults[i];

      ms_client_policy_init_defaults (&policy);
      /* Keep copies on the server, as most POP3 clients are set up today. */
      policy.leave_on_server = TRUE;
      /* One device that cannot be made must not take the other with it;
       * the first error is shown. */
      if (ms_world_add_device (world, names[i], protocol, MS_CLIENT_TLS_OFF, &policy,
                               link, NULL, error && *error ? NULL : error) == NULL)
        continue;
    }
  return g_steal_pointer (&world);
}

/* Builds the players (or the free world) again, at @position. */
void
ms_window_reload (MsWindow *self,
                  guint     position)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->player);
  g_clear_object (&self->compare_player);
  g_clear_object (&self->free_world);
  g_clear_object (&self->free_compare_world);
  g_array_set_size (self->history, 0);
  ms_window_set_error (self, NULL);

  if (self->scenario != NULL)
    {
      if (self->compare)
        {
          self->player = new_player (self, self->scenario, "pop3", position, &error);
          if (self->player != NULL)
            self->compare_player = new_player (self, self->scenario, "imap", position, &error);
        }
      else
        {
          g_autoptr(MsScenario) chosen = scenario_with_choices (self, self->scenario, &error);

          if (chosen != NULL)
            self->player = new_player (self, chosen, NULL, position, &error);
        }
    }
  else
    {
      self->free_world = new_free_world (self, self->compare ? "pop3" : NULL, &error);
      if (self->compare && self->free_world != NULL)
        self->free_compare_world = new_free_world (self, "imap", &error);
    }
  if (error != NULL)
    ms_window_set_error (self, error);
  ms_window_show_worlds (self);
}

/* The header shows the link the new scenario's devices use: its own link=,
 * or the user's default for a scenario that does not choose one. */
void
ms_window_show_scenario_link (MsWindow *self)
{
  const char *link = self->scenario != NULL && ms_scenario_has_own_link (self->scenario)
    ? ms_scenario_get_link (self->scenario) : self->default_link;

  self->link_from_scenario = TRUE;
  g_object_set (self, "link-preset", link, NULL);
  self->link_from_scenario = FALSE;
}

void
ms_window_load_scenario (MsWindow   *self,
                         MsScenario *scenario)
{
  g_set_object (&self->scenario, scenario);
  ms_window_show_scenario_link (self);
  g_hash_table_remove_all (self->protocols);
  g_object_set (self, "playing", FALSE, NULL);
  gtk_menu_button_set_label (self->scenario_button, scenario ? ms_scenario_get_title (scenario) : _("Scenario"));
  ms_window_reload (self, 0);
  ms_window_settings_scenario_loaded (self);
}

void
ms_window_load_first_scenario (MsWindow *self)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();
  g_autofree char *last = ms_window_settings_get_last_scenario (self);
  g_autoptr(MsScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;

  /* The one open last time, unless it is gone (a teacher's file moved). */
  if (last != NULL)
    scenario = ms_scenario_load (last, NULL);
  if (scenario == NULL && ids != NULL && ids[0] != NULL)
    {
      scenario = ms_scenario_load (ids[0], &error);
      if (scenario == NULL)
        ms_window_set_error (self, error);
    }
  ms_window_load_scenario (self, scenario);
}

void
ms_window_apply_link_preset (MsWindow *self)
{
  MsWorld *worlds[2] = { ms_window_current_world (self),
                         self->compare_player ? ms_player_get_world (self->compare_player) : self->free_compare_world };

  /* The network can change while the world runs: the next bytes take the
   * new link's time. */
  for (guint w = 0; w < G_N_ELEMENTS (worlds); w++)
    if (worlds[w] != NULL)
      apply_link (worlds[w], self->link_preset);
  /* And a replay (step back) starts on it. */
  if (self->player != NULL)
    ms_player_set_link (self->player, self->link_preset);
  if (self->compare_player != NULL)
    ms_player_set_link (self->compare_player, self->link_preset);
}

void
ms_window_on_entry_selected (MsWindow          *self,
                             MsTranscriptEntry *entry)
{
  /* In compare mode the line may be from the IMAP world below. */
  gboolean below = ms_transcript_view_get_entry_world (self->transcript_view, entry) == 2;
  MsWorldView *view = below ? self->compare_view : self->world_view;
  MsWorldView *other = below ? self->world_view : self->compare_view;
  int side = entry ? ms_world_view_side_for (view, ms_transcript_entry_get_device (entry)) : -1;
  const char * const *lines = entry ? ms_transcript_entry_get_lines (entry) : NULL;

  ms_stage_highlight (ms_world_view_get_stage (other), -1, FALSE, NULL);
  ms_stage_highlight (ms_world_view_get_stage (view), side,
                      entry && ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER,
                      lines && lines[0] ? lines[0] : NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-device.h"
#include "ms-export.h"
#include "ms-link.h"
#include "ms-message-item.h"
#include "ms-player.h"
#include "ms-resources.h"
#include "ms-scenario.h"
#include "ms-teaching.h"
#include "ms-transcript.h"
#include "ms-transcript-view.h"
#include "ms-window.h"
#include "ms-world-view.h"

struct _MsWindow
{
  GtkApplicationWindow  parent_instance;

  /* What is shown: a scenario played by one player (two in compare mode:
   * all POP3 above, all IMAP below), or with no scenario a free world with
   * a laptop and a phone to explore by hand. */
  MsScenario           *scenario;
  MsPlayer             *player;
  MsPlayer             *compare_player;
  MsWorld              *free_world;
  MsWorld              *free_compare_world;
  /* The protocol the user chose per device with the POP3/IMAP switch. */
  GHashTable           *protocols;
  char                 *last_error;
  guint                 play_timer;
  gint64                last_step_us;

  gboolean              playing;
  gboolean              compare;
  gboolean              presentation;
  gboolean              show_inside;
  gboolean              show_transcript;
  gboolean              real_clients;
  double                speed;
  char                 *link_preset;
  char                 *step_mode;

  GtkEventController   *presentation_keys;

  /* template */
  GtkHeaderBar         *header_bar;
  GtkMenuButton        *scenario_button;
  GtkMenuButton        *primary_menu_button;
  GtkMenuButton        *speed_button;
  GtkMenuButton        *link_button;
  GtkToggleButton      *play_button;
  GtkToggleButton      *compare_button;
  GtkWidget            *narration_strip;
  GtkLabel             *step_label;
  GtkLabel             *narration_label;
  GtkLabel             *teaching_label;
  GtkWidget            *myth_card;
  GtkLabel             *myth_label;
  GtkPaned             *main_paned;
  GtkBox               *stage_box;
  MsWorldView          *world_view;
  MsWorldView          *compare_view;
  GtkWidget            *transcript_box;
  MsTranscriptView     *transcript_view;
  GMenu                *builtin_section;
};

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_COMPARE,
  PROP_PRESENTATION,
  PROP_SHOW_INSIDE,
  PROP_SHOW_TRANSCRIPT,
  PROP_REAL_CLIENTS,
  PROP_SPEED,
  PROP_LINK_PRESET,
  PROP_STEP_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsWindow, ms_window, GTK_TYPE_APPLICATION_WINDOW)

static void reload            (MsWindow *self,
                               guint     position);
static void update_playing    (MsWindow *self);
static void apply_link_preset (MsWindow *self);

static const struct {
  const char *id;
  const char *short_label;
} link_presets[] = {
  { "modem-56k", N_("Modem") },
  { "dsl-16m",   N_("DSL") },
  { "fibre-1g",  N_("Fibre") },
};

/* ---- what the window shows ---- */

static void
update_links (MsWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_presets); i++)
    if (g_strcmp0 (link_presets[i].id, self->link_preset) == 0)
      gtk_menu_button_set_label (self->link_button, _(link_presets[i].short_label));
}

static void
update_speed (MsWindow *self)
{
  g_autofree char *label = NULL;

  ms_stage_set_speed (ms_world_view_get_stage (self->world_view), self->speed);
  ms_stage_set_speed (ms_world_view_get_stage (self->compare_view), self->speed);
  label = g_strdup_printf ("%g×", self->speed);
  gtk_menu_button_set_label (self->speed_button, label);
}

static MsWorld *
current_world (MsWindow *self)
{
  if (self->player != NULL)
    return ms_player_get_world (self->player);
  return self->free_world;
}

static guint
current_position (MsWindow *self)
{
  return self->player != NULL ? ms_player_get_position (self->player) : 0;
}

/* Every action's enablement, decided in one place. */
static void
update_actions (MsWindow *self)
{
  gboolean have_player = self->player != NULL;
  guint position = current_position (self);
  guint n_steps = have_player ? ms_player_get_n_steps (self->player) : 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-back", have_player && position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-forward", have_player && position < n_steps);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", have_player && position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playing", have_player && (position < n_steps || self->playing));
  /* Export writes what a player recorded; real clients are not wired yet. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.real-clients", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.perform", current_world (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.set-protocol", !self->compare);
}

static void
set_narration (MsWindow   *self,
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

static void
update_compare (MsWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->compare_view), self->compare);
  ms_world_view_set_compact (self->world_view, self->compare);
  ms_world_view_set_compact (self->compare_view, self->compare);
  if (self->compare)
    {
      ms_world_view_set_caption (self->world_view, _("POP3 world: both devices use POP3"));
      ms_world_view_set_caption (self->compare_view, _("IMAP world: both devices use IMAP"));
    }
  else
    ms_world_view_set_caption (self->world_view, NULL);
}

static void
update_presentation (MsWindow *self)
{
  if (self->presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
      gtk_event_controller_set_propagation_phase (self->presentation_keys, GTK_PHASE_CAPTURE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), TRUE);
      gtk_window_unfullscreen (GTK_WINDOW (self));
      gtk_event_controller_set_propagation_phase (self->presentation_keys, GTK_PHASE_NONE);
    }
}

/* ---- narration ---- */

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

static void
update_narration (MsWindow *self)
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
      set_narration (self, _("Free exploration"), text, NULL, NULL);
      return;
    }

  position = ms_player_get_position (self->player);
  if (position == 0)
    {
      step_text = g_strdup_printf (_("%s · %u steps · press Play or Next"),
                                   ms_scenario_get_title (self->scenario),
                                   ms_player_get_n_steps (self->player));
      narration = ms_scenario_get_intro (self->scenario);
      if (narration == NULL)
        narration = ms_scenario_get_description (self->scenario);
      teaching = teaching_text (ms_scenario_get_teaching_ids (self->scenario));
      myth = myth_text (ms_scenario_get_myth_ids (self->scenario));
    }
  else
    {
      const MsScenarioStep *step = ms_scenario_get_step (self->scenario, position - 1);
      g_autofree char *what = ms_scenario_step_describe (step);

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
  set_narration (self, step_text, narration, teaching, myth);
}

/* ---- worlds on screen ---- */

static void
show_worlds (MsWindow *self)
{
  MsWorld *top = current_world (self);
  MsWorld *bottom = self->compare_player ? ms_player_get_world (self->compare_player) : self->free_compare_world;

  ms_world_view_set_world (self->world_view, top);
  ms_world_view_set_world (self->compare_view, self->compare ? bottom : NULL);
  ms_transcript_view_set_model (self->transcript_view,
                                top ? G_LIST_MODEL (ms_world_get_transcript (top)) : NULL);
  update_narration (self);
  update_actions (self);
}

static void
on_player_world (MsWindow *self)
{
  /* Step back replays into a new world: show it as it is, no animation. */
  show_worlds (self);
}

static void
set_error (MsWindow *self,
           GError   *error)
{
  g_free (self->last_error);
  self->last_error = error ? g_strdup (error->message) : NULL;
  /* Shown in the narration strip; a debug line for whoever runs it. */
  if (error != NULL)
    g_debug ("%s", error->message);
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

  if (!ms_player_prepare (player, error))
    return NULL;
  while (ms_player_get_position (player) < position)
    if (!ms_player_step_forward (player, error))
      return NULL;
  g_signal_connect_object (player, "notify::world", G_CALLBACK (on_player_world), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (player, "notify::position", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
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
static void
reload (MsWindow *self,
        guint     position)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->player);
  g_clear_object (&self->compare_player);
  g_clear_object (&self->free_world);
  g_clear_object (&self->free_compare_world);
  set_error (self, NULL);

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
    set_error (self, error);
  show_worlds (self);
}

static void
load_scenario (MsWindow   *self,
               MsScenario *scenario)
{
  g_set_object (&self->scenario, scenario);
  g_hash_table_remove_all (self->protocols);
  g_object_set (self, "playing", FALSE, NULL);
  gtk_menu_button_set_label (self->scenario_button, scenario ? ms_scenario_get_title (scenario) : _("Scenario"));
  reload (self, 0);
}

static void
load_first_scenario (MsWindow *self)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();
  g_autoptr(MsScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;

  if (ids != NULL && ids[0] != NULL)
    {
      scenario = ms_scenario_load (ids[0], &error);
      if (scenario == NULL)
        set_error (self, error);
    }
  load_scenario (self, scenario);
}

static void
build_scenario_menu (MsWindow *self)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();
  g_autoptr(GHashTable) topics = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
      const char * const *teaching;
      const char *topic = NULL;
      GMenu *submenu;
      g_autoptr(GMenuItem) item = NULL;

      if (scenario == NULL)
        {
          g_warning ("%s", error->message);
          continue;
        }
      teaching = ms_scenario_get_teaching_ids (scenario);
      if (teaching != NULL && teaching[0] != NULL)
        topic = ms_teaching_topic (teaching[0]);
      if (topic == NULL)
        topic = _("More");
      submenu = g_hash_table_lookup (topics, topic);
      if (submenu == NULL)
        {
          submenu = g_menu_new ();
          g_hash_table_insert (topics, (gpointer) topic, submenu);
          g_ptr_array_add (order, (gpointer) topic);
        }
      item = g_menu_item_new (ms_scenario_get_title (scenario), NULL);
      g_menu_item_set_action_and_target (item, "win.load-scenario", "s", ids[i]);
      g_menu_append_item (submenu, item);
    }

  for (guint i = 0; i < order->len; i++)
    {
      GMenu *submenu = g_hash_table_lookup (topics, g_ptr_array_index (order, i));

      g_menu_append_submenu (self->builtin_section, g_ptr_array_index (order, i), G_MENU_MODEL (submenu));
      g_object_unref (submenu);
    }
}

static void
apply_link_preset (MsWindow *self)
{
  MsWorld *worlds[2] = { current_world (self),
                         self->compare_player ? ms_player_get_world (self->compare_player) : self->free_compare_world };

  /* The network can change while the world runs: the next bytes take the
   * new link's time. */
  for (guint w = 0; w < G_N_ELEMENTS (worlds); w++)
    {
      GListModel *devices;

      if (worlds[w] == NULL)
        continue;
      devices = ms_world_get_devices (worlds[w]);
      for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
        {
          g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);
          g_autoptr(GHashTable) args = g_hash_table_new (g_str_hash, g_str_equal);
          g_autoptr(GError) error = NULL;

          g_hash_table_insert (args, (gpointer) "device", (gpointer) ms_device_get_name (device));
          g_hash_table_insert (args, (gpointer) "link", self->link_preset);
          if (!ms_world_perform (worlds[w], "network", "set-link", args, &error))
            g_warning ("%s", error->message);
        }
    }
}

static void
on_entry_selected (MsWindow          *self,
                   MsTranscriptEntry *entry)
{
  MsStage *stage = ms_world_view_get_stage (self->world_view);
  int side = entry ? ms_world_view_side_for (self->world_view, ms_transcript_entry_get_device (entry)) : -1;
  const char * const *lines = entry ? ms_transcript_entry_get_lines (entry) : NULL;

  ms_stage_highlight (stage, side,
                      entry && ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER,
                      lines && lines[0] ? lines[0] : NULL);
}

/* ---- playing ---- */

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
  set_error (self, NULL);
  ms_stage_skip (ms_world_view_get_stage (self->world_view));
  ms_stage_skip (ms_world_view_get_stage (self->compare_view));
  /* Lockstep: both worlds take the same step. */
  if (!ms_player_step_forward (self->player, &error) ||
      (self->compare_player != NULL && !ms_player_step_forward (self->compare_player, &error)))
    set_error (self, error);
  self->last_step_us = g_get_monotonic_time ();
  update_narration (self);
  update_actions (self);
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

static void
update_playing (MsWindow *self)
{
  if (self->playing && self->play_timer == 0)
    {
      /* The first step comes at once. */
      self->last_step_us = 0;
      self->play_timer = g_timeout_add (100, on_play_tick, self);
    }
  else if (!self->playing)
    g_clear_handle_id (&self->play_timer, g_source_remove);
  update_actions (self);
}
/* ---- actions ---- */

static void
step_forward_action (GtkWidget  *widget,
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
  set_error (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (players); i++)
    if (players[i] != NULL &&
        !(to_start ? ms_player_restart (players[i], &error) : ms_player_step_back (players[i], &error)))
      {
        set_error (self, error);
        break;
      }
  show_worlds (self);
}

static void
step_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  replay (MS_WINDOW (widget), FALSE);
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  replay (MS_WINDOW (widget), TRUE);
}

static void
load_scenario_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load (g_variant_get_string (parameter, NULL), &error);

  if (scenario == NULL)
    {
      set_error (self, error);
      update_narration (self);
      return;
    }
  load_scenario (self, scenario);
}

static void
on_scenario_file_chosen (MsWindow             *self,
                         int                   response,
                         GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = path ? ms_scenario_load (path, &error) : NULL;

      if (scenario != NULL)
        load_scenario (self, scenario);
      else
        {
          set_error (self, error);
          update_narration (self);
        }
    }
  g_object_unref (chooser);
}

static void
open_scenario_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Scenario File"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Mailscope scenarios"));
  gtk_file_filter_add_pattern (filter, "*.scenario");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_scenario_file_chosen), widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_file_chosen (MsWindow             *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->player != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      /* The format follows the extension, as for `mailscope run --export`. */
      if (path != NULL && !ms_export_write (self->player, path, &error))
        {
          set_error (self, error);
          update_narration (self);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Transcript"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.html", self->scenario ? ms_scenario_get_id (self->scenario) : "mailscope");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_file_chosen), widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* What the user asked for, in the narration strip's words. */
static char *
describe_user_action (const char *actor,
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
      return g_strdup_printf (_("You asked the %s to %s."), actor, _(texts[i].what));
  return g_strdup_printf (_("%s: %s"), actor, action);
}

static gboolean
perform_in (MsWindow     *self,
            MsWorldView  *view,
            const char   *actor,
            const char   *action,
            GError      **error)
{
  MsWorld *world = ms_world_view_get_world (view);
  g_autoptr(GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_auto(GStrv) parts = g_strsplit (action, " ", 2);
  int side = ms_world_view_side_for (view, actor);

  if (world == NULL)
    return TRUE;

  /* "drop laptop": the network cuts that device's connection now. */
  if (g_str_equal (actor, "network") && parts[1] != NULL)
    g_hash_table_insert (args, (gpointer) "device", g_strdup (parts[1]));
  else if (g_str_equal (actor, "server"))
    g_hash_table_insert (args, (gpointer) "subject", g_strdup (_("Hello from the outside world")));
  else if (side >= 0)
    {
      MsMailboxView *mailbox = ms_device_panel_get_view (ms_world_view_get_panel (view, side));
      MsMessage *selected = ms_mailbox_view_get_selected (mailbox);
      g_autofree char *subject = selected ? ms_message_item_read_header (ms_message_get_raw (selected), "Subject") : NULL;

      /* The message the user picked, found by its subject; else the first. */
      g_hash_table_insert (args, (gpointer) "message", g_strdup (subject ? subject : "#1"));
      if (g_str_equal (parts[0], "search"))
        g_hash_table_insert (args, (gpointer) "argument", g_strdup (subject ? subject : "Invoice"));
    }

  return ms_world_perform (world, actor, parts[0], args, error);
}

static void
perform_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *actor, *action;

  g_variant_get (parameter, "(&s&s)", &actor, &action);
  set_error (self, NULL);
  if (!perform_in (self, self->world_view, actor, action, &error) ||
      (self->compare && !perform_in (self, self->compare_view, actor, action, &error)))
    set_error (self, error);

  text = describe_user_action (actor, action);
  set_narration (self, _("Your own action (the scenario waits)"),
                 self->last_error ? self->last_error : text, NULL, NULL);
}

static void
set_protocol_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);
  const char *actor, *protocol;
  MsWorld *world = current_world (self);
  g_autoptr(MsDevice) device = NULL;

  g_variant_get (parameter, "(&s&s)", &actor, &protocol);
  if (world != NULL)
    device = ms_world_lookup_device (world, actor) ? g_object_ref (ms_world_lookup_device (world, actor)) : NULL;
  if (device != NULL && g_strcmp0 (ms_device_get_protocol (device), protocol) == 0)
    return;
  g_hash_table_insert (self->protocols, g_strdup (actor), g_strdup (protocol));
  /* The same steps again with the device's new mail program. */
  reload (self, current_position (self));
}

static void
toggle_presentation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  MsWindow *self = MS_WINDOW (widget);

  g_object_set (self, "presentation", !self->presentation, NULL);
}

static void
leave_presentation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  g_object_set (widget, "presentation", FALSE, NULL);
}

/* ---- GObject ---- */

static void
ms_window_dispose (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  /* No gtk_widget_dispose_template() here: GtkWindow unparents its own
   * titlebar and child in its dispose, and doing it twice is a critical. */
  g_clear_handle_id (&self->play_timer, g_source_remove);
  g_clear_object (&self->player);
  g_clear_object (&self->compare_player);
  g_clear_object (&self->scenario);
  g_clear_object (&self->free_world);
  g_clear_object (&self->free_compare_world);

  G_OBJECT_CLASS (ms_window_parent_class)->dispose (object);
}

static void
ms_window_finalize (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_free (self->link_preset);
  g_free (self->step_mode);
  g_free (self->last_error);
  g_clear_pointer (&self->protocols, g_hash_table_unref);

  G_OBJECT_CLASS (ms_window_parent_class)->finalize (object);
}

static void
ms_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MsWindow *self = MS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_COMPARE:
      g_value_set_boolean (value, self->compare);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_SHOW_INSIDE:
      g_value_set_boolean (value, self->show_inside);
      break;
    case PROP_SHOW_TRANSCRIPT:
      g_value_set_boolean (value, self->show_transcript);
      break;
    case PROP_REAL_CLIENTS:
      g_value_set_boolean (value, self->real_clients);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_LINK_PRESET:
      g_value_set_string (value, self->link_preset);
      break;
    case PROP_STEP_MODE:
      g_value_set_string (value, self->step_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_boolean (gboolean     *field,
             const GValue *value)
{
  gboolean v = g_value_get_boolean (value);

  if (*field == v)
    return FALSE;
  *field = v;
  return TRUE;
}

static void
ms_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MsWindow *self = MS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (!set_boolean (&self->playing, value))
        return;
      gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                                self->playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
      update_playing (self);
      break;
    case PROP_COMPARE:
      if (!set_boolean (&self->compare, value))
        return;
      update_compare (self);
      reload (self, current_position (self));
      break;
    case PROP_PRESENTATION:
      if (!set_boolean (&self->presentation, value))
        return;
      update_presentation (self);
      break;
    case PROP_SHOW_INSIDE:
      if (!set_boolean (&self->show_inside, value))
        return;
      ms_stage_set_show_inside (ms_world_view_get_stage (self->world_view), self->show_inside);
      ms_stage_set_show_inside (ms_world_view_get_stage (self->compare_view), self->show_inside);
      break;
    case PROP_SHOW_TRANSCRIPT:
      if (!set_boolean (&self->show_transcript, value))
        return;
      gtk_widget_set_visible (self->transcript_box, self->show_transcript);
      break;
    case PROP_REAL_CLIENTS:
      if (!set_boolean (&self->real_clients, value))
        return;
      break;
    case PROP_SPEED:
      if (self->speed == g_value_get_double (value))
        return;
      self->speed = g_value_get_double (value);
      update_speed (self);
      break;
    case PROP_LINK_PRESET:
      if (g_strcmp0 (self->link_preset, g_value_get_string (value)) == 0)
        return;
      g_free (self->link_preset);
      self->link_preset = g_value_dup_string (value);
      update_links (self);
      apply_link_preset (self);
      break;
    case PROP_STEP_MODE:
      if (g_strcmp0 (self->step_mode, g_value_get_string (value)) == 0)
        return;
      g_free (self->step_mode);
      self->step_mode = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
ms_window_class_init (MsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_window_dispose;
  object_class->finalize = ms_window_finalize;
  object_class->get_property = ms_window_get_property;
  object_class->set_property = ms_window_set_property;

#define BOOL_PROP(id, name) \
  properties[id] = g_param_spec_boolean (name, NULL, NULL, FALSE, \
                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  BOOL_PROP (PROP_PLAYING, "playing");
  BOOL_PROP (PROP_COMPARE, "compare");
  BOOL_PROP (PROP_PRESENTATION, "presentation");
  BOOL_PROP (PROP_SHOW_INSIDE, "show-inside");
  BOOL_PROP (PROP_SHOW_TRANSCRIPT, "show-transcript");
  BOOL_PROP (PROP_REAL_CLIENTS, "real-clients");
#undef BOOL_PROP
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.25, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINK_PRESET] =
    g_param_spec_string ("link-preset", NULL, NULL, "dsl-16m",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP_MODE] =
    g_param_spec_string ("step-mode", NULL, NULL, "action",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the resource bundle keeps the linker from dropping it from
   * the static library; its constructor then registers it. */
  g_assert (ms_get_resource () != NULL);

  g_type_ensure (MS_TYPE_WORLD_VIEW);
  g_type_ensure (MS_TYPE_TRANSCRIPT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, scenario_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, speed_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, link_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, narration_strip);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, narration_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, teaching_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, myth_card);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, myth_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, stage_box);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, world_view);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_box);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, builtin_section);

  gtk_widget_class_install_property_action (widget_class, "win.playing", "playing");
  gtk_widget_class_install_property_action (widget_class, "win.compare", "compare");
  gtk_widget_class_install_property_action (widget_class, "win.show-inside", "show-inside");
  gtk_widget_class_install_property_action (widget_class, "win.show-transcript", "show-transcript");
  gtk_widget_class_install_property_action (widget_class, "win.real-clients", "real-clients");
  gtk_widget_class_install_property_action (widget_class, "win.speed", "speed");
  gtk_widget_class_install_property_action (widget_class, "win.link-preset", "link-preset");
  gtk_widget_class_install_property_action (widget_class, "win.step-mode", "step-mode");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_action (widget_class, "win.toggle-presentation", NULL, toggle_presentation_action);
  gtk_widget_class_install_action (widget_class, "win.leave-presentation", NULL, leave_presentation_action);
  gtk_widget_class_install_action (widget_class, "win.step-forward", NULL, step_forward_action);
  gtk_widget_class_install_action (widget_class, "win.step-back", NULL, step_back_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "win.open-scenario", NULL, open_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.load-scenario", "s", load_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "world.perform", "(ss)", perform_action);
  gtk_widget_class_install_action (widget_class, "world.set-protocol", "(ss)", set_protocol_action);

  /* Shortcuts that do not steal keys from lists and buttons. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.step-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.playing", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.restart", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.show-transcript", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-scenario", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.toggle-presentation", NULL);
}

static GtkEventController *
presentation_shortcuts (void)
{
  /* Presentation mode is keyboard only, with bare keys a teacher can hit
   * without looking; they are caught before any focused widget sees them,
   * and only in that mode. */
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space, "win.playing" },
    { GDK_KEY_Right, "win.step-forward" },
    { GDK_KEY_Left, "win.step-back" },
    { GDK_KEY_Home, "win.restart" },
    { GDK_KEY_t, "win.show-transcript" },
    { GDK_KEY_c, "win.compare" },
    { GDK_KEY_Escape, "win.leave-presentation" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_NONE);
  return controller;
}

static void
ms_window_init (MsWindow *self)
{
  self->speed = 1.0;
  self->link_preset = g_strdup ("dsl-16m");
  self->step_mode = g_strdup ("action");
  self->show_transcript = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->presentation_keys = presentation_shortcuts ();
  gtk_widget_add_controller (GTK_WIDGET (self), self->presentation_keys);

  self->protocols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_object (self->transcript_view, "entry-selected", G_CALLBACK (on_entry_selected), self, G_CONNECT_SWAPPED);
  build_scenario_menu (self);
  load_first_scenario (self);

  update_speed (self);
  update_compare (self);
  update_actions (self);
}

MsWindow *
ms_window_new (GtkApplication *application)
{
  return g_object_new (MS_TYPE_WINDOW, "application", application, NULL);
}

GtkWidget *
ms_window_get_stage (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return GTK_WIDGET (ms_world_view_get_stage (self->world_view));
}

const char *
ms_window_get_narration (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->narration_label);
}

guint
ms_window_get_position (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);
  return current_position (self);
}

guint
ms_window_get_n_steps (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);
  return self->player ? ms_player_get_n_steps (self->player) : 0;
}

const char *
ms_window_get_error (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return self->last_error;
}

guint
ms_window_get_server_count (MsWindow *self)
{
  MsWorld *world;

  g_return_val_if_fail (MS_IS_WINDOW (self), 0);
  world = current_world (self);
  return world ? ms_mailbox_get_n_messages (ms_account_get_inbox (ms_world_get_account (world))) : 0;
}

MsTranscriptView *
ms_window_get_transcript_view (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return self->transcript_view;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-resources.h"
#include "ms-window-private.h"

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

static const struct {
  const char *id;
  const char *short_label;
} link_presets[] = {
  { "modem-56k", N_("Modem") },
  { "dsl-16m",   N_("DSL") },
  { "fibre-1g",  N_("Fibre") },
};

static void
update_links (MsWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_presets); i++)
    if (g_strcmp0 (link_presets[i].id, self->link_preset) == 0)
      {
        gtk_menu_button_set_label (self->link_button, _(link_presets[i].short_label));
        return;
      }
  /* A teacher's scenario may spell its own link ("custom:…"). */
  gtk_menu_button_set_label (self->link_button, C_("link", "Custom"));
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

static void
update_step_mode (MsWindow *self)
{
  gboolean exchange = g_strcmp0 (self->step_mode, "exchange") == 0;

  gtk_menu_button_set_label (self->step_mode_button, exchange ? _("By exchange") : _("By action"));
  /* The history of places is kept for stepping back by exchange only. */
  g_array_set_size (self->history, 0);
}

/* The share of the height the stage gets above the transcript pane: the
 * stage is the lesson, the transcript its proof. A drag on the divider
 * sets a new share, which then holds through resizes and mode changes. */
static void
apply_paned_share (MsWindow *self)
{
  int max = 0;

  g_object_get (self->main_paned, "max-position", &max, NULL);
  if (max <= 0)
    return;
  self->paned_max = max;
  self->paned_applying = TRUE;
  /* Two worlds need more of the height than one. */
  gtk_paned_set_position (self->main_paned,
                          (int) (max * MIN (self->paned_share + (self->compare ? 0.08 : 0), 0.92)));
  self->paned_applying = FALSE;
}

static void
on_paned_position (MsWindow *self)
{
  int max = 0;

  g_object_get (self->main_paned, "max-position", &max, NULL);
  /* Ours, or GtkPaned clamping while the window shrinks: not a drag. */
  if (self->paned_applying || max <= 0 || max != self->paned_max)
    return;
  self->paned_share = CLAMP ((double) gtk_paned_get_position (self->main_paned) / max - (self->compare ? 0.08 : 0), 0.2, 0.9);
}

MsWorld *
ms_window_current_world (MsWindow *self)
{
  if (self->player != NULL)
    return ms_player_get_world (self->player);
  return self->free_world;
}

guint
ms_window_current_position (MsWindow *self)
{
  return self->player != NULL ? ms_player_get_position (self->player) : 0;
}

/* Every action's enablement, decided in one place. */
void
ms_window_update_actions (MsWindow *self)
{
  gboolean have_player = self->player != NULL;
  guint position = ms_window_current_position (self);
  guint n_steps = have_player ? ms_player_get_n_steps (self->player) : 0;

  gboolean started = have_player && (position > 0 || ms_player_get_exchange (self->player) > 0 ||
                                     (self->compare_player && ms_player_get_exchange (self->compare_player) > 0));
  /* In compare mode by exchange one world may have finished the last step
   * while the other is still inside it. */
  gboolean more = have_player && (position < n_steps ||
                                  (self->compare_player && ms_player_get_position (self->compare_player) < n_steps));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-back", started);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-forward", more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", started);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playing", more || self->playing);
  /* Export writes what a player recorded (real clients' lines included). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.real-clients",
                                 self->real_clients || ms_window_current_world (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.perform", ms_window_current_world (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.set-protocol", !self->compare);
}

void
ms_window_set_error (MsWindow *self,
                     GError   *error)
{
  g_free (self->last_error);
  self->last_error = error ? g_strdup (error->message) : NULL;
  /* Shown in the narration strip; a debug line for whoever runs it. */
  if (error != NULL)
    g_debug ("%s", error->message);
}

static void
ms_window_dispose (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  /* No gtk_widget_dispose_template() here: GtkWindow unparents its own
   * titlebar and child in its dispose, and doing it twice is a critical. */
  ms_window_settings_dispose (self);
  g_clear_handle_id (&self->play_timer, g_source_remove);
  g_clear_object (&self->player);
  g_clear_object (&self->compare_player);
  g_clear_object (&self->scenario);
  g_clear_object (&self->free_world);
  g_clear_object (&self->free_compare_world);
  if (self->live_server != NULL)
    ms_live_server_stop (self->live_server);
  g_clear_object (&self->live_server);

  G_OBJECT_CLASS (ms_window_parent_class)->dispose (object);
}

static void
ms_window_finalize (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_free (self->link_preset);
  g_free (self->default_link);
  g_free (self->step_mode);
  g_free (self->last_error);
  g_clear_pointer (&self->protocols, g_hash_table_unref);
  g_clear_pointer (&self->history, g_array_unref);

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
      ms_window_update_playing (self);
      break;
    case PROP_COMPARE:
      if (!set_boolean (&self->compare, value))
        return;
      apply_paned_share (self);
      ms_window_update_compare (self);
      ms_window_reload (self, ms_window_current_position (self));
      break;
    case PROP_PRESENTATION:
      if (!set_boolean (&self->presentation, value))
        return;
      ms_window_update_presentation (self);
      break;
    case PROP_SHOW_INSIDE:
      if (!set_boolean (&self->show_inside, value))
        return;
      ms_stage_set_show_inside (ms_world_view_get_stage (self->world_view), self->show_inside);
      ms_stage_set_show_inside (ms_world_view_get_stage (self->compare_view), self->show_inside);
      ms_real_clients_panel_set_show_inside (self->real_clients_panel, self->show_inside);
      break;
    case PROP_SHOW_TRANSCRIPT:
      if (!set_boolean (&self->show_transcript, value))
        return;
      gtk_widget_set_visible (self->transcript_box, self->show_transcript);
      break;
    case PROP_REAL_CLIENTS:
      if (!set_boolean (&self->real_clients, value))
        return;
      ms_window_update_real_clients (self);
      break;
    case PROP_SPEED:
      if (self->speed == g_value_get_double (value))
        return;
      self->speed = g_value_get_double (value);
      update_speed (self);
      break;
    case PROP_LINK_PRESET:
      /* Picking the link the header already shows still makes it the
       * user's choice (and default); a scenario's own link only shows. */
      if (!self->link_from_scenario)
        {
          g_free (self->default_link);
          self->default_link = g_value_dup_string (value);
          ms_window_settings_link_chosen (self);
        }
      if (g_strcmp0 (self->link_preset, g_value_get_string (value)) == 0)
        return;
      g_free (self->link_preset);
      self->link_preset = g_value_dup_string (value);
      update_links (self);
      ms_window_apply_link_preset (self);
      break;
    case PROP_STEP_MODE:
      if (g_strcmp0 (self->step_mode, g_value_get_string (value)) == 0)
        return;
      if (g_strcmp0 (g_value_get_string (value), "action") != 0 &&
          g_strcmp0 (g_value_get_string (value), "exchange") != 0)
        {
          g_warning ("unknown step mode “%s”", g_value_get_string (value));
          return;
        }
      g_free (self->step_mode);
      self->step_mode = g_value_dup_string (value);
      update_step_mode (self);
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
  g_type_ensure (MS_TYPE_REAL_CLIENTS_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, scenario_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, speed_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, step_mode_button);
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
  gtk_widget_class_bind_template_child (widget_class, MsWindow, real_clients_panel);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_box);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, builtin_section);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, scenario_menu);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, step_mode_menu);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, link_menu);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, speed_menu);

  gtk_widget_class_install_property_action (widget_class, "win.playing", "playing");
  gtk_widget_class_install_property_action (widget_class, "win.compare", "compare");
  gtk_widget_class_install_property_action (widget_class, "win.show-inside", "show-inside");
  gtk_widget_class_install_property_action (widget_class, "win.show-transcript", "show-transcript");
  gtk_widget_class_install_property_action (widget_class, "win.real-clients", "real-clients");
  gtk_widget_class_install_property_action (widget_class, "win.speed", "speed");
  gtk_widget_class_install_property_action (widget_class, "win.link-preset", "link-preset");
  gtk_widget_class_install_property_action (widget_class, "win.step-mode", "step-mode");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_action (widget_class, "win.toggle-presentation", NULL, ms_window_toggle_presentation_action);
  gtk_widget_class_install_action (widget_class, "win.leave-presentation", NULL, ms_window_leave_presentation_action);
  gtk_widget_class_install_action (widget_class, "win.step-forward", NULL, ms_window_step_forward_action);
  gtk_widget_class_install_action (widget_class, "win.step-back", NULL, ms_window_step_back_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, ms_window_restart_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-step-mode", NULL, ms_window_toggle_step_mode_action);
  gtk_widget_class_install_action (widget_class, "win.open-scenario", NULL, ms_window_open_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.load-scenario", "s", ms_window_load_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, ms_window_export_action);
  gtk_widget_class_install_action (widget_class, "world.perform", "(ss)", ms_window_perform_action);
  gtk_widget_class_install_action (widget_class, "world.set-protocol", "(ss)", ms_window_set_protocol_action);

}

static void
ms_window_init (MsWindow *self)
{
  self->speed = 1.0;
  self->link_preset = g_strdup ("dsl-16m");
  self->default_link = g_strdup ("dsl-16m");
  self->step_mode = g_strdup ("action");
  self->history = g_array_new (FALSE, FALSE, sizeof (MsPlace));
  self->paned_share = 0.8;
  self->show_transcript = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->main_paned, "notify::max-position", G_CALLBACK (apply_paned_share), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_paned, "notify::position", G_CALLBACK (on_paned_position), self, G_CONNECT_SWAPPED);

  gtk_widget_add_controller (GTK_WIDGET (self), ms_window_shortcuts ());
  ms_window_share_shortcuts (self);
  self->presentation_keys = ms_window_presentation_shortcuts ();
  gtk_widget_add_controller (GTK_WIDGET (self), self->presentation_keys);
  /* Before the first scenario: it may be the one open last time. */
  ms_window_settings_init (self);

  self->protocols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_object (self->transcript_view, "entry-selected", G_CALLBACK (ms_window_on_entry_selected), self, G_CONNECT_SWAPPED);
  ms_window_init_menus (self);
  ms_window_init_help_overlay (self);
  ms_window_load_first_scenario (self);

  update_speed (self);
  ms_window_update_compare (self);
  ms_window_update_actions (self);
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
  return ms_window_current_position (self);
}

guint
ms_window_get_exchange (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);
  return self->player ? ms_player_get_exchange (self->player) : 0;
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
  world = ms_window_current_world (self);
  return world ? ms_mailbox_get_n_messages (ms_account_get_inbox (ms_world_get_account (world))) : 0;
}

MsTranscriptView *
ms_window_get_transcript_view (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return self->transcript_view;
}

const char *
ms_window_get_device_link (MsWindow   *self,
                           const char *device)
{
  MsWorld *world;
  MsDevice *found;

  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  world = ms_window_current_world (self);
  found = world != NULL ? ms_world_lookup_device (world, device) : NULL;
  return found != NULL ? ms_link_get_preset (ms_device_get_link (found)) : NULL;
}

GtkWidget *
ms_window_get_real_clients_panel (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->real_clients_panel);
}

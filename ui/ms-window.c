/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-data-path.h"
#include "ms-resources.h"
#include "ms-store.h"
#include "ms-store-loader.h"
#include "ms-window.h"
#include "ms-world-view.h"

struct _MsWindow
{
  GtkApplicationWindow  parent_instance;

  /* Alice's mail as the server holds it, and each device's own copy. */
  MsStore              *server_store;
  MsStore              *device_stores[2];

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
  GtkScrolledWindow    *transcript_scroller;
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

static const struct {
  const char *id;
  const char *short_label;
  const char *stage_label;
} link_presets[] = {
  { "modem-56k", N_("Modem"), N_("dial-up modem · 56 kbit/s") },
  { "dsl-16m",   N_("DSL"),   N_("DSL · 16 Mbit/s") },
  { "fibre-1g",  N_("Fibre"), N_("fibre · 1 Gbit/s") },
};

/* ---- what the window shows ---- */

static const char *
link_stage_label (MsWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_presets); i++)
    if (g_strcmp0 (link_presets[i].id, self->link_preset) == 0)
      return _(link_presets[i].stage_label);
  return self->link_preset;
}

static void
update_links (MsWindow *self)
{
  MsWorldView *views[2] = { self->world_view, self->compare_view };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      MsStage *stage = ms_world_view_get_stage (views[i]);

      ms_stage_set_link (stage, MS_STAGE_LEFT, link_stage_label (self), FALSE, FALSE);
      ms_stage_set_link (stage, MS_STAGE_RIGHT, link_stage_label (self), FALSE, FALSE);
    }
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

/* Every action's enablement, decided in one place. */
static void
update_actions (MsWindow *self)
{
  /* Stepping needs the simulation's player, which has not landed yet; the
   * store-only world can be looked at but not played. */
  gboolean have_player = FALSE;
  gboolean have_transcript = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-back", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-forward", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playing", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", have_transcript);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.real-clients", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-scenario", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.perform", have_player);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "world.set-protocol", have_player);
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
      for (MsStagePosition side = MS_STAGE_LEFT; side <= MS_STAGE_RIGHT; side += 2)
        {
          ms_device_panel_set_protocol (ms_world_view_get_panel (self->world_view, side), "pop3");
          ms_device_panel_set_protocol (ms_world_view_get_panel (self->compare_view, side), "imap");
        }
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

/* ---- the store-only world: Alice's mailbox on the server ---- */

static MsStore *
new_store (MsStore **out_store)
{
  g_autoptr(GError) error = NULL;
  MsStore *store = ms_store_new ();

  if (ms_store_add_account (store, "alice", "wonderland", &error) == NULL)
    g_warning ("Cannot create the account: %s", error->message);
  *out_store = store;
  return store;
}

static void
load_server_mail (MsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ms_data_path ("mail/sample");
  MsAccount *account = ms_store_lookup_account (self->server_store, "alice");

  if (path == NULL)
    {
      g_warning ("The sample mailbox is missing");
      return;
    }
  if (!ms_store_loader_load (ms_account_get_inbox (account), path, &error))
    g_warning ("Cannot load the sample mailbox: %s", error->message);
}

static void
show_stores (MsWindow    *self,
             MsWorldView *view)
{
  MsAccount *server = ms_store_lookup_account (self->server_store, "alice");
  MsDevicePanel *center = ms_world_view_get_panel (view, MS_STAGE_CENTER);
  MsStagePosition sides[2] = { MS_STAGE_LEFT, MS_STAGE_RIGHT };

  ms_device_panel_set_account (center, server, NULL);
  ms_device_panel_set_status (center, _("Keeps Alice's mailbox · POP3 port 110 · IMAP port 143"));

  for (guint i = 0; i < 2; i++)
    {
      MsDevicePanel *panel = ms_world_view_get_panel (view, sides[i]);
      MsAccount *local = ms_store_lookup_account (self->device_stores[i], "alice");

      ms_device_panel_set_account (panel, local, server);
      ms_device_panel_set_protocol (panel, i == 0 ? "pop3" : "imap");
      ms_device_panel_set_status (panel, _("Has not checked for mail yet"));
    }
}

/* ---- actions ---- */

static void
step_forward_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
}

static void
step_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
}

static void
open_scenario_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
}

static void
perform_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
}

static void
set_protocol_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
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
  g_clear_object (&self->server_store);
  g_clear_object (&self->device_stores[0]);
  g_clear_object (&self->device_stores[1]);

  G_OBJECT_CLASS (ms_window_parent_class)->dispose (object);
}

static void
ms_window_finalize (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_free (self->link_preset);
  g_free (self->step_mode);

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
      break;
    case PROP_COMPARE:
      if (!set_boolean (&self->compare, value))
        return;
      update_compare (self);
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
  gtk_widget_class_bind_template_child (widget_class, MsWindow, transcript_scroller);

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

  new_store (&self->server_store);
  new_store (&self->device_stores[0]);
  new_store (&self->device_stores[1]);
  load_server_mail (self);
  show_stores (self, self->world_view);
  show_stores (self, self->compare_view);

  set_narration (self, NULL,
                 _("Alice's mailbox lives on the mail server in the middle. Her laptop and her phone "
                   "each run a mail program; neither has fetched anything yet."),
                 NULL, NULL);

  update_links (self);
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

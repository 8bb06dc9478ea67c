/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window's files share: the instance struct and the helpers one
 * concern offers the others. ms-window.c holds the type, its properties and
 * its actions' table; the other ms-window-*.c files one concern each. Not
 * installed; only ui/ includes it. */
#pragma once

#include <gtk/gtk.h>

#include "ms-live-server.h"
#include "ms-export.h"
#include "ms-player.h"
#include "ms-real-clients-panel.h"
#include "ms-scenario.h"
#include "ms-transcript-view.h"
#include "ms-window.h"
#include "ms-world-view.h"

G_BEGIN_DECLS

/* Where the players stood before a step forward (compare mode steps
 * back by exchange along this). */
typedef struct
{
  guint position[2];
  guint exchange[2];
} MsPlace;

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
  GArray               *history;   /* MsPlace */
  double                paned_share;
  int                   paned_max;
  gboolean              paned_applying;

  gboolean              playing;
  gboolean              compare;
  gboolean              presentation;
  gboolean              show_inside;
  gboolean              show_transcript;
  gboolean              transcript_put_away;  /* by compare mode, to give back */
  gboolean              real_clients;
  double                speed;
  /* The link in the header, which every world's devices use: the
   * scenario's own link= when it has one, else the user's default; until
   * the user picks another (ms-window-worlds.c). */
  char                 *link_preset;
  char                 *default_link;
  gboolean              link_from_scenario;
  char                 *step_mode;

  GtkEventController   *presentation_keys;
  /* The listeners behind the "Real clients" switch; made on first use. */
  MsLiveServer         *live_server;
  /* NULL when the schema is not installed (ms-window-settings.c). */
  GSettings            *settings;

  /* template */
  GtkHeaderBar         *header_bar;
  GtkMenuButton        *scenario_button;
  GtkMenuButton        *primary_menu_button;
  GtkMenuButton        *speed_button;
  GtkMenuButton        *step_mode_button;
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
  MsRealClientsPanel   *real_clients_panel;
  GtkWidget            *transcript_box;
  MsTranscriptView     *transcript_view;
  GMenu                *builtin_section;
  /* The header's menus, given to their buttons when first opened
   * (ms-window-menus.c, as is the shortcuts window). */
  GMenuModel           *scenario_menu;
  GMenuModel           *step_mode_menu;
  GMenuModel           *primary_menu;
  GMenuModel           *link_menu;
  GMenuModel           *speed_menu;
};

/* ms-window.c */
MsWorld *           ms_window_current_world (MsWindow *self);
guint               ms_window_current_position (MsWindow *self);
void                ms_window_update_actions (MsWindow *self);
void                ms_window_set_error (MsWindow *self,
                                         GError   *error);

/* ms-window-narration.c */
void                ms_window_set_narration (MsWindow   *self,
                                             const char *step,
                                             const char *narration,
                                             const char *teaching,
                                             const char *myth);
void                ms_window_update_narration (MsWindow *self);
char *              ms_window_describe_user_action (const char *actor,
                                                    const char *action);

/* ms-window-worlds.c */
void                ms_window_show_worlds (MsWindow *self);
void                ms_window_reload (MsWindow *self,
                                      guint     position);
void                ms_window_load_scenario (MsWindow   *self,
                                             MsScenario *scenario);
void                ms_window_load_first_scenario (MsWindow *self);
void                ms_window_apply_link_preset (MsWindow *self);
void                ms_window_show_scenario_link (MsWindow *self);
void                ms_window_on_entry_selected (MsWindow          *self,
                                                 MsTranscriptEntry *entry);

/* ms-window-compare.c */
void                ms_window_update_compare (MsWindow *self);

/* ms-window-playback.c */
void                ms_window_update_playing (MsWindow *self);
void                ms_window_step_forward_action (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter);
void                ms_window_step_back_action (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
void                ms_window_toggle_step_mode_action (GtkWidget  *widget,
                                                       const char *action_name,
                                                       GVariant   *parameter);
void                ms_window_restart_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter);

/* ms-window-actions.c */
void                ms_window_load_scenario_action (GtkWidget  *widget,
                                                    const char *action_name,
                                                    GVariant   *parameter);
void                ms_window_open_scenario_action (GtkWidget  *widget,
                                                    const char *action_name,
                                                    GVariant   *parameter);
void                ms_window_export_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);
void                ms_window_perform_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter);
void                ms_window_set_protocol_action (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter);

/* ms-window-real-clients.c */
void                ms_window_update_real_clients (MsWindow *self);
void                ms_window_follow_world_with_real_clients (MsWindow *self);
void                ms_window_make_room_for_real_clients (MsWindow *self);

/* ms-window-presentation.c */
void                ms_window_update_presentation (MsWindow *self);
GtkEventController *ms_window_shortcuts (void);
GtkEventController *ms_window_presentation_shortcuts (void);
void                ms_window_share_shortcuts (MsWindow *self);
void                ms_window_toggle_presentation_action (GtkWidget  *widget,
                                                          const char *action_name,
                                                          GVariant   *parameter);
void                ms_window_leave_presentation_action (GtkWidget  *widget,
                                                         const char *action_name,
                                                         GVariant   *parameter);

/* ms-window-menus.c */
void                ms_window_init_menus (MsWindow *self);
void                ms_window_init_help_overlay (MsWindow *self);

/* ms-window-settings.c */
void                ms_window_settings_init (MsWindow *self);
void                ms_window_settings_dispose (MsWindow *self);
char *              ms_window_settings_get_last_scenario (MsWindow *self);
void                ms_window_settings_scenario_loaded (MsWindow *self);
void                ms_window_settings_link_chosen (MsWindow *self);
void                ms_window_settings_prepare_export (MsWindow       *self,
                                                       GtkFileChooser *chooser);
void                ms_window_settings_exported (MsWindow      *self,
                                                 const char    *path,
                                                 MsExportFlags  flags);

G_END_DECLS

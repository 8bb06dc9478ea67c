/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-real-client-lane"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-command-explanations.h"
#include "ms-display-names.h"
#include "ms-real-client-lane.h"
#include "ms-world-view.h"

/* No .ui template: the cards are the stage's panels, which the stage
 * parents itself (ms_stage_set_panel()), as the world view does. */
struct _MsRealClientLane
{
  GtkWidget     parent_instance;

  MsLiveClient *client;
  MsStage      *stage;
  GtkWidget    *card;
  GtkLabel     *title_label;
  GtkLabel     *detail_label;
  GtkLabel     *status_label;
  GtkLabel     *last_label;
  GtkLabel     *server_label;
  char         *title;
  guint         n_envelopes;
};

G_DEFINE_FINAL_TYPE (MsRealClientLane, ms_real_client_lane, GTK_TYPE_WIDGET)

static GtkLabel *
add_label (GtkWidget  *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
update_card (MsRealClientLane *self)
{
  MsLiveClient *client = self->client;
  g_autofree char *protocol = g_ascii_strup (ms_live_client_get_protocol (client), -1);
  g_autofree char *down = g_format_size (ms_live_client_get_bytes_down (client));
  g_autofree char *up = g_format_size (ms_live_client_get_bytes_up (client));
  g_autofree char *detail = NULL;
  g_autoptr(GString) status = g_string_new (NULL);
  const char *program = ms_live_client_get_program (client);
  gboolean open = ms_live_client_get_open (client);
  gboolean tls = ms_live_client_get_tls (client);

  g_free (self->title);
  /* TRANSLATORS: a real client's lane: program (its address) protocol */
  self->title = g_strdup_printf (_("%s (%s) %s"), program ? program : ms_device_display_name (ms_live_client_get_name (client)),
                                 ms_live_client_get_peer (client), protocol);
  gtk_label_set_text (self->title_label, self->title);

  /* TRANSLATORS: "real client 1 · port 1110 · ↓ 2 kB ↑ 64 bytes" */
  detail = g_strdup_printf (_("%s · port %u · ↓ %s  ↑ %s"), ms_device_display_name (ms_live_client_get_name (client)),
                            ms_live_client_get_server_port (client), down, up);
  gtk_label_set_text (self->detail_label, detail);

  if (open)
    g_string_append (status, _("connected"));
  else
    {
      g_autofree char *why = ms_phrase_to_display (ms_live_client_get_close_reason (client));

      g_string_append_printf (status, _("disconnected: %s"), why);
    }
  if (ms_live_client_get_user (client) != NULL)
    g_string_append_printf (status, _(" · logged in as %s"), ms_live_client_get_user (client));
  if (open)
    g_string_append (status, tls ? _(" · encrypted (TLS)")
                                 : _(" · NOT encrypted: anyone on the path can read it, password included"));
  gtk_label_set_text (self->status_label, status->str);

  /* Greyed once it is over and its last envelopes have landed: curl is
   * gone long before its exchange has been shown. */
  if (open || ms_stage_get_busy (self->stage))
    gtk_widget_remove_css_class (GTK_WIDGET (self), "closed");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "closed");
  ms_stage_set_link (self->stage, MS_STAGE_LEFT, NULL, open, tls);
}

static void
on_entry_added (MsRealClientLane  *self,
                MsTranscriptEntry *entry)
{
  gboolean to_server = ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER;
  const char * const *lines = ms_transcript_entry_get_lines (entry);
  g_autofree char *label = NULL;
  gboolean is_message = FALSE;

  if (ms_transcript_entry_get_kind (entry) != MS_TRANSCRIPT_CHUNK)
    return;
  label = ms_world_view_envelope_label (entry, &is_message);
  if (label == NULL || label[0] == '\0')
    return;
  ms_stage_add_envelope (self->stage, MS_STAGE_LEFT, to_server,
                         is_message || (!to_server && ms_transcript_entry_get_wire_size (entry) > 2000)
                           ? MS_ENVELOPE_MESSAGE : MS_ENVELOPE_COMMAND,
                         label, ms_transcript_entry_get_wire_size (entry),
                         ms_transcript_entry_get_time_us (entry),
                         ms_transcript_entry_get_arrival_us (entry),
                         ms_transcript_entry_get_encrypted (entry));
  self->n_envelopes++;

  /* The card explains the client's last command: the lesson of the lane. */
  if (to_server && lines != NULL && lines[0] != NULL)
    {
      g_autofree char *explained = ms_explain_line (ms_live_client_get_protocol (self->client), TRUE, lines[0]);
      g_autofree char *text = explained ? g_strdup_printf ("%s — %s", lines[0], explained) : g_strdup (lines[0]);

      gtk_label_set_text (self->last_label, text);
    }
}

static void
ms_real_client_lane_dispose (GObject *object)
{
  MsRealClientLane *self = MS_REAL_CLIENT_LANE (object);

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  if (self->stage != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->stage));
  self->stage = NULL;

  G_OBJECT_CLASS (ms_real_client_lane_parent_class)->dispose (object);
}

static void
ms_real_client_lane_finalize (GObject *object)
{
  g_free (MS_REAL_CLIENT_LANE (object)->title);

  G_OBJECT_CLASS (ms_real_client_lane_parent_class)->finalize (object);
}

static void
ms_real_client_lane_class_init (MsRealClientLaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_real_client_lane_dispose;
  object_class->finalize = ms_real_client_lane_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reallane");
}

static void
ms_real_client_lane_init (MsRealClientLane *self)
{
  GtkWidget *server = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->stage = MS_STAGE (ms_stage_new ());
  /* Three lines of text under each link do not fit a lane: the card says
   * whether it is connected and encrypted. */
  ms_stage_set_link_captions (self->stage, FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->stage), GTK_WIDGET (self));

  self->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (self->card, "lane-card");
  self->title_label = add_label (self->card, "panel-title");
  self->detail_label = add_label (self->card, "lane-detail");
  self->status_label = add_label (self->card, "lane-status");
  self->last_label = add_label (self->card, "lane-last");
  gtk_label_set_lines (self->last_label, 3);
  gtk_label_set_ellipsize (self->last_label, PANGO_ELLIPSIZE_END);
  ms_stage_set_panel (self->stage, MS_STAGE_LEFT, self->card);

  gtk_widget_add_css_class (server, "lane-card");
  gtk_widget_add_css_class (server, "server");
  gtk_widget_set_valign (server, GTK_ALIGN_CENTER);
  self->server_label = add_label (server, "lane-detail");
  ms_stage_set_panel (self->stage, MS_STAGE_CENTER, server);
}

GtkWidget *
ms_real_client_lane_new (MsLiveClient *client)
{
  MsRealClientLane *self;
  g_autofree char *protocol = NULL;
  g_autofree char *server = NULL;

  g_return_val_if_fail (MS_IS_LIVE_CLIENT (client), NULL);

  self = g_object_new (MS_TYPE_REAL_CLIENT_LANE, NULL);
  self->client = g_object_ref (client);
  protocol = g_ascii_strup (ms_live_client_get_protocol (client), -1);
  /* TRANSLATORS: the server's end of a real client's lane */
  server = g_strdup_printf (_("The mail server above\n%s on port %u"), protocol,
                            ms_live_client_get_server_port (client));
  gtk_label_set_text (self->server_label, server);
  gtk_label_set_text (self->last_label, _("Waiting for the first command…"));
  g_signal_connect_object (client, "notify", G_CALLBACK (update_card), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "entry-added", G_CALLBACK (on_entry_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stage, "notify::busy", G_CALLBACK (update_card), self, G_CONNECT_SWAPPED);
  update_card (self);
  return GTK_WIDGET (self);
}

MsLiveClient *
ms_real_client_lane_get_client (MsRealClientLane *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENT_LANE (self), NULL);
  return self->client;
}

MsStage *
ms_real_client_lane_get_stage (MsRealClientLane *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENT_LANE (self), NULL);
  return self->stage;
}

const char *
ms_real_client_lane_get_title (MsRealClientLane *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENT_LANE (self), NULL);
  return self->title;
}

guint
ms_real_client_lane_get_n_envelopes (MsRealClientLane *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENT_LANE (self), 0);
  return self->n_envelopes;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-world-view"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-device.h"
#include "ms-link.h"
#include "ms-status-text.h"
#include "ms-teaching.h"
#include "ms-tooltip.h"
#include "ms-transcript.h"
#include "ms-transcript-entry.h"
#include "ms-world-view.h"

struct _MsWorldView
{
  GtkWidget      parent_instance;

  /* Indexed by stage slot: the server at MS_STAGE_CENTER, the world's
   * devices where ms_stage_slot_for_device() puts them. A device's panel
   * is made for it (its name is the panel's actor), NULL when none. */
  MsDevicePanel *panels[MS_STAGE_N_SLOTS];
  MsWorld       *world;
  MsDevice      *devices[MS_STAGE_N_SLOTS];
  MsMailbox     *watched[MS_STAGE_N_SLOTS];  /* the INBOX whose expunges vanish on stage */
  guint          n_seen;        /* transcript entries already shown */
  guint          quiet_until;   /* see ms_world_view_set_quiet_until() */
  guint          n_devices;     /* how many the world has, shown or not */
  gboolean       compact;

  /* template */
  GtkWidget     *box;
  GtkWidget     *caption_box;
  GtkLabel      *caption_label;
  GtkLabel      *counters_label;
  MsStage       *stage;
};

G_DEFINE_FINAL_TYPE (MsWorldView, ms_world_view, GTK_TYPE_WIDGET)

static void unbind (MsWorldView *self);

static void
ms_world_view_dispose (GObject *object)
{
  unbind (MS_WORLD_VIEW (object));
  gtk_widget_dispose_template (GTK_WIDGET (object), MS_TYPE_WORLD_VIEW);

  G_OBJECT_CLASS (ms_world_view_parent_class)->dispose (object);
}

static void
ms_world_view_class_init (MsWorldViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_world_view_dispose;

  g_type_ensure (MS_TYPE_STAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-world-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, box);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, caption_box);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, caption_label);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, counters_label);
  gtk_widget_class_bind_template_child (widget_class, MsWorldView, stage);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "worldview");
}

static void
ms_world_view_init (MsWorldView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The panels belong to the stage, which lays them out around its links;
   * the devices' panels come with a world. */
  self->panels[MS_STAGE_CENTER] = MS_DEVICE_PANEL (ms_device_panel_new ("server"));
  ms_stage_set_panel (self->stage, MS_STAGE_CENTER, GTK_WIDGET (self->panels[MS_STAGE_CENTER]));
}

GtkWidget *
ms_world_view_new (void)
{
  return g_object_new (MS_TYPE_WORLD_VIEW, NULL);
}

MsStage *
ms_world_view_get_stage (MsWorldView *self)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), NULL);
  return self->stage;
}

MsDevicePanel *
ms_world_view_get_panel (MsWorldView     *self,
                         MsStagePosition  position)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), NULL);
  g_return_val_if_fail (position < MS_STAGE_N_SLOTS, NULL);
  return self->panels[position];
}

void
ms_world_view_set_caption (MsWorldView *self,
                           const char  *caption)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));

  gtk_label_set_text (self->caption_label, caption ? caption : "");
  gtk_widget_set_visible (self->caption_box, caption != NULL);
}

void
ms_world_view_set_counters (MsWorldView *self,
                            const char  *counters)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));
  ms_status_text_set (self->counters_label, counters);
}

/* A device shares its column with another one: its panel is compact so
 * that both fit. */
static gboolean
stacked (MsWorldView *self,
         guint        slot)
{
  guint shown = MIN (self->n_devices, MS_STAGE_MAX_DEVICES);
  guint in_column = ms_stage_slot_is_left (slot) ? (shown + 1) / 2 : shown / 2;

  return slot != MS_STAGE_CENTER && in_column > 1;
}

static void
update_compact (MsWorldView *self)
{
  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    if (self->panels[i] != NULL)
      {
        ms_device_panel_set_compact (self->panels[i], self->compact || stacked (self, i));
        /* Compare mode has half the height: two devices in a column fit
         * only without their status lines. */
        ms_device_panel_set_tight (self->panels[i], self->compact && stacked (self, i));
      }
}

void
ms_world_view_set_compact (MsWorldView *self,
                           gboolean     compact)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));

  self->compact = !!compact;
  update_compact (self);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
}

/* ---- following a world ---- */

static MsAccount *
first_account (MsStore *store)
{
  GPtrArray *accounts;

  if (store == NULL)
    return NULL;
  accounts = ms_store_list_accounts (store);
  return accounts != NULL && accounts->len > 0 ? g_ptr_array_index (accounts, 0) : NULL;
}

static void
watch_mailbox (MsWorldView     *self,
               MsStagePosition  position,
               MsMailbox       *mailbox);

static void
update_device (MsWorldView     *self,
               MsStagePosition  side)
{
  MsDevice *device = self->devices[side];
  MsDevicePanel *panel = self->panels[side];
  MsStage *stage = self->stage;
  g_autofree char *link = NULL;
  g_autofree char *down = NULL;
  g_autofree char *up = NULL;
  g_autofree char *status = NULL;
  g_autofree char *protocol = NULL;
  MsAccount *local;
  gboolean tls;

  if (device == NULL || panel == NULL)
    return;

  tls = ms_device_get_tls_mode (device) != MS_CLIENT_TLS_OFF;
  ms_device_panel_set_protocol (panel, ms_device_get_protocol (device));
  ms_device_panel_set_tls (panel, tls);
  local = first_account (ms_device_get_local_store (device));
  ms_device_panel_set_account (panel, local, ms_world_get_account (self->world));
  watch_mailbox (self, side, local ? ms_account_get_inbox (local) : NULL);

  protocol = g_ascii_strup (ms_device_get_protocol (device), -1);
  down = g_format_size (ms_device_get_bytes_down (device));
  up = g_format_size (ms_device_get_bytes_up (device));
  status = g_strdup_printf (ngettext ("%s · %s on port %u · ↓ %s  ↑ %s · %u round trip",
                                      "%s · %s on port %u · ↓ %s  ↑ %s · %u round trips",
                                      ms_device_get_round_trips (device)),
                            !ms_device_get_online (device) ? _("offline")
                            : ms_device_get_connected (device) ? _("connected") : _("not connected"),
                            protocol,
                            ms_device_get_port (device), down, up,
                            ms_device_get_round_trips (device));
  ms_device_panel_set_status (panel, status);

  /* The device's badge says it uses TLS; its link says whether this
   * connection is encrypted yet (a STARTTLS one starts in clear). */
  link = ms_link_describe (ms_device_get_link (device));
  ms_stage_set_link (stage, side, link, ms_device_get_connected (device), ms_device_get_encrypted (device));
}

static void
update_counters (MsWorldView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < MS_STAGE_MAX_DEVICES; i++)
    {
      MsDevice *device = self->devices[ms_stage_slot_for_device (i)];
      g_autofree char *down = NULL;
      g_autofree char *time = NULL;

      if (device == NULL)
        continue;
      down = g_format_size (ms_device_get_bytes_down (device) + ms_device_get_bytes_up (device));
      time = g_strdup_printf ("%.2f s", ms_device_get_busy_us (device) / 1e6);
      if (text->len > 0)
        g_string_append (text, "   ·   ");
      g_string_append_printf (text, ngettext ("%s: %s on the wire, %u round trip, %s busy",
                                              "%s: %s on the wire, %u round trips, %s busy",
                                              ms_device_get_round_trips (device)),
                              ms_device_display_name (ms_device_get_name (device)), down,
                              ms_device_get_round_trips (device), time);
    }
  if (self->n_devices > MS_STAGE_MAX_DEVICES)
    {
      guint more = self->n_devices - MS_STAGE_MAX_DEVICES;
      g_string_append (text, "   ·   ");
      g_string_append_printf (text, ngettext ("%u more device, not on the stage (see the transcript)",
                                              "%u more devices, not on the stage (see the transcript)", more),
                              more);
    }
  {
    g_autofree char *stored = g_format_size (ms_account_get_total_size (ms_world_get_account (self->world)));
    g_string_append_printf (text, _("   ·   server stores %s"), stored);
  }
  ms_status_text_set (self->counters_label, text->str);
}

static void
on_device_notify (MsWorldView *self,
                  GParamSpec  *pspec,
                  MsDevice    *device)
{
  for (guint slot = 0; slot < MS_STAGE_N_SLOTS; slot++)
    if (self->devices[slot] == device)
      update_device (self, slot);
  update_counters (self);
}

/* Gives @slot the panel for @device (made when the one there is for
 * another name), or takes it away. */
static void
set_slot_device (MsWorldView *self,
                 int          slot,
                 MsDevice    *device)
{
  MsDevicePanel *panel = self->panels[slot];
  const char *name = device ? ms_device_get_name (device) : NULL;

  if (self->devices[slot] != device)
    {
      if (self->devices[slot] != NULL)
        g_signal_handlers_disconnect_by_data (self->devices[slot], self);
      g_set_object (&self->devices[slot], device);
      if (device != NULL)
        g_signal_connect_object (device, "notify", G_CALLBACK (on_device_notify), self, G_CONNECT_SWAPPED);
    }

  /* A replayed world (step back) has new devices with the same names: the
   * panels stay, and with them what the viewer selected in them. */
  if (panel != NULL && g_strcmp0 (ms_device_panel_get_actor (panel), name) != 0)
    {
      watch_mailbox (self, slot, NULL);
      ms_stage_set_panel (self->stage, slot, NULL);
      self->panels[slot] = NULL;
    }
  if (name != NULL && self->panels[slot] == NULL)
    {
      self->panels[slot] = MS_DEVICE_PANEL (ms_device_panel_new (name));
      ms_stage_set_panel (self->stage, slot, GTK_WIDGET (self->panels[slot]));
    }
  if (device == NULL)
    ms_stage_set_link (self->stage, slot, NULL, FALSE, FALSE);
}

static void
bind_devices (MsWorldView *self)
{
  GListModel *devices = ms_world_get_devices (self->world);

  self->n_devices = g_list_model_get_n_items (devices);
  /* Past MS_STAGE_MAX_DEVICES a device is not on the stage; the transcript
   * and the counters still have it. */
  for (guint i = 0; i < MS_STAGE_MAX_DEVICES; i++)
    {
      int slot = ms_stage_slot_for_device (i);
      g_autoptr(MsDevice) device = i < self->n_devices ? g_list_model_get_item (devices, i) : NULL;

      set_slot_device (self, slot, device);
      update_device (self, slot);
    }
  update_compact (self);
  update_counters (self);
}

char *
ms_world_view_envelope_label (MsTranscriptEntry *entry,
                              gboolean          *is_message)
{
  const char * const *lines = ms_transcript_entry_get_lines (entry);
  guint n = lines ? g_strv_length ((char **) lines) : 0;
  GString *label = g_string_new (n > 0 ? lines[0] : ms_transcript_entry_get_command (entry));

  *is_message = FALSE;
  for (guint i = 0; i < n; i++)
    /* An IMAP literal "{N bytes}" or the message of a RETR, TOP or DATA. */
    if (strstr (lines[i], " bytes}") != NULL || strstr (lines[i], " bytes of message data") != NULL)
      *is_message = TRUE;
  if (label->len > 48)
    {
      g_string_truncate (label, 46);
      g_string_append (label, "…");
    }
  if (n > 1)
    g_string_append_printf (label, ngettext ("  +%u line", "  +%u lines", n - 1), n - 1);
  return g_string_free (label, FALSE);
}

static void
animate_entry (MsWorldView       *self,
               MsTranscriptEntry *entry)
{
  int side = ms_world_view_side_for (self, ms_transcript_entry_get_device (entry));
  gboolean to_server = ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER;
  g_autofree char *label = NULL;
  gboolean is_message = FALSE;

  if (side < 0)
    return;

  switch (ms_transcript_entry_get_kind (entry))
    {
    case MS_TRANSCRIPT_CHUNK:
      label = ms_world_view_envelope_label (entry, &is_message);
      if (label == NULL || label[0] == '\0')
        return;
      ms_stage_add_envelope (self->stage, side, to_server,
                             is_message || (!to_server && ms_transcript_entry_get_wire_size (entry) > 2000)
                               ? MS_ENVELOPE_MESSAGE : MS_ENVELOPE_COMMAND,
                             label, ms_transcript_entry_get_wire_size (entry),
                             ms_transcript_entry_get_time_us (entry),
                             ms_transcript_entry_get_arrival_us (entry),
                             ms_transcript_entry_get_encrypted (entry));
      break;
    case MS_TRANSCRIPT_TLS_RECORD:
      /* Application data already travels as the chunk it carries. */
      if (g_strcmp0 (ms_transcript_entry_get_tls_record_type (entry), "application_data") == 0)
        return;
      label = g_strdup_printf ("TLS %s", ms_transcript_entry_get_tls_handshake (entry)
                                           ? ms_transcript_entry_get_tls_handshake (entry)
                                           : ms_transcript_entry_get_tls_record_type (entry));
      ms_stage_add_envelope (self->stage, side, to_server, MS_ENVELOPE_TLS, label,
                             ms_transcript_entry_get_wire_size (entry),
                             ms_transcript_entry_get_time_us (entry),
                             ms_transcript_entry_get_arrival_us (entry), FALSE);
      break;
    default:
      break;
    }
}

static void
on_transcript_changed (MsWorldView *self,
                       guint        position,
                       guint        removed,
                       guint        added,
                       GListModel  *transcript)
{
  guint n = g_list_model_get_n_items (transcript);

  for (guint i = MAX (MAX (self->n_seen, position), self->quiet_until); i < n; i++)
    {
      g_autoptr(MsTranscriptEntry) entry = g_list_model_get_item (transcript, i);
      animate_entry (self, entry);
    }
  self->n_seen = n;
}

static void
on_message_expunged (MsWorldView *self,
                     guint        uid,
                     guint        index,
                     MsMailbox   *mailbox)
{
  g_autofree char *label = NULL;

  if (self->world == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (ms_world_get_transcript (self->world))) < self->quiet_until)
    return;
  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    if (self->watched[i] == mailbox)
      {
        label = g_strdup_printf (_("message %u deleted"), uid);
        ms_stage_add_vanish (self->stage, i, label);
      }
}

static void
watch_mailbox (MsWorldView     *self,
               MsStagePosition  position,
               MsMailbox       *mailbox)
{
  if (self->watched[position] == mailbox)
    return;
  if (self->watched[position] != NULL)
    g_signal_handlers_disconnect_by_func (self->watched[position], on_message_expunged, self);
  g_set_object (&self->watched[position], mailbox);
  if (mailbox != NULL)
    g_signal_connect_object (mailbox, "message-expunged", G_CALLBACK (on_message_expunged), self, G_CONNECT_SWAPPED);
}

static void
unbind (MsWorldView *self)
{
  for (guint i = 0; i < MS_STAGE_N_SLOTS; i++)
    {
      if (self->devices[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->devices[i], self);
      g_clear_object (&self->devices[i]);
      watch_mailbox (self, i, NULL);
    }
  if (self->world != NULL)
    {
      g_signal_handlers_disconnect_by_data (ms_world_get_transcript (self->world), self);
      g_signal_handlers_disconnect_by_data (ms_world_get_devices (self->world), self);
    }
  g_clear_object (&self->world);
}

void
ms_world_view_set_world (MsWorldView *self,
                         MsWorld     *world)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));
  g_return_if_fail (world == NULL || MS_IS_WORLD (world));

  if (self->world == world)
    return;

  unbind (self);
  ms_stage_clear (self->stage);
  if (world == NULL)
    return;

  self->world = g_object_ref (world);
  self->n_seen = g_list_model_get_n_items (G_LIST_MODEL (ms_world_get_transcript (world)));
  g_signal_connect_object (ms_world_get_transcript (world), "items-changed",
                           G_CALLBACK (on_transcript_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ms_world_get_devices (world), "items-changed",
                           G_CALLBACK (bind_devices), self, G_CONNECT_SWAPPED);

  ms_device_panel_set_account (self->panels[MS_STAGE_CENTER], ms_world_get_account (world), NULL);
  ms_device_panel_set_status (self->panels[MS_STAGE_CENTER],
                              _("Alice's mailbox · POP3 on port 110 (995 with TLS) · IMAP on port 143 (993 with TLS)"));
  watch_mailbox (self, MS_STAGE_CENTER, ms_account_get_inbox (ms_world_get_account (world)));
  bind_devices (self);
}

MsWorld *
ms_world_view_get_world (MsWorldView *self)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), NULL);
  return self->world;
}

void
ms_world_view_set_quiet_until (MsWorldView *self,
                               guint        n)
{
  g_return_if_fail (MS_IS_WORLD_VIEW (self));
  self->quiet_until = n;
}

int
ms_world_view_side_for (MsWorldView *self,
                        const char  *device)
{
  g_return_val_if_fail (MS_IS_WORLD_VIEW (self), -1);

  if (device == NULL)
    return -1;
  for (guint slot = 0; slot < MS_STAGE_N_SLOTS; slot++)
    if (self->devices[slot] != NULL && g_str_equal (ms_device_get_name (self->devices[slot]), device))
      return slot;
  return -1;
}

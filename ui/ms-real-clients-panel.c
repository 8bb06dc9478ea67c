/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-real-clients-panel"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-account.h"
#include "ms-real-clients-panel.h"

/* How long a finished client's lane stays, greyed, once its envelopes have
 * landed. */
#define LANE_LINGER_S 30
/* Lanes at most; a client beyond them is only in the transcript. */
#define MAX_LANES     3

struct _MsRealClientsPanel
{
  GtkWidget     parent_instance;

  MsLiveServer *server;
  GPtrArray    *lanes;        /* MsRealClientLane, oldest first */
  guint         n_unshown;    /* open clients without a lane */
  gboolean      show_inside;

  /* template */
  GtkWidget    *box;
  GtkLabel     *ports_label;
  GtkLabel     *problem_label;
  GtkLabel     *hint_label;
  GtkBox       *lanes_box;
  GtkLabel     *more_label;
};

G_DEFINE_FINAL_TYPE (MsRealClientsPanel, ms_real_clients_panel, GTK_TYPE_WIDGET)

static const char *
listener_label (const char *name)
{
  if (g_str_equal (name, "pop3"))
    return _("POP3");
  if (g_str_equal (name, "imap"))
    return _("IMAP");
  if (g_str_equal (name, "pop3s"))
    return _("POP3 over TLS");
  return _("IMAP over TLS");
}

static void
update_strip (MsRealClientsPanel *self)
{
  g_autoptr(GString) ports = g_string_new (NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *hint = NULL;
  MsWorld *world = ms_live_server_get_world (self->server);
  MsAccount *account = world ? ms_world_get_account (world) : NULL;
  guint16 pop3 = ms_live_server_lookup_port (self->server, "pop3");
  guint16 imap = ms_live_server_lookup_port (self->server, "imap");

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    {
      const char *name = ms_live_server_get_name (self->server, i);
      guint16 port = ms_live_server_get_port (self->server, i);
      const char *problem = ms_live_server_get_problem (self->server, i);

      if (port != 0)
        {
          if (ports->len > 0)
            g_string_append (ports, " · ");
          /* TRANSLATORS: "POP3 1110": a protocol and its port */
          g_string_append_printf (ports, _("%s %u"), listener_label (name), port);
        }
      if (problem == NULL)
        continue;
      if (problems->len > 0)
        g_string_append_c (problems, '\n');
      if (port != 0)
        g_string_append_printf (problems, _("⚠ Port %u is busy (%s): %s listens on port %u instead."),
                                ms_live_server_get_wanted_port (self->server, i), problem,
                                listener_label (name), port);
      else
        g_string_append_printf (problems, _("⚠ %s is not available: %s"), listener_label (name), problem);
    }
  if (ports->len > 0)
    g_string_prepend (ports, _("on 127.0.0.1: "));
  if (account != NULL)
    g_string_append_printf (ports, _(" · log in as %s, password %s"),
                            ms_account_get_name (account), ms_account_get_password (account));
  gtk_label_set_text (self->ports_label, ports->str);
  gtk_label_set_text (self->problem_label, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problems->len > 0);

  /* TRANSLATORS: the first port is POP3's, the second IMAP's */
  hint = g_strdup_printf (_("Try it: curl -s pop3://127.0.0.1:%u/1 -u %s:%s   ·   or a mail program "
                            "(Thunderbird) with server 127.0.0.1, IMAP port %u, no encryption"),
                          pop3, account ? ms_account_get_name (account) : "alice",
                          account ? ms_account_get_password (account) : "wonderland", imap);
  gtk_label_set_text (self->hint_label, hint);
  /* The hint is for before the first client; then the lanes need the room. */
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), self->lanes->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self), ms_live_server_get_running (self->server));
}

static void
update_more (MsRealClientsPanel *self)
{
  g_autofree char *text = NULL;

  if (self->n_unshown > 0)
    text = g_strdup_printf (ngettext ("%u more real client is connected; its lines are in the transcript.",
                                      "%u more real clients are connected; their lines are in the transcript.",
                                      self->n_unshown), self->n_unshown);
  gtk_label_set_text (self->more_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), text != NULL);
}

static void
remove_lane (MsRealClientsPanel *self,
             MsRealClientLane   *lane)
{
  g_object_set_data (G_OBJECT (lane), "ms-linger", NULL);
  g_ptr_array_remove (self->lanes, lane);
  gtk_box_remove (self->lanes_box, GTK_WIDGET (lane));
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), self->lanes->len == 0);
}

static gboolean
linger_done (gpointer data)
{
  MsRealClientLane *lane = data;
  MsRealClientsPanel *self = g_object_get_data (G_OBJECT (lane), "ms-panel");

  /* Not while its last envelopes still travel (a slow or stepped stage). */
  if (ms_stage_get_busy (ms_real_client_lane_get_stage (lane)))
    return G_SOURCE_CONTINUE;
  g_object_steal_data (G_OBJECT (lane), "ms-linger");
  remove_lane (self, lane);
  return G_SOURCE_REMOVE;
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static void
on_client_open (MsRealClientLane *lane)
{
  guint id;

  if (ms_live_client_get_open (ms_real_client_lane_get_client (lane)) ||
      g_object_get_data (G_OBJECT (lane), "ms-linger") != NULL)
    return;
  id = g_timeout_add_seconds (LANE_LINGER_S, linger_done, lane);
  g_object_set_data_full (G_OBJECT (lane), "ms-linger", GUINT_TO_POINTER (id), remove_source);
}

static void
on_unshown_open (MsRealClientsPanel *self,
                 GParamSpec         *pspec,
                 MsLiveClient       *client)
{
  if (ms_live_client_get_open (client))
    return;
  g_signal_handlers_disconnect_by_func (client, on_unshown_open, self);
  self->n_unshown--;
  update_more (self);
}

static void
on_client_added (MsRealClientsPanel *self,
                 MsLiveClient       *client)
{
  GtkWidget *lane;

  /* Make room: the oldest finished lane goes first. */
  for (guint i = 0; self->lanes->len >= MAX_LANES && i < self->lanes->len; i++)
    {
      MsRealClientLane *old = g_ptr_array_index (self->lanes, i);

      if (!ms_live_client_get_open (ms_real_client_lane_get_client (old)))
        {
          remove_lane (self, old);
          break;
        }
    }
  if (self->lanes->len >= MAX_LANES)
    {
      self->n_unshown++;
      g_signal_connect_object (client, "notify::open", G_CALLBACK (on_unshown_open), self, G_CONNECT_SWAPPED);
      update_more (self);
      return;
    }
  lane = ms_real_client_lane_new (client);
  g_object_set_data (G_OBJECT (lane), "ms-panel", self);
  ms_stage_set_show_inside (ms_real_client_lane_get_stage (MS_REAL_CLIENT_LANE (lane)), self->show_inside);
  g_signal_connect_object (client, "notify::open", G_CALLBACK (on_client_open), lane, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->lanes, lane);
  gtk_box_append (self->lanes_box, lane);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
}

static void
unbind (MsRealClientsPanel *self)
{
  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
  while (self->lanes->len > 0)
    remove_lane (self, g_ptr_array_index (self->lanes, self->lanes->len - 1));
  self->n_unshown = 0;
}

static void
ms_real_clients_panel_dispose (GObject *object)
{
  MsRealClientsPanel *self = MS_REAL_CLIENTS_PANEL (object);

  unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), MS_TYPE_REAL_CLIENTS_PANEL);

  G_OBJECT_CLASS (ms_real_clients_panel_parent_class)->dispose (object);
}

static void
ms_real_clients_panel_finalize (GObject *object)
{
  g_ptr_array_unref (MS_REAL_CLIENTS_PANEL (object)->lanes);

  G_OBJECT_CLASS (ms_real_clients_panel_parent_class)->finalize (object);
}

static void
ms_real_clients_panel_class_init (MsRealClientsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_real_clients_panel_dispose;
  object_class->finalize = ms_real_clients_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mailscope/Mailscope/ui/ms-real-clients-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, box);
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, ports_label);
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, hint_label);
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, lanes_box);
  gtk_widget_class_bind_template_child (widget_class, MsRealClientsPanel, more_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "realclients");
}

static void
ms_real_clients_panel_init (MsRealClientsPanel *self)
{
  /* The lanes are the box's children; this array only orders them. */
  self->lanes = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ms_real_clients_panel_new (void)
{
  return g_object_new (MS_TYPE_REAL_CLIENTS_PANEL, NULL);
}

void
ms_real_clients_panel_set_server (MsRealClientsPanel *self,
                                  MsLiveServer       *server)
{
  g_return_if_fail (MS_IS_REAL_CLIENTS_PANEL (self));
  g_return_if_fail (server == NULL || MS_IS_LIVE_SERVER (server));

  if (self->server == server)
    return;
  unbind (self);
  if (server == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  self->server = g_object_ref (server);
  g_signal_connect_object (server, "notify::running", G_CALLBACK (update_strip), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (server, "notify::ports", G_CALLBACK (update_strip), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (server, "client-added", G_CALLBACK (on_client_added), self, G_CONNECT_SWAPPED);
  update_strip (self);
}

MsLiveServer *
ms_real_clients_panel_get_server (MsRealClientsPanel *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENTS_PANEL (self), NULL);
  return self->server;
}

guint
ms_real_clients_panel_get_n_lanes (MsRealClientsPanel *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENTS_PANEL (self), 0);
  return self->lanes->len;
}

MsRealClientLane *
ms_real_clients_panel_get_lane (MsRealClientsPanel *self,
                                guint               i)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENTS_PANEL (self), NULL);
  g_return_val_if_fail (i < self->lanes->len, NULL);
  return g_ptr_array_index (self->lanes, i);
}

char *
ms_real_clients_panel_dup_status (MsRealClientsPanel *self)
{
  g_return_val_if_fail (MS_IS_REAL_CLIENTS_PANEL (self), NULL);
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->ports_label),
                          gtk_label_get_text (self->problem_label));
}

void
ms_real_clients_panel_set_show_inside (MsRealClientsPanel *self,
                                       gboolean            show_inside)
{
  g_return_if_fail (MS_IS_REAL_CLIENTS_PANEL (self));

  self->show_inside = show_inside;
  for (guint i = 0; i < self->lanes->len; i++)
    ms_stage_set_show_inside (ms_real_client_lane_get_stage (g_ptr_array_index (self->lanes, i)), show_inside);
}

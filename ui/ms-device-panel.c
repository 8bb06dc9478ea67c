/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-device-panel"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-device-panel.h"
#include "ms-status-text.h"
#include "ms-teaching.h"
#include "ms-tooltip.h"

struct _MsDevicePanel
{
  GtkWidget        parent_instance;

  char            *actor;
  char            *protocol;
  gboolean         updating;
  gboolean         tight;

  /* template */
  GtkWidget       *box;
  GtkBox          *header_box;
  GtkWidget       *cut_icon;        /* NULL on the server's panel */
  GtkImage        *icon;
  GtkLabel        *title_label;
  GtkLabel        *status_label;
  GtkWidget       *padlock_label;
  GtkWidget       *protocol_switch;
  GtkToggleButton *pop3_button;
  GtkToggleButton *imap_button;
  MsMailboxView   *view;
  GtkFlowBox      *actions_box;
};

enum {
  PROP_0,
  PROP_ACTOR,
  PROP_PROTOCOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsDevicePanel, ms_device_panel, GTK_TYPE_WIDGET)

typedef struct
{
  const char *actor;     /* NULL: the panel's own */
  const char *action;    /* the name ms_world_perform() takes */
  const char *label;
  const char *tooltip;
} ActionButton;

/* What a person does with a mail program; each becomes different traffic
 * for POP3 and IMAP, which is the point of pressing them. */
static const ActionButton device_actions[] = {
  { NULL, "check",      N_("Check"),     N_("Check for new mail") },
  { NULL, "open",       N_("Open"),      N_("Open the selected message") },
  { NULL, "mark-read",  N_("Mark read"), N_("Mark the selected message as read") },
  { NULL, "flag",       N_("Flag"),      N_("Flag (star) the selected message") },
  { NULL, "delete",     N_("Delete"),    N_("Delete the selected message") },
  { NULL, "search",     N_("Search"),    N_("Search for a word") },
  { NULL, "disconnect", N_("Log out"),   N_("Close the connection (QUIT / LOGOUT)") },
};

/* Cutting a device's line is on the device's own panel (see
 * add_cut_button()), so that every device has one, however many. */
static const ActionButton server_actions[] = {
  { NULL,      "deliver",     N_("Deliver new mail"), N_("A new message arrives at the server from the outside world") },
};

static void
add_buttons (MsDevicePanel      *self,
             const ActionButton *buttons,
             guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(buttons[i].label));

      ms_tooltip_set_text (button, _(buttons[i].tooltip));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "world.perform");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)",
                                        buttons[i].actor ? buttons[i].actor : self->actor, buttons[i].action);
      gtk_flow_box_append (self->actions_box, button);
    }
}

/* The network's action on this device: a "Cut line" button among the
 * others, and a small scissors button in the header that takes its place
 * when the panel is compact (stacked devices, compare mode) and the other
 * buttons go; the header has no room for it next to the POP3/IMAP switch. */
static GtkWidget *
make_cut_button (MsDevicePanel *self,
                 gboolean       icon)
{
  GtkWidget *button = icon ? gtk_button_new_from_icon_name ("edit-cut-symbolic")
                           : gtk_button_new_with_label (_("Cut line"));
  g_autofree char *action = g_strdup_printf ("drop %s", self->actor);
  const char *name = ms_device_display_name (self->actor);
  /* Translators: %s is a device ("laptop", "tablet"); the name of a button. */
  g_autofree char *label = g_strdup_printf (_("Cut %s's line"), name);
  /* Translators: %s is a device ("laptop", "tablet"). */
  g_autofree char *tooltip = g_strdup_printf (_("Cut %s's line: the network drops its connection in the middle "
                                                "of whatever it is doing"), name);

  ms_tooltip_set_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "cut-line");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "world.perform");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", "network", action);
  if (icon)
    {
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_visible (button, FALSE);
      gtk_box_append (self->header_box, button);
    }
  else
    gtk_flow_box_append (self->actions_box, button);
  return button;
}

static gboolean
is_server (MsDevicePanel *self)
{
  return g_strcmp0 (self->actor, "server") == 0;
}

static void
update_header (MsDevicePanel *self)
{
  g_autofree char *title = NULL;

  if (is_server (self))
    {
      gtk_image_set_from_icon_name (self->icon, "network-server-symbolic");
      gtk_label_set_text (self->title_label, _("Mail server"));
      gtk_widget_set_visible (self->protocol_switch, FALSE);
      return;
    }

  gtk_image_set_from_icon_name (self->icon,
                                g_str_equal (self->actor, "phone") ? "phone-symbolic" : "computer-symbolic");
  title = g_strdup (ms_device_display_name (self->actor));
  title[0] = g_ascii_toupper (title[0]);
  gtk_label_set_text (self->title_label, title);
  /* Showing the protocol is not the user choosing one. */
  self->updating = TRUE;
  gtk_toggle_button_set_active (self->pop3_button, g_strcmp0 (self->protocol, "pop3") == 0);
  gtk_toggle_button_set_active (self->imap_button, g_strcmp0 (self->protocol, "imap") == 0);
  self->updating = FALSE;
}

static void
on_protocol_toggled (MsDevicePanel   *self,
                     GtkToggleButton *button)
{
  if (self->updating || !gtk_toggle_button_get_active (button))
    return;
  ms_device_panel_set_protocol (self, button == self->pop3_button ? "pop3" : "imap");
  /* The window rebuilds the world with this device's new protocol. */
  gtk_widget_activate_action (GTK_WIDGET (self), "world.set-protocol", "(ss)", self->actor, self->protocol);
}

static void
ms_device_panel_constructed (GObject *object)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (object);

  G_OBJECT_CLASS (ms_device_panel_parent_class)->constructed (object);

  if (is_server (self))
    {
      add_buttons (self, server_actions, G_N_ELEMENTS (server_actions));
      /* One button: as wide as the panel, not a third of it (in
       * presentation mode's large type a third cut its last letter). */
      gtk_flow_box_set_min_children_per_line (self->actions_box, 1);
    }
  else
    {
      add_buttons (self, device_actions, G_N_ELEMENTS (device_actions));
      make_cut_button (self, FALSE);
      self->cut_icon = make_cut_button (self, TRUE);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self), is_server (self) ? "server" : "device");
  update_header (self);
}

static void
ms_device_panel_dispose (GObject *object)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_DEVICE_PANEL);

  G_OBJECT_CLASS (ms_device_panel_parent_class)->dispose (object);
}

static void
ms_device_panel_finalize (GObject *object)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (object);

  g_free (self->actor);
  g_free (self->protocol);

  G_OBJECT_CLASS (ms_device_panel_parent_class)->finalize (object);
}

static void
ms_device_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->protocol);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_device_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACTOR:
      self->actor = g_value_dup_string (value);
      break;
    case PROP_PROTOCOL:
      ms_device_panel_set_protocol (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A tight panel may be shorter than what it holds: it shows the top (the
 * name, the folder, its counts when there is room) and clips the rest, so
 * that compare mode with two devices in a column still fits 800 pixels.
 * Otherwise it is a plain bin around its box. */
#define TIGHT_MIN_HEIGHT 60

static void
ms_device_panel_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, NULL, NULL);
  if (self->tight && orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = MIN (*minimum, TIGHT_MIN_HEIGHT);
}

static void
ms_device_panel_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  MsDevicePanel *self = MS_DEVICE_PANEL (widget);
  int minimum = 0;

  gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->box, &(GtkAllocation) { 0, 0, width, MAX (height, minimum) }, -1);
}

static void
ms_device_panel_class_init (MsDevicePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ms_device_panel_constructed;
  object_class->dispose = ms_device_panel_dispose;
  object_class->finalize = ms_device_panel_finalize;
  object_class->get_property = ms_device_panel_get_property;
  object_class->set_property = ms_device_panel_set_property;

  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, "server",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTOCOL] =
    g_param_spec_string ("protocol", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MS_TYPE_MAILBOX_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-device-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, box);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, header_box);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, icon);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, padlock_label);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, protocol_switch);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, pop3_button);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, imap_button);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, view);
  gtk_widget_class_bind_template_child (widget_class, MsDevicePanel, actions_box);
  widget_class->measure = ms_device_panel_measure;
  widget_class->size_allocate = ms_device_panel_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "panel");
}

static void
ms_device_panel_init (MsDevicePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->pop3_button, "toggled", G_CALLBACK (on_protocol_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->imap_button, "toggled", G_CALLBACK (on_protocol_toggled), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ms_device_panel_new (const char *actor)
{
  g_return_val_if_fail (actor != NULL, NULL);

  return g_object_new (MS_TYPE_DEVICE_PANEL, "actor", actor, NULL);
}

const char *
ms_device_panel_get_actor (MsDevicePanel *self)
{
  g_return_val_if_fail (MS_IS_DEVICE_PANEL (self), NULL);
  return self->actor;
}

const char *
ms_device_panel_get_protocol (MsDevicePanel *self)
{
  g_return_val_if_fail (MS_IS_DEVICE_PANEL (self), NULL);
  return self->protocol;
}

void
ms_device_panel_set_protocol (MsDevicePanel *self,
                              const char    *protocol)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));

  if (g_strcmp0 (self->protocol, protocol) == 0)
    return;
  g_free (self->protocol);
  self->protocol = g_strdup (protocol);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
}

void
ms_device_panel_set_tls (MsDevicePanel *self,
                         gboolean       tls)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));
  gtk_widget_set_visible (self->padlock_label, tls);
}

void
ms_device_panel_set_status (MsDevicePanel *self,
                            const char    *status)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));
  ms_status_text_set (self->status_label, status);
}

void
ms_device_panel_set_account (MsDevicePanel *self,
                             MsAccount     *account,
                             MsAccount     *reference)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));

  ms_mailbox_view_set_reference_account (self->view, reference);
  ms_mailbox_view_set_account (self->view, account);
}

MsMailboxView *
ms_device_panel_get_view (MsDevicePanel *self)
{
  g_return_val_if_fail (MS_IS_DEVICE_PANEL (self), NULL);
  return self->view;
}

void
ms_device_panel_set_compact (MsDevicePanel *self,
                             gboolean       compact)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));

  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), !compact);
  gtk_widget_set_visible (self->protocol_switch, !compact && !is_server (self));
  if (self->cut_icon != NULL)
    gtk_widget_set_visible (self->cut_icon, compact);
}

void
ms_device_panel_set_tight (MsDevicePanel *self,
                           gboolean       tight)
{
  g_return_if_fail (MS_IS_DEVICE_PANEL (self));

  if (tight)
    ms_device_panel_set_compact (self, TRUE);
  self->tight = !!tight;
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), !tight);
  ms_mailbox_view_set_folders_shown (self->view, !tight);
  gtk_image_set_pixel_size (self->icon, tight ? 20 : 32);
  gtk_widget_set_overflow (GTK_WIDGET (self), tight ? GTK_OVERFLOW_HIDDEN : GTK_OVERFLOW_VISIBLE);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

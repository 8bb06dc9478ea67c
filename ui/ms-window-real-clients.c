/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* The "Real clients" switch: the live server (protocols/net/) serves the
 * world on screen (the upper one in compare mode); the panel under the
 * stage shows its ports and one lane per client. The window only starts,
 * stops and points it at a world: the sockets are the server's. */

void
ms_window_follow_world_with_real_clients (MsWindow *self)
{
  if (self->live_server != NULL)
    ms_live_server_set_world (self->live_server, ms_window_current_world (self));
}

/* The lanes need the height of a stage: while they show, the simulated
 * devices lose their action buttons, as in compare mode. The server keeps
 * its own ("Deliver new mail" is how a real client's IDLE is shown). */
void
ms_window_make_room_for_real_clients (MsWindow *self)
{
  /* The world view knows which panels there are (one per device) and
   * keeps them compact when it makes new ones. */
  ms_world_view_set_compact (self->world_view, self->compare || self->real_clients);
}

void
ms_window_update_real_clients (MsWindow *self)
{
  g_autoptr(GError) error = NULL;

  ms_window_make_room_for_real_clients (self);
  if (!self->real_clients)
    {
      if (self->live_server != NULL)
        ms_live_server_stop (self->live_server);
      gtk_widget_set_visible (GTK_WIDGET (self->real_clients_panel), FALSE);
      return;
    }
  if (self->live_server == NULL)
    {
      self->live_server = ms_live_server_new ();
      ms_real_clients_panel_set_server (self->real_clients_panel, self->live_server);
    }
  ms_window_follow_world_with_real_clients (self);
  if (!ms_live_server_start (self->live_server, &error))
    {
      g_autoptr(GError) shown = g_error_new (error->domain, error->code,
                                             _("Real clients: %s"), error->message);

      ms_window_set_error (self, shown);
      ms_window_update_narration (self);
      /* The switch goes back off: nothing listens. */
      self->real_clients = FALSE;
      ms_window_make_room_for_real_clients (self);
      g_object_notify (G_OBJECT (self), "real-clients");
      return;
    }
}

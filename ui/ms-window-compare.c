/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* Compare mode: the same steps in a POP3 world above and an IMAP world
 * below. */

void
ms_window_update_compare (MsWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->compare_view), self->compare);
  ms_world_view_set_compact (self->world_view, self->compare);
  ms_world_view_set_compact (self->compare_view, self->compare);
  if (self->compare)
    {
      ms_world_view_set_caption (self->world_view, _("POP3 world: every device uses POP3"));
      ms_world_view_set_caption (self->compare_view, _("IMAP world: every device uses IMAP"));
    }
  else
    ms_world_view_set_caption (self->world_view, NULL);
  ms_window_make_room_for_real_clients (self);
}

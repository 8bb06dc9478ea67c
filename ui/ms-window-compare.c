/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-window"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* Compare mode: the same steps in a POP3 world above and an IMAP world
 * below. */

/* Below this window height, two worlds beside the transcript leave about
 * 90 pixels a device (a 1280x800 projector): compare mode puts the
 * transcript away there, until T or Ctrl+T brings it back, and gives it
 * back on leaving. */
#define COMPARE_ROOMY_HEIGHT 960

static void
make_room (MsWindow *self)
{
  int width = 0, height = gtk_widget_get_height (GTK_WIDGET (self));

  /* Before the first allocation, the size the window will have. */
  if (height <= 0)
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (self->compare && self->show_transcript && height > 0 && height < COMPARE_ROOMY_HEIGHT)
    {
      self->transcript_put_away = TRUE;
      g_object_set (self, "show-transcript", FALSE, NULL);
    }
  else if (!self->compare && self->transcript_put_away)
    {
      self->transcript_put_away = FALSE;
      g_object_set (self, "show-transcript", TRUE, NULL);
    }
}

void
ms_window_update_compare (MsWindow *self)
{
  make_room (self);
  /* Smaller narration (style.css): the stage needs the height more. */
  if (self->compare)
    gtk_widget_add_css_class (GTK_WIDGET (self), "comparing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "comparing");
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

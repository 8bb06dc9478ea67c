/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-tooltip"
#include "config.h"

#include "ms-tooltip.h"

/**
 * ms_tooltip_set_text:
 * @widget: a widget
 * @text: (nullable): the tooltip, or %NULL for none
 *
 * gtk_widget_set_tooltip_text() with the same result (the tooltip, the
 * accessible description), minus a cost GTK 4.8 pays each time: when the
 * widget is visible, it asks the display where the pointer is, to update a
 * tooltip that may be showing (gtk_tooltip_trigger_tooltip_query(); on X11
 * that is XIGetClientPointer, XIQueryPointer and an XSync, each a round
 * trip to the X server). A widget that is not on screen cannot be under
 * the pointer, and GTK skips the query for a hidden widget: so one that is
 * not mapped yet is hidden while its tooltip is set. Building the window
 * set about 60 tooltips this way (device buttons, message rows, transcript
 * lines), some 300 round trips before the first frame. A mapped widget
 * keeps GTK's behaviour, and an unchanged tooltip is left alone.
 */
void
ms_tooltip_set_text (GtkWidget  *widget,
                     const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* GTK treats "" as no tooltip. */
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0)
    return;
  if (gtk_widget_get_mapped (widget) || !gtk_widget_get_visible (widget))
    {
      gtk_widget_set_tooltip_text (widget, text);
      return;
    }
  /* Visible but not mapped: an ancestor is not on screen, so showing it
   * again does not map it either. */
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  gtk_widget_set_visible (widget, TRUE);
}

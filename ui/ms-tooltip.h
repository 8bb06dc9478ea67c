/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Setting a tooltip without a round trip to the display server. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ms_tooltip_set_text (GtkWidget  *widget,
                          const char *text);

G_END_DECLS

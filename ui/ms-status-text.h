/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Status lines ("not connected · POP3 on port 110 · ↓ 15.7 kB  ↑ 305 bytes
 * · 37 round trips") in labels narrower than they are, as in a device panel
 * of a 1270-pixel window in German. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @text with its spaces made non-breaking except at the separators (" · "
 * and two spaces), so that a wrapping label breaks between the parts and
 * never inside one ("37 Round" / "Trips"). Free with g_free(). */
char *ms_status_text_glue   (const char *text);
/* Sets @text on @label, glued, with the whole line as its tooltip for when
 * the label has to cut it short anyway. */
void  ms_status_text_set    (GtkLabel   *label,
                             const char *text);

G_END_DECLS

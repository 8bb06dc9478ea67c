/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-status-text"
#include "config.h"

#include <string.h>

#include "ms-status-text.h"
#include "ms-tooltip.h"

#define NO_BREAK_SPACE "\xc2\xa0"

char *
ms_status_text_glue (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      /* A space stays breakable where a part ends: before or after a
       * middle dot, or in a run of two or more spaces. */
      gboolean breakable = *p == ' ' &&
                           (g_str_has_prefix (p + 1, "·") || (p > text && g_str_has_suffix (out->str, "·")) ||
                            p[1] == ' ' || (p > text && p[-1] == ' '));

      if (*p == ' ' && !breakable)
        g_string_append (out, NO_BREAK_SPACE);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

void
ms_status_text_set (GtkLabel   *label,
                    const char *text)
{
  g_autofree char *glued = NULL;

  g_return_if_fail (GTK_IS_LABEL (label));

  if (text == NULL || *text == '\0')
    {
      gtk_label_set_text (label, "");
      ms_tooltip_set_text (GTK_WIDGET (label), NULL);
      return;
    }
  glued = ms_status_text_glue (text);
  gtk_label_set_text (label, glued);
  ms_tooltip_set_text (GTK_WIDGET (label), text);
}

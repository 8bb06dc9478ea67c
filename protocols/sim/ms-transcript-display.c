/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript-display"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-phrase.h"
#include "ms-transcript-display.h"

gboolean
ms_transcript_display_active (void)
{
  /* The probe is a sentence every catalogue translates (the player writes
   * it, ms-player.c): gettext hands back the msgid itself when it has no
   * translation. */
  static const char probe[] = "check ok: %s (%s)";

  return g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, probe) != probe;
}

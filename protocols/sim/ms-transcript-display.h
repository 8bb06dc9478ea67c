/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person reads for a transcript line that the simulation wrote.
 *
 * Notices ("laptop done: downloaded 3 messages, 41 KB"), state lines and
 * assertion results are written in English, once: scenario assertions
 * (step-contains "TLS handshake"), the golden transcripts and scripts match
 * that canonical text, so it must read the same in every language. The
 * display text is made from it when it is shown: the canonical line is
 * matched against the table of English phrases in ms-transcript-phrases.c
 * (each one a gettext msgid) and rebuilt from the translated phrase with the
 * same arguments. Protocol lines never pass through here. Without a
 * translation (LANGUAGE=C, English) the display text is the canonical text,
 * byte for byte. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A newly allocated display text for @canonical; a copy of it when no phrase
 * matches or no translation is active. */
char     *ms_transcript_display_translate (const char *canonical);

/* TRUE when the phrases have a translation in the current language. */
gboolean  ms_transcript_display_active    (void);

G_END_DECLS

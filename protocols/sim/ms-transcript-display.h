/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether what a person reads is in another language than the canonical
 * transcript.
 *
 * Notices, state lines and assertion results are kept as phrases
 * (ms-phrase.h): the canonical English line, which assertions, golden
 * transcripts and the JSON export read, and the display line come from the
 * same parts. Nothing is parsed back out of English. Some texts written for
 * a person (the step line, the device names of the text exports) also
 * follow the display language; they ask here whether one is active. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the transcript's sentences have a translation in the current
 * language. */
gboolean  ms_transcript_display_active    (void);

G_END_DECLS

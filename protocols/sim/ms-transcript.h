/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record of a simulated world: a GListModel of MsTranscriptEntry in the
 * order things happened, so a GtkColumnView can show it directly, and a text
 * form for `mailscope run` and the golden tests. */
#pragma once

#include <gio/gio.h>
#include "ms-transcript-entry.h"

G_BEGIN_DECLS

#define MS_TYPE_TRANSCRIPT (ms_transcript_get_type ())

G_DECLARE_FINAL_TYPE (MsTranscript, ms_transcript, MS, TRANSCRIPT, GObject)

MsTranscript      *ms_transcript_new          (void);
/* Takes a reference; emits items-changed. */
void               ms_transcript_append       (MsTranscript      *self,
                                               MsTranscriptEntry *entry);
guint              ms_transcript_get_n_entries (MsTranscript     *self);
MsTranscriptEntry *ms_transcript_get_entry    (MsTranscript      *self,
                                               guint              position);
/* Appends the whole transcript as text: one line per protocol line,
 * "mm:ss.mmm device protocol#connection C:/S: text"; narration as "# " lines. */
void               ms_transcript_format_text  (MsTranscript      *self,
                                               GString           *out);
/* One entry in the text form (possibly several lines), for exporters. */
void               ms_transcript_format_entry (MsTranscriptEntry *entry,
                                               GString           *out);
/* TRUE when some chunk line, state or notice contains @needle. */
gboolean           ms_transcript_contains     (MsTranscript      *self,
                                               const char        *needle);

G_END_DECLS

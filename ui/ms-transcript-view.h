/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transcript pane: every event of a world in a GtkColumnView (time,
 * device, direction, line), a per-device filter, an eavesdropper switch
 * that shows only what a stranger on the network could read, and for the
 * selected line an explanation in plain words. */
#pragma once

#include <gtk/gtk.h>
#include "ms-transcript-entry.h"

G_BEGIN_DECLS

#define MS_TYPE_TRANSCRIPT_VIEW (ms_transcript_view_get_type ())

G_DECLARE_FINAL_TYPE (MsTranscriptView, ms_transcript_view, MS, TRANSCRIPT_VIEW, GtkWidget)

GtkWidget         *ms_transcript_view_new            (void);
/* A GListModel of MsTranscriptEntry (an MsTranscript), or NULL. */
void               ms_transcript_view_set_model      (MsTranscriptView *self,
                                                      GListModel       *transcript);
/* Compare mode: two worlds' transcripts in one list in time order, with a
 * World column and a filter per world. */
void               ms_transcript_view_set_models     (MsTranscriptView *self,
                                                      GListModel       *first,
                                                      const char       *first_name,
                                                      GListModel       *second,
                                                      const char       *second_name);
/* 1 or 2 for an entry of the first or second world in compare mode, else 0. */
guint              ms_transcript_view_get_entry_world (MsTranscriptView  *self,
                                                       MsTranscriptEntry *entry);
/* 0: both worlds; 1 or 2: that world's lines only. */
void               ms_transcript_view_set_world_filter (MsTranscriptView *self,
                                                        guint             world);
MsTranscriptEntry *ms_transcript_view_get_selected   (MsTranscriptView *self);
/* Selects the @n-th shown row (tests, keyboard). */
void               ms_transcript_view_select         (MsTranscriptView *self,
                                                      guint             n);
guint              ms_transcript_view_get_n_shown    (MsTranscriptView *self);
const char        *ms_transcript_view_get_explanation (MsTranscriptView *self);
gboolean           ms_transcript_view_get_eavesdropper (MsTranscriptView *self);
void               ms_transcript_view_set_eavesdropper (MsTranscriptView *self,
                                                        gboolean          eavesdropper);
/* Only this device's lines, or NULL for all. */
void               ms_transcript_view_set_device_filter (MsTranscriptView *self,
                                                         const char       *device);

G_END_DECLS

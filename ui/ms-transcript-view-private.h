/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the transcript view's files share: ms-transcript-view.c holds the
 * type, the columns and the filters; ms-transcript-view-worlds.c the two
 * worlds of compare mode in one list. Not installed. */
#pragma once

#include "ms-transcript-view.h"

G_BEGIN_DECLS

struct _MsTranscriptView
{
  GtkWidget           parent_instance;

  GListModel         *transcript;   /* one world's, or both merged by time */
  /* Compare mode: the two worlds' transcripts, and for each entry which
   * world it belongs to (1 or 2; entries are not referenced). */
  GListModel         *worlds[2];
  char               *world_names[2];
  GHashTable         *world_of;
  guint               world_filter;  /* 0: both */
  GtkColumnViewColumn *world_column;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  GtkStringList      *devices;     /* "All devices", then names as they appear */
  char               *device_filter;
  char               *explanation;
  gboolean            eavesdropper;
  guint               scroll_idle;

  /* template */
  GtkWidget          *paned;
  GtkDropDown        *device_dropdown;
  GtkDropDown        *world_dropdown;
  GtkToggleButton    *eavesdropper_button;
  GtkLabel           *count_label;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  GtkLabel           *explanation_label;
};

/* ms-transcript-view.c */
void                 ms_transcript_view_show_model  (MsTranscriptView *self,
                                                     GListModel       *transcript);
void                 ms_transcript_view_refilter    (MsTranscriptView *self);
GtkColumnViewColumn *ms_transcript_view_add_column  (MsTranscriptView *self,
                                                     const char       *title,
                                                     guint             which,
                                                     gboolean          expand);

/* ms-transcript-view-worlds.c */
void                 ms_transcript_view_init_worlds (MsTranscriptView *self);
void                 ms_transcript_view_drop_worlds (MsTranscriptView *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the store module shares inside itself about messages: only a mailbox
 * creates messages and changes their flags. */
#pragma once

#include "ms-message.h"
#include "ms-raw-file-private.h"

G_BEGIN_DECLS

struct _MsMessage
{
  gatomicrefcount ref_count;
  guint32         uid;
  MsFlags         flags : 8;
  guint           recent : 1;
  int             tz_offset;   /* minutes east of UTC, for INTERNALDATE */
  gint64          internal_date;
  guint64         modseq;
  gsize           size;
  GBytes         *raw;         /* atomic; NULL until first asked for when span.file is set */
  MsRawSpan       span;        /* where the bytes are, for a message loaded from a file */
  char          **keywords;    /* NULL-terminated, sorted, ours; NULL when none */
  gpointer        cache;
  GDestroyNotify  cache_destroy;
};

MsMessage *ms_message_new           (guint32             uid,
                                     GBytes             *raw,
                                     gint64              internal_date,
                                     int                 tz_offset);
/* A message whose bytes stay in @span's file until ms_message_get_raw()
 * (ms-raw-file.c). */
MsMessage *ms_message_new_from_span (guint32             uid,
                                     const MsRawSpan    *span,
                                     gint64              internal_date,
                                     int                 tz_offset);
/* Returns TRUE if anything changed. keywords may be NULL. */
gboolean   ms_message_replace_flags (MsMessage          *self,
                                     MsFlags             flags,
                                     const char * const *keywords);

G_END_DECLS

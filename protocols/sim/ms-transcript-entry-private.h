/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sim module fills entries in directly before adding them to a transcript. */
#pragma once

#include "ms-transcript-entry.h"

G_BEGIN_DECLS

struct _MsTranscriptEntry
{
  GObject           parent_instance;
  MsTranscriptKind  kind;
  gint64            time_us;
  gint64            arrival_us;
  gint64            real_time_us;   /* a real client's: g_get_real_time (); else 0 */
  guint             connection;
  char             *device;
  char             *protocol;
  guint             port;
  MsDirection       direction;
  GBytes           *bytes;
  gsize             wire_size;
  GStrv             lines;
  char             *command;
  gboolean          encrypted;
  char             *tls_record_type;
  char             *tls_handshake;
  guint             step;
  char             *text;
  char             *display_text;   /* made on first use; see ms-transcript-display.h */
  GStrv             teaching_ids;
  GStrv             myth_ids;
};

MsTranscriptEntry *ms_transcript_entry_new (MsTranscriptKind kind);

G_END_DECLS

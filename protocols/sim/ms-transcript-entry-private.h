/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sim module fills entries in directly before adding them to a transcript. */
#pragma once

#include "ms-phrase.h"
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
  char             *text;           /* for a NOTICE or STATE with a phrase: its English */
  MsPhrase         *phrase;         /* what a NOTICE or STATE says, as data; or NULL */
  char             *display_text;   /* made from the phrase on first use */
  GStrv             teaching_ids;
  GStrv             myth_ids;
};

MsTranscriptEntry *ms_transcript_entry_new (MsTranscriptKind kind);
/* Takes @phrase over and writes its English as the text. */
void               ms_transcript_entry_set_phrase (MsTranscriptEntry *self,
                                                   MsPhrase          *phrase);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One thing that happened in a simulated world: a chunk of bytes crossing a
 * link, a state change, a TLS record, a notice, a step boundary, narration.
 * Entries are immutable once added to an MsTranscript. */
#pragma once

#include <glib-object.h>
#include "ms-link.h"
#include "ms-phrase.h"

G_BEGIN_DECLS

typedef enum {
  MS_TRANSCRIPT_CHUNK,
  MS_TRANSCRIPT_STATE,
  MS_TRANSCRIPT_NARRATION,
  MS_TRANSCRIPT_STEP,
  MS_TRANSCRIPT_NOTICE,
  MS_TRANSCRIPT_TLS_RECORD,
} MsTranscriptKind;

#define MS_TYPE_TRANSCRIPT_ENTRY (ms_transcript_entry_get_type ())

G_DECLARE_FINAL_TYPE (MsTranscriptEntry, ms_transcript_entry, MS, TRANSCRIPT_ENTRY, GObject)

MsTranscriptKind  ms_transcript_entry_get_kind          (MsTranscriptEntry *self);
gint64            ms_transcript_entry_get_time_us       (MsTranscriptEntry *self);
/* For chunks and TLS records: when the last byte arrives. Else the time. */
gint64            ms_transcript_entry_get_arrival_us    (MsTranscriptEntry *self);
/* 0 when the entry belongs to no connection. */
guint             ms_transcript_entry_get_connection    (MsTranscriptEntry *self);
const char       *ms_transcript_entry_get_device        (MsTranscriptEntry *self);
const char       *ms_transcript_entry_get_protocol      (MsTranscriptEntry *self);
guint             ms_transcript_entry_get_port          (MsTranscriptEntry *self);
MsDirection       ms_transcript_entry_get_direction     (MsTranscriptEntry *self);
/* The plaintext of a chunk (what the endpoints see), or NULL. */
GBytes           *ms_transcript_entry_get_bytes         (MsTranscriptEntry *self);
/* Bytes on the wire, TLS overhead included. */
gsize             ms_transcript_entry_get_wire_size     (MsTranscriptEntry *self);
/* Decoded lines without CRLF, literal and message data elided as "{N bytes}". */
const char * const *ms_transcript_entry_get_lines       (MsTranscriptEntry *self);
/* The command a chunk carries or answers ("RETR", "a4 UID FETCH"), or NULL. */
const char       *ms_transcript_entry_get_command       (MsTranscriptEntry *self);
/* TRUE when the chunk crossed the wire inside TLS. */
gboolean          ms_transcript_entry_get_encrypted     (MsTranscriptEntry *self);
/* TLS_RECORD: "handshake", "application_data", "alert", "change_cipher_spec". */
const char       *ms_transcript_entry_get_tls_record_type (MsTranscriptEntry *self);
/* TLS_RECORD of type handshake: "ClientHello", "ServerHello", … or NULL. */
const char       *ms_transcript_entry_get_tls_handshake (MsTranscriptEntry *self);
/* The step this entry belongs to, 1-based; 0 before the first step. */
guint             ms_transcript_entry_get_step          (MsTranscriptEntry *self);
/* NARRATION, NOTICE, STEP and STATE: the text. */
const char       *ms_transcript_entry_get_text          (MsTranscriptEntry *self);
/* NOTICE and STATE: what the entry says as data (ms-phrase.h), of which
 * the text is the English; NULL for other kinds. */
const MsPhrase   *ms_transcript_entry_get_phrase        (MsTranscriptEntry *self);
/* What a person reads: for NOTICE and STATE the phrase in the current
 * language; else the text. Assertions, goldens and machine-readable exports
 * use get_text(). */
const char       *ms_transcript_entry_get_display_text  (MsTranscriptEntry *self);
/* NARRATION: the teaching ids ("T10") and myth ids ("M2") it explains. */
const char * const *ms_transcript_entry_get_teaching_ids (MsTranscriptEntry *self);
const char * const *ms_transcript_entry_get_myth_ids    (MsTranscriptEntry *self);

/* Unix time in microseconds of a real client's entry (it happened outside
 * the simulation, at that moment); 0 for everything simulated. */
gint64            ms_transcript_entry_get_real_time_us  (MsTranscriptEntry *self);
/* The time as the transcript shows it: virtual "mm:ss.mmm", or for a real
 * client's entry the local time of day "HH:MM:SS.mmm". */
char             *ms_transcript_entry_format_time       (MsTranscriptEntry *self);

const char       *ms_transcript_kind_to_string          (MsTranscriptKind   kind);

/* For what happens outside a simulated world (a real client's connection,
 * net/ms-live-client.c): the times and the step are left at 0 for
 * ms_world_add_external_entry() to fill in. A chunk takes @lines (from
 * MsChunkDecoder); a notice or a state change is one @phrase (taken over). */
MsTranscriptEntry *ms_transcript_entry_new_chunk  (const char   *device,
                                                   const char   *protocol,
                                                   guint         connection,
                                                   guint         port,
                                                   MsDirection   direction,
                                                   GBytes       *bytes,
                                                   gsize         wire_size,
                                                   GStrv         lines,
                                                   const char   *command,
                                                   gboolean      encrypted);
MsTranscriptEntry *ms_transcript_entry_new_phrase (MsTranscriptKind kind,
                                                   const char   *device,
                                                   const char   *protocol,
                                                   guint         connection,
                                                   MsPhrase     *phrase);

G_END_DECLS

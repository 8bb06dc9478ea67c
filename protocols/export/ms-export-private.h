/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the export writers share inside protocols/export: one function per
 * format, the password redactor, steps gathered for the handouts, colours. */
#pragma once

#include <glib/gi18n-lib.h>

#include "ms-export.h"
#include "ms-transcript.h"
#include "ms-world.h"

G_BEGIN_DECLS

/* What a password becomes when redacted: four bullets (U+2022). */
#define MS_EXPORT_MASK "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"

/* Follows each connection's client lines, so that a SASL response sent on
 * its own line after "AUTH PLAIN" is recognised too. One per pass over a
 * transcript. */
typedef struct _MsRedactor MsRedactor;

MsRedactor *ms_redactor_new        (gboolean     enabled);
void        ms_redactor_free       (MsRedactor  *self);
gboolean    ms_redactor_is_enabled (MsRedactor  *self);
/* A new string: @line, with its secret masked when it is a client line that
 * carries one and redaction is on. */
char       *ms_redactor_line       (MsRedactor  *self,
                                    guint        connection,
                                    MsDirection  direction,
                                    const char  *line);
/* The same over raw bytes (CRLF-separated lines), for the capture. */
GBytes     *ms_redactor_bytes      (MsRedactor  *self,
                                    guint        connection,
                                    MsDirection  direction,
                                    GBytes      *bytes);
/* The lines of a chunk, redacted: a NULL-terminated array. */
GStrv       ms_redactor_entry_lines (MsRedactor        *self,
                                     MsTranscriptEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsRedactor, ms_redactor_free)

/* One step of the session, for the handouts: index 0 holds what happened
 * before the first step (the scenario's own header). */
typedef struct
{
  guint      index;
  char      *title;        /* "Step 1 of 3 - laptop: check" */
  GPtrArray *narrations;   /* MsTranscriptEntry* of kind NARRATION */
  GPtrArray *entries;      /* every other entry of the step, in order */
  gint64     start_us;
  gint64     end_us;       /* the last arrival */
  guint64    bytes_up;     /* wire bytes, devices to server */
  guint64    bytes_down;
  guint      n_chunks;
} MsExportStep;

/* MsExportStep*, one per step index present in the transcript (and 0). */
GPtrArray  *ms_export_collect_steps     (MsTranscript *transcript);
/* A one-line meaning of a teaching point or myth id ("T10"), or NULL. */
const char *ms_export_teaching_summary  (const char   *id);
/* "#1c71d8": the colour of a device (by its order in the world) or the server. */
const char *ms_export_device_colour     (MsWorld      *world,
                                         const char   *device);
/* "13 886 B" style sizes are not portable; this gives "13886 B" or "41.2 KB". */
char       *ms_export_format_size       (guint64       bytes);
/* Whether the export hides passwords, in words, for every format's header. */
const char *ms_export_password_note     (MsExportFlags flags);

GBytes     *ms_export_text_bytes        (MsPlayer *player, MsExportFlags flags, GError **error);
GBytes     *ms_export_markdown_bytes    (MsPlayer *player, MsExportFlags flags, GError **error);
GBytes     *ms_export_html_bytes        (MsPlayer *player, MsExportFlags flags, GError **error);
GBytes     *ms_export_json_bytes        (MsPlayer *player, MsExportFlags flags, GError **error);
GBytes     *ms_export_pcapng_bytes      (MsPlayer *player, MsExportFlags flags, GError **error);
GBytes     *ms_export_ladder_bytes      (MsPlayer *player, MsExportFormat format,
                                         MsExportFlags flags, GError **error);

G_END_DECLS

G_BEGIN_DECLS

/* One printed line of an exchange, for the handouts and the ladder. */
typedef struct
{
  char        *time;      /* "00:00.040" */
  const char  *device;    /* or "server", "network" */
  char        *where;     /* "pop3#1", or "" */
  const char  *marker;    /* "C:", "S:", "!!" (a notice), "C>"/"S>" (a TLS record) */
  char        *text;
  gboolean     tls;       /* a TLS record: what an eavesdropper sees */
  MsDirection  direction;
  guint        connection;
  gint64       time_us;
  gint64       arrival_us;
  guint        index;     /* the line's index within its entry */
} MsExportRow;

/* Appends the rows an entry prints (chunks line by line, redacted; notices;
 * TLS records). State changes print nothing: a handout has no room for them. */
void        ms_export_entry_rows       (MsRedactor        *redactor,
                                        MsTranscriptEntry *entry,
                                        GPtrArray         *rows);
/* TRUE when the transcript holds TLS records (the handouts explain them). */
gboolean    ms_export_has_tls_records  (MsTranscript      *transcript);
/* A GPtrArray that frees MsExportRow*. */
GPtrArray  *ms_export_rows_new         (void);

G_END_DECLS

G_BEGIN_DECLS
/* "3 chunks, 54 B up, 14.2 KB down, 00:00.000 to 00:01.234 (1.234 s)". */
char       *ms_export_step_counters    (const MsExportStep *step);
G_END_DECLS

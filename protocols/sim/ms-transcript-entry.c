/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript-entry"
#include "config.h"

#include "ms-clock.h"
#include "ms-transcript-entry-private.h"

G_DEFINE_FINAL_TYPE (MsTranscriptEntry, ms_transcript_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TIME_US,
  PROP_DEVICE,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ms_transcript_entry_finalize (GObject *object)
{
  MsTranscriptEntry *self = MS_TRANSCRIPT_ENTRY (object);

  g_free (self->device);
  g_free (self->protocol);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_strfreev (self->lines);
  g_free (self->command);
  g_free (self->tls_record_type);
  g_free (self->tls_handshake);
  g_free (self->text);
  g_clear_pointer (&self->phrase, ms_phrase_unref);
  g_free (self->display_text);
  g_strfreev (self->teaching_ids);
  g_strfreev (self->myth_ids);
  G_OBJECT_CLASS (ms_transcript_entry_parent_class)->finalize (object);
}

static void
ms_transcript_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MsTranscriptEntry *self = MS_TRANSCRIPT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_TIME_US:
      g_value_set_int64 (value, self->time_us);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_transcript_entry_class_init (MsTranscriptEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_transcript_entry_finalize;
  object_class->get_property = ms_transcript_entry_get_property;

  /* Read-only properties so that GtkExpression-based list columns can bind. */
  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, MS_TRANSCRIPT_TLS_RECORD, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_US] =
    g_param_spec_int64 ("time-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_transcript_entry_init (MsTranscriptEntry *self)
{
}

MsTranscriptEntry *
ms_transcript_entry_new (MsTranscriptKind kind)
{
  MsTranscriptEntry *self = g_object_new (MS_TYPE_TRANSCRIPT_ENTRY, NULL);

  self->kind = kind;
  return self;
}

void
ms_transcript_entry_set_phrase (MsTranscriptEntry *self,
                                MsPhrase          *phrase)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_ENTRY (self));
  g_return_if_fail (phrase != NULL);

  g_clear_pointer (&self->phrase, ms_phrase_unref);
  self->phrase = phrase;
  g_free (self->text);
  self->text = ms_phrase_to_english (phrase);
}

MsTranscriptEntry *
ms_transcript_entry_new_chunk (const char  *device,
                               const char  *protocol,
                               guint        connection,
                               guint        port,
                               MsDirection  direction,
                               GBytes      *bytes,
                               gsize        wire_size,
                               GStrv        lines,
                               const char  *command,
                               gboolean     encrypted)
{
  MsTranscriptEntry *self = ms_transcript_entry_new (MS_TRANSCRIPT_CHUNK);

  self->device = g_strdup (device);
  self->protocol = g_strdup (protocol);
  self->connection = connection;
  self->port = port;
  self->direction = direction;
  self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  self->wire_size = wire_size;
  self->lines = lines;
  self->command = g_strdup (command);
  self->encrypted = !!encrypted;
  self->real_time_us = g_get_real_time ();
  return self;
}

MsTranscriptEntry *
ms_transcript_entry_new_phrase (MsTranscriptKind  kind,
                                const char       *device,
                                const char       *protocol,
                                guint             connection,
                                MsPhrase         *phrase)
{
  MsTranscriptEntry *self;

  g_return_val_if_fail (kind == MS_TRANSCRIPT_NOTICE || kind == MS_TRANSCRIPT_STATE, NULL);
  g_return_val_if_fail (phrase != NULL, NULL);

  self = ms_transcript_entry_new (kind);
  self->device = g_strdup (device);
  self->protocol = g_strdup (protocol);
  self->connection = connection;
  ms_transcript_entry_set_phrase (self, phrase);
  self->real_time_us = g_get_real_time ();
  return self;
}

#define GETTER(type, name, field, fallback)                              \
  type                                                                   \
  ms_transcript_entry_get_##name (MsTranscriptEntry *self)               \
  {                                                                      \
    g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), fallback);      \
    return self->field;                                                  \
  }

GETTER (MsTranscriptKind, kind, kind, MS_TRANSCRIPT_NOTICE)
GETTER (gint64, time_us, time_us, 0)
GETTER (gint64, arrival_us, arrival_us, 0)
GETTER (gint64, real_time_us, real_time_us, 0)
GETTER (guint, connection, connection, 0)
GETTER (const char *, device, device, NULL)
GETTER (const char *, protocol, protocol, NULL)
GETTER (guint, port, port, 0)
GETTER (MsDirection, direction, direction, MS_DIRECTION_NONE)
GETTER (GBytes *, bytes, bytes, NULL)
GETTER (gsize, wire_size, wire_size, 0)
GETTER (const char *, command, command, NULL)
GETTER (gboolean, encrypted, encrypted, FALSE)
GETTER (const char *, tls_record_type, tls_record_type, NULL)
GETTER (const char *, tls_handshake, tls_handshake, NULL)
GETTER (guint, step, step, 0)
GETTER (const char *, text, text, NULL)
GETTER (const MsPhrase *, phrase, phrase, NULL)

const char *
ms_transcript_entry_get_display_text (MsTranscriptEntry *self)
{
  char *text;

  g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), NULL);

  /* A notice or state line written as text (a test's, a teacher's) is
   * shown as written. */
  if (self->phrase == NULL)
    return self->text;
  text = g_atomic_pointer_get (&self->display_text);
  if (text != NULL)
    return text;
  /* Entries are shared with export threads: whoever comes second frees. */
  text = ms_phrase_to_display (self->phrase);
  if (!g_atomic_pointer_compare_and_exchange (&self->display_text, NULL, text))
    {
      g_free (text);
      text = g_atomic_pointer_get (&self->display_text);
    }
  return text;
}

const char * const *
ms_transcript_entry_get_lines (MsTranscriptEntry *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), NULL);
  return (const char * const *) self->lines;
}

const char * const *
ms_transcript_entry_get_teaching_ids (MsTranscriptEntry *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), NULL);
  return (const char * const *) self->teaching_ids;
}

const char * const *
ms_transcript_entry_get_myth_ids (MsTranscriptEntry *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), NULL);
  return (const char * const *) self->myth_ids;
}

const char *
ms_transcript_kind_to_string (MsTranscriptKind kind)
{
  static const char * const names[] = {
    [MS_TRANSCRIPT_CHUNK] = "chunk",
    [MS_TRANSCRIPT_STATE] = "state",
    [MS_TRANSCRIPT_NARRATION] = "narration",
    [MS_TRANSCRIPT_STEP] = "step",
    [MS_TRANSCRIPT_NOTICE] = "notice",
    [MS_TRANSCRIPT_TLS_RECORD] = "tls-record",
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "unknown");
  return names[kind];
}

/**
 * ms_transcript_entry_format_time:
 *
 * The time column of the transcript. A simulated entry shows the virtual
 * clock ("01:02.345", minutes from the start of the run). A real client's
 * entry shows the local time of day it happened ("18:42:07.123"): the
 * virtual clock stands still while no scenario plays, and a real client is
 * compared with a capture (tshark, Wireshark) that shows real time.
 */
char *
ms_transcript_entry_format_time (MsTranscriptEntry *self)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *hms = NULL;

  g_return_val_if_fail (MS_IS_TRANSCRIPT_ENTRY (self), NULL);

  if (self->real_time_us == 0)
    return ms_clock_format_time (self->time_us);
  when = g_date_time_new_from_unix_local (self->real_time_us / G_USEC_PER_SEC);
  if (when == NULL)
    return ms_clock_format_time (self->time_us);
  hms = g_date_time_format (when, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", hms, (int) (self->real_time_us % G_USEC_PER_SEC / 1000));
}

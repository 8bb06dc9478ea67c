/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <json-glib/json-glib.h>

#include "ms-device.h"
#include "ms-export-private.h"

/* The whole event timeline for other tools. The shape is documented in
 * docs/export-json-schema.json (JSON Schema 2020-12) and
 * docs/export-formats.md; bump MS_EXPORT_JSON_VERSION on any change that
 * is not a new optional member. */
#define MS_EXPORT_JSON_VERSION 1

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static const char *
direction_name (MsDirection direction)
{
  switch (direction)
    {
    case MS_DIRECTION_TO_SERVER: return "to-server";
    case MS_DIRECTION_TO_CLIENT: return "to-client";
    case MS_DIRECTION_NONE:
    default: return "none";
    }
}

static void
add_scenario (JsonBuilder *builder,
              MsPlayer    *player)
{
  MsScenario *scenario = ms_player_get_scenario (player);

  json_builder_set_member_name (builder, "scenario");
  json_builder_begin_object (builder);
  add_string (builder, "id", ms_scenario_get_id (scenario));
  add_string (builder, "title", ms_scenario_get_title (scenario));
  add_string (builder, "description", ms_scenario_get_description (scenario));
  add_strv (builder, "teaching_ids", ms_scenario_get_teaching_ids (scenario));
  add_strv (builder, "myth_ids", ms_scenario_get_myth_ids (scenario));
  add_int (builder, "n_steps", ms_player_get_n_steps (player));
  add_int (builder, "position", ms_player_get_position (player));
  json_builder_end_object (builder);
}

static void
add_devices (JsonBuilder *builder,
             MsWorld     *world)
{
  GListModel *devices = ms_world_get_devices (world);

  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);
      g_autofree char *link = ms_link_describe (ms_device_get_link (device));

      json_builder_begin_object (builder);
      add_string (builder, "name", ms_device_get_name (device));
      add_string (builder, "protocol", ms_device_get_protocol (device));
      add_string (builder, "tls", ms_client_tls_mode_to_string (ms_device_get_tls_mode (device)));
      add_string (builder, "link", link);
      add_string (builder, "colour", ms_export_device_colour (world, ms_device_get_name (device)));
      add_int (builder, "bytes_up", (gint64) ms_device_get_bytes_up (device));
      add_int (builder, "bytes_down", (gint64) ms_device_get_bytes_down (device));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_event (JsonBuilder       *builder,
           MsRedactor        *redactor,
           MsTranscriptEntry *entry)
{
  MsTranscriptKind kind = ms_transcript_entry_get_kind (entry);
  MsDirection direction = ms_transcript_entry_get_direction (entry);

  json_builder_begin_object (builder);
  add_string (builder, "kind", ms_transcript_kind_to_string (kind));
  add_int (builder, "time_us", ms_transcript_entry_get_time_us (entry));
  add_int (builder, "arrival_us", ms_transcript_entry_get_arrival_us (entry));
  if (ms_transcript_entry_get_real_time_us (entry) != 0)
    add_int (builder, "real_time_us", ms_transcript_entry_get_real_time_us (entry));
  add_int (builder, "step", ms_transcript_entry_get_step (entry));
  if (ms_transcript_entry_get_connection (entry) != 0)
    {
      add_int (builder, "connection", ms_transcript_entry_get_connection (entry));
      add_string (builder, "protocol", ms_transcript_entry_get_protocol (entry));
      add_int (builder, "port", ms_transcript_entry_get_port (entry));
    }
  add_string (builder, "device", ms_transcript_entry_get_device (entry));
  add_string (builder, "direction", direction_name (direction));

  switch (kind)
    {
    case MS_TRANSCRIPT_CHUNK:
      {
        g_auto(GStrv) lines = ms_redactor_entry_lines (redactor, entry);
        GBytes *bytes = ms_transcript_entry_get_bytes (entry);

        add_int (builder, "size", bytes != NULL ? (gint64) g_bytes_get_size (bytes) : 0);
        add_int (builder, "wire_size", (gint64) ms_transcript_entry_get_wire_size (entry));
        add_strv (builder, "lines", (const char * const *) lines);
        add_string (builder, "command", ms_transcript_entry_get_command (entry));
        json_builder_set_member_name (builder, "encrypted");
        json_builder_add_boolean_value (builder, ms_transcript_entry_get_encrypted (entry));
      }
      break;
    case MS_TRANSCRIPT_TLS_RECORD:
      add_int (builder, "wire_size", (gint64) ms_transcript_entry_get_wire_size (entry));
      add_string (builder, "tls_record_type", ms_transcript_entry_get_tls_record_type (entry));
      add_string (builder, "tls_handshake", ms_transcript_entry_get_tls_handshake (entry));
      break;
    case MS_TRANSCRIPT_NARRATION:
      add_string (builder, "text", ms_transcript_entry_get_text (entry));
      add_strv (builder, "teaching_ids", ms_transcript_entry_get_teaching_ids (entry));
      add_strv (builder, "myth_ids", ms_transcript_entry_get_myth_ids (entry));
      break;
    case MS_TRANSCRIPT_STEP:
    case MS_TRANSCRIPT_STATE:
    case MS_TRANSCRIPT_NOTICE:
    default:
      add_string (builder, "text", ms_transcript_entry_get_text (entry));
      break;
    }
  json_builder_end_object (builder);
}

GBytes *
ms_export_json_bytes (MsPlayer       *player,
                      MsExportFlags   flags,
                      GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MsRedactor) redactor = NULL;
  gboolean redact = (flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0;
  MsWorld *world = ms_player_get_world (player);
  MsTranscript *transcript = ms_world_get_transcript (world);
  char *text;
  gsize len;

  redactor = ms_redactor_new (redact);
  json_builder_begin_object (builder);
  add_string (builder, "format", "mailscope-export");
  add_int (builder, "version", MS_EXPORT_JSON_VERSION);
  add_string (builder, "passwords", redact ? "redacted" : "shown");
  add_int (builder, "epoch_unix", ms_world_get_epoch (world));
  add_scenario (builder, player);
  add_devices (builder, world);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    add_event (builder, redactor, ms_transcript_get_entry (transcript, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, &len);
  /* A text file ends with a newline. */
  text = g_realloc (text, len + 2);
  text[len++] = '\n';
  text[len] = '\0';
  return g_bytes_new_take (text, len);
}

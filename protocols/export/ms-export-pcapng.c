/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <string.h>

#include "ms-device.h"
#include "ms-export-private.h"
#include "ms-pcapng-writer.h"

/* Every connection of the transcript as a TCP conversation Wireshark can
 * follow. The server is 127.0.0.1 and each device has its own address
 * (127.0.0.10, .11 …, in the order the world added them), so a capture with
 * two devices shows two hosts. The server port is always the registered one
 * (110, 995, 143, 993, 587, 465) whatever the in-process listener used,
 * because Wireshark picks its dissector by port. Narration, step titles and
 * notices become packet comments on the next packet written.
 *
 * Timestamps are absolute: a simulated entry at the world's epoch plus its
 * virtual time (the date the simulation pretends, as epoch_unix in the JSON
 * export), a real client's entry (the app's "real clients") at the moment
 * it happened. Packets are written in that order, so a capture that holds
 * both never has time going back. */

#define SERVER_IP 0x7f000001u
#define FIRST_DEVICE_IP 0x7f00000au
#define FIRST_CLIENT_PORT 49152

typedef struct
{
  guint    writer_id;
  gboolean closed;
} Connection;

typedef struct
{
  MsPcapngWriter *writer;
  MsWorld        *world;
  gint64          epoch_us;
  MsRedactor     *redactor;
  GHashTable     *connections;   /* transcript connection -> Connection* */
  GHashTable     *device_ips;    /* device name -> address */
  guint           next_ip;
  GString        *comment;       /* waits for the next packet */
  gboolean        tls_bytes;     /* TLS records carry their wire bytes */
  GHashTable     *tls_missing;   /* connections whose TLS records have no bytes */
} Capture;

static gint64
entry_time (Capture           *capture,
            MsTranscriptEntry *entry)
{
  gint64 real = ms_transcript_entry_get_real_time_us (entry);

  return real != 0 ? real : capture->epoch_us + ms_transcript_entry_get_time_us (entry);
}

static int
compare_entry_time (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 ta = entry_time (user_data, *(MsTranscriptEntry **) a);
  gint64 tb = entry_time (user_data, *(MsTranscriptEntry **) b);

  return ta < tb ? -1 : ta > tb;
}

static guint16
standard_port (const char *protocol,
               guint       port)
{
  gboolean implicit = port == 995 || port == 993 || port == 465 || port == 1995 || port == 1993;

  if (g_strcmp0 (protocol, "pop3") == 0)
    return implicit ? 995 : 110;
  if (g_strcmp0 (protocol, "imap") == 0)
    return implicit ? 993 : 143;
  return implicit ? 465 : 587;
}

static guint32
device_ip (Capture    *capture,
           const char *device)
{
  gpointer ip;

  if (g_hash_table_lookup_extended (capture->device_ips, device, NULL, &ip))
    return GPOINTER_TO_UINT (ip);
  g_hash_table_insert (capture->device_ips, g_strdup (device), GUINT_TO_POINTER (capture->next_ip));
  return capture->next_ip++;
}

static void
add_comment (Capture    *capture,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (capture->comment->len > 0)
    g_string_append_c (capture->comment, '\n');
  g_string_append (capture->comment, text);
}

/* The comment for the next packet, or NULL; empties the queue. */
static char *
take_comment (Capture *capture)
{
  char *text;

  if (capture->comment->len == 0)
    return NULL;
  text = g_strdup (capture->comment->str);
  g_string_truncate (capture->comment, 0);
  return text;
}

static Connection *
lookup_connection (Capture           *capture,
                   MsTranscriptEntry *entry)
{
  guint id = ms_transcript_entry_get_connection (entry);
  Connection *conn = g_hash_table_lookup (capture->connections, GUINT_TO_POINTER (id));
  g_autofree char *comment = NULL;

  if (conn != NULL)
    return conn;

  /* The first entry of a connection: its notice "opens a TCP connection". */
  if (ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_NOTICE)
    add_comment (capture, ms_transcript_entry_get_text (entry));
  /* Said on the SYN, since nothing of the encrypted part follows. */
  if (g_hash_table_contains (capture->tls_missing, GUINT_TO_POINTER (id)))
    add_comment (capture, "This connection turns to TLS. The transcript kept the plaintext and "
                          "the sizes of the TLS records but not their bytes, so the encrypted "
                          "part is not in the capture.");
  comment = take_comment (capture);
  conn = g_new0 (Connection, 1);
  conn->writer_id = ms_pcapng_writer_open_connection (capture->writer,
                                                      device_ip (capture, ms_transcript_entry_get_device (entry)),
                                                      (guint16) (FIRST_CLIENT_PORT + id % 16384),
                                                      SERVER_IP,
                                                      standard_port (ms_transcript_entry_get_protocol (entry),
                                                                     ms_transcript_entry_get_port (entry)),
                                                      entry_time (capture, entry),
                                                      comment);
  g_hash_table_insert (capture->connections, GUINT_TO_POINTER (id), conn);
  return conn;
}

/* How the simulation ends a connection, from the notice it writes. */
static gboolean
closing_notice (const char *text,
                gboolean   *lost,
                gboolean   *client_first)
{
  if (g_str_has_prefix (text, "the server closes the connection"))
    {
      *lost = FALSE, *client_first = FALSE;
      return TRUE;
    }
  if (g_str_has_prefix (text, "the client closes the connection"))
    {
      *lost = FALSE, *client_first = TRUE;
      return TRUE;
    }
  if (g_str_has_prefix (text, "connection lost") || strstr (text, "connection is gone") != NULL ||
      strstr (text, "connection lost") != NULL)
    {
      *lost = TRUE, *client_first = TRUE;
      return TRUE;
    }
  return FALSE;
}

static void
write_entry (Capture           *capture,
             MsTranscriptEntry *entry)
{
  MsTranscriptKind kind = ms_transcript_entry_get_kind (entry);
  guint id = ms_transcript_entry_get_connection (entry);
  gint64 time_us = entry_time (capture, entry);
  Connection *conn;

  switch (kind)
    {
    case MS_TRANSCRIPT_STEP:
    case MS_TRANSCRIPT_NARRATION:
      add_comment (capture, ms_transcript_entry_get_text (entry));
      return;
    case MS_TRANSCRIPT_STATE:
      return;
    case MS_TRANSCRIPT_NOTICE:
    case MS_TRANSCRIPT_CHUNK:
    case MS_TRANSCRIPT_TLS_RECORD:
    default:
      break;
    }

  if (id == 0)
    {
      if (kind == MS_TRANSCRIPT_NOTICE)
        {
          g_autofree char *text = g_strdup_printf ("%s: %s", ms_transcript_entry_get_device (entry),
                                                   ms_transcript_entry_get_text (entry));
          add_comment (capture, text);
        }
      return;
    }

  if (g_hash_table_contains (capture->connections, GUINT_TO_POINTER (id)) == FALSE)
    {
      lookup_connection (capture, entry);
      if (kind == MS_TRANSCRIPT_NOTICE)
        return;
    }
  conn = lookup_connection (capture, entry);
  if (conn->closed)
    return;

  if (kind == MS_TRANSCRIPT_NOTICE)
    {
      const char *text = ms_transcript_entry_get_text (entry);
      gboolean lost, client_first;

      if (closing_notice (text, &lost, &client_first))
        {
          conn->closed = TRUE;
          if (lost)
            {
              g_autofree char *comment = NULL;

              add_comment (capture, text);
              comment = take_comment (capture);
              ms_pcapng_writer_reset_connection (capture->writer, conn->writer_id, TRUE, time_us, comment);
            }
          else
            ms_pcapng_writer_close_connection (capture->writer, conn->writer_id, client_first, time_us);
        }
      else
        add_comment (capture, text);
      return;
    }

  if (kind == MS_TRANSCRIPT_TLS_RECORD)
    {
      /* The records are what crossed the wire; when the simulation kept
       * their bytes they go into the capture as they were. */
      GBytes *bytes = ms_transcript_entry_get_bytes (entry);
      g_autofree char *comment = NULL;
      const guint8 *data;
      gsize len;

      if (bytes == NULL || g_bytes_get_size (bytes) == 0)
        return;
      data = g_bytes_get_data (bytes, &len);
      comment = take_comment (capture);
      ms_pcapng_writer_add_data (capture->writer, conn->writer_id,
                                 ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER,
                                 data, len, time_us, comment);
      return;
    }

  if (kind == MS_TRANSCRIPT_CHUNK)
    {
      GBytes *bytes = ms_transcript_entry_get_bytes (entry);
      g_autoptr(GBytes) redacted = NULL;
      g_autofree char *comment = NULL;
      gsize len;
      const guint8 *data;

      if (bytes == NULL || g_bytes_get_size (bytes) == 0)
        return;
      if (ms_transcript_entry_get_encrypted (entry))
        {
          /* The plaintext of a TLS connection is not what crossed the wire,
           * and the transcript keeps only the plaintext: say so rather than
           * put cleartext on port 993 or 995. */
          return;
        }
      redacted = ms_redactor_bytes (capture->redactor, id, ms_transcript_entry_get_direction (entry), bytes);
      data = g_bytes_get_data (redacted, &len);
      comment = take_comment (capture);
      ms_pcapng_writer_add_data (capture->writer, conn->writer_id,
                                 ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER,
                                 data, len, time_us, comment);
    }
}

GBytes *
ms_export_pcapng_bytes (MsPlayer       *player,
                        MsExportFlags   flags,
                        GError        **error)
{
  g_autoptr(MsPcapngWriter) writer = ms_pcapng_writer_new ();
  g_autoptr(MsRedactor) redactor = ms_redactor_new ((flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0);
  g_autoptr(GHashTable) connections = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) device_ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) comment = g_string_new (NULL);
  g_autoptr(GHashTable) tls_missing = g_hash_table_new (NULL, NULL);
  MsWorld *world = ms_player_get_world (player);
  MsTranscript *transcript = ms_world_get_transcript (world);
  MsScenario *scenario = ms_player_get_scenario (player);
  GListModel *devices = ms_world_get_devices (world);
  g_autofree char *header = NULL;
  const char *keylog = ms_world_get_tls_keylog (world);
  gboolean redact = (flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0;
  g_autoptr(GPtrArray) in_time_order = g_ptr_array_new ();
  Capture capture = {
    .writer = writer, .world = world, .redactor = redactor, .connections = connections,
    .epoch_us = ms_world_get_epoch (world) * G_USEC_PER_SEC,
    .device_ips = device_ips, .next_ip = FIRST_DEVICE_IP, .comment = comment,
    .tls_missing = tls_missing,
  };

  /* Addresses in the world's device order, whatever connects first. */
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (devices, i);

      device_ip (&capture, ms_device_get_name (device));
    }

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);

      if (ms_transcript_entry_get_kind (entry) != MS_TRANSCRIPT_TLS_RECORD)
        continue;
      if (ms_transcript_entry_get_bytes (entry) != NULL)
        capture.tls_bytes = TRUE;
      else
        g_hash_table_add (tls_missing, GUINT_TO_POINTER (ms_transcript_entry_get_connection (entry)));
    }

  /* The key log lets Wireshark decrypt, which would show the very
   * passwords a redacted export hides: then it stays out. */
  if (capture.tls_bytes && *keylog != '\0' && !redact)
    ms_pcapng_writer_add_keylog (writer, keylog);

  header = g_strdup_printf ("Mailscope: %s (%s). %s%s", ms_scenario_get_title (scenario),
                            ms_scenario_get_id (scenario), ms_export_password_note (flags),
                            redact && *keylog != '\0'
                            ? " The TLS keys are left out, so the TLS sessions stay encrypted." : "");
  add_comment (&capture, header);
  /* The simulation's entries are in time order already, and so are the
   * real clients'; a stable sort merges the two. */
  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    g_ptr_array_add (in_time_order, ms_transcript_get_entry (transcript, i));
  g_ptr_array_sort_with_data (in_time_order, compare_entry_time, &capture);
  for (guint i = 0; i < in_time_order->len; i++)
    write_entry (&capture, g_ptr_array_index (in_time_order, i));
  return ms_pcapng_writer_finish (writer);
}

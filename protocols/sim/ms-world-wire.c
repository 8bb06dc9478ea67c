/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wire of a simulated connection: bytes put on the device's link (the
 * latency and bandwidth model decides when they arrive), their delivery to
 * the other end at that virtual time, the transcript's chunks with the
 * lines and the command they carry, and the network's cuts (drop rules). */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-server-session.h"
#include "ms-world-connection-private.h"

typedef struct
{
  MsSimConnection *conn;
  MsDirection      direction;
  GBytes          *bytes;
  gboolean         cut_after;
  gboolean         ciphertext;
  gint64           sent_us;
  gint64           arrival_us;
} Delivery;

static const char *
bare_command (const char *command)
{
  const char *space;

  /* For IMAP "a4 UID FETCH" the name after the tag. */
  if (command == NULL)
    return "";
  space = strchr (command, ' ');
  return space != NULL ? space + 1 : command;
}

static MsDropRule *
find_drop (MsWorld         *world,
           MsSimConnection *conn,
           const char      *command,
           gsize            len,
           gsize           *keep)
{
  for (guint i = 0; i < world->drops->len; i++)
    {
      MsDropRule *rule = g_ptr_array_index (world->drops, i);

      if (!g_str_equal (rule->device, ms_device_get_name (conn->device)) || !conn->is_mail)
        continue;
      if (rule->command != NULL)
        {
          const char *name = g_str_equal (conn->protocol, "imap") ? bare_command (command) : command;

          /* command=FETCH also cuts "UID FETCH", which is what clients send. */
          if (command != NULL && g_ascii_strncasecmp (name, "UID ", 4) == 0 &&
              g_ascii_strncasecmp (rule->command, "UID ", 4) != 0)
            name += 4;

          if (command != NULL && g_ascii_strncasecmp (name, rule->command, strlen (rule->command)) == 0)
            {
              /* "In the middle of the command": half of it gets through. */
              *keep = rule->after_bytes >= 0 ? MIN ((gsize) rule->after_bytes, len) : len / 2;
              g_ptr_array_remove_index (world->drops, i);
              return rule;
            }
        }
      else if (rule->after_bytes >= 0 && conn->client_bytes + len > (guint64) rule->after_bytes)
        {
          *keep = (gsize) ((guint64) rule->after_bytes - MIN (conn->client_bytes, (guint64) rule->after_bytes));
          g_ptr_array_remove_index (world->drops, i);
          return rule;
        }
    }
  return NULL;
}

void
ms_world_free_drop_rule (gpointer data)
{
  MsDropRule *rule = data;

  g_free (rule->device);
  g_free (rule->command);
  g_free (rule);
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  ms_sim_connection_unref (d->conn);
  g_bytes_unref (d->bytes);
  g_free (d);
}

/* Decodes a chunk of plaintext into lines and records it. For TLS the
 * chunk is recorded when the sending end's records go out, with the times
 * and size of the ciphertext that carries it: recorded where the receiver
 * decrypts it, it came after what happened while it was on the link (the
 * server's "handshake complete" notices) with an earlier time. */
static void
record_chunk (MsSimConnection *conn,
              MsDirection      direction,
              GBytes          *bytes,
              gint64           sent_us,
              gint64           arrival_us,
              gsize            wire_size,
              gboolean         encrypted,
              const char      *command)
{
  MsWorld *world = conn->world;
  MsTranscriptEntry *entry;
  g_autofree char *belongs_to = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GStrv lines = ms_chunk_decoder_feed (&conn->chunks, direction, data, len, command, &belongs_to);

  entry = ms_world_new_entry (world, MS_TRANSCRIPT_CHUNK, conn, NULL);
  entry->time_us = sent_us;
  entry->arrival_us = arrival_us;
  entry->direction = direction;
  entry->bytes = g_bytes_ref (bytes);
  entry->wire_size = wire_size;
  entry->encrypted = encrypted;
  entry->lines = lines;
  entry->command = g_steal_pointer (&belongs_to);
  ms_world_add_entry (world, entry);
}

static void deliver_cb (gpointer data);

/* Puts bytes on the link: timing, counters, and the delivery at arrival. */
static void
transmit (MsSimConnection *conn,
          MsDirection      direction,
          GBytes          *bytes,
          gboolean         ciphertext,
          gboolean         cut,
          gint64          *sent_out,
          gint64          *arrival_out)
{
  MsWorld *world = conn->world;
  MsLink *link = ms_device_get_link (conn->device);
  gint64 now = ms_clock_get_now_us (world->clock);
  gsize len = g_bytes_get_size (bytes);
  gint64 start;
  Delivery *d;

  g_assert (direction == MS_DIRECTION_TO_SERVER || direction == MS_DIRECTION_TO_CLIENT);

  if (direction == MS_DIRECTION_TO_SERVER)
    {
      conn->client_bytes += len;
      if (!conn->awaiting_answer)
        {
          conn->awaiting_answer = TRUE;
          ms_device_add_round_trip (conn->device);
        }
    }

  /* Chunks in one direction queue behind each other on the line. */
  start = MAX (now, conn->line_free_at[direction]);
  conn->line_free_at[direction] = start + ms_link_serialise_time_us (link, direction, len);

  d = g_new0 (Delivery, 1);
  d->conn = ms_sim_connection_ref (conn);
  d->direction = direction;
  d->bytes = g_bytes_ref (bytes);
  d->cut_after = cut;
  d->ciphertext = ciphertext;
  d->sent_us = start;
  d->arrival_us = conn->line_free_at[direction] + ms_link_get_latency_us (link);
  conn->in_flight++;
  ms_clock_schedule (world->clock, d->arrival_us, deliver_cb, d, delivery_free);
  ms_device_add_traffic (conn->device, direction, len);
  *sent_out = d->sent_us;
  *arrival_out = d->arrival_us;
}

/* The link and the transcript share the sender's bytes: a message of a few
 * MB answering RETR is not copied for either. */
void
ms_sim_wire_send_plain (MsSimConnection *conn,
                        MsDirection      direction,
                        GBytes          *bytes)
{
  g_autofree char *command = NULL;
  g_autoptr(GBytes) sent_bytes = g_bytes_ref (bytes);
  gboolean cut = FALSE;
  gint64 sent, arrival;

  if (direction == MS_DIRECTION_TO_SERVER)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      gsize keep = len;

      command = ms_chunk_decoder_command_of (conn->protocol, data, len);
      if (find_drop (conn->world, conn, command, len, &keep) != NULL)
        {
          cut = TRUE;
          g_bytes_unref (sent_bytes);
          sent_bytes = g_bytes_new_from_bytes (bytes, 0, keep);
          g_clear_pointer (&command, g_free);
        }
    }

  transmit (conn, direction, sent_bytes, FALSE, cut, &sent, &arrival);
  record_chunk (conn, direction, sent_bytes, sent, arrival, g_bytes_get_size (sent_bytes), FALSE, command);
  if (cut)
    {
      conn->cutting = TRUE;
      ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "the network cuts the connection here: the "
                                                           "rest of this command never arrives")));
    }
}

void
ms_sim_wire_send_records (MsSimConnection *conn,
                          MsDirection      direction,
                          const guint8    *data,
                          gsize            len,
                          gint64          *sent_out,
                          gint64          *arrival_out)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  transmit (conn, direction, bytes, TRUE, FALSE, sent_out, arrival_out);
}

static void
deliver_plain (MsSimConnection *conn,
               MsDirection      direction,
               const guint8    *bytes,
               gsize            len)
{
  if (direction == MS_DIRECTION_TO_SERVER)
    {
      if (conn->held)
        {
          if (conn->held_input == NULL)
            conn->held_input = g_byte_array_new ();
          g_byte_array_append (conn->held_input, bytes, (guint) len);
        }
      else if (len > 0)
        ms_server_session_feed (conn->server, bytes, len);
    }
  else if (len > 0)
    ms_client_session_feed (conn->client, bytes, len);
}

void
ms_sim_wire_record_encrypted (MsSimConnection *conn,
                              MsDirection      direction,
                              const guint8    *data,
                              gsize            len,
                              gint64           sent_us,
                              gint64           arrival_us,
                              gsize            wire_size)
{
  g_autofree char *command = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  if (direction == MS_DIRECTION_TO_SERVER)
    command = ms_chunk_decoder_command_of (conn->protocol, data, len);
  record_chunk (conn, direction, bytes, sent_us, arrival_us, wire_size, TRUE, command);
}

void
ms_sim_wire_receive_decrypted (MsSimConnection *conn,
                               MsDirection      direction,
                               const guint8    *data,
                               gsize            len)
{
  deliver_plain (conn, direction, data, len);
}

static void
deliver_cb (gpointer data)
{
  Delivery *d = data;
  MsSimConnection *conn = d->conn;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (d->bytes, &len);

  conn->in_flight--;
  if (conn->closed)
    return;
  if (d->direction == MS_DIRECTION_TO_CLIENT)
    conn->awaiting_answer = FALSE;

  if (d->ciphertext)
    ms_sim_tls_receive (conn, d->direction, bytes, len, d->sent_us, d->arrival_us);
  else
    deliver_plain (conn, d->direction, bytes, len);

  if (d->cut_after && !conn->closed)
    ms_sim_connection_close (conn, TRUE, ms_phrase_new (NC_ ("transcript", "connection lost: the network dropped it")));
  ms_world_pump_all (conn->world);
}

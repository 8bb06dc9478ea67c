/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections: the bytes between a client session and a server session,
 * carried by the device's link model and written to the transcript. */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <string.h>

#include "ms-external-link.h"
#include "ms-protocol-event.h"
#include "ms-sim-sessions.h"
#include "ms-smtp-server-session.h"
#include "ms-tls-certificate.h"
#include "ms-world-private.h"

typedef struct
{
  MsSimConnection *conn;
  MsDirection   direction;
  GBytes       *bytes;
  gboolean      cut_after;
  gboolean      ciphertext;
  gint64        sent_us;
  gint64        arrival_us;
} Delivery;

static MsSimConnection *
connection_ref (MsSimConnection *conn)
{
  g_atomic_ref_count_inc (&conn->ref_count);
  return conn;
}

void
ms_sim_connection_unref (MsSimConnection *conn)
{
  if (!g_atomic_ref_count_dec (&conn->ref_count))
    return;

  g_assert (conn->closed);
  g_clear_object (&conn->device);
  g_clear_object (&conn->client);
  g_clear_object (&conn->server);
  g_free (conn->protocol);
  g_free (conn->last_command);
  g_clear_pointer (&conn->held_input, g_byte_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (conn->decoders); i++)
    ms_line_decoder_clear (&conn->decoders[i]);
  g_clear_object (&conn->tls_client);
  g_clear_object (&conn->tls_server);
  for (guint i = 0; i < G_N_ELEMENTS (conn->observers); i++)
    g_clear_pointer (&conn->observers[i], ms_tls_record_parser_free);
  g_free (conn);
}

MsTranscriptEntry *
ms_world_new_entry (MsWorld          *world,
                    MsTranscriptKind  kind,
                    MsSimConnection     *conn,
                    const char       *device)
{
  MsTranscriptEntry *entry = ms_transcript_entry_new (kind);

  entry->time_us = ms_clock_get_now_us (world->clock);
  entry->arrival_us = entry->time_us;
  entry->step = world->step;
  if (conn != NULL)
    {
      entry->connection = conn->id;
      entry->device = g_strdup (ms_device_get_name (conn->device));
      entry->protocol = g_strdup (conn->protocol);
      entry->port = conn->port;
    }
  else
    entry->device = g_strdup (device);
  return entry;
}

void
ms_world_add_entry (MsWorld           *world,
                    MsTranscriptEntry *entry)
{
  ms_transcript_append (world->transcript, entry);
  g_object_unref (entry);
}

static void
connection_notice (MsSimConnection *conn,
                   const char   *text)
{
  MsTranscriptEntry *entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);

  entry->text = g_strdup (text);
  ms_world_add_entry (conn->world, entry);
}

/* The command a client line carries: "RETR" for POP3 and SMTP, "a4 UID
 * FETCH" for IMAP (tag, then the command name, with UID's sub-command). */
static char *
command_of_line (const char *protocol,
                 const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 4);
  guint n = g_strv_length (words);

  if (n == 0 || words[0][0] == '\0')
    return NULL;
  if (g_str_equal (protocol, "imap"))
    {
      if (n < 2)
        return g_strdup (words[0]);
      if (n >= 3 && g_ascii_strcasecmp (words[1], "UID") == 0)
        return g_strdup_printf ("%s UID %s", words[0], words[2]);
      return g_strdup_printf ("%s %s", words[0], words[1]);
    }
  return g_ascii_strup (words[0], -1);
}

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
find_drop (MsWorld      *world,
           MsSimConnection *conn,
           const char   *command,
           gsize         len,
           gsize        *keep)
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

static void
drop_rule_free (MsDropRule *rule)
{
  g_free (rule->device);
  g_free (rule->command);
  g_free (rule);
}

static void deliver_cb (gpointer data);

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  ms_sim_connection_unref (d->conn);
  g_bytes_unref (d->bytes);
  g_free (d);
}

/* Decodes a chunk of plaintext into lines and records it. For TLS the
 * chunk is recorded where it comes out of the receiving end's filter, with
 * the times and size of the ciphertext that carried it. */
static void
record_chunk (MsSimConnection *conn,
              MsDirection      direction,
              const guint8    *data,
              gsize            len,
              gint64           sent_us,
              gint64           arrival_us,
              gsize            wire_size,
              gboolean         encrypted,
              const char      *command)
{
  MsWorld *world = conn->world;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  MsTranscriptEntry *entry;

  if (direction == MS_DIRECTION_TO_SERVER && command != NULL &&
      !conn->decoders[MS_DIRECTION_TO_SERVER].in_dot_data)
    {
      g_free (conn->last_command);
      conn->last_command = g_strdup (command);
      if (g_str_equal (conn->protocol, "pop3") &&
          (g_str_equal (command, "RETR") || g_str_equal (command, "TOP")))
        ms_line_decoder_expect_data (&conn->decoders[MS_DIRECTION_TO_CLIENT]);
    }

  ms_line_decoder_feed (&conn->decoders[direction], conn->protocol, data, len, lines);
  if (direction == MS_DIRECTION_TO_CLIENT && g_str_equal (conn->protocol, "smtp"))
    for (guint i = 0; i < lines->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (lines, i), "354"))
        conn->decoders[MS_DIRECTION_TO_SERVER].in_dot_data = TRUE;
  g_ptr_array_add (lines, NULL);

  entry = ms_world_new_entry (world, MS_TRANSCRIPT_CHUNK, conn, NULL);
  entry->time_us = sent_us;
  entry->arrival_us = arrival_us;
  entry->direction = direction;
  entry->bytes = g_bytes_new (data, len);
  entry->wire_size = wire_size;
  entry->encrypted = encrypted;
  entry->lines = (GStrv) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
  entry->command = g_strdup (direction == MS_DIRECTION_TO_SERVER && command != NULL
                             ? command : conn->last_command);
  ms_world_add_entry (world, entry);
}

static char *
first_line_command (MsSimConnection *conn,
                    const guint8    *data,
                    gsize            len)
{
  const guint8 *nl = memchr (data, '\n', len);
  g_autofree char *first = g_strndup ((const char *) data, nl != NULL ? (gsize) (nl - data) : len);

  g_strchomp (first);
  return command_of_line (conn->protocol, first);
}

/* Puts bytes on the link: timing, counters, and the delivery at arrival. */
static void
transmit (MsSimConnection *conn,
          MsDirection      direction,
          const guint8    *data,
          gsize            len,
          gboolean         ciphertext,
          gboolean         cut,
          gint64          *sent_out,
          gint64          *arrival_out)
{
  MsWorld *world = conn->world;
  MsLink *link = ms_device_get_link (conn->device);
  gint64 now = ms_clock_get_now_us (world->clock);
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
  d->conn = connection_ref (conn);
  d->direction = direction;
  d->bytes = g_bytes_new (data, len);
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

static void
send_chunk (MsSimConnection *conn,
            MsDirection      direction,
            const guint8    *data,
            gsize            len)
{
  g_autofree char *command = NULL;
  gboolean cut = FALSE;
  gint64 sent, arrival;

  if (direction == MS_DIRECTION_TO_SERVER)
    {
      gsize keep = len;

      command = first_line_command (conn, data, len);
      if (find_drop (conn->world, conn, command, len, &keep) != NULL)
        {
          cut = TRUE;
          len = keep;
          g_clear_pointer (&command, g_free);
        }
    }

  transmit (conn, direction, data, len, FALSE, cut, &sent, &arrival);
  record_chunk (conn, direction, data, len, sent, arrival, len, FALSE, command);
  if (cut)
    {
      conn->cutting = TRUE;
      connection_notice (conn, "the network cuts the connection here: the rest of this command never arrives");
    }
}

/* What an eavesdropper sees: one entry per TLS record, never its bytes. */
static void
observe_records (MsSimConnection *conn,
                 MsDirection      direction,
                 const guint8    *data,
                 gsize            len,
                 gint64           sent,
                 gint64           arrival)
{
  MsTlsRecordParser *parser;
  MsTlsRecord *record;

  if (conn->observers[direction] == NULL)
    conn->observers[direction] = ms_tls_record_parser_new ();
  parser = conn->observers[direction];
  if (!ms_tls_record_parser_feed (parser, data, len, NULL))
    return;
  while ((record = ms_tls_record_parser_next (parser)) != NULL)
    {
      MsTranscriptEntry *entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_TLS_RECORD, conn, NULL);

      entry->time_us = sent;
      entry->arrival_us = arrival;
      entry->direction = direction;
      entry->wire_size = (gsize) record->length + 5;
      entry->encrypted = record->encrypted;
      entry->tls_record_type = g_strdup (ms_tls_content_type_name (record->content_type));
      if (record->handshake_names != NULL && record->handshake_names[0] != NULL)
        entry->tls_handshake = g_strjoinv (", ", record->handshake_names);
      entry->text = ms_tls_record_describe (record);
      ms_world_add_entry (conn->world, entry);
      ms_tls_record_free (record);
    }
}

static void
send_ciphertext (MsSimConnection *conn,
                 MsDirection      direction,
                 MsTlsFilter     *filter)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gint64 sent, arrival;

  if (ms_tls_filter_take_ciphertext (filter, buf) == 0)
    return;
  transmit (conn, direction, buf->data, buf->len, TRUE, FALSE, &sent, &arrival);
  observe_records (conn, direction, buf->data, buf->len, sent, arrival);
}

static void
release_hold_cb (gpointer data)
{
  MsSimConnection *conn = data;

  if (conn->closed)
    return;
  conn->held = FALSE;
  ms_server_session_release_hold (conn->server);
  if (conn->held_input != NULL && conn->held_input->len > 0)
    {
      g_autoptr(GByteArray) input = g_steal_pointer (&conn->held_input);

      ms_server_session_feed (conn->server, input->data, input->len);
    }
  ms_world_pump_all (conn->world);
}

static void
connection_maybe_close (MsSimConnection *conn)
{
  if (conn->closed || conn->in_flight > 0 || conn->cutting)
    return;
  if (ms_server_session_is_finished (conn->server))
    ms_sim_connection_close (conn, FALSE, "the server closes the connection");
  else if (ms_client_session_wants_close (conn->client))
    ms_sim_connection_close (conn, FALSE, "the client closes the connection");
}

static void
connection_pump (MsSimConnection *conn)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  if (conn->closed || !conn->established || conn->cutting)
    return;

  if (ms_client_session_take_output (conn->client, buf) > 0)
    {
      if (conn->tls_client != NULL)
        ms_tls_filter_write_plaintext (conn->tls_client, buf->data, buf->len);
      else
        send_chunk (conn, MS_DIRECTION_TO_SERVER, buf->data, buf->len);
      g_byte_array_set_size (buf, 0);
    }
  if (conn->tls_client != NULL)
    send_ciphertext (conn, MS_DIRECTION_TO_SERVER, conn->tls_client);
  if (conn->cutting)
    return;

  if (!conn->held && ms_server_session_get_hold_ms (conn->server) > 0)
    {
      guint hold = ms_server_session_get_hold_ms (conn->server);
      g_autofree char *text = g_strdup_printf ("the server holds this connection for %u ms before answering", hold);

      conn->held = TRUE;
      connection_notice (conn, text);
      ms_clock_schedule (conn->world->clock,
                         ms_clock_get_now_us (conn->world->clock) + (gint64) hold * 1000,
                         release_hold_cb, connection_ref (conn),
                         (GDestroyNotify) ms_sim_connection_unref);
    }
  if (!conn->held && ms_server_session_take_output (conn->server, buf) > 0)
    {
      if (conn->tls_server != NULL)
        ms_tls_filter_write_plaintext (conn->tls_server, buf->data, buf->len);
      else
        send_chunk (conn, MS_DIRECTION_TO_CLIENT, buf->data, buf->len);
      g_byte_array_set_size (buf, 0);
    }
  if (conn->tls_server != NULL)
    send_ciphertext (conn, MS_DIRECTION_TO_CLIENT, conn->tls_server);

  connection_maybe_close (conn);
}

static gboolean
tls_check (MsSimConnection *conn,
           MsTlsFilter     *filter,
           gboolean        *done,
           gboolean         server_side)
{
  const GError *error = ms_tls_filter_get_error (filter);

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf ("TLS failed (%s side): %s",
                                               server_side ? "server" : "client", error->message);

      connection_notice (conn, text);
      ms_sim_connection_close (conn, TRUE, "connection lost: TLS failed");
      return FALSE;
    }
  if (!*done && ms_tls_filter_is_handshake_done (filter))
    {
      *done = TRUE;
      if (server_side)
        {
          g_autofree char *text = g_strdup_printf ("TLS handshake complete: %s, %s",
                                                   ms_tls_filter_get_version_name (filter),
                                                   ms_tls_filter_get_cipher_name (filter));

          connection_notice (conn, text);
          ms_server_session_set_tls_active (conn->server, TRUE);
        }
      else
        ms_client_session_set_tls_active (conn->client, TRUE);
    }
  return TRUE;
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
    {
      gboolean to_server = d->direction == MS_DIRECTION_TO_SERVER;
      MsTlsFilter *filter = to_server ? conn->tls_server : conn->tls_client;
      g_autoptr(GByteArray) plain = g_byte_array_new ();

      /* Ciphertext for an end that has not switched yet cannot happen: each
       * end switches before its peer sends it anything encrypted. */
      g_assert (filter != NULL);
      g_object_ref (filter);
      ms_tls_filter_feed_ciphertext (filter, bytes, len);
      if (tls_check (conn, filter, to_server ? &conn->tls_server_done : &conn->tls_client_done, to_server) &&
          ms_tls_filter_take_plaintext (filter, plain) > 0)
        {
          g_autofree char *command = to_server ? first_line_command (conn, plain->data, plain->len) : NULL;

          record_chunk (conn, d->direction, plain->data, plain->len, d->sent_us, d->arrival_us,
                        len, TRUE, command);
          deliver_plain (conn, d->direction, plain->data, plain->len);
        }
      g_object_unref (filter);
    }
  else
    deliver_plain (conn, d->direction, bytes, len);

  if (d->cut_after && !conn->closed)
    ms_sim_connection_close (conn, TRUE, "connection lost: the network dropped it");
  ms_world_pump_all (conn->world);
}

static MsTlsContext *
world_tls_context (MsWorld  *world,
                   gboolean  server,
                   GError  **error)
{
  if (server)
    {
      if (world->tls_server_context == NULL)
        world->tls_server_context = ms_tls_context_new_server_fixed (error);
      return world->tls_server_context;
    }
  if (world->tls_client_context == NULL)
    {
      const char *cert_pem, *key_pem;
      g_autoptr(MsTlsContext) context = ms_tls_context_new_client (error);

      /* The simulated clients trust the fixed demonstration identity. */
      ms_tls_certificate_fixed_pem (&cert_pem, &key_pem);
      if (context == NULL || !ms_tls_context_trust_pem (context, cert_pem, error))
        return NULL;
      world->tls_client_context = g_steal_pointer (&context);
    }
  return world->tls_client_context;
}

static gboolean
start_tls_end (MsSimConnection *conn,
               gboolean         server)
{
  g_autoptr(GError) error = NULL;
  MsTlsContext *context = world_tls_context (conn->world, server, &error);

  if (context == NULL)
    {
      connection_notice (conn, error->message);
      return FALSE;
    }
  if (server)
    conn->tls_server = ms_tls_filter_new_server (context);
  else
    conn->tls_client = ms_tls_filter_new_client (context, "localhost");
  return TRUE;
}

static void
on_server_event (MsServerSession       *server,
                 const MsProtocolEvent *event,
                 MsSimConnection          *conn)
{
  MsTranscriptEntry *entry;

  if (event->kind == MS_PROTOCOL_EVENT_STATE)
    {
      entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_STATE, conn, NULL);
      entry->text = event->text != NULL
        ? g_strdup_printf ("server: %s -> %s", event->text, event->name)
        : g_strdup_printf ("server: %s", event->name);
    }
  else if (event->kind == MS_PROTOCOL_EVENT_NOTICE)
    {
      entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);
      entry->text = event->text != NULL
        ? g_strdup_printf ("server: %s: %s", event->name, event->text)
        : g_strdup_printf ("server: %s", event->name);
    }
  else
    return;   /* commands and responses are already in the chunks */
  ms_world_add_entry (conn->world, entry);
}

static void
on_server_tls_requested (MsServerSession *server,
                         MsSimConnection *conn)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  /* The positive answer goes out in plain text; everything after it from
   * the server is inside TLS. */
  if (ms_server_session_take_output (conn->server, buf) > 0)
    send_chunk (conn, MS_DIRECTION_TO_CLIENT, buf->data, buf->len);
  if (start_tls_end (conn, TRUE))
    connection_notice (conn, "the server starts TLS: from now on it sends only TLS records");
}

static void
on_client_event (MsClientSession       *client,
                 const MsProtocolEvent *event,
                 MsSimConnection          *conn)
{
  MsTranscriptEntry *entry;

  if (event->kind == MS_PROTOCOL_EVENT_STATE)
    {
      entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_STATE, conn, NULL);
      entry->text = event->text != NULL
        ? g_strdup_printf ("client: %s -> %s", event->text, event->name)
        : g_strdup_printf ("client: %s", event->name);
    }
  else if (event->kind == MS_PROTOCOL_EVENT_NOTICE)
    {
      entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);
      entry->text = event->text != NULL
        ? g_strdup_printf ("client: %s: %s", event->name, event->text)
        : g_strdup_printf ("client: %s", event->name);
    }
  else
    return;
  ms_world_add_entry (conn->world, entry);
}

static void
on_client_tls_requested (MsClientSession *client,
                         MsSimConnection *conn)
{
  if (start_tls_end (conn, FALSE))
    connection_notice (conn, "the client starts the TLS handshake");
}

static void
established_cb (gpointer data)
{
  MsSimConnection *conn = data;

  if (conn->closed)
    return;
  conn->established = TRUE;
  if (conn->is_mail && ms_device_get_tls_mode (conn->device) == MS_CLIENT_TLS_IMPLICIT)
    {
      /* Implicit TLS (995/993): the handshake comes before the first byte of
       * POP3 or IMAP, so even the greeting is encrypted. */
      if (!start_tls_end (conn, TRUE) || !start_tls_end (conn, FALSE))
        {
          ms_sim_connection_close (conn, TRUE, "connection lost: TLS could not start");
          return;
        }
      connection_notice (conn, "implicit TLS: the handshake starts at once");
    }
  ms_server_session_start (conn->server);
  ms_client_session_connected (conn->client);
  ms_world_pump_all (conn->world);
}

MsSimConnection *
ms_sim_connection_open (MsWorld         *world,
                    MsDevice        *device,
                    MsClientSession *client,
                    const char      *protocol,
                    gboolean         is_mail,
                    GError         **error)
{
  g_autoptr(MsServerSession) server = NULL;
  MsSimConnection *conn;
  MsLink *link = ms_device_get_link (device);
  gboolean implicit = is_mail && ms_device_get_tls_mode (device) == MS_CLIENT_TLS_IMPLICIT;
  g_autofree char *text = NULL;

  if (is_mail && ms_device_get_server_url (device) != NULL)
    server = ms_external_link_new (ms_device_get_server_url (device), error);
  else
    server = ms_sim_new_server_session (protocol, world->server_store, implicit, error);
  if (server == NULL)
    return NULL;
  /* The Received: line of delivered mail carries the virtual time, not the real one. */
  if (MS_IS_SMTP_SERVER_SESSION (server))
    ms_smtp_server_session_set_now (MS_SMTP_SERVER_SESSION (server), ms_world_get_unix_now (world));

  conn = g_new0 (MsSimConnection, 1);
  g_atomic_ref_count_init (&conn->ref_count);
  conn->id = ++world->next_connection_id;
  conn->world = world;
  conn->device = g_object_ref (device);
  conn->client = g_object_ref (client);
  conn->server = g_steal_pointer (&server);
  conn->protocol = g_strdup (protocol);
  conn->port = ms_sim_default_port (protocol, implicit);
  conn->is_mail = is_mail;
  for (guint i = 0; i < G_N_ELEMENTS (conn->decoders); i++)
    ms_line_decoder_init (&conn->decoders[i]);

  conn->server_handlers[0] = g_signal_connect (conn->server, "protocol-event",
                                               G_CALLBACK (on_server_event), conn);
  conn->server_handlers[1] = g_signal_connect (conn->server, "tls-requested",
                                               G_CALLBACK (on_server_tls_requested), conn);
  conn->client_handlers[0] = g_signal_connect (conn->client, "protocol-event",
                                               G_CALLBACK (on_client_event), conn);
  conn->client_handlers[1] = g_signal_connect (conn->client, "tls-requested",
                                               G_CALLBACK (on_client_tls_requested), conn);

  g_ptr_array_add (world->connections, conn);
  if (is_mail)
    {
      device->connection = conn;
      ms_device_notify_connected (device);
    }
  ms_device_add_connection (device);

  if (is_mail && ms_device_get_server_url (device) != NULL)
    conn->port = (guint) g_ascii_strtoull (strrchr (ms_device_get_server_url (device), ':') + 1, NULL, 10);
  text = g_strdup_printf ("%s opens a TCP connection to %s, port %u (%s%s)",
                          ms_device_get_name (device),
                          is_mail && ms_device_get_server_url (device) != NULL ? "the external server" : "the server",
                          conn->port,
                          g_str_equal (protocol, "pop3") ? "POP3" :
                          g_str_equal (protocol, "imap") ? "IMAP" : "SMTP submission",
                          implicit ? " over TLS" : "");
  connection_notice (conn, text);

  /* TCP's handshake costs one round trip before the first byte of mail. */
  ms_device_add_round_trip (device);
  ms_clock_schedule (world->clock,
                     ms_clock_get_now_us (world->clock) + 2 * ms_link_get_latency_us (link),
                     established_cb, connection_ref (conn), (GDestroyNotify) ms_sim_connection_unref);
  return conn;
}

void
ms_sim_connection_close (MsSimConnection *conn,
                     gboolean      lost,
                     const char   *why)
{
  MsWorld *world = conn->world;

  if (conn->closed)
    return;

  conn->closed = TRUE;
  connection_notice (conn, why);

  for (guint i = 0; i < G_N_ELEMENTS (conn->server_handlers); i++)
    g_clear_signal_handler (&conn->server_handlers[i], conn->server);

  if (lost || !ms_server_session_is_finished (conn->server))
    ms_server_session_connection_lost (conn->server);

  if (conn->is_mail && conn->device->connection == conn)
    {
      conn->device->connection = NULL;
      ms_device_notify_connected (conn->device);
    }

  if (lost)
    ms_client_session_connection_lost (conn->client);
  else
    ms_client_session_connection_closed (conn->client);

  for (guint i = 0; i < G_N_ELEMENTS (conn->client_handlers); i++)
    if (conn->client_handlers[i] != 0)
      g_clear_signal_handler (&conn->client_handlers[i], conn->client);

  /* Dropping the world's reference; deliveries still queued hold their own. */
  g_ptr_array_remove (world->connections, conn);
}

void
ms_world_pump_device (MsWorld  *world,
                      MsDevice *device)
{
  MsClientSession *client = device->client;

  if (device->connection != NULL)
    {
      connection_pump (device->connection);
      return;
    }
  if (client == NULL || !ms_client_session_wants_connection (client))
    return;

  if (!device->online)
    {
      /* Tell the client once per action; it decides whether to queue. */
      if (device->offline_refused)
        return;
      device->offline_refused = TRUE;
      ms_world_add_notice (world, device->name,
                           "offline: the device cannot reach the server");
      ms_client_session_connection_lost (client);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    if (ms_sim_connection_open (world, device, client, device->protocol, TRUE, &error) == NULL)
      {
        ms_world_add_notice (world, device->name, error->message);
        ms_client_session_connection_lost (client);
      }
  }
}

void
ms_world_pump_all (MsWorld *world)
{
  /* Connections may close (and be removed) while being pumped: copy first.
   * The order is the order the connections were opened, so it is stable. */
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_sim_connection_unref);
  guint n_devices = g_list_model_get_n_items (G_LIST_MODEL (world->devices));

  for (guint i = 0; i < world->connections->len; i++)
    g_ptr_array_add (conns, connection_ref (g_ptr_array_index (world->connections, i)));
  for (guint i = 0; i < conns->len; i++)
    connection_pump (g_ptr_array_index (conns, i));

  for (guint i = 0; i < n_devices; i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (G_LIST_MODEL (world->devices), i);

      if (device->connection == NULL)
        ms_world_pump_device (world, device);
    }
}

void
ms_world_free_drop_rule (gpointer rule);

void
ms_world_free_drop_rule (gpointer rule)
{
  drop_rule_free (rule);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections between a device's client session and a server session:
 * opening (with TCP's round trip), pumping the sessions' output onto the
 * wire, the sessions' events into the transcript, and closing. The bytes on
 * the wire are ms-world-wire.c; TLS is ms-world-tls.c. */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-display-names.h"
#include "ms-external-link.h"
#include "ms-protocol-event.h"
#include "ms-sim-sessions.h"
#include "ms-smtp-server-session.h"
#include "ms-world-connection-private.h"

MsSimConnection *
ms_sim_connection_ref (MsSimConnection *conn)
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
  g_clear_pointer (&conn->held_input, g_byte_array_unref);
  ms_chunk_decoder_clear (&conn->chunks);
  g_clear_object (&conn->tls_client);
  g_clear_object (&conn->tls_server);
  for (guint i = 0; i < G_N_ELEMENTS (conn->observers); i++)
    {
      g_clear_pointer (&conn->observers[i], ms_tls_record_parser_free);
      g_clear_pointer (&conn->observed[i], g_byte_array_unref);
      g_clear_pointer (&conn->tls_pending[i], g_byte_array_unref);
    }
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

void
ms_sim_connection_notice (MsSimConnection *conn,
                          MsPhrase        *phrase)
{
  MsTranscriptEntry *entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);

  ms_transcript_entry_set_phrase (entry, phrase);
  ms_world_add_entry (conn->world, entry);
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

/* Everything the server has to say now, as one chunk. A session may hand
 * out its answer a budget at a time (IMAP FETCH); the simulated link has
 * its own model of time and bandwidth, so it takes all of it, which keeps
 * a transcript what it was before sessions streamed. */
static GBytes *
take_server_output (MsSimConnection *conn)
{
  GBytes *first = ms_server_session_take_output_bytes (conn->server);
  GByteArray *all;

  if (first == NULL)
    return NULL;
  /* The first part is not copied (g_bytes_unref_to_array() takes over its
   * buffer); only what follows it is appended. */
  all = g_bytes_unref_to_array (first);
  while (ms_server_session_take_output (conn->server, all) > 0)
    ;
  return g_byte_array_free_to_bytes (all);
}

static void
connection_maybe_close (MsSimConnection *conn)
{
  if (conn->closed || conn->in_flight > 0 || conn->cutting)
    return;
  if (ms_server_session_is_finished (conn->server))
    ms_sim_connection_close (conn, FALSE, ms_phrase_new (NC_ ("transcript", "the server closes the connection")));
  else if (ms_client_session_wants_close (conn->client))
    ms_sim_connection_close (conn, FALSE, ms_phrase_new (NC_ ("transcript", "the client closes the connection")));
}

/* Plaintext from one end onto the link: in clear, or into its TLS filter. */
static void
send_from (MsSimConnection *conn,
           MsDirection      direction,
           GBytes          *bytes)
{
  gboolean tls = direction == MS_DIRECTION_TO_SERVER ? conn->tls_client != NULL : conn->tls_server != NULL;

  if (tls)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      ms_sim_tls_write (conn, direction, data, len);
    }
  else
    ms_sim_wire_send_plain (conn, direction, bytes);
}

static void
connection_pump (MsSimConnection *conn)
{
  g_autoptr(GBytes) client_output = NULL;
  g_autoptr(GBytes) server_output = NULL;

  if (conn->closed || !conn->established || conn->cutting)
    return;

  {
    g_autoptr(GByteArray) buf = g_byte_array_new ();

    if (ms_client_session_take_output (conn->client, buf) > 0)
      {
        client_output = g_byte_array_free_to_bytes (g_steal_pointer (&buf));
        send_from (conn, MS_DIRECTION_TO_SERVER, client_output);
      }
  }
  if (conn->tls_client != NULL)
    ms_sim_tls_send (conn, MS_DIRECTION_TO_SERVER);
  if (conn->cutting)
    return;

  if (!conn->held && ms_server_session_get_hold_ms (conn->server) > 0)
    {
      guint hold = ms_server_session_get_hold_ms (conn->server);
      conn->held = TRUE;
      ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "the server holds this connection for %u "
                                                           "ms before answering"),
                                                     ms_phrase_uint (hold)));
      ms_clock_schedule (conn->world->clock,
                         ms_clock_get_now_us (conn->world->clock) + (gint64) hold * 1000,
                         release_hold_cb, ms_sim_connection_ref (conn),
                         (GDestroyNotify) ms_sim_connection_unref);
    }
  if (!conn->held && (server_output = take_server_output (conn)) != NULL)
    send_from (conn, MS_DIRECTION_TO_CLIENT, server_output);
  if (conn->tls_server != NULL)
    ms_sim_tls_send (conn, MS_DIRECTION_TO_CLIENT);

  connection_maybe_close (conn);
}

static void
on_server_event (MsServerSession       *server,
                 const MsProtocolEvent *event,
                 MsSimConnection          *conn)
{
  MsTranscriptEntry *entry;

  if (event->kind == MS_PROTOCOL_EVENT_STATE)
    entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_STATE, conn, NULL);
  else if (event->kind == MS_PROTOCOL_EVENT_NOTICE)
    entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);
  else
    return;   /* commands and responses are already in the chunks */
  ms_transcript_entry_set_phrase (entry, ms_protocol_event_describe (event, "server"));
  ms_world_add_entry (conn->world, entry);
}

static void
on_server_tls_requested (MsServerSession *server,
                         MsSimConnection *conn)
{
  g_autoptr(GBytes) answer = take_server_output (conn);

  /* The positive answer goes out in plain text; everything after it from
   * the server is inside TLS. */
  if (answer != NULL)
    ms_sim_wire_send_plain (conn, MS_DIRECTION_TO_CLIENT, answer);
  if (ms_sim_tls_start_end (conn, TRUE))
    ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "the server starts TLS: from now on it "
                                                        "sends only TLS records")));
}

static void
on_client_event (MsClientSession       *client,
                 const MsProtocolEvent *event,
                 MsSimConnection          *conn)
{
  MsTranscriptEntry *entry;

  if (event->kind == MS_PROTOCOL_EVENT_STATE)
    entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_STATE, conn, NULL);
  else if (event->kind == MS_PROTOCOL_EVENT_NOTICE)
    entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_NOTICE, conn, NULL);
  else
    return;
  ms_transcript_entry_set_phrase (entry, ms_protocol_event_describe (event, "client"));
  ms_world_add_entry (conn->world, entry);
}

static void
on_client_tls_requested (MsClientSession *client,
                         MsSimConnection *conn)
{
  if (ms_sim_tls_start_end (conn, FALSE))
    ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "the client starts the TLS handshake")));
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
      if (!ms_sim_tls_start_end (conn, TRUE) || !ms_sim_tls_start_end (conn, FALSE))
        {
          ms_sim_connection_close (conn, TRUE, ms_phrase_new (NC_ ("transcript", "connection lost: TLS could not start")));
          return;
        }
      ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "implicit TLS: the handshake starts at once")));
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
  gboolean external = is_mail && ms_device_get_server_url (device) != NULL;
  MsPhrase *service;

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
  ms_chunk_decoder_init (&conn->chunks, protocol);

  /* Only states and notices: the commands and responses are read from
   * the wire chunks, and a server asked for none need not describe them. */
  conn->server_handlers[0] = g_signal_connect (conn->server, "protocol-event::state",
                                               G_CALLBACK (on_server_event), conn);
  conn->server_handlers[2] = g_signal_connect (conn->server, "protocol-event::notice",
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
  if (g_str_equal (protocol, "pop3"))
    service = implicit ? ms_phrase_new (NC_ ("transcript", "POP3 over TLS")) : ms_phrase_text ("POP3");
  else if (g_str_equal (protocol, "imap"))
    service = implicit ? ms_phrase_new (NC_ ("transcript", "IMAP over TLS")) : ms_phrase_text ("IMAP");
  else
    service = implicit ? ms_phrase_new (NC_ ("transcript", "SMTP submission over TLS"))
                       : ms_phrase_new (NC_ ("transcript", "SMTP submission"));
  ms_sim_connection_notice (conn,
                            external
                            ? ms_phrase_new (NC_ ("transcript", "%s opens a TCP connection to the external server, "
                                                  "port %u (%s)"),
                                             ms_phrase_device (ms_device_get_name (device)),
                                             ms_phrase_uint (conn->port), service)
                            : ms_phrase_new (NC_ ("transcript", "%s opens a TCP connection to the server, port %u (%s)"),
                                             ms_phrase_device (ms_device_get_name (device)),
                                             ms_phrase_uint (conn->port), service));

  /* TCP's handshake costs one round trip before the first byte of mail. */
  ms_device_add_round_trip (device);
  ms_clock_schedule (world->clock,
                     ms_clock_get_now_us (world->clock) + 2 * ms_link_get_latency_us (link),
                     established_cb, ms_sim_connection_ref (conn), (GDestroyNotify) ms_sim_connection_unref);
  return conn;
}

void
ms_sim_connection_close (MsSimConnection *conn,
                     gboolean      lost,
                     MsPhrase     *why)
{
  MsWorld *world = conn->world;

  if (conn->closed)
    {
      ms_phrase_unref (why);
      return;
    }

  conn->closed = TRUE;
  ms_sim_connection_notice (conn, why);

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
      ms_world_add_notice_phrase (world, device->name,
                                  ms_phrase_new (NC_ ("transcript", "offline: the device cannot reach the server")));
      ms_client_session_connection_lost (client);
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    if (ms_sim_connection_open (world, device, client, device->protocol, TRUE, &error) == NULL)
      {
        ms_world_add_notice_phrase (world, device->name, ms_phrase_text (error->message));
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
    g_ptr_array_add (conns, ms_sim_connection_ref (g_ptr_array_index (world->connections, i)));
  for (guint i = 0; i < conns->len; i++)
    connection_pump (g_ptr_array_index (conns, i));

  for (guint i = 0; i < n_devices; i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (G_LIST_MODEL (world->devices), i);

      if (device->connection == NULL)
        ms_world_pump_device (world, device);
    }
}

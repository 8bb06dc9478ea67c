/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TLS in the simulation: the two ends of a connection (one MsTlsFilter
 * each, made from the world's contexts), the records an eavesdropper sees
 * (one transcript entry per record, with its bytes as they crossed the
 * wire), and the world's key log, so that an export can hand Wireshark the
 * secrets it needs to decrypt those records. The contexts draw from a
 * fixed-seed generator (ms-tls-sim-random.c): the records, and so the
 * capture and the key log, are the same in every run of a scenario. */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-server-session.h"
#include "ms-world-connection-private.h"

struct _MsWorldTls
{
  MsTlsContext *server_context;
  MsTlsContext *client_context;
  GString      *keylog;   /* NSS key log lines of every connection, in order */
};

void
ms_world_tls_free (MsWorldTls *tls)
{
  g_clear_object (&tls->server_context);
  g_clear_object (&tls->client_context);
  g_string_free (tls->keylog, TRUE);
  g_free (tls);
}

static MsWorldTls *
world_tls (MsWorld *world)
{
  if (world->tls == NULL)
    {
      world->tls = g_new0 (MsWorldTls, 1);
      world->tls->keylog = g_string_new (NULL);
    }
  return world->tls;
}

/**
 * ms_world_get_tls_keylog:
 *
 * The key log of every TLS session the world has run, in the NSS key log
 * format (the format of SSLKEYLOGFILE): one line per secret, with the
 * client random that names the session. Empty when there was no TLS. The
 * simulated sessions use the fixed demonstration identity and exist to be
 * looked into, so their secrets protect nothing real.
 */
const char *
ms_world_get_tls_keylog (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);

  return self->tls != NULL ? self->tls->keylog->str : "";
}

/* Both contexts at once: they share the simulation's fixed-seed random
 * generator, so a scenario gives the same TLS bytes and key log in every
 * run (and every replay). */
static MsTlsContext *
world_tls_context (MsWorld  *world,
                   gboolean  server,
                   GError  **error)
{
  MsWorldTls *tls = world_tls (world);

  if (tls->server_context == NULL &&
      !ms_tls_context_new_simulation (&tls->server_context, &tls->client_context, error))
    return NULL;
  return server ? tls->server_context : tls->client_context;
}

gboolean
ms_sim_tls_start_end (MsSimConnection *conn,
                      gboolean         server)
{
  g_autoptr(GError) error = NULL;
  MsTlsContext *context = world_tls_context (conn->world, server, &error);

  if (context == NULL)
    {
      ms_sim_connection_notice (conn, ms_phrase_text (error->message));
      return FALSE;
    }
  if (server)
    conn->tls_server = ms_tls_filter_new_server (context);
  else
    conn->tls_client = ms_tls_filter_new_client (context, "localhost");
  return TRUE;
}

/* Both ends log the same secrets; the client's copy goes to the world's
 * log as its lines appear (OpenSSL logs them during the handshake). */
static void
take_keylog (MsSimConnection *conn)
{
  const char *log;
  gsize len;

  if (conn->tls_client == NULL || conn->world->tls == NULL)
    return;
  log = ms_tls_filter_get_keylog (conn->tls_client);
  len = strlen (log);
  if (len > conn->keylog_taken)
    {
      g_string_append_len (conn->world->tls->keylog, log + conn->keylog_taken, len - conn->keylog_taken);
      conn->keylog_taken = len;
    }
}

/* What an eavesdropper sees: one entry per TLS record, with the record's
 * bytes for a capture, its type and size for the text transcript. */
static void
observe_records (MsSimConnection *conn,
                 MsDirection      direction,
                 const guint8    *data,
                 gsize            len,
                 gint64           sent,
                 gint64           arrival)
{
  MsTlsRecordParser *parser;
  GByteArray *observed;
  MsTlsRecord *record;

  if (conn->observers[direction] == NULL)
    {
      conn->observers[direction] = ms_tls_record_parser_new ();
      conn->observed[direction] = g_byte_array_new ();
    }
  parser = conn->observers[direction];
  observed = conn->observed[direction];
  if (!ms_tls_record_parser_feed (parser, data, len, NULL))
    {
      /* Not TLS (the parser stays in error): nothing more to show. */
      g_byte_array_set_size (observed, 0);
      return;
    }
  g_byte_array_append (observed, data, (guint) len);
  while ((record = ms_tls_record_parser_next (parser)) != NULL)
    {
      MsTranscriptEntry *entry = ms_world_new_entry (conn->world, MS_TRANSCRIPT_TLS_RECORD, conn, NULL);
      gsize size = MIN ((gsize) record->length + 5, observed->len);

      entry->time_us = sent;
      entry->arrival_us = arrival;
      entry->direction = direction;
      entry->wire_size = (gsize) record->length + 5;
      entry->bytes = g_bytes_new (observed->data, size);
      g_byte_array_remove_range (observed, 0, (guint) size);
      entry->encrypted = record->encrypted;
      entry->tls_record_type = g_strdup (ms_tls_content_type_name (record->content_type));
      if (record->handshake_names != NULL && record->handshake_names[0] != NULL)
        entry->tls_handshake = g_strjoinv (", ", record->handshake_names);
      entry->text = ms_tls_record_describe (record);
      ms_world_add_entry (conn->world, entry);
      ms_tls_record_free (record);
    }
}

void
ms_sim_tls_write (MsSimConnection *conn,
                  MsDirection      direction,
                  const guint8    *data,
                  gsize            len)
{
  MsTlsFilter *filter = direction == MS_DIRECTION_TO_SERVER ? conn->tls_client : conn->tls_server;

  g_assert (filter != NULL);
  if (!ms_tls_filter_write_plaintext (filter, data, len))
    return;
  if (conn->tls_pending[direction] == NULL)
    conn->tls_pending[direction] = g_byte_array_new ();
  g_byte_array_append (conn->tls_pending[direction], data, (guint) len);
}

void
ms_sim_tls_send (MsSimConnection *conn,
                 MsDirection      direction)
{
  MsTlsFilter *filter = direction == MS_DIRECTION_TO_SERVER ? conn->tls_client : conn->tls_server;
  GByteArray *pending = conn->tls_pending[direction];
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gint64 sent, arrival;

  if (filter == NULL || ms_tls_filter_take_ciphertext (filter, buf) == 0)
    return;
  ms_sim_wire_send_records (conn, direction, buf->data, buf->len, &sent, &arrival);
  observe_records (conn, direction, buf->data, buf->len, sent, arrival);
  take_keylog (conn);
  /* A filter encrypts what it was given as soon as its handshake is done,
   * so the held plaintext is inside the records that just left. */
  if (pending != NULL && pending->len > 0 && ms_tls_filter_is_handshake_done (filter))
    {
      ms_sim_wire_record_encrypted (conn, direction, pending->data, pending->len, sent, arrival, buf->len);
      g_byte_array_set_size (pending, 0);
    }
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
      if (server_side)
        ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "TLS failed (server side): %s"),
                                                       ms_phrase_text (error->message)));
      else
        ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "TLS failed (client side): %s"),
                                                       ms_phrase_text (error->message)));
      ms_sim_connection_close (conn, TRUE, ms_phrase_new (NC_ ("transcript", "connection lost: TLS failed")));
      return FALSE;
    }
  if (!*done && ms_tls_filter_is_handshake_done (filter))
    {
      *done = TRUE;
      if (server_side)
        {
          ms_sim_connection_notice (conn, ms_phrase_new (NC_ ("transcript", "TLS handshake complete: %s, %s"),
                                                         ms_phrase_text (ms_tls_filter_get_version_name (filter)),
                                                         ms_phrase_text (ms_tls_filter_get_cipher_name (filter))));
          ms_server_session_set_tls_active (conn->server, TRUE);
        }
      else
        {
          ms_client_session_set_tls_active (conn->client, TRUE);
          if (conn->is_mail && conn->device->connection == conn)
            ms_device_set_encrypted (conn->device, TRUE);
        }
    }
  return TRUE;
}

void
ms_sim_tls_receive (MsSimConnection *conn,
                    MsDirection      direction,
                    const guint8    *data,
                    gsize            len,
                    gint64           sent_us,
                    gint64           arrival_us)
{
  gboolean to_server = direction == MS_DIRECTION_TO_SERVER;
  MsTlsFilter *filter = to_server ? conn->tls_server : conn->tls_client;
  g_autoptr(GByteArray) plain = g_byte_array_new ();

  /* Ciphertext for an end that has not switched yet cannot happen: each
   * end switches before its peer sends it anything encrypted. */
  g_assert (filter != NULL);
  g_object_ref (filter);
  ms_tls_filter_feed_ciphertext (filter, data, len);
  take_keylog (conn);
  if (tls_check (conn, filter, to_server ? &conn->tls_server_done : &conn->tls_client_done, to_server) &&
      ms_tls_filter_take_plaintext (filter, plain) > 0)
    ms_sim_wire_receive_decrypted (conn, direction, plain->data, plain->len);
  g_object_unref (filter);
}

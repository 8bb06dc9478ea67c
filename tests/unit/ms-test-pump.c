/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-test-pump"
#include "config.h"

#include <string.h>

#include "ms-test-pump.h"
#include "ms-protocol-event.h"

static void
on_finished (MsClientSession      *client,
             const MsClientAction *action,
             gboolean              success,
             const MsPhrase       *summary,
             MsTestPump           *pump)
{
  g_assert_false (pump->finished);  /* exactly one per action */
  pump->finished = TRUE;
  pump->success = success;
  g_free (pump->summary);
  /* The English line: what the tests compare with. */
  pump->summary = ms_phrase_to_english (summary);
  if (g_test_verbose ())
    g_printerr ("# finished %s: %s: %s\n", ms_client_action_kind_to_string (action->kind),
                success ? "ok" : "FAILED", pump->summary);
}

static void
on_event (MsClientSession       *client,
          const MsProtocolEvent *event,
          MsTestPump            *pump)
{
  g_ptr_array_add (pump->events, g_strdup_printf ("%s %s %s", ms_protocol_event_kind_name (event->kind),
                                                  event->name, event->text ? event->text : ""));
}

static void
on_tls (MsClientSession *client,
        MsTestPump      *pump)
{
  pump->tls_pending = TRUE;
}

void
ms_test_pump_init (MsTestPump          *pump,
                   MsClientSession     *client,
                   MsTestServerFactory  factory,
                   gpointer             factory_data)
{
  memset (pump, 0, sizeof *pump);
  pump->client = g_object_ref (client);
  pump->factory = factory;
  pump->factory_data = factory_data;
  pump->drop_after = -1;
  pump->wire = g_string_new (NULL);
  pump->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (client, "action-finished", G_CALLBACK (on_finished), pump);
  g_signal_connect (client, "protocol-event", G_CALLBACK (on_event), pump);
  g_signal_connect (client, "tls-requested", G_CALLBACK (on_tls), pump);
}

void
ms_test_pump_clear (MsTestPump *pump)
{
  g_signal_handlers_disconnect_by_data (pump->client, pump);
  g_clear_object (&pump->server);
  g_clear_object (&pump->client);
  g_string_free (pump->wire, TRUE);
  g_ptr_array_unref (pump->events);
  g_free (pump->summary);
}

static void
log_bytes (MsTestPump *pump, const char *prefix, const guint8 *data, gsize len)
{
  g_string_append (pump->wire, prefix);
  g_string_append_len (pump->wire, (const char *) data, len);
}

static gboolean
step (MsTestPump *pump)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gboolean moved = FALSE;

  if (pump->server == NULL && ms_client_session_wants_connection (pump->client))
    {
      pump->server = pump->factory (pump->factory_data);
      if (pump->server == NULL)
        {
          /* No network: as the simulation does, tell the client the connection failed. */
          ms_client_session_connection_lost (pump->client);
          return TRUE;
        }
      pump->server_bytes = 0;
      pump->n_connections++;
      ms_server_session_start (pump->server);
      ms_client_session_connected (pump->client);
      return TRUE;
    }
  if (pump->server == NULL)
    return FALSE;

  if (ms_client_session_take_output (pump->client, buf) > 0)
    {
      log_bytes (pump, "C: ", buf->data, buf->len);
      ms_server_session_feed (pump->server, buf->data, buf->len);
      g_byte_array_set_size (buf, 0);
      moved = TRUE;
    }
  if (ms_server_session_take_output (pump->server, buf) > 0)
    {
      gsize len = buf->len;

      if (pump->drop_after >= 0 && pump->server_bytes + len > (gsize) pump->drop_after)
        {
          len = pump->drop_after - pump->server_bytes;
          log_bytes (pump, "S: ", buf->data, len);
          ms_client_session_feed (pump->client, buf->data, len);
          log_bytes (pump, "", (const guint8 *) "\n-- connection lost --\n", 23);
          ms_server_session_connection_lost (pump->server);
          g_clear_object (&pump->server);
          pump->drop_after = -1;
          ms_client_session_connection_lost (pump->client);
          return TRUE;
        }
      pump->server_bytes += len;
      log_bytes (pump, "S: ", buf->data, len);
      if (pump->byte_at_a_time)
        for (gsize i = 0; i < len && pump->server; i++)
          ms_client_session_feed (pump->client, buf->data + i, 1);
      else
        ms_client_session_feed (pump->client, buf->data, len);
      moved = TRUE;
    }
  if (pump->tls_pending)
    {
      pump->tls_pending = FALSE;
      ms_server_session_set_tls_active (pump->server, TRUE);
      ms_client_session_set_tls_active (pump->client, TRUE);
      moved = TRUE;
    }
  if (ms_client_session_wants_close (pump->client) ||
      (ms_server_session_is_finished (pump->server) && !moved))
    {
      /* Deliver what the server still had to say, then close. */
      while (ms_server_session_take_output (pump->server, buf) > 0)
        {
          log_bytes (pump, "S: ", buf->data, buf->len);
          ms_client_session_feed (pump->client, buf->data, buf->len);
          g_byte_array_set_size (buf, 0);
        }
      g_clear_object (&pump->server);
      ms_client_session_connection_closed (pump->client);
      return TRUE;
    }
  return moved;
}

void
ms_test_pump_settle (MsTestPump *pump)
{
  for (guint i = 0; i < 1000000 && step (pump); i++)
    ;
}

gboolean
ms_test_pump_run (MsTestPump           *pump,
                  const MsClientAction *action)
{
  g_autoptr(GError) error = NULL;

  pump->finished = FALSE;
  g_assert_true (ms_client_session_begin_action (pump->client, action, &error));
  g_assert_no_error (error);
  ms_test_pump_settle (pump);
  g_assert_true (pump->finished);
  return pump->success;
}

guint
ms_test_pump_count (MsTestPump *pump,
                    const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (pump->wire->str, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

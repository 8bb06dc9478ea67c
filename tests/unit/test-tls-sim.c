/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulation's TLS contexts (ms_tls_context_new_simulation) draw from a
 * fixed-seed generator: two fresh pairs give the same bytes on the wire and
 * the same key log, while contexts for real connections stay random. */
#define G_LOG_DOMAIN "test-tls-sim"
#include "config.h"

#include <string.h>

#include "ms-tls-certificate.h"
#include "ms-tls-filter.h"

typedef struct
{
  GByteArray *wire;     /* both directions, in the order they were sent */
  GString    *keylog;   /* the client's */
  GByteArray *plain;    /* what the server decrypted */
} Session;

static void
shuttle (MsTlsFilter *from,
         MsTlsFilter *to,
         GByteArray  *wire,
         gboolean    *moved)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  if (ms_tls_filter_take_ciphertext (from, buf) == 0)
    return;
  g_byte_array_append (wire, buf->data, buf->len);
  ms_tls_filter_feed_ciphertext (to, buf->data, buf->len);
  *moved = TRUE;
}

/* A handshake and one command from the client, as the simulation runs it. */
static void
run_session (MsTlsContext *server_ctx,
             MsTlsContext *client_ctx,
             Session      *session)
{
  g_autoptr(MsTlsFilter) server = ms_tls_filter_new_server (server_ctx);
  g_autoptr(MsTlsFilter) client = ms_tls_filter_new_client (client_ctx, "localhost");
  static const char command[] = "a1 LOGIN alice wonderland\r\n";
  gboolean moved = TRUE;

  session->wire = g_byte_array_new ();
  session->plain = g_byte_array_new ();
  ms_tls_filter_write_plaintext (client, (const guint8 *) command, strlen (command));
  for (guint round = 0; moved; round++)
    {
      g_assert_cmpuint (round, <, 50);
      moved = FALSE;
      shuttle (client, server, session->wire, &moved);
      shuttle (server, client, session->wire, &moved);
    }
  g_assert_null (ms_tls_filter_get_error (client));
  g_assert_null (ms_tls_filter_get_error (server));
  ms_tls_filter_take_plaintext (server, session->plain);
  session->keylog = g_string_new (ms_tls_filter_get_keylog (client));
}

static void
session_clear (Session *session)
{
  g_byte_array_unref (session->wire);
  g_byte_array_unref (session->plain);
  g_string_free (session->keylog, TRUE);
}

static void
simulated_session (Session *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsTlsContext) server_ctx = NULL;
  g_autoptr(MsTlsContext) client_ctx = NULL;

  g_assert_true (ms_tls_context_new_simulation (&server_ctx, &client_ctx, &error));
  g_assert_no_error (error);
  g_assert_true (ms_tls_context_get_verifies_peer (client_ctx));
  run_session (server_ctx, client_ctx, session);
}

static void
test_simulation_deterministic (void)
{
  Session a, b;

  simulated_session (&a);
  simulated_session (&b);
  g_assert_cmpmem (a.plain->data, a.plain->len, "a1 LOGIN alice wonderland\r\n", 27);
  g_assert_cmpmem (a.wire->data, a.wire->len, b.wire->data, b.wire->len);
  g_assert_cmpstr (a.keylog->str, ==, b.keylog->str);
  g_assert_nonnull (strstr (a.keylog->str, "CLIENT_TRAFFIC_SECRET_0 "));
  session_clear (&a);
  session_clear (&b);
}

/* The fixed seed belongs to the simulation's library context only. */
static void
test_real_contexts_stay_random (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsTlsContext) server_ctx = ms_tls_context_new_server_fixed (&error);
  g_autoptr(MsTlsContext) client_ctx = ms_tls_context_new_client (&error);
  Session sim, a, b;

  g_assert_no_error (error);
  simulated_session (&sim);
  run_session (server_ctx, client_ctx, &a);
  run_session (server_ctx, client_ctx, &b);
  g_assert_cmpuint (a.wire->len, ==, b.wire->len);
  g_assert_true (memcmp (a.wire->data, b.wire->data, a.wire->len) != 0);
  g_assert_cmpstr (a.keylog->str, !=, b.keylog->str);
  g_assert_cmpstr (a.keylog->str, !=, sim.keylog->str);
  session_clear (&sim);
  session_clear (&a);
  session_clear (&b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls/simulation/deterministic", test_simulation_deterministic);
  g_test_add_func ("/tls/simulation/real-contexts-stay-random", test_real_contexts_stay_random);
  return g_test_run ();
}

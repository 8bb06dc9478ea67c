/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-tls"
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include "ms-tls-certificate.h"
#include "ms-tls-context.h"
#include "ms-tls-filter.h"
#include "ms-tls-record-parser.h"

/* Two filters joined in memory, with an eavesdropper on each direction that
 * keeps every byte (for byte-at-a-time replays) and every record. */
typedef struct {
  MsTlsFilter       *client;
  MsTlsFilter       *server;
  GByteArray        *wire[2];      /* 0: client to server, 1: server to client */
  MsTlsRecordParser *observer[2];
  GPtrArray         *records[2];   /* of MsTlsRecord */
  GByteArray        *plain_at_server;
  GByteArray        *plain_at_client;
} Link;

static MsTlsContext *
fixed_server_context (void)
{
  g_autoptr(GError) error = NULL;
  MsTlsContext *ctx = ms_tls_context_new_server_fixed (&error);

  g_assert_no_error (error);
  return ctx;
}

static MsTlsContext *
trusting_client_context (MsTlsVersion max)
{
  g_autoptr(GError) error = NULL;
  MsTlsContext *ctx = ms_tls_context_new_client (&error);
  const char *cert_pem;

  g_assert_no_error (error);
  ms_tls_certificate_fixed_pem (&cert_pem, NULL);
  g_assert_true (ms_tls_context_trust_pem (ctx, cert_pem, &error));
  g_assert_no_error (error);
  g_assert_true (ms_tls_context_set_max_version (ctx, max, &error));
  g_assert_no_error (error);
  return ctx;
}

static void
observe (Link         *link,
         guint         dir,
         const guint8 *data,
         gsize         len)
{
  MsTlsRecord *record;

  g_byte_array_append (link->wire[dir], data, len);
  /* An eavesdropper's parser may fail (the refused TLS 1.1 case still
   * parses); a failure is checked by the tests that expect one. */
  ms_tls_record_parser_feed (link->observer[dir], data, len, NULL);
  while ((record = ms_tls_record_parser_next (link->observer[dir])) != NULL)
    g_ptr_array_add (link->records[dir], record);
}

static void
link_init (Link         *link,
           MsTlsContext *server_ctx,
           MsTlsContext *client_ctx,
           const char   *server_name)
{
  memset (link, 0, sizeof *link);
  link->server = ms_tls_filter_new_server (server_ctx);
  link->client = ms_tls_filter_new_client (client_ctx, server_name);
  for (guint i = 0; i < 2; i++)
    {
      link->wire[i] = g_byte_array_new ();
      link->observer[i] = ms_tls_record_parser_new ();
      link->records[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_tls_record_free);
    }
  link->plain_at_server = g_byte_array_new ();
  link->plain_at_client = g_byte_array_new ();
}

static void
link_clear (Link *link)
{
  g_clear_object (&link->client);
  g_clear_object (&link->server);
  for (guint i = 0; i < 2; i++)
    {
      g_byte_array_unref (link->wire[i]);
      ms_tls_record_parser_free (link->observer[i]);
      g_ptr_array_unref (link->records[i]);
    }
  g_byte_array_unref (link->plain_at_server);
  g_byte_array_unref (link->plain_at_client);
}

/* Moves bytes both ways until neither side has anything to send. */
static void
pump (Link *link)
{
  for (guint round = 0; round < 100; round++)
    {
      g_autoptr(GByteArray) c2s = g_byte_array_new ();
      g_autoptr(GByteArray) s2c = g_byte_array_new ();

      ms_tls_filter_take_ciphertext (link->client, c2s);
      if (c2s->len > 0)
        {
          observe (link, 0, c2s->data, c2s->len);
          ms_tls_filter_feed_ciphertext (link->server, c2s->data, c2s->len);
        }
      ms_tls_filter_take_ciphertext (link->server, s2c);
      if (s2c->len > 0)
        {
          observe (link, 1, s2c->data, s2c->len);
          ms_tls_filter_feed_ciphertext (link->client, s2c->data, s2c->len);
        }
      ms_tls_filter_take_plaintext (link->server, link->plain_at_server);
      ms_tls_filter_take_plaintext (link->client, link->plain_at_client);
      if (c2s->len == 0 && s2c->len == 0)
        return;
    }
  g_assert_not_reached ();
}

static gboolean
records_have_name (GPtrArray  *records,
                   const char *name)
{
  for (guint i = 0; i < records->len; i++)
    {
      MsTlsRecord *record = g_ptr_array_index (records, i);

      if (record->handshake_names && g_strv_contains ((const char * const *) record->handshake_names, name))
        return TRUE;
    }
  return FALSE;
}

static MsTlsRecord *
record_at (GPtrArray *records,
           guint      i)
{
  g_assert_cmpuint (i, <, records->len);
  return g_ptr_array_index (records, i);
}

static void
test_handshake_tls13 (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (MS_TLS_VERSION_1_3);
  static const char greeting[] = "+OK POP3 ready\r\n";
  static const char command[] = "USER alice\r\n";
  Link link;

  link_init (&link, server_ctx, client_ctx, "localhost");
  /* Written before the handshake: held and sent right after it. */
  g_assert_true (ms_tls_filter_write_plaintext (link.client, (const guint8 *) command, strlen (command)));
  pump (&link);
  g_assert_no_error ((GError *) ms_tls_filter_get_error (link.client));
  g_assert_no_error ((GError *) ms_tls_filter_get_error (link.server));
  g_assert_true (ms_tls_filter_is_handshake_done (link.client));
  g_assert_true (ms_tls_filter_is_handshake_done (link.server));
  g_assert_cmpstr (ms_tls_filter_get_version_name (link.server), ==, "TLSv1.3");
  g_assert_true (ms_tls_filter_write_plaintext (link.server, (const guint8 *) greeting, strlen (greeting)));
  pump (&link);
  g_assert_cmpmem (link.plain_at_server->data, link.plain_at_server->len, command, strlen (command));
  g_assert_cmpmem (link.plain_at_client->data, link.plain_at_client->len, greeting, strlen (greeting));

  /* The plaintext never crosses the wire. */
  g_assert_null (g_strstr_len ((const char *) link.wire[0]->data, link.wire[0]->len, "alice"));
  g_assert_null (g_strstr_len ((const char *) link.wire[1]->data, link.wire[1]->len, "POP3"));

  /* What an eavesdropper sees: a ClientHello, a ServerHello, and then only
   * application_data records (the rest of the handshake is encrypted). */
  g_assert_cmpuint (record_at (link.records[0], 0)->content_type, ==, MS_TLS_CONTENT_HANDSHAKE);
  g_assert_cmpstr (record_at (link.records[0], 0)->handshake_names[0], ==, "ClientHello");
  g_assert_cmpstr (record_at (link.records[1], 0)->handshake_names[0], ==, "ServerHello");
  g_assert_true (ms_tls_record_parser_saw_tls13 (link.observer[1]));
  g_assert_false (records_have_name (link.records[1], "Certificate"));
  for (guint dir = 0; dir < 2; dir++)
    for (guint i = 1; i < link.records[dir]->len; i++)
      {
        MsTlsRecord *record = record_at (link.records[dir], i);

        g_assert_true (record->content_type == MS_TLS_CONTENT_APPLICATION_DATA ||
                       record->content_type == MS_TLS_CONTENT_CHANGE_CIPHER_SPEC);
        g_assert_true (record->encrypted == (record->content_type == MS_TLS_CONTENT_APPLICATION_DATA));
        g_assert_cmpuint (record->version, ==, 0x0303);
      }
  link_clear (&link);
}

static void
test_handshake_tls12 (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (MS_TLS_VERSION_1_2);
  static const char *client_names[] = { "ClientHello", "ClientKeyExchange" };
  static const char *server_names[] = { "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone" };
  static const char command[] = "a1 CAPABILITY\r\n";
  Link link;
  gboolean saw_ccs = FALSE, saw_encrypted_handshake = FALSE;

  link_init (&link, server_ctx, client_ctx, "127.0.0.1");
  pump (&link);
  g_assert_true (ms_tls_filter_is_handshake_done (link.server));
  g_assert_cmpstr (ms_tls_filter_get_version_name (link.client), ==, "TLSv1.2");
  g_assert_true (ms_tls_filter_write_plaintext (link.client, (const guint8 *) command, strlen (command)));
  pump (&link);
  g_assert_cmpmem (link.plain_at_server->data, link.plain_at_server->len, command, strlen (command));

  /* In TLS 1.2 the eavesdropper sees the whole handshake by name, up to the
   * ChangeCipherSpec; the Finished after it is an encrypted handshake record. */
  for (guint i = 0; i < G_N_ELEMENTS (client_names); i++)
    g_assert_true (records_have_name (link.records[0], client_names[i]));
  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    g_assert_true (records_have_name (link.records[1], server_names[i]));
  g_assert_false (ms_tls_record_parser_saw_tls13 (link.observer[1]));
  for (guint i = 0; i < link.records[0]->len; i++)
    {
      MsTlsRecord *record = record_at (link.records[0], i);

      if (record->content_type == MS_TLS_CONTENT_CHANGE_CIPHER_SPEC)
        saw_ccs = TRUE;
      else if (saw_ccs && record->content_type == MS_TLS_CONTENT_HANDSHAKE)
        {
          g_assert_true (record->encrypted);
          g_assert_null (record->handshake_names);
          saw_encrypted_handshake = TRUE;
        }
    }
  g_assert_true (saw_ccs);
  g_assert_true (saw_encrypted_handshake);
  link_clear (&link);
}

static void
test_tls11_refused (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = NULL;
  g_autoptr(GError) error = NULL;
  const GError *server_error;
  gboolean saw_alert = FALSE;
  Link link;

  client_ctx = ms_tls_context_new_client (&error);
  g_assert_no_error (error);
  g_assert_true (ms_tls_context_set_max_version (client_ctx, MS_TLS_VERSION_1_1, &error));
  g_assert_no_error (error);
  /* A server context never goes below 1.2. */
  g_assert_false (ms_tls_context_set_max_version (server_ctx, MS_TLS_VERSION_1_1, &error));
  g_assert_error (error, MS_TLS_ERROR, MS_TLS_ERROR_SETTINGS);

  link_init (&link, server_ctx, client_ctx, "localhost");
  /* The client really offered TLS 1.1 and nothing newer. */
  g_assert_cmpuint (link.client != NULL, ==, TRUE);
  pump (&link);
  g_assert_false (ms_tls_filter_is_handshake_done (link.server));
  g_assert_false (ms_tls_filter_is_handshake_done (link.client));
  server_error = ms_tls_filter_get_error (link.server);
  g_assert_error ((GError *) server_error, MS_TLS_ERROR, MS_TLS_ERROR_HANDSHAKE);
  g_assert_nonnull (strstr (server_error->message, "protocol"));
  g_assert_nonnull (ms_tls_filter_get_error (link.client));
  g_assert_cmpuint (record_at (link.records[0], 0)->version, <=, 0x0302);
  g_assert_cmpstr (record_at (link.records[0], 0)->handshake_names[0], ==, "ClientHello");
  /* The server's answer is a fatal protocol_version alert, in clear. */
  for (guint i = 0; i < link.records[1]->len; i++)
    {
      MsTlsRecord *record = record_at (link.records[1], i);

      if (record->content_type == MS_TLS_CONTENT_ALERT)
        {
          g_autofree char *text = ms_tls_record_describe (record);

          g_assert_cmpuint (record->alert_level, ==, 2);
          g_assert_cmpuint (record->alert_description, ==, 70);
          g_assert_cmpstr (text, ==, "alert 2 B: fatal protocol_version");
          saw_alert = TRUE;
        }
    }
  g_assert_true (saw_alert);
  /* A failed filter takes nothing more. */
  g_assert_false (ms_tls_filter_write_plaintext (link.server, (const guint8 *) "x", 1));
  link_clear (&link);
}

static void
test_wrong_name_refused (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (MS_TLS_VERSION_1_3);
  Link link;

  link_init (&link, server_ctx, client_ctx, "mail.example.org");
  pump (&link);
  g_assert_false (ms_tls_filter_is_handshake_done (link.client));
  g_assert_error ((GError *) ms_tls_filter_get_error (link.client), MS_TLS_ERROR, MS_TLS_ERROR_HANDSHAKE);
  g_assert_nonnull (strstr (ms_tls_filter_get_error (link.client)->message, "mismatch"));
  link_clear (&link);
}

static void
test_keylog (void)
{
  static const MsTlsVersion versions[] = { MS_TLS_VERSION_1_2, MS_TLS_VERSION_1_3 };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
      g_autoptr(MsTlsContext) client_ctx = trusting_client_context (versions[v]);
      Link link;

      link_init (&link, server_ctx, client_ctx, "localhost");
      g_assert_cmpstr (ms_tls_filter_get_keylog (link.server), ==, "");
      pump (&link);
      for (guint side = 0; side < 2; side++)
        {
          const char *log = ms_tls_filter_get_keylog (side ? link.server : link.client);
          g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

          if (versions[v] == MS_TLS_VERSION_1_2)
            {
              g_assert_true (g_str_has_prefix (log, "CLIENT_RANDOM "));
              g_assert_cmpuint (g_strv_length (lines), ==, 2);   /* one line and the final "" */
              /* label, 32-byte client random and 48-byte master secret in hex */
              g_assert_cmpuint (strlen (lines[0]), ==, strlen ("CLIENT_RANDOM ") + 64 + 1 + 96);
            }
          else
            {
              g_assert_nonnull (strstr (log, "CLIENT_HANDSHAKE_TRAFFIC_SECRET "));
              g_assert_nonnull (strstr (log, "SERVER_HANDSHAKE_TRAFFIC_SECRET "));
              g_assert_nonnull (strstr (log, "CLIENT_TRAFFIC_SECRET_0 "));
              g_assert_nonnull (strstr (log, "SERVER_TRAFFIC_SECRET_0 "));
              g_assert_nonnull (strstr (log, "EXPORTER_SECRET "));
            }
        }
      /* Both ends derive the same secrets: the lines are the same set. */
      {
        g_auto(GStrv) a = g_strsplit (ms_tls_filter_get_keylog (link.client), "\n", -1);
        const char *server_log = ms_tls_filter_get_keylog (link.server);

        for (guint i = 0; a[i] && *a[i]; i++)
          g_assert_nonnull (strstr (server_log, a[i]));
      }
      link_clear (&link);
    }
}

static void
test_close_notify (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (MS_TLS_VERSION_1_3);
  Link link;

  link_init (&link, server_ctx, client_ctx, "localhost");
  pump (&link);
  g_assert_false (ms_tls_filter_is_closed (link.server));
  ms_tls_filter_close_notify (link.client);
  pump (&link);
  g_assert_true (ms_tls_filter_is_closed (link.server));
  g_assert_null (ms_tls_filter_get_error (link.server));
  g_assert_false (ms_tls_filter_write_plaintext (link.client, (const guint8 *) "x", 1));
  link_clear (&link);
}

static void
test_garbage_refused (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsFilter) server = ms_tls_filter_new_server (server_ctx);
  static const char plain[] = "CAPA\r\n";

  /* A client that forgot to start TLS on the implicit port. */
  g_assert_false (ms_tls_filter_feed_ciphertext (server, (const guint8 *) plain, strlen (plain)));
  g_assert_error ((GError *) ms_tls_filter_get_error (server), MS_TLS_ERROR, MS_TLS_ERROR_HANDSHAKE);
  g_assert_false (ms_tls_filter_feed_ciphertext (server, (const guint8 *) plain, strlen (plain)));
}

/* Sizes are deterministic for a fixed identity, cipher suite and plaintext,
 * while the bytes are not: the simulation's transcript relies on both. */
static void
run_sizes (MsTlsVersion  version,
           GString      *sizes,
           GByteArray   *first_wire)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (version);
  static const char command[] = "PASS wonderland\r\n";
  Link link;

  link_init (&link, server_ctx, client_ctx, "localhost");
  pump (&link);
  ms_tls_filter_write_plaintext (link.client, (const guint8 *) command, strlen (command));
  ms_tls_filter_write_plaintext (link.server, (const guint8 *) "+OK\r\n", 5);
  pump (&link);
  for (guint dir = 0; dir < 2; dir++)
    for (guint i = 0; i < link.records[dir]->len; i++)
      {
        g_autofree char *text = ms_tls_record_describe (record_at (link.records[dir], i));

        g_string_append_printf (sizes, "%c %s\n", dir ? '<' : '>', text);
      }
  g_byte_array_append (first_wire, link.wire[0]->data, link.wire[0]->len);
  link_clear (&link);
}

static void
test_sizes_deterministic (void)
{
  static const MsTlsVersion versions[] = { MS_TLS_VERSION_1_2, MS_TLS_VERSION_1_3 };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      g_autoptr(GByteArray) wire_a = g_byte_array_new ();
      g_autoptr(GByteArray) wire_b = g_byte_array_new ();

      run_sizes (versions[v], a, wire_a);
      run_sizes (versions[v], b, wire_b);
      g_test_message ("%s", a->str);
      g_assert_cmpstr (a->str, ==, b->str);
      g_assert_cmpuint (wire_a->len, ==, wire_b->len);
      /* ...but the ciphertext differs (fresh randoms and keys each run). */
      g_assert_true (memcmp (wire_a->data, wire_b->data, wire_a->len) != 0);
    }
}

/* Replays a captured stream one byte at a time and in one piece: the
 * observer must report the same records. */
static void
test_records_byte_at_a_time (void)
{
  g_autoptr(MsTlsContext) server_ctx = fixed_server_context ();
  g_autoptr(MsTlsContext) client_ctx = trusting_client_context (MS_TLS_VERSION_1_2);
  Link link;

  link_init (&link, server_ctx, client_ctx, "localhost");
  pump (&link);
  ms_tls_filter_write_plaintext (link.server, (const guint8 *) "* OK\r\n", 6);
  pump (&link);
  for (guint dir = 0; dir < 2; dir++)
    {
      g_autoptr(MsTlsRecordParser) parser = ms_tls_record_parser_new ();
      GByteArray *wire = link.wire[dir];
      guint n = 0;

      for (guint i = 0; i < wire->len; i++)
        {
          MsTlsRecord *got;

          g_assert_true (ms_tls_record_parser_feed (parser, wire->data + i, 1, NULL));
          while ((got = ms_tls_record_parser_next (parser)) != NULL)
            {
              g_autofree char *want_text = ms_tls_record_describe (record_at (link.records[dir], n++));
              g_autofree char *got_text = ms_tls_record_describe (got);

              g_assert_cmpstr (got_text, ==, want_text);
              ms_tls_record_free (got);
            }
        }
      g_assert_cmpuint (n, ==, link.records[dir]->len);
      g_assert_cmpuint (ms_tls_record_parser_get_pending (parser), ==, 0);
    }
  link_clear (&link);
}

typedef struct {
  const char *name;
  const char *hex;        /* the stream, in hex */
  gboolean    ok;
  const char *describe;   /* the first record, or the error's start */
} RecordCase;

static const RecordCase record_cases[] = {
  { "client-hello", "16030100080100000403030000", TRUE, "handshake 8 B: ClientHello" },
  { "two-in-one", "16030300080e0000000e000000", TRUE, "handshake 8 B: ServerHelloDone, ServerHelloDone" },
  { "split-message", "160303000302000010", TRUE, "handshake 3 B" },
  { "alert", "15030300020146", TRUE, "alert 2 B: warning protocol_version" },
  { "ccs", "140303000101", TRUE, "change_cipher_spec 1 B" },
  { "appdata-empty", "1703030000", TRUE, "application_data 0 B, encrypted" },
  { "appdata-max", NULL, TRUE, "application_data 18432 B, encrypted" },
  { "plain-text", "4341504120", FALSE, "Not a TLS record: the bytes look like plain text" },
  { "sslv2-hello", "802e0100020015", FALSE, "Not a TLS record: unknown content type 128" },
  { "bad-version", "1602000001", FALSE, "Not a TLS record: version field 2.0" },
  { "ssl3-reported", "16030000040e000000", TRUE, "handshake 4 B: ServerHelloDone" },
  { "odd-minor", "1503540002020a", TRUE, "alert 2 B: fatal unexpected_message" },
  { "too-long-plain", "1603034001", FALSE, "This handshake record of 16385 bytes" },
  { "too-long-cipher", "1703034801", FALSE, "This application_data record of 18433 bytes" },
  { "empty-handshake", "1603030000", FALSE, "An empty handshake record" },
  { "ccs-long", "14030300020101", FALSE, "A change_cipher_spec record of 2 bytes" },
  { "ccs-value", "140303000102", FALSE, "A change_cipher_spec record carrying 2" },
  { "alert-short", "150303000101", FALSE, "An alert record shorter than an alert" },
  { "huge-message", "1603030004010fffff", FALSE, "A ClientHello message of 1048575 bytes" },
};

static GByteArray *
case_bytes (const RecordCase *c)
{
  GByteArray *bytes = g_byte_array_new ();

  if (c->hex == NULL)
    {
      /* The largest protected record TLS 1.2 allows: 2^14 + 2048. */
      guint8 header[] = { 0x17, 0x03, 0x03, 0x48, 0x00 };

      g_byte_array_append (bytes, header, sizeof header);
      g_byte_array_set_size (bytes, sizeof header + 0x4800);
      memset (bytes->data + sizeof header, 0xaa, 0x4800);
      return bytes;
    }
  for (const char *p = c->hex; p[0] && p[1]; p += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));

      g_byte_array_append (bytes, &b, 1);
    }
  return bytes;
}

static void
test_record_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_cases); i++)
    {
      const RecordCase *c = &record_cases[i];
      g_autoptr(GByteArray) bytes = case_bytes (c);

      /* Once whole, once a byte at a time. */
      for (guint mode = 0; mode < 2; mode++)
        {
          g_autoptr(MsTlsRecordParser) parser = ms_tls_record_parser_new ();
          g_autoptr(GError) error = NULL;
          g_autoptr(MsTlsRecord) first = NULL;
          gboolean ok = TRUE;

          g_test_message ("case %s, mode %u", c->name, mode);
          if (mode == 0)
            ok = ms_tls_record_parser_feed (parser, bytes->data, bytes->len, &error);
          else
            for (guint j = 0; j < bytes->len && ok; j++)
              ok = ms_tls_record_parser_feed (parser, bytes->data + j, 1, &error);
          g_assert_cmpint (ok, ==, c->ok);
          if (c->ok)
            {
              g_autofree char *text = NULL;

              g_assert_no_error (error);
              first = ms_tls_record_parser_next (parser);
              g_assert_nonnull (first);
              text = ms_tls_record_describe (first);
              g_assert_cmpstr (text, ==, c->describe);
            }
          else
            {
              g_autoptr(GError) again = NULL;

              g_assert_error (error, MS_TLS_ERROR, MS_TLS_ERROR_RECORD);
              g_assert_true (g_str_has_prefix (error->message, c->describe));
              /* Sticky: nothing is parsed after garbage. */
              g_assert_false (ms_tls_record_parser_feed (parser, (const guint8 *) "\x17\x03\x03\x00\x00", 5, &again));
              g_assert_error (again, MS_TLS_ERROR, MS_TLS_ERROR_RECORD);
            }
        }
    }
}

/* A handshake message split across two records: the second reports that
 * it carries the rest of it. */
static void
test_record_continuation (void)
{
  static const guint8 stream[] = {
    0x16, 0x03, 0x03, 0x00, 0x06, 0x0b, 0x00, 0x00, 0x04, 0xaa, 0xbb,
    0x16, 0x03, 0x03, 0x00, 0x06, 0xcc, 0xdd, 0x0e, 0x00, 0x00, 0x00,
  };
  g_autoptr(MsTlsRecordParser) parser = ms_tls_record_parser_new ();
  g_autoptr(MsTlsRecord) a = NULL;
  g_autoptr(MsTlsRecord) b = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  g_assert_true (ms_tls_record_parser_feed (parser, stream, sizeof stream, NULL));
  a = ms_tls_record_parser_next (parser);
  b = ms_tls_record_parser_next (parser);
  text_a = ms_tls_record_describe (a);
  text_b = ms_tls_record_describe (b);
  g_assert_cmpstr (text_a, ==, "handshake 6 B: Certificate");
  g_assert_cmpstr (text_b, ==, "handshake 6 B: (rest of Certificate), ServerHelloDone");
  g_assert_null (ms_tls_record_parser_next (parser));
}

static void
check_san (const char *cert_path)
{
  BIO *bio = BIO_new_file (cert_path, "r");
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  GENERAL_NAMES *names;
  gboolean dns = FALSE, ip = FALSE;

  g_assert_nonnull (cert);
  names = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);
  g_assert_nonnull (names);
  for (int i = 0; i < sk_GENERAL_NAME_num (names); i++)
    {
      const GENERAL_NAME *name = sk_GENERAL_NAME_value (names, i);

      if (name->type == GEN_DNS &&
          g_strcmp0 ((const char *) ASN1_STRING_get0_data (name->d.dNSName), "localhost") == 0)
        dns = TRUE;
      if (name->type == GEN_IPADD && ASN1_STRING_length (name->d.iPAddress) == 4 &&
          memcmp (ASN1_STRING_get0_data (name->d.iPAddress), "\x7f\x00\x00\x01", 4) == 0)
        ip = TRUE;
    }
  g_assert_true (dns);
  g_assert_true (ip);
  /* A leaf, valid now. */
  g_assert_cmpint (X509_check_ca (cert), ==, 0);
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notBefore (cert)), <, 0);
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notAfter (cert)), >, 0);
  GENERAL_NAMES_free (names);
  X509_free (cert);
  BIO_free (bio);
}

static void
test_certificate_ensure (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("ms-tls-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "data", "mailscope", "tls", NULL);
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_again = NULL;
  g_autofree char *key_again = NULL;
  g_autofree char *first_pem = NULL;
  g_autofree char *second_pem = NULL;
  g_autoptr(MsTlsContext) server_ctx = NULL;
  g_autoptr(MsTlsContext) client_ctx = NULL;
  GStatBuf st;
  Link link;

  g_assert_no_error (error);
  g_assert_true (ms_tls_certificate_ensure (dir, &cert_path, &key_path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (cert_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, st.st_mode & 0044);   /* readable, never writable by others */
  check_san (cert_path);

  /* The second call reuses what the first made. */
  g_assert_true (g_file_get_contents (cert_path, &first_pem, NULL, NULL));
  g_assert_true (ms_tls_certificate_ensure (dir, &cert_again, &key_again, &error));
  g_assert_true (g_file_get_contents (cert_again, &second_pem, NULL, NULL));
  g_assert_cmpstr (first_pem, ==, second_pem);

  /* A client that trusts exactly this certificate connects to 127.0.0.1,
   * with the clock checked as a real client does. */
  server_ctx = ms_tls_context_new_server (cert_path, key_path, &error);
  g_assert_no_error (error);
  client_ctx = ms_tls_context_new_client (&error);
  g_assert_true (ms_tls_context_trust_file (client_ctx, cert_path, &error));
  g_assert_no_error (error);
  link_init (&link, server_ctx, client_ctx, "127.0.0.1");
  pump (&link);
  g_assert_null (ms_tls_filter_get_error (link.client));
  g_assert_true (ms_tls_filter_is_handshake_done (link.client));
  link_clear (&link);

  /* A key that does not belong to the certificate is refused. */
  {
    const char *fixed_key;
    g_autofree char *other_key = g_build_filename (tmp, "other.pem", NULL);
    g_autoptr(MsTlsContext) bad = NULL;

    ms_tls_certificate_fixed_pem (NULL, &fixed_key);
    g_assert_true (g_file_set_contents (other_key, fixed_key, -1, NULL));
    bad = ms_tls_context_new_server (cert_path, other_key, &error);
    g_assert_null (bad);
    g_assert_error (error, MS_TLS_ERROR, MS_TLS_ERROR_CERTIFICATE);
    g_clear_error (&error);
    g_unlink (other_key);
  }

  g_unlink (cert_path);
  g_unlink (key_path);
  {
    g_autofree char *lock = g_build_filename (dir, "lock", NULL);

    g_unlink (lock);
  }
  g_rmdir (dir);
  {
    g_autofree char *mailscope = g_path_get_dirname (dir);
    g_autofree char *data = g_path_get_dirname (mailscope);

    g_rmdir (mailscope);
    g_rmdir (data);
  }
  g_rmdir (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls/filter/handshake-tls13", test_handshake_tls13);
  g_test_add_func ("/tls/filter/handshake-tls12", test_handshake_tls12);
  g_test_add_func ("/tls/filter/tls11-refused", test_tls11_refused);
  g_test_add_func ("/tls/filter/wrong-name-refused", test_wrong_name_refused);
  g_test_add_func ("/tls/filter/keylog", test_keylog);
  g_test_add_func ("/tls/filter/close-notify", test_close_notify);
  g_test_add_func ("/tls/filter/garbage-refused", test_garbage_refused);
  g_test_add_func ("/tls/filter/sizes-deterministic", test_sizes_deterministic);
  g_test_add_func ("/tls/records/byte-at-a-time", test_records_byte_at_a_time);
  g_test_add_func ("/tls/records/table", test_record_table);
  g_test_add_func ("/tls/records/continuation", test_record_continuation);
  g_test_add_func ("/tls/certificate/ensure", test_certificate_ensure);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-smtp"
#include "config.h"

#include <string.h>

#include "ms-smtp-server-session.h"
#include "ms-smtp-client.h"
#include "ms-store.h"

/* "AGFsaWNlAHNlY3JldA==" is base64 of "\0alice\0secret". */
#define AUTH "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"

typedef struct
{
  const char *name;
  const char *input;        /* what the client sends, all at once */
  const char *expect[10];    /* substrings that must appear in the output, in order */
  guint       delivered;    /* messages in alice's INBOX afterwards */
  gboolean    closed;
} ServerCase;

static const ServerCase server_cases[] = {
  { "plain-delivery",
    "EHLO laptop\r\n" AUTH "MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n"
    "Subject: Hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n",
    { "220 ", "250-PIPELINING", "250 AUTH PLAIN", "235 ", "250 2.1.0", "250 2.1.5", "354 ", "250 2.0.0", "221 " },
    1, TRUE },
  { "auth-required",
    "EHLO laptop\r\nMAIL FROM:<bob@example.org>\r\n",
    { "530 5.7.0" }, 0, FALSE },
  { "unknown-recipient",
    "EHLO laptop\r\n" AUTH "MAIL FROM:<a@b>\r\nRCPT TO:<mallory@elsewhere.net>\r\nDATA\r\n",
    { "550 5.1.1", "503 5.5.1" }, 0, FALSE },
  { "bad-password",
    "EHLO laptop\r\nAUTH PLAIN AGFsaWNlAHdyb25n\r\n",
    { "535 5.7.8" }, 0, FALSE },
  { "auth-continuation",
    "EHLO laptop\r\nAUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\n",
    { "334 ", "235 " }, 0, FALSE },
  { "rset",
    "HELO laptop\r\n" AUTH "MAIL FROM:<a@b>\r\nRCPT TO:<alice>\r\nRSET\r\nDATA\r\nNOOP\r\n",
    { "250 2.1.5", "250 2.0.0 OK", "503 ", "250 2.0.0 OK" }, 0, FALSE },
  { "sequence",
    "RCPT TO:<alice>\r\nDATA\r\nMAIL FROM:<a@b>\r\n",
    { "503 ", "503 ", "503 " }, 0, FALSE },
  { "too-many-errors",
    "X\r\nX\r\nX\r\nX\r\nX\r\nX\r\nX\r\nX\r\nX\r\nX\r\nNOOP\r\n",
    { "500 ", "421 " }, 0, TRUE },
  { "auth-empty",
    "EHLO laptop\r\nAUTH \r\nAUTH\r\nAUTH LOGIN\r\n",
    { "504 ", "504 ", "504 " }, 0, FALSE },
  { "starttls-unavailable",
    "EHLO laptop\r\nSTARTTLS\r\n",
    { "502 " }, 0, FALSE },
};

static void
test_server_case (gconstpointer data)
{
  const ServerCase *c = data;

  /* Every case runs twice: all at once, then one byte at a time. */
  for (guint bytewise = 0; bytewise < 2; bytewise++)
    {
      g_autoptr(MsStore) store = ms_store_new ();
      MsAccount *alice = ms_store_add_account (store, "alice", "secret", NULL);
      g_autoptr(MsSmtpServerSession) session = ms_smtp_server_session_new (store, "mx.example.org", FALSE);
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autofree char *text = NULL;
      const char *pos;
      gsize len = strlen (c->input);

      ms_server_session_start (MS_SERVER_SESSION (session));
      if (bytewise)
        for (gsize i = 0; i < len; i++)
          ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) c->input + i, 1);
      else
        ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) c->input, len);
      ms_server_session_take_output (MS_SERVER_SESSION (session), out);
      text = g_strndup ((const char *) out->data, out->len);
      pos = text;
      for (guint i = 0; i < G_N_ELEMENTS (c->expect) && c->expect[i]; i++)
        {
          const char *hit = strstr (pos, c->expect[i]);

          if (hit == NULL)
            g_error ("%s: expected “%s” after offset %d in:\n%s", c->name, c->expect[i], (int) (pos - text), text);
          pos = hit + strlen (c->expect[i]);
        }
      g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, c->delivered);
      g_assert_cmpint (ms_server_session_is_finished (MS_SERVER_SESSION (session)), ==, c->closed);
    }
}

static void
test_dot_unstuffing_and_received (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *alice = ms_store_add_account (store, "alice", "secret", NULL);
  g_autoptr(MsSmtpServerSession) session = ms_smtp_server_session_new (store, "mx.example.org", FALSE);
  const char *input = "EHLO laptop\r\n" AUTH "MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\n"
                      "RCPT TO:<alice>\r\nDATA\r\nSubject: Dots\r\n\r\n..leading\r\n...two\r\n.\r\n";
  GBytes *raw;
  const char *data;
  gsize len;

  ms_smtp_server_session_set_now (session, 1700000000);
  ms_server_session_start (MS_SERVER_SESSION (session));
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) input, strlen (input));
  /* The same account twice is delivered once. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, 1);
  raw = ms_message_get_raw (ms_mailbox_get_message (ms_account_get_inbox (alice), 0));
  data = g_bytes_get_data (raw, &len);
  g_assert_true (g_str_has_prefix (data, "Received: from laptop\r\n\tby mx.example.org with ESMTPA id 1;\r\n"
                                         "\tTue, 14 Nov 2023 22:13:20 +0000\r\n"));
  g_assert_nonnull (g_strstr_len (data, len, "\r\nSubject: Dots\r\n\r\n.leading\r\n..two\r\n"));
  g_assert_cmpmem (data + len - 7, 7, "..two\r\n", 7);
}

static void
test_size_limit (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *alice = ms_store_add_account (store, "alice", "secret", NULL);
  g_autoptr(MsSmtpServerSession) session = ms_smtp_server_session_new (store, "mx", FALSE);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *head = "EHLO l\r\n" AUTH "MAIL FROM:<a@b>\r\nRCPT TO:<alice>\r\nDATA\r\n";
  g_autofree char *line = g_strnfill (999, 'x');
  g_autofree char *text = NULL;

  ms_server_session_start (MS_SERVER_SESSION (session));
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) head, strlen (head));
  for (guint i = 0; i < MS_SMTP_MAX_MESSAGE_SIZE / 1000 + 10; i++)
    {
      ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) line, 999);
      ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) "\r\n", 2);
    }
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) ".\r\nNOOP\r\n", 9);
  ms_server_session_take_output (MS_SERVER_SESSION (session), out);
  text = g_strndup ((const char *) out->data, out->len);
  g_assert_nonnull (strstr (text, "552 5.3.4"));
  g_assert_true (g_str_has_suffix (text, "250 2.0.0 OK\r\n"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, 0);
}

static void
test_long_command_line (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(MsSmtpServerSession) session = ms_smtp_server_session_new (store, "mx", FALSE);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *junk = g_strnfill (5000, 'A');
  g_autofree char *text = NULL;

  ms_server_session_start (MS_SERVER_SESSION (session));
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) junk, 5000);
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) junk, 5000);
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) "\r\nNOOP\r\n", 8);
  ms_server_session_take_output (MS_SERVER_SESSION (session), out);
  text = g_strndup ((const char *) out->data, out->len);
  g_assert_nonnull (strstr (text, "500 5.5.2 Line too long\r\n250 2.0.0 OK\r\n"));
}

/* The client against the server, with pretend TLS. */
typedef struct
{
  gboolean finished;
  gboolean success;
  char    *summary;
  gboolean tls;
  GString *wire;
} ClientResult;

static void
on_finished (MsSmtpClient *client, gboolean success, const char *summary, ClientResult *r)
{
  g_assert_false (r->finished);
  r->finished = TRUE;
  r->success = success;
  r->summary = g_strdup (summary);
}

static void
on_tls (MsSmtpClient *client, ClientResult *r)
{
  r->tls = TRUE;
}

static void
send_one (MsStore *store, MsClientTlsMode tls, const char * const *to, const char *message,
          gboolean byte_at_a_time, ClientResult *r)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (message, strlen (message));
  g_autoptr(MsSmtpClient) client = ms_smtp_client_new ("alice", "secret", "alice@example.org", to, bytes, tls);
  g_autoptr(MsSmtpServerSession) server = ms_smtp_server_session_new (store, "mx.example.org", TRUE);
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gboolean moved = TRUE;

  memset (r, 0, sizeof *r);
  r->wire = g_string_new (NULL);
  g_signal_connect (client, "finished", G_CALLBACK (on_finished), r);
  g_signal_connect (client, "tls-requested", G_CALLBACK (on_tls), r);
  g_assert_true (ms_smtp_client_wants_connection (client));
  ms_server_session_start (MS_SERVER_SESSION (server));
  ms_smtp_client_connected (client);
  while (moved && !r->finished)
    {
      moved = FALSE;
      if (ms_server_session_take_output (MS_SERVER_SESSION (server), buf))
        {
          g_string_append_len (r->wire, (const char *) buf->data, buf->len);
          if (byte_at_a_time)
            for (guint i = 0; i < buf->len; i++)
              ms_smtp_client_feed (client, buf->data + i, 1);
          else
            ms_smtp_client_feed (client, buf->data, buf->len);
          g_byte_array_set_size (buf, 0);
          moved = TRUE;
        }
      if (r->tls)
        {
          r->tls = FALSE;
          ms_server_session_set_tls_active (MS_SERVER_SESSION (server), TRUE);
          ms_smtp_client_set_tls_active (client, TRUE);
          moved = TRUE;
        }
      if (ms_smtp_client_take_output (client, buf))
        {
          g_string_append_len (r->wire, (const char *) buf->data, buf->len);
          ms_server_session_feed (MS_SERVER_SESSION (server), buf->data, buf->len);
          g_byte_array_set_size (buf, 0);
          moved = TRUE;
        }
      if (ms_smtp_client_wants_close (client))
        {
          ms_smtp_client_connection_closed (client);
          moved = TRUE;
        }
    }
  g_assert_true (r->finished);
}

static void
test_client_sends (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *alice = ms_store_add_account (store, "alice", "secret", NULL);
  const char *to[] = { "alice@example.org", "nobody@elsewhere.net", NULL };
  const char *message = "Subject: Report\nFrom: alice@example.org\n\n.hidden dot\nbody\n";
  ClientResult r;
  GBytes *raw;
  gsize len;
  const char *data;

  for (guint bytewise = 0; bytewise < 2; bytewise++)
    {
      send_one (store, bytewise ? MS_CLIENT_TLS_STARTTLS : MS_CLIENT_TLS_OFF, to, message, bytewise, &r);
      g_assert_true (r.success);
      g_assert_cmpstr (r.summary, ==, "submitted the message by SMTP for 1 recipient");
      g_assert_nonnull (strstr (r.wire->str, "\r\n..hidden dot\r\n"));
      g_assert_cmpint (strstr (r.wire->str, "\r\nSTARTTLS\r\n") != NULL, ==, bytewise);
      g_free (r.summary);
      g_string_free (r.wire, TRUE);
    }
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, 2);
  raw = ms_message_get_raw (ms_mailbox_get_message (ms_account_get_inbox (alice), 0));
  data = g_bytes_get_data (raw, &len);
  g_assert_nonnull (g_strstr_len (data, len, "\r\n\r\n.hidden dot\r\nbody\r\n"));

  /* No acceptable recipient: nothing sent, a clear reason. */
  {
    const char *nobody[] = { "x@elsewhere.net", NULL };

    send_one (store, MS_CLIENT_TLS_OFF, nobody, message, FALSE, &r);
    g_assert_false (r.success);
    g_assert_cmpstr (r.summary, ==, "not sent: the server accepted none of the recipients");
    g_free (r.summary);
    g_string_free (r.wire, TRUE);
  }
}

static char *
smtp_feed (MsSmtpServerSession *session,
           const char          *input)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) input, strlen (input));
  ms_server_session_take_output (MS_SERVER_SESSION (session), out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return g_strdup ((const char *) out->data);
}

/* RFC 3207 section 4.2 and CVE-2011-0411: nothing sent in clear after
 * STARTTLS runs, whether in the same write or a later one before the
 * handshake, and after it the client starts over with EHLO. */
static void
test_starttls_injection (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(MsSmtpServerSession) session = NULL;
  g_autofree char *first = NULL, *late = NULL, *after = NULL;

  g_assert_nonnull (ms_store_add_account (store, "alice", "secret", NULL));
  session = ms_smtp_server_session_new (store, "mx.example.org", TRUE);
  ms_server_session_start (MS_SERVER_SESSION (session));
  g_free (smtp_feed (session, ""));
  first = smtp_feed (session, "EHLO laptop\r\nSTARTTLS\r\nMAIL FROM:<a@b>\r\n");
  g_assert_nonnull (strstr (first, "220 "));
  g_assert_null (strstr (first, "250 2.1.0"));
  late = smtp_feed (session, "RCPT TO:<alice>\r\n");
  g_assert_cmpstr (late, ==, "");
  ms_server_session_set_tls_active (MS_SERVER_SESSION (session), TRUE);
  after = smtp_feed (session, "MAIL FROM:<a@b>\r\n");
  g_assert_true (g_str_has_prefix (after, "503 "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp/server/%s", server_cases[i].name);
      g_test_add_data_func (path, &server_cases[i], test_server_case);
    }
  g_test_add_func ("/smtp/server/dot-unstuffing-and-received", test_dot_unstuffing_and_received);
  g_test_add_func ("/smtp/server/size-limit", test_size_limit);
  g_test_add_func ("/smtp/server/long-command-line", test_long_command_line);
  g_test_add_func ("/smtp/server/starttls-injection", test_starttls_injection);
  g_test_add_func ("/smtp/client/sends", test_client_sends);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A real socket client that asks for a whole large mailbox and does not
 * read: the server (MsListener, MsConnection, the IMAP session) must hold
 * no more than its output budget for it, and once the client reads, every
 * byte must arrive in order, with the command pipelined behind the FETCH
 * answered after it. Plain and under implicit TLS.
 *
 * The test is both ends on one thread: the client's socket is non-blocking
 * and the main loop runs between its reads (never a fixed sleep). The
 * client's receive buffer is fixed small; the server's send buffer may grow
 * to a few MiB (tcp_wmem), far less than the 19 MiB asked for, so the
 * kernel cannot take the whole answer off the server's hands. */
#define G_LOG_DOMAIN "test-imap-stream"
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ms-imap-server-session.h"
#include "ms-limits.h"
#include "ms-listener.h"
#include "ms-store.h"
#include "ms-tls-certificate.h"
#include "ms-tls-context.h"
#include "ms-tls-filter.h"

#define N_MESSAGES   300
#define MESSAGE_SIZE (64 * 1024)   /* above the by-reference size */
#define SOCKET_BUF   (32 * 1024)

typedef struct
{
  MsStore             *store;
  MsMailbox           *inbox;
  MsListener          *listener;
  MsConnection        *connection;   /* the server's side */
  MsImapServerSession *session;
  GSocket             *socket;       /* the client's side */
  MsTlsFilter         *tls;          /* the client's TLS, or NULL */
  GString             *received;     /* what the client read, decrypted */
} Fixture;

static GBytes *
make_message (guint i)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "Subject: message %u\r\n\r\n", i + 1);
  while (s->len < MESSAGE_SIZE)
    g_string_append_printf (s, "line %u of message %u\r\n", (guint) s->len, i + 1);
  return g_string_free_to_bytes (s);
}

static MsServerSession *
new_session (gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->session);
  f->session = ms_imap_server_session_new (f->store);
  return MS_SERVER_SESSION (g_object_ref (f->session));
}

static void
on_opened (MsListener   *listener,
           MsConnection *connection,
           Fixture      *f)
{
  f->connection = g_object_ref (connection);
}

static void flush_tls (Fixture *f);

static void
fixture_init (Fixture *f,
              gboolean tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *bound = NULL;
  MsAccount *account;
  int size = SOCKET_BUF;

  memset (f, 0, sizeof *f);
  f->store = ms_store_new ();
  account = ms_store_add_account (f->store, "alice", "wonderland", NULL);
  f->inbox = ms_account_get_inbox (account);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(GBytes) raw = make_message (i);
      ms_mailbox_append (f->inbox, raw, MS_FLAG_NONE, NULL, 1704103200 + i, 0);
    }

  f->listener = ms_listener_new ("imap", new_session, f);
  g_signal_connect (f->listener, "connection-opened", G_CALLBACK (on_opened), f);
  if (tls)
    {
      g_autoptr(MsTlsContext) server = ms_tls_context_new_server_fixed (&error);
      g_autoptr(MsTlsContext) client = NULL;
      const char *cert_pem;

      g_assert_no_error (error);
      ms_listener_set_tls (f->listener, server, TRUE);
      client = ms_tls_context_new_client (&error);
      g_assert_no_error (error);
      ms_tls_certificate_fixed_pem (&cert_pem, NULL);
      g_assert_true (ms_tls_context_trust_pem (client, cert_pem, &error));
      g_assert_no_error (error);
      f->tls = ms_tls_filter_new_client (client, "localhost");
    }
  bound = ms_listener_listen (f->listener, "127.0.0.1:0", &error);
  g_assert_no_error (error);

  /* A small receive buffer set before connecting, so that the window the
   * client offers stays small. */
  f->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_set_option (f->socket, SOL_SOCKET, SO_RCVBUF, size, &error));
  g_assert_no_error (error);
  {
    const char *colon = strrchr (bound, ':');
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

    address = g_inet_socket_address_new (loopback, (guint16) g_ascii_strtoull (colon + 1, NULL, 10));
  }
  g_assert_true (g_socket_connect (f->socket, address, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (f->socket, FALSE);
  f->received = g_string_new (NULL);

  /* The server's side is accepted on the main loop. */
  while (f->connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  flush_tls (f);   /* the ClientHello */
}

static void
fixture_clear (Fixture *f)
{
  ms_listener_stop (f->listener);
  g_object_unref (f->socket);
  g_clear_object (&f->tls);
  g_clear_object (&f->connection);
  g_clear_object (&f->session);
  g_object_unref (f->listener);
  g_object_unref (f->store);
  g_string_free (f->received, TRUE);
}

/* Sends bytes on a non-blocking socket, running the main loop while the
 * kernel has no room. */
static void
send_raw (Fixture      *f,
          const guint8 *data,
          gsize         len)
{
  while (len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (f->socket, (const char *) data, len, NULL, &error);

      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      data += n;
      len -= n;
    }
}

/* The client's TLS sends its pending records. */
static void
flush_tls (Fixture *f)
{
  g_autoptr(GByteArray) records = g_byte_array_new ();

  if (f->tls == NULL)
    return;
  ms_tls_filter_take_ciphertext (f->tls, records);
  send_raw (f, records->data, records->len);
}

static void
client_send (Fixture    *f,
             const char *text)
{
  if (f->tls == NULL)
    {
      send_raw (f, (const guint8 *) text, strlen (text));
      return;
    }
  ms_tls_filter_write_plaintext (f->tls, (const guint8 *) text, strlen (text));
  flush_tls (f);
}

/* Reads what is there without blocking; FALSE when nothing was. */
static gboolean
client_read (Fixture *f)
{
  char buffer[16384];
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive (f->socket, buffer, sizeof buffer, NULL, &error);

  if (n < 0)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      return FALSE;
    }
  g_assert_cmpint (n, >, 0);   /* the server must not close */
  if (f->tls == NULL)
    g_string_append_len (f->received, buffer, n);
  else
    {
      g_autoptr(GByteArray) plain = g_byte_array_new ();

      ms_tls_filter_feed_ciphertext (f->tls, (const guint8 *) buffer, n);
      g_assert_null (ms_tls_filter_get_error (f->tls));
      ms_tls_filter_take_plaintext (f->tls, plain);
      g_string_append_len (f->received, (const char *) plain->data, plain->len);
      flush_tls (f);   /* handshake answers */
    }
  return TRUE;
}

/* Runs both ends until @text has arrived. */
static void
read_until (Fixture    *f,
            const char *text)
{
  gsize checked = 0;

  while (strstr (f->received->str + checked, text) == NULL)
    {
      checked = f->received->len > 64 ? f->received->len - 64 : 0;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!client_read (f))
        g_main_context_iteration (NULL, TRUE);
    }
}

static void
check_answer (Fixture *f)
{
  const char *p = f->received->str;

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      MsMessage *message = ms_mailbox_get_message (f->inbox, i);
      GBytes *raw = ms_message_get_raw (message);
      gsize len = 0;
      const char *data = g_bytes_get_data (raw, &len);
      g_autofree char *head = g_strdup_printf ("* %u FETCH (UID %u BODY[] {%zu}\r\n", i + 1,
                                               ms_message_get_uid (message), len);

      p = strstr (p, head);
      if (p == NULL)
        g_error ("no FETCH answer for message %u", i + 1);
      p += strlen (head);
      g_assert_cmpmem (p, len, data, len);
      p += len;
      g_assert_true (g_str_has_prefix (p, ")\r\n"));
      p += 3;
    }
  g_assert_cmpstr (p, ==, "c OK Fetch completed.\r\nd OK NOOP completed.\r\n");
}

static void
run (gboolean tls)
{
  Fixture f;
  gsize budget = MS_LIMIT_IMAP_OUTPUT_BUDGET;

  fixture_init (&f, tls);
  read_until (&f, "* OK [CAPABILITY");
  client_send (&f, "a LOGIN alice wonderland\r\nb SELECT INBOX\r\n");
  read_until (&f, "b OK [READ-WRITE]");
  g_string_truncate (f.received, 0);

  /* The FETCH and a NOOP behind it; then the client reads nothing while
   * the server runs until it has nothing left to do. */
  client_send (&f, "c UID FETCH 1:* (BODY.PEEK[])\r\nd NOOP\r\n");
  while (!ms_imap_server_session_is_answering (f.session))
    g_main_context_iteration (NULL, TRUE);
  for (guint idle = 0; idle < 100; idle++)
    if (g_main_context_iteration (NULL, FALSE))
      idle = 0;

  /* 19 MiB asked for: the server holds a budget in the session (and one
   * response past it) and a budget, encrypted or not, in the connection. */
  g_assert_true (ms_imap_server_session_is_answering (f.session));
  g_assert_cmpuint (ms_imap_server_session_get_max_queued (f.session), <, budget + MESSAGE_SIZE + 256);
  g_assert_cmpuint (ms_connection_get_max_pending_write (f.connection), <=, budget + (tls ? budget / 8 : 0));
  g_test_message ("not reading: session held at most %zu bytes, connection %zu",
                  ms_imap_server_session_get_max_queued (f.session),
                  ms_connection_get_max_pending_write (f.connection));

  /* Now it reads: everything, in order, the NOOP's answer last. */
  read_until (&f, "d OK NOOP completed.\r\n");
  check_answer (&f);
  g_assert_false (ms_imap_server_session_is_answering (f.session));
  g_assert_cmpuint (ms_connection_get_max_pending_write (f.connection), <=, budget + (tls ? budget / 8 : 0));
  g_assert_false (ms_connection_is_closed (f.connection));
  fixture_clear (&f);
}

/* A client in IDLE that stops reading while another session changes the
 * flags of every message again and again: the server queues the state of
 * the mailbox, not the history of its changes. Once the client reads, the
 * last state of every message arrives. */
#define IDLE_ROUNDS 60

static void
test_idle_not_reading (void)
{
  Fixture f;
  g_autofree MsMessage **messages = g_new (MsMessage *, N_MESSAGES);
  char keyword[160];
  gsize changes = 0;

  fixture_init (&f, FALSE);
  read_until (&f, "* OK [CAPABILITY");
  client_send (&f, "a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc IDLE\r\n");
  read_until (&f, "+ idling");
  g_string_truncate (f.received, 0);

  for (guint i = 0; i < N_MESSAGES; i++)
    messages[i] = ms_mailbox_get_message (f.inbox, i);
  for (guint round = 0; round < IDLE_ROUNDS; round++)
    {
      const char *keywords[] = { keyword, NULL };

      /* Long keywords make each round's FETCH lines longer than the last:
       * told one by one, 60 rounds come to some 80 MB. */
      memset (keyword, 'k', sizeof keyword - 8);
      g_snprintf (keyword + sizeof keyword - 8, 8, "%u", round);
      g_assert_cmpint (ms_mailbox_store_flags_many (f.inbox, messages, N_MESSAGES, MS_FLAGS_ADD, MS_FLAG_NONE,
                                                    keywords), ==, N_MESSAGES);
      changes += N_MESSAGES * (32 + (round + 1) * sizeof keyword);
      for (guint idle = 0; idle < 20; idle++)
        if (g_main_context_iteration (NULL, FALSE))
          idle = 0;
    }
  g_test_message ("IDLE, not reading: %zu bytes of changes, session held at most %zu",
                  changes, ms_imap_server_session_get_max_queued (f.session));
  /* At most about two announcements of the whole mailbox at its largest
   * (one being written, one waiting), not every change. */
  g_assert_cmpuint (ms_imap_server_session_get_queued (f.session), <, changes / 8);

  /* Now it reads and ends IDLE: the last keyword for every message. */
  client_send (&f, "DONE\r\n");
  read_until (&f, "c OK Idle completed.");
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *head = g_strdup_printf ("* %u FETCH (FLAGS (", i + 1);
      const char *last = NULL;

      for (const char *p = strstr (f.received->str, head); p != NULL; p = strstr (p + 1, head))
        last = p;
      g_assert_nonnull (last);
      g_assert_nonnull (g_strstr_len (last, strstr (last, "\r\n") - last, keyword));
    }
  g_assert_false (ms_connection_is_closed (f.connection));
  fixture_clear (&f);
}

static void
test_plain (void)
{
  run (FALSE);
}

static void
test_tls (void)
{
  run (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imap-stream/not-reading/plain", test_plain);
  g_test_add_func ("/imap-stream/not-reading/tls", test_tls);
  g_test_add_func ("/imap-stream/not-reading/idle", test_idle_not_reading);
  return g_test_run ();
}

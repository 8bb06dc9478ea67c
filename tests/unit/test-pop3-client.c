/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pop3-client"
#include "config.h"

#include <string.h>

#include "ms-pop3-client.h"
#include "ms-client-local.h"
#include "ms-store.h"
#include "ms-test-pump.h"
#include "ms-test-pop3-server.h"

#define DAY (24 * 3600)
#define T0  1700000000

typedef struct
{
  MsStore      *server_store;
  MsMailbox    *server_inbox;
  MsStore      *local_store;
  MsPop3Client *client;
  MsTestPump    pump;
  char         *refuse;
} Fixture;

static const char *messages[] = {
  "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Field trip\r\n\r\nBring boots.\r\n",
  "From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n",
  "From: Dan <dan@example.org>\r\nTo: alice@example.org\r\nSubject: Minutes\r\n\r\nSee attached.\r\n",
};

static MsServerSession *
make_server (gpointer data)
{
  Fixture *f = data;

  return MS_SERVER_SESSION (ms_test_pop3_server_new (f->server_store, f->refuse));
}

static void
deliver (Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (raw, strlen (raw));

  ms_mailbox_append (f->server_inbox, bytes, MS_FLAG_NONE, NULL, T0, 0);
}

static void
setup_with (Fixture *f, const MsClientPolicy *policy, MsClientTlsMode tls)
{
  MsAccount *account;

  f->server_store = ms_store_new ();
  account = ms_store_add_account (f->server_store, "alice", "secret", NULL);
  f->server_inbox = ms_account_get_inbox (account);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    deliver (f, messages[i]);
  f->local_store = ms_store_new ();
  f->client = ms_pop3_client_new (f->local_store, "alice", "secret", policy, tls);
  ms_test_pump_init (&f->pump, MS_CLIENT_SESSION (f->client), make_server, f);
}

static void
teardown (Fixture *f)
{
  ms_test_pump_clear (&f->pump);
  g_object_unref (f->client);
  g_object_unref (f->local_store);
  g_object_unref (f->server_store);
  g_free (f->refuse);
}

static gboolean
run (Fixture *f, MsClientActionKind kind, const char *message, const char *argument, gint64 now)
{
  g_autoptr(MsClientAction) action = ms_client_action_new (kind);

  action->message = g_strdup (message);
  action->argument = g_strdup (argument);
  action->now = now;
  g_string_truncate (f->pump.wire, 0);
  return ms_test_pump_run (&f->pump, action);
}

static MsMailbox *
local_inbox (Fixture *f)
{
  return ms_account_get_inbox (ms_store_lookup_account (f->local_store, "alice"));
}

static void
assert_same_bytes (GBytes *got, const char *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (got, &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

static void
test_delete_after_download (gconstpointer byte_at_a_time)
{
  Fixture f = { 0 };

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  f.pump.byte_at_a_time = GPOINTER_TO_INT (byte_at_a_time);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_same_bytes (ms_message_get_raw (ms_mailbox_get_message (local_inbox (&f), i)), messages[i]);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR "), ==, 3);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: DELE "), ==, 3);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: QUIT"), ==, 1);
  g_assert_nonnull (strstr (f.pump.summary, "downloaded 3 messages"));
  g_assert_nonnull (strstr (f.pump.summary, "deleted 3 from the server"));
  g_assert_cmpint (ms_pop3_client_get_state (f.client), ==, MS_POP3_CLIENT_STATE_OFFLINE);
  /* Every transition was reported, in order. */
  g_assert_cmpstr (g_ptr_array_index (f.pump.events, 0), ==, "state connecting offline");
  g_assert_cmpstr (g_ptr_array_index (f.pump.events, 1), ==, "state greeting connecting");
  teardown (&f);
}

static void
test_leave_copy (void)
{
  MsClientPolicy policy;
  Fixture f = { 0 };

  ms_client_policy_init_defaults (&policy);
  policy.leave_on_server = TRUE;
  setup_with (&f, &policy, MS_CLIENT_TLS_OFF);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 3);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: DELE"), ==, 0);
  g_assert_cmpuint (ms_pop3_client_get_n_seen (f.client), ==, 3);

  /* The second check finds nothing new by UIDL and downloads nothing. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 60));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR"), ==, 0);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: UIDL"), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 3);
  g_assert_nonnull (strstr (f.pump.summary, "no new mail; left 3 on the server"));

  deliver (&f, "Subject: New\r\n\r\nhi\r\n");
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 120));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR 4"), ==, 1);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR"), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 4);
  teardown (&f);
}

static void
test_delete_after_days (void)
{
  MsClientPolicy policy;
  Fixture f = { 0 };

  ms_client_policy_init_defaults (&policy);
  policy.leave_on_server = TRUE;
  policy.delete_after_days = 7;
  setup_with (&f, &policy, MS_CLIENT_TLS_OFF);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  deliver (&f, "Subject: Later\r\n\r\nx\r\n");
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 3 * DAY));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: DELE"), ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 4);
  /* Eight days on, the first three are old enough; the fourth is five days old. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 8 * DAY));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: DELE"), ==, 3);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 4);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 11 * DAY));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  teardown (&f);
}

static void
test_delete_when_deleted_here (void)
{
  MsClientPolicy policy;
  Fixture f = { 0 };
  guint connections;

  ms_client_policy_init_defaults (&policy);
  policy.leave_on_server = TRUE;
  policy.delete_when_deleted_here = TRUE;
  setup_with (&f, &policy, MS_CLIENT_TLS_OFF);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  connections = f.pump.n_connections;
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, "Dots", NULL, T0 + 10));
  g_assert_cmpuint (f.pump.n_connections, ==, connections);  /* deleting is local… */
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 2);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 3);
  g_assert_cmpuint (ms_pop3_client_get_n_pending_deletes (f.client), ==, 1);
  /* …until the next check sends DELE for it. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 20));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: DELE 2\r\n"), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 2);
  g_assert_cmpuint (ms_pop3_client_get_n_pending_deletes (f.client), ==, 0);
  teardown (&f);
}

static void
test_connection_lost (void)
{
  Fixture f = { 0 };
  const char *marker;

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  /* Lost before the greeting: nothing happened anywhere. */
  f.pump.drop_after = 0;
  g_assert_false (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 0);

  /* Lost in the middle of the second message's data. */
  g_string_truncate (f.pump.wire, 0);
  {
    g_autoptr(MsClientAction) action = ms_client_action_new (MS_CLIENT_ACTION_CHECK);
    const char *raw1 = messages[0];
    gsize before_second;

    /* greeting + CAPA + USER + PASS + STAT + UIDL answers + RETR 1 + part of RETR 2 */
    before_second = strlen ("+OK test POP3 ready\r\n+OK\r\nUSER\r\nUIDL\r\nSTLS\r\n.\r\n+OK\r\n+OK maildrop ready\r\n")
                    + strlen ("+OK 3 000\r\n") + 3 + strlen ("+OK\r\n") + 3 * strlen ("1 0000000100000001\r\n") + 3
                    + strlen ("+OK 00 octets\r\n") + strlen (raw1) + 3 + 30;
    f.pump.drop_after = before_second;
    action->now = T0;
    g_assert_false (ms_test_pump_run (&f.pump, action));
  }
  marker = strstr (f.pump.summary, "connection was lost");
  g_assert_nonnull (marker);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 1);  /* only the whole one */
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 3);    /* no QUIT, no deletion */
  g_assert_cmpint (ms_pop3_client_get_state (f.client), ==, MS_POP3_CLIENT_STATE_OFFLINE);

  /* The next check picks up where it stopped and downloads nothing twice. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0 + 60));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR"), ==, 2);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 3);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  teardown (&f);
}

static void
test_err_answers (void)
{
  Fixture f = { 0 };

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  f.refuse = g_strdup ("RETR 2");
  g_assert_false (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_nonnull (strstr (f.pump.summary, "RETR 2 was refused"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 2);
  /* What it never got, it does not delete. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  teardown (&f);

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  f.refuse = g_strdup ("UIDL");
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 3);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  teardown (&f);

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  f.refuse = g_strdup ("PASS secret");
  g_assert_false (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_nonnull (strstr (f.pump.summary, "login refused"));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: QUIT"), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 0);
  teardown (&f);
}

static void
test_starttls (void)
{
  Fixture f = { 0 };

  setup_with (&f, NULL, MS_CLIENT_TLS_STARTTLS);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: STLS"), ==, 1);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: CAPA"), ==, 2);
  g_assert_true (strstr (f.pump.wire->str, "C: STLS") < strstr (f.pump.wire->str, "C: USER"));
  teardown (&f);

  setup_with (&f, NULL, MS_CLIENT_TLS_STARTTLS);
  f.refuse = g_strdup ("STLS");
  g_assert_false (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: USER"), ==, 0);
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: PASS"), ==, 0);
  teardown (&f);
}

static void
test_local_only (void)
{
  Fixture f = { 0 };
  g_autoptr(MsClientAction) sent = ms_client_action_new (MS_CLIENT_ACTION_SAVE_SENT);
  MsAccount *account;
  MsMessage *message;
  guint connections;

  setup_with (&f, NULL, MS_CLIENT_TLS_OFF);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, T0));
  connections = f.pump.n_connections;
  account = ms_store_lookup_account (f.local_store, "alice");

  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, "field", NULL, T0));
  message = ms_client_local_find (local_inbox (&f), "Field trip", NULL);
  g_assert_true (ms_message_has_flag (message, MS_FLAG_SEEN));
  g_assert_true (run (&f, MS_CLIENT_ACTION_FLAG, "#3", NULL, T0));
  g_assert_true (ms_message_has_flag (ms_mailbox_get_message (local_inbox (&f), 2), MS_FLAG_FLAGGED));
  g_assert_true (run (&f, MS_CLIENT_ACTION_FORWARD, "#3", NULL, T0));
  g_assert_true (ms_message_has_keyword (ms_mailbox_get_message (local_inbox (&f), 2), "$Forwarded"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_SEARCH, NULL, "BOOTS", T0));
  g_assert_nonnull (strstr (f.pump.summary, "found 1 of 3"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CREATE_FOLDER, NULL, "Trips", T0));
  g_assert_true (run (&f, MS_CLIENT_ACTION_MOVE, "Field", "Trips", T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (account, "Trips")), ==, 1);
  g_assert_false (run (&f, MS_CLIENT_ACTION_OPEN, "no such subject", NULL, T0));
  sent->raw = g_bytes_new_static ("Subject: Re: Minutes\n\nThanks\n", 29);
  g_assert_true (ms_test_pump_run (&f.pump, sent));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_role (account, MS_MAILBOX_ROLE_SENT)), ==, 1);
  g_assert_true (run (&f, MS_CLIENT_ACTION_IDLE, NULL, NULL, T0));
  g_assert_cmpuint (f.pump.n_connections, ==, connections);
  teardown (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/pop3/client/delete-after-download", GINT_TO_POINTER (FALSE), test_delete_after_download);
  g_test_add_data_func ("/pop3/client/delete-after-download-bytewise", GINT_TO_POINTER (TRUE), test_delete_after_download);
  g_test_add_func ("/pop3/client/leave-copy", test_leave_copy);
  g_test_add_func ("/pop3/client/delete-after-days", test_delete_after_days);
  g_test_add_func ("/pop3/client/delete-when-deleted-here", test_delete_when_deleted_here);
  g_test_add_func ("/pop3/client/connection-lost", test_connection_lost);
  g_test_add_func ("/pop3/client/err-answers", test_err_answers);
  g_test_add_func ("/pop3/client/starttls", test_starttls);
  g_test_add_func ("/pop3/client/local-only", test_local_only);
  return g_test_run ();
}

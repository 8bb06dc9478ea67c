/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated clients against the real server sessions (MsPop3ServerSession,
 * MsImapServerSession) over the test pump: what the scripted tests check
 * line by line, checked here end to end on both stores. */
#define G_LOG_DOMAIN "test-clients-real"
#include "config.h"

#include <string.h>

#include "ms-imap-client.h"
#include "ms-imap-server-session.h"
#include "ms-pop3-client.h"
#include "ms-pop3-server-session.h"
#include "ms-client-local.h"
#include "ms-store.h"
#include "ms-test-pump.h"

#define T0 1700000000

static const char *plain_message =
  "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Field trip\r\n"
  "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nBring boots.\r\n.dot line\r\n";
static const char *attachment_message =
  "From: Dan <dan@example.org>\r\nTo: alice@example.org\r\nSubject: Minutes\r\n"
  "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
  "--b\r\nContent-Type: text/plain\r\n\r\nSee the attached minutes.\r\n"
  "--b\r\nContent-Type: application/pdf; name=\"m.pdf\"\r\nContent-Disposition: attachment; filename=\"m.pdf\"\r\n"
  "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r\n--b--\r\n";

typedef struct
{
  MsStore         *server_store;
  MsMailbox       *server_inbox;
  MsStore         *local;
  MsClientSession *client;
  MsTestPump       pump;
  const char      *protocol;
  gboolean         offline;
  gboolean         tls;
} Fixture;

static MsServerSession *
make_server (gpointer data)
{
  Fixture *f = data;

  if (f->offline)
    return NULL;
  if (g_str_equal (f->protocol, "pop3"))
    return g_object_new (MS_TYPE_POP3_SERVER_SESSION, "store", f->server_store, "greeting-host", "mail.example.org",
                         "tls-available", f->tls, NULL);
  return MS_SERVER_SESSION (ms_imap_server_session_new (f->server_store));
}

static void
deliver (Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));

  ms_mailbox_append (f->server_inbox, bytes, MS_FLAG_NONE, NULL, T0, 0);
}

static void
setup (Fixture *f, const char *protocol, const MsClientPolicy *policy)
{
  MsAccount *account;
  MsClientPolicy defaults;

  memset (f, 0, sizeof *f);
  if (policy == NULL)
    {
      ms_client_policy_init_defaults (&defaults);
      policy = &defaults;
    }
  f->protocol = protocol;
  f->server_store = ms_store_new ();
  account = ms_store_add_account (f->server_store, "alice", "secret", NULL);
  ms_mailbox_set_role (ms_account_create_mailbox (account, "Sent", NULL), MS_MAILBOX_ROLE_SENT);
  ms_mailbox_set_role (ms_account_create_mailbox (account, "Trash", NULL), MS_MAILBOX_ROLE_TRASH);
  f->server_inbox = ms_account_get_inbox (account);
  deliver (f, plain_message);
  deliver (f, attachment_message);
  f->local = ms_store_new ();
  if (g_str_equal (protocol, "pop3"))
    f->client = MS_CLIENT_SESSION (ms_pop3_client_new (f->local, "alice", "secret", policy, MS_CLIENT_TLS_OFF));
  else
    f->client = MS_CLIENT_SESSION (ms_imap_client_new (f->local, "alice", "secret", policy, MS_CLIENT_TLS_OFF));
  ms_test_pump_init (&f->pump, f->client, make_server, f);
}

static void
teardown (Fixture *f)
{
  ms_test_pump_clear (&f->pump);
  g_object_unref (f->client);
  g_object_unref (f->local);
  g_object_unref (f->server_store);
}

static gboolean
run (Fixture *f, MsClientActionKind kind, const char *mailbox, const char *message, const char *argument, gint64 now)
{
  g_autoptr(MsClientAction) action = ms_client_action_new (kind);

  action->mailbox = g_strdup (mailbox);
  action->message = g_strdup (message);
  action->argument = g_strdup (argument);
  action->now = now;
  g_string_truncate (f->pump.wire, 0);
  return ms_test_pump_run (&f->pump, action);
}

static MsMailbox *
local_inbox (Fixture *f)
{
  return ms_account_get_inbox (ms_store_lookup_account (f->local, "alice"));
}

static MsMessage *
server_find (Fixture *f, const char *subject)
{
  return ms_client_local_find (f->server_inbox, subject, NULL);
}

static void
test_pop3_policies (void)
{
  MsClientPolicy policy;
  Fixture f;

  /* Delete after download: the server ends empty, the bytes arrive intact. */
  setup (&f, "pop3", NULL);
  f.pump.byte_at_a_time = TRUE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 2);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  g_assert_cmpmem (g_bytes_get_data (ms_message_get_raw (ms_mailbox_get_message (local_inbox (&f), 0)), NULL),
                   ms_message_get_size (ms_mailbox_get_message (local_inbox (&f), 0)),
                   plain_message, strlen (plain_message));
  teardown (&f);

  /* Leave a copy, delete after 7 days, and delete when deleted here. */
  ms_client_policy_init_defaults (&policy);
  policy.leave_on_server = TRUE;
  policy.delete_after_days = 7;
  policy.delete_when_deleted_here = TRUE;
  setup (&f, "pop3", &policy);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 2);
  /* Reading here changes nothing on the server (T31). */
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, NULL, "Field", NULL, T0));
  g_assert_false (ms_message_has_flag (server_find (&f, "Field"), MS_FLAG_SEEN));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, NULL, "Minutes", NULL, T0));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0 + 3600));
  g_assert_cmpuint (ms_test_pump_count (&f.pump, "C: RETR"), ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  g_assert_nonnull (server_find (&f, "Field"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0 + 8 * 86400));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 1);
  teardown (&f);
}

static void
test_pop3_stls (void)
{
  Fixture f;

  setup (&f, "pop3", NULL);
  g_object_unref (f.client);
  ms_test_pump_clear (&f.pump);
  f.tls = TRUE;
  f.client = MS_CLIENT_SESSION (ms_pop3_client_new (f.local, "alice", "secret", NULL, MS_CLIENT_TLS_STARTTLS));
  ms_test_pump_init (&f.pump, f.client, make_server, &f);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "C: STLS"));
  g_assert_true (strstr (f.pump.wire->str, "C: STLS") < strstr (f.pump.wire->str, "C: PASS"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 2);
  teardown (&f);
}

static void
test_imap_sync_open (void)
{
  MsClientPolicy policy;
  Fixture f;
  MsMessage *local;

  ms_client_policy_init_defaults (&policy);
  setup (&f, "imap", &policy);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 2);
  g_assert_cmpint (ms_imap_client_get_cache_level (MS_IMAP_CLIENT (f.client), "INBOX",
                                                   ms_mailbox_get_message (local_inbox (&f), 0)), ==, MS_IMAP_CACHE_HEADERS);
  /* Header-first: the bodies did not travel. */
  g_assert_null (strstr (f.pump.wire->str, "Bring boots"));

  /* BODY[] sets \Seen on the server (T32). */
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, NULL, "Field", NULL, T0));
  g_assert_true (ms_message_has_flag (server_find (&f, "Field"), MS_FLAG_SEEN));
  local = ms_client_local_find (local_inbox (&f), "Field", NULL);
  g_assert_cmpmem (g_bytes_get_data (ms_message_get_raw (local), NULL), ms_message_get_size (local),
                   plain_message, strlen (plain_message));
  g_assert_true (ms_message_has_flag (local, MS_FLAG_SEEN));

  /* The attachment stays on the server until asked for (T13). */
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, NULL, "Minutes", NULL, T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "BODY[1]"));
  g_assert_null (strstr (f.pump.wire->str, "JVBERi0x"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN_PART, NULL, "Minutes", "2", T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "JVBERi0x"));

  /* Flags, search and folders go to the server. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_FLAG, NULL, "Minutes", NULL, T0));
  g_assert_true (ms_message_has_flag (server_find (&f, "Minutes"), MS_FLAG_FLAGGED));
  g_assert_true (run (&f, MS_CLIENT_ACTION_FORWARD, NULL, "Minutes", NULL, T0));
  g_assert_true (ms_message_has_keyword (server_find (&f, "Minutes"), "$Forwarded"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_SEARCH, NULL, NULL, "boots", T0));
  g_assert_cmpuint (ms_imap_client_get_search_result (MS_IMAP_CLIENT (f.client))->len, ==, 1);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CREATE_FOLDER, NULL, NULL, "Trips", T0));
  g_assert_nonnull (ms_account_lookup_mailbox (ms_store_lookup_account (f.server_store, "alice"), "Trips"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_MOVE, NULL, "Field", "Trips", T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 1);
  {
    g_autoptr(MsClientAction) sent = ms_client_action_new (MS_CLIENT_ACTION_SAVE_SENT);
    MsAccount *server_account = ms_store_lookup_account (f.server_store, "alice");

    sent->raw = g_bytes_new_static ("Subject: Re: Minutes\r\n\r\nThanks\r\n", 32);
    g_assert_true (ms_test_pump_run (&f.pump, sent));
    g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (server_account, "Sent")), ==, 1);
  }
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, NULL, "Minutes", NULL, T0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 0);
  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL, NULL, T0));
  teardown (&f);
}

static void
test_imap_peek_trash_idle (void)
{
  MsClientPolicy policy;
  Fixture f;

  ms_client_policy_init_defaults (&policy);
  policy.peek = TRUE;
  policy.use_idle = TRUE;
  policy.delete_mode = MS_DELETE_MODE_MOVE_TO_TRASH;
  setup (&f, "imap", &policy);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_cmpint (ms_imap_client_get_state (MS_IMAP_CLIENT (f.client)), ==, MS_IMAP_CLIENT_STATE_IDLE);
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, NULL, "Field", NULL, T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "BODY.PEEK[]"));
  g_assert_nonnull (strstr (f.pump.wire->str, "+FLAGS (\\Seen)"));
  g_assert_true (ms_message_has_flag (server_find (&f, "Field"), MS_FLAG_SEEN));

  /* New mail while idling: the server pushes it, the client fetches the header. */
  g_string_truncate (f.pump.wire, 0);
  deliver (&f, "From: Eve <eve@example.org>\r\nSubject: Pushed\r\n\r\nhi\r\n");
  ms_test_pump_settle (&f.pump);
  g_assert_nonnull (strstr (f.pump.wire->str, "EXISTS"));
  g_assert_nonnull (ms_client_local_find (local_inbox (&f), "Pushed", NULL));
  g_assert_cmpint (ms_imap_client_get_state (MS_IMAP_CLIENT (f.client)), ==, MS_IMAP_CLIENT_STATE_IDLE);

  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, NULL, "Pushed", NULL, T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "UID MOVE"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (ms_store_lookup_account (f.server_store, "alice"),
                                                                          "Trash")), ==, 1);
  g_assert_null (ms_client_local_find (local_inbox (&f), "Pushed", NULL));
  teardown (&f);
}

static void
test_imap_act_before_check (void)
{
  MsClientPolicy policy;
  MsAccount *server_account;
  Fixture f;

  /* A fresh account without Trash: the MOVE gets [TRYCREATE], the client
   * creates Trash and moves again. The message was never synced: the client
   * syncs INBOX first to find it. */
  ms_client_policy_init_defaults (&policy);
  policy.delete_mode = MS_DELETE_MODE_MOVE_TO_TRASH;
  setup (&f, "imap", &policy);
  server_account = ms_store_lookup_account (f.server_store, "alice");
  g_assert_true (ms_account_delete_mailbox (server_account, "Trash", NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, NULL, "Minutes", NULL, T0));
  g_assert_nonnull (strstr (f.pump.wire->str, "NO [TRYCREATE]"));
  g_assert_nonnull (strstr (f.pump.wire->str, "CREATE \"Trash\""));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (server_account, "Trash")), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_n_messages (local_inbox (&f)), ==, 1);
  teardown (&f);
}

static void
test_imap_offline_resync (void)
{
  MsAccount *server_account;
  Fixture f;

  setup (&f, "imap", NULL);
  server_account = ms_store_lookup_account (f.server_store, "alice");
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL, NULL, T0));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL, NULL, T0));

  f.offline = TRUE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_MARK_READ, NULL, "Minutes", NULL, T0));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, NULL, "Field", NULL, T0));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CREATE_FOLDER, NULL, NULL, "Projects", T0));
  g_assert_cmpuint (ms_imap_client_get_n_queued (MS_IMAP_CLIENT (f.client)), ==, 3);
  /* Nothing reached the server yet. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 2);
  g_assert_false (ms_message_has_flag (server_find (&f, "Minutes"), MS_FLAG_SEEN));
  /* Meanwhile another device flags a message on the server. */
  ms_mailbox_store_flags (f.server_inbox, server_find (&f, "Minutes"), MS_FLAGS_ADD, MS_FLAG_FLAGGED, NULL);

  f.offline = FALSE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_RESYNC, NULL, NULL, NULL, T0));
  g_assert_cmpuint (ms_imap_client_get_n_queued (MS_IMAP_CLIENT (f.client)), ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.server_inbox), ==, 1);
  g_assert_true (ms_message_has_flag (server_find (&f, "Minutes"), MS_FLAG_SEEN));
  g_assert_nonnull (ms_account_lookup_mailbox (server_account, "Projects"));
  g_assert_true (ms_message_has_flag (ms_client_local_find (local_inbox (&f), "Minutes", NULL), MS_FLAG_FLAGGED));

  /* The server's folder is recreated: new UIDVALIDITY, the cache is thrown away (T71). */
  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL, NULL, T0));
  {
    g_autoptr(GBytes) raw = g_bytes_new_static ("Subject: Plan\r\n\r\nx\r\n", 19);
    MsMailbox *projects = ms_account_lookup_mailbox (server_account, "Projects");

    ms_mailbox_append (projects, raw, MS_FLAG_NONE, NULL, T0, 0);
    g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, "Projects", NULL, NULL, T0));
    g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL, NULL, T0));
    g_assert_true (ms_account_delete_mailbox (server_account, "Projects", NULL));
    projects = ms_account_create_mailbox (server_account, "Projects", NULL);
    ms_mailbox_append (projects, raw, MS_FLAG_NONE, NULL, T0, 0);
    ms_mailbox_append (projects, raw, MS_FLAG_NONE, NULL, T0, 0);
    g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, "Projects", NULL, NULL, T0));
    g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (ms_store_lookup_account (f.local, "alice"),
                                                                            "Projects")), ==, 2);
    g_assert_cmpuint (ms_mailbox_get_uidvalidity (ms_account_lookup_mailbox (ms_store_lookup_account (f.local, "alice"), "Projects")),
                      ==, ms_mailbox_get_uidvalidity (projects));
  }
  teardown (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clients/real/pop3-policies", test_pop3_policies);
  g_test_add_func ("/clients/real/pop3-stls", test_pop3_stls);
  g_test_add_func ("/clients/real/imap-sync-open", test_imap_sync_open);
  g_test_add_func ("/clients/real/imap-peek-trash-idle", test_imap_peek_trash_idle);
  g_test_add_func ("/clients/real/imap-offline-resync", test_imap_offline_resync);
  g_test_add_func ("/clients/real/imap-act-before-check", test_imap_act_before_check);
  return g_test_run ();
}

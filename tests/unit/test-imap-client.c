/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-imap-client"
#include "config.h"

#include <string.h>

#include "ms-imap-client.h"
#include "ms-imap-client-parser.h"
#include "ms-client-local.h"
#include "ms-store.h"
#include "ms-test-pump.h"
#include "ms-test-script-server.h"

/* The response parser. */

typedef struct
{
  const char *input;
  MsImapClientResponseKind kind;
  const char *status;
  const char *name;
  const char *code;
  const char *line;       /* the elided line */
  guint n_items;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n", MS_IMAP_CLIENT_RESPONSE_UNTAGGED, "OK", NULL, "CAPABILITY IMAP4rev1 IDLE",
    "* OK [CAPABILITY IMAP4rev1 IDLE] ready", 0 },
  { "A1 NO [TRYCREATE] no such mailbox\r\n", MS_IMAP_CLIENT_RESPONSE_TAGGED, "NO", NULL, "TRYCREATE", NULL, 0 },
  { "+ idling\r\n", MS_IMAP_CLIENT_RESPONSE_CONTINUATION, NULL, NULL, NULL, "+ idling", 0 },
  { "* 23 EXISTS\r\n", MS_IMAP_CLIENT_RESPONSE_UNTAGGED, NULL, "EXISTS", NULL, NULL, 0 },
  { "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"\r\n", MS_IMAP_CLIENT_RESPONSE_UNTAGGED, NULL, "LIST", NULL, NULL, 3 },
  { "* SEARCH 2 5 9\r\n", MS_IMAP_CLIENT_RESPONSE_UNTAGGED, NULL, "SEARCH", NULL, NULL, 3 },
  { "* 1 FETCH (UID 4 BODY[HEADER.FIELDS (FROM TO)] {5}\r\nab\r\nc FLAGS (\\Seen))\r\n",
    MS_IMAP_CLIENT_RESPONSE_UNTAGGED, NULL, "FETCH", NULL, "* 1 FETCH (UID 4 BODY[HEADER.FIELDS (FROM TO)] {5 bytes} FLAGS (\\Seen))", 1 },
  { "* 2 FETCH (BODY[] {0}\r\n ENVELOPE (NIL \"a \\\"q\\\"\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
    MS_IMAP_CLIENT_RESPONSE_UNTAGGED, NULL, "FETCH", NULL, NULL, 1 },
};

static MsImapClientResponse *
parse_bytewise (const char *input, gsize len, char **error)
{
  g_autoptr(MsImapClientParser) parser = ms_imap_client_parser_new ();
  MsImapClientResponse *r = NULL;

  for (gsize i = 0; i < len; i++)
    {
      MsImapClientParseResult result;

      ms_imap_client_parser_feed (parser, (const guint8 *) input + i, 1);
      result = ms_imap_client_parser_next (parser, &r, error);
      if (result == MS_IMAP_CLIENT_PARSE_ERROR)
        return NULL;
      if (result == MS_IMAP_CLIENT_PARSE_READY)
        {
          g_assert_cmpuint (i, ==, len - 1);  /* not a byte early */
          return r;
        }
    }
  return NULL;
}

static void
test_parse_case (gconstpointer data)
{
  const ParseCase *c = data;
  g_autofree char *error = NULL;
  g_autoptr(MsImapClientResponse) r = parse_bytewise (c->input, strlen (c->input), &error);

  g_assert_no_error (NULL);
  g_assert_null (error);
  g_assert_nonnull (r);
  g_assert_cmpint (r->kind, ==, c->kind);
  g_assert_cmpstr (r->status, ==, c->status);
  g_assert_cmpstr (r->name, ==, c->name);
  g_assert_cmpstr (r->code, ==, c->code);
  if (c->line)
    g_assert_cmpstr (r->line, ==, c->line);
  g_assert_cmpuint (r->wire_size, ==, strlen (c->input));
  if (c->n_items)
    g_assert_cmpuint (ms_imap_client_item_n_children (r->items), ==, c->n_items);
}

static void
test_parse_fetch_details (void)
{
  const char *input = "* 1 FETCH (UID 4 BODY[HEADER.FIELDS (FROM TO)] {5}\r\nab\r\nc FLAGS (\\Seen $Work))\r\n";
  g_autofree char *error = NULL;
  g_autoptr(MsImapClientResponse) r = parse_bytewise (input, strlen (input), &error);
  MsImapClientItem *list = ms_imap_client_item_child (r->items, 0);
  MsImapClientItem *body = ms_imap_client_item_lookup (list, "BODY[HEADER.FIELDS (FROM TO)]");
  guint32 uid = 0;

  g_assert_true (ms_imap_client_item_uint32 (ms_imap_client_item_lookup (list, "uid"), &uid));
  g_assert_cmpuint (uid, ==, 4);
  g_assert_nonnull (body);
  g_assert_true (body->literal);
  g_assert_cmpmem (body->data, body->len, "ab\r\nc", 5);
  g_assert_cmpuint (ms_imap_client_item_n_children (ms_imap_client_item_lookup (list, "FLAGS")), ==, 2);
}

static const char *bad_inputs[] = {
  "* 1 FETCH (UID 4\r\n",              /* unbalanced */
  "* 1 FETCH (UID 4))\r\n",            /* extra ) */
  "* 1 FETCH (X \"unterminated)\r\n",
  "A1 MAYBE\r\n",                      /* not a status */
  "* 1 FETCH (BODY[] {99999999999}\r\n",
  "\r\n",
};

static void
test_parse_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *error = NULL;
      g_autoptr(MsImapClientResponse) r = parse_bytewise (bad_inputs[i], strlen (bad_inputs[i]), &error);

      g_assert_null (r);
      g_assert_nonnull (error);
    }
}

static void
test_parse_limits (void)
{
  g_autoptr(MsImapClientParser) parser = ms_imap_client_parser_new ();
  g_autofree char *big = g_strnfill (MS_IMAP_CLIENT_MAX_LINE + 10, 'x');
  g_autoptr(GString) deep = g_string_new ("* 1 FETCH ");
  g_autoptr(MsImapClientResponse) r = NULL;
  g_autofree char *error = NULL;

  /* An endless line is refused before it is complete. */
  ms_imap_client_parser_feed (parser, (const guint8 *) "* ", 2);
  ms_imap_client_parser_feed (parser, (const guint8 *) big, strlen (big));
  g_assert_cmpint (ms_imap_client_parser_next (parser, &r, &error), ==, MS_IMAP_CLIENT_PARSE_ERROR);
  g_clear_pointer (&error, g_free);

  for (guint i = 0; i < MS_IMAP_CLIENT_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, '(');
  for (guint i = 0; i < MS_IMAP_CLIENT_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, ')');
  g_string_append (deep, "\r\n");
  ms_imap_client_parser_reset (parser);
  ms_imap_client_parser_feed (parser, (const guint8 *) deep->str, deep->len);
  g_assert_cmpint (ms_imap_client_parser_next (parser, &r, &error), ==, MS_IMAP_CLIENT_PARSE_ERROR);
  g_assert_nonnull (strstr (error, "nested"));
}

/* The client against scripted servers. */

#define GREETING "* OK [CAPABILITY IMAP4rev1 LITERAL+] test server ready\r\n"
#define CAPS "* CAPABILITY IMAP4rev1 IDLE MOVE UIDPLUS SPECIAL-USE\r\n$ OK done\r\n"
#define LIST_REPLY "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n" \
                   "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n$ OK listed\r\n"
#define LOGIN_STEPS \
  { "$ CAPABILITY", CAPS }, \
  { "$ LOGIN \"alice\" \"secret\"", "$ OK logged in\r\n" }, \
  { "$ LIST \"\" \"*\"", LIST_REPLY }
#define SELECT_INBOX(validity) \
  { "$ SELECT \"INBOX\"", "* 2 EXISTS\r\n* OK [UIDVALIDITY " validity "] ok\r\n* OK [UIDNEXT 3] ok\r\n$ OK [READ-WRITE] selected\r\n" }
#define FETCH_1 "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 93 ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" \"Field trip\" " \
  "((\"Bob\" NIL \"bob\" \"example.org\")) NIL NIL ((NIL NIL \"alice\" \"example.org\")) NIL NIL NIL \"<1@x>\") " \
  "BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 14 1 NIL NIL NIL NIL))\r\n"
#define FETCH_2 "* 2 FETCH (UID 2 FLAGS (\\Seen) RFC822.SIZE 5000 ENVELOPE (NIL \"Minutes\" ((NIL NIL \"dan\" \"example.org\")) " \
  "NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)" \
  "(\"application\" \"pdf\" (\"name\" \"m.pdf\") NIL NIL \"base64\" 4800 NIL (\"attachment\" (\"filename\" \"m.pdf\")) NIL NIL) " \
  "\"mixed\" (\"boundary\" \"b\") NIL NIL NIL))\r\n"
#define FIRST_SYNC \
  { "$ UID FETCH 1:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", FETCH_1 FETCH_2 "$ OK fetched\r\n" }
#define RAW_1 "From: Bob <bob@example.org>\r\nSubject: Field trip\r\n\r\nBring boots.\r\n"

typedef struct
{
  MsStore            *local;
  MsImapClient       *client;
  MsTestPump          pump;
  const MsTestScriptStep *scripts[4];
  guint               n_steps[4];
  guint               next_script;
  gboolean            offline;
  MsTestScriptServer *last;
} Fixture;

static MsServerSession *
make_server (gpointer data)
{
  Fixture *f = data;

  if (f->offline)
    return NULL;
  g_assert_cmpuint (f->next_script, <, G_N_ELEMENTS (f->scripts));
  g_assert_nonnull (f->scripts[f->next_script]);
  /* The pump owns the session and drops it at disconnect; the fixture keeps
   * its own reference, because tests ask the last server afterwards whether
   * its script ran to the end (valgrind found the read after free). */
  g_clear_object (&f->last);
  f->last = ms_test_script_server_new (GREETING, f->scripts[f->next_script], f->n_steps[f->next_script]);
  f->next_script++;
  return MS_SERVER_SESSION (g_object_ref (f->last));
}

#define SCRIPT(f, i, steps) ((f)->scripts[i] = (steps), (f)->n_steps[i] = G_N_ELEMENTS (steps))

static void
setup (Fixture *f, const MsClientPolicy *policy)
{
  MsClientPolicy defaults;

  memset (f, 0, sizeof *f);
  if (policy == NULL)
    {
      ms_client_policy_init_defaults (&defaults);
      policy = &defaults;
    }
  f->local = ms_store_new ();
  f->client = ms_imap_client_new (f->local, "alice", "secret", policy, MS_CLIENT_TLS_OFF);
  ms_test_pump_init (&f->pump, MS_CLIENT_SESSION (f->client), make_server, f);
}

static void
teardown (Fixture *f)
{
  ms_test_pump_clear (&f->pump);
  g_clear_object (&f->last);
  g_object_unref (f->client);
  g_object_unref (f->local);
}

static gboolean
run (Fixture *f, MsClientActionKind kind, const char *message, const char *argument)
{
  g_autoptr(MsClientAction) action = ms_client_action_new (kind);

  action->message = g_strdup (message);
  action->argument = g_strdup (argument);
  action->now = 1700000000;
  return ms_test_pump_run (&f->pump, action);
}

static MsMailbox *
inbox (Fixture *f)
{
  return ms_account_get_inbox (ms_store_lookup_account (f->local, "alice"));
}

static MsImapCacheLevel
level (Fixture *f, const char *subject)
{
  MsMessage *m = ms_client_local_find (inbox (f), subject, NULL);

  g_assert_nonnull (m);
  return ms_imap_client_get_cache_level (f->client, "INBOX", m);
}

static void
assert_script_done (Fixture *f)
{
  g_assert_cmpuint (ms_test_script_server_remaining (f->last), ==, 0);
}

static const MsTestScriptStep open_body_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID FETCH 1 (BODY[])", "* 1 FETCH (UID 1 FLAGS (\\Seen) BODY[] {66}\r\n" RAW_1 ")\r\n$ OK done\r\n" },
  { "$ LOGOUT", "* BYE bye\r\n$ OK done\r\n" },
};

static void
test_check_and_open_body (void)
{
  Fixture f;
  MsMessage *m;
  g_autofree char *subject = NULL;

  setup (&f, NULL);
  SCRIPT (&f, 0, open_body_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_nonnull (strstr (f.pump.summary, "2 new messages (headers only)"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 2);
  m = ms_mailbox_get_message (inbox (&f), 0);
  /* The local copy keeps the server's UID and UIDVALIDITY. */
  g_assert_cmpuint (ms_message_get_uid (m), ==, 1);
  g_assert_cmpuint (ms_mailbox_get_uidvalidity (inbox (&f)), ==, 7);
  subject = ms_client_local_header (ms_message_get_raw (m), "Subject");
  g_assert_cmpstr (subject, ==, "Field trip");
  g_assert_false (ms_message_has_flag (m, MS_FLAG_SEEN));
  g_assert_true (ms_message_has_flag (ms_mailbox_get_message (inbox (&f), 1), MS_FLAG_SEEN));
  g_assert_cmpint (level (&f, "Field"), ==, MS_IMAP_CACHE_HEADERS);
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_SELECTED);

  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, "Field", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "BODY[]"));
  g_assert_cmpint (level (&f, "Field"), ==, MS_IMAP_CACHE_FULL);
  m = ms_client_local_find (inbox (&f), "Field", NULL);
  g_assert_true (ms_message_has_flag (m, MS_FLAG_SEEN));   /* from the server's FETCH FLAGS */
  g_assert_cmpmem (g_bytes_get_data (ms_message_get_raw (m), NULL), g_bytes_get_size (ms_message_get_raw (m)),
                   RAW_1, strlen (RAW_1));
  /* Still in server order. */
  g_assert_true (ms_mailbox_get_message (inbox (&f), 0) == m);

  /* Opening it again costs nothing. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, "Field", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "from the local cache"));

  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL));
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_OFFLINE);
  assert_script_done (&f);
  teardown (&f);
}

static const MsTestScriptStep peek_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID FETCH 1 (BODY.PEEK[])", "* 1 FETCH (UID 1 BODY[] {66}\r\n" RAW_1 ")\r\n$ OK done\r\n" },
  { "$ UID STORE 1 +FLAGS (\\Seen)", "* 1 FETCH (FLAGS (\\Seen))\r\n$ OK stored\r\n" },
  { "$ UID FETCH 2 (BODY.PEEK[1])", "* 2 FETCH (UID 2 BODY[1] {10}\r\n0123456789)\r\n$ OK done\r\n" },
  { "$ UID FETCH 2 (BODY.PEEK[2])", "* 2 FETCH (UID 2 BODY[2] {4}\r\nJVBE)\r\n$ OK done\r\n" },
};

static void
test_peek_and_attachments (void)
{
  MsClientPolicy policy;
  Fixture f;

  ms_client_policy_init_defaults (&policy);
  policy.peek = TRUE;
  setup (&f, &policy);
  SCRIPT (&f, 0, peek_steps);
  f.pump.byte_at_a_time = TRUE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, "#1", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "BODY.PEEK[]"));
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Field", NULL), MS_FLAG_SEEN));

  /* Minutes has a PDF: only the text part comes, the PDF waits (T13). */
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN, "Minutes", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "1 attachment (5 KB) stays on the server"));
  g_assert_cmpint (level (&f, "Minutes"), ==, MS_IMAP_CACHE_TEXT);
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN_PART, "Minutes", "2"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_OPEN_PART, "Minutes", "2"));  /* cached now */
  g_assert_nonnull (strstr (f.pump.summary, "from the local cache"));
  assert_script_done (&f);
  teardown (&f);
}

static const MsTestScriptStep delete_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID STORE 1 +FLAGS.SILENT (\\Deleted)", "$ OK stored\r\n" },
  { "$ EXPUNGE", "* 1 EXPUNGE\r\n$ OK expunged\r\n" },
  { "$ UID FETCH 1:2 (FLAGS)", "* 1 FETCH (UID 2 FLAGS (\\Seen \\Flagged))\r\n$ OK\r\n" },
  { "$ UID FETCH 3:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", "* 1 FETCH (UID 2 FLAGS (\\Seen \\Flagged))\r\n$ OK\r\n" },
};

static const MsTestScriptStep move_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID MOVE 1 \"Trash\"", "* OK [COPYUID 9 1 1] moved\r\n* 1 EXPUNGE\r\n$ OK done\r\n" },
  { "$ UID MOVE 2 \"Archive\"", "* OK [COPYUID 10 2 1] moved\r\n* 1 EXPUNGE\r\n$ OK done\r\n" },
};

static const MsTestScriptStep flag_only_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID STORE 1 +FLAGS (\\Deleted)", "* 1 FETCH (FLAGS (\\Deleted))\r\n$ OK stored\r\n" },
};

static void
test_delete_modes (void)
{
  MsClientPolicy policy;
  Fixture f;

  /* \Deleted + EXPUNGE, then a check sees a flag change made elsewhere. */
  setup (&f, NULL);
  SCRIPT (&f, 0, delete_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, "Field", NULL));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 1);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_nonnull (strstr (f.pump.summary, "1 flag change"));
  g_assert_true (ms_message_has_flag (ms_mailbox_get_message (inbox (&f), 0), MS_FLAG_FLAGGED));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 1);   /* the n:* quirk adds nothing */
  assert_script_done (&f);
  teardown (&f);

  ms_client_policy_init_defaults (&policy);
  policy.delete_mode = MS_DELETE_MODE_MOVE_TO_TRASH;
  setup (&f, &policy);
  SCRIPT (&f, 0, move_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, "Field", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "moving it to Trash"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_MOVE, "Minutes", "Archive"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 0);
  assert_script_done (&f);
  teardown (&f);

  ms_client_policy_init_defaults (&policy);
  policy.delete_mode = MS_DELETE_MODE_FLAG_ONLY;
  setup (&f, &policy);
  SCRIPT (&f, 0, flag_only_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, "Field", NULL));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 2);
  g_assert_true (ms_message_has_flag (ms_mailbox_get_message (inbox (&f), 0), MS_FLAG_DELETED));
  assert_script_done (&f);
  teardown (&f);
}

#define FETCH_3 "* 3 FETCH (UID 3 FLAGS () RFC822.SIZE 50 ENVELOPE (NIL \"Pushed\" NIL NIL NIL NIL NIL NIL NIL NIL) " \
  "BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL NIL))\r\n"

static const MsTestScriptStep idle_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ IDLE", "+ idling\r\n" },
  { "DONE", "A006 OK idle done\r\n" },
  { "$ UID FETCH 1:2 (FLAGS)", "* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n$ OK\r\n" },
  { "$ UID FETCH 3:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", FETCH_3 "$ OK\r\n" },
  { "$ IDLE", "+ idling\r\n" },
  { "DONE", "A009 OK idle done\r\n" },
  { "$ UID STORE 3 +FLAGS (\\Flagged)", "* 3 FETCH (FLAGS (\\Flagged))\r\n$ OK\r\n" },
  { "$ IDLE", "+ idling\r\n" },
};

static void
test_idle_push (void)
{
  MsClientPolicy policy;
  Fixture f;

  ms_client_policy_init_defaults (&policy);
  policy.use_idle = TRUE;
  setup (&f, &policy);
  SCRIPT (&f, 0, idle_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_IDLE);

  /* New mail arrives: the server pushes, the client ends IDLE, fetches the header, IDLEs again. */
  ms_test_script_server_push (f.last, "* 3 EXISTS\r\n* 1 RECENT\r\n");
  ms_test_pump_settle (&f.pump);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 3);
  g_assert_nonnull (ms_client_local_find (inbox (&f), "Pushed", NULL));
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_IDLE);

  /* A flag change and an expunge pushed during IDLE apply at once. */
  ms_test_script_server_push (f.last, "* 2 FETCH (FLAGS (\\Seen \\Answered))\r\n* 1 EXPUNGE\r\n");
  ms_test_pump_settle (&f.pump);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 2);
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Minutes", NULL), MS_FLAG_ANSWERED));

  /* An action ends IDLE with DONE first. */
  g_assert_true (run (&f, MS_CLIENT_ACTION_FLAG, "Pushed", NULL));
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Pushed", NULL), MS_FLAG_FLAGGED));
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_IDLE);
  assert_script_done (&f);
  teardown (&f);
}

static const MsTestScriptStep before_offline_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ LOGOUT", "* BYE bye\r\n$ OK done\r\n" },
};

static const MsTestScriptStep resync_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"),
  { "$ UID STORE 1 +FLAGS (\\Seen)", "* 1 FETCH (FLAGS (\\Seen))\r\n$ OK\r\n" },
  { "$ UID STORE 2 +FLAGS.SILENT (\\Deleted)", "$ OK\r\n" },
  { "$ EXPUNGE", "* 2 EXPUNGE\r\n$ OK\r\n" },
  { "$ CREATE \"Projects\"", "$ OK created\r\n" },
  { "$ UID FETCH 1:2 (FLAGS)", "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n$ OK\r\n" },
  { "$ UID FETCH 3:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n$ OK\r\n" },
};

static void
test_offline_queue_and_resync (void)
{
  Fixture f;

  setup (&f, NULL);
  SCRIPT (&f, 0, before_offline_steps);
  SCRIPT (&f, 1, resync_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL));

  f.offline = TRUE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_MARK_READ, "Field", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "queued"));
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Field", NULL), MS_FLAG_SEEN));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE, "Minutes", NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CREATE_FOLDER, NULL, "Projects"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 1);
  g_assert_cmpuint (ms_imap_client_get_n_queued (f.client), ==, 3);
  /* A body never downloaded cannot be read offline. */
  g_assert_false (run (&f, MS_CLIENT_ACTION_OPEN, "Field", NULL));
  g_assert_false (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_cmpuint (f.pump.n_connections, ==, 1);

  f.offline = FALSE;
  g_assert_true (run (&f, MS_CLIENT_ACTION_RESYNC, NULL, NULL));
  g_assert_nonnull (strstr (f.pump.summary, "replayed 3 actions"));
  g_assert_cmpuint (ms_imap_client_get_n_queued (f.client), ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 1);
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Field", NULL), MS_FLAG_SEEN));
  assert_script_done (&f);
  teardown (&f);
}

static const MsTestScriptStep validity_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("8"),
  { "$ UID FETCH 1:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE)", FETCH_3 "$ OK\r\n" },
};

static void
test_uidvalidity_change (void)
{
  Fixture f;

  setup (&f, NULL);
  SCRIPT (&f, 0, before_offline_steps);
  SCRIPT (&f, 1, validity_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DISCONNECT, NULL, NULL));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  /* The old copies are gone, the new one is here: nothing is mixed up (T71). */
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 1);
  g_assert_nonnull (ms_client_local_find (inbox (&f), "Pushed", NULL));
  g_assert_cmpuint (ms_mailbox_get_uidvalidity (inbox (&f)), ==, 8);
  g_assert_nonnull (strstr (f.pump.summary, "2 removed"));
  assert_script_done (&f);
  teardown (&f);
}

static const MsTestScriptStep misc_steps[] = {
  LOGIN_STEPS, SELECT_INBOX ("7"), FIRST_SYNC,
  { "$ UID SEARCH TEXT \"boots\"", "* SEARCH 1\r\n$ OK searched\r\n" },
  { "$ CREATE \"Trips\"", "$ OK\r\n" },
  { "$ RENAME \"Trips\" \"Travel\"", "$ OK\r\n" },
  { "$ DELETE \"Travel\"", "$ OK\r\n" },
  { "$ APPEND \"Sent\" (\\Seen) {32}", "+ go ahead\r\n" },
  { "", "A010 OK [APPENDUID 3 5] appended\r\n" },
  { "$ UID STORE 2 +FLAGS ($Forwarded)", "* 2 FETCH (FLAGS (\\Seen $Forwarded))\r\n$ OK\r\n" },
  { "$ UID STORE 2 -FLAGS (\\Seen)", "$ NO [CANNOT] read-only today\r\n" },
};

static void
test_search_folders_sent (void)
{
  g_autoptr(MsClientAction) sent = ms_client_action_new (MS_CLIENT_ACTION_SAVE_SENT);
  MsAccount *account;
  MsMailbox *sent_box;
  Fixture f;

  setup (&f, NULL);
  SCRIPT (&f, 0, misc_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  account = ms_store_lookup_account (f.local, "alice");
  g_assert_cmpint (ms_mailbox_get_role (ms_account_lookup_mailbox (account, "Sent")), ==, MS_MAILBOX_ROLE_SENT);

  g_assert_true (run (&f, MS_CLIENT_ACTION_SEARCH, NULL, "boots"));
  g_assert_nonnull (strstr (f.pump.summary, "the server found 1"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_CREATE_FOLDER, NULL, "Trips"));
  g_assert_nonnull (ms_account_lookup_mailbox (account, "Trips"));
  {
    g_autoptr(MsClientAction) rename = ms_client_action_new (MS_CLIENT_ACTION_RENAME_FOLDER);

    rename->mailbox = g_strdup ("Trips");
    rename->argument = g_strdup ("Travel");
    g_assert_true (ms_test_pump_run (&f.pump, rename));
  }
  g_assert_nonnull (ms_account_lookup_mailbox (account, "Travel"));
  g_assert_true (run (&f, MS_CLIENT_ACTION_DELETE_FOLDER, NULL, "Travel"));
  g_assert_null (ms_account_lookup_mailbox (account, "Travel"));

  sent->raw = g_bytes_new_static ("Subject: Re: Minutes\n\nThanks\n", 29);
  g_assert_true (ms_test_pump_run (&f.pump, sent));
  sent_box = ms_account_lookup_mailbox (account, "Sent");
  g_assert_cmpuint (ms_mailbox_get_n_messages (sent_box), ==, 1);
  g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (sent_box, 0)), ==, 5);

  g_assert_true (run (&f, MS_CLIENT_ACTION_FORWARD, "Minutes", NULL));
  g_assert_true (ms_message_has_keyword (ms_client_local_find (inbox (&f), "Minutes", NULL), "$Forwarded"));
  /* A NO is reported, and nothing changes here. */
  g_assert_false (run (&f, MS_CLIENT_ACTION_MARK_UNREAD, "Minutes", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "read-only today"));
  g_assert_true (ms_message_has_flag (ms_client_local_find (inbox (&f), "Minutes", NULL), MS_FLAG_SEEN));
  assert_script_done (&f);
  teardown (&f);
}

/* "AGFsaWNlAHNlY3JldA==" is base64 of "\0alice\0secret". */
static const MsTestScriptStep starttls_steps[] = {
  { "$ CAPABILITY", "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n$ OK\r\n" },
  { "$ STARTTLS", "$ OK begin TLS\r\n" },
  { "$ CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGINDISABLED IDLE\r\n$ OK\r\n" },
  { "$ AUTHENTICATE PLAIN", "+ \r\n" },
  { "AGFsaWNlAHNlY3JldA==", "A004 OK authenticated\r\n" },
  { "$ LIST \"\" \"*\"", "* LIST () \"/\" INBOX\r\n$ OK\r\n" },
  { "$ SELECT \"INBOX\"", "* 0 EXISTS\r\n* OK [UIDVALIDITY 3] ok\r\n$ OK\r\n" },
};

static void
test_starttls_authenticate (void)
{
  MsClientPolicy policy;
  Fixture f;

  memset (&f, 0, sizeof f);
  ms_client_policy_init_defaults (&policy);
  f.local = ms_store_new ();
  f.client = ms_imap_client_new (f.local, "alice", "secret", &policy, MS_CLIENT_TLS_STARTTLS);
  ms_test_pump_init (&f.pump, MS_CLIENT_SESSION (f.client), make_server, &f);
  SCRIPT (&f, 0, starttls_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  assert_script_done (&f);
  /* The password never went out before TLS, and never as LOGIN. */
  g_assert_null (strstr (f.pump.wire->str, " LOGIN "));
  g_assert_true (strstr (f.pump.wire->str, "C: A002 STARTTLS") < strstr (f.pump.wire->str, "AGFsaWNl"));
  teardown (&f);
}

static void
test_connection_lost (void)
{
  Fixture f;

  setup (&f, NULL);
  SCRIPT (&f, 0, open_body_steps);
  SCRIPT (&f, 1, resync_steps);
  g_assert_true (run (&f, MS_CLIENT_ACTION_CHECK, NULL, NULL));
  /* Lose the connection in the middle of the message's literal. */
  f.pump.drop_after = f.pump.server_bytes + 40;
  g_assert_false (run (&f, MS_CLIENT_ACTION_OPEN, "Field", NULL));
  g_assert_nonnull (strstr (f.pump.summary, "connection was lost during UID FETCH 1 (BODY[])"));
  g_assert_cmpint (level (&f, "Field"), ==, MS_IMAP_CACHE_HEADERS);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox (&f)), ==, 2);
  g_assert_cmpint (ms_imap_client_get_state (f.client), ==, MS_IMAP_CLIENT_STATE_OFFLINE);
  teardown (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap/client/parser/case-%u", i);
      g_test_add_data_func (path, &parse_cases[i], test_parse_case);
    }
  g_test_add_func ("/imap/client/parser/fetch-details", test_parse_fetch_details);
  g_test_add_func ("/imap/client/parser/errors", test_parse_errors);
  g_test_add_func ("/imap/client/parser/limits", test_parse_limits);
  g_test_add_func ("/imap/client/check-and-open-body", test_check_and_open_body);
  g_test_add_func ("/imap/client/peek-and-attachments", test_peek_and_attachments);
  g_test_add_func ("/imap/client/delete-modes", test_delete_modes);
  g_test_add_func ("/imap/client/idle-push", test_idle_push);
  g_test_add_func ("/imap/client/offline-queue-and-resync", test_offline_queue_and_resync);
  g_test_add_func ("/imap/client/uidvalidity-change", test_uidvalidity_change);
  g_test_add_func ("/imap/client/search-folders-sent", test_search_folders_sent);
  g_test_add_func ("/imap/client/connection-lost", test_connection_lost);
  g_test_add_func ("/imap/client/starttls-authenticate", test_starttls_authenticate);
  return g_test_run ();
}

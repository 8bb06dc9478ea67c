/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-imap-session"
#include "config.h"

#include <string.h>

#include "ms-imap-server-session.h"
#include "ms-protocol-event.h"
#include "ms-store.h"

/* Above the size from which the session queues literals by reference. */
#define MS_TEST_LARGE_LITERAL 16384

typedef struct
{
  MsStore   *store;
  MsAccount *account;
  MsMailbox *inbox;
} Fixture;

static const char *messages[] = {
  "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Lunch\r\n"
  "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nShall we have lunch?\r\n",
  "From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Invoice\r\n"
  "Date: Tue, 2 Jan 2024 11:00:00 +0100\r\nMIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
  "--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
  "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n",
  "From: Dan <dan@example.org>\r\nTo: alice@example.org\r\nSubject: Big news\r\n"
  "Date: Wed, 3 Jan 2024 12:00:00 +0000\r\n\r\nA long body about nothing.\r\n",
};

static void
fixture_init (Fixture *f)
{
  f->store = ms_store_new ();
  f->account = ms_store_add_account (f->store, "alice", "wonderland", NULL);
  f->inbox = ms_account_get_inbox (f->account);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (messages[i], strlen (messages[i]));
      ms_mailbox_append (f->inbox, raw, MS_FLAG_NONE, NULL, 1704103200 + i * 86400, 60);
    }
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->store);
}

static char *
take (MsImapServerSession *s)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  while (ms_server_session_take_output (MS_SERVER_SESSION (s), out) > 0)
    ;
  return g_strndup ((const char *) out->data, out->len);
}

/* Feeds one byte at a time and returns everything the session said. */
static char *
send (MsImapServerSession *s,
      const char          *input)
{
  for (gsize i = 0; input[i]; i++)
    ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) input + i, 1);
  return take (s);
}

static MsImapServerSession *
open_session (Fixture    *f,
              const char *select)
{
  MsImapServerSession *s = ms_imap_server_session_new (f->store);
  g_autofree char *greeting = NULL;

  ms_server_session_start (MS_SERVER_SESSION (s));
  greeting = take (s);
  g_assert_true (g_str_has_prefix (greeting, "* OK [CAPABILITY IMAP4rev1 "));
  g_free (send (s, "l LOGIN alice wonderland\r\n"));
  if (select)
    {
      g_autofree char *line = g_strdup_printf ("s SELECT %s\r\n", select);
      g_autofree char *out = send (s, line);
      g_assert_nonnull (strstr (out, "s OK [READ-WRITE]"));
    }
  return s;
}

#define assert_has(hay, needle) G_STMT_START { \
  if (strstr ((hay), (needle)) == NULL) \
    g_error ("%s:%d: expected %s in:\n%s", __FILE__, __LINE__, (needle), (hay)); } G_STMT_END
#define assert_lacks(hay, needle) G_STMT_START { \
  if (strstr ((hay), (needle)) != NULL) \
    g_error ("%s:%d: did not expect %s in:\n%s", __FILE__, __LINE__, (needle), (hay)); } G_STMT_END

/* One command, the expected pieces of the answer: table-driven. */
typedef struct
{
  const char *command;
  const char *expect[4];
  const char *absent;
} Step;

static void
run_steps (MsImapServerSession *s,
           const Step          *steps,
           guint                n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *out = send (s, steps[i].command);

      g_test_message ("C: %sS: %s", steps[i].command, out);
      for (guint k = 0; k < G_N_ELEMENTS (steps[i].expect) && steps[i].expect[k]; k++)
        assert_has (out, steps[i].expect[k]);
      if (steps[i].absent)
        assert_lacks (out, steps[i].absent);
    }
}

static void
test_not_authenticated (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a CAPABILITY\r\n", { "* CAPABILITY IMAP4rev1 ", "AUTH=PLAIN", "a OK" } },
    { "b NOOP\r\n", { "b OK" } },
    { "c SELECT INBOX\r\n", { "c BAD" } },
    { "d LOGIN alice wrong\r\n", { "d NO [AUTHENTICATIONFAILED]" } },
    { "e FOO\r\n", { "e BAD" } },
    { "f STARTTLS\r\n", { "f BAD" } },
    { "f2 LOGIN {100000}\r\n", { "f2 BAD [TOOBIG]" }, "+ " },
    { "g ID (\"name\" \"test\")\r\n", { "* ID (", "g OK" } },
    { "h AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n", { "h OK [CAPABILITY" } },
    { "i LOGOUT\r\n", { "* BYE", "i OK" } },
  };

  fixture_init (&f);
  s = ms_imap_server_session_new (f.store);
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (take (s));
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_assert_true (ms_server_session_is_finished (MS_SERVER_SESSION (s)));
  g_assert_cmpint (ms_imap_server_session_get_state (s), ==, MS_IMAP_STATE_LOGOUT);
  g_object_unref (s);
  fixture_clear (&f);
}

/* A session before login that has been sent "a AUTHENTICATE PLAIN" and
 * answered "+ ". */
static MsImapServerSession *
awaiting_plain_answer (Fixture *f)
{
  MsImapServerSession *s;
  g_autofree char *a = NULL;

  fixture_init (f);
  s = ms_imap_server_session_new (f->store);
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (take (s));
  a = send (s, "a AUTHENTICATE PLAIN\r\n");
  g_assert_cmpstr (a, ==, "+ \r\n");
  return s;
}

/* IDLE's DONE line has the same limits as an AUTHENTICATE answer, and the
 * same answers: [TOOBIG] past the limit, a NUL named, never taken as DONE. */
static void
test_idle_unusable_done (void)
{
  static const char with_nul[] = "DONE\0junk\r\n";
  Fixture f;
  MsImapServerSession *s;
  g_autofree char *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  g_autofree char *long_line = g_strnfill (20000, 'D');

  fixture_init (&f);
  s = ms_imap_server_session_new (f.store);
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (take (s));
  g_free (send (s, "a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc IDLE\r\n"));
  b = send (s, long_line);
  g_assert_cmpstr (b ? b : "", ==, "");
  c = send (s, "\r\n");
  g_assert_cmpstr (c, ==, "c BAD [TOOBIG] Line too long.\r\n");
  g_free (send (s, "d IDLE\r\n"));
  ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) with_nul, sizeof with_nul - 1);
  d = take (s);
  g_assert_cmpstr (d, ==, "d BAD NUL in the line.\r\n");
  e = send (s, "e NOOP\r\n");
  assert_has (e, "e OK NOOP completed.");
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_authenticate_continuation (void)
{
  Fixture f;
  MsImapServerSession *s = awaiting_plain_answer (&f);
  g_autofree char *b = NULL;

  b = send (s, "AGFsaWNlAHdvbmRlcmxhbmQ=\r\n");
  assert_has (b, "a OK [CAPABILITY");
  g_assert_cmpint (ms_imap_server_session_get_state (s), ==, MS_IMAP_STATE_AUTHENTICATED);
  g_object_unref (s);
  fixture_clear (&f);
}

/* An AUTHENTICATE answer the server would have to cut (past the raw line
 * limit, or at a NUL) is refused with BAD, never tried as a password: cut
 * at its NUL, the second one below would have logged in. */
static void
test_authenticate_unusable_answer (void)
{
  static const char with_nul[] = "AGFsaWNlAHdvbmRlcmxhbmQ=\0junk\r\n";
  Fixture f;
  MsImapServerSession *s = awaiting_plain_answer (&f);
  g_autofree char *b = NULL, *c = NULL, *d = NULL;
  g_autofree char *e = NULL, *g = NULL, *h = NULL;
  g_autofree char *long_answer = g_strnfill (20000, 'A');

  b = send (s, long_answer);
  g_assert_cmpstr (b ? b : "", ==, "");
  c = send (s, "\r\n");
  g_assert_cmpstr (c, ==, "a BAD [TOOBIG] Line too long.\r\n");
  d = send (s, "b AUTHENTICATE PLAIN\r\n");
  g_assert_cmpstr (d, ==, "+ \r\n");
  ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) with_nul, sizeof with_nul - 1);
  e = take (s);
  g_assert_cmpstr (e, ==, "b BAD NUL in the line.\r\n");
  g_assert_cmpint (ms_imap_server_session_get_state (s), ==, MS_IMAP_STATE_NOT_AUTHENTICATED);
  /* Neither was a failed login: the next answer is taken at once. */
  g_assert_cmpuint (ms_server_session_get_hold_ms (MS_SERVER_SESSION (s)), ==, 0);
  g = send (s, "c AUTHENTICATE PLAIN\r\n");
  h = send (s, "AGFsaWNlAHdvbmRlcmxhbmQ=\r\n");
  assert_has (h, "c OK [CAPABILITY");
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_require_tls (void)
{
  Fixture f;
  MsImapServerSession *s;
  gboolean tls_requested = FALSE;
  static const Step steps[] = {
    { "a CAPABILITY\r\n", { "STARTTLS", "LOGINDISABLED" }, "AUTH=PLAIN" },
    { "b LOGIN alice wonderland\r\n", { "b NO [PRIVACYREQUIRED]" } },
    { "c AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n", { "c NO" } },
  };
  g_autofree char *out = NULL;
  g_autofree char *after = NULL;

  fixture_init (&f);
  s = ms_imap_server_session_new (f.store);
  g_object_set (s, "tls-available", TRUE, "require-tls", TRUE, NULL);
  g_signal_connect_swapped (s, "tls-requested", G_CALLBACK (g_nullify_pointer), &tls_requested);
  tls_requested = TRUE;
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (take (s));
  run_steps (s, steps, G_N_ELEMENTS (steps));

  /* A command pipelined after STARTTLS is dropped, never executed. */
  out = send (s, "d STARTTLS\r\ne LOGIN alice wonderland\r\n");
  g_assert_cmpstr (out, ==, "d OK Begin TLS negotiation now.\r\n");
  g_assert_false (tls_requested);
  ms_server_session_set_tls_active (MS_SERVER_SESSION (s), TRUE);
  after = send (s, "f CAPABILITY\r\ng LOGIN alice wonderland\r\nh STARTTLS\r\n");
  assert_lacks (after, "STARTTLS IMAP");
  assert_lacks (after, "LOGINDISABLED");
  assert_has (after, "g OK");
  assert_has (after, "h BAD");
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_select_and_fetch (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a EXAMINE INBOX\r\n", { "* 3 EXISTS", "* OK [UIDVALIDITY ", "* OK [UIDNEXT 4]", "a OK [READ-ONLY]" } },
    { "b SELECT inbox\r\n", { "* 3 RECENT", "* OK [UNSEEN 1]", "PERMANENTFLAGS (\\Answered", "b OK [READ-WRITE]" } },
    { "c FETCH 1 (FLAGS UID RFC822.SIZE)\r\n", { "* 1 FETCH (FLAGS (\\Recent) UID 1 RFC822.SIZE ", "c OK" } },
    { "d FETCH 2 BODY.PEEK[1]\r\n", { "* 2 FETCH (BODY[1] {13}\r\nSee attached.)", "d OK" }, "\\Seen" },
    { "e FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])\r\n",
      { "BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Lunch\r\n\r\n", "FLAGS (\\Seen \\Recent)", "e OK" } },
    { "f FETCH 1 BODY[]<0.4>\r\n", { "BODY[]<0> {4}\r\nFrom)", "f OK" }, "FLAGS" },
    { "g UID FETCH 3 (ENVELOPE)\r\n", { "* 3 FETCH (UID 3 ENVELOPE (\"Wed, 3 Jan 2024", "g OK" } },
    { "h FETCH 2 BODYSTRUCTURE\r\n", { "BODYSTRUCTURE ((\"text\" \"plain\"", "\"mixed\"", "h OK" } },
    { "i FETCH 3 INTERNALDATE\r\n", { "INTERNALDATE \"03-Jan-2024 11:00:00 +0100\"", "i OK" } },
    { "j FETCH 4 FLAGS\r\n", { "j BAD" } },
    { "k FETCH 1 BODY[FOO]\r\n", { "k BAD" } },
    { "k2 SEARCH SUBJECT caf\xc3\xa9\r\n", { "k2 BAD" } },
    { "l FETCH 1:* FAST\r\n", { "* 3 FETCH (FLAGS", "l OK" } },
    { "m FETCH 2 RFC822.HEADER\r\n", { "RFC822.HEADER {", "m OK" }, "Seen" },
  };

  fixture_init (&f);
  s = open_session (&f, NULL);
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_store_search (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a STORE 1 +FLAGS (\\Flagged $Work)\r\n", { "* 1 FETCH (FLAGS (\\Flagged $Work \\Recent))", "a OK" } },
    { "b STORE 2 FLAGS.SILENT (\\Seen)\r\n", { "b OK" }, "FETCH" },
    { "c UID STORE 1:2 -FLAGS (\\Flagged)\r\n", { "* 1 FETCH (UID 1 FLAGS ($Work \\Recent))", "c OK" } },
    { "d SEARCH UNSEEN\r\n", { "* SEARCH 1 3\r\n", "d OK" } },
    { "e SEARCH OR FROM carol SUBJECT big\r\n", { "* SEARCH 2 3\r\n" } },
    { "f SEARCH NOT 2:3 KEYWORD $Work\r\n", { "* SEARCH 1\r\n" } },
    { "g UID SEARCH BODY attached\r\n", { "* SEARCH 2\r\n" } },
    { "h SEARCH CHARSET UTF-8 TEXT lunch\r\n", { "* SEARCH 1\r\n" } },
    { "i SEARCH CHARSET KOI8-R ALL\r\n", { "i NO [BADCHARSET" } },
    { "j SEARCH SINCE 2-Jan-2024 BEFORE 3-Jan-2024\r\n", { "* SEARCH 2\r\n" } },
    { "k SEARCH SENTON 2-Jan-2024\r\n", { "* SEARCH 2\r\n" } },
    { "l SEARCH LARGER 200 SMALLER 100000\r\n", { "* SEARCH 2\r\n" } },
    { "m SEARCH (SEEN) (OR DELETED UID 2)\r\n", { "* SEARCH 2\r\n" } },
    { "n SEARCH HEADER To alice NEW\r\n", { "* SEARCH 1 3\r\n" } },
    { "o SEARCH BOGUS\r\n", { "o BAD" } },
    { "p STORE 1 +FLAGS (\\Recent)\r\n", { "p BAD" } },
  };

  fixture_init (&f);
  s = open_session (&f, "INBOX");
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_mailboxes (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a CREATE Entw&APw-rfe\r\n", { "a OK" } },
    { "b CREATE Work/Projects\r\n", { "b OK" } },
    { "c LIST \"\" *\r\n", { "* LIST (\\HasNoChildren) \"/\" INBOX", "\"/\" Entw&APw-rfe", "(\\Noselect \\HasChildren) \"/\" Work\r\n" } },
    { "d LIST \"\" %\r\n", { "d OK" }, "Work/Projects" },
    { "e CREATE &Jjo\r\n", { "e NO" } },
    { "f CREATE a/../b\r\n", { "f NO" } },
    { "g RENAME Work/Projects Archive\r\n", { "g OK" } },
    { "h SUBSCRIBE Archive\r\n", { "h OK" } },
    { "i LSUB \"\" *\r\n", { "* LSUB () \"/\" Archive", "i OK" } },
    { "j STATUS Archive (MESSAGES UIDNEXT UNSEEN)\r\n", { "* STATUS Archive (MESSAGES 0 UIDNEXT 1 UNSEEN 0)", "j OK" } },
    { "k DELETE INBOX\r\n", { "k NO" } },
    { "l DELETE Archive\r\n", { "l OK" } },
    { "m SELECT Archive\r\n", { "m NO" } },
    { "m2 SELECT INBOX\r\n", { "m2 OK" } },
    { "m3 EXAMINE INBOX\r\n", { "* OK [CLOSED]", "m3 OK [READ-ONLY]" } },
    { "m4 UNSELECT\r\n", { "m4 OK" } },
    { "n LIST \"\" \"\"\r\n", { "* LIST (\\Noselect) \"/\" \"\"" } },
    { "o NAMESPACE\r\n", { "* NAMESPACE ((\"\" \"/\")) NIL NIL" } },
    { "p ENABLE CONDSTORE\r\n", { "* ENABLED", "p OK" } },
    { "q RENAME INBOX Old\r\n", { "q OK" } },
    { "r STATUS Old (MESSAGES)\r\n", { "(MESSAGES 3)" } },
    { "s STATUS INBOX (MESSAGES)\r\n", { "(MESSAGES 0)" } },
  };

  fixture_init (&f);
  s = open_session (&f, NULL);
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_special_use (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n", { "* LIST (\\HasNoChildren \\Sent) \"/\" Sent", "a OK" } },
    { "b LIST (SPECIAL-USE) \"\" \"*\"\r\n", { "\\Trash) \"/\" Trash" }, "INBOX" },
  };

  fixture_init (&f);
  ms_mailbox_set_role (ms_account_create_mailbox (f.account, "Sent", NULL), MS_MAILBOX_ROLE_SENT);
  ms_mailbox_set_role (ms_account_create_mailbox (f.account, "Trash", NULL), MS_MAILBOX_ROLE_TRASH);
  s = open_session (&f, NULL);
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_append_copy_move (void)
{
  Fixture f;
  MsImapServerSession *s;
  g_autofree char *a = NULL, *b = NULL;
  static const Step steps[] = {
    { "c CREATE Saved\r\n", { "c OK" } },
    { "d COPY 1:2 Saved\r\n", { "d OK [COPYUID ", " 1:2 1:2] " } },
    { "e UID MOVE 3 Saved\r\n", { "* OK [COPYUID ", " 3 3] ", "* 3 EXPUNGE", "e OK" } },
    { "f COPY 1 Nowhere\r\n", { "f NO [TRYCREATE]" } },
    { "g STATUS Saved (MESSAGES)\r\n", { "(MESSAGES 3)" } },
  };

  fixture_init (&f);
  s = open_session (&f, "INBOX");
  /* A literal with a "+" continuation, flags and a date. */
  a = send (s, "a APPEND INBOX (\\Seen) \" 5-Jan-2024 10:00:00 +0000\" {23}\r\n");
  g_assert_cmpstr (a, ==, "+ Ready for literal data\r\n");
  b = send (s, "Subject: x\r\n\r\nHello.\r\n\r\n");
  assert_has (b, "* 4 EXISTS");
  assert_has (b, "a OK [APPENDUID ");
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.inbox), ==, 4);
  g_assert_true (ms_message_has_flag (ms_mailbox_get_message (f.inbox, 3), MS_FLAG_SEEN));
  g_assert_cmpint (ms_message_get_internal_date (ms_mailbox_get_message (f.inbox, 3)), ==, 1704448800);
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

/* Two sessions on one mailbox: each keeps its own numbering until it may
 * be told otherwise. */
static void
test_two_sessions_flags (void)
{
  Fixture f;
  MsImapServerSession *a, *b;
  g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL;

  fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  out1 = send (a, "a1 STORE 2 +FLAGS (\\Seen)\r\n");
  assert_has (out1, "* 2 FETCH (FLAGS (\\Seen \\Recent))");
  out2 = send (b, "b1 NOOP\r\n");
  /* b has no \Recent: a claimed them first. */
  assert_has (out2, "* 2 FETCH (FLAGS (\\Seen))\r\nb1 OK");
  out3 = send (b, "b2 NOOP\r\n");
  g_assert_cmpstr (out3, ==, "b2 OK NOOP completed.\r\n");
  g_object_unref (a);
  g_object_unref (b);
  fixture_clear (&f);
}

static void
test_expunge_ordering (void)
{
  Fixture f;
  MsImapServerSession *a, *b;
  g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL, *out4 = NULL, *out5 = NULL;

  fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  g_free (send (a, "a1 STORE 1,3 +FLAGS.SILENT (\\Deleted)\r\n"));
  out1 = send (a, "a2 EXPUNGE\r\n");
  /* Each EXPUNGE renumbers: message 3 is 2 once 1 is gone. */
  g_assert_cmpstr (out1, ==, "* 1 EXPUNGE\r\n* 2 EXPUNGE\r\na2 OK Expunge completed.\r\n");

  /* b must not see EXPUNGE during FETCH, STORE or SEARCH; numbers stay. */
  out2 = send (b, "b1 FETCH 3 (UID)\r\n");
  g_assert_cmpstr (out2, ==, "* 3 FETCH (UID 3)\r\nb1 OK Fetch completed.\r\n");
  out3 = send (b, "b2 SEARCH ALL\r\n");
  assert_lacks (out3, "EXPUNGE");
  assert_has (out3, "* SEARCH 2\r\n");
  out4 = send (b, "b3 STORE 2 +FLAGS (\\Flagged)\r\n");
  assert_lacks (out4, "EXPUNGE");
  assert_has (out4, "* 2 FETCH (FLAGS (\\Flagged))");
  /* At NOOP it learns, in the order that keeps its numbers right. */
  out5 = send (b, "b4 NOOP\r\n");
  g_assert_cmpstr (out5, ==, "* 1 EXPUNGE\r\n* 2 EXPUNGE\r\nb4 OK NOOP completed.\r\n");
  g_object_unref (a);
  g_object_unref (b);
  fixture_clear (&f);
}

static void
test_uid_fetch_may_expunge (void)
{
  Fixture f;
  MsImapServerSession *a, *b;
  g_autofree char *out = NULL;

  fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  g_free (send (a, "a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na2 EXPUNGE\r\n"));
  out = send (b, "b1 UID FETCH 2 (FLAGS)\r\n");
  assert_has (out, "* 2 FETCH (UID 2 FLAGS ())\r\n* 1 EXPUNGE\r\nb1 OK");
  g_object_unref (a);
  g_object_unref (b);
  fixture_clear (&f);
}

/* Sessions share one list of the mailbox's messages until one must differ:
 * a session that has not been told of an expunge keeps its numbers, a new
 * one sees the mailbox as it is, and they agree once told. */
static void
test_shared_view (void)
{
  static const char message[] = "Subject: new\r\n\r\nHello.\r\n";
  Fixture f;
  MsImapServerSession *a, *b, *c;
  g_autofree char *append = g_strdup_printf ("a3 APPEND INBOX {%zu+}\r\n%s\r\n", strlen (message), message);
  g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL, *out4 = NULL, *out5 = NULL, *out6 = NULL;

  fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  g_free (send (a, "a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na2 EXPUNGE\r\n"));
  c = open_session (&f, NULL);
  out1 = send (c, "c1 SELECT INBOX\r\n");
  assert_has (out1, "* 2 EXISTS\r\n");

  /* A new message while b still owes its client an expunge. */
  g_free (send (a, append));
  out2 = send (b, "b1 FETCH 1 (UID)\r\n");
  assert_has (out2, "* 1 FETCH (UID 1)\r\n");
  assert_has (out2, "* 4 EXISTS\r\n");
  out3 = send (b, "b2 NOOP\r\n");
  g_assert_cmpstr (out3, ==, "* 1 EXPUNGE\r\nb2 OK NOOP completed.\r\n");
  out4 = send (b, "b3 FETCH 1:* (UID)\r\n");
  assert_has (out4, "* 1 FETCH (UID 2)\r\n* 2 FETCH (UID 3)\r\n* 3 FETCH (UID 4)\r\n");
  out5 = send (c, "c2 NOOP\r\n");
  assert_has (out5, "* 3 EXISTS\r\n");
  out6 = send (c, "c3 FETCH 3 (UID)\r\n");
  assert_has (out6, "* 3 FETCH (UID 4)\r\n");
  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (c);
  fixture_clear (&f);
}

static void
on_output_ready (gpointer data)
{
  (*(guint *) data)++;
}

static void
test_idle_push (void)
{
  Fixture f;
  MsImapServerSession *a, *b;
  guint ready = 0;
  g_autofree char *start = NULL, *pushed = NULL, *done = NULL, *pushed2 = NULL;
  g_autofree char *appended = NULL;

  fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  g_signal_connect_swapped (b, "output-ready", G_CALLBACK (on_output_ready), &ready);
  start = send (b, "b1 IDLE\r\n");
  g_assert_cmpstr (start, ==, "+ idling\r\n");
  g_assert_cmpuint (ready, ==, 0);

  appended = send (a, "a1 APPEND INBOX {20+}\r\nSubject: new\r\n\r\nHi.\r\n\r\n");
  assert_has (appended, "* 4 EXISTS");
  /* The idling session was told at once, outside feed(). */
  g_assert_cmpuint (ready, ==, 1);
  pushed = take (b);
  g_assert_cmpstr (pushed, ==, "* 4 EXISTS\r\n* 1 RECENT\r\n");

  g_free (send (a, "a2 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na3 EXPUNGE\r\n"));
  pushed2 = take (b);
  g_assert_cmpstr (pushed2, ==, "* 1 FETCH (FLAGS (\\Deleted))\r\n* 1 EXPUNGE\r\n");
  done = send (b, "DONE\r\n");
  g_assert_cmpstr (done, ==, "b1 OK Idle completed.\r\n");
  g_object_unref (a);
  g_object_unref (b);
  fixture_clear (&f);
}

static void
test_close_unselect (void)
{
  Fixture f;
  MsImapServerSession *s;
  static const Step steps[] = {
    { "a STORE 1 +FLAGS.SILENT (\\Deleted)\r\n", { "a OK" } },
    { "b UNSELECT\r\n", { "b OK" } },
    { "c SELECT INBOX\r\n", { "* 3 EXISTS" } },
    { "d CLOSE\r\n", { "d OK" }, "EXPUNGE" },
    { "e FETCH 1 FLAGS\r\n", { "e BAD" } },
    { "f STATUS INBOX (MESSAGES)\r\n", { "(MESSAGES 2)" } },
    { "g EXAMINE INBOX\r\n", { "g OK [READ-ONLY]" } },
    { "h STORE 1 +FLAGS (\\Seen)\r\n", { "h NO" } },
    { "i EXPUNGE\r\n", { "i NO" } },
  };

  fixture_init (&f);
  s = open_session (&f, "INBOX");
  run_steps (s, steps, G_N_ELEMENTS (steps));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
test_bad_input (void)
{
  Fixture f;
  MsImapServerSession *s;
  g_autofree char *out = NULL;
  g_autoptr(GString) many = g_string_new (NULL);

  fixture_init (&f);
  s = open_session (&f, NULL);
  out = send (s, "x1 NOOP \001\r\nx2 LIST \"\" \"unterminated\r\n");
  assert_has (out, "x1 BAD");
  assert_has (out, "x2 BAD");
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (many, "z%u BOGUS\r\n", i);
  g_free (send (s, many->str));
  g_assert_true (ms_server_session_is_finished (MS_SERVER_SESSION (s)));
  g_object_unref (s);
  fixture_clear (&f);
}

static void
on_event (MsServerSession       *session,
          const MsProtocolEvent *event,
          GString               *log)
{
  g_string_append_printf (log, "%s %s %s|", ms_protocol_event_kind_name (event->kind),
                          event->name, event->tag ? event->tag : "-");
}

static void
test_events (void)
{
  Fixture f;
  MsImapServerSession *s;
  g_autoptr(GString) log = g_string_new (NULL);

  fixture_init (&f);
  s = ms_imap_server_session_new (f.store);
  g_signal_connect (s, "protocol-event", G_CALLBACK (on_event), log);
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (send (s, "a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc UID FETCH 1 FLAGS\r\nd IDLE\r\nDONE\r\n"));
  g_test_message ("%s", log->str);
  assert_has (log->str, "command LOGIN a|");
  assert_has (log->str, "state AUTHENTICATED -|");
  assert_has (log->str, "response OK a|");
  assert_has (log->str, "response EXISTS *|");
  assert_has (log->str, "state SELECTED -|");
  assert_has (log->str, "command UID FETCH c|");
  assert_has (log->str, "command DONE -|notice idle-done -|response OK d|");
  g_object_unref (s);
  fixture_clear (&f);
}

/* Observers that ask for notices only get only those, and a session that
 * describes nothing else still answers the same bytes. */
static void
test_events_by_kind (void)
{
  Fixture f;
  MsImapServerSession *s;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *out = NULL;

  fixture_init (&f);
  s = ms_imap_server_session_new (f.store);
  g_signal_connect (s, "protocol-event::notice", G_CALLBACK (on_event), log);
  g_assert_true (ms_server_session_wants_events (MS_SERVER_SESSION (s), MS_PROTOCOL_EVENT_NOTICE));
  g_assert_false (ms_server_session_wants_events (MS_SERVER_SESSION (s), MS_PROTOCOL_EVENT_RESPONSE));
  ms_server_session_start (MS_SERVER_SESSION (s));
  g_free (take (s));
  out = send (s, "a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc FETCH 1:2 (UID FLAGS)\r\nd IDLE\r\nDONE\r\n");
  assert_has (out, "* 1 FETCH (UID 1 FLAGS (\\Recent))\r\n* 2 FETCH (UID 2 FLAGS (\\Recent))\r\nc OK");
  assert_has (log->str, "notice idle-done -|");
  assert_lacks (log->str, "response");
  assert_lacks (log->str, "command");
  assert_lacks (log->str, "state");
  g_object_unref (s);
  fixture_clear (&f);
}

/* A literal large enough to be queued by reference comes out byte for
 * byte, whole and as a partial, between the rest of its line. */
static void
test_large_literal (void)
{
  Fixture f;
  MsImapServerSession *s;
  g_autoptr(GString) raw = g_string_new ("From: Eve <eve@example.org>\r\nSubject: Big\r\n\r\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) expect = g_string_new (NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *out = NULL;

  fixture_init (&f);
  for (guint i = 0; raw->len < 3 * MS_TEST_LARGE_LITERAL; i++)
    g_string_append_printf (raw, "Line %u of a long message, to be sent by reference.\r\n", i);
  bytes = g_bytes_new (raw->str, raw->len);
  ms_mailbox_append (f.inbox, bytes, MS_FLAG_NONE, NULL, 1704103200, 0);
  s = open_session (&f, "INBOX");
  g_signal_connect (s, "protocol-event::response", G_CALLBACK (on_event), log);
  out = send (s, "f UID FETCH 4 (BODY.PEEK[] BODY.PEEK[]<7.40000> RFC822.SIZE)\r\n");
  g_string_append_printf (expect, "* 4 FETCH (UID 4 BODY[] {%" G_GSIZE_FORMAT "}\r\n", raw->len);
  g_string_append_len (expect, raw->str, raw->len);
  g_string_append (expect, " BODY[]<7> {40000}\r\n");
  g_string_append_len (expect, raw->str + 7, 40000);
  g_string_append_printf (expect, " RFC822.SIZE %" G_GSIZE_FORMAT ")\r\nf OK", raw->len);
  g_assert_true (g_str_has_prefix (out, expect->str));
  assert_has (log->str, "response FETCH *|response OK f|");
  g_object_unref (s);
  fixture_clear (&f);
}

/* --- Streaming: a command's answer leaves a budget at a time ------------ */

#define STREAM_MESSAGES 120
#define STREAM_BUDGET   4096

/* Message i: small ones, and every tenth above MS_TEST_LARGE_LITERAL so that
 * it goes out by reference and is cut across takes. */
static GBytes *
stream_message (guint i)
{
  gsize body = (i % 10 == 0) ? 3 * MS_TEST_LARGE_LITERAL : 200 + i;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "Subject: message %u\r\n\r\n", i + 1);
  for (gsize k = 0; k < body; k++)
    g_string_append_c (s, (k + 1) % 64 == 0 ? '\n' : 'a' + (i + k) % 26);
  return g_string_free_to_bytes (s);
}

static void
stream_fixture_init (Fixture *f)
{
  f->store = ms_store_new ();
  f->account = ms_store_add_account (f->store, "alice", "wonderland", NULL);
  f->inbox = ms_account_get_inbox (f->account);
  for (guint i = 0; i < STREAM_MESSAGES; i++)
    {
      g_autoptr(GBytes) raw = stream_message (i);
      ms_mailbox_append (f->inbox, raw, MS_FLAG_NONE, NULL, 1704103200 + i, 0);
    }
}

/* Takes output one call at a time, as a driver does, checking that no call
 * hands out more than the budget and that the session never holds more
 * than the budget and one response (@largest) meanwhile. */
static char *
take_bounded (MsImapServerSession *s,
              gsize                largest,
              guint               *n_takes)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize budget = ms_imap_server_session_get_output_budget (s);
  gsize n;

  *n_takes = 0;
  do
    {
      gsize before = out->len;

      g_assert_cmpuint (ms_imap_server_session_get_queued (s), <, budget + largest);
      n = ms_server_session_take_output (MS_SERVER_SESSION (s), out);
      g_assert_cmpuint (n, ==, out->len - before);
      g_assert_cmpuint (n, <=, budget);
      (*n_takes)++;
    }
  while (n > 0);
  g_assert_cmpuint (ms_imap_server_session_get_max_queued (s), <, budget + largest);
  return g_strndup ((const char *) out->data, out->len);
}

/* The FETCH lines of @out in order: checks each against the message it
 * names (sequence number, UID, the literal's bytes) and returns where the
 * text after the last one starts. */
static const char *
check_fetch_lines (Fixture    *f,
                   const char *out,
                   guint       first,
                   guint       count)
{
  const char *p = out;

  for (guint seq = first; seq < first + count; seq++)
    {
      MsMessage *message = ms_mailbox_get_message (f->inbox, seq - 1);
      g_autofree char *head = g_strdup_printf ("* %u FETCH (UID %u BODY[] {", seq, ms_message_get_uid (message));
      GBytes *raw = ms_message_get_raw (message);
      gsize len = 0;
      const char *data = g_bytes_get_data (raw, &len);
      char *end;

      p = strstr (p, head);
      if (p == NULL)
        g_error ("no FETCH line for message %u", seq);
      p += strlen (head);
      g_assert_cmpuint (g_ascii_strtoull (p, &end, 10), ==, len);
      g_assert_cmpmem (end, 3, "}\r\n", 3);
      g_assert_cmpmem (end + 3, len, data, len);
      p = end + 3 + len;
      g_assert_true (g_str_has_prefix (p, ")\r\n"));
      p += 3;
    }
  return p;
}

static void
test_fetch_streams (void)
{
  Fixture f;
  g_autoptr(MsImapServerSession) s = NULL;
  g_autofree char *out = NULL;
  const char *rest;
  guint n_takes = 0;
  static const char pipelined[] = "f UID FETCH 1:* (UID BODY.PEEK[])\r\nn NOOP\r\n";

  stream_fixture_init (&f);
  s = open_session (&f, "INBOX");
  ms_imap_server_session_set_output_budget (s, STREAM_BUDGET);

  /* The FETCH and the NOOP pipelined behind it arrive in one piece. */
  ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) pipelined, strlen (pipelined));
  g_assert_true (ms_imap_server_session_is_answering (s));
  g_assert_cmpuint (ms_imap_server_session_get_queued (s), <, STREAM_BUDGET + 4 * MS_TEST_LARGE_LITERAL);

  out = take_bounded (s, 4 * MS_TEST_LARGE_LITERAL, &n_takes);
  g_assert_false (ms_imap_server_session_is_answering (s));
  /* About 900 KiB of answer in 4 KiB takes. */
  g_assert_cmpuint (n_takes, >, 100);
  rest = check_fetch_lines (&f, out, 1, STREAM_MESSAGES);
  /* The NOOP ran after the FETCH ended, not before or inside it. */
  g_assert_cmpstr (rest, ==, "f OK Fetch completed.\r\nn OK NOOP completed.\r\n");
  fixture_clear (&f);
}

/* While the FETCH waits for its reader, another session sets a flag and
 * expunges. The suspended FETCH keeps the sequence numbers it started with
 * (RFC 3501 section 7.4.1: no EXPUNGE during FETCH), answers the expunged
 * message from the copy its view holds, shows the new flag on the lines it
 * writes after the change, and the EXPUNGE comes with the next command. */
static void
test_fetch_suspended_expunge (void)
{
  Fixture f;
  g_autoptr(MsImapServerSession) a = NULL;
  g_autoptr(MsImapServerSession) b = NULL;
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autofree char *from_b = NULL;
  g_autofree char *rest_of_a = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  MsMessage *doomed;
  guint doomed_uid;
  static const char fetch[] = "f FETCH 1:* (FLAGS)\r\n";

  stream_fixture_init (&f);
  a = open_session (&f, "INBOX");
  b = open_session (&f, "INBOX");
  ms_imap_server_session_set_output_budget (a, 256);
  doomed = ms_mailbox_get_message (f.inbox, 99);
  doomed_uid = ms_message_get_uid (doomed);

  ms_server_session_feed (MS_SERVER_SESSION (a), (const guint8 *) fetch, strlen (fetch));
  ms_server_session_take_output (MS_SERVER_SESSION (a), first);
  g_assert_true (ms_imap_server_session_is_answering (a));

  from_b = send (b, "b1 STORE 110 +FLAGS (\\Flagged)\r\nb2 STORE 100 +FLAGS (\\Deleted)\r\nb3 EXPUNGE\r\n");
  assert_has (from_b, "* 100 EXPUNGE");
  g_assert_cmpuint (ms_mailbox_get_n_messages (f.inbox), ==, STREAM_MESSAGES - 1);

  rest_of_a = take (a);
  g_string_append_len (all, (const char *) first->data, first->len);
  g_string_append (all, rest_of_a);
  /* Every message the command started with, numbered as then. */
  for (guint seq = 1; seq <= STREAM_MESSAGES; seq++)
    {
      g_autofree char *line = g_strdup_printf ("\r\n* %u FETCH (FLAGS (", seq);

      if (seq == 1)
        g_assert_true (g_str_has_prefix (all->str, line + 2));
      else
        assert_has (all->str, line);
    }
  assert_has (all->str, "* 100 FETCH (FLAGS (\\Deleted \\Recent))\r\n");
  assert_has (all->str, "* 110 FETCH (FLAGS (\\Flagged \\Recent))\r\n");
  assert_lacks (all->str, "EXPUNGE");
  /* The changed flags may be repeated as updates; the end is the status. */
  assert_has (all->str, "* 120 FETCH (FLAGS (\\Recent))\r\n");
  g_assert_true (g_str_has_suffix (all->str, "\r\nf OK Fetch completed.\r\n"));

  /* Now the client may learn of it; the numbers after it move down. */
  after = send (a, "n NOOP\r\n");
  assert_has (after, "* 100 EXPUNGE\r\n");
  g_free (after);
  after = send (a, "g FETCH 100 (UID)\r\n");
  assert_has (after, "* 100 FETCH (UID ");
  {
    g_autofree char *doomed_answer = g_strdup_printf ("(UID %u)", doomed_uid);

    assert_lacks (after, doomed_answer);
  }
  fixture_clear (&f);
}

/* A client that keeps sending while its answer waits is cut off once the
 * input kept for later passes MS_LIMIT_IMAP_PENDING_INPUT. */
static void
test_fetch_pending_input_limit (void)
{
  Fixture f;
  g_autoptr(MsImapServerSession) s = NULL;
  g_autofree char *out = NULL;
  static const char fetch[] = "f FETCH 1:* (BODY.PEEK[])\r\n";
  static const char noop[] = "n NOOP\r\n";
  gsize sent = 0;

  stream_fixture_init (&f);
  s = open_session (&f, "INBOX");
  ms_imap_server_session_set_output_budget (s, STREAM_BUDGET);
  ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) fetch, strlen (fetch));
  g_assert_true (ms_imap_server_session_is_answering (s));
  while (!ms_server_session_is_finished (MS_SERVER_SESSION (s)))
    {
      ms_server_session_feed (MS_SERVER_SESSION (s), (const guint8 *) noop, strlen (noop));
      sent += strlen (noop);
      g_assert_cmpuint (sent, <=, 2 * 64 * 1024 + strlen (noop));
    }
  g_assert_cmpuint (sent, >, 2 * 64 * 1024);
  out = take (s);
  assert_has (out, "* BYE Too much input without reading the answers.\r\n");
  assert_lacks (out, "n OK");
  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imap/session/not-authenticated", test_not_authenticated);
  g_test_add_func ("/imap/session/authenticate-continuation", test_authenticate_continuation);
  g_test_add_func ("/imap/session/authenticate-unusable-answer", test_authenticate_unusable_answer);
  g_test_add_func ("/imap/session/idle-unusable-done", test_idle_unusable_done);
  g_test_add_func ("/imap/session/require-tls", test_require_tls);
  g_test_add_func ("/imap/session/select-fetch", test_select_and_fetch);
  g_test_add_func ("/imap/session/store-search", test_store_search);
  g_test_add_func ("/imap/session/mailboxes", test_mailboxes);
  g_test_add_func ("/imap/session/special-use", test_special_use);
  g_test_add_func ("/imap/session/append-copy-move", test_append_copy_move);
  g_test_add_func ("/imap/session/close-unselect", test_close_unselect);
  g_test_add_func ("/imap/session/bad-input", test_bad_input);
  g_test_add_func ("/imap/session/events", test_events);
  g_test_add_func ("/imap/session/events-by-kind", test_events_by_kind);
  g_test_add_func ("/imap/session/large-literal", test_large_literal);
  g_test_add_func ("/imap/two-sessions/flags", test_two_sessions_flags);
  g_test_add_func ("/imap/two-sessions/expunge-ordering", test_expunge_ordering);
  g_test_add_func ("/imap/two-sessions/uid-fetch-may-expunge", test_uid_fetch_may_expunge);
  g_test_add_func ("/imap/two-sessions/idle-push", test_idle_push);
  g_test_add_func ("/imap/three-sessions/shared-view", test_shared_view);
  g_test_add_func ("/imap/stream/fetch", test_fetch_streams);
  g_test_add_func ("/imap/stream/expunge-while-suspended", test_fetch_suspended_expunge);
  g_test_add_func ("/imap/stream/pending-input-limit", test_fetch_pending_input_limit);
  return g_test_run ();
}

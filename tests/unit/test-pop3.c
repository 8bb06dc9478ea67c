/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The POP3 server session, fed one byte at a time. Most tests are rows of a
 * table: a script of lines "C: ..." (sent with CRLF), "R: ..." (sent raw,
 * with C escapes such as \000), "S: ..." (the next line the server sends
 * must begin with this), and the directives "HOLD: ms" (the session asked
 * to be held that long before its next answer), "END" (the session is
 * finished) and "LOST" (the connection drops). */
#define G_LOG_DOMAIN "test-pop3"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-protocol-event.h"
#include "ms-pop3-server-session.h"
#include "ms-store.h"

static const char *const test_messages[] = {
  "From: a@example.org\r\nSubject: one\r\n\r\nHello\r\n.dot line\r\n..two dots\r\n",   /* 67 octets */
  "Subject: two\r\n\r\nline1\r\nline2\r\nline3\r\n",                                /* 37 octets */
  "Subject: three\r\n\r\nbody\r\n",                                                  /* 24 octets */
};

#define TIMESTAMP "<1896.697170952@dbc.mtview.ca.us>"

typedef struct {
  MsStore             *store;
  MsAccount           *alice;
  MsPop3ServerSession *session;
  GString             *pending;  /* output not yet matched, as text */
  GPtrArray           *events;   /* MsProtocolEvent */
  guint                last_hold;
  gboolean             tls_requested;
} Fixture;

static void
on_event (MsServerSession       *session,
          const MsProtocolEvent *event,
          Fixture               *f)
{
  g_ptr_array_add (f->events, ms_protocol_event_copy (event));
}

static void
on_tls_requested (MsServerSession *session,
                  Fixture         *f)
{
  f->tls_requested = TRUE;
}

static MsPop3ServerSession *
new_session (Fixture *f)
{
  MsPop3ServerSession *session = g_object_new (MS_TYPE_POP3_SERVER_SESSION,
                                               "store", f->store,
                                               "greeting-host", "dbc.mtview.ca.us",
                                               "apop-timestamp", TIMESTAMP,
                                               NULL);
  return session;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = ms_store_new ();
  f->alice = ms_store_add_account (f->store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  ms_store_add_account (f->store, "bob", "builder", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (test_messages); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (test_messages[i], strlen (test_messages[i]));
      ms_mailbox_append (ms_account_get_inbox (f->alice), raw, MS_FLAG_NONE, NULL, 0, 0);
    }
  f->session = new_session (f);
  f->pending = g_string_new (NULL);
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_protocol_event_free);
  g_signal_connect (f->session, "protocol-event", G_CALLBACK (on_event), f);
  g_signal_connect (f->session, "tls-requested", G_CALLBACK (on_tls_requested), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->store);
  g_string_free (f->pending, TRUE);
  g_ptr_array_unref (f->events);
}

/* Takes what the session has to say; a hold is honoured the way a driver
 * would (it is recorded, then released: no real time passes in tests). */
static void
drain (Fixture             *f,
       MsPop3ServerSession *session)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint hold;

  while ((hold = ms_server_session_get_hold_ms (MS_SERVER_SESSION (session))) > 0)
    {
      /* What was said before the hold may go; the held answer may not. */
      ms_server_session_take_output (MS_SERVER_SESSION (session), out);
      g_assert_true (out->len == 0 || g_strstr_len ((const char *) out->data, out->len, "-ERR [AUTH]") == NULL);
      g_assert_cmpuint (ms_server_session_take_output (MS_SERVER_SESSION (session), out), ==, 0);
      f->last_hold = hold;
      ms_server_session_release_hold (MS_SERVER_SESSION (session));
    }
  while (ms_server_session_take_output (MS_SERVER_SESSION (session), out) > 0)
    ;
  g_string_append_len (f->pending, (const char *) out->data, out->len);
}

static void
feed_bytewise (Fixture             *f,
               MsPop3ServerSession *session,
               const char          *data,
               gsize                len)
{
  for (gsize i = 0; i < len; i++)
    {
      ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) data + i, 1);
      drain (f, session);
    }
}

static void
expect_line (Fixture    *f,
             const char *prefix)
{
  const char *crlf = strstr (f->pending->str, "\r\n");
  g_autofree char *line = NULL;

  if (crlf == NULL)
    g_error ("expected a line starting “%s”, the server sent only “%s”", prefix, f->pending->str);
  line = g_strndup (f->pending->str, (gsize) (crlf - f->pending->str));
  if (!g_str_has_prefix (line, prefix))
    g_error ("expected a line starting “%s”, got “%s”", prefix, line);
  g_string_erase (f->pending, 0, (crlf - f->pending->str) + 2);
}

static void
run_script (Fixture             *f,
            MsPop3ServerSession *session,
            const char          *script)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] == '\0')
        continue;
      if (g_str_has_prefix (line, "C: "))
        {
          g_autofree char *sent = g_strconcat (line + 3, "\r\n", NULL);
          g_assert_cmpstr (f->pending->str, ==, "");
          f->last_hold = 0;
          feed_bytewise (f, session, sent, strlen (sent));
        }
      else if (g_str_has_prefix (line, "R: "))
        {
          g_autofree char *raw = g_strcompress (line + 3);
          /* g_strcompress() stops at \000: count the bytes by hand. */
          gsize len = strlen (line + 3);
          g_autoptr(GByteArray) bytes = g_byte_array_new ();
          for (gsize j = 0; j < len; j++)
            {
              if (line[3 + j] == '\\' && line[4 + j] == '0')
                {
                  g_byte_array_append (bytes, (const guint8 *) "", 1);
                  j += 3;
                }
              else if (line[3 + j] == '\\' && line[4 + j] == 'r')
                {
                  g_byte_array_append (bytes, (const guint8 *) "\r", 1);
                  j++;
                }
              else if (line[3 + j] == '\\' && line[4 + j] == 'n')
                {
                  g_byte_array_append (bytes, (const guint8 *) "\n", 1);
                  j++;
                }
              else
                g_byte_array_append (bytes, (const guint8 *) line + 3 + j, 1);
            }
          (void) raw;
          f->last_hold = 0;
          feed_bytewise (f, session, (const char *) bytes->data, bytes->len);
        }
      else if (g_str_has_prefix (line, "S: "))
        expect_line (f, line + 3);
      else if (g_str_has_prefix (line, "HOLD: "))
        g_assert_cmpuint (f->last_hold, ==, (guint) atoi (line + 6));
      else if (strcmp (line, "END") == 0)
        {
          g_assert_cmpstr (f->pending->str, ==, "");
          g_assert_true (ms_server_session_is_finished (MS_SERVER_SESSION (session)));
        }
      else if (strcmp (line, "LOST") == 0)
        ms_server_session_connection_lost (MS_SERVER_SESSION (session));
      else
        g_error ("bad script line “%s”", line);
    }
  g_assert_cmpstr (f->pending->str, ==, "");
}

static void
start (Fixture             *f,
       MsPop3ServerSession *session)
{
  ms_server_session_start (MS_SERVER_SESSION (session));
  drain (f, session);
  expect_line (f, "+OK ");
}

typedef struct {
  const char *path;
  const char *script;
} ScriptTest;

#define LOGIN "C: USER alice\nS: +OK\nC: PASS wonderland\nS: +OK Logged in as alice: 3 messages (128 octets)\n"

static const ScriptTest script_tests[] = {
  { "/pop3/session/user-pass", LOGIN "C: QUIT\nS: +OK Goodbye: 0 messages deleted\nEND" },
  { "/pop3/session/quit-authorization", "C: QUIT\nS: +OK Goodbye\nEND" },
  { "/pop3/session/commands-case-insensitive", "C: user alice\nS: +OK\nC: pass wonderland\nS: +OK\nC: stat\nS: +OK 3 128\n" },
  { "/pop3/session/pass-without-user", "C: PASS wonderland\nS: -ERR PASS must come right after USER\n" },
  { "/pop3/session/pass-not-right-after-user", "C: USER alice\nS: +OK\nC: CAPA\nS: +OK\nS: TOP\nS: UIDL\nS: USER\nS: SASL PLAIN\n"
    "S: RESP-CODES\nS: AUTH-RESP-CODE\nS: PIPELINING\nS: IMPLEMENTATION Mailscope-\nS: .\nC: PASS wonderland\nS: -ERR PASS must come right after USER\n" },
  { "/pop3/session/user-empty", "C: USER\nS: -ERR USER needs a name\n" },
  { "/pop3/session/password-with-spaces", "C: USER bob\nS: +OK\nC: PASS the builder\nS: -ERR [AUTH] Authentication failed\nHOLD: 1000\n" },
  { "/pop3/session/wrong-password-delay",
    "C: USER alice\nS: +OK\nC: PASS x\nS: -ERR [AUTH] Authentication failed\nHOLD: 1000\n"
    "C: USER alice\nS: +OK\nC: PASS y\nS: -ERR [AUTH]\nHOLD: 2000\n"
    "C: USER alice\nS: +OK\nC: PASS z\nS: -ERR [AUTH]\nHOLD: 4000\n"
    "C: USER nobody\nS: +OK\nC: PASS z\nS: -ERR [AUTH]\nHOLD: 8000\n"
    "C: USER alice\nS: +OK\nC: PASS z\nS: -ERR [AUTH] Authentication failed; too many failures\nHOLD: 8000\nEND" },
  { "/pop3/session/wrong-password-then-right", "C: USER alice\nS: +OK\nC: PASS x\nS: -ERR [AUTH]\nHOLD: 1000\n" LOGIN },
  { "/pop3/session/transaction-before-login",
    "C: STAT\nS: -ERR STAT is only valid after login\nC: LIST\nS: -ERR LIST is only valid after login\n"
    "C: RETR 1\nS: -ERR RETR is only valid after login\nC: DELE 1\nS: -ERR DELE is only valid after login\n"
    "C: NOOP\nS: -ERR NOOP is only valid after login\nC: RSET\nS: -ERR RSET is only valid after login\n"
    "C: TOP 1 1\nS: -ERR TOP is only valid after login\nC: UIDL\nS: -ERR UIDL is only valid after login\n" },
  { "/pop3/session/authorization-after-login", LOGIN
    "C: USER alice\nS: -ERR USER is only valid before login\nC: PASS x\nS: -ERR PASS is only valid before login\n"
    "C: APOP alice 0123456789abcdef0123456789abcdef\nS: -ERR APOP is only valid before login\n"
    "C: AUTH PLAIN\nS: -ERR AUTH is only valid before login\nC: STLS\nS: -ERR STLS is only valid before login\n" },
  { "/pop3/session/stat-list", LOGIN "C: STAT\nS: +OK 3 128\nC: LIST\nS: +OK 3 messages (128 octets)\nS: 1 67\nS: 2 37\nS: 3 24\nS: .\n"
    "C: LIST 2\nS: +OK 2 37\nC: LIST 4\nS: -ERR No such message\nC: LIST 0\nS: -ERR No such message\n"
    "C: LIST x\nS: -ERR \"x\" is not a message number\nC: LIST -1\nS: -ERR \"-1\" is not a message number\n"
    "C: LIST 99999999999\nS: -ERR \"99999999999\" is not a message number\n"
    "C: LIST \xc3\xa4\nS: -ERR The argument is not a message number\nC: STAT 1\nS: -ERR STAT takes no arguments\n" },
  { "/pop3/session/uidl", LOGIN "C: UIDL\nS: +OK\nS: 1 0000000100000001\nS: 2 0000000100000002\nS: 3 0000000100000003\nS: .\n"
    "C: UIDL 3\nS: +OK 3 0000000100000003\nC: DELE 3\nS: +OK\nC: UIDL 3\nS: -ERR Message 3 already deleted\n"
    "C: UIDL\nS: +OK\nS: 1 0000000100000001\nS: 2 0000000100000002\nS: .\n" },
  { "/pop3/session/retr-byte-stuffing", LOGIN "C: RETR 1\nS: +OK 67 octets\nS: From: a@example.org\nS: Subject: one\nS: \n"
    "S: Hello\nS: ..dot line\nS: ...two dots\nS: .\nC: RETR 4\nS: -ERR No such message\nC: RETR\nS: -ERR \"\" is not a message number\n" },
  { "/pop3/session/top", LOGIN "C: TOP 2 0\nS: +OK\nS: Subject: two\nS: \nS: .\nC: TOP 2 2\nS: +OK\nS: Subject: two\nS: \nS: line1\nS: line2\nS: .\n"
    "C: TOP 2 99\nS: +OK\nS: Subject: two\nS: \nS: line1\nS: line2\nS: line3\nS: .\nC: TOP 1 2\nS: +OK\nS: From:\nS: Subject\nS: \nS: Hello\nS: ..dot\nS: .\n"
    "C: TOP 2\nS: -ERR TOP needs a message number and a line count\nC: TOP 2 x\nS: -ERR TOP needs\nC: TOP 5 1\nS: -ERR No such message\n" },
  { "/pop3/session/dele-rset", LOGIN "C: DELE 1\nS: +OK Message 1 marked for deletion\nC: DELE 1\nS: -ERR Message 1 already deleted\n"
    "C: RETR 1\nS: -ERR Message 1 already deleted\nC: STAT\nS: +OK 2 61\nC: LIST\nS: +OK 2 messages (61 octets)\nS: 2 37\nS: 3 24\nS: .\n"
    "C: RSET\nS: +OK Deletion marks removed: maildrop has 3 messages (128 octets)\nC: STAT\nS: +OK 3 128\nC: NOOP\nS: +OK\n" },
  { "/pop3/session/capa", "C: CAPA\nS: +OK Capability list follows\nS: TOP\nS: UIDL\nS: USER\nS: SASL PLAIN\nS: RESP-CODES\n"
    "S: AUTH-RESP-CODE\nS: PIPELINING\nS: IMPLEMENTATION Mailscope-" PACKAGE_VERSION "\nS: .\n" LOGIN
    "C: CAPA\nS: +OK\nS: TOP\nS: UIDL\nS: USER\nS: SASL PLAIN\nS: RESP-CODES\nS: AUTH-RESP-CODE\nS: PIPELINING\nS: IMPLEMENTATION\nS: .\n" },
  { "/pop3/session/apop", "C: APOP alice " "%APOP%" "\nS: +OK Logged in as alice: 3 messages\n" },
  { "/pop3/session/apop-wrong", "C: APOP alice 0123456789abcdef0123456789abcdef\nS: -ERR [AUTH] Authentication failed\nHOLD: 1000\n"
    "C: APOP nobody 0123456789abcdef0123456789abcdef\nS: -ERR [AUTH]\nHOLD: 2000\nC: APOP alice\nS: -ERR APOP needs a name\n"
    "C: APOP alice 0123\nS: -ERR APOP needs\n" },
  { "/pop3/session/auth-plain-initial", "C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\nS: +OK Logged in as alice\n" },
  { "/pop3/session/auth-plain-authzid", "C: AUTH PLAIN YWxpY2UAYWxpY2UAd29uZGVybGFuZA==\nS: +OK Logged in as alice\n" },
  { "/pop3/session/auth-plain-other-authzid", "C: AUTH PLAIN Ym9iAGFsaWNlAHdvbmRlcmxhbmQ=\nS: -ERR [AUTH] Authentication failed\nHOLD: 1000\n" },
  { "/pop3/session/auth-plain-continuation", "C: AUTH plain\nS: + \nC: AGFsaWNlAHdvbmRlcmxhbmQ=\nS: +OK Logged in as alice\n" },
  { "/pop3/session/auth-plain-cancel", "C: AUTH PLAIN\nS: + \nC: *\nS: -ERR Authentication cancelled\nC: NOOP\nS: -ERR NOOP is only valid after login\n" },
  { "/pop3/session/auth-plain-wrong", "C: AUTH PLAIN AGFsaWNlAHdyb25n\nS: -ERR [AUTH] Authentication failed\nHOLD: 1000\n" },
  { "/pop3/session/auth-plain-malformed", "C: AUTH PLAIN !!!!\nS: -ERR The AUTH PLAIN response is not valid base64\n"
    "C: AUTH PLAIN YWxpY2U=\nS: -ERR The AUTH PLAIN response must be\nC: AUTH PLAIN =\nS: -ERR The AUTH PLAIN response must be\n"
    "C: AUTH CRAM-MD5\nS: -ERR Unsupported authentication mechanism CRAM-MD5\n" },
  { "/pop3/session/auth-list", "C: AUTH\nS: +OK\nS: PLAIN\nS: .\n" },
  { "/pop3/session/stls-not-available", "C: STLS\nS: -ERR STLS is not offered here\n" },
  { "/pop3/session/unknown-command", "C: LAST\nS: -ERR Unknown command LAST\nC: \nS: -ERR Empty command\nC: HELLOWORLDHELLOWORLDHELLO\nS: -ERR Unknown command HELLOWORLDHELLOW\n" },
  { "/pop3/session/nul-byte", "R: US\\000ER alice\\r\\n\nS: -ERR Control characters are not allowed\nC: USER alice\nS: +OK\n" },
  { "/pop3/session/control-byte", "R: NOOP\\033[1m\\r\\n\nS: -ERR Control characters\nR: USER a\\rb\\r\\n\nS: -ERR Control characters\n" },
  { "/pop3/session/bare-lf", "R: USER alice\\nPASS wonderland\\n\nS: +OK\nS: +OK Logged in\n" },
  { "/pop3/session/pipelining", "R: USER alice\\r\\nPASS wonderland\\r\\nSTAT\\r\\nLIST 1\\r\\nQUIT\\r\\n\nS: +OK\nS: +OK Logged in\nS: +OK 3 128\nS: +OK 1 67\nS: +OK Goodbye\nEND" },
  { "/pop3/session/bad-command-limit",
    "C: A\nS: -ERR\nC: B\nS: -ERR\nC: C\nS: -ERR\nC: D\nS: -ERR\nC: E\nS: -ERR\nC: F\nS: -ERR\nC: G\nS: -ERR\nC: H\nS: -ERR\nC: I\nS: -ERR\n"
    "C: J\nS: -ERR Unknown command J; too many bad commands, closing the connection\nEND" },
  { "/pop3/session/lost-in-authorization", "C: USER alice\nS: +OK\nLOST\nEND" },
};

static char *
apop_digest (const char *password)
{
  g_autofree char *input = g_strconcat (TIMESTAMP, password, NULL);

  /* GLib's own MD5, independent of the OpenSSL one the server uses. */
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, input, -1);
}

static void
test_script (Fixture       *f,
             gconstpointer  data)
{
  const ScriptTest *test = data;
  g_autofree char *digest = apop_digest ("wonderland");
  g_autoptr(GString) script = g_string_new (test->script);

  g_string_replace (script, "%APOP%", digest, 0);
  start (f, f->session);
  run_script (f, f->session, script->str);
}

/* The RFC 1939 section 7 example, byte for byte. */
static void
test_apop_rfc_example (void)
{
  g_autofree char *digest = NULL;

  digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, "<1896.697170952@dbc.mtview.ca.us>tanstaaf", -1);
  g_assert_cmpstr (digest, ==, "c4c9334bac560ecc979e58001b3e22fb");
}

static void
test_quit_expunges (Fixture       *f,
                    gconstpointer  data)
{
  MsMailbox *inbox = ms_account_get_inbox (f->alice);

  start (f, f->session);
  run_script (f, f->session, LOGIN "C: DELE 1\nS: +OK\nC: DELE 3\nS: +OK\n");
  /* Marked, not removed. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);
  run_script (f, f->session, "C: QUIT\nS: +OK Goodbye: 2 messages deleted\nEND");
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 1);
  g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (inbox, 0)), ==, 2);
  g_assert_false (ms_account_is_maildrop_locked (f->alice));
  g_assert_cmpint (ms_pop3_server_session_get_state (f->session), ==, MS_POP3_STATE_UPDATE);
}

static void
test_lost_removes_nothing (Fixture       *f,
                           gconstpointer  data)
{
  MsMailbox *inbox = ms_account_get_inbox (f->alice);
  gboolean noticed = FALSE;

  start (f, f->session);
  run_script (f, f->session, LOGIN "C: DELE 1\nS: +OK\nC: DELE 2\nS: +OK\nLOST\nEND");
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);
  g_assert_false (ms_account_is_maildrop_locked (f->alice));
  /* No UPDATE state without QUIT. */
  for (guint i = 0; i < f->events->len; i++)
    {
      MsProtocolEvent *event = g_ptr_array_index (f->events, i);
      g_assert_false (event->kind == MS_PROTOCOL_EVENT_STATE && g_str_equal (event->name, "UPDATE"));
      if (event->kind == MS_PROTOCOL_EVENT_NOTICE && g_str_equal (event->name, "connection-lost"))
        noticed = strstr (event->text, "2 messages marked for deletion stay") != NULL;
    }
  g_assert_true (noticed);
  /* Feeding a finished session does nothing. */
  feed_bytewise (f, f->session, "QUIT\r\n", 6);
  g_assert_cmpstr (f->pending->str, ==, "");
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(MsPop3ServerSession) second = new_session (f);
  g_autoptr(MsPop3ServerSession) third = new_session (f);

  start (f, f->session);
  run_script (f, f->session, LOGIN);
  g_assert_true (ms_account_is_maildrop_locked (f->alice));

  start (f, second);
  run_script (f, second, "C: USER alice\nS: +OK\nC: PASS wonderland\nS: -ERR [IN-USE] The maildrop of alice is locked\n"
              "C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\nS: -ERR [IN-USE]\n"
              /* Another account is not affected. */
              "C: USER bob\nS: +OK\nC: PASS builder\nS: +OK Logged in as bob: 0 messages (0 octets)\n");

  run_script (f, f->session, "C: QUIT\nS: +OK\nEND");
  g_assert_false (ms_account_is_maildrop_locked (f->alice));
  start (f, third);
  run_script (f, third, LOGIN);
}

static void
test_lock_released_on_dispose (Fixture       *f,
                               gconstpointer  data)
{
  start (f, f->session);
  run_script (f, f->session, LOGIN);
  g_clear_object (&f->session);
  g_assert_false (ms_account_is_maildrop_locked (f->alice));
}

static void
test_snapshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) raw = g_bytes_new_static ("Subject: new\r\n\r\nnew\r\n", 21);

  start (f, f->session);
  run_script (f, f->session, LOGIN);
  ms_mailbox_append (ms_account_get_inbox (f->alice), raw, MS_FLAG_NONE, NULL, 0, 0);
  run_script (f, f->session, "C: STAT\nS: +OK 3 128\nC: RETR 4\nS: -ERR No such message\nC: DELE 2\nS: +OK\nC: QUIT\nS: +OK Goodbye: 1 message deleted\nEND");
  /* The new mail stays, and is message 3 of the next session. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (f->alice)), ==, 3);
}

static void
test_uidl_stable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MsPop3ServerSession) second = new_session (f);

  start (f, f->session);
  run_script (f, f->session, LOGIN "C: DELE 1\nS: +OK\nC: QUIT\nS: +OK\nEND");
  start (f, second);
  /* Message 3 of the first session is message 2 now and keeps its UIDL. */
  run_script (f, second, "C: USER alice\nS: +OK\nC: PASS wonderland\nS: +OK\nC: UIDL\nS: +OK\n"
              "S: 1 0000000100000002\nS: 2 0000000100000003\nS: .\n");
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  static const char *const expected[] = {
    "STATE AUTHORIZATION -", "RESPONSE +OK", "COMMAND USER", "RESPONSE +OK", "COMMAND PASS",
    "STATE TRANSACTION AUTHORIZATION", "NOTICE login alice", "RESPONSE +OK",
    "COMMAND LIST", "RESPONSE +OK", "RESPONSE data 1 67", "RESPONSE data 2 37", "RESPONSE data 3 24", "RESPONSE .",
    "COMMAND QUIT", "STATE UPDATE TRANSACTION", "NOTICE expunged 0", "RESPONSE +OK",
  };

  start (f, f->session);
  run_script (f, f->session, LOGIN "C: LIST\nS: +OK\nS: 1\nS: 2\nS: 3\nS: .\nC: QUIT\nS: +OK\nEND");
  g_assert_cmpuint (f->events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < f->events->len; i++)
    {
      MsProtocolEvent *event = g_ptr_array_index (f->events, i);
      g_autofree char *got = NULL;
      const char *detail = event->text ? event->text : "-";

      if (event->kind == MS_PROTOCOL_EVENT_COMMAND || (event->kind == MS_PROTOCOL_EVENT_RESPONSE && strcmp (event->name, "data") != 0))
        got = g_strdup_printf ("%s %s", ms_protocol_event_kind_name (event->kind), event->name);
      else
        got = g_strdup_printf ("%s %s %s", ms_protocol_event_kind_name (event->kind), event->name, detail);
      g_assert_cmpstr (event->protocol, ==, "pop3");
      g_assert_true (g_ascii_strcasecmp (got, expected[i]) == 0 || g_str_has_prefix (got, expected[i]));
    }
}

static void
test_line_too_long (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) line = g_string_new ("USER ");
  gsize fed;

  start (f, f->session);
  /* Up to the limit is fine. */
  while (line->len < MS_LIMIT_POP3_LINE - 2)
    g_string_append_c (line, 'a');
  g_string_append (line, "\r\n");
  feed_bytewise (f, f->session, line->str, line->len);
  expect_line (f, "+OK");

  /* One more octet: -ERR, closed, and the rest of the line is discarded
   * without being buffered. */
  g_string_truncate (line, line->len - 2);
  g_string_append (line, "aaaaaaaa");
  for (fed = 0; fed < line->len && !ms_server_session_is_finished (MS_SERVER_SESSION (f->session)); fed++)
    {
      ms_server_session_feed (MS_SERVER_SESSION (f->session), (const guint8 *) line->str + fed, 1);
      drain (f, f->session);
    }
  g_assert_cmpuint (fed, <=, MS_LIMIT_POP3_LINE + 1);
  expect_line (f, "-ERR Line too long");
  feed_bytewise (f, f->session, "QUIT\r\n", 6);
  g_assert_cmpstr (f->pending->str, ==, "");
  g_assert_true (ms_server_session_is_finished (MS_SERVER_SESSION (f->session)));
}

static void
test_hold_keeps_answer (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  MsServerSession *session = MS_SERVER_SESSION (f->session);
  const char *input = "USER alice\r\nPASS bad\r\nUSER alice\r\nPASS wonderland\r\n";

  start (f, f->session);
  ms_server_session_feed (session, (const guint8 *) input, strlen (input));
  /* The +OK to USER may go out; the -ERR and everything after wait. */
  g_assert_cmpuint (ms_server_session_get_hold_ms (session), ==, 1000);
  while (ms_server_session_take_output (session, out) > 0)
    ;
  g_string_append_len (f->pending, (const char *) out->data, out->len);
  g_byte_array_set_size (out, 0);
  expect_line (f, "+OK");
  g_assert_cmpstr (f->pending->str, ==, "");
  g_assert_false (ms_server_session_is_finished (session));
  ms_server_session_release_hold (session);
  g_assert_cmpuint (ms_server_session_get_hold_ms (session), ==, 0);
  while (ms_server_session_take_output (session, out) > 0)
    ;
  g_string_append_len (f->pending, (const char *) out->data, out->len);
  expect_line (f, "-ERR [AUTH]");
  expect_line (f, "+OK");
  expect_line (f, "+OK Logged in");
}

static void
test_stls (Fixture       *f,
           gconstpointer  data)
{
  const char *input = "STLS\r\nUSER alice\r\nPASS wonderland\r\n";

  g_object_set (f->session, "tls-available", TRUE, NULL);
  start (f, f->session);
  run_script (f, f->session, "C: CAPA\nS: +OK\nS: TOP\nS: UIDL\nS: USER\nS: SASL PLAIN\nS: RESP-CODES\n"
              "S: AUTH-RESP-CODE\nS: PIPELINING\nS: STLS\nS: IMPLEMENTATION\nS: .\n");
  /* Everything after STLS in the same read is dropped, never executed. */
  ms_server_session_feed (MS_SERVER_SESSION (f->session), (const guint8 *) input, strlen (input));
  drain (f, f->session);
  expect_line (f, "+OK Begin TLS negotiation");
  g_assert_cmpstr (f->pending->str, ==, "");
  g_assert_true (f->tls_requested);
  g_assert_false (ms_account_is_maildrop_locked (f->alice));

  ms_server_session_set_tls_active (MS_SERVER_SESSION (f->session), TRUE);
  g_assert_true (ms_server_session_get_tls_active (MS_SERVER_SESSION (f->session)));
  run_script (f, f->session, "C: CAPA\nS: +OK\nS: TOP\nS: UIDL\nS: USER\nS: SASL PLAIN\nS: RESP-CODES\n"
              "S: AUTH-RESP-CODE\nS: PIPELINING\nS: IMPLEMENTATION\nS: .\n"
              "C: STLS\nS: -ERR TLS is already active\n" LOGIN);
}

static void
test_require_tls (Fixture       *f,
                  gconstpointer  data)
{
  g_object_set (f->session, "tls-available", TRUE, "require-tls", TRUE, NULL);
  start (f, f->session);
  run_script (f, f->session, "C: USER alice\nS: -ERR [AUTH] Plain-text login is not allowed before TLS\n"
              "C: PASS wonderland\nS: -ERR [AUTH] Plain-text\n"
              "C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\nS: -ERR [AUTH] Plain-text\n"
              "C: APOP alice 0123456789abcdef0123456789abcdef\nS: -ERR [AUTH] Plain-text\n"
              "C: STLS\nS: +OK\n");
  ms_server_session_set_tls_active (MS_SERVER_SESSION (f->session), TRUE);
  run_script (f, f->session, LOGIN);
}

/* POP3 responses are 7-bit (RFC 1939): a command, a mechanism, a user name
 * or a message number in 8-bit is answered without echoing it, and the
 * answer says what was wrong. */
static void
test_replies_7bit (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *line; const char *reply; } cases[] = {
    { "\xc3\x9c" "BERSICHT",          "-ERR Unknown command (not a POP3 keyword: those are ASCII)" },
    { "NO\xcf\x80P",                   "-ERR Unknown command (not a POP3 keyword: those are ASCII)" },
    { "\xff\xfe\x80 1",                "-ERR Unknown command (not a POP3 keyword: those are ASCII)" },
    { "AUTH \xe2\x82\xac",              "-ERR Unsupported authentication mechanism; this server offers PLAIN" },
    { "AUTH SCRAM-SHA-256-PLUS-AND-MORE", "-ERR Unsupported authentication mechanism; this server offers PLAIN" },
    { "AUTH XOAUTH2",                   "-ERR Unsupported authentication mechanism XOAUTH2; this server offers PLAIN" },
    { "USER j\xc3\xbcrgen",              "+OK Send PASS with the password" },
  };

  start (f, f->session);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sent = g_strconcat (cases[i].line, "\r\n", NULL);
      g_autofree char *expected = g_strconcat (cases[i].reply, "\r\n", NULL);

      feed_bytewise (f, f->session, sent, strlen (sent));
      for (const char *p = f->pending->str; *p != '\0'; p++)
        g_assert_cmpint ((guint8) *p, <, 0x80);
      g_assert_cmpstr (f->pending->str, ==, expected);
      g_string_truncate (f->pending, 0);
    }
  /* After login an 8-bit message number is not echoed either (71ae33b). */
  run_script (f, f->session, LOGIN "C: RETR \xc3\xa4\nS: -ERR The argument is not a message number\n");
}

static void
test_large_pipeline_bounded (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GString) input = g_string_new ("USER alice\r\nPASS wonderland\r\n");
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GString) big = g_string_new ("Subject: big\r\n\r\n");
  g_autoptr(GBytes) raw = NULL;
  MsServerSession *session = MS_SERVER_SESSION (f->session);
  gsize chunk, total = 0, largest = 0;

  while (big->len < 100 * 1024)
    g_string_append (big, "0123456789012345678901234567890123456789012345678901234567890123456789\r\n");
  raw = g_bytes_new (big->str, big->len);
  ms_mailbox_append (ms_account_get_inbox (f->alice), raw, MS_FLAG_NONE, NULL, 0, 0);
  for (guint i = 0; i < 20; i++)
    g_string_append (input, "RETR 4\r\n");

  start (f, f->session);
  ms_server_session_feed (session, (const guint8 *) input->str, input->len);
  /* One take returns a bounded amount; repeated takes return the rest. */
  while ((chunk = ms_server_session_take_output (session, out)) > 0)
    {
      largest = MAX (largest, chunk);
      total += chunk;
      g_byte_array_set_size (out, 0);
    }
  g_assert_cmpuint (largest, <, MS_LIMIT_POP3_OUTPUT_HIGH + 2 * big->len);
  g_assert_cmpuint (total, >, 20 * big->len);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (script_tests); i++)
    g_test_add (script_tests[i].path, Fixture, &script_tests[i], fixture_set_up, test_script, fixture_tear_down);

  g_test_add_func ("/pop3/apop/rfc-example", test_apop_rfc_example);
  g_test_add ("/pop3/session/quit-expunges", Fixture, NULL, fixture_set_up, test_quit_expunges, fixture_tear_down);
  g_test_add ("/pop3/session/lost-removes-nothing", Fixture, NULL, fixture_set_up, test_lost_removes_nothing, fixture_tear_down);
  g_test_add ("/pop3/session/lock", Fixture, NULL, fixture_set_up, test_lock, fixture_tear_down);
  g_test_add ("/pop3/session/lock-released-on-dispose", Fixture, NULL, fixture_set_up, test_lock_released_on_dispose, fixture_tear_down);
  g_test_add ("/pop3/session/snapshot", Fixture, NULL, fixture_set_up, test_snapshot, fixture_tear_down);
  g_test_add ("/pop3/session/uidl-stable", Fixture, NULL, fixture_set_up, test_uidl_stable, fixture_tear_down);
  g_test_add ("/pop3/session/events", Fixture, NULL, fixture_set_up, test_events, fixture_tear_down);
  g_test_add ("/pop3/session/line-too-long", Fixture, NULL, fixture_set_up, test_line_too_long, fixture_tear_down);
  g_test_add ("/pop3/session/hold-keeps-answer", Fixture, NULL, fixture_set_up, test_hold_keeps_answer, fixture_tear_down);
  g_test_add ("/pop3/session/stls", Fixture, NULL, fixture_set_up, test_stls, fixture_tear_down);
  g_test_add ("/pop3/session/require-tls", Fixture, NULL, fixture_set_up, test_require_tls, fixture_tear_down);
  g_test_add ("/pop3/session/replies-7bit", Fixture, NULL, fixture_set_up, test_replies_7bit, fixture_tear_down);
  g_test_add ("/pop3/session/output-bounded", Fixture, NULL, fixture_set_up, test_large_pipeline_bounded, fixture_tear_down);

  return g_test_run ();
}

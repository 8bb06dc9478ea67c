/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dropped connections, sans I/O: a recorded client input is replayed into a
 * fresh store and cut after every byte, then the connection is declared lost.
 * Whatever the cut, the store must be in one of the states a finished command
 * leaves behind: a change is either wholly there or not there at all, never
 * half-applied, never doubled, and the POP3 maildrop lock is always freed.
 * And with the on-disk state, a write that fails (here: a file size limit of
 * zero) is answered with an error by all three servers, never with OK. */
#define G_LOG_DOMAIN "test-faults"
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "ms-imap-server-session.h"
#include "ms-pop3-server-session.h"
#include "ms-smtp-server-session.h"
#include "ms-store.h"
#include "ms-store-state.h"
#include "ms-test-tree.h"

static const char *const seed_messages[] = {
  "From: bob@example.org\r\nSubject: one\r\nX-Id: 1\r\n\r\nFirst.\r\n",
  "From: carol@example.org\r\nSubject: two\r\nX-Id: 2\r\n\r\nSecond.\r\n",
  "From: dan@example.org\r\nSubject: three\r\nX-Id: 3\r\n\r\nThird.\r\n",
};

#define APPENDED_MESSAGE "From: eve@example.org\r\nSubject: four\r\nX-Id: 4\r\n\r\nFourth, appended.\r\n"

static MsStore *
make_store (MsAccount **account_out)
{
  MsStore *store = ms_store_new ();
  g_autoptr(GError) error = NULL;
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (seed_messages); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (seed_messages[i], strlen (seed_messages[i]));
      ms_mailbox_append (ms_account_get_inbox (account), raw, MS_FLAG_NONE, NULL, 0, 0);
    }
  g_assert_nonnull (ms_account_create_mailbox (account, "Archive", &error));
  g_assert_no_error (error);
  *account_out = account;
  return store;
}

/* Drains output and honours holds the way a driver would (no real time
 * passes), so that a session never stops reading because nobody listens. */
static void
drain (MsServerSession *session,
       GString         *transcript)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  for (;;)
    {
      if (ms_server_session_get_hold_ms (session) > 0)
        ms_server_session_release_hold (session);
      if (ms_server_session_take_output (session, out) == 0 &&
          ms_server_session_get_hold_ms (session) == 0)
        break;
    }
  if (transcript)
    g_string_append_len (transcript, (const char *) out->data, out->len);
}

/* Feeds the first @k bytes one at a time, then drops the connection. */
static void
replay_cut (MsServerSession *session,
            const char      *input,
            gsize            k,
            GString         *transcript)
{
  ms_server_session_start (session);
  drain (session, transcript);
  for (gsize i = 0; i < k; i++)
    {
      ms_server_session_feed (session, (const guint8 *) input + i, 1);
      drain (session, transcript);
    }
  ms_server_session_connection_lost (session);
  drain (session, transcript);
}

/* The X-Id of each message in @mailbox, in order, as a string ("123"). */
static char *
mailbox_ids (MsMailbox *mailbox)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      gsize len;
      const char *raw = g_bytes_get_data (ms_message_get_raw (message), &len);
      const char *id = g_strstr_len (raw, len, "X-Id: ");

      g_assert_nonnull (id);
      g_string_append_c (ids, id[6]);
    }
  return g_string_free (ids, FALSE);
}

/* UIDs strictly ascend and no message text appears twice in the account. */
static void
assert_no_duplicates (MsAccount *account)
{
  GPtrArray *mailboxes = ms_account_list_mailboxes (account);  /* borrowed */
  g_autoptr(GHashTable) seen = g_hash_table_new ((GHashFunc) g_bytes_hash, (GEqualFunc) g_bytes_equal);

  for (guint m = 0; m < mailboxes->len; m++)
    {
      MsMailbox *mailbox = g_ptr_array_index (mailboxes, m);
      guint32 last_uid = 0;

      for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
        {
          MsMessage *message = ms_mailbox_get_message (mailbox, i);

          g_assert_cmpuint (ms_message_get_uid (message), >, last_uid);
          last_uid = ms_message_get_uid (message);
          g_assert_false (g_hash_table_contains (seen, ms_message_get_raw (message)));
          g_hash_table_add (seen, ms_message_get_raw (message));
        }
    }
}

/* Where in @input the line that begins with @prefix ends (just past its
 * CRLF): a command counts as sent once its last byte arrived. */
static gsize
end_of_line (const char *input,
             const char *prefix)
{
  const char *start = strstr (input, prefix);
  const char *crlf;

  g_assert_nonnull (start);
  crlf = strstr (start, "\r\n");
  g_assert_nonnull (crlf);
  return (gsize) (crlf + 2 - input);
}

/* --- POP3 --------------------------------------------------------------- */

static const char pop3_input[] =
  "USER alice\r\n"
  "PASS wonderland\r\n"
  "STAT\r\n"
  "RETR 1\r\n"
  "DELE 1\r\n"
  "DELE 2\r\n"
  "QUIT\r\n";

static void
test_pop3_cut (void)
{
  gsize len = strlen (pop3_input);
  guint32 uid3 = 0;

  /* The recording itself must be a successful session, or the cuts prove
   * nothing: every answer +OK, and the update state reached. */
  {
    MsAccount *account;
    g_autoptr(MsStore) store = make_store (&account);
    g_autoptr(MsPop3ServerSession) session = ms_pop3_server_session_new (store, NULL);
    g_autoptr(GString) transcript = g_string_new (NULL);

    uid3 = ms_message_get_uid (ms_mailbox_get_message (ms_account_get_inbox (account), 2));
    replay_cut (MS_SERVER_SESSION (session), pop3_input, len, transcript);
    g_assert_null (strstr (transcript->str, "-ERR"));
    g_assert_nonnull (strstr (transcript->str, "First."));
  }

  for (gsize k = 0; k <= len; k++)
    {
      MsAccount *account;
      g_autoptr(MsStore) store = make_store (&account);
      g_autoptr(MsPop3ServerSession) session = ms_pop3_server_session_new (store, NULL);
      g_autofree char *ids = NULL;
      MsMailbox *inbox = ms_account_get_inbox (account);

      replay_cut (MS_SERVER_SESSION (session), pop3_input, k, NULL);
      ids = mailbox_ids (inbox);
      if (k == len)
        {
          g_assert_cmpstr (ids, ==, "3");
          g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (inbox, 0)), ==, uid3);
        }
      else
        g_assert_cmpstr (ids, ==, "123");
      g_assert_false (ms_account_is_maildrop_locked (account));
      assert_no_duplicates (account);
      /* A new session can log in at once: nothing was left behind. */
      {
        g_autoptr(MsPop3ServerSession) next = ms_pop3_server_session_new (store, NULL);
        g_autoptr(GString) transcript = g_string_new (NULL);

        replay_cut (MS_SERVER_SESSION (next), "USER alice\r\nPASS wonderland\r\n", 29, transcript);
        g_assert_null (strstr (transcript->str, "-ERR"));
        g_assert_false (ms_account_is_maildrop_locked (account));
      }
    }
  g_test_message ("POP3: %" G_GSIZE_FORMAT " cut points", len + 1);
}

/* --- IMAP --------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *input;
  /* Checks the store after a cut at @k. */
  void (*check) (MsAccount *account, const char *input, gsize k);
} ImapCut;

static void
check_append (MsAccount  *account,
              const char *input,
              gsize       k)
{
  MsMailbox *inbox = ms_account_get_inbox (account);
  /* The command ends with the CRLF after the literal's 68 octets. */
  gsize done = end_of_line (input, "b APPEND") + 68 + 2;
  g_autofree char *ids = mailbox_ids (inbox);

  if (k >= done)
    {
      GBytes *raw = ms_message_get_raw (ms_mailbox_get_message (inbox, 3));

      g_assert_cmpstr (ids, ==, "1234");
      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                       APPENDED_MESSAGE, strlen (APPENDED_MESSAGE));
    }
  else
    g_assert_cmpstr (ids, ==, "123");
}

static void
check_move (MsAccount  *account,
            const char *input,
            gsize       k)
{
  g_autofree char *inbox = mailbox_ids (ms_account_get_inbox (account));
  g_autofree char *archive = mailbox_ids (ms_account_lookup_mailbox (account, "Archive"));

  if (k >= end_of_line (input, "c UID MOVE"))
    {
      g_assert_cmpstr (inbox, ==, "3");
      g_assert_cmpstr (archive, ==, "12");
    }
  else
    {
      g_assert_cmpstr (inbox, ==, "123");
      g_assert_cmpstr (archive, ==, "");
    }
}

static void
check_expunge (MsAccount  *account,
               const char *input,
               gsize       k)
{
  MsMailbox *inbox = ms_account_get_inbox (account);
  g_autofree char *ids = mailbox_ids (inbox);

  if (k >= end_of_line (input, "d EXPUNGE"))
    g_assert_cmpstr (ids, ==, "13");
  else
    {
      gboolean stored = k >= end_of_line (input, "c STORE");

      g_assert_cmpstr (ids, ==, "123");
      g_assert_cmpint (ms_message_has_flag (ms_mailbox_get_message (inbox, 1), MS_FLAG_DELETED), ==, stored);
      g_assert_false (ms_message_has_flag (ms_mailbox_get_message (inbox, 0), MS_FLAG_DELETED));
      g_assert_false (ms_message_has_flag (ms_mailbox_get_message (inbox, 2), MS_FLAG_DELETED));
    }
}

static const ImapCut imap_cuts[] = {
  { "append",
    "a LOGIN alice wonderland\r\n"
    "b APPEND INBOX (\\Seen) {68}\r\n" APPENDED_MESSAGE "\r\n"
    "c LOGOUT\r\n",
    check_append },
  { "append-nonsync",
    "a LOGIN alice wonderland\r\n"
    "b APPEND INBOX {68+}\r\n" APPENDED_MESSAGE "\r\n"
    "c LOGOUT\r\n",
    check_append },
  { "uid-move",
    "a LOGIN alice wonderland\r\n"
    "b SELECT INBOX\r\n"
    "c UID MOVE 1:2 Archive\r\n"
    "d LOGOUT\r\n",
    check_move },
  { "store-expunge",
    "a LOGIN alice wonderland\r\n"
    "b SELECT INBOX\r\n"
    "c STORE 2 +FLAGS (\\Deleted)\r\n"
    "d EXPUNGE\r\n"
    "e LOGOUT\r\n",
    check_expunge },
};

static void
test_imap_cut (gconstpointer data)
{
  const ImapCut *cut = data;
  gsize len = strlen (cut->input);

  g_assert_cmpuint (strlen (APPENDED_MESSAGE), ==, 68);
  {
    MsAccount *account;
    g_autoptr(MsStore) store = make_store (&account);
    g_autoptr(MsImapServerSession) session = ms_imap_server_session_new (store);
    g_autoptr(GString) transcript = g_string_new (NULL);

    replay_cut (MS_SERVER_SESSION (session), cut->input, len, transcript);
    /* Every tagged answer of the recording is OK. */
    g_assert_null (strstr (transcript->str, " NO "));
    g_assert_null (strstr (transcript->str, " BAD "));
    g_assert_nonnull (strstr (transcript->str, "\r\nc OK"));
  }

  for (gsize k = 0; k <= len; k++)
    {
      MsAccount *account;
      g_autoptr(MsStore) store = make_store (&account);
      g_autoptr(MsImapServerSession) session = ms_imap_server_session_new (store);

      replay_cut (MS_SERVER_SESSION (session), cut->input, k, NULL);
      g_assert_true (ms_server_session_is_finished (MS_SERVER_SESSION (session)));
      cut->check (account, cut->input, k);
      assert_no_duplicates (account);
    }
  g_test_message ("IMAP %s: %" G_GSIZE_FORMAT " cut points", cut->name, len + 1);
}

/* --- writes that fail (serve --state on a full disk) -------------------- */

#define FAIL_IMAP \
  "a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc APPEND INBOX {" G_STRINGIFY (APPENDED_LEN) "+}\r\n" \
  APPENDED_MESSAGE "\r\nd UID STORE 1 +FLAGS (\\Flagged)\r\ne FETCH 1:2 BODY[]\r\nf LOGOUT\r\n"
#define APPENDED_LEN 68
#define FAIL_POP3 "USER alice\r\nPASS wonderland\r\nDELE 1\r\nQUIT\r\n"
#define FAIL_SMTP \
  "EHLO laptop\r\nAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\nMAIL FROM:<bob@example.org>\r\n" \
  "RCPT TO:<alice>\r\nDATA\r\nSubject: mailed\r\nX-Id: 5\r\n\r\nBy SMTP.\r\n.\r\nQUIT\r\n"

/* Runs @input through @session at once and checks that each of @expect
 * appears in the answers, in order. */
static void
converse (MsServerSession    *session,
          const char         *input,
          const char * const *expect)
{
  g_autoptr(GString) transcript = g_string_new (NULL);
  const char *pos;

  ms_server_session_start (session);
  ms_server_session_feed (session, (const guint8 *) input, strlen (input));
  drain (session, transcript);
  ms_server_session_connection_lost (session);
  pos = transcript->str;
  for (guint i = 0; expect[i] != NULL; i++)
    {
      const char *hit = strstr (pos, expect[i]);

      if (hit == NULL)
        g_error ("expected \"%s\" in:\n%s", expect[i], pos);
      pos = hit + strlen (expect[i]);
    }
}

static void
converse_all (MsStore            *store,
              const char * const *imap,
              const char * const *pop3,
              const char * const *smtp)
{
  g_autoptr(MsImapServerSession) i = ms_imap_server_session_new (store);
  g_autoptr(MsPop3ServerSession) p = ms_pop3_server_session_new (store, NULL);
  g_autoptr(MsSmtpServerSession) s = ms_smtp_server_session_new (store, "mx.example.org", FALSE);

  converse (MS_SERVER_SESSION (i), FAIL_IMAP, imap);
  converse (MS_SERVER_SESSION (p), FAIL_POP3, pop3);
  converse (MS_SERVER_SESSION (s), FAIL_SMTP, smtp);
}

static void
count_signal (guint *count)
{
  (*count)++;
}

static void
test_write_failure (void)
{
  /* FETCH BODY[] sets \Seen: not saved, so not set, and the bodies go out
   * without it before NO. */
  static const char *const refused_imap[] = { "c NO [LIMIT]", "d NO [LIMIT]", "* 1 FETCH (BODY[] {",
                                              "* 2 FETCH (BODY[] {", "e NO [LIMIT]", "f OK", NULL };
  static const char *const refused_pop3[] = { "+OK", "-ERR [SYS/TEMP]", NULL };
  static const char *const refused_smtp[] = { "354 ", "451 4.3.0", NULL };
  static const char *const saved_imap[] = { "c OK [APPENDUID", "d OK", "FLAGS (\\Seen \\Flagged)", "FLAGS (\\Seen)",
                                            "e OK", NULL };
  static const char *const saved_pop3[] = { "+OK Goodbye: 1 message deleted", NULL };
  static const char *const saved_smtp[] = { "354 ", "250 2.0.0", NULL };
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autoptr(GError) error = NULL;
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsStoreState) state = ms_store_state_new (store, dir, &error);
  g_autoptr(MsStore) again = NULL;
  g_autoptr(MsStoreState) reread = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after_refusal = NULL;
  g_autofree char *after_saving = NULL;
  g_autofree char *after_restart = NULL;
  struct rlimit saved, none;
  MsMailbox *inbox = ms_account_get_inbox (account);
  guint seen = 0;

  g_assert_no_error (error);
  G_STATIC_ASSERT (sizeof APPENDED_MESSAGE - 1 == APPENDED_LEN);
  /* Every write to a file fails with EFBIG (SIGXFSZ ignored, or it would
   * end the test), as on a full disk but without needing one. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  none = saved;
  none.rlim_cur = 0;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &none), ==, 0);
  before = mailbox_ids (inbox);
  /* The store writes before it changes: what another session would be
   * told of (these signals) never happens for a change that failed. */
  g_signal_connect_swapped (inbox, "message-added", G_CALLBACK (count_signal), &seen);
  g_signal_connect_swapped (inbox, "flags-changed", G_CALLBACK (count_signal), &seen);
  g_signal_connect_swapped (inbox, "message-expunged", G_CALLBACK (count_signal), &seen);
  converse_all (store, refused_imap, refused_pop3, refused_smtp);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_cmpuint (seen, ==, 0);
  g_signal_handlers_disconnect_by_data (inbox, &seen);

  /* Nothing changed that could not be saved, and the store says so. */
  g_assert_nonnull (ms_store_get_persist_error (store));
  after_refusal = mailbox_ids (inbox);
  g_assert_cmpstr (after_refusal, ==, before);
  g_assert_false (ms_message_get_flags (ms_mailbox_get_message (inbox, 0)) & MS_FLAG_FLAGGED);
  g_assert_false (ms_message_get_flags (ms_mailbox_get_message (inbox, 1)) & MS_FLAG_SEEN);

  /* With room again the same conversations succeed, without a restart. */
  converse_all (store, saved_imap, saved_pop3, saved_smtp);
  g_assert_null (ms_store_get_persist_error (store));
  after_saving = mailbox_ids (inbox);
  g_assert_cmpstr (after_saving, ==, "2345");

  /* And what was acknowledged is on disk. */
  again = ms_store_new ();
  g_assert_nonnull (ms_store_add_account (again, "alice", "wonderland", &error));
  reread = ms_store_state_new (again, dir, &error);
  g_assert_no_error (error);
  after_restart = mailbox_ids (ms_account_get_inbox (ms_store_lookup_account (again, "alice")));
  g_assert_cmpstr (after_restart, ==, "2345");
  /* The \Seen of the FETCH (message 1 went with POP3's DELE). */
  g_assert_true (ms_message_get_flags (ms_mailbox_get_message (ms_account_get_inbox (ms_store_lookup_account (again, "alice")), 0))
                 & MS_FLAG_SEEN);
  g_assert_false (ms_message_get_flags (ms_mailbox_get_message (ms_account_get_inbox (ms_store_lookup_account (again, "alice")), 1))
                  & MS_FLAG_SEEN);
  g_clear_object (&reread);
  g_clear_object (&state);
  ms_test_remove_tree (tmp);
}

/* --- SMTP to several local recipients, a later one failing ------------- */

#define MULTI_SMTP \
  "EHLO laptop\r\nAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\nMAIL FROM:<carol@example.org>\r\n" \
  "RCPT TO:<alice>\r\nRCPT TO:<bob>\r\nDATA\r\nSubject: to both\r\nX-Id: 7\r\n\r\nHi.\r\n.\r\nQUIT\r\n"

/* The largest journal (*.log) under @dir. */
static goffset
largest_log (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  goffset largest = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".log"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        GStatBuf st;

        g_assert_cmpint (g_stat (path, &st), ==, 0);
        largest = MAX (largest, st.st_size);
      }
  return largest;
}

/* alice's copy is written, bob's fails (his journal is past a file size
 * limit that alice's is under). Before, alice's copy was added and then
 * expunged, so a session with her INBOX open saw it come and go; now no
 * mailbox changes until every copy is on disk, the client gets 451, and
 * its retry delivers exactly one copy to each. */
static void
test_smtp_all_or_nothing (void)
{
  static const char *const refused[] = { "354 ", "451 4.3.0", NULL };
  static const char *const saved[] = { "354 ", "250 2.0.0", NULL };
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *alice_dir = g_build_filename (dir, "accounts", "alice", NULL);
  g_autofree char *bob_dir = g_build_filename (dir, "accounts", "bob", NULL);
  g_autoptr(GError) error = NULL;
  MsAccount *alice, *bob;
  g_autoptr(MsStore) store = make_store (&alice);
  g_autoptr(MsStoreState) state = NULL;
  g_autoptr(MsStore) again = NULL;
  g_autoptr(MsStoreState) reread = NULL;
  struct rlimit saved_limit, limit;
  guint seen = 0;
  guint32 uidnext;

  bob = ms_store_add_account (store, "bob", "builder", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("From: x@example.org\r\nX-Id: b\r\nSubject: %u\r\n\r\n.\r\n", i);
      g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));

      ms_mailbox_append (ms_account_get_inbox (bob), raw, MS_FLAG_NONE, NULL, 0, 0);
    }
  state = ms_store_state_new (store, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (largest_log (alice_dir) + 4096, <, largest_log (bob_dir));
  uidnext = ms_mailbox_get_uidnext (ms_account_get_inbox (alice));

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  limit = saved_limit;
  limit.rlim_cur = (rlim_t) largest_log (alice_dir) + 4096;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_signal_connect_swapped (ms_account_get_inbox (alice), "message-added", G_CALLBACK (count_signal), &seen);
  g_signal_connect_swapped (ms_account_get_inbox (alice), "message-expunged", G_CALLBACK (count_signal), &seen);
  {
    g_autoptr(MsSmtpServerSession) s = ms_smtp_server_session_new (store, "mx.example.org", FALSE);

    converse (MS_SERVER_SESSION (s), MULTI_SMTP, refused);
  }
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  /* alice's INBOX never showed the copy, not even for a moment. */
  g_assert_cmpuint (seen, ==, 0);
  g_signal_handlers_disconnect_by_data (ms_account_get_inbox (alice), &seen);
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, 3);
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (bob)), ==, 300);
  /* The UID the taken-back copy had is not handed out again. */
  g_assert_cmpuint (ms_mailbox_get_uidnext (ms_account_get_inbox (alice)), ==, uidnext + 1);

  {
    g_autoptr(MsSmtpServerSession) s = ms_smtp_server_session_new (store, "mx.example.org", FALSE);

    converse (MS_SERVER_SESSION (s), MULTI_SMTP, saved);
  }
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)), ==, 4);
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (bob)), ==, 301);

  /* On disk: one copy each, and alice's UIDs never reused. */
  again = ms_store_new ();
  g_assert_nonnull (ms_store_add_account (again, "alice", "wonderland", &error));
  g_assert_nonnull (ms_store_add_account (again, "bob", "builder", &error));
  reread = ms_store_state_new (again, dir, &error);
  g_assert_no_error (error);
  {
    MsMailbox *inbox = ms_account_get_inbox (ms_store_lookup_account (again, "alice"));
    g_autofree char *ids = mailbox_ids (inbox);

    g_assert_cmpstr (ids, ==, "1237");
    g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (inbox, 3)), ==, uidnext + 1);
    g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (ms_store_lookup_account (again, "bob"))),
                      ==, 301);
  }
  g_clear_object (&reread);
  g_clear_object (&state);
  ms_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/pop3/cut-everywhere", test_pop3_cut);
  for (guint i = 0; i < G_N_ELEMENTS (imap_cuts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/faults/imap/cut-everywhere/%s", imap_cuts[i].name);
      g_test_add_data_func (path, &imap_cuts[i], test_imap_cut);
    }
  g_test_add_func ("/faults/state/write-fails", test_write_failure);
  g_test_add_func ("/faults/state/smtp-all-or-nothing", test_smtp_all_or_nothing);
  return g_test_run ();
}

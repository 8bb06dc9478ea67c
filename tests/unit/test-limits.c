/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Limits of protocols/ms-limits.h that no other test covers, each answered
 * the way its protocol says: mailboxes per account (IMAP CREATE NO [LIMIT]),
 * messages per mailbox (IMAP APPEND/COPY/MOVE NO [LIMIT], SMTP 452 4.2.2),
 * sessions per account (IMAP LOGIN NO [LIMIT], POP3 -ERR [IN-USE]), and that
 * a freed place is usable again; the message size on IMAP after login, the
 * IMAP argument count, IMAP search keys and their nesting, POP3 unread
 * input, MIME depth and part count.
 * docs/security.md has the table of every limit and its test. */
#define G_LOG_DOMAIN "test-limits"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-imap-server-session.h"
#include "ms-mailbox-private.h"
#include "ms-mime-private.h"
#include "ms-pop3-server-session.h"
#include "ms-smtp-server-session.h"
#include "ms-store.h"

#define MESSAGE "From: bob@example.org\r\nSubject: hello\r\n\r\nHi.\r\n"

static MsStore *
make_store (MsAccount **account)
{
  MsStore *store = ms_store_new ();
  g_autoptr(GError) error = NULL;

  *account = ms_store_add_account (store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  return store;
}

/* Feeds @input at once and returns everything the session said. */
static char *
talk (MsServerSession *session,
      const char      *input)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  ms_server_session_feed (session, (const guint8 *) input, strlen (input));
  for (;;)
    {
      if (ms_server_session_get_hold_ms (session) > 0)
        ms_server_session_release_hold (session);
      if (ms_server_session_take_output (session, out) == 0 && ms_server_session_get_hold_ms (session) == 0)
        break;
    }
  return g_strndup ((const char *) out->data, out->len);
}

static MsServerSession *
started (gpointer session)
{
  g_autofree char *greeting = NULL;

  ms_server_session_start (session);
  greeting = talk (session, "");
  return session;
}

#define assert_has(hay, needle) G_STMT_START { \
  if (strstr ((hay), (needle)) == NULL) \
    g_error ("%s:%d: expected %s in:\n%s", __FILE__, __LINE__, (needle), (hay)); } G_STMT_END

static void
test_mailboxes_per_account (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsServerSession) imap = started (ms_imap_server_session_new (store));
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  /* INBOX counts: fill the account up to the limit. */
  for (guint i = 1; i < MS_LIMIT_ACCOUNT_MAILBOXES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Folder%u", i);

      g_assert_nonnull (ms_account_create_mailbox (account, name, &error));
      g_assert_no_error (error);
    }
  out = talk (imap, "a LOGIN alice wonderland\r\nb CREATE OneTooMany\r\n");
  assert_has (out, "b NO [LIMIT]");
  g_assert_null (ms_account_lookup_mailbox (account, "OneTooMany"));
  g_assert_cmpuint (ms_account_list_mailboxes (account)->len, ==, MS_LIMIT_ACCOUNT_MAILBOXES);
  /* Deleting one frees a place. */
  again = talk (imap, "c DELETE Folder1\r\nd CREATE OneTooMany\r\n");
  assert_has (again, "c OK");
  assert_has (again, "d OK");
}

static void
test_messages_per_mailbox (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  MsMailbox *inbox = ms_account_get_inbox (account);
  g_autoptr(MsServerSession) imap = started (ms_imap_server_session_new (store));
  g_autoptr(MsServerSession) smtp = started (ms_smtp_server_session_new (store, "mx.example.org", FALSE));
  g_autoptr(GBytes) raw = g_bytes_new_static (MESSAGE, strlen (MESSAGE));
  g_autofree char *out = NULL;
  g_autofree char *mailed = NULL;
  g_autofree char *append = g_strdup_printf ("c APPEND INBOX {%zu+}\r\n" MESSAGE "\r\n", strlen (MESSAGE));
  MsMailbox *archive = ms_account_create_mailbox (account, "Archive", NULL);

  /* The real limit is a million; the test lowers it to three. */
  ms_mailbox_set_message_limit (inbox, 3);
  for (guint i = 0; i < 3; i++)
    ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 0, 0);
  ms_mailbox_append (archive, raw, MS_FLAG_NONE, NULL, 0, 0);
  out = talk (imap, "a LOGIN alice wonderland\r\nb SELECT Archive\r\n");
  g_free (out);
  out = talk (imap, append);
  assert_has (out, "c NO [LIMIT]");
  g_free (out);
  out = talk (imap, "d COPY 1 INBOX\r\ne MOVE 1 INBOX\r\n");
  assert_has (out, "d NO [LIMIT]");
  assert_has (out, "e NO [LIMIT]");
  g_assert_cmpuint (ms_mailbox_get_n_messages (archive), ==, 1);
  mailed = talk (smtp, "EHLO laptop\r\nAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\nMAIL FROM:<bob@example.org>\r\n"
                       "RCPT TO:<alice>\r\nDATA\r\nSubject: s\r\n\r\nHi.\r\n.\r\n");
  assert_has (mailed, "452 4.2.2");
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);

  /* One place free again: one message fits, the next does not. */
  ms_mailbox_set_message_limit (inbox, 4);
  g_free (out);
  out = talk (imap, "f MOVE 1 INBOX\r\n");
  assert_has (out, "f OK");
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 4);
  g_assert_true (ms_mailbox_would_overflow (inbox, 1));
  g_assert_false (ms_mailbox_would_overflow (inbox, 0));
}

static void
test_sessions_per_account (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MsServerSession) extra = started (ms_imap_server_session_new (store));
  g_autoptr(MsServerSession) pop3 = started (ms_pop3_server_session_new (store, NULL));
  g_autoptr(MsServerSession) late = started (ms_pop3_server_session_new (store, NULL));
  g_autofree char *refused = NULL;
  g_autofree char *in_use = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *now_ok = NULL;

  for (guint i = 0; i < MS_LIMIT_ACCOUNT_SESSIONS; i++)
    {
      MsServerSession *s = started (ms_imap_server_session_new (store));
      g_autofree char *out = talk (s, "a LOGIN alice wonderland\r\n");

      assert_has (out, "a OK");
      g_ptr_array_add (sessions, s);
    }
  g_assert_cmpuint (ms_account_get_n_sessions (account), ==, MS_LIMIT_ACCOUNT_SESSIONS);
  refused = talk (extra, "a LOGIN alice wonderland\r\n");
  assert_has (refused, "a NO [LIMIT]");
  in_use = talk (pop3, "USER alice\r\nPASS wonderland\r\n");
  assert_has (in_use, "-ERR [IN-USE]");
  g_assert_cmpuint (ms_account_get_n_sessions (account), ==, MS_LIMIT_ACCOUNT_SESSIONS);

  /* One logs out and one is simply dropped: two places free. */
  bye = talk (g_ptr_array_index (sessions, 0), "z LOGOUT\r\n");
  assert_has (bye, "z OK");
  g_ptr_array_remove_index (sessions, 1);
  g_assert_cmpuint (ms_account_get_n_sessions (account), ==, MS_LIMIT_ACCOUNT_SESSIONS - 2);
  g_free (refused);
  refused = talk (extra, "b LOGIN alice wonderland\r\n");
  assert_has (refused, "b OK");
  now_ok = talk (late, "USER alice\r\nPASS wonderland\r\nQUIT\r\n");
  assert_has (now_ok, "+OK Goodbye");
  g_ptr_array_set_size (sessions, 0);
  g_clear_object (&extra);
  g_assert_cmpuint (ms_account_get_n_sessions (account), ==, 0);
}

static void
test_imap_message_size (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsServerSession) imap = started (ms_imap_server_session_new (store));
  g_autofree char *login = talk (imap, "a LOGIN alice wonderland\r\n");
  g_autofree char *line = g_strdup_printf ("b APPEND INBOX {%u}\r\nc NOOP\r\n", MS_LIMIT_MESSAGE_SIZE + 1);
  g_autofree char *out = talk (imap, line);

  /* Refused before the "+": the client never sends the 64 MiB. */
  assert_has (out, "b BAD [TOOBIG]");
  assert_has (out, "c OK");
  g_assert_null (strstr (out, "+ "));
}

static void
test_imap_arguments (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsServerSession) imap = started (ms_imap_server_session_new (store));
  g_autoptr(GString) many = g_string_new ("b SEARCH");
  g_autofree char *login = talk (imap, "a LOGIN alice wonderland\r\ns SELECT INBOX\r\n");
  g_autofree char *out = NULL;

  for (guint i = 0; i <= MS_LIMIT_IMAP_ARGS; i++)
    g_string_append (many, " ALL");
  g_string_append (many, "\r\nc NOOP\r\n");
  out = talk (imap, many->str);
  assert_has (out, "b BAD");
  assert_has (out, "c OK");
}

/* A SEARCH of exactly MS_LIMIT_IMAP_SEARCH_KEYS keys is answered; one key
 * more, or NOT/OR nested past MS_LIMIT_IMAP_SEARCH_DEPTH, gets NO [LIMIT],
 * which is no bad command: the session goes on as before. */
static void
test_imap_search_keys (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsServerSession) imap = started (ms_imap_server_session_new (store));
  g_autoptr(GBytes) raw = g_bytes_new_static (MESSAGE, strlen (MESSAGE));
  g_autoptr(GString) at_limit = g_string_new ("b SEARCH");
  g_autoptr(GString) over = g_string_new ("c SEARCH");
  g_autoptr(GString) grouped = g_string_new ("d SEARCH");
  g_autoptr(GString) deep_or = g_string_new ("e SEARCH");
  g_autoptr(GString) deep_not = g_string_new ("f SEARCH");
  g_autofree char *login = NULL;
  g_autofree char *out = NULL;

  ms_mailbox_append (ms_account_get_inbox (account), raw, MS_FLAG_NONE, NULL, 0, 0);
  login = talk (imap, "a LOGIN alice wonderland\r\ns SELECT INBOX\r\n");
  for (guint i = 0; i < MS_LIMIT_IMAP_SEARCH_KEYS; i++)
    g_string_append (at_limit, " TEXT hi");
  g_string_append (at_limit, "\r\n");
  for (guint i = 0; i <= MS_LIMIT_IMAP_SEARCH_KEYS; i++)
    g_string_append (over, " TEXT hi");
  g_string_append (over, "\r\n");
  /* Each "(OR SEEN UNSEEN)" is four keys: the group, OR and its two. */
  for (guint i = 0; i < MS_LIMIT_IMAP_SEARCH_KEYS / 4 + 1; i++)
    g_string_append (grouped, " (OR SEEN UNSEEN)");
  g_string_append (grouped, "\r\n");
  for (guint i = 0; i <= MS_LIMIT_IMAP_SEARCH_DEPTH; i++)
    g_string_append (deep_or, " OR");
  for (guint i = 0; i <= MS_LIMIT_IMAP_SEARCH_DEPTH + 1; i++)
    g_string_append (deep_or, " ALL");
  g_string_append (deep_or, "\r\n");
  for (guint i = 0; i <= MS_LIMIT_IMAP_SEARCH_DEPTH; i++)
    g_string_append (deep_not, " NOT");
  g_string_append (deep_not, " DELETED\r\n");

  out = talk (imap, at_limit->str);
  assert_has (out, "* SEARCH 1\r\nb OK");
  g_free (out);
  out = talk (imap, over->str);
  assert_has (out, "c NO [LIMIT] Too many search keys");
  g_assert_null (strstr (out, "* SEARCH"));
  g_free (out);
  out = talk (imap, grouped->str);
  assert_has (out, "d NO [LIMIT]");
  g_free (out);
  out = talk (imap, deep_or->str);
  assert_has (out, "e NO [LIMIT] Search nested too deeply");
  g_free (out);
  out = talk (imap, deep_not->str);
  assert_has (out, "f NO [LIMIT] Search nested too deeply");
  /* NO is not BAD: after more refusals than MS_LIMIT_IMAP_BAD_COMMANDS the
   * session still answers. */
  for (guint i = 0; i < MS_LIMIT_IMAP_BAD_COMMANDS; i++)
    {
      g_free (out);
      out = talk (imap, over->str);
    }
  g_free (out);
  out = talk (imap, "g SEARCH OR SEEN UNSEEN\r\n");
  assert_has (out, "* SEARCH 1\r\ng OK");
  g_assert_false (ms_server_session_is_finished (imap));
}

static void
test_pop3_unread_input (void)
{
  MsAccount *account;
  g_autoptr(MsStore) store = make_store (&account);
  g_autoptr(MsServerSession) pop3 = started (ms_pop3_server_session_new (store, NULL));
  g_autoptr(GString) flood = g_string_new (NULL);
  g_autofree char *out = NULL;

  while (flood->len <= MS_LIMIT_POP3_PENDING_INPUT)
    g_string_append (flood, "NOOP\r\n");
  out = talk (pop3, flood->str);
  assert_has (out, "-ERR Too much input");
  g_assert_true (ms_server_session_is_finished (pop3));
}

static guint
part_depth (const MsMimeInfo *info,
            guint             index)
{
  guint depth = 0;

  while (info->parts[index].parent != MS_MIME_NONE)
    {
      index = info->parts[index].parent;
      depth++;
    }
  return depth;
}

static void
test_mime_depth_and_parts (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new ("Content-Type: multipart/mixed; boundary=w\r\n\r\n");
  g_autofree MsMimeInfo *deep_info = NULL;
  g_autofree MsMimeInfo *wide_info = NULL;
  guint max_depth = 0;

  /* Multiparts nested 50 levels past the limit. */
  for (guint i = 0; i < MS_LIMIT_MIME_DEPTH + 50; i++)
    g_string_append_printf (deep, "Content-Type: multipart/mixed; boundary=b%u\r\n\r\n--b%u\r\n", i, i);
  g_string_append (deep, "Content-Type: text/plain\r\n\r\nThe bottom.\r\n");
  deep_info = ms_mime_info_parse ((const guint8 *) deep->str, deep->len);
  for (guint i = 0; i < deep_info->n_parts; i++)
    max_depth = MAX (max_depth, part_depth (deep_info, i));
  g_assert_cmpuint (max_depth, <=, MS_LIMIT_MIME_DEPTH);

  /* A multipart with more parts than the limit. */
  for (guint i = 0; i < MS_LIMIT_MIME_PARTS + 50; i++)
    g_string_append (wide, "--w\r\n\r\nx\r\n");
  g_string_append (wide, "--w--\r\n");
  wide_info = ms_mime_info_parse ((const guint8 *) wide->str, wide->len);
  g_assert_cmpuint (wide_info->n_parts, <=, MS_LIMIT_MIME_PARTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/limits/mailboxes-per-account", test_mailboxes_per_account);
  g_test_add_func ("/limits/messages-per-mailbox", test_messages_per_mailbox);
  g_test_add_func ("/limits/sessions-per-account", test_sessions_per_account);
  g_test_add_func ("/limits/imap-message-size", test_imap_message_size);
  g_test_add_func ("/limits/imap-arguments", test_imap_arguments);
  g_test_add_func ("/limits/imap-search-keys", test_imap_search_keys);
  g_test_add_func ("/limits/pop3-unread-input", test_pop3_unread_input);
  g_test_add_func ("/limits/mime-depth-and-parts", test_mime_depth_and_parts);
  return g_test_run ();
}

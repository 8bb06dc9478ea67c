/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-models"
#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "ms-command-explanations.h"
#include "ms-mailbox-model.h"
#include "ms-store.h"

typedef struct
{
  guint position, removed, added;
  guint calls;
} Change;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->calls++;
}

static GBytes *
make_message (const char *subject,
              const char *message_id)
{
  g_autofree char *text = g_strdup_printf ("From: \"Bob Example\" <bob@example.org>\r\n"
                                           "Subject: %s\r\n"
                                           " continued\r\n"
                                           "Message-ID: %s\r\n"
                                           "\r\n"
                                           "Subject: not a header\r\n", subject, message_id);
  return g_bytes_new (text, strlen (text));
}

static MsMailbox *
new_inbox (MsStore **store_out)
{
  MsStore *store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", NULL);

  *store_out = store;
  return ms_account_get_inbox (account);
}

static void
test_follows_signals (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = new_inbox (&store);
  g_autoptr(MsMailboxModel) model = NULL;
  g_autoptr(MsMessageItem) item = NULL;
  Change change = { 0 };
  MsMessage *message;
  guint32 uid;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", i + 1);
      g_autofree char *id = g_strdup_printf ("<%u@test>", i + 1);
      g_autoptr(GBytes) raw = make_message (subject, id);
      ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 0, 0);
    }

  model = ms_mailbox_model_new (inbox);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &change);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == MS_TYPE_MESSAGE_ITEM);
  g_assert_cmpuint (ms_mailbox_model_get_n_created (model), ==, 0);

  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (ms_message_item_get_subject (item), ==, "Message 2 continued");
  g_assert_cmpstr (ms_message_item_get_from (item), ==, "Bob Example");
  g_assert_cmpuint (ms_message_item_get_flags (item), ==, MS_FLAG_NONE);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 3));

  /* A new message appears at the end. */
  {
    g_autoptr(GBytes) raw = make_message ("Message 4", "<4@test>");
    ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 0, 0);
  }
  g_assert_cmpuint (change.calls, ==, 1);
  g_assert_cmpuint (change.position, ==, 3);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);

  /* A flag change replaces the row, so views rebind it. */
  message = ms_mailbox_get_message (inbox, 1);
  g_assert_true (ms_mailbox_store_flags (inbox, message, MS_FLAGS_ADD, MS_FLAG_SEEN | MS_FLAG_DELETED, NULL));
  g_assert_cmpuint (change.calls, ==, 2);
  g_assert_cmpuint (change.position, ==, 1);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  {
    g_autoptr(MsMessageItem) again = g_list_model_get_item (G_LIST_MODEL (model), 1);
    g_assert_true (again != item);
    g_assert_cmpuint (ms_message_item_get_flags (again), ==, MS_FLAG_SEEN | MS_FLAG_DELETED);
  }

  /* New content for the same message (its text arrived) rebinds the row
   * where it is; nothing is removed. */
  {
    g_autoptr(GBytes) whole = make_message ("Message 2 whole", "<2@test>");
    g_autoptr(MsMessageItem) again = NULL;

    g_assert_nonnull (ms_mailbox_replace_raw (inbox, ms_message_get_uid (message), whole));
    g_assert_cmpuint (change.calls, ==, 3);
    g_assert_cmpuint (change.position, ==, 1);
    g_assert_cmpuint (change.removed, ==, 1);
    g_assert_cmpuint (change.added, ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
    again = g_list_model_get_item (G_LIST_MODEL (model), 1);
    g_assert_cmpstr (ms_message_item_get_subject (again), ==, "Message 2 whole continued");
    g_assert_cmpuint (ms_message_item_get_flags (again), ==, MS_FLAG_SEEN | MS_FLAG_DELETED);
    change.calls = 2;
  }

  /* Expunge removes the row at its position. */
  g_assert_cmpuint (ms_mailbox_expunge_deleted (inbox), ==, 1);
  g_assert_cmpuint (change.calls, ==, 3);
  g_assert_cmpuint (change.position, ==, 1);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  uid = 0;
  {
    g_autoptr(MsMessageItem) third = g_list_model_get_item (G_LIST_MODEL (model), 1);
    uid = ms_message_item_get_uid (third);
    g_assert_cmpstr (ms_message_item_get_subject (third), ==, "Message 3 continued");
  }
  g_assert_cmpuint (uid, ==, 3);

  /* Changing the mailbox replaces every row. */
  ms_mailbox_model_set_mailbox (model, NULL);
  g_assert_cmpuint (change.calls, ==, 4);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

static void
test_local_only (void)
{
  g_autoptr(MsStore) server_store = NULL;
  g_autoptr(MsStore) device_store = NULL;
  MsMailbox *server = new_inbox (&server_store);
  MsMailbox *device = new_inbox (&device_store);
  g_autoptr(MsMailboxModel) model = NULL;
  const char *ids[] = { "<a@test>", "<b@test>" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GBytes) raw = make_message ("Hello", ids[i]);
      ms_mailbox_append (server, raw, MS_FLAG_NONE, NULL, 0, 0);
      ms_mailbox_append (device, raw, MS_FLAG_NONE, NULL, 0, 0);
    }

  model = ms_mailbox_model_new (device);
  ms_mailbox_model_set_reference (model, server);
  {
    g_autoptr(MsMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_false (ms_message_item_get_local_only (item));
  }

  /* The server deletes its copy (a POP3 DELE + QUIT): the device's copy is
   * now the only one, and the row says so. */
  {
    guint32 uid = 1;
    Change change = { 0 };
    g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &change);
    g_assert_cmpuint (ms_mailbox_expunge_uids (server, &uid, 1), ==, 1);
    g_assert_cmpuint (change.calls, ==, 1);
    g_assert_cmpuint (change.removed, ==, 2);
    g_assert_cmpuint (change.added, ==, 2);
  }
  {
    g_autoptr(MsMessageItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(MsMessageItem) second = g_list_model_get_item (G_LIST_MODEL (model), 1);
    g_assert_true (ms_message_item_get_local_only (first));
    g_assert_false (ms_message_item_get_local_only (second));
  }
}

static void
test_lazy_100k (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = new_inbox (&store);
  g_autoptr(MsMailboxModel) model = NULL;
  g_autoptr(GBytes) raw = make_message ("Same", "<same@test>");
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    ms_mailbox_append (inbox, raw, i % 3 ? MS_FLAG_SEEN : MS_FLAG_NONE, NULL, 0, 0);

  model = ms_mailbox_model_new (inbox);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  /* Nothing is made until a row is asked for. */
  g_assert_cmpuint (ms_mailbox_model_get_n_created (model), ==, 0);
  for (guint i = n - 20; i < n; i++)
    {
      g_autoptr(MsMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_cmpuint (ms_message_item_get_uid (item), ==, i + 1);
    }
  g_assert_cmpuint (ms_mailbox_model_get_n_created (model), ==, 20);
}

static void
test_header_decoding (void)
{
  static const struct { const char *raw; const char *name; const char *expected; } cases[] = {
    { "Subject: =?UTF-8?Q?Caf=C3=A9_on_Friday?=\r\n\r\n", "Subject", "Café on Friday" },
    { "subject:plain\r\n\r\n", "Subject", "plain" },
    { "From: a\r\n\r\nSubject: body\r\n", "Subject", NULL },
    { "Subject: folded\r\n\tover\r\n two\r\n\r\n", "Subject", "folded\tover two" },
    { "Subject: \xff\xfe broken\r\n\r\n", "Subject", NULL /* just valid UTF-8 */ },
    { "Subjectless: x\r\n\r\n", "Subject", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (cases[i].raw, strlen (cases[i].raw));
      g_autofree char *value = ms_message_item_read_header (raw, cases[i].name);

      if (i == 4)
        {
          g_assert_nonnull (value);
          g_assert_true (g_utf8_validate (value, -1, NULL));
          continue;
        }
      g_assert_cmpstr (value, ==, cases[i].expected);
    }
}

static void
test_explanations (void)
{
  static const char *protocols[] = { "pop3", "imap", "smtp" };
  /* What RFC 1939, RFC 3501/9051 and RFC 5321 define must all be there. */
  static const struct { const char *protocol; const char *name; } required_commands[] = {
    { "pop3", "USER" }, { "pop3", "PASS" }, { "pop3", "APOP" }, { "pop3", "STAT" }, { "pop3", "LIST" },
    { "pop3", "RETR" }, { "pop3", "DELE" }, { "pop3", "NOOP" }, { "pop3", "RSET" }, { "pop3", "QUIT" },
    { "pop3", "TOP" }, { "pop3", "UIDL" }, { "pop3", "CAPA" }, { "pop3", "STLS" }, { "pop3", "AUTH" },
    { "imap", "CAPABILITY" }, { "imap", "NOOP" }, { "imap", "LOGOUT" }, { "imap", "STARTTLS" },
    { "imap", "AUTHENTICATE" }, { "imap", "LOGIN" }, { "imap", "SELECT" }, { "imap", "EXAMINE" },
    { "imap", "CREATE" }, { "imap", "DELETE" }, { "imap", "RENAME" }, { "imap", "SUBSCRIBE" },
    { "imap", "UNSUBSCRIBE" }, { "imap", "LIST" }, { "imap", "LSUB" }, { "imap", "STATUS" },
    { "imap", "APPEND" }, { "imap", "CHECK" }, { "imap", "CLOSE" }, { "imap", "EXPUNGE" },
    { "imap", "SEARCH" }, { "imap", "FETCH" }, { "imap", "STORE" }, { "imap", "COPY" }, { "imap", "UID" },
    { "imap", "MOVE" }, { "imap", "IDLE" }, { "imap", "ENABLE" }, { "imap", "UNSELECT" }, { "imap", "NAMESPACE" },
    { "smtp", "EHLO" }, { "smtp", "HELO" }, { "smtp", "MAIL" }, { "smtp", "RCPT" }, { "smtp", "DATA" },
    { "smtp", "RSET" }, { "smtp", "NOOP" }, { "smtp", "QUIT" }, { "smtp", "VRFY" }, { "smtp", "STARTTLS" },
    { "smtp", "AUTH" },
  };
  static const struct { const char *protocol; gboolean to_server; const char *line; const char *contains; } lines[] = {
    { "pop3", TRUE,  "RETR 2", "whole message" },
    { "pop3", FALSE, "-ERR [IN-USE] mailbox locked", "one session per mailbox" },
    { "imap", TRUE,  "a4 UID FETCH 2 (BODY[] FLAGS)", "unique identifiers" },
    { "imap", FALSE, "* 3 EXISTS", "new mail" },
    { "imap", FALSE, "* OK [UIDVALIDITY 7] UIDs valid", "must match" },
    { "imap", FALSE, "+ idling", "Continuation" },
    { "imap", FALSE, "a1 NO [AUTHENTICATIONFAILED] nope", "Wrong name or password" },
    { "smtp", FALSE, "354 go ahead", "single dot" },
    { "smtp", TRUE,  "MAIL FROM:<bob@example.org>", "return address" },
  };

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      const char * const *names = ms_explain_list_commands (protocols[p]);
      g_assert_nonnull (names);
      for (guint i = 0; names[i] != NULL; i++)
        g_assert_cmpuint (strlen (ms_explain_command (protocols[p], names[i])), >, 20);
      names = ms_explain_list_responses (protocols[p]);
      for (guint i = 0; names[i] != NULL; i++)
        g_assert_cmpuint (strlen (ms_explain_response (protocols[p], names[i])), >, 5);
    }
  for (guint i = 0; i < G_N_ELEMENTS (required_commands); i++)
    g_assert_nonnull (ms_explain_command (required_commands[i].protocol, required_commands[i].name));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *text = ms_explain_line (lines[i].protocol, lines[i].to_server, lines[i].line);
      g_assert_nonnull (text);
      if (strstr (text, lines[i].contains) == NULL)
        g_error ("“%s” explained as “%s”, which lacks “%s”", lines[i].line, text, lines[i].contains);
    }
  g_assert_null (ms_explain_line ("pop3", TRUE, "XYZZY"));
  g_assert_null (ms_explain_command ("gopher", "LIST"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/ui/mailbox-model/follows-signals", test_follows_signals);
  g_test_add_func ("/ui/mailbox-model/local-only", test_local_only);
  g_test_add_func ("/ui/mailbox-model/lazy-100k", test_lazy_100k);
  g_test_add_func ("/ui/message-item/header-decoding", test_header_decoding);
  g_test_add_func ("/ui/explain/tables", test_explanations);

  return g_test_run ();
}

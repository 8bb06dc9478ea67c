/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include "ms-limits.h"
#include "ms-store.h"

static GBytes *
message_bytes (const char *subject)
{
  g_autofree char *text = g_strdup_printf ("From: a@example.org\r\nSubject: %s\r\n\r\nHello.\r\n", subject);

  return g_bytes_new (text, strlen (text));
}

static MsMailbox *
fill_inbox (MsStore **store_out,
            guint     n)
{
  MsStore *store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", NULL);
  MsMailbox *inbox = ms_account_get_inbox (account);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", i + 1);
      g_autoptr(GBytes) raw = message_bytes (subject);

      ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 1700000000 + i, 0);
    }
  *store_out = store;
  return inbox;
}

static void
test_uid_ascending (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 5);
  guint32 uids[] = { 2, 4 };

  g_assert_cmpuint (ms_mailbox_get_uidnext (inbox), ==, 6);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (inbox, i)), ==, i + 1);

  /* Expunging the highest UIDs must not let them be handed out again. */
  ms_mailbox_expunge_uids (inbox, uids, 2);
  {
    guint32 last = 5;
    ms_mailbox_expunge_uids (inbox, &last, 1);
  }
  {
    g_autoptr(GBytes) raw = message_bytes ("after");
    MsMessage *message = ms_mailbox_append (inbox, raw, 0, NULL, 0, 0);

    g_assert_cmpuint (ms_message_get_uid (message), ==, 6);
  }
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);
  g_assert_nonnull (ms_mailbox_lookup_uid (inbox, 3, NULL));
  g_assert_null (ms_mailbox_lookup_uid (inbox, 4, NULL));
}

static void
test_uidvalidity_recreate (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "bob", "secret", NULL);
  g_autoptr(GError) error = NULL;
  MsMailbox *first;
  MsMailbox *second;
  guint32 first_validity;

  first = ms_account_create_mailbox (account, "Projects", &error);
  g_assert_no_error (error);
  first_validity = ms_mailbox_get_uidvalidity (first);
  g_assert_cmpuint (first_validity, !=, 0);
  g_assert_true (ms_account_delete_mailbox (account, "Projects", &error));
  second = ms_account_create_mailbox (account, "Projects", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_uidvalidity (second), !=, first_validity);
}

typedef struct {
  MsFlagsMode  mode;
  MsFlags      flags;
  const char  *keywords[3];
  MsFlags      expect_flags;
  const char  *expect_keywords[3];
  gboolean     expect_changed;
} FlagCase;

static void
test_flags_table (void)
{
  static const FlagCase cases[] = {
    { MS_FLAGS_ADD, MS_FLAG_SEEN, { NULL }, MS_FLAG_SEEN, { NULL }, TRUE },
    { MS_FLAGS_ADD, MS_FLAG_SEEN, { NULL }, MS_FLAG_SEEN, { NULL }, FALSE },
    { MS_FLAGS_ADD, MS_FLAG_FLAGGED, { "$Forwarded", NULL }, MS_FLAG_SEEN | MS_FLAG_FLAGGED, { "$Forwarded", NULL }, TRUE },
    { MS_FLAGS_ADD, 0, { "$forwarded", NULL }, MS_FLAG_SEEN | MS_FLAG_FLAGGED, { "$Forwarded", NULL }, FALSE },
    { MS_FLAGS_REMOVE, MS_FLAG_SEEN, { "$FORWARDED", NULL }, MS_FLAG_FLAGGED, { NULL }, TRUE },
    { MS_FLAGS_REPLACE, MS_FLAG_DELETED | MS_FLAG_DRAFT, { "b", "a", NULL }, MS_FLAG_DELETED | MS_FLAG_DRAFT, { "a", "b", NULL }, TRUE },
    { MS_FLAGS_REPLACE, 0, { NULL }, 0, { NULL }, TRUE },
  };
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 1);
  MsMessage *message = ms_mailbox_get_message (inbox, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const FlagCase *c = &cases[i];
      guint64 modseq = ms_message_get_modseq (message);
      gboolean changed = ms_mailbox_store_flags (inbox, message, c->mode, c->flags, c->keywords);
      const char * const *keywords = ms_message_get_keywords (message);
      guint n = 0;

      g_test_message ("case %u", i);
      g_assert_cmpint (changed, ==, c->expect_changed);
      g_assert_cmpuint (ms_message_get_flags (message), ==, c->expect_flags);
      for (; c->expect_keywords[n]; n++)
        g_assert_cmpstr (keywords[n], ==, c->expect_keywords[n]);
      g_assert_null (keywords[n]);
      if (changed)
        g_assert_cmpuint (ms_message_get_modseq (message), >, modseq);
      else
        g_assert_cmpuint (ms_message_get_modseq (message), ==, modseq);
    }
}

/* Keywords come from clients: the store must neither keep them after the
 * message lets go of them (an interned string lives as long as the process)
 * nor let one message carry more than the on-disk state reads back. */
static void
test_keyword_limits (void)
{
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 2);
  MsMessage *messages[2] = { ms_mailbox_get_message (inbox, 0), ms_mailbox_get_message (inbox, 1) };
  const char *unique[] = { "Ms-Test-Never-Interned-7f3a", NULL };
  const char *one_more[] = { "kw999", NULL };

  g_assert_true (ms_mailbox_store_flags (inbox, messages[0], MS_FLAGS_ADD, 0, unique));
  g_assert_true (ms_message_has_keyword (messages[0], "ms-test-never-interned-7f3a"));
  g_assert_cmpuint (g_quark_try_string (unique[0]), ==, 0);

  for (guint i = 0; i < MS_LIMIT_MESSAGE_KEYWORDS + 10; i++)
    g_ptr_array_add (many, g_strdup_printf ("kw%u", i));
  g_ptr_array_add (many, NULL);

  /* 266 different keywords never fit; 255 beside the one the message has
   * do, and then one more does not, though a repeat in another case does. */
  g_assert_false (ms_mailbox_keywords_fit (NULL, 0, MS_FLAGS_REPLACE, (const char * const *) many->pdata));
  g_free (many->pdata[MS_LIMIT_MESSAGE_KEYWORDS - 1]);
  many->pdata[MS_LIMIT_MESSAGE_KEYWORDS - 1] = NULL;
  g_assert_true (ms_mailbox_keywords_fit (messages, 1, MS_FLAGS_ADD, (const char * const *) many->pdata));
  g_assert_true (ms_mailbox_keywords_fit (messages, 2, MS_FLAGS_REPLACE, (const char * const *) many->pdata));
  g_assert_true (ms_mailbox_keywords_fit (messages, 2, MS_FLAGS_REMOVE, (const char * const *) many->pdata));
  g_assert_true (ms_mailbox_store_flags (inbox, messages[0], MS_FLAGS_REPLACE, 0,
                                         (const char * const *) many->pdata));
  g_assert_cmpuint (g_strv_length ((char **) ms_message_get_keywords (messages[0])), ==, 255);
  g_assert_false (ms_message_has_keyword (messages[0], unique[0]));
  g_assert_true (ms_mailbox_keywords_fit (messages, 2, MS_FLAGS_ADD, unique));
  g_assert_true (ms_mailbox_store_flags (inbox, messages[0], MS_FLAGS_ADD, 0, unique));
  g_assert_false (ms_mailbox_keywords_fit (messages, 2, MS_FLAGS_ADD, one_more));
  {
    const char *again[] = { "KW0", "kw254", NULL };

    g_assert_true (ms_mailbox_keywords_fit (messages, 2, MS_FLAGS_ADD, again));
  }

  /* Past the protocols' check, the store still keeps no more than the
   * limit: the first 256 in keyword order. */
  many->pdata[MS_LIMIT_MESSAGE_KEYWORDS - 1] = g_strdup ("kw255");
  g_assert_true (ms_mailbox_store_flags (inbox, messages[1], MS_FLAGS_REPLACE, 0,
                                         (const char * const *) many->pdata));
  g_assert_cmpuint (g_strv_length ((char **) ms_message_get_keywords (messages[1])), ==,
                    MS_LIMIT_MESSAGE_KEYWORDS);

  /* Over the length limit a keyword is not valid. */
  {
    g_autofree char *longest = g_strnfill (MS_LIMIT_KEYWORD_LENGTH, 'k');
    g_autofree char *too_long = g_strnfill (MS_LIMIT_KEYWORD_LENGTH + 1, 'k');

    g_assert_true (ms_keyword_is_valid (longest));
    g_assert_false (ms_keyword_is_valid (too_long));
  }
}

typedef struct {
  GArray *expunged_seq;
  GArray *expunged_uid;
  guint   added;
  guint   flags_changed;
} Observed;

static void
on_expunged (MsMailbox *mailbox,
             guint      uid,
             guint      index,
             Observed  *observed)
{
  guint seq = index + 1;

  g_array_append_val (observed->expunged_seq, seq);
  g_array_append_val (observed->expunged_uid, uid);
}

static void
on_added (MsMailbox *mailbox,
          MsMessage *message,
          Observed  *observed)
{
  observed->added++;
}

static void
on_flags_changed (MsMailbox *mailbox,
                  MsMessage *message,
                  guint      index,
                  Observed  *observed)
{
  observed->flags_changed++;
}

static void
test_expunge_renumbering (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 8);
  Observed observed = { 0 };
  static const guint deleted[] = { 3, 4, 7, 8 };

  observed.expunged_seq = g_array_new (FALSE, FALSE, sizeof (guint));
  observed.expunged_uid = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (inbox, "message-expunged", G_CALLBACK (on_expunged), &observed);
  g_signal_connect (inbox, "flags-changed", G_CALLBACK (on_flags_changed), &observed);

  for (guint i = 0; i < G_N_ELEMENTS (deleted); i++)
    {
      MsMessage *message = ms_mailbox_lookup_uid (inbox, deleted[i], NULL);
      ms_mailbox_store_flags (inbox, message, MS_FLAGS_ADD, MS_FLAG_DELETED, NULL);
    }
  g_assert_cmpuint (observed.flags_changed, ==, 4);
  g_assert_cmpuint (ms_mailbox_expunge_deleted (inbox), ==, 4);

  /* RFC 3501 section 7.4.1's own example: deleting 3, 4, 7 and 8 of 8 gives
   * "* 3 EXPUNGE", "* 3 EXPUNGE", "* 5 EXPUNGE", "* 5 EXPUNGE". */
  {
    static const guint expect_seq[] = { 3, 3, 5, 5 };

    g_assert_cmpuint (observed.expunged_seq->len, ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        g_assert_cmpuint (g_array_index (observed.expunged_seq, guint, i), ==, expect_seq[i]);
        g_assert_cmpuint (g_array_index (observed.expunged_uid, guint, i), ==, deleted[i]);
      }
  }
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 4);
  g_array_unref (observed.expunged_seq);
  g_array_unref (observed.expunged_uid);
}

/* A client's copy gets its text in place: same UID, place, flags and
 * dates; a replace, never an expunge. */
static void
test_replace_raw (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 3);
  Observed observed = { 0 };
  g_autoptr(GBytes) whole = message_bytes ("the whole message, longer than its headers alone");
  MsMessage *old = ms_mailbox_get_message (inbox, 1);
  guint32 uid = ms_message_get_uid (old);
  guint64 total = ms_mailbox_get_total_size (inbox) - ms_message_get_size (old);
  guint64 modseq = ms_mailbox_get_highest_modseq (inbox);
  gint64 date = ms_message_get_internal_date (old);
  MsMessage *message;
  guint index;

  g_assert_true (ms_mailbox_store_flags (inbox, old, MS_FLAGS_ADD, MS_FLAG_SEEN, NULL));
  observed.expunged_seq = g_array_new (FALSE, FALSE, sizeof (guint));
  observed.expunged_uid = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (inbox, "message-expunged", G_CALLBACK (on_expunged), &observed);
  g_signal_connect (inbox, "message-replaced", G_CALLBACK (on_flags_changed), &observed);

  message = ms_mailbox_replace_raw (inbox, uid, whole);
  g_assert_nonnull (message);
  g_assert_true (ms_mailbox_lookup_uid (inbox, uid, &index) == message);
  g_assert_cmpuint (index, ==, 1);
  g_assert_true (ms_message_get_raw (message) == whole);
  g_assert_cmpuint (ms_message_get_flags (message), ==, MS_FLAG_SEEN);
  g_assert_cmpint (ms_message_get_internal_date (message), ==, date);
  g_assert_cmpuint (ms_mailbox_get_total_size (inbox), ==, total + g_bytes_get_size (whole));
  g_assert_cmpuint (ms_mailbox_get_highest_modseq (inbox), >, modseq);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);
  g_assert_cmpuint (observed.flags_changed, ==, 1);
  g_assert_cmpuint (observed.expunged_uid->len, ==, 0);
  g_assert_null (ms_mailbox_replace_raw (inbox, 99, whole));
  g_array_unref (observed.expunged_seq);
  g_array_unref (observed.expunged_uid);
}

static void
test_notifications_added (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 0);
  Observed observed = { 0 };
  g_autoptr(GBytes) raw = message_bytes ("new");

  g_signal_connect (inbox, "message-added", G_CALLBACK (on_added), &observed);
  ms_mailbox_append (inbox, raw, 0, NULL, 0, 0);
  ms_mailbox_append (inbox, raw, 0, NULL, 0, 0);
  g_assert_cmpuint (observed.added, ==, 2);
  /* Copies share the same bytes rather than duplicating them. */
  g_assert_true (ms_message_get_raw (ms_mailbox_get_message (inbox, 0)) ==
                 ms_message_get_raw (ms_mailbox_get_message (inbox, 1)));
  g_assert_cmpuint (ms_mailbox_get_total_size (inbox), ==, 2 * g_bytes_get_size (raw));
}

static void
test_recent_claimed_once (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 3);
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_assert_cmpuint (ms_mailbox_count_recent (inbox), ==, 3);
  g_assert_cmpuint (ms_mailbox_claim_recent (inbox, uids), ==, 3);
  g_assert_cmpuint (uids->len, ==, 3);
  g_assert_cmpuint (ms_mailbox_claim_recent (inbox, NULL), ==, 0);
}

typedef struct {
  const char *name;
  gboolean    valid;
} NameCase;

static void
test_mailbox_names (void)
{
  static const NameCase cases[] = {
    { "Projects", TRUE },
    { "Projects/2026", TRUE },
    { "Réunions", TRUE },
    { "", FALSE },
    { "a//b", FALSE },
    { "/abs", FALSE },
    { "trailing/", FALSE },
    { "../escape", FALSE },
    { "a/./b", FALSE },
    { "tab\there", FALSE },
    { "\xff\xfe", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = ms_account_name_is_valid (cases[i].name, &error);

      g_test_message ("name %s", cases[i].name);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (!valid)
        g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME);
    }
}

static void
test_hierarchy_rename (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "carol", "pw", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ms_account_create_mailbox (account, "Work", NULL));
  g_assert_nonnull (ms_account_create_mailbox (account, "Work/Reports", NULL));
  g_assert_false (ms_account_delete_mailbox (account, "Work", &error));
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_true (ms_account_rename_mailbox (account, "Work", "Job", &error));
  g_assert_no_error (error);
  g_assert_nonnull (ms_account_lookup_mailbox (account, "Job/Reports"));
  g_assert_null (ms_account_lookup_mailbox (account, "Work/Reports"));
  g_assert_false (ms_account_rename_mailbox (account, "Job", "Job/Inside", &error));
  g_clear_error (&error);

  /* INBOX matches case-insensitively and cannot be deleted. */
  g_assert_true (ms_account_lookup_mailbox (account, "inbox") == ms_account_get_inbox (account));
  g_assert_false (ms_account_delete_mailbox (account, "Inbox", &error));
}

static void
test_rename_inbox (void)
{
  g_autoptr(MsStore) store = NULL;
  MsMailbox *inbox = fill_inbox (&store, 3);
  MsAccount *account = ms_store_lookup_account (store, "alice");
  MsMailbox *old_mail;

  g_assert_true (ms_account_rename_mailbox (account, "INBOX", "Old mail", NULL));
  old_mail = ms_account_lookup_mailbox (account, "Old mail");
  g_assert_nonnull (old_mail);
  g_assert_cmpuint (ms_mailbox_get_n_messages (old_mail), ==, 3);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 0);
  g_assert_true (ms_account_get_inbox (account) == inbox);
}

static void
test_maildrop_lock (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "dave", "pw", NULL);
  int a, b;

  g_assert_true (ms_account_lock_maildrop (account, &a));
  g_assert_true (ms_account_lock_maildrop (account, &a));
  g_assert_false (ms_account_lock_maildrop (account, &b));
  ms_account_unlock_maildrop (account, &b);
  g_assert_true (ms_account_is_maildrop_locked (account));
  ms_account_unlock_maildrop (account, &a);
  g_assert_true (ms_account_lock_maildrop (account, &b));
}

static void
test_passwords (void)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_account_check_password (account, "wonderland"));
  g_assert_false (ms_account_check_password (account, "wonderlan"));
  g_assert_false (ms_account_check_password (account, "wonderlandx"));
  g_assert_false (ms_account_check_password (account, ""));
  g_assert_false (ms_account_check_password (account, NULL));
  g_assert_null (ms_store_add_account (store, "alice", "again", &error));
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ms_store_add_account (store, "../root", "x", &error));
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME);
}

typedef struct {
  const char *in;
  const char *out;
} CrlfCase;

static void
test_normalize_crlf (void)
{
  static const CrlfCase cases[] = {
    { "a\r\nb\r\n", "a\r\nb\r\n" },
    { "a\nb\n", "a\r\nb\r\n" },
    { "a\rb", "a\r\nb" },
    { "\n", "\r\n" },
    { "", "" },
    { "x\r\n\ny", "x\r\n\r\ny" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) in = g_bytes_new_static (cases[i].in, strlen (cases[i].in));
      g_autoptr(GBytes) out = ms_store_normalize_crlf (in);
      gsize len;
      const char *data = g_bytes_get_data (out, &len);

      g_assert_cmpmem (data, len, cases[i].out, strlen (cases[i].out));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/uid/ascending-never-reused", test_uid_ascending);
  g_test_add_func ("/store/uidvalidity/recreated-mailbox", test_uidvalidity_recreate);
  g_test_add_func ("/store/flags/table", test_flags_table);
  g_test_add_func ("/store/flags/keyword-limits", test_keyword_limits);
  g_test_add_func ("/store/expunge/renumbering", test_expunge_renumbering);
  g_test_add_func ("/store/notify/added", test_notifications_added);
  g_test_add_func ("/store/replace/in-place", test_replace_raw);
  g_test_add_func ("/store/recent/claimed-once", test_recent_claimed_once);
  g_test_add_func ("/store/account/mailbox-names", test_mailbox_names);
  g_test_add_func ("/store/account/hierarchy-rename", test_hierarchy_rename);
  g_test_add_func ("/store/account/rename-inbox", test_rename_inbox);
  g_test_add_func ("/store/account/maildrop-lock", test_maildrop_lock);
  g_test_add_func ("/store/account/passwords", test_passwords);
  g_test_add_func ("/store/crlf/normalize", test_normalize_crlf);

  return g_test_run ();
}

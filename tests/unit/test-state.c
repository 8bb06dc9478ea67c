/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-state"
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-data-path.h"
#include "ms-store.h"
#include "ms-store-loader.h"
#include "ms-store-state.h"
#include "ms-test-tree.h"

static GBytes *
message_bytes (guint n)
{
  g_autofree char *text = g_strdup_printf ("From: bob@example.net\r\nSubject: Message %u\r\n\r\n"
                                           "Body of message %u.\r\n", n, n);

  return g_bytes_new (text, strlen (text));
}

/* Everything a restart must keep, as text, so one comparison checks it all
 * and a failure shows what differs. */
static char *
describe_account (MsAccount *account)
{
  GString *out = g_string_new (NULL);
  GPtrArray *mailboxes = ms_account_list_mailboxes (account);

  for (guint i = 0; i < mailboxes->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      g_string_append_printf (out, "%s uidvalidity=%u uidnext=%u role=%s subscribed=%d\n",
                              ms_mailbox_get_name (mailbox), ms_mailbox_get_uidvalidity (mailbox),
                              ms_mailbox_get_uidnext (mailbox),
                              ms_mailbox_role_to_string (ms_mailbox_get_role (mailbox)),
                              ms_mailbox_get_subscribed (mailbox));
      for (guint j = 0; j < ms_mailbox_get_n_messages (mailbox); j++)
        {
          MsMessage *message = ms_mailbox_get_message (mailbox, j);
          const char * const *keywords = ms_message_get_keywords (message);
          g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, ms_message_get_raw (message));

          g_string_append_printf (out, "  uid=%u flags=%x date=%" G_GINT64_FORMAT " tz=%d size=%" G_GSIZE_FORMAT " %s",
                                  ms_message_get_uid (message), ms_message_get_flags (message),
                                  ms_message_get_internal_date (message),
                                  ms_message_get_internal_date_offset (message),
                                  ms_message_get_size (message), digest);
          for (guint k = 0; keywords && keywords[k]; k++)
            g_string_append_printf (out, " %s", keywords[k]);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  MsStore      *store;
  MsAccount    *account;
  MsStoreState *state;
} World;

static void
world_open (World      *world,
            const char *dir,
            guint       n_initial)
{
  g_autoptr(GError) error = NULL;

  world->store = ms_store_new ();
  world->account = ms_store_add_account (world->store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_initial; i++)
    {
      g_autoptr(GBytes) raw = message_bytes (i + 1);

      ms_mailbox_append (ms_account_get_inbox (world->account), raw, MS_FLAG_NONE, NULL,
                         1735689600 + i * 86400, 60);
    }
  world->state = ms_store_state_new (world->store, dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (world->state);
}

static void
world_close (World *world)
{
  g_assert_null (ms_store_state_get_error (world->state));
  g_clear_object (&world->state);
  g_clear_object (&world->store);
}

static void
test_round_trip (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  const char *important[] = { "$Important", "Project-X", NULL };
  World world = { 0 };
  MsMailbox *inbox, *work, *trash;
  guint32 old_trash_uidvalidity, max_uidvalidity = 0;
  guint32 expunge[] = { 3 };

  world_open (&world, dir, 5);
  inbox = ms_account_get_inbox (world.account);

  /* Every kind of change the signals report. */
  ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 0), MS_FLAGS_ADD, MS_FLAG_SEEN, NULL);
  ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 1), MS_FLAGS_ADD, MS_FLAG_FLAGGED, important);
  ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 1), MS_FLAGS_REMOVE, 0,
                          (const char *[]) { "Project-X", NULL });
  g_assert_cmpuint (ms_mailbox_expunge_uids (inbox, expunge, 1), ==, 1);
  {
    g_autoptr(GBytes) raw = message_bytes (6);
    ms_mailbox_append (inbox, raw, MS_FLAG_DRAFT, NULL, 1767225600, -300);
  }
  work = ms_account_create_mailbox (world.account, "Work", &error);
  g_assert_no_error (error);
  ms_mailbox_set_subscribed (work, TRUE);
  ms_account_create_mailbox (world.account, "Work/2025", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) raw = message_bytes (2);   /* a copy: the same body again */
    ms_mailbox_append (work, raw, MS_FLAG_SEEN | MS_FLAG_ANSWERED, important, 1735776000, 0);
  }
  g_assert_true (ms_account_rename_mailbox (world.account, "Work/2025", "Work/Old", &error));
  trash = ms_account_create_mailbox (world.account, "Trash", &error);
  g_assert_no_error (error);
  ms_mailbox_set_role (trash, MS_MAILBOX_ROLE_TRASH);
  old_trash_uidvalidity = ms_mailbox_get_uidvalidity (trash);
  g_assert_true (ms_account_delete_mailbox (world.account, "Trash", &error));
  trash = ms_account_create_mailbox (world.account, "Trash", &error);
  g_assert_no_error (error);
  ms_mailbox_set_role (trash, MS_MAILBOX_ROLE_TRASH);
  g_assert_cmpuint (ms_mailbox_get_uidvalidity (trash), !=, old_trash_uidvalidity);
  {
    g_autoptr(GBytes) raw = message_bytes (7);
    MsMessage *message = ms_mailbox_append (trash, raw, MS_FLAG_DELETED, NULL, 1767312000, 0);
    guint32 uid = ms_message_get_uid (message);

    /* Expunge the highest UID: UIDNEXT must still not go back after a restart. */
    ms_mailbox_expunge_uids (trash, &uid, 1);
  }
  before = describe_account (world.account);
  world_close (&world);

  /* A restart: a new store that knows only the account name and password. */
  world_open (&world, dir, 0);
  after = describe_account (world.account);
  g_assert_cmpstr (after, ==, before);
  g_test_message ("%s", after);

  trash = ms_account_lookup_mailbox (world.account, "Trash");
  g_assert_cmpuint (ms_mailbox_get_uidnext (trash), ==, 2);
  g_assert_cmpint (ms_mailbox_get_role (trash), ==, MS_MAILBOX_ROLE_TRASH);
  g_assert_null (ms_account_lookup_mailbox (world.account, "Work/2025"));
  g_assert_true (ms_mailbox_get_subscribed (ms_account_lookup_mailbox (world.account, "Work")));

  /* Deleted and created again after the restart: a UIDVALIDITY never seen before. */
  {
    GPtrArray *mailboxes = ms_account_list_mailboxes (world.account);

    for (guint i = 0; i < mailboxes->len; i++)
      max_uidvalidity = MAX (max_uidvalidity, ms_mailbox_get_uidvalidity (g_ptr_array_index (mailboxes, i)));
  }
  g_assert_true (ms_account_delete_mailbox (world.account, "Work/Old", &error));
  work = ms_account_create_mailbox (world.account, "Work/Old", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_uidvalidity (work), >, max_uidvalidity);
  before = (g_free (before), describe_account (world.account));
  world_close (&world);

  world_open (&world, dir, 0);
  after = (g_free (after), describe_account (world.account));
  g_assert_cmpstr (after, ==, before);
  world_close (&world);
  ms_test_remove_tree (tmp);
}

static void
check_modes (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_cmpint (st.st_mode & 0777, ==, 0700);
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          check_modes (child);
        }
    }
  else
    {
      g_assert_true (S_ISREG (st.st_mode));
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
}

static guint
count_files (const char *path)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          n += count_files (child);
        }
      return n;
    }
  return 1;
}

static void
test_crash_leftovers (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *log = g_build_filename (dir, "accounts", "alice", "1.log", NULL);
  g_autofree char *stray_log = g_strconcat (log, ".tmp-Q1W2E3", NULL);
  g_autofree char *stray_body = g_build_filename (dir, "messages", "ab", "abcdef.tmp-XYZ123", NULL);
  g_autofree char *stray_list = g_build_filename (dir, "accounts", "alice", "mailboxes.tmp-000000", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  World world = { 0 };
  guint files_before;

  world_open (&world, dir, 3);
  before = describe_account (world.account);
  world_close (&world);
  check_modes (dir);
  files_before = count_files (dir);

  /* What a kill -9 can leave: temporary files of writes that never got
   * renamed, and a journal line cut before its newline. */
  {
    g_autofree char *body_dir = g_path_get_dirname (stray_body);

    g_assert_cmpint (g_mkdir_with_parents (body_dir, 0700), ==, 0);
  }
  g_file_set_contents (stray_log, "V 1\nC 99 99\ngarbage", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (stray_body, "half a mess", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (stray_list, "mailscope-mailboxes 1\nnext-id 9\n7 none 0 Gone\n", -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *contents = NULL;
    g_autofree char *torn = NULL;

    g_file_get_contents (log, &contents, NULL, &error);
    g_assert_no_error (error);
    torn = g_strconcat (contents, "F 4 9 1 SF $Jun", NULL);
    g_file_set_contents (log, torn, -1, &error);
    g_assert_no_error (error);
  }

  world_open (&world, dir, 0);
  after = describe_account (world.account);
  g_assert_cmpstr (after, ==, before);
  world_close (&world);
  g_assert_false (g_file_test (stray_log, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stray_body, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stray_list, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, files_before);
  ms_test_remove_tree (tmp);
}

static void
test_state_wins_over_loaded_mail (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("MS_SOURCE_DIR"), "data", "mail", "sample", NULL);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsStore) store = NULL;
  g_autoptr(MsStoreState) state = NULL;
  MsAccount *account;
  MsMailbox *inbox;
  World world = { 0 };

  world_open (&world, dir, 2);
  before = describe_account (world.account);
  world_close (&world);

  /* serve loads --mail first; a state folder that has this account wins. */
  store = ms_store_new ();
  account = ms_store_add_account (store, "alice", "another-password", NULL);
  inbox = ms_account_get_inbox (account);
  g_assert_true (ms_store_loader_load (inbox, sample, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 15);
  state = ms_store_state_new (store, dir, &error);
  g_assert_no_error (error);
  {
    g_autofree char *after = describe_account (account);

    g_assert_cmpstr (after, ==, before);
  }

  /* A second account is not in the folder yet: it is written there. */
  {
    MsAccount *bob = ms_store_add_account (store, "bob", "builder", NULL);
    g_autofree char *bob_dir = g_build_filename (dir, "accounts", "bob", "mailboxes", NULL);
    g_autoptr(GBytes) raw = message_bytes (42);

    ms_mailbox_append (ms_account_get_inbox (bob), raw, MS_FLAG_NONE, NULL, 0, 0);
    g_assert_true (g_file_test (bob_dir, G_FILE_TEST_EXISTS));
  }
  g_assert_null (ms_store_state_get_error (state));
  g_clear_object (&state);
  g_clear_object (&store);

  store = ms_store_new ();
  ms_store_add_account (store, "bob", "builder", NULL);
  state = ms_store_state_new (store, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_get_inbox (ms_store_lookup_account (store, "bob"))), ==, 1);
  g_clear_object (&state);
  ms_test_remove_tree (tmp);
}

/* Writes @text as the account's mailboxes file; opening DIR must fail
 * with an error that mentions @must_mention. */
static void
assert_list_refused (const char *dir,
                     const char *list,
                     GString    *text,
                     const char *must_mention)
{
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GError) error = NULL;
  MsStoreState *state;

  g_assert_true (g_file_set_contents (list, text->str, text->len, NULL));
  ms_store_add_account (store, "alice", "wonderland", NULL);
  state = ms_store_state_new (store, dir, &error);
  g_assert_null (state);
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE);
  if (strstr (error->message, must_mention) == NULL)
    g_error ("got “%s”, wanted “%s”", error->message, must_mention);
}

/* A mailboxes file that was cut or has a blank line is refused, whole: a
 * cut name ("INBO") would have served INBOX's mail under another name, and
 * a blank line used to end the list, dropping the mailboxes after it. */
static void
test_damaged_mailbox_list (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *list = g_build_filename (dir, "accounts", "alice", "mailboxes", NULL);
  g_autofree char *good = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) cut = NULL;
  g_autoptr(GString) blank = NULL;
  World world = { 0 };
  gsize len = 0;

  world_open (&world, dir, 2);
  g_assert_nonnull (ms_account_create_mailbox (world.account, "Archive", &error));
  g_assert_no_error (error);
  world_close (&world);
  g_assert_true (g_file_get_contents (list, &good, &len, NULL));

  cut = g_string_new_len (good, len - 3);   /* ends in "Archi" */
  assert_list_refused (dir, list, cut, "the last line is not complete");
  /* A blank line 4, between INBOX and Archive. */
  blank = g_string_new_len (good, len);
  g_string_insert_c (blank, strchr (strchr (strchr (good, '\n') + 1, '\n') + 1, '\n') - good + 1, '\n');
  assert_list_refused (dir, list, blank, "line 4: not a valid mailbox line");
  ms_test_remove_tree (tmp);
}

static void
test_refuses_foreign_dir (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *file = g_build_filename (tmp, "thesis.txt", NULL);
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GError) error = NULL;
  MsStoreState *state;

  g_file_set_contents (file, "chapter one", -1, &error);
  g_assert_no_error (error);
  state = ms_store_state_new (store, tmp, &error);
  g_assert_null (state);
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, tmp));
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  ms_test_remove_tree (tmp);
}

static void
test_many_changes_compact (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  World world = { 0 };
  MsMailbox *inbox;

  world_open (&world, dir, 4);
  inbox = ms_account_get_inbox (world.account);
  /* Enough flag flips to make the journal rewrite itself a few times. */
  for (guint i = 0; i < 300; i++)
    ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, i % 4),
                            i % 2 ? MS_FLAGS_REMOVE : MS_FLAGS_ADD, MS_FLAG_SEEN, NULL);
  ms_mailbox_expunge_deleted (inbox);
  before = describe_account (world.account);
  world_close (&world);

  world_open (&world, dir, 0);
  after = describe_account (world.account);
  g_assert_cmpstr (after, ==, before);
  world_close (&world);
  ms_test_remove_tree (tmp);
}

static void
test_rename_inbox (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  World world = { 0 };

  world_open (&world, dir, 3);
  /* RFC 3501: the messages move to a new mailbox, INBOX stays, empty, and
   * keeps counting UIDs from where it was. */
  g_assert_true (ms_account_rename_mailbox (world.account, "INBOX", "Archive/Before 2026", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) raw = message_bytes (9);
    ms_mailbox_append (ms_account_get_inbox (world.account), raw, MS_FLAG_NONE, NULL, 1767225600, 0);
  }
  before = describe_account (world.account);
  world_close (&world);

  world_open (&world, dir, 0);
  after = describe_account (world.account);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (ms_message_get_uid (ms_mailbox_get_message (ms_account_get_inbox (world.account), 0)), ==, 4);
  world_close (&world);
  ms_test_remove_tree (tmp);
}

/* The journal of mailbox @name of alice, by the mailboxes file. */
static char *
journal_path (const char *dir,
              const char *name)
{
  g_autofree char *list = g_build_filename (dir, "accounts", "alice", "mailboxes", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (list, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 2; lines[i] && lines[i][0]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 4);
      g_autofree char *file = g_strconcat (fields[0], ".log", NULL);

      if (g_strcmp0 (fields[3], name) == 0)
        return g_build_filename (dir, "accounts", "alice", file, NULL);
    }
  g_assert_not_reached ();
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_text (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static guint
move_uids (World      *world,
           const char *from,
           const char *to,
           guint32     first,
           guint32     last)
{
  MsMailbox *source = ms_account_lookup_mailbox (world->account, from);
  MsMailbox *target = ms_account_lookup_mailbox (world->account, to);
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 uid = first; uid <= last; uid++)
    g_array_append_val (uids, uid);
  g_assert_true (ms_mailbox_transfer (target, source, (const guint32 *) uids->data, uids->len, TRUE, NULL, NULL));
  return uids->len;
}

/* A MOVE is one record: killed after the copies' M records were written
 * and before the originals' X records, a restart shows the messages moved
 * and not also still in the source; killed while the M record was being
 * written (a torn line), it shows them where they were. Either way once. */
static void
test_move_cut (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *inbox_log = NULL, *archive_log = NULL;
  g_autofree char *inbox_before = NULL, *archive_before = NULL, *archive_after = NULL;
  g_autofree char *moved = NULL, *unmoved = NULL, *after = NULL, *torn = NULL;
  g_autoptr(GError) error = NULL;
  World world = { 0 };

  world_open (&world, dir, 4);
  g_assert_nonnull (ms_account_create_mailbox (world.account, "Archive", &error));
  g_assert_no_error (error);
  inbox_log = journal_path (dir, "INBOX");
  archive_log = journal_path (dir, "Archive");

  /* Cut between the two journals: INBOX's journal loses its X records. */
  inbox_before = read_text (inbox_log);
  move_uids (&world, "INBOX", "Archive", 1, 2);
  moved = describe_account (world.account);
  world_close (&world);
  write_text (inbox_log, inbox_before);
  for (guint restart = 0; restart < 2; restart++)
    {
      world_open (&world, dir, 0);
      after = describe_account (world.account);
      g_assert_cmpstr (after, ==, moved);
      g_clear_pointer (&after, g_free);
      world_close (&world);
    }

  /* Cut inside the M record: Archive's journal ends in half a line. */
  world_open (&world, dir, 0);
  unmoved = describe_account (world.account);
  g_clear_pointer (&inbox_before, g_free);
  inbox_before = read_text (inbox_log);
  archive_before = read_text (archive_log);
  move_uids (&world, "INBOX", "Archive", 3, 4);
  world_close (&world);
  archive_after = read_text (archive_log);
  g_assert_true (g_str_has_prefix (archive_after, archive_before));
  g_assert_cmpuint (strlen (archive_after), >, strlen (archive_before) + 10);
  torn = g_strndup (archive_after, strlen (archive_after) - 10);
  write_text (archive_log, torn);
  write_text (inbox_log, inbox_before);
  world_open (&world, dir, 0);
  after = describe_account (world.account);
  /* The first M line (UID 3) was whole: that message moved; UID 4 did not. */
  g_assert_null (ms_mailbox_lookup_uid (ms_account_get_inbox (world.account), 3, NULL));
  g_assert_nonnull (ms_mailbox_lookup_uid (ms_account_get_inbox (world.account), 4, NULL));
  g_assert_cmpuint (ms_mailbox_get_n_messages (ms_account_lookup_mailbox (world.account, "Archive")), ==, 3);
  g_assert_cmpstr (after, !=, unmoved);
  world_close (&world);
  ms_test_remove_tree (tmp);
}

static void
test_dot_account_refused (void)
{
  g_autofree char *tmp = ms_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "state", NULL);
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MsStoreState) state = NULL;

  if (ms_store_add_account (store, "..", "x", NULL) == NULL)
    {
      g_test_skip ("the store already refuses the account name \"..\"");
      ms_test_remove_tree (tmp);
      return;
    }
  state = ms_store_state_new (store, dir, &error);
  g_assert_null (state);
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME);
  ms_test_remove_tree (tmp);
}

/* The child changes the store as fast as it can and reports each change
 * only after the store call returned (that is when a server would answer
 * its client); the parent kills it with SIGKILL somewhere in the middle.
 * Whatever was reported must be there after a restart. */
static void
kill_during_writes (const char *dir,
                    guint       acks_before_kill)
{
  int fds[2];
  pid_t pid;
  FILE *acks;
  char line[64];
  guint32 acked_append = 0, acked_seen = 0;
  guint n_acks = 0;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      World world = { 0 };
      MsMailbox *inbox;

      close (fds[0]);
      world_open (&world, dir, 0);
      inbox = ms_account_get_inbox (world.account);
      for (guint i = 0; ; i++)
        {
          g_autoptr(GBytes) raw = message_bytes (i);
          MsMessage *message = ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 1735689600 + i, 0);
          g_autofree char *ack = g_strdup_printf ("A %u\n", ms_message_get_uid (message));

          if (write (fds[1], ack, strlen (ack)) < 0)
            _exit (1);
          ms_mailbox_store_flags (inbox, message, MS_FLAGS_ADD, MS_FLAG_SEEN, NULL);
          g_free (ack);
          ack = g_strdup_printf ("S %u\n", ms_message_get_uid (message));
          if (write (fds[1], ack, strlen (ack)) < 0)
            _exit (1);
        }
    }

  close (fds[1]);
  acks = fdopen (fds[0], "r");
  while (n_acks < acks_before_kill && fgets (line, sizeof line, acks) != NULL)
    {
      guint32 uid = g_ascii_strtoull (line + 2, NULL, 10);

      if (line[0] == 'A')
        acked_append = uid;
      else
        acked_seen = uid;
      n_acks++;
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_assert_cmpuint (n_acks, ==, acks_before_kill);
  /* The child went on between the last ack read and the kill: what it
   * acknowledged meanwhile is still in the pipe, and counts as much. */
  while (fgets (line, sizeof line, acks) != NULL)
    {
      guint32 uid = g_ascii_strtoull (line + 2, NULL, 10);

      if (line[0] == 'A')
        acked_append = uid;
      else if (line[0] == 'S')
        acked_seen = uid;
    }
  fclose (acks);

  {
    World world = { 0 };
    MsMailbox *inbox;
    guint n;

    world_open (&world, dir, 0);
    inbox = ms_account_get_inbox (world.account);
    n = ms_mailbox_get_n_messages (inbox);
    g_test_message ("killed after %u acks: %u messages survived, last acknowledged uid %u",
                    acks_before_kill, n, acked_append);
    /* Every acknowledged message is there, at most one more that was in flight. */
    g_assert_cmpuint (n, >=, acked_append);
    g_assert_cmpuint (n, <=, acked_append + 1);
    for (guint i = 0; i < n; i++)
      {
        MsMessage *message = ms_mailbox_get_message (inbox, i);
        g_autoptr(GBytes) expected = message_bytes (i);

        g_assert_cmpuint (ms_message_get_uid (message), ==, i + 1);
        g_assert_true (g_bytes_equal (ms_message_get_raw (message), expected));
        if (ms_message_get_uid (message) <= acked_seen)
          g_assert_true (ms_message_has_flag (message, MS_FLAG_SEEN));
      }
    world_close (&world);
  }
}

static void
test_kill_during_writes (void)
{
  static const guint kill_points[] = { 1, 7, 40, 131 };

  for (guint i = 0; i < G_N_ELEMENTS (kill_points); i++)
    {
      g_autofree char *tmp = ms_test_make_temp_dir ();
      g_autofree char *dir = g_build_filename (tmp, "state", NULL);

      kill_during_writes (dir, kill_points[i]);
      ms_test_remove_tree (tmp);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/state/round-trip", test_round_trip);
  g_test_add_func ("/store/state/crash-leftovers", test_crash_leftovers);
  g_test_add_func ("/store/state/wins-over-loaded-mail", test_state_wins_over_loaded_mail);
  g_test_add_func ("/store/state/refuses-foreign-dir", test_refuses_foreign_dir);
  g_test_add_func ("/store/state/damaged-mailbox-list", test_damaged_mailbox_list);
  g_test_add_func ("/store/state/compaction", test_many_changes_compact);
  g_test_add_func ("/store/state/kill-during-writes", test_kill_during_writes);
  g_test_add_func ("/store/state/rename-inbox", test_rename_inbox);
  g_test_add_func ("/store/state/dot-account", test_dot_account_refused);
  g_test_add_func ("/store/state/move-cut", test_move_cut);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The on-disk state of `serve --state`: an account's mailbox list and the
 * INBOX's journal come from the input, the rest (the state file and the
 * message bodies the journal may name) from a folder that a real store
 * wrote. Whatever the files hold, the store either loads them or refuses
 * them with an error; what it loads is a consistent mailbox that takes a
 * change and can be closed.
 *
 * Input: the mailbox list, a NUL, the journal of mailbox 1 (mailbox 2's is
 * empty). Without a NUL the whole input is the journal and the list is the
 * one a new account writes. */
#define G_LOG_DOMAIN "fuzz-state"
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ms-store.h"
#include "ms-store-state.h"
#include "../unit/ms-test-tree.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char default_mailboxes[] = "mailscope-mailboxes 1\nnext-id 2\n1 inbox 1 INBOX\n";

/* The files of the template folder other than the account's, by path
 * relative to the folder. */
static GHashTable *template_files;
static char *scratch_root;

static void
collect_files (const char *root,
               const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = *relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (root, child, NULL);
      char *contents;
      gsize len;

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        {
          if (strcmp (child, "accounts") != 0)
            collect_files (root, child);
          continue;
        }
      g_assert_true (g_file_get_contents (child_path, &contents, &len, NULL));
      g_hash_table_insert (template_files, g_steal_pointer (&child), g_bytes_new_take (contents, len));
    }
}

static void
remove_scratch (void)
{
  ms_test_remove_tree (scratch_root);
}

/* The template: a state folder with two messages in INBOX, written once.
 * On tmpfs when there is one: the store syncs what it writes. */
static void
make_template (void)
{
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
  g_autofree char *pattern = g_build_filename (base, "ms-fuzz-state-XXXXXX", NULL);
  g_autofree char *template_dir = NULL;
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(MsStoreState) state = NULL;
  g_autoptr(GError) error = NULL;
  MsAccount *account;

  scratch_root = g_mkdtemp (g_steal_pointer (&pattern));
  g_assert_nonnull (scratch_root);
  atexit (remove_scratch);
  template_dir = g_build_filename (scratch_root, "template", NULL);
  account = ms_store_add_account (store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("From: bob@example.net\r\nSubject: Message %u\r\n\r\n"
                                               "Body of message %u.\r\n", i, i);
      g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));

      ms_mailbox_append (ms_account_get_inbox (account), raw, MS_FLAG_NONE, NULL, 1735689600, 60);
    }
  state = ms_store_state_new (store, template_dir, &error);
  g_assert_no_error (error);
  g_clear_object (&state);

  template_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  collect_files (template_dir, "");
  ms_test_remove_tree (template_dir);
}

static void
write_file (const char   *root,
            const char   *relative,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, (const char *) data, len, NULL));
}

/* What a loaded INBOX must be whatever the journal said. */
static void
check_mailbox (MsMailbox *mailbox)
{
  guint64 total = 0;
  guint32 last_uid = 0;

  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      const char * const *keywords = ms_message_get_keywords (message);

      g_assert_cmpuint (ms_message_get_uid (message), >, last_uid);
      last_uid = ms_message_get_uid (message);
      total += ms_message_get_size (message);
      for (guint k = 0; keywords[k]; k++)
        g_assert_true (ms_keyword_is_valid (keywords[k]));
    }
  g_assert_cmpuint (ms_mailbox_get_uidnext (mailbox), >, last_uid);
  g_assert_cmpuint (total, ==, ms_mailbox_get_total_size (mailbox));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *nul = memchr (data, '\0', size);
  const guint8 *mailboxes = (const guint8 *) default_mailboxes;
  gsize mailboxes_len = strlen (default_mailboxes);
  const guint8 *journal = data;
  gsize journal_len = size;
  g_autofree char *dir = NULL;
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(MsStoreState) state = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer path, bytes;
  MsAccount *account;

  if (template_files == NULL)
    make_template ();
  if (nul != NULL)
    {
      mailboxes = data;
      mailboxes_len = nul - data;
      journal = nul + 1;
      journal_len = size - mailboxes_len - 1;
    }

  dir = g_build_filename (scratch_root, "state", NULL);
  g_hash_table_iter_init (&iter, template_files);
  while (g_hash_table_iter_next (&iter, &path, &bytes))
    write_file (dir, path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  write_file (dir, "accounts/alice/mailboxes", mailboxes, mailboxes_len);
  write_file (dir, "accounts/alice/1.log", journal, journal_len);
  /* For a list that names a second mailbox: its journal, empty. */
  write_file (dir, "accounts/alice/2.log", (const guint8 *) "V 9\n", 4);

  account = ms_store_add_account (store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  state = ms_store_state_new (store, dir, &error);
  if (state == NULL)
    {
      /* Refused: with a message that says what. */
      g_assert_nonnull (error);
      g_assert_true (error->message[0] != '\0');
      g_debug ("refused: %s", error->message);
    }
  else
    {
      GPtrArray *boxes = ms_account_list_mailboxes (account);
      MsMailbox *inbox = ms_account_get_inbox (account);
      const char *keyword[] = { "$Fuzzed", NULL };

      g_assert_no_error (error);
      g_debug ("loaded: %u mailboxes, %u messages in INBOX", boxes->len, ms_mailbox_get_n_messages (inbox));
      for (guint i = 0; i < boxes->len; i++)
        check_mailbox (g_ptr_array_index (boxes, i));
      /* The loaded state takes a change: the journal is written to. */
      if (ms_mailbox_get_n_messages (inbox) > 0)
        ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, 0), MS_FLAGS_ADD, MS_FLAG_SEEN, keyword);
      g_clear_object (&state);
    }
  g_clear_object (&store);
  ms_test_remove_tree (dir);
  return 0;
}

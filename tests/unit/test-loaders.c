/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-loaders"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-data-path.h"
#include "ms-limits.h"
#include "ms-mime.h"
#include "ms-store.h"
#include "ms-store-loader.h"

typedef struct {
  const char *name;
  const char *text;
} TestFile;

/* LF inputs, as a user would have them on disk. */
static const TestFile eml_files[] = {
  { "000001.eml",
    "From: Bob <bob@example.net>\nTo: alice@example.org\nSubject: One\n"
    "Date: Tue, 14 Jan 2025 09:30:12 +0100\n\nFirst body.\n.\n..two dots\n" },
  { "000002.eml",
    "From: Carol <carol@school.example>\nSubject: Two\nDate: Sat, 01 Feb 2025 23:59:59 -0500\n\n"
    "From the trip: a line that an mbox would quote.\n\n\nTrailing blank lines follow.\n\n" },
  { "000003.eml",
    "Subject: No date header here\n\nBody without a final newline" },
};

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-test-loaders-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
write_file (const char *dir,
            const char *name,
            const char *text,
            gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_chmod (path, 0700);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_names (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
assert_file_equals (const char *path,
                    const char *expected,
                    gsize       expected_len)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, expected, expected_len);
}

static MsMailbox *
new_inbox (MsStore **store)
{
  *store = ms_store_new ();
  return ms_account_get_inbox (ms_store_add_account (*store, "alice", "wonderland", NULL));
}

static gboolean
raw_contains (MsMessage  *message,
              const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (ms_message_get_raw (message), &len);
  g_autofree char *copy = g_strndup (data, len);

  return strstr (copy, needle) != NULL;
}

static void
test_eml_round_trip (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autofree char *in = make_temp_dir ();
  g_autofree char *out = make_temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  MsMailbox *inbox = new_inbox (&store);
  MsMessage *first;

  for (guint i = 0; i < G_N_ELEMENTS (eml_files); i++)
    write_file (in, eml_files[i].name, eml_files[i].text, strlen (eml_files[i].text));
  write_file (in, "notes.txt", "not a message", 13);   /* ignored: not .eml */

  g_assert_true (ms_store_loader_load (inbox, in, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);

  /* Stored with CRLF; the Date: header became the internal date and offset. */
  first = ms_mailbox_get_message (inbox, 0);
  g_assert_true (raw_contains (first, "Subject: One\r\n"));
  g_assert_false (raw_contains (first, "One\n"));
  g_assert_cmpint (ms_message_get_internal_date (first), ==, 1736843412);
  g_assert_cmpint (ms_message_get_internal_date_offset (first), ==, 60);
  g_assert_cmpint (ms_message_get_internal_date_offset (ms_mailbox_get_message (inbox, 1)), ==, -300);
  {
    gsize lines = 0;

    for (const char *p = eml_files[0].text; *p; p++)
      lines += *p == '\n';
    g_assert_cmpuint (ms_message_get_size (first), ==, strlen (eml_files[0].text) + lines);
  }

  g_assert_true (ms_store_loader_save_eml_folder (inbox, out, &error));
  g_assert_no_error (error);
  names = sorted_names (out);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (eml_files));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (out, g_ptr_array_index (names, i), NULL);

      g_assert_cmpstr (g_ptr_array_index (names, i), ==, eml_files[i].name);
      assert_file_equals (path, eml_files[i].text, strlen (eml_files[i].text));
    }
  remove_tree (in);
  remove_tree (out);
}

/* Written the way ms_store_loader_save_mbox() writes, so a round trip is exact. */
static const char mbox_text[] =
  "From MAILER-DAEMON Tue Jan 14 08:30:12 2025\n"
  "From: Bob <bob@example.net>\n"
  "Subject: quoting\n"
  "\n"
  ">From the start of a line.\n"
  ">>From quoted once already.\n"
  ">>>From quoted twice.\n"
  " From with a space is left alone.\n"
  ">Fromage is not a From_ line.\n"
  "\n"
  "From bounce@lists.example Sat Feb  1 04:05:06 2025\n"
  "Return-Path: <bounce@lists.example>\n"
  "Subject: second\n"
  "\n"
  "Short.\n"
  "\n"
  "\n"
  "From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n"
  "Subject: headers only\n"
  "\n";

static void
test_mbox_round_trip (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *in = g_build_filename (dir, "in.mbox", NULL);
  g_autofree char *out = g_build_filename (dir, "out.mbox", NULL);
  g_autoptr(GError) error = NULL;
  MsMailbox *inbox = new_inbox (&store);
  MsMessage *message;

  write_file (dir, "in.mbox", mbox_text, strlen (mbox_text));
  g_assert_true (ms_store_loader_load (inbox, in, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 3);

  /* mboxrd: exactly one '>' comes off ^>+From  lines, nothing else changes. */
  message = ms_mailbox_get_message (inbox, 0);
  g_assert_true (raw_contains (message, "\r\n\r\nFrom the start of a line.\r\n"
                                        ">From quoted once already.\r\n"
                                        ">>From quoted twice.\r\n"
                                        " From with a space is left alone.\r\n"
                                        ">Fromage is not a From_ line.\r\n"));
  g_assert_false (raw_contains (message, "From MAILER-DAEMON"));
  g_assert_cmpint (ms_message_get_internal_date (message), ==, 1736843412);

  /* The separator blank line is not part of a message; a blank line of its own is. */
  message = ms_mailbox_get_message (inbox, 1);
  g_assert_cmpint (ms_message_get_internal_date (message), ==, 1738382706);
  {
    gsize len;
    const char *data = g_bytes_get_data (ms_message_get_raw (message), &len);

    g_assert_true (len > 12);
    g_assert_cmpmem (data + len - 10, 10, "Short.\r\n\r\n", 10);
  }
  message = ms_mailbox_get_message (inbox, 2);
  g_assert_cmpuint (ms_message_get_size (message), ==, strlen ("Subject: headers only\r\n"));

  g_assert_true (ms_store_loader_save_mbox (inbox, out, &error));
  g_assert_no_error (error);
  assert_file_equals (out, mbox_text, strlen (mbox_text));
  remove_tree (dir);
}

static void
test_mbox_quoting_writer (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mbox", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsStore) store2 = NULL;
  MsMailbox *inbox = new_inbox (&store);
  MsMailbox *again = new_inbox (&store2);
  static const char raw_text[] = "Subject: q\r\n\r\nFrom a\r\n>From b\r\n>>From c\r\nFromX\r\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (raw_text, strlen (raw_text));
  static const char expected[] =
    "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"
    "Subject: q\n\n>From a\n>>From b\n>>>From c\nFromX\n\n";

  ms_mailbox_append (inbox, raw, MS_FLAG_NONE, NULL, 0, 0);
  g_assert_true (ms_store_loader_save_mbox (inbox, out, &error));
  g_assert_no_error (error);
  assert_file_equals (out, expected, strlen (expected));

  g_assert_true (ms_store_loader_load (again, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (raw, ms_message_get_raw (ms_mailbox_get_message (again, 0))));
  remove_tree (dir);
}

static const struct {
  const char *name;
  MsFlags     flags;
  gboolean    forwarded;
} maildir_files[] = {
  { "1736843412.1.mailscope:2,", MS_FLAG_NONE, FALSE },
  { "1736843413.2.mailscope:2,S", MS_FLAG_SEEN, FALSE },
  { "1736843414.3.mailscope:2,FRS", MS_FLAG_FLAGGED | MS_FLAG_ANSWERED | MS_FLAG_SEEN, FALSE },
  { "1736843415.4.mailscope:2,DPT", MS_FLAG_DRAFT | MS_FLAG_DELETED, TRUE },
  { "1736843416.5.mailscope:2,DFPRST", MS_FLAG_ALL, TRUE },
};

static void
test_maildir_flags (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *in = g_build_filename (dir, "in", NULL);
  g_autofree char *cur = g_build_filename (in, "cur", NULL);
  g_autofree char *new_dir = g_build_filename (in, "new", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out_cur = g_build_filename (out, "cur", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  MsMailbox *inbox = new_inbox (&store);

  g_assert_cmpint (g_mkdir_with_parents (cur, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (new_dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (maildir_files); i++)
    {
      g_autofree char *text = g_strdup_printf ("Subject: maildir %u\n\nBody %u.\n", i, i);

      /* The first one waits in new/, as a fresh delivery would. */
      write_file (i == 0 ? new_dir : cur, maildir_files[i].name, text, strlen (text));
    }

  g_assert_true (ms_store_loader_load (inbox, in, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, G_N_ELEMENTS (maildir_files));
  for (guint i = 0; i < G_N_ELEMENTS (maildir_files); i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);
      g_autofree char *subject = g_strdup_printf ("Subject: maildir %u\r\n", i);

      g_assert_true (raw_contains (message, subject));
      g_assert_cmpint (ms_message_get_flags (message), ==, maildir_files[i].flags);
      g_assert_cmpint (ms_message_has_keyword (message, "$Forwarded"), ==, maildir_files[i].forwarded);
      g_assert_cmpint (ms_message_get_internal_date (message), ==, 1736843412 + i);
    }

  g_assert_true (ms_store_loader_save_maildir (inbox, out, &error));
  g_assert_no_error (error);
  names = sorted_names (out_cur);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (maildir_files));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (out_cur, g_ptr_array_index (names, i), NULL);
      g_autofree char *text = g_strdup_printf ("Subject: maildir %u\n\nBody %u.\n", i, i);
      GStatBuf st;

      g_assert_cmpstr (g_ptr_array_index (names, i), ==, maildir_files[i].name);
      assert_file_equals (path, text, strlen (text));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mtime, ==, 1736843412 + i);
    }
  remove_tree (dir);
}

static void
assert_load_fails (const char   *path,
                   int           code,
                   const char   *must_mention)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MsMailbox *inbox = new_inbox (&store);

  g_assert_false (ms_store_loader_load (inbox, path, &error));
  g_assert_error (error, MS_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, must_mention));
  /* All or nothing: a failed load leaves the mailbox untouched. */
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 0);
}

/* Peak resident memory of this process in KiB, reset first with @reset
 * (Linux's clear_refs value 5): a memory bound, not a timing. */
static guint64
peak_rss_kib (gboolean reset)
{
  g_autofree char *status = NULL;
  const char *hwm;

  if (reset)
    g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (hwm = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtoull (hwm + 6, NULL, 10);
}

/* A message of 1 GiB in an mbox (a sparse file: no disk needed) is refused
 * once a window of twice the message limit has not reached its end, not
 * after the whole of it was read into memory. */
static void
test_mbox_huge_message (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.mbox", NULL);
  static const char head[] = "From MAILER-DAEMON Tue Jan 14 08:30:12 2025\nSubject: huge\n\n";
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MsMailbox *inbox = new_inbox (&store);
  FILE *f;
  guint64 peak;

  write_file (dir, "huge.mbox", head, strlen (head));
  g_assert_cmpint (truncate (path, 1024 * 1024 * 1024), ==, 0);
  f = fopen (path, "a");
  g_assert_nonnull (f);
  fputs ("\n\n", f);
  fclose (f);

  peak_rss_kib (TRUE);
  g_assert_false (ms_store_loader_load (inbox, path, &error));
  peak = peak_rss_kib (FALSE);
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "huge.mbox: line 1: the message is larger than the limit"));
  g_test_message ("peak RSS while refusing a 1 GiB message: %" G_GUINT64_FORMAT " KiB", peak);
  /* The window stops at 128 MiB; before, it grew to the whole GiB. */
  g_assert_cmpuint (peak, <, 640 * 1024);
  remove_tree (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.mbox", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.mbox", NULL);
  g_autofree char *cut_line = g_build_filename (dir, "cut-line.mbox", NULL);
  g_autofree char *mac = g_build_filename (dir, "mac.mbox", NULL);
  g_autofree char *mac_lf_end = g_build_filename (dir, "mac-lf-end.mbox", NULL);
  g_autofree char *empty_dir = g_build_filename (dir, "empty", NULL);
  g_autofree char *eml_dir = g_build_filename (dir, "emls", NULL);
  g_autofree char *bad_eml = g_build_filename (eml_dir, "2-bad.eml", NULL);
  static const char truncated_text[] =
    "From MAILER-DAEMON Tue Jan 14 08:30:12 2025\nSubject: a\n\nbody\n\n"
    "From MAILER-DAEMON Tue Jan 14 08:30:13 2025\nSubject: b\n";
  static const char mac_text[] =
    "From MAILER-DAEMON Tue Jan 14 08:30:12 2025\rSubject: a\r\rbody\r\r";
  static const char mac_text_lf[] =
    "From MAILER-DAEMON Tue Jan 14 08:30:12 2025\rSubject: a\r\rbody\r\n\n";

  assert_load_fails (missing, MS_STORE_ERROR_IO, "missing.mbox");

  write_file (dir, "notes.txt", "Shopping list\nmilk\n", 19);
  assert_load_fails (text, MS_STORE_ERROR_BAD_FILE, "notes.txt");

  write_file (dir, "truncated.mbox", truncated_text, strlen (truncated_text));
  assert_load_fails (truncated, MS_STORE_ERROR_BAD_FILE, "truncated.mbox: line 7");
  write_file (dir, "cut-line.mbox", truncated_text, strlen (truncated_text) - 3);
  assert_load_fails (cut_line, MS_STORE_ERROR_BAD_FILE, "cut-line.mbox: line 7");
  /* CR-only line ends are named as such, not reported as a cut file. */
  write_file (dir, "mac.mbox", mac_text, strlen (mac_text));
  assert_load_fails (mac, MS_STORE_ERROR_BAD_FILE, "mac.mbox: line 1: lines end in CR alone");
  write_file (dir, "mac-lf-end.mbox", mac_text_lf, strlen (mac_text_lf));
  assert_load_fails (mac_lf_end, MS_STORE_ERROR_BAD_FILE, "mac-lf-end.mbox: line 1: lines end in CR alone");

  g_assert_cmpint (g_mkdir (empty_dir, 0700), ==, 0);
  assert_load_fails (empty_dir, MS_STORE_ERROR_BAD_FILE, "empty");

  /* An unreadable message in a folder: mode 000 stops everyone but root, so
   * for root the .eml is a folder instead, which no one can read as a file. */
  g_assert_cmpint (g_mkdir (eml_dir, 0700), ==, 0);
  write_file (eml_dir, "1-good.eml", "Subject: fine\n\nok\n", 18);
  if (geteuid () == 0)
    g_assert_cmpint (g_mkdir (bad_eml, 0700), ==, 0);
  else
    {
      write_file (eml_dir, "2-bad.eml", "Subject: locked\n\nx\n", 19);
      g_assert_cmpint (g_chmod (bad_eml, 0), ==, 0);
    }
  assert_load_fails (eml_dir, MS_STORE_ERROR_IO, "2-bad.eml");
  remove_tree (dir);
}

static void
test_sample_mailbox (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (g_getenv ("MS_SOURCE_DIR"), "data", NULL);
  g_autofree char *sample = NULL;
  MsMailbox *inbox = new_inbox (&store);
  gint64 previous = 0;
  guint dot_messages = 0;

  g_setenv ("MAILSCOPE_DATADIR", data_dir, TRUE);
  sample = ms_data_path ("mail/sample");
  g_assert_nonnull (sample);
  g_assert_true (g_path_is_absolute (sample));
  g_assert_null (ms_data_path ("no/such/thing"));

  g_assert_true (ms_store_loader_load (inbox, sample, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 15);
  for (guint i = 0; i < 15; i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);

      /* File order is date order, over two years. */
      g_assert_cmpint (ms_message_get_internal_date (message), >, previous);
      previous = ms_message_get_internal_date (message);
      if (raw_contains (message, "\r\n.\r\n") && raw_contains (message, "\r\n...and"))
        dot_messages++;
    }
  g_assert_cmpuint (dot_messages, ==, 1);
  g_assert_true (raw_contains (ms_mailbox_get_message (inbox, 3), "\r\n.\r\n"));
  g_assert_cmpint (ms_message_get_internal_date (ms_mailbox_get_message (inbox, 0)), <, 1735689600 + 366 * 86400);
  g_assert_cmpint (previous, >=, 1767225600);   /* the last one is in 2026 */
  g_unsetenv ("MAILSCOPE_DATADIR");
}

static void
test_mbox_bytes (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MsMailbox *inbox = new_inbox (&store);
  static const char crlf[] = "From x Mon Mar  3 10:00:00 2025\r\nSubject: crlf\r\n\r\nbody\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (crlf, strlen (crlf));
  g_autoptr(GBytes) empty_from = g_bytes_new_static ("From x\n\n", 8);

  g_assert_true (ms_store_loader_load_mbox_bytes (inbox, bytes, "crlf.mbox", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 1);
  g_assert_cmpuint (ms_message_get_size (ms_mailbox_get_message (inbox, 0)), ==, strlen ("Subject: crlf\r\n\r\nbody\r\n"));

  g_assert_false (ms_store_loader_load_mbox_bytes (inbox, empty_from, "empty.mbox", &error));
  g_assert_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "empty.mbox: line 1"));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 1);
}

/* Messages stay in their file until read (ms-raw-file.c): their sizes are
 * known before, and what is read is the same as a copy would have been,
 * for LF, CRLF, quoted From_ lines and mixed line ends alike. */
static void
test_mbox_lazy_forms (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MsMailbox *inbox = new_inbox (&store);
  static const char text[] =
    "From a Mon Mar  3 10:00:00 2025\nSubject: lf\n\nbody\n\n"
    "From b Mon Mar  3 10:00:00 2025\nSubject: q\n\n>From here\n>>From there\n\n"
    "From c Mon Mar  3 10:00:00 2025\r\nSubject: crlf\r\n\r\nbody\r\n\r\n"
    "From d Mon Mar  3 10:00:00 2025\r\nSubject: crlf q\r\n\r\n>From x\r\n\r\n"
    "From e Mon Mar  3 10:00:00 2025\nSubject: mixed\r\n\nlone\rcr\n\n";
  static const char *expected[] = {
    "Subject: lf\r\n\r\nbody\r\n",
    "Subject: q\r\n\r\nFrom here\r\n>From there\r\n",
    "Subject: crlf\r\n\r\nbody\r\n",
    "Subject: crlf q\r\n\r\nFrom x\r\n",
    "Subject: mixed\r\n\r\nlone\r\ncr\r\n",
  };
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  g_assert_true (ms_store_loader_load_mbox_bytes (inbox, bytes, "forms.mbox", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);
      gsize size = ms_message_get_size (message);
      GBytes *raw;

      g_assert_cmpuint (size, ==, strlen (expected[i]));
      raw = ms_message_get_raw (message);
      /* The same bytes every time, never a new copy. */
      g_assert_true (ms_message_get_raw (message) == raw);
      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), expected[i], size);
    }

  /* \Recent: every loaded message is recent until one session claims it. */
  g_assert_cmpuint (ms_mailbox_count_recent (inbox), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (ms_mailbox_claim_recent (inbox, NULL), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (ms_mailbox_claim_recent (inbox, NULL), ==, 0);
  ms_mailbox_append (inbox, bytes, MS_FLAG_NONE, NULL, 0, 0);
  ms_mailbox_append (inbox, bytes, MS_FLAG_NONE, NULL, 0, 0);
  {
    guint32 first = ms_message_get_uid (ms_mailbox_get_message (inbox, 0));
    g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

    ms_mailbox_expunge_uids (inbox, &first, 1);
    g_assert_cmpuint (ms_mailbox_count_recent (inbox), ==, 2);
    g_assert_cmpuint (ms_mailbox_claim_recent (inbox, uids), ==, 2);
    g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, G_N_ELEMENTS (expected) + 1);
    g_assert_cmpuint (g_array_index (uids, guint32, 1), ==, G_N_ELEMENTS (expected) + 2);
    g_assert_cmpuint (ms_mailbox_count_recent (inbox), ==, 0);
  }
}

/* SEARCH reads a message of an LF mbox into a scratch buffer instead of
 * keeping a copy, and later scans its text in place in the file: the
 * answers must be those of the kept copy, for every needle, quoted From_
 * lines, parts that must be decoded, and prefixes of every length. */
static void
test_mbox_search_in_place (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(MsStore) kept_store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "search.mbox", NULL);
  g_autofree char *long_quote = g_strnfill (5000, '>');
  g_autofree char *long_header = g_strnfill (6000, 'h');
  g_autofree char *text = g_strdup_printf (
    "From a Mon Mar  3 10:00:00 2025\nSubject: plain\n\nA quetzal here.\n>From here\n>>From there\nlast word\n\n"
    "From b Mon Mar  3 10:00:00 2025\nSubject: alt\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n"
    "--b1\nContent-Type: text/plain\n\n>From the plain part: meeting\n--b1\n"
    "Content-Type: text/html\n\n<p>quetzal in html</p>\n--b1--\n\n"
    "From c Mon Mar  3 10:00:00 2025\nSubject: mixed\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
    "--m\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nsoft=\nbreak and caf=C3=A9\n"
    "--m\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\ncXVldHphbGNvYXRs\n"
    "--m\nContent-Type: application/octet-stream\n\nquetzal in a file\n--m--\n\n"
    "From d Mon Mar  3 10:00:00 2025\nSubject: long\nX-Long: %s\n\n%sFrom x\nafter the long line\n\n",
    long_header, long_quote);
  static const char *needles[] = {
    "quetzal", "QUETZAL", "From here", ">From here", "From there", ">From there", "last word",
    "meeting", "the plain", "softbreak", "soft break", "café", "quetzalcoatl", "in a file",
    "after the long", "From x", ">From x", "hhhh", "Subject", "plain", "", "\r\n",
  };
  MsMailbox *inbox, *kept;

  write_file (dir, "search.mbox", text, strlen (text));
  inbox = new_inbox (&store);
  kept = new_inbox (&kept_store);
  g_assert_true (ms_store_loader_load (inbox, path, &error));
  g_assert_true (ms_store_loader_load (kept, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);
      MsMessage *copy = ms_mailbox_get_message (kept, i);
      GBytes *raw = ms_message_get_raw (copy);
      gsize size = g_bytes_get_size (raw);
      g_autoptr(GByteArray) scratch = g_byte_array_new ();

      /* The first search reads through the scratch buffer, the second in
       * the file; both must answer as the kept copy does. */
      for (guint round = 0; round < 2; round++)
        for (guint k = 0; k < G_N_ELEMENTS (needles); k++)
          {
            g_assert_cmpint (ms_mime_body_contains (message, needles[k]), ==,
                             ms_mime_body_contains (copy, needles[k]));
            g_assert_cmpint (ms_mime_text_contains (message, needles[k]), ==,
                             ms_mime_text_contains (copy, needles[k]));
            g_assert_cmpint (ms_mime_header_contains (message, "Subject", needles[k]), ==,
                             ms_mime_header_contains (copy, "Subject", needles[k]));
          }
      /* Nothing was kept: a prefix of any length is read again, and is the
       * start of the same bytes. */
      g_assert_nonnull (ms_message_peek_lines (message, 0, 0));
      for (gsize limit = 0; limit <= size + 1; limit += (limit < 200 ? 1 : 97))
        {
          gsize len = 0;
          const guint8 *data = ms_message_peek_raw (message, scratch, limit, &len);

          g_assert_cmpuint (len, ==, MIN (limit, size));
          g_assert_cmpmem (data, len, g_bytes_get_data (raw, NULL), MIN (limit, size));
        }
      g_assert_cmpmem (g_bytes_get_data (ms_message_get_raw (message), NULL), size,
                       g_bytes_get_data (raw, NULL), size);
    }
  g_assert_true (ms_mime_body_contains (ms_mailbox_get_message (inbox, 0), "quetzal"));
  g_assert_true (ms_mime_body_contains (ms_mailbox_get_message (inbox, 0), ">From there"));
  g_assert_false (ms_mime_body_contains (ms_mailbox_get_message (inbox, 0), ">>From there"));
  g_assert_true (ms_mime_body_contains (ms_mailbox_get_message (inbox, 2), "quetzalcoatl"));
  g_assert_false (ms_mime_body_contains (ms_mailbox_get_message (inbox, 2), "in a file"));
  g_clear_object (&store);
  g_clear_object (&kept_store);
  remove_tree (dir);
}

static gsize
count_lines (const GString *text)
{
  gsize lines = 0;

  for (gsize i = 0; i < text->len; i++)
    lines += text->str[i] == '\n';
  return lines;
}

/* A file is scanned a window of a megabyte at a time (read(), not its
 * mapping): messages and From_ lines that cross a window's end, and a
 * message larger than a window, must come out as from one look at the
 * whole file, and so must the line numbers of errors late in the file. */
static void
test_mbox_windows (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.mbox", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *filler = g_strnfill (600, 'w');
  const guint n = 3000;
  MsMailbox *inbox = new_inbox (&store);

  for (guint i = 0; i < n; i++)
    {
      if (i == n / 3)
        {
          /* Larger than a window: 1.5 MB of lines. */
          g_autoptr(GString) big = g_string_new (NULL);
          g_autoptr(GString) big_crlf = g_string_new (NULL);

          for (guint k = 0; k < 90000; k++)
            {
              g_string_append_printf (big, "%s line %u\n", k % 100 == 0 ? ">From" : "big", k);
              g_string_append_printf (big_crlf, "%s line %u\r\n", k % 100 == 0 ? "From" : "big", k);
            }
          g_string_append_printf (text, "From big Mon Mar  3 10:%02u:00 2025\nSubject: %u\n\n%s\n",
                                  i % 60, i, big->str);
          g_ptr_array_add (expected, g_strdup_printf ("Subject: %u\r\n\r\n%s", i, big_crlf->str));
          continue;
        }
      switch (i % 4)
        {
        case 0:   /* LF, with a quoted From_ line */
          g_string_append_printf (text, "From a Mon Mar  3 10:%02u:00 2025\nSubject: %u\n\n%s\n>From here\n\n",
                                  i % 60, i, filler);
          g_ptr_array_add (expected, g_strdup_printf ("Subject: %u\r\n\r\n%s\r\nFrom here\r\n", i, filler));
          break;
        case 1:   /* CRLF */
          g_string_append_printf (text, "From b Mon Mar  3 10:%02u:00 2025\r\nSubject: %u\r\n\r\n%s\r\n\r\n",
                                  i % 60, i, filler);
          g_ptr_array_add (expected, g_strdup_printf ("Subject: %u\r\n\r\n%s\r\n", i, filler));
          break;
        case 2:   /* "From " inside a paragraph: not a new message */
          g_string_append_printf (text, "From c Mon Mar  3 10:%02u:00 2025\nSubject: %u\n\nx\nFrom inside\n%s\n\n",
                                  i % 60, i, filler);
          g_ptr_array_add (expected, g_strdup_printf ("Subject: %u\r\n\r\nx\r\nFrom inside\r\n%s\r\n", i, filler));
          break;
        default:  /* mixed line ends */
          g_string_append_printf (text, "From d Mon Mar  3 10:%02u:00 2025\nSubject: %u\r\n\n%s\n\r\n",
                                  i % 60, i, filler);
          g_ptr_array_add (expected, g_strdup_printf ("Subject: %u\r\n\r\n%s\r\n", i, filler));
          break;
        }
    }
  g_assert_cmpuint (text->len, >, 2 * 1024 * 1024);
  write_file (dir, "big.mbox", text->str, text->len);
  g_assert_true (ms_store_loader_load (inbox, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, n);
  for (guint i = 0; i < n; i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);
      GBytes *raw = ms_message_get_raw (message);
      const char *want = g_ptr_array_index (expected, i);

      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), want, strlen (want));
      g_assert_cmpint (ms_message_get_internal_date (message) % 3600, ==, (gint64) (i % 60) * 60);
    }

  /* Errors past the middle name the line a single scan would. */
  {
    g_autoptr(GString) cut = g_string_new_len (text->str, text->len);
    g_autofree char *where = NULL;

    g_string_append (cut, "From z Mon Mar  3 10:00:00 2025\nSubject: cut\n\nno blank line after\n");
    where = g_strdup_printf ("big.mbox: line %" G_GSIZE_FORMAT ": the last message is not closed", count_lines (cut));
    write_file (dir, "big.mbox", cut->str, cut->len);
    assert_load_fails (path, MS_STORE_ERROR_BAD_FILE, where);
  }
  {
    g_autoptr(GString) empty = g_string_new_len (text->str, text->len);
    g_autofree char *where = NULL;

    g_string_append (empty, "From y Mon Mar  3 10:00:00 2025\n\n");
    where = g_strdup_printf ("big.mbox: line %" G_GSIZE_FORMAT ": a \"From \" line with no message after it",
                             count_lines (empty) - 1);
    g_string_append (empty, "From z Mon Mar  3 10:00:00 2025\nSubject: z\n\nz\n\n");
    write_file (dir, "big.mbox", empty->str, empty->len);
    assert_load_fails (path, MS_STORE_ERROR_BAD_FILE, where);
  }
  g_clear_object (&store);
  remove_tree (dir);
}

/* The benchmark generator's output must load, and its planted words must be
 * exactly where its summary says. */
static void
test_generated_mailbox (void)
{
  g_autoptr(MsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "generated.mbox", NULL);
  g_autofree char *script = g_build_filename (g_getenv ("MS_SOURCE_DIR"), "tests", "bench", "generate-mailbox", NULL);
  g_autofree char *summary = NULL;
  g_autofree char *again = NULL;
  const char *argv[] = { "python3", script, "--count", "300", "--seed", "7", "--out", out, NULL };
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("'quetzalcoatl' in message\\(s\\) ([0-9]+), ([0-9]+), ([0-9]+)", 0, 0, NULL);
  MsMailbox *inbox = new_inbox (&store);
  guint found = 0;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &summary, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", summary);

  g_assert_true (ms_store_loader_load (inbox, out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 300);
  g_assert_true (g_regex_match (regex, summary, 0, &match));
  for (guint i = 0; i < 300; i++)
    if (raw_contains (ms_mailbox_get_message (inbox, i), "quetzalcoatl"))
      {
        g_autofree char *number = g_match_info_fetch (match, ++found);

        g_assert_cmpuint (found, <=, 3);
        g_assert_cmpuint (i + 1, ==, g_ascii_strtoull (number, NULL, 10));
      }
  g_assert_cmpuint (found, ==, 3);

  /* Deterministic: the same seed, the same bytes. */
  {
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    gsize first_len = 0, second_len = 0;

    g_file_get_contents (out, &first, &first_len, &error);
    g_assert_no_error (error);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &again, NULL, &status, &error);
    g_assert_no_error (error);
    g_file_get_contents (out, &second, &second_len, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (first, first_len, second, second_len);
  }
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/loader/eml/round-trip", test_eml_round_trip);
  g_test_add_func ("/store/loader/mbox/round-trip", test_mbox_round_trip);
  g_test_add_func ("/store/loader/mbox/quoting", test_mbox_quoting_writer);
  g_test_add_func ("/store/loader/mbox/bytes", test_mbox_bytes);
  g_test_add_func ("/store/loader/mbox/lazy-forms", test_mbox_lazy_forms);
  g_test_add_func ("/store/loader/mbox/search-in-place", test_mbox_search_in_place);
  g_test_add_func ("/store/loader/mbox/windows", test_mbox_windows);
  g_test_add_func ("/store/loader/maildir/flags", test_maildir_flags);
  g_test_add_func ("/store/loader/mbox/huge-message", test_mbox_huge_message);
  g_test_add_func ("/store/loader/bad-files", test_bad_files);
  g_test_add_func ("/store/loader/sample", test_sample_mailbox);
  g_test_add_func ("/store/loader/generated", test_generated_mailbox);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the messages of an mbox as they are kept in the file
 * (ms-raw-file.c): whole, or a prefix that cuts the last line it needs,
 * a message must read as its bytes with CRLF line ends and its quoted
 * From_ lines unquoted. Random mailboxes with lines of every length around
 * one and two 64-byte blocks (the loader's scan reads 64 bytes at a time),
 * quoted From_ lines (some with more '>'s than a block holds), CRLF and
 * mixed line ends, and bare CRs; read from the file with pread() and from
 * memory. */
#define G_LOG_DOMAIN "test-raw-file"
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ms-store.h"
#include "ms-store-loader.h"

/* How a message's lines end in the file. */
typedef enum {
  ENDS_LF,
  ENDS_CRLF,
  ENDS_MIXED,   /* LF and CRLF, and CRs inside lines */
} LineEnds;

/* A line of random length: mostly short, often around one or two 64-byte
 * blocks, sometimes empty or long. */
static gsize
line_length (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0:
      return 0;
    case 1:
      return g_rand_int_range (rand, 60, 70);
    case 2:
      return g_rand_int_range (rand, 122, 134);
    case 3:
      return g_rand_int_range (rand, 200, 700);
    default:
      return g_rand_int_range (rand, 1, 60);
    }
}

/* One message's lines (without their ends) and how they end in the file;
 * appends the message as the file holds it to @file and returns it as it
 * must read, with CRLF line ends and unquoted. */
static GString *
add_message (GRand   *rand,
             GString *file)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz   ,.F>";
  LineEnds ends = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, ENDS_LF, ENDS_MIXED + 1) : ENDS_LF;
  guint n_lines = g_rand_int_range (rand, 1, 120);
  gboolean quotes = g_rand_int_range (rand, 0, 3) == 0;
  GString *expected = g_string_new (NULL);

  g_string_append (file, "From sender Mon Mar  3 10:00:00 2025\n");
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      gsize len = line_length (rand);
      gboolean final = i + 1 == n_lines;

      /* In some messages, lines that look like From_ lines, quoted or not
       * (a few with a '>' for every place of a block): the file holds them
       * with one '>' more. */
      if (quotes && g_rand_int_range (rand, 0, 12) == 0)
        {
          gsize n_gt = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 56, 140)
                                                           : g_rand_int_range (rand, 0, 4);

          for (gsize k = 0; k < n_gt; k++)
            g_string_append_c (line, '>');
          g_string_append (line, "From ");
        }
      while (line->len < len)
        g_string_append_c (line, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
      if (final && line->len == 0)
        g_string_append_c (line, 'z');   /* a blank last line would belong to the separator */
      if (ends == ENDS_MIXED && line->len > 2 && g_rand_int_range (rand, 0, 4) == 0)
        {
          /* A bare CR (before a letter, so that it never makes a From_
           * line): it reads as a line end of its own. */
          gsize at = g_rand_int_range (rand, 1, line->len);

          line->str[at] = 'q';
          g_string_insert_c (line, at, '\r');
        }

      {
        const char *text = line->str;
        gsize i_gt = 0;

        while (text[i_gt] == '>')
          i_gt++;
        if (strncmp (text + i_gt, "From ", 5) == 0)
          g_string_append_c (file, '>');
      }
      g_string_append_len (file, line->str, line->len);
      for (gsize k = 0; k < line->len; k++)
        {
          if (line->str[k] == '\r')
            g_string_append (expected, "\r\n");
          else
            g_string_append_c (expected, line->str[k]);
        }
      if (ends == ENDS_CRLF || (ends == ENDS_MIXED && g_rand_boolean (rand)))
        g_string_append_c (file, '\r');
      g_string_append_c (file, '\n');
      g_string_append (expected, "\r\n");
    }
  g_string_append_c (file, '\n');
  return expected;
}

static void
free_string (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
assert_reads (MsMailbox *inbox,
              GPtrArray *expected)
{
  g_autoptr(GByteArray) scratch = g_byte_array_new ();

  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      MsMessage *message = ms_mailbox_get_message (inbox, i);
      const GString *want = g_ptr_array_index (expected, i);
      gsize size = ms_message_get_size (message);

      g_assert_cmpuint (size, ==, want->len);
      /* Prefixes first (nothing is kept by them): every short one, then
       * some longer. */
      for (gsize limit = 0; limit <= size + 1; limit += limit < 260 || limit + 2 > size ? 1 : 97)
        {
          gsize len = 0;
          const guint8 *data = ms_message_peek_raw (message, scratch, limit, &len);

          /* A slice of a CRLF file comes whole. */
          g_assert_cmpuint (len, >=, MIN (limit, size));
          g_assert_cmpuint (len, <=, size);
          g_assert_cmpmem (data, len, want->str, len);
        }
      g_assert_cmpmem (g_bytes_get_data (ms_message_get_raw (message), NULL), size, want->str, want->len);
    }
}

static void
test_random_mailboxes (void)
{
  for (guint32 seed = 1; seed <= 12; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GString) file = g_string_new (NULL);
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (free_string);
      guint n = g_rand_int_range (rand, 1, 40);
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("ms-test-raw-file-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "random.mbox", NULL);

      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (expected, add_message (rand, file));
      g_file_set_contents (path, file->str, file->len, &error);
      g_assert_no_error (error);

      /* From the file (read with pread()), and from memory. */
      {
        g_autoptr(MsStore) store = ms_store_new ();
        MsMailbox *inbox = ms_account_get_inbox (ms_store_add_account (store, "alice", "wonderland", NULL));

        g_assert_true (ms_store_loader_load (inbox, path, &error));
        g_assert_no_error (error);
        assert_reads (inbox, expected);
      }
      {
        g_autoptr(MsStore) store = ms_store_new ();
        MsMailbox *inbox = ms_account_get_inbox (ms_store_add_account (store, "alice", "wonderland", NULL));
        g_autoptr(GBytes) bytes = g_bytes_new (file->str, file->len);

        g_assert_true (ms_store_loader_load_mbox_bytes (inbox, bytes, "random.mbox", &error));
        g_assert_no_error (error);
        assert_reads (inbox, expected);
      }
      g_unlink (path);
      g_rmdir (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/raw-file/random-mailboxes", test_random_mailboxes);
  return g_test_run ();
}

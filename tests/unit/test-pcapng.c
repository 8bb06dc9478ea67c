/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pcapng"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ms-pcapng-writer.h"

#define LAPTOP 0x7f000002u
#define SERVER 0x7f000001u

static void
add_text (MsPcapngWriter *writer,
          guint           conn,
          gboolean        to_server,
          const char     *text,
          gint64          time_us,
          const char     *comment)
{
  ms_pcapng_writer_add_data (writer, conn, to_server, (const guint8 *) text, strlen (text), time_us, comment);
}

static GBytes *
build_capture (void)
{
  g_autoptr(MsPcapngWriter) writer = ms_pcapng_writer_new ();
  g_autoptr(GString) big = g_string_new ("+OK 4000 octets\r\n");
  guint pop, imap;

  pop = ms_pcapng_writer_open_connection (writer, LAPTOP, 40001, SERVER, 110, 0, "The laptop connects to port 110");
  add_text (writer, pop, FALSE, "+OK POP3 ready\r\n", 1000, NULL);
  add_text (writer, pop, TRUE, "USER alice\r\n", 2000, "The user name crosses in plain text");
  add_text (writer, pop, FALSE, "+OK\r\n", 3000, NULL);
  add_text (writer, pop, TRUE, "RETR 1\r\n", 4000, NULL);
  /* Longer than one segment, so the message spans several frames. */
  for (guint i = 0; i < 100; i++)
    g_string_append (big, "This line fills the message up to forty bytes.\r\n");
  g_string_append (big, ".\r\n");
  add_text (writer, pop, FALSE, big->str, 5000, "The whole message comes down");
  add_text (writer, pop, TRUE, "QUIT\r\n", 6000, NULL);
  add_text (writer, pop, FALSE, "+OK bye\r\n", 7000, NULL);
  ms_pcapng_writer_close_connection (writer, pop, FALSE, 8000);

  imap = ms_pcapng_writer_open_connection (writer, 0x7f000003u, 40002, SERVER, 143, 9000, NULL);
  add_text (writer, imap, FALSE, "* OK IMAP ready\r\n", 10000, NULL);
  add_text (writer, imap, TRUE, "a1 LOGIN alice wonderland\r\n", 11000, NULL);
  add_text (writer, imap, FALSE, "a1 OK done\r\n", 12000, NULL);
  ms_pcapng_writer_reset_connection (writer, imap, TRUE, 13000, "The network dropped the connection");
  ms_pcapng_writer_add_keylog (writer, "CLIENT_RANDOM 00 11");
  return ms_pcapng_writer_finish (writer);
}

static guint32
read_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return v;
}

static void
test_blocks (void)
{
  g_autoptr(GBytes) capture = build_capture ();
  gsize len;
  const guint8 *data = g_bytes_get_data (capture, &len);
  guint n_blocks = 0, n_packets = 0, n_secrets = 0;
  gsize off = 0;

  g_assert_cmpuint (read_u32 (data), ==, 0x0A0D0D0Au);
  while (off < len)
    {
      guint32 type = read_u32 (data + off);
      guint32 total = read_u32 (data + off + 4);

      g_assert_cmpuint (total % 4, ==, 0);
      g_assert_cmpuint (off + total, <=, len);
      /* The length is repeated at the end of every block. */
      g_assert_cmpuint (read_u32 (data + off + total - 4), ==, total);
      if (type == 6)
        n_packets++;
      if (type == 0x0A)
        {
          g_assert_cmpuint (n_packets, ==, 0);  /* secrets come before the packets */
          n_secrets++;
        }
      n_blocks++;
      off += total;
    }
  g_assert_cmpuint (off, ==, len);
  g_assert_cmpuint (n_secrets, ==, 1);
  /* POP3: 3 handshake, 6 segments + 6 ACKs for the short lines, 4 segments
   * (4,823 octets at 1,460 each) + 1 ACK for the message, 3 for the close;
   * IMAP: 3 + 3 * 2 + 1 reset. */
  g_assert_cmpuint (n_packets, ==, 3 + 12 + 5 + 3 + 3 + 6 + 1);
}

static void
test_deterministic (void)
{
  g_autoptr(GBytes) a = build_capture ();
  g_autoptr(GBytes) b = build_capture ();

  g_assert_true (g_bytes_equal (a, b));
}

static void
test_tshark_dissects (void)
{
  g_autoptr(GBytes) capture = build_capture ();
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  int fd, status;

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }
  fd = g_file_open_tmp ("ms-test-XXXXXX.pcapng", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (capture, NULL), g_bytes_get_size (capture), &error));

  {
    const char *argv[] = { tshark, "-n", "-r", path, "-T", "fields", "-E", "separator=|",
                           "-e", "frame.comment", "-e", "pop.request.command", "-e", "imap.request",
                           "-e", "tcp.analysis.flags", "-e", "_ws.expert.message", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "The laptop connects to port 110"));
  g_assert_nonnull (strstr (out, "The whole message comes down"));
  g_assert_nonnull (strstr (out, "|USER|"));
  g_assert_nonnull (strstr (out, "|RETR|"));
  g_assert_nonnull (strstr (out, "a1 LOGIN alice wonderland"));
  /* Sequence numbers are right: Wireshark sees no lost segments or retransmissions. */
  g_assert_null (strstr (out, "Previous segment"));
  g_assert_null (strstr (out, "retransmission"));
  g_assert_null (strstr (out, "Malformed"));
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/pcapng/blocks", test_blocks);
  g_test_add_func ("/export/pcapng/deterministic", test_deterministic);
  g_test_add_func ("/export/pcapng/tshark-dissects", test_tshark_dissects);

  return g_test_run ();
}

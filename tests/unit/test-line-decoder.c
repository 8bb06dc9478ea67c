/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-line-decoder"
#include "config.h"

#include <string.h>

#include "ms-line-decoder.h"

/* The transcript's view of a byte stream, fed one byte at a time so that
 * every split of a line or a literal between two chunks is exercised. */
static GPtrArray *
decode_bytewise (const char *protocol,
                 gboolean    expect_data,
                 const char *input)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  MsLineDecoder dec;

  ms_line_decoder_init (&dec);
  if (expect_data)
    ms_line_decoder_expect_data (&dec);
  for (gsize i = 0; i < strlen (input); i++)
    ms_line_decoder_feed (&dec, protocol, (const guint8 *) input + i, 1, lines);
  ms_line_decoder_clear (&dec);
  return lines;
}

static void
test_decoder_literal_bytewise (void)
{
  g_autoptr(GPtrArray) lines =
    decode_bytewise ("imap", FALSE, "* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\na1 OK done\r\n");

  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "* 1 FETCH (UID 7 BODY[] {5}");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "{5 bytes}");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "  )");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "a1 OK done");
}

/* The message "Hi\r\n.dot\r\n" is 10 octets: that is what RFC 1939 puts in
 * "+OK 10 octets" and what the transcript shows. The wire carries 11 before
 * the terminator, because the line ".dot" goes out as "..dot". */
static void
test_decoder_dot_data (void)
{
  g_autoptr(GPtrArray) lines =
    decode_bytewise ("pop3", TRUE, "+OK 10 octets\r\nHi\r\n..dot\r\n.\r\n+OK next\r\n");

  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "+OK 10 octets");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==,
                   "{10 bytes of message data; 11 on the wire, 1 line with \".\" doubled}");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, ".");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "+OK next");
}

static void
test_decoder_dot_data_unstuffed (void)
{
  g_autoptr(GPtrArray) lines =
    decode_bytewise ("pop3", TRUE, "+OK 11 octets\r\nHi\r\nthere\r\n.\r\n");

  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "{11 bytes of message data}");
}

/* Two stuffed lines, one of them a lone "." of the message (sent as ".."),
 * which must not end the data. */
static void
test_decoder_dot_data_lone_dot (void)
{
  g_autoptr(GPtrArray) lines =
    decode_bytewise ("pop3", TRUE, "+OK 11 octets\r\n..\r\nab\r\n...\r\n.\r\n");

  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==,
                   "{11 bytes of message data; 13 on the wire, 2 lines with \".\" doubled}");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, ".");
}

static void
test_decoder_err_opens_no_data (void)
{
  g_autoptr(GPtrArray) lines =
    decode_bytewise ("pop3", TRUE, "-ERR No such message\r\n+OK 0 0\r\n");

  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "+OK 0 0");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/decoder/literal-bytewise", test_decoder_literal_bytewise);
  g_test_add_func ("/sim/decoder/dot-data", test_decoder_dot_data);
  g_test_add_func ("/sim/decoder/dot-data-unstuffed", test_decoder_dot_data_unstuffed);
  g_test_add_func ("/sim/decoder/dot-data-lone-dot", test_decoder_dot_data_lone_dot);
  g_test_add_func ("/sim/decoder/err-opens-no-data", test_decoder_err_opens_no_data);
  return g_test_run ();
}

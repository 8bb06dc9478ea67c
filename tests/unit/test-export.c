/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"
#include "config.h"

#include <glib/gstdio.h>

#include "ms-export-private.h"

#define MASK MS_EXPORT_MASK

/* Each case is a sequence of client lines on one connection, so that the
 * SASL responses sent on their own line are checked in context. */
static void
test_redact_lines (void)
{
  static const struct {
    const char *in;
    const char *out;
  } table[] = {
    { "USER alice", "USER alice" },
    { "PASS wonderland", "PASS " MASK },
    { "pass with spaces in it", "pass " MASK },
    { "PASS", "PASS" },
    { "APOP alice c4c9334bac560ecc979e58001b3e22fb", "APOP alice c4c9334bac560ecc979e58001b3e22fb" },
    { "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "AUTH PLAIN " MASK },
    { "AUTH PLAIN", "AUTH PLAIN" },
    { "AGFsaWNlAHdvbmRlcmxhbmQ=", MASK },
    { "STAT", "STAT" },
    { "AUTH LOGIN", "AUTH LOGIN" },
    { "YWxpY2U=", MASK },
    { "d29uZGVybGFuZA==", MASK },
    { "NOOP", "NOOP" },
    { "AUTH PLAIN", "AUTH PLAIN" },
    { "*", "*" },
    { "LIST", "LIST" },
    { "a1 LOGIN alice wonderland", "a1 LOGIN alice " MASK },
    { "a2 login \"alice smith\" \"won der\"", "a2 login \"alice smith\" " MASK },
    { "a3 LOGIN \"al\\\"ice\" x", "a3 LOGIN \"al\\\"ice\" " MASK },
    { "a4 AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "a4 AUTHENTICATE PLAIN " MASK },
    { "a5 AUTHENTICATE PLAIN", "a5 AUTHENTICATE PLAIN" },
    { "AGFsaWNlAHdvbmRlcmxhbmQ=", MASK },
    { "a6 SELECT INBOX", "a6 SELECT INBOX" },
    { "a7 LOGIN", "a7 LOGIN" },
  };
  g_autoptr(MsRedactor) redactor = ms_redactor_new (TRUE);
  g_autoptr(MsRedactor) off = ms_redactor_new (FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *got = ms_redactor_line (redactor, 1, MS_DIRECTION_TO_SERVER, table[i].in);
      g_autofree char *same = ms_redactor_line (off, 1, MS_DIRECTION_TO_SERVER, table[i].in);

      g_assert_cmpstr (got, ==, table[i].out);
      g_assert_cmpstr (same, ==, table[i].in);
    }
}

static void
test_redact_server_and_connections (void)
{
  g_autoptr(MsRedactor) redactor = ms_redactor_new (TRUE);
  g_autofree char *server = ms_redactor_line (redactor, 1, MS_DIRECTION_TO_CLIENT, "PASS wonderland");
  g_autofree char *start = ms_redactor_line (redactor, 1, MS_DIRECTION_TO_SERVER, "AUTH PLAIN");
  /* Another connection's next line is not the first one's SASL response. */
  g_autofree char *other = ms_redactor_line (redactor, 2, MS_DIRECTION_TO_SERVER, "STAT");
  g_autofree char *response = ms_redactor_line (redactor, 1, MS_DIRECTION_TO_SERVER, "AGFsaWNl");

  g_assert_cmpstr (server, ==, "PASS wonderland");
  g_assert_cmpstr (start, ==, "AUTH PLAIN");
  g_assert_cmpstr (other, ==, "STAT");
  g_assert_cmpstr (response, ==, MASK);
}

/* The capture redacts raw bytes: line endings and partial lines survive. */
static void
test_redact_bytes (void)
{
  static const struct {
    const char *in;
    const char *out;
  } table[] = {
    { "PASS wonderland\r\n", "PASS " MASK "\r\n" },
    { "USER alice\r\nPASS wonderland\r\nSTAT\r\n", "USER alice\r\nPASS " MASK "\r\nSTAT\r\n" },
    { "a1 LOGIN alice secret\n", "a1 LOGIN alice " MASK "\n" },
    { "PASS wonder", "PASS wonder" },   /* no end of line yet: not a command */
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(MsRedactor) redactor = ms_redactor_new (TRUE);
      g_autoptr(GBytes) in = g_bytes_new_static (table[i].in, strlen (table[i].in));
      g_autoptr(GBytes) out = ms_redactor_bytes (redactor, 1, MS_DIRECTION_TO_SERVER, in);
      const char *data = g_bytes_get_data (out, NULL);
      g_autofree char *text = g_strndup (data != NULL ? data : "", g_bytes_get_size (out));

      g_assert_cmpstr (text, ==, table[i].out);
    }
}

static void
test_format_for_path (void)
{
  static const struct {
    const char     *path;
    MsExportFormat  format;
  } table[] = {
    { "a.txt", MS_EXPORT_FORMAT_TEXT },
    { "/x/y/Handout.MD", MS_EXPORT_FORMAT_MARKDOWN },
    { "a.html", MS_EXPORT_FORMAT_HTML },
    { "a.htm", MS_EXPORT_FORMAT_HTML },
    { "a.json", MS_EXPORT_FORMAT_JSON },
    { "a.pcapng", MS_EXPORT_FORMAT_PCAPNG },
    { "a.png", MS_EXPORT_FORMAT_PNG },
    { "a.svg", MS_EXPORT_FORMAT_SVG },
    { "a.pdf", MS_EXPORT_FORMAT_PDF },
    { "a.pcap", MS_EXPORT_FORMAT_UNKNOWN },
    { "txt", MS_EXPORT_FORMAT_UNKNOWN },
    { "a.txt.doc", MS_EXPORT_FORMAT_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpint (ms_export_format_for_path (table[i].path), ==, table[i].format);
      g_assert_cmpint (ms_export_is_supported (table[i].path), ==,
                       table[i].format != MS_EXPORT_FORMAT_UNKNOWN);
    }
}

static void
test_teaching_summaries (void)
{
  static const char * const ids[] = {
    "T01", "T02", "T03", "T10", "T11", "T12", "T13", "T14", "T20", "T21", "T22", "T30", "T31",
    "T32", "T40", "T41", "T50", "T51", "T52", "T60", "T61", "T62", "T70", "T71", "T80", "T81",
    "T82", "T90", "T91", "T92", "M1", "M2", "M3", "M4", "M5", "M6",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const char *summary = ms_export_teaching_summary (ids[i]);

      g_assert_nonnull (summary);
      g_assert_cmpuint (strlen (summary), <, 100);
    }
  g_assert_null (ms_export_teaching_summary ("T99"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/redact/lines", test_redact_lines);
  g_test_add_func ("/export/redact/server-and-connections", test_redact_server_and_connections);
  g_test_add_func ("/export/redact/bytes", test_redact_bytes);
  g_test_add_func ("/export/format-for-path", test_format_for_path);
  g_test_add_func ("/export/teaching-summaries", test_teaching_summaries);
  return g_test_run ();
}

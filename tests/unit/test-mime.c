/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ms-mime against hand-written messages. The expected ENVELOPE, BODY and
 * BODYSTRUCTURE strings and section bytes are the answers Debian's Dovecot
 * 2.3.19 gave for the same messages (tests/interop/mime_vs_dovecot.py keeps
 * checking the wider set against a live Dovecot). */
#define G_LOG_DOMAIN "test-mime"
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ms-mime.h"
#include "ms-mime-private.h"
#include "ms-store.h"

/* Messages are written with LF; the store keeps CRLF, as ms_message() makes. */
static const char simple_text[] =
  "From: Fred Foobar <foobar@example.com>\n"
  "To: \"Joe Q. Public\" <joe@example.org>, Group: a@example.org, b@example.org;\n"
  "Subject: =?ISO-8859-1?Q?Caf=E9?= meeting\n"
  "Date: Mon, 7 Feb 1994 21:52:25 -0800\n"
  "Message-ID: <1@example.com>\n"
  "\n"
  "Hello Joe, do you think we can meet at 3:30 tomorrow?\n";

static const char alternative[] =
  "From: a@example.org\n"
  "Subject: alt\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/alternative; boundary=\"b1\"\n"
  "\n"
  "--b1\n"
  "Content-Type: text/plain; charset=utf-8\n"
  "Content-Transfer-Encoding: quoted-printable\n"
  "\n"
  "Caf=C3=A9 at noon\n"
  "--b1\n"
  "Content-Type: text/html; charset=utf-8\n"
  "\n"
  "<p>Caf&eacute;</p>\n"
  "--b1--\n";

static const char mixed[] =
  "From: a@example.org\n"
  "Subject: attachment\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=m\n"
  "\n"
  "--m\n"
  "Content-Type: text/plain; charset=iso-8859-1\n"
  "Content-Transfer-Encoding: base64\n"
  "\n"
  "R3L832UgYXVzIEv2bG4K\n"
  "--m\n"
  "Content-Type: application/pdf; name=\"a.pdf\"\n"
  "Content-Disposition: attachment; filename=\"a.pdf\"\n"
  "Content-Transfer-Encoding: base64\n"
  "\n"
  "JVBERi0xLjQK\n"
  "--m\n"
  "Content-Type: message/rfc822\n"
  "\n"
  "From: inner@example.org\n"
  "Subject: inner\n"
  "\n"
  "mushroom\n"
  "--m--\n";

static const char missing_headers[] =
  "X-Only: header\n"
  "\n"
  "body\n";

static const char eight_bit[] =
  "From: J\xc3\xbcrgen <j@example.de>\n"
  "Subject: Gr\xc3\xbc\xc3\x9f" "e  aus\tK\xc3\xb6ln\n"
  "Cc: \"Quote \\\"Me\\\" \\\\ back\" <q@example.org>, nodomain\n"
  "Content-Type: text/plain; charset=utf-8\n"
  "Content-Transfer-Encoding: 8bit\n"
  "\n"
  "Viele Gr\xc3\xbc\xc3\x9f" "e!\n";

static MsStore *store;
static MsMailbox *inbox;

static MsMessage *
message_new (const char *text)
{
  g_autoptr(GBytes) lf = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) crlf = ms_store_normalize_crlf (lf);

  return ms_mailbox_append (inbox, crlf, MS_FLAG_NONE, NULL, 0, 0);
}

typedef struct {
  const char *name;
  const char *message;
  const char *envelope;
  const char *bodystructure;
  const char *body;
} StructureCase;

static const StructureCase structure_cases[] = {
  { "simple-text-rfc2047-group", simple_text,
    "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"=?ISO-8859-1?Q?Caf=E9?= meeting\" "
    "((\"Fred Foobar\" NIL \"foobar\" \"example.com\")) ((\"Fred Foobar\" NIL \"foobar\" \"example.com\")) "
    "((\"Fred Foobar\" NIL \"foobar\" \"example.com\")) ((\"Joe Q. Public\" NIL \"joe\" \"example.org\")"
    "(NIL NIL \"Group\" NIL)(NIL NIL \"a\" \"example.org\")(NIL NIL \"b\" \"example.org\")(NIL NIL NIL NIL)) "
    "NIL NIL NIL \"<1@example.com>\")",
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 55 1 NIL NIL NIL NIL)",
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 55 1)" },
  { "alternative-qp", alternative,
    "(NIL \"alt\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) "
    "((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL)",
    "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 17 0 NIL NIL NIL NIL)"
    "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 18 0 NIL NIL NIL NIL) "
    "\"alternative\" (\"boundary\" \"b1\") NIL NIL NIL)",
    "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 17 0)"
    "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 18 0) \"alternative\")" },
  { "mixed-base64-attachment-rfc822", mixed,
    "(NIL \"attachment\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) "
    "((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL)",
    "((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"base64\" 20 0 NIL NIL NIL NIL)"
    "(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 12 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL)"
    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 51 (NIL \"inner\" ((NIL NIL \"inner\" \"example.org\")) "
    "((NIL NIL \"inner\" \"example.org\")) ((NIL NIL \"inner\" \"example.org\")) NIL NIL NIL NIL NIL) "
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "
    "\"mixed\" (\"boundary\" \"m\") NIL NIL NIL)",
    "((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"base64\" 20 0)"
    "(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 12)"
    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 51 (NIL \"inner\" ((NIL NIL \"inner\" \"example.org\")) "
    "((NIL NIL \"inner\" \"example.org\")) ((NIL NIL \"inner\" \"example.org\")) NIL NIL NIL NIL NIL) "
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 0) 3) \"mixed\")" },
  { "missing-headers", missing_headers,
    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1 NIL NIL NIL NIL)",
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1)" },
  /* 8-bit text and quotes become literals; whitespace in the subject is
   * collapsed; an address without a domain is marked. */
  { "eight-bit-literals", eight_bit,
    "(NIL {17}\r\nGr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln (({7}\r\nJ\xc3\xbcrgen NIL \"j\" \"example.de\")) "
    "(({7}\r\nJ\xc3\xbcrgen NIL \"j\" \"example.de\")) (({7}\r\nJ\xc3\xbcrgen NIL \"j\" \"example.de\")) NIL "
    "(({17}\r\nQuote \"Me\" \\ back NIL \"q\" \"example.org\")(NIL NIL \"nodomain\" \"MISSING_DOMAIN\")) NIL NIL NIL)",
    "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 16 1 NIL NIL NIL NIL)",
    "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 16 1)" },
};

static void
test_structure (gconstpointer data)
{
  const StructureCase *c = data;
  MsMessage *message = message_new (c->message);
  g_autofree char *envelope = ms_mime_envelope (message);
  g_autofree char *bodystructure = ms_mime_bodystructure (message, TRUE);
  g_autofree char *body = ms_mime_bodystructure (message, FALSE);

  g_assert_cmpstr (envelope, ==, c->envelope);
  g_assert_cmpstr (bodystructure, ==, c->bodystructure);
  g_assert_cmpstr (body, ==, c->body);
  /* The second answer comes from the cached parts and must not differ. */
  {
    g_autofree char *again = ms_mime_bodystructure (message, TRUE);

    g_assert_cmpstr (again, ==, c->bodystructure);
  }
}

typedef struct {
  const char        *name;
  const char        *message;
  guint              n_parts;
  guint              parts[4];
  MsMimeSectionKind  kind;
  const char        *fields;     /* space separated */
  const char        *expected;   /* with CRLF */
} SectionCase;

static const SectionCase section_cases[] = {
  { "header", missing_headers, 0, { 0 }, MS_MIME_SECTION_HEADER, NULL, "X-Only: header\r\n\r\n" },
  { "text", missing_headers, 0, { 0 }, MS_MIME_SECTION_TEXT, NULL, "body\r\n" },
  { "single-part-1", missing_headers, 1, { 1 }, MS_MIME_SECTION_ALL, NULL, "body\r\n" },
  { "single-part-1.1-is-empty", missing_headers, 2, { 1, 1 }, MS_MIME_SECTION_ALL, NULL, "" },
  { "single-part-1.mime-is-header", missing_headers, 1, { 1 }, MS_MIME_SECTION_MIME, NULL, "X-Only: header\r\n\r\n" },
  { "fields-none-match", missing_headers, 0, { 0 }, MS_MIME_SECTION_HEADER_FIELDS, "Subject", "\r\n" },
  { "fields", simple_text, 0, { 0 }, MS_MIME_SECTION_HEADER_FIELDS, "subject FROM",
    "From: Fred Foobar <foobar@example.com>\r\nSubject: =?ISO-8859-1?Q?Caf=E9?= meeting\r\n\r\n" },
  { "fields-not", alternative, 0, { 0 }, MS_MIME_SECTION_HEADER_FIELDS_NOT, "Content-Type MIME-Version",
    "From: a@example.org\r\nSubject: alt\r\n\r\n" },
  { "part-1", alternative, 1, { 1 }, MS_MIME_SECTION_ALL, NULL, "Caf=C3=A9 at noon" },
  { "part-2-mime", alternative, 1, { 2 }, MS_MIME_SECTION_MIME, NULL, "Content-Type: text/html; charset=utf-8\r\n\r\n" },
  { "missing-part", alternative, 1, { 3 }, MS_MIME_SECTION_ALL, NULL, "" },
  { "rfc822-text", mixed, 1, { 3 }, MS_MIME_SECTION_TEXT, NULL, "mushroom" },
  { "rfc822-header", mixed, 1, { 3 }, MS_MIME_SECTION_HEADER, NULL,
    "From: inner@example.org\r\nSubject: inner\r\n\r\n" },
  { "rfc822-mime", mixed, 1, { 3 }, MS_MIME_SECTION_MIME, NULL, "Content-Type: message/rfc822\r\n\r\n" },
  { "rfc822-1-is-its-body", mixed, 2, { 3, 1 }, MS_MIME_SECTION_ALL, NULL, "mushroom" },
  { "text-of-a-leaf-is-empty", mixed, 1, { 1 }, MS_MIME_SECTION_TEXT, NULL, "" },
  { "header-fields-of-rfc822", mixed, 1, { 3 }, MS_MIME_SECTION_HEADER_FIELDS, "Subject", "Subject: inner\r\n\r\n" },
};

static void
test_section (gconstpointer data)
{
  const SectionCase *c = data;
  MsMessage *message = message_new (c->message);
  MsMimeSection section = { 0 };
  g_auto(GStrv) fields = c->fields ? g_strsplit (c->fields, " ", -1) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *got = NULL;

  section.n_parts = c->n_parts;
  memcpy (section.parts, c->parts, sizeof c->parts);
  section.kind = c->kind;
  section.fields = (const char * const *) fields;
  bytes = ms_mime_get_section (message, &section, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  got = g_bytes_get_size (bytes) > 0 ?
    g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
  g_assert_cmpstr (got, ==, c->expected);
}

static void
test_section_whole (void)
{
  MsMessage *message = message_new (alternative);
  MsMimeSection section = { 0 };
  g_autoptr(GBytes) bytes = ms_mime_get_section (message, &section, NULL);

  g_assert_true (g_bytes_equal (bytes, ms_message_get_raw (message)));
}

static void
test_section_mime_needs_part (void)
{
  MsMessage *message = message_new (alternative);
  MsMimeSection section = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  section.kind = MS_MIME_SECTION_MIME;
  bytes = ms_mime_get_section (message, &section, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

typedef struct {
  const char *name;
  const char *message;
  const char *field;     /* NULL: BODY search; "*": TEXT search */
  const char *needle;
  gboolean    found;
} SearchCase;

static const SearchCase search_cases[] = {
  { "header-decoded-2047", simple_text, "Subject", "café", TRUE },
  { "header-case", simple_text, "subject", "MEETING", TRUE },
  { "header-other-field", simple_text, "From", "meeting", FALSE },
  { "header-any-field", simple_text, "", "joe q.", TRUE },
  { "header-empty-needle-present", simple_text, "Message-ID", "", TRUE },
  { "header-empty-needle-absent", simple_text, "Cc", "", FALSE },
  { "body-plain", simple_text, NULL, "3:30 TOMORROW", TRUE },
  { "body-not-header", simple_text, NULL, "Foobar", FALSE },
  { "body-quoted-printable-utf8", alternative, NULL, "CAFÉ AT", TRUE },
  { "body-qp-raw-is-not-text", alternative, NULL, "=C3=A9", FALSE },
  { "body-base64-latin1", mixed, NULL, "grüße aus köln", TRUE },
  { "body-not-attachment", mixed, NULL, "PDF-1.4", FALSE },
  { "body-in-attached-message", mixed, NULL, "mushroom", TRUE },
  { "text-header", mixed, "*", "attachment", TRUE },
  { "text-body", mixed, "*", "Mushroom", TRUE },
  { "text-nowhere", mixed, "*", "noodle", FALSE },
};

static void
test_search (gconstpointer data)
{
  const SearchCase *c = data;
  MsMessage *message = message_new (c->message);
  gboolean found;

  if (c->field == NULL)
    found = ms_mime_body_contains (message, c->needle);
  else if (strcmp (c->field, "*") == 0)
    found = ms_mime_text_contains (message, c->needle);
  else
    found = ms_mime_header_contains (message, c->field, c->needle);
  g_assert_cmpint (found, ==, c->found);
}

static void
test_sent_date_and_header (void)
{
  MsMessage *message = message_new (simple_text);
  MsMessage *undated = message_new (missing_headers);
  g_autofree char *subject = ms_mime_get_header (message, "subject");
  g_autofree char *from = ms_mime_get_header (message, "From");
  g_autofree char *none = ms_mime_get_header (undated, "Subject");

  /* Mon, 7 Feb 1994 21:52:25 -0800 is 1994-02-08 05:52:25 UTC. */
  g_assert_cmpint (ms_mime_get_sent_date (message), ==, 760686745);
  g_assert_cmpint (ms_mime_get_sent_date (undated), ==, -1);
  g_assert_cmpstr (subject, ==, "Café meeting");
  g_assert_cmpstr (from, ==, "Fred Foobar <foobar@example.com>");
  g_assert_null (none);
}

/* The in-place search: anchors at either end, case, and near misses. */
static void
test_memcasemem (void)
{
  static const struct { const char *hay, *needle; gboolean found; } cases[] = {
    { "Zebra at the start", "zEBRA", TRUE },
    { "at the end: zebrA", "ZEBRA", TRUE },
    { "zebr zebr zebr", "zebra", FALSE },
    { "lazy lazy lazy zebra", "Zebra", TRUE },
    { "short", "longer than the text", FALSE },
    { "anything", "", TRUE },
    { "x-y.z 42!", "Y.Z 4", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ms_mime_memcasemem ((const guint8 *) cases[i].hay, strlen (cases[i].hay),
                                         cases[i].needle, strlen (cases[i].needle)), ==, cases[i].found);
}

/* A message cut at every byte must still give well-formed answers (and the
 * sanitizers see every offset the parser computes). */
static void
test_truncated (void)
{
  for (gsize n = 0; n <= strlen (mixed); n++)
    {
      g_autofree char *text = g_strndup (mixed, n);
      MsMessage *message = message_new (text);
      g_autofree char *envelope = ms_mime_envelope (message);
      g_autofree char *bodystructure = ms_mime_bodystructure (message, TRUE);

      g_assert_true (envelope[0] == '(' && envelope[strlen (envelope) - 1] == ')');
      g_assert_true (bodystructure[0] == '(' && bodystructure[strlen (bodystructure) - 1] == ')');
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  store = ms_store_new ();
  inbox = ms_account_get_inbox (ms_store_add_account (store, "alice", "wonderland", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (structure_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mime/structure/%s", structure_cases[i].name);
      g_test_add_data_func (path, &structure_cases[i], test_structure);
    }
  for (guint i = 0; i < G_N_ELEMENTS (section_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mime/section/%s", section_cases[i].name);
      g_test_add_data_func (path, &section_cases[i], test_section);
    }
  g_test_add_func ("/mime/section/whole", test_section_whole);
  g_test_add_func ("/mime/section/mime-needs-part", test_section_mime_needs_part);
  for (guint i = 0; i < G_N_ELEMENTS (search_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mime/search/%s", search_cases[i].name);
      g_test_add_data_func (path, &search_cases[i], test_search);
    }
  g_test_add_func ("/mime/header/sent-date-and-display", test_sent_date_and_header);
  g_test_add_func ("/mime/parser/truncated", test_truncated);
  g_test_add_func ("/mime/search/memcasemem", test_memcasemem);

  status = g_test_run ();
  g_clear_object (&store);
  return status;
}

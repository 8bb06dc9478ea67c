/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-imap-parser"
#include "config.h"

#include <string.h>

#include "ms-imap-parser.h"
#include "ms-imap-utf7.h"

/* Feeds input one byte at a time and records what the parser says, as a
 * compact string: "R:<dump>" for a ready command, "C" for a continuation
 * request, "E:<tag>:<code>:<fatal>" for an error. */
static void
dump_args (GString   *out,
           GPtrArray *args)
{
  for (guint i = 0; i < args->len; i++)
    {
      MsImapArg *arg = g_ptr_array_index (args, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      switch (arg->type)
        {
        case MS_IMAP_ARG_ATOM:    g_string_append_printf (out, "a<%s>", arg->str); break;
        case MS_IMAP_ARG_STRING:  g_string_append_printf (out, "s<%s>", arg->str); break;
        case MS_IMAP_ARG_LITERAL: g_string_append_printf (out, "l<%s>", arg->str); break;
        case MS_IMAP_ARG_NIL:     g_string_append (out, "NIL"); break;
        case MS_IMAP_ARG_LIST:
          g_string_append_c (out, '(');
          dump_args (out, arg->list);
          g_string_append_c (out, ')');
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static char *
run (MsImapParser *parser,
     const char   *input,
     gsize         len,
     gboolean      byte_at_a_time)
{
  GString *out = g_string_new (NULL);
  gsize pos = 0;

  while (pos < len)
    {
      gsize used = 0;
      gsize chunk = byte_at_a_time ? 1 : len - pos;
      MsImapParseResult r = ms_imap_parser_feed (parser, (const guint8 *) input + pos, chunk, &used);

      g_assert_cmpuint (used, <=, chunk);
      pos += used;
      switch (r)
        {
        case MS_IMAP_PARSE_NEED_MORE:
          g_assert_cmpuint (used, ==, chunk);
          break;
        case MS_IMAP_PARSE_CONTINUE:
          g_string_append (out, "C;");
          break;
        case MS_IMAP_PARSE_READY:
          {
            g_autoptr(MsImapCommand) cmd = ms_imap_parser_take_command (parser);

            g_string_append_printf (out, "R:%s %s", cmd->tag, cmd->name);
            if (cmd->args->len)
              g_string_append_c (out, ' ');
            dump_args (out, cmd->args);
            g_string_append (out, ";");
          }
          break;
        case MS_IMAP_PARSE_ERROR:
          g_string_append_printf (out, "E:%s:%s:%d;",
                                  ms_imap_parser_get_error_tag (parser) ? ms_imap_parser_get_error_tag (parser) : "-",
                                  ms_imap_parser_get_error_code (parser) ? ms_imap_parser_get_error_code (parser) : "-",
                                  ms_imap_parser_get_error_fatal (parser));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (out, FALSE);
}

static const struct {
  const char *input;
  const char *expected;
  gsize       len;     /* 0: strlen (input); set for inputs with NUL */
} cases[] = {
  { "a1 NOOP\r\n", "R:a1 NOOP;" },
  { "a1 noop\r\n", "R:a1 NOOP;" },
  { "a1 NOOP\n", "R:a1 NOOP;" },
  { "\r\n", "" },
  { "a LOGIN alice \"won der\\\"land\"\r\n", "R:a LOGIN a<alice> s<won der\"land>;" },
  { "a LOGIN {5}\r\nalice {3}\r\npwd\r\n", "C;C;R:a LOGIN l<alice> l<pwd>;" },
  { "a LOGIN {5+}\r\nalice x\r\n", "R:a LOGIN l<alice> a<x>;" },
  { "a LOGIN {0}\r\n x\r\n", "C;R:a LOGIN l<> a<x>;" },
  { "a FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)\r\n",
    "R:a FETCH a<1:*> (a<FLAGS> a<BODY.PEEK[HEADER.FIELDS (From To)]<0.100>>);" },
  { "a STATUS INBOX (MESSAGES (UIDNEXT) NIL)\r\n", "R:a STATUS a<INBOX> (a<MESSAGES> (a<UIDNEXT>) NIL);" },
  { "a SEARCH (OR (SEEN) ())\r\n", "R:a SEARCH (a<OR> (a<SEEN>) ());" },
  { "a1 NOOP\r\na2 CAPABILITY\r\n", "R:a1 NOOP;R:a2 CAPABILITY;" },
  /* Errors. */
  { "NOOP\r\n", "E:-:-:0;" },
  { "a1\r\n", "E:-:-:0;" },
  { "a1 NO!OP\r\n", "E:a1:-:0;" },
  { "a1 LOGIN \"open\r\n", "E:a1:-:0;" },
  { "a1 LIST (a\r\n", "E:a1:-:0;" },
  { "a1 LIST a)\r\n", "E:a1:-:0;" },
  { "a1 NOOP \001\r\n", "E:a1:-:0;" },
  { "a1 NOOP x\0y\r\n", "E:a1:-:0;", 13 },
  { "a1 NOOP \"bad\\escape\"\r\n", "E:a1:-:0;" },
  { "a1 NOOP a\rb\r\n", "E:a1:-:0;" },
  { "a1 NOOP {x}\r\n", "E:a1:-:0;" },
  { "a1 APPEND INBOX {5000+}\r\n", "E:a1:TOOBIG:0;" },
  { "a1 LOGIN {3}\r\na\0c\r\n", "C;E:a1:-:0;", 19 },
  { "a1 NOOP\r\nbogus\r\na2 NOOP\r\n", "R:a1 NOOP;E:-:-:0;R:a2 NOOP;" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int mode = 0; mode < 2; mode++)
      {
        MsImapParser *parser = ms_imap_parser_new ();
        g_autofree char *got = NULL;
        gsize len = cases[i].len ? cases[i].len : strlen (cases[i].input);

        got = run (parser, cases[i].input, len, mode == 0);
        g_test_message ("input %u (%s): %s", i, mode == 0 ? "bytewise" : "whole", got);
        g_assert_cmpstr (got, ==, cases[i].expected);
        ms_imap_parser_free (parser);
      }
}

static void
test_line_limit (void)
{
  MsImapParser *parser = ms_imap_parser_new ();
  g_autoptr(GString) line = g_string_new ("a1 NOOP ");
  g_autofree char *got = NULL;
  g_autofree char *got2 = NULL;

  /* 8 KiB lines must pass (RFC 7162 section 4). */
  while (line->len < 8192)
    g_string_append (line, "xxxxxxx ");
  g_string_append (line, "\r\n");
  got = run (parser, line->str, line->len, FALSE);
  g_assert_true (g_str_has_prefix (got, "R:a1 NOOP"));

  /* Past 64 KiB: BAD [TOOBIG], and the next command still works. */
  g_string_truncate (line, 0);
  g_string_append (line, "a2 NOOP ");
  while (line->len <= MS_IMAP_LIMIT_LINE)
    g_string_append (line, "yyyyyyy ");
  g_string_append (line, "\r\na3 NOOP\r\n");
  got2 = run (parser, line->str, line->len, FALSE);
  g_assert_cmpstr (got2, ==, "E:a2:TOOBIG:0;R:a3 NOOP;");
  ms_imap_parser_free (parser);
}

static void
test_literal_limits (void)
{
  MsImapParser *parser = ms_imap_parser_new ();
  g_autofree char *big_sync = NULL;
  g_autofree char *nonsync = NULL;
  g_autoptr(GString) input = g_string_new (NULL);

  ms_imap_parser_set_literal_limit (parser, 1000);
  /* A synchronizing literal over the limit: refused before any "+". */
  big_sync = run (parser, "a1 APPEND INBOX {1001}\r\na2 NOOP\r\n", 33, TRUE);
  g_assert_cmpstr (big_sync, ==, "E:a1:TOOBIG:0;R:a2 NOOP;");

  /* A non-synchronizing literal over 4096 (but under the literal limit) is
   * skipped, with BAD [TOOBIG]; the next command is read normally. */
  ms_imap_parser_set_literal_limit (parser, 100000);
  g_string_append (input, "a3 APPEND INBOX {5000+}\r\n");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (input, 'z');
  g_string_append (input, "\r\na4 NOOP\r\n");
  nonsync = run (parser, input->str, input->len, FALSE);
  g_assert_cmpstr (nonsync, ==, "E:a3:TOOBIG:0;R:a4 NOOP;");

  /* Over the literal limit and non-synchronizing: cannot resynchronise. */
  {
    g_autofree char *fatal = run (parser, "a5 APPEND INBOX {200000+}\r\n", 27, FALSE);
    g_assert_cmpstr (fatal, ==, "E:a5:TOOBIG:1;");
  }
  ms_imap_parser_free (parser);
}

static void
test_nesting (void)
{
  MsImapParser *parser = ms_imap_parser_new ();
  g_autoptr(GString) ok = g_string_new ("a1 X ");
  g_autoptr(GString) deep = g_string_new ("a2 X ");
  g_autofree char *got_ok = NULL;
  g_autofree char *got_deep = NULL;

  for (guint i = 0; i < MS_IMAP_LIMIT_NESTING; i++)
    g_string_append_c (ok, '(');
  for (guint i = 0; i < MS_IMAP_LIMIT_NESTING; i++)
    g_string_append_c (ok, ')');
  g_string_append (ok, "\r\n");
  got_ok = run (parser, ok->str, ok->len, TRUE);
  g_assert_true (g_str_has_prefix (got_ok, "R:a1 X"));

  for (guint i = 0; i <= MS_IMAP_LIMIT_NESTING; i++)
    g_string_append_c (deep, '(');
  for (guint i = 0; i <= MS_IMAP_LIMIT_NESTING; i++)
    g_string_append_c (deep, ')');
  g_string_append (deep, "\r\n");
  got_deep = run (parser, deep->str, deep->len, TRUE);
  g_assert_cmpstr (got_deep, ==, "E:a2:-:0;");
  ms_imap_parser_free (parser);
}

static void
test_command_text (void)
{
  MsImapParser *parser = ms_imap_parser_new ();
  const char *input = "a1 LOGIN {5}\r\nalice secret\r\n";
  gsize used = 0, pos = 0;
  MsImapCommand *cmd;

  g_assert_cmpint (ms_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &used), ==,
                   MS_IMAP_PARSE_CONTINUE);
  pos += used;
  g_assert_cmpint (ms_imap_parser_feed (parser, (const guint8 *) input + pos, strlen (input) - pos, &used), ==,
                   MS_IMAP_PARSE_READY);
  cmd = ms_imap_parser_take_command (parser);
  /* Literal data is elided from the event text. */
  g_assert_cmpstr (cmd->text, ==, "a1 LOGIN {5}... secret");
  ms_imap_command_free (cmd);
  ms_imap_parser_free (parser);
}

static const struct {
  const char *utf8;
  const char *mutf7;
} utf7_cases[] = {
  { "INBOX", "INBOX" },
  { "Tom & Jerry", "Tom &- Jerry" },
  { "Entwürfe", "Entw&APw-rfe" },
  { "日本語", "&ZeVnLIqe-" },
  { "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
  { "😀", "&2D3eAA-" },
};

static void
test_utf7 (void)
{
  static const char * const invalid[] = {
    "&", "&Jjo", "&U,BTFw", "w&APw-&APw-rfe", "&AGE-", "&-&", "a\x80", "&Jjo!-", "&2D0-", "&3gA-", "&AAA-",
  };

  for (guint i = 0; i < G_N_ELEMENTS (utf7_cases); i++)
    {
      g_autofree char *enc = ms_imap_utf8_to_mutf7 (utf7_cases[i].utf8);
      g_autofree char *dec = ms_imap_mutf7_to_utf8 (utf7_cases[i].mutf7);

      g_assert_cmpstr (enc, ==, utf7_cases[i].mutf7);
      g_assert_cmpstr (dec, ==, utf7_cases[i].utf8);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *dec = ms_imap_mutf7_to_utf8 (invalid[i]);
      g_test_message ("invalid %s", invalid[i]);
      g_assert_null (dec);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imap/parser/table", test_table);
  g_test_add_func ("/imap/parser/line-limit", test_line_limit);
  g_test_add_func ("/imap/parser/literal-limits", test_literal_limits);
  g_test_add_func ("/imap/parser/nesting", test_nesting);
  g_test_add_func ("/imap/parser/command-text", test_command_text);
  g_test_add_func ("/imap/utf7/round-trip", test_utf7);
  return g_test_run ();
}

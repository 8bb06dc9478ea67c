/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IMAP command parser on arbitrary bytes. The first byte picks the
 * chunk size (1 to 64 octets, so that line ends and literals split
 * anywhere) and a small literal limit; the rest is the input. Checked: the
 * parser always makes progress, never reports NEED_MORE with input left,
 * every ready command has a tag and a name, and lists never nest deeper
 * than the limit. The mailbox-name decoder gets every atom too. */
#define G_LOG_DOMAIN "fuzz-imap-parser"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-imap-parser.h"
#include "ms-imap-utf7.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_args (GPtrArray *args,
            guint      depth)
{
  g_assert (depth <= MS_IMAP_LIMIT_NESTING);
  for (guint i = 0; i < args->len; i++)
    {
      MsImapArg *arg = g_ptr_array_index (args, i);

      if (arg->type == MS_IMAP_ARG_LIST)
        check_args (arg->list, depth + 1);
      else
        {
          g_assert (arg->str != NULL);
          if (arg->type == MS_IMAP_ARG_ATOM || arg->type == MS_IMAP_ARG_STRING)
            {
              g_autofree char *utf8 = ms_imap_mutf7_to_utf8 (arg->str);

              /* What decodes must encode back to the same text. */
              if (utf8 != NULL && g_utf8_validate (utf8, -1, NULL))
                {
                  g_autofree char *back = ms_imap_utf8_to_mutf7 (utf8);
                  g_assert (strcmp (back, arg->str) == 0);
                }
            }
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  MsImapParser *parser;
  gsize chunk, pos = 1;

  if (size < 1)
    return 0;
  chunk = (data[0] & 0x3f) + 1;
  parser = ms_imap_parser_new ();
  ms_imap_parser_set_literal_limit (parser, (data[0] & 0x40) ? 100 : 1u << 20);

  while (pos < size)
    {
      gsize n = MIN (chunk, size - pos);
      gsize used = 0;
      MsImapParseResult r = ms_imap_parser_feed (parser, data + pos, n, &used);

      g_assert (used <= n);
      if (r == MS_IMAP_PARSE_NEED_MORE)
        g_assert (used == n);
      else
        g_assert (used > 0);
      pos += used;
      if (r == MS_IMAP_PARSE_READY)
        {
          MsImapCommand *cmd = ms_imap_parser_take_command (parser);

          g_assert (cmd->tag != NULL && cmd->tag[0] != '\0');
          g_assert (cmd->name != NULL && cmd->name[0] != '\0');
          check_args (cmd->args, 0);
          ms_imap_command_free (cmd);
        }
      else if (r == MS_IMAP_PARSE_ERROR)
        {
          g_assert (ms_imap_parser_get_error (parser) != NULL);
          if (ms_imap_parser_get_error_fatal (parser))
            break;
        }
    }
  ms_imap_parser_free (parser);
  return 0;
}

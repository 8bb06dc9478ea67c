/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IMAP client's response parser fed arbitrary server bytes in two
 * pieces split where the input says: every response it returns must be
 * well formed (a kind, a line, an item list), it must never read past its
 * input, and after an error it must refuse further input until reset. */
#define G_LOG_DOMAIN "fuzz-imap-client-parser"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-imap-client-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
walk (const MsImapClientItem *item, guint depth)
{
  g_assert (depth <= MS_IMAP_CLIENT_MAX_DEPTH + 1);
  if (item->kind == MS_IMAP_CLIENT_ITEM_LIST)
    for (guint i = 0; i < ms_imap_client_item_n_children (item); i++)
      walk (ms_imap_client_item_child (item, i), depth + 1);
  else if (item->kind != MS_IMAP_CLIENT_ITEM_NIL)
    g_assert (item->data != NULL && item->data[item->len] == '\0');
}

static void
drain (MsImapClientParser *parser, gboolean *failed)
{
  while (!*failed)
    {
      g_autoptr(MsImapClientResponse) r = NULL;
      g_autofree char *error = NULL;

      switch (ms_imap_client_parser_next (parser, &r, &error))
        {
        case MS_IMAP_CLIENT_PARSE_READY:
          g_assert (r->line != NULL && r->items != NULL);
          g_assert (r->kind != MS_IMAP_CLIENT_RESPONSE_TAGGED || (r->tag && r->status));
          walk (r->items, 0);
          break;
        case MS_IMAP_CLIENT_PARSE_NEED_MORE:
          return;
        case MS_IMAP_CLIENT_PARSE_ERROR:
          g_assert (error != NULL);
          *failed = TRUE;
          return;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsImapClientParser) parser = ms_imap_client_parser_new ();
  gboolean failed = FALSE;
  gsize split;

  if (size == 0)
    return 0;
  split = data[0] % size;
  data++;
  size--;
  split = MIN (split, size);

  ms_imap_client_parser_feed (parser, data, split);
  drain (parser, &failed);
  ms_imap_client_parser_feed (parser, data + split, size - split);
  drain (parser, &failed);
  if (failed)
    {
      g_autoptr(MsImapClientResponse) r = NULL;
      g_autofree char *error = NULL;

      g_assert (ms_imap_client_parser_next (parser, &r, &error) == MS_IMAP_CLIENT_PARSE_ERROR);
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <string.h>

#include "ms-imap-client-parser.h"

typedef struct
{
  gsize start;  /* offset of the literal's first data byte */
  gsize len;
} LiteralSpan;

struct _MsImapClientParser
{
  GByteArray *buf;
  gsize       scan;               /* where framing continues */
  gsize       line_bytes;         /* text outside literals in this response */
  gsize       literal_remaining;
  GArray     *literals;           /* LiteralSpan */
  gboolean    failed;
};

MsImapClientParser *
ms_imap_client_parser_new (void)
{
  MsImapClientParser *parser = g_new0 (MsImapClientParser, 1);

  parser->buf = g_byte_array_new ();
  parser->literals = g_array_new (FALSE, FALSE, sizeof (LiteralSpan));
  return parser;
}

void
ms_imap_client_parser_free (MsImapClientParser *parser)
{
  if (parser == NULL)
    return;
  g_byte_array_unref (parser->buf);
  g_array_unref (parser->literals);
  g_free (parser);
}

void
ms_imap_client_parser_reset (MsImapClientParser *parser)
{
  g_byte_array_set_size (parser->buf, 0);
  g_array_set_size (parser->literals, 0);
  parser->scan = 0;
  parser->line_bytes = 0;
  parser->literal_remaining = 0;
  parser->failed = FALSE;
}

void
ms_imap_client_parser_feed (MsImapClientParser *parser,
                            const guint8       *data,
                            gsize               len)
{
  if (parser->failed)
    return;
  g_byte_array_append (parser->buf, data, len);
}

static void
item_free (gpointer data)
{
  MsImapClientItem *item = data;

  if (item == NULL)
    return;
  g_free (item->data);
  if (item->children)
    g_ptr_array_unref (item->children);
  g_free (item);
}

void
ms_imap_client_response_free (MsImapClientResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->tag);
  g_free (response->status);
  g_free (response->code);
  g_free (response->text);
  g_free (response->name);
  item_free (response->items);
  g_free (response->line);
  g_free (response);
}

static MsImapClientItem *
item_new (MsImapClientItemKind kind)
{
  MsImapClientItem *item = g_new0 (MsImapClientItem, 1);

  item->kind = kind;
  if (kind == MS_IMAP_CLIENT_ITEM_LIST)
    item->children = g_ptr_array_new_with_free_func (item_free);
  return item;
}

/* Tokenising one complete response. */

typedef struct
{
  const char *p;
  const char *end;
  guint       n_items;
  char       *error;
} Cursor;

static gboolean
fail (Cursor *c, const char *why)
{
  if (c->error == NULL)
    c->error = g_strdup (why);
  return FALSE;
}

static gboolean
at_eol (Cursor *c)
{
  return c->p >= c->end || *c->p == '\r' || *c->p == '\n';
}

static gboolean
is_atom_char (char ch)
{
  return (guchar) ch > ' ' && ch != '(' && ch != ')' && ch != '{' && ch != '"' && (guchar) ch < 0x7f;
}

static MsImapClientItem *
parse_atom (Cursor *c)
{
  const char *start = c->p;
  MsImapClientItem *item;

  while (c->p < c->end && (is_atom_char (*c->p) || *c->p == '{'))
    {
      if (*c->p == '[')
        {
          /* A section spec may hold spaces and parens: BODY[HEADER.FIELDS (FROM TO)]. */
          const char *close = memchr (c->p, ']', c->end - c->p);

          if (close == NULL)
            return fail (c, "unterminated [ in an atom"), NULL;
          c->p = close + 1;
          continue;
        }
      if (*c->p == '{')
        break;
      c->p++;
    }
  if (c->p == start)
    return fail (c, "expected an atom"), NULL;
  if (c->p - start == 3 && g_ascii_strncasecmp (start, "NIL", 3) == 0)
    return item_new (MS_IMAP_CLIENT_ITEM_NIL);
  item = item_new (MS_IMAP_CLIENT_ITEM_ATOM);
  item->data = g_strndup (start, c->p - start);
  item->len = c->p - start;
  return item;
}

static MsImapClientItem *
parse_quoted (Cursor *c)
{
  GString *s = g_string_new (NULL);
  MsImapClientItem *item;

  c->p++;  /* the opening quote */
  while (TRUE)
    {
      if (c->p >= c->end || *c->p == '\r' || *c->p == '\n')
        {
          g_string_free (s, TRUE);
          return fail (c, "unterminated quoted string"), NULL;
        }
      if (*c->p == '"')
        break;
      if (*c->p == '\\' && c->p + 1 < c->end && (c->p[1] == '"' || c->p[1] == '\\'))
        c->p++;
      g_string_append_c (s, *c->p++);
      if (s->len > MS_IMAP_CLIENT_MAX_LINE)
        {
          g_string_free (s, TRUE);
          return fail (c, "quoted string too long"), NULL;
        }
    }
  c->p++;
  item = item_new (MS_IMAP_CLIENT_ITEM_STRING);
  item->len = s->len;
  item->data = g_string_free (s, FALSE);
  return item;
}

static MsImapClientItem *
parse_literal (Cursor *c)
{
  guint64 n = 0;
  MsImapClientItem *item;

  c->p++;
  while (c->p < c->end && g_ascii_isdigit (*c->p))
    {
      n = n * 10 + (*c->p++ - '0');
      if (n > MS_IMAP_CLIENT_MAX_LITERAL)
        return fail (c, "literal too large"), NULL;
    }
  if (c->p < c->end && *c->p == '+')
    c->p++;
  if (c->end - c->p < 3 || memcmp (c->p, "}\r\n", 3) != 0)
    return fail (c, "malformed literal"), NULL;
  c->p += 3;
  if ((guint64) (c->end - c->p) < n)
    return fail (c, "literal shorter than announced"), NULL;
  item = item_new (MS_IMAP_CLIENT_ITEM_STRING);
  item->literal = TRUE;
  item->data = g_malloc (n + 1);
  memcpy (item->data, c->p, n);
  item->data[n] = '\0';
  item->len = n;
  c->p += n;
  return item;
}

static gboolean
parse_items (Cursor     *c,
             MsImapClientItem *list,
             guint       depth,
             gboolean    in_parens)
{
  if (depth > MS_IMAP_CLIENT_MAX_DEPTH)
    return fail (c, "lists nested too deeply");

  while (TRUE)
    {
      MsImapClientItem *item = NULL;

      while (c->p < c->end && *c->p == ' ')
        c->p++;
      if (at_eol (c))
        return in_parens ? fail (c, "unbalanced parenthesis") : TRUE;
      if (*c->p == ')')
        {
          if (!in_parens)
            return fail (c, "unexpected )");
          c->p++;
          return TRUE;
        }
      if (++c->n_items > MS_IMAP_CLIENT_MAX_ITEMS)
        return fail (c, "too many items");
      if (*c->p == '(')
        {
          c->p++;
          item = item_new (MS_IMAP_CLIENT_ITEM_LIST);
          if (!parse_items (c, item, depth + 1, TRUE))
            {
              item_free (item);
              return FALSE;
            }
        }
      else if (*c->p == '"')
        item = parse_quoted (c);
      else if (*c->p == '{')
        item = parse_literal (c);
      else
        item = parse_atom (c);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (list->children, item);
    }
}

static char *
next_word (Cursor *c)
{
  const char *start = c->p;

  while (c->p < c->end && *c->p != ' ' && *c->p != '\r' && *c->p != '\n')
    c->p++;
  if (c->p == start)
    return NULL;
  return g_strndup (start, c->p - start);
}

static void
skip_space (Cursor *c)
{
  if (c->p < c->end && *c->p == ' ')
    c->p++;
}

static char *
rest_of_line (Cursor *c)
{
  const char *start = c->p;
  const char *end = c->end;

  while (end > start && (end[-1] == '\r' || end[-1] == '\n'))
    end--;
  c->p = c->end;
  return g_utf8_make_valid (start, end - start);
}

static gboolean
is_status (const char *word)
{
  static const char *names[] = { "OK", "NO", "BAD", "BYE", "PREAUTH" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (word, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
parse_status_text (Cursor *c, MsImapClientResponse *r)
{
  skip_space (c);
  if (c->p < c->end && *c->p == '[')
    {
      const char *close = memchr (c->p, ']', c->end - c->p);

      if (close)
        {
          r->code = g_utf8_make_valid (c->p + 1, close - c->p - 1);
          c->p = close + 1;
          skip_space (c);
        }
    }
  r->text = rest_of_line (c);
}

static MsImapClientResponse *
tokenize (const char *data, gsize len, char **error)
{
  Cursor c = { data, data + len, 0, NULL };
  g_autoptr(MsImapClientResponse) r = g_new0 (MsImapClientResponse, 1);
  g_autofree char *first = NULL;

  r->items = item_new (MS_IMAP_CLIENT_ITEM_LIST);
  if (len >= 1 && data[0] == '+')
    {
      r->kind = MS_IMAP_CLIENT_RESPONSE_CONTINUATION;
      c.p++;
      skip_space (&c);
      r->text = rest_of_line (&c);
      return g_steal_pointer (&r);
    }
  first = next_word (&c);
  if (first == NULL)
    {
      *error = g_strdup ("empty response line");
      return NULL;
    }
  skip_space (&c);
  if (strcmp (first, "*") == 0)
    {
      g_autofree char *word = next_word (&c);
      guint64 n;

      r->kind = MS_IMAP_CLIENT_RESPONSE_UNTAGGED;
      if (word && g_ascii_string_to_unsigned (word, 10, 0, G_MAXUINT32, &n, NULL))
        {
          r->number = n;
          r->has_number = TRUE;
          skip_space (&c);
          g_free (word);
          word = next_word (&c);
        }
      if (word == NULL)
        {
          *error = g_strdup ("untagged response without a name");
          return NULL;
        }
      r->name = g_ascii_strup (word, -1);
      if (!r->has_number && is_status (word))
        {
          r->status = g_steal_pointer (&r->name);
          parse_status_text (&c, r);
          return g_steal_pointer (&r);
        }
      if (!parse_items (&c, r->items, 0, FALSE))
        {
          *error = c.error;
          return NULL;
        }
      return g_steal_pointer (&r);
    }

  r->kind = MS_IMAP_CLIENT_RESPONSE_TAGGED;
  r->tag = g_steal_pointer (&first);
  r->status = next_word (&c);
  if (r->status == NULL || !is_status (r->status))
    {
      *error = g_strdup ("a tagged response without OK, NO or BAD");
      return NULL;
    }
  {
    char *up = g_ascii_strup (r->status, -1);

    g_free (r->status);
    r->status = up;
  }
  parse_status_text (&c, r);
  return g_steal_pointer (&r);
}

static char *
elided_line (MsImapClientParser *parser, gsize len)
{
  GString *s = g_string_new (NULL);
  gsize pos = 0;

  for (guint i = 0; i < parser->literals->len; i++)
    {
      LiteralSpan *span = &g_array_index (parser->literals, LiteralSpan, i);
      const char *seg = (const char *) parser->buf->data + pos;
      gsize seg_len = span->start - pos;
      g_autofree char *text = NULL;

      /* Drop the "{N}" CRLF announcement too: the elision replaces both. */
      while (seg_len > 0 && seg[seg_len - 1] != '{')
        seg_len--;
      if (seg_len > 0)
        seg_len--;
      text = g_utf8_make_valid (seg, seg_len);

      g_string_append (s, text);
      g_string_append_printf (s, "{%" G_GSIZE_FORMAT " bytes}", span->len);
      pos = span->start + span->len;
    }
  {
    gsize end = len;
    g_autofree char *text = NULL;

    while (end > pos && (parser->buf->data[end - 1] == '\r' || parser->buf->data[end - 1] == '\n'))
      end--;
    text = g_utf8_make_valid ((const char *) parser->buf->data + pos, end - pos);
    g_string_append (s, text);
  }
  return g_string_free (s, FALSE);
}

/* "{123}" or "{123+}" right before the CRLF at eol: the literal's size. */
static gboolean
ends_with_literal (const guint8 *start, const guint8 *eol, guint64 *size, gboolean *bad)
{
  const guint8 *p = eol;
  guint64 n = 0, mult = 1;

  *bad = FALSE;
  if (p > start && p[-1] == '\r')
    p--;
  if (p == start || p[-1] != '}')
    return FALSE;
  p--;
  if (p > start && p[-1] == '+')
    p--;
  if (p == start || !g_ascii_isdigit (p[-1]))
    return FALSE;
  while (p > start && g_ascii_isdigit (p[-1]))
    {
      p--;
      if (mult > MS_IMAP_CLIENT_MAX_LITERAL)
        {
          *bad = TRUE;
          return TRUE;
        }
      n += (guint64) (*p - '0') * mult;
      mult *= 10;
    }
  if (p == start || p[-1] != '{')
    return FALSE;
  *size = n;
  if (n > MS_IMAP_CLIENT_MAX_LITERAL)
    *bad = TRUE;
  return TRUE;
}

MsImapClientParseResult
ms_imap_client_parser_next (MsImapClientParser  *parser,
                            MsImapClientResponse     **response,
                            char               **error)
{
  g_return_val_if_fail (parser != NULL, MS_IMAP_CLIENT_PARSE_ERROR);

  *response = NULL;
  if (parser->failed)
    {
      *error = g_strdup ("the parser already failed");
      return MS_IMAP_CLIENT_PARSE_ERROR;
    }
  while (TRUE)
    {
      const guint8 *data = parser->buf->data;
      const guint8 *eol;
      gsize seg_start;
      guint64 size = 0;
      gboolean bad = FALSE;

      if (parser->literal_remaining > 0)
        {
          gsize take = MIN (parser->buf->len - parser->scan, parser->literal_remaining);

          parser->scan += take;
          parser->literal_remaining -= take;
          if (parser->literal_remaining > 0)
            return MS_IMAP_CLIENT_PARSE_NEED_MORE;
        }
      seg_start = parser->scan;
      if (seg_start >= parser->buf->len)
        return MS_IMAP_CLIENT_PARSE_NEED_MORE;   /* also: an empty buffer's data may be NULL */
      eol = memchr (data + seg_start, '\n', parser->buf->len - seg_start);
      if (eol == NULL)
        {
          if (parser->line_bytes + (parser->buf->len - seg_start) > MS_IMAP_CLIENT_MAX_LINE)
            goto too_long;
          return MS_IMAP_CLIENT_PARSE_NEED_MORE;
        }
      parser->line_bytes += eol - (data + seg_start) + 1;
      if (parser->line_bytes > MS_IMAP_CLIENT_MAX_LINE)
        goto too_long;
      parser->scan = eol - data + 1;
      if (ends_with_literal (data + seg_start, eol, &size, &bad))
        {
          LiteralSpan span = { parser->scan, size };

          if (bad || parser->scan + size > MS_IMAP_CLIENT_MAX_RESPONSE)
            {
              parser->failed = TRUE;
              *error = g_strdup ("a literal from the server is larger than this client accepts");
              return MS_IMAP_CLIENT_PARSE_ERROR;
            }
          g_array_append_val (parser->literals, span);
          parser->literal_remaining = size;
          continue;
        }
      {
        gsize len = parser->scan;
        char *why = NULL;
        MsImapClientResponse *r = tokenize ((const char *) data, len, &why);

        if (r == NULL)
          {
            parser->failed = TRUE;
            *error = why;
            return MS_IMAP_CLIENT_PARSE_ERROR;
          }
        r->line = elided_line (parser, len);
        r->wire_size = len;
        g_byte_array_remove_range (parser->buf, 0, len);
        g_array_set_size (parser->literals, 0);
        parser->scan = 0;
        parser->line_bytes = 0;
        *response = r;
        return MS_IMAP_CLIENT_PARSE_READY;
      }
    }

too_long:
  parser->failed = TRUE;
  *error = g_strdup ("a response line from the server is too long");
  return MS_IMAP_CLIENT_PARSE_ERROR;
}

MsImapClientItem *
ms_imap_client_item_child (const MsImapClientItem *list,
                    guint             index)
{
  if (list == NULL || list->kind != MS_IMAP_CLIENT_ITEM_LIST || index >= list->children->len)
    return NULL;
  return g_ptr_array_index (list->children, index);
}

guint
ms_imap_client_item_n_children (const MsImapClientItem *list)
{
  if (list == NULL || list->kind != MS_IMAP_CLIENT_ITEM_LIST)
    return 0;
  return list->children->len;
}

gboolean
ms_imap_client_item_is (const MsImapClientItem *item,
                 const char       *atom)
{
  return item != NULL && item->kind == MS_IMAP_CLIENT_ITEM_ATOM && g_ascii_strcasecmp (item->data, atom) == 0;
}

const char *
ms_imap_client_item_text (const MsImapClientItem *item)
{
  if (item == NULL || (item->kind != MS_IMAP_CLIENT_ITEM_ATOM && item->kind != MS_IMAP_CLIENT_ITEM_STRING))
    return NULL;
  return item->data;
}

gboolean
ms_imap_client_item_uint32 (const MsImapClientItem *item,
                     guint32          *value)
{
  guint64 n;

  if (item == NULL || item->kind != MS_IMAP_CLIENT_ITEM_ATOM ||
      !g_ascii_string_to_unsigned (item->data, 10, 0, G_MAXUINT32, &n, NULL))
    return FALSE;
  *value = n;
  return TRUE;
}

MsImapClientItem *
ms_imap_client_item_lookup (const MsImapClientItem *list,
                     const char       *name)
{
  guint n = ms_imap_client_item_n_children (list);

  for (guint i = 0; i + 1 < n; i += 2)
    if (ms_imap_client_item_is (ms_imap_client_item_child (list, i), name))
      return ms_imap_client_item_child (list, i + 1);
  return NULL;
}

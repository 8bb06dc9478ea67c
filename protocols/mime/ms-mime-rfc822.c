/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading header values the way IMAP servers do: header fields and their
 * folding, RFC 5322 tokens (atoms, quoted strings, comments, domains), MIME
 * parameters with RFC 2231 continuations joined (but, like Dovecot, not
 * decoded). Writing IMAP strings is in ms-mime-imap-string.c. This is
 * lexing of header syntax, not decoding: everything that decodes content is
 * GMime's. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>

#include "ms-mime-private.h"

/* RFC 5322 atext, with bytes >= 0x80 allowed as Dovecot does (UTF-8 names). */
static inline gboolean
is_atext (guint8 c)
{
  if (c >= 0x80)
    return TRUE;
  if (g_ascii_isalnum (c))
    return TRUE;
  return c != 0 && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* A MIME token character: atext without the tspecials '/', '?', '='. */
static inline gboolean
is_token (guint8 c)
{
  return is_atext (c) && c != '/' && c != '?' && c != '=';
}

/* ------------------------------------------------------------------ */
/* Header fields                                                       */

void
ms_mime_header_iter_init (MsMimeHeaderIter *iter,
                          const guint8     *data,
                          gsize             start,
                          gsize             end)
{
  memset (iter, 0, sizeof *iter);
  iter->data = data;
  iter->pos = start;
  iter->end = end;
}

static gsize
line_end_after (const guint8 *data, gsize pos, gsize end)
{
  const guint8 *nl = memchr (data + pos, '\n', end - pos);

  return nl == NULL ? end : (gsize) (nl - data) + 1;
}

gboolean
ms_mime_header_iter_next (MsMimeHeaderIter *iter)
{
  const guint8 *d = iter->data;
  gsize pos = iter->pos;
  gsize next;
  gsize colon;

  for (;;)
    {
      if (pos >= iter->end)
        return FALSE;
      /* The blank line ends the header. */
      if (d[pos] == '\n' || (d[pos] == '\r' && pos + 1 < iter->end && d[pos + 1] == '\n'))
        return FALSE;
      if (d[pos] == ' ' || d[pos] == '\t')
        {
          /* A continuation without a field before it: skip it. */
          pos = line_end_after (d, pos, iter->end);
          continue;
        }
      break;
    }

  iter->line_start = pos;
  next = line_end_after (d, pos, iter->end);
  while (next < iter->end && (d[next] == ' ' || d[next] == '\t'))
    next = line_end_after (d, next, iter->end);
  iter->line_end = next;
  iter->pos = next;

  iter->value_end = next;
  if (iter->value_end > pos && d[iter->value_end - 1] == '\n')
    iter->value_end--;
  if (iter->value_end > pos && d[iter->value_end - 1] == '\r')
    iter->value_end--;

  for (colon = pos; colon < iter->value_end && d[colon] != ':'; colon++)
    ;
  iter->name = d + pos;
  iter->has_colon = colon < iter->value_end;
  iter->name_len = colon - pos;
  /* "Subject :" names the field Subject. */
  while (iter->name_len > 0 && (iter->name[iter->name_len - 1] == ' ' || iter->name[iter->name_len - 1] == '\t'))
    iter->name_len--;
  iter->value_start = iter->has_colon ? colon + 1 : iter->value_end;
  while (iter->value_start < iter->value_end && (d[iter->value_start] == ' ' || d[iter->value_start] == '\t'))
    iter->value_start++;
  return TRUE;
}

gboolean
ms_mime_header_iter_is (const MsMimeHeaderIter *iter,
                        const char             *name)
{
  gsize len = strlen (name);

  return iter->has_colon && iter->name_len == len &&
         g_ascii_strncasecmp ((const char *) iter->name, name, len) == 0;
}

void
ms_mime_header_iter_value (const MsMimeHeaderIter *iter,
                           GString                *out)
{
  const guint8 *d = iter->data;

  for (gsize i = iter->value_start; i < iter->value_end; i++)
    {
      if (d[i] == '\r' && i + 1 < iter->value_end && d[i + 1] == '\n')
        continue;
      if (d[i] == '\n')
        continue;
      g_string_append_c (out, d[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Tokens. Each returns -1 on a syntax error, 0 at the end of the value,
 * 1 when more follows (after skipping whitespace and comments).        */

void
ms_rfc822_init (MsRfc822     *ctx,
                const guint8 *data,
                gsize         len,
                GString      *last_comment)
{
  ctx->data = data;
  ctx->end = data + len;
  ctx->last_comment = last_comment;
}

static int
skip_comment (MsRfc822 *ctx)
{
  int level = 1;
  const guint8 *start;

  g_assert (*ctx->data == '(');
  if (ctx->last_comment != NULL)
    g_string_truncate (ctx->last_comment, 0);
  start = ++ctx->data;
  for (; ctx->data < ctx->end; ctx->data++)
    {
      if (*ctx->data == '(')
        level++;
      else if (*ctx->data == ')')
        {
          if (--level == 0)
            {
              if (ctx->last_comment != NULL)
                g_string_append_len (ctx->last_comment, (const char *) start, ctx->data - start);
              ctx->data++;
              return ctx->data < ctx->end;
            }
        }
      else if (*ctx->data == '\\')
        {
          if (ctx->last_comment != NULL)
            g_string_append_len (ctx->last_comment, (const char *) start, ctx->data - start);
          start = ctx->data + 1;
          ctx->data++;
          if (ctx->data >= ctx->end)
            return -1;
        }
    }
  return -1;
}

int
ms_rfc822_skip_lwsp (MsRfc822 *ctx)
{
  while (ctx->data < ctx->end)
    {
      guint8 c = *ctx->data;

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        {
          ctx->data++;
          continue;
        }
      if (c != '(')
        break;
      if (skip_comment (ctx) < 0)
        return -1;
    }
  return ctx->data < ctx->end;
}

int
ms_rfc822_atom (MsRfc822 *ctx,
                GString  *out)
{
  const guint8 *start = ctx->data;

  if (ctx->data >= ctx->end || !is_atext (*ctx->data))
    return -1;
  while (ctx->data < ctx->end && is_atext (*ctx->data))
    ctx->data++;
  g_string_append_len (out, (const char *) start, ctx->data - start);
  return ms_rfc822_skip_lwsp (ctx);
}

int
ms_rfc822_dot_atom (MsRfc822 *ctx,
                    GString  *out)
{
  int ret;

  if (ctx->data >= ctx->end || !is_atext (*ctx->data))
    return -1;
  for (;;)
    {
      const guint8 *start = ctx->data;

      while (ctx->data < ctx->end && is_atext (*ctx->data))
        ctx->data++;
      g_string_append_len (out, (const char *) start, ctx->data - start);
      if (ctx->data >= ctx->end)
        return 0;
      /* RFC 822 allowed whitespace around the dots. */
      if ((ret = ms_rfc822_skip_lwsp (ctx)) <= 0)
        return ret;
      if (*ctx->data != '.')
        return 1;
      ctx->data++;
      g_string_append_c (out, '.');
      if ((ret = ms_rfc822_skip_lwsp (ctx)) <= 0)
        return ret;
    }
}

int
ms_rfc822_mime_token (MsRfc822 *ctx,
                      GString  *out)
{
  const guint8 *start = ctx->data;

  while (ctx->data < ctx->end && (is_token (*ctx->data) || *ctx->data == '.'))
    ctx->data++;
  g_string_append_len (out, (const char *) start, ctx->data - start);
  if (ctx->data >= ctx->end)
    return 0;
  return ms_rfc822_skip_lwsp (ctx);
}

int
ms_rfc822_quoted_string (MsRfc822 *ctx,
                         GString  *out)
{
  const guint8 *start;

  g_assert (*ctx->data == '"');
  start = ++ctx->data;
  for (; ctx->data < ctx->end; ctx->data++)
    {
      switch (*ctx->data)
        {
        case '"':
          g_string_append_len (out, (const char *) start, ctx->data - start);
          ctx->data++;
          return ms_rfc822_skip_lwsp (ctx);
        case '\n':
          {
            /* Folding inside the quotes: drop the line end. */
            gsize len = ctx->data - start;

            if (len > 0 && start[len - 1] == '\r')
              len--;
            g_string_append_len (out, (const char *) start, len);
            start = ctx->data + 1;
          }
          break;
        case '\\':
          ctx->data++;
          if (ctx->data >= ctx->end)
            return -1;
          g_string_append_len (out, (const char *) start, ctx->data - start - 1);
          start = ctx->data;
          break;
        case '\0':
          /* NUL inside quotes is kept as U+FFFD. */
          g_string_append_len (out, (const char *) start, ctx->data - start);
          g_string_append (out, "\xef\xbf\xbd");
          start = ctx->data + 1;
          break;
        default:
          break;
        }
    }
  return -1;
}

static int
atom_or_dot (MsRfc822 *ctx,
             GString  *out)
{
  const guint8 *start = ctx->data;

  while (ctx->data < ctx->end && (is_atext (*ctx->data) || *ctx->data == '.'))
    ctx->data++;
  g_string_append_len (out, (const char *) start, ctx->data - start);
  if (ctx->data >= ctx->end)
    return 0;
  return ms_rfc822_skip_lwsp (ctx);
}

int
ms_rfc822_phrase (MsRfc822 *ctx,
                  GString  *out)
{
  int ret;

  if (ctx->data >= ctx->end)
    return 0;
  if (*ctx->data == '.')
    return -1;
  for (;;)
    {
      if (*ctx->data == '"')
        ret = ms_rfc822_quoted_string (ctx, out);
      else
        ret = atom_or_dot (ctx, out);
      if (ret <= 0)
        return ret;
      if (!is_atext (*ctx->data) && *ctx->data != '"' && *ctx->data != '.')
        break;
      g_string_append_c (out, ' ');
    }
  return ms_rfc822_skip_lwsp (ctx);
}

static int
domain_literal (MsRfc822 *ctx,
                GString  *out)
{
  const guint8 *start = ctx->data;

  for (; ctx->data < ctx->end; ctx->data++)
    {
      if (*ctx->data == '\\')
        {
          ctx->data++;
          if (ctx->data >= ctx->end)
            break;
        }
      else if (*ctx->data == ']')
        {
          ctx->data++;
          g_string_append_len (out, (const char *) start, ctx->data - start);
          return ms_rfc822_skip_lwsp (ctx);
        }
    }
  return -1;
}

int
ms_rfc822_domain (MsRfc822 *ctx,
                  GString  *out)
{
  g_assert (*ctx->data == '@');
  ctx->data++;
  if (ms_rfc822_skip_lwsp (ctx) <= 0)
    return -1;
  if (*ctx->data == '[')
    return domain_literal (ctx, out);
  return ms_rfc822_dot_atom (ctx, out);
}

/* ------------------------------------------------------------------ */
/* Content-Type and Content-Disposition                                */

void
ms_mime_content_value_init (MsMimeContentValue *cv)
{
  cv->type = g_string_new (NULL);
  cv->subtype = g_string_new (NULL);
  cv->has_slash = FALSE;
  cv->params = g_ptr_array_new_with_free_func (g_free);
}

void
ms_mime_content_value_clear (MsMimeContentValue *cv)
{
  g_string_free (cv->type, TRUE);
  g_string_free (cv->subtype, TRUE);
  g_ptr_array_unref (cv->params);
}

/* One "; key=value"; -1 on error, 0 at the end, 1 when one was read. */
static int
parse_param (MsRfc822 *ctx,
             GString  *key,
             GString  *value)
{
  int ret;

  if (ctx->data >= ctx->end)
    return 0;
  if (*ctx->data != ';')
    {
      /* Junk before the next ';' is passed over, as Dovecot does. */
      const guint8 *semi = memchr (ctx->data, ';', ctx->end - ctx->data);

      if (semi == NULL)
        return 0;
      ctx->data = semi;
    }
  ctx->data++;
  if (ms_rfc822_skip_lwsp (ctx) <= 0)
    return -1;
  if (ms_rfc822_mime_token (ctx, key) <= 0)
    return -1;
  if (*ctx->data != '=')
    return -1;
  ctx->data++;
  if ((ret = ms_rfc822_skip_lwsp (ctx)) <= 0)
    {
      /* "name=" at the end: an empty value. */
    }
  else if (*ctx->data == '"')
    ret = ms_rfc822_quoted_string (ctx, value);
  else if (*ctx->data == '=')
    {
      /* name==?utf-8?b?...?= from broken mailers: take it up to a separator. */
      while (ctx->data < ctx->end && *ctx->data != ';' && *ctx->data != ' ' &&
             *ctx->data != '\t' && *ctx->data != '\r' && *ctx->data != '\n')
        g_string_append_c (value, *ctx->data++);
    }
  else
    ret = ms_rfc822_mime_token (ctx, value);
  return ret < 0 ? -1 : 1;
}

typedef struct {
  char    *base;     /* name before the first '*' */
  guint    index;
  gboolean extended; /* the segment carries charset'lang' or %XX */
  char    *value;
} Segment;

static int
compare_segments (gconstpointer a,
                  gconstpointer b)
{
  const Segment *sa = a, *sb = b;
  int c = g_ascii_strcasecmp (sa->base, sb->base);

  if (c != 0)
    return c;
  return sa->index < sb->index ? -1 : sa->index > sb->index;
}

/* RFC 2231: "name*0*=", "name*1=" ... are joined into one "name*" (or
 * "name" when no segment is extended). The value stays encoded, as Dovecot
 * leaves it; plain parameters come first, in their order. */
static void
add_params (MsMimeContentValue *cv,
            GPtrArray          *keys,
            GPtrArray          *values)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Segment));

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      const char *star = strchr (key, '*');

      if (star == NULL)
        {
          g_ptr_array_add (cv->params, g_strdup (key));
          g_ptr_array_add (cv->params, g_strdup (values->pdata[i]));
          continue;
        }
      {
        Segment seg = { 0 };
        const char *p = star + 1;

        seg.base = g_strndup (key, star - key);
        seg.value = g_strdup (values->pdata[i]);
        if (*p == '\0')
          {
            /* "name*": a single extended value. */
            seg.index = 0;
            seg.extended = TRUE;
          }
        else
          {
            guint64 n = 0;
            const char *digits = p;

            while (g_ascii_isdigit (*p) && n < 100000)
              n = n * 10 + (*p++ - '0');
            if (p == digits || (*p != '\0' && !(p[0] == '*' && p[1] == '\0')))
              {
                /* Not a continuation after all: keep it as it is. */
                g_free (seg.base);
                g_free (seg.value);
                g_ptr_array_add (cv->params, g_strdup (key));
                g_ptr_array_add (cv->params, g_strdup (values->pdata[i]));
                continue;
              }
            seg.index = (guint) n;
            seg.extended = *p == '*';
          }
        g_array_append_val (segs, seg);
      }
    }

  g_array_sort (segs, compare_segments);
  for (guint i = 0; i < segs->len; )
    {
      Segment *first = &g_array_index (segs, Segment, i);
      g_autoptr(GString) value = g_string_new (NULL);
      gboolean extended = FALSE;
      guint expect = 0;
      guint j;

      for (j = i; j < segs->len; j++)
        {
          Segment *s = &g_array_index (segs, Segment, j);

          if (g_ascii_strcasecmp (s->base, first->base) != 0)
            break;
          if (s->index == expect)
            {
              g_string_append (value, s->value);
              extended |= s->extended;
              expect++;
            }
        }
      g_ptr_array_add (cv->params, g_strconcat (first->base, extended ? "*" : "", NULL));
      g_ptr_array_add (cv->params, g_string_free (g_steal_pointer (&value), FALSE));
      for (guint k = i; k < j; k++)
        {
          g_free (g_array_index (segs, Segment, k).base);
          g_free (g_array_index (segs, Segment, k).value);
        }
      i = j;
    }
}

gboolean
ms_mime_content_value_parse (MsMimeContentValue *cv,
                             const char         *value,
                             gsize               len,
                             gboolean            content_type)
{
  MsRfc822 ctx;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) val = g_string_new (NULL);

  ms_rfc822_init (&ctx, (const guint8 *) value, len, NULL);
  if (content_type)
    {
      /* "type/subtype" and parameters; a lone "type" with nothing after it
       * is kept with an empty subtype; anything else is an unreadable
       * Content-Type, shown as "" "" (Dovecot's answers). */
      if (ms_rfc822_skip_lwsp (&ctx) > 0)
        ms_rfc822_mime_token (&ctx, cv->type);
      gboolean saw_slash = ctx.data < ctx.end && *ctx.data == '/';

      if (saw_slash)
        {
          ctx.data++;
          if (ms_rfc822_skip_lwsp (&ctx) > 0)
            ms_rfc822_mime_token (&ctx, cv->subtype);
          /* After the subtype only parameters may follow. */
          cv->has_slash = cv->subtype->len > 0 && cv->type->len > 0 &&
                          (ctx.data >= ctx.end || *ctx.data == ';');
        }
      if (!cv->has_slash)
        {
          gboolean lone = cv->type->len > 0 && !saw_slash && ctx.data >= ctx.end;

          g_string_truncate (cv->subtype, 0);
          if (!lone)
            g_string_truncate (cv->type, 0);
          return TRUE;
        }
    }
  else
    {
      if (ms_rfc822_skip_lwsp (&ctx) > 0)
        ms_rfc822_mime_token (&ctx, cv->type);
    }

  /* Parameters up to the first one that does not parse. */
  for (;;)
    {
      g_string_truncate (key, 0);
      g_string_truncate (val, 0);
      if (parse_param (&ctx, key, val) <= 0)
        break;
      g_ptr_array_add (keys, g_strdup (key->str));
      g_ptr_array_add (values, g_strdup (val->str));
    }
  add_params (cv, keys, values);
  return TRUE;
}

const char *
ms_mime_content_value_param (const MsMimeContentValue *cv,
                             const char               *key)
{
  for (guint i = 0; i + 1 < cv->params->len; i += 2)
    if (g_ascii_strcasecmp (cv->params->pdata[i], key) == 0)
      return cv->params->pdata[i + 1];
  return NULL;
}

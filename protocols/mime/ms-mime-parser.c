/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Splitting a message into its parts: where each header and body begins and
 * ends, which is what BODY[section] offsets, sizes and line counts need. The
 * rules are Dovecot's (so that answers agree): a body ends at the first line
 * that begins with "--" and a boundary of this part or any enclosing
 * multipart; the line end before that line belongs to the boundary; text
 * before the first boundary and after the closing one belongs to the
 * multipart but to no child. Nothing is decoded here.
 *
 * The result is a flat array of small records, cached in the message: a
 * 100,000-message mailbox costs a few megabytes, not a parsed object tree. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "ms-limits.h"
#include "ms-mime-private.h"

void
ms_mime_ensure_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

typedef struct {
  const guint8 *data;
  gsize         len;
  GArray       *parts;       /* MsMimePart */
  GPtrArray    *boundaries;  /* char *, innermost last */
} Parser;

typedef struct {
  gsize    line;    /* where the boundary line starts (len when none) */
  guint    level;   /* index into boundaries of the one that matched */
  gboolean close;   /* "--boundary--" */
  /* The line end before the boundary line went to the body of the parts
   * that enclose a header the boundary cut short (Dovecot's accounting),
   * so those bodies end at the boundary line itself. */
  gboolean crlf_taken;
} Stop;

/* Does the line at pos start a boundary of an enclosing multipart? MIME
 * needs only a prefix of the line to match; when several boundaries do, the
 * longest wins, then the innermost (Dovecot's rule, so nested parts with
 * boundaries like "a" and "ab" split the same way). */
static gboolean
match_boundary (Parser *p,
                gsize   pos,
                Stop   *stop)
{
  const guint8 *d = p->data + pos;
  gsize avail = p->len - pos;
  const guint8 *lf;
  gsize find;
  gsize best_len = 0;
  gboolean found = FALSE;

  if (avail < 2 || d[0] != '-' || d[1] != '-' || p->boundaries->len == 0)
    return FALSE;
  d += 2;
  avail -= 2;
  /* What a boundary is compared with: the line without its line end and
   * without a closing "--". */
  lf = memchr (d, '\n', avail);
  if (lf != NULL)
    {
      find = (gsize) (lf - d);
      if (find > 0 && d[find - 1] == '\r')
        find--;
      if (find > 2 && d[find - 1] == '-' && d[find - 2] == '-')
        find -= 2;
    }
  else
    find = MIN (avail, MS_LIMIT_MIME_BOUNDARY + 4);

  for (guint i = p->boundaries->len; i-- > 0; )
    {
      const char *b = p->boundaries->pdata[i];
      gsize blen = strlen (b);

      if (blen <= find && memcmp (d, b, blen) == 0 && (!found || blen > best_len))
        {
          found = TRUE;
          best_len = blen;
          stop->level = i;
          if (blen == find)
            break;
        }
    }
  if (!found)
    return FALSE;
  stop->line = pos;
  stop->close = avail >= best_len + 2 && d[best_len] == '-' && d[best_len + 1] == '-';
  return TRUE;
}

static gsize
next_line (Parser *p,
           gsize   pos)
{
  const guint8 *nl = memchr (p->data + pos, '\n', p->len - pos);

  return nl == NULL ? p->len : (gsize) (nl - p->data) + 1;
}

/* Scans lines from pos (a line start) to the next boundary line or the end. */
static Stop
find_stop (Parser *p,
           gsize   pos)
{
  Stop stop = { p->len, 0, FALSE };

  if (p->boundaries->len == 0)
    return stop;
  while (pos < p->len)
    {
      if (match_boundary (p, pos, &stop))
        return stop;
      pos = next_line (p, pos);
    }
  stop.line = p->len;
  return stop;
}

/* The body ends before the line end that precedes the boundary line. */
static gsize
body_end_before (Parser *p,
                 gsize   body_start,
                 gsize   line)
{
  gsize end = line;

  if (line >= p->len)
    return p->len;
  if (end > body_start && p->data[end - 1] == '\n')
    end--;
  if (end > body_start && p->data[end - 1] == '\r')
    end--;
  return end;
}

static guint32
count_lines (const guint8 *d,
             gsize         start,
             gsize         end)
{
  guint32 n = 0;

  while (start < end)
    {
      const guint8 *nl = memchr (d + start, '\n', end - start);

      if (nl == NULL)
        break;
      n++;
      start = (gsize) (nl - d) + 1;
    }
  return n;
}

typedef enum {
  TYPE_OTHER,
  TYPE_MULTIPART,
  TYPE_RFC822,
} ContentKind;

typedef struct {
  ContentKind          kind;
  gboolean             has_type;
  gboolean             is_digest;
  gboolean             is_text;
  gboolean             plain_charset;
  GMimeContentEncoding encoding;
  char                *boundary;
} Head;

static gboolean
charset_is_plain (const char *charset)
{
  return charset == NULL ||
         g_ascii_strcasecmp (charset, "us-ascii") == 0 ||
         g_ascii_strcasecmp (charset, "utf-8") == 0 ||
         g_ascii_strcasecmp (charset, "utf8") == 0;
}

/* The first Content-Type decides what the body holds; the first
 * Content-Transfer-Encoding and the charset are kept for SEARCH. */
static void
read_head (Parser   *p,
           gsize     hdr_start,
           gsize     hdr_end,
           gboolean  digest_parent,
           Head     *head)
{
  MsMimeHeaderIter iter;
  gsize limit = MIN (hdr_end, hdr_start + MS_LIMIT_MIME_HEADER_SIZE);
  gboolean seen_type = FALSE, seen_encoding = FALSE;
  g_autoptr(GString) value = g_string_new (NULL);

  memset (head, 0, sizeof *head);
  head->is_text = !digest_parent;
  head->plain_charset = TRUE;
  head->encoding = GMIME_CONTENT_ENCODING_DEFAULT;
  head->kind = digest_parent ? TYPE_RFC822 : TYPE_OTHER;
  ms_mime_header_iter_init (&iter, p->data, hdr_start, limit);
  while (ms_mime_header_iter_next (&iter) && !(seen_type && seen_encoding))
    {
      if (!seen_encoding && ms_mime_header_iter_is (&iter, "Content-Transfer-Encoding"))
        {
          seen_encoding = TRUE;
          g_string_truncate (value, 0);
          ms_mime_header_iter_value (&iter, value);
          g_strstrip (value->str);
          head->encoding = g_mime_content_encoding_from_string (value->str);
          continue;
        }
      if (seen_type || !ms_mime_header_iter_is (&iter, "Content-Type"))
        continue;
      seen_type = TRUE;
      g_string_truncate (value, 0);
      ms_mime_header_iter_value (&iter, value);
      {
        MsMimeContentValue cv;

        ms_mime_content_value_init (&cv);
        /* An unreadable Content-Type counts as none. */
        if (ms_mime_content_value_parse (&cv, value->str, value->len, TRUE))
          {
            head->has_type = TRUE;
            head->kind = TYPE_OTHER;
            head->is_text = g_ascii_strcasecmp (cv.type->str, "text") == 0;
            head->plain_charset = charset_is_plain (ms_mime_content_value_param (&cv, "charset"));
            if (g_ascii_strcasecmp (cv.type->str, "multipart") == 0)
              {
                const char *b = ms_mime_content_value_param (&cv, "boundary");

                head->kind = TYPE_MULTIPART;
                head->is_digest = g_ascii_strcasecmp (cv.subtype->str, "digest") == 0;
                /* Overlong boundaries are cut, as Dovecot does. */
                if (b != NULL && cv.has_slash)
                  head->boundary = g_strndup (b, MS_LIMIT_MIME_BOUNDARY);
              }
            else if (g_ascii_strcasecmp (cv.type->str, "message") == 0 &&
                     g_ascii_strcasecmp (cv.subtype->str, "rfc822") == 0)
              head->kind = TYPE_RFC822;
          }
        ms_mime_content_value_clear (&cv);
      }
    }
}

/* Where the header that starts at pos ends: after the blank line, or at a
 * boundary line, or at the end of the data. As in a body, the line end just
 * before a boundary line belongs to the boundary, even a blank line's. A
 * multipart's own boundary counts from its blank line on: a line after it
 * that matches the own boundary better starts the body, not a new part. */
static gsize
header_end (Parser     *p,
            gsize       start,
            const char *own_boundary,
            Stop       *stop,
            gboolean   *cut)
{
  gsize pos = start;

  *cut = FALSE;
  while (pos < p->len)
    {
      const guint8 *d = p->data + pos;
      gsize after = 0;

      if (d[0] == '\n')
        after = pos + 1;
      else if (d[0] == '\r' && pos + 1 < p->len && d[1] == '\n')
        after = pos + 2;
      if (after != 0)
        {
          gboolean outer;

          if (own_boundary != NULL)
            g_ptr_array_add (p->boundaries, (gpointer) own_boundary);
          outer = match_boundary (p, after, stop) &&
                  (own_boundary == NULL || stop->level != p->boundaries->len - 1);
          if (own_boundary != NULL)
            g_ptr_array_steal_index (p->boundaries, p->boundaries->len - 1);
          *cut = outer;
          return outer ? pos : after;
        }
      if (match_boundary (p, pos, stop))
        {
          *cut = TRUE;
          return body_end_before (p, start, pos);
        }
      pos = next_line (p, pos);
    }
  return p->len;
}

static guint32
add_part (Parser  *p,
          guint32  parent)
{
  MsMimePart part = { 0 };

  part.parent = parent;
  part.first_child = MS_MIME_NONE;
  part.next = MS_MIME_NONE;
  g_array_append_val (p->parts, part);
  if (parent != MS_MIME_NONE)
    {
      MsMimePart *par = &g_array_index (p->parts, MsMimePart, parent);

      if (par->first_child == MS_MIME_NONE)
        par->first_child = p->parts->len - 1;
      else
        {
          guint32 c = par->first_child;

          while (g_array_index (p->parts, MsMimePart, c).next != MS_MIME_NONE)
            c = g_array_index (p->parts, MsMimePart, c).next;
          g_array_index (p->parts, MsMimePart, c).next = p->parts->len - 1;
        }
    }
  return p->parts->len - 1;
}

#define PART(i) (&g_array_index (p->parts, MsMimePart, (i)))

/* Parses the part whose header starts at start; returns the boundary line
 * (or the end of data) that ends it. */
static Stop
parse_part (Parser   *p,
            gsize     start,
            guint32   parent,
            guint     depth,
            gboolean  is_message,
            gboolean  digest_parent)
{
  guint32 idx = add_part (p, parent);
  Stop stop = { p->len, 0, FALSE };
  Head head;
  g_autofree char *boundary = NULL;
  gboolean is_digest;
  gboolean cut = FALSE;
  ContentKind kind;
  gsize body_start;

  PART (idx)->hdr_start = start;
  PART (idx)->is_message = is_message;
  /* The Content-Type (and so the own boundary) is known once the blank
   * line is reached; read it from the header as far as it goes. */
  body_start = header_end (p, start, NULL, &stop, &cut);
  read_head (p, start, body_start, digest_parent, &head);
  kind = head.kind;
  is_digest = head.is_digest;
  boundary = head.boundary;
  if (boundary != NULL && depth < MS_LIMIT_MIME_DEPTH)
    body_start = header_end (p, start, boundary, &stop, &cut);
  PART (idx)->body_start = body_start;
  PART (idx)->digest_default = !head.has_type && digest_parent;
  PART (idx)->is_text = head.is_text;
  PART (idx)->plain_charset = head.plain_charset;
  PART (idx)->encoding = head.encoding;

  if (depth >= MS_LIMIT_MIME_DEPTH || p->parts->len >= MS_LIMIT_MIME_PARTS)
    {
      /* Too deep or too many parts: the body is read as one leaf (a
       * multipart shows no parts). */
      if (kind == TYPE_RFC822)
        kind = TYPE_OTHER;
      g_clear_pointer (&boundary, g_free);
    }

  if (cut)
    {
      /* A boundary inside the header: no body. An attached message is
       * still there, empty. */
      PART (idx)->kind = kind == TYPE_RFC822 ? MS_MIME_PART_RFC822 :
                         kind == TYPE_MULTIPART ? MS_MIME_PART_MULTIPART : MS_MIME_PART_LEAF;
      PART (idx)->body_end = body_start;
      if (kind == TYPE_RFC822)
        {
          guint32 child = add_part (p, idx);

          PART (child)->hdr_start = PART (child)->body_start = PART (child)->body_end = body_start;
          PART (child)->is_message = TRUE;
          PART (child)->is_text = TRUE;
          PART (child)->plain_charset = TRUE;
          PART (child)->kind = MS_MIME_PART_LEAF;
        }
      stop.crlf_taken = body_start < stop.line;
      return stop;
    }

  switch (kind)
    {
    case TYPE_RFC822:
      PART (idx)->kind = MS_MIME_PART_RFC822;
      stop = parse_part (p, body_start, idx, depth + 1, TRUE, FALSE);
      break;

    case TYPE_MULTIPART:
      PART (idx)->kind = MS_MIME_PART_MULTIPART;
      if (boundary == NULL)
        {
          stop = find_stop (p, body_start);
          break;
        }
      {
        guint level = p->boundaries->len;

        g_ptr_array_add (p->boundaries, g_steal_pointer (&boundary));
        stop = find_stop (p, body_start);
        /* Each delimiter of ours starts a child, until the closing one. */
        while (stop.line < p->len && stop.level == level && !stop.close &&
               p->parts->len < MS_LIMIT_MIME_PARTS)
          stop = parse_part (p, next_line (p, stop.line), idx, depth + 1, FALSE, is_digest);
        if (stop.line < p->len && stop.level == level)
          {
            /* The closing delimiter (or too many parts): the epilogue runs to
             * an enclosing boundary. Only a line end inside the epilogue can
             * belong to that boundary. */
            gsize epilogue = next_line (p, stop.line);

            g_ptr_array_set_size (p->boundaries, level);
            stop = find_stop (p, epilogue);
            PART (idx)->body_end = body_end_before (p, epilogue, stop.line);
            PART (idx)->body_lines = count_lines (p->data, body_start, PART (idx)->body_end);
            return stop;
          }
        else
          g_ptr_array_set_size (p->boundaries, level);
      }
      break;

    case TYPE_OTHER:
    default:
      PART (idx)->kind = MS_MIME_PART_LEAF;
      stop = find_stop (p, body_start);
      break;
    }

  PART (idx)->body_end = stop.crlf_taken ? stop.line : body_end_before (p, body_start, stop.line);
  PART (idx)->body_lines = count_lines (p->data, body_start, PART (idx)->body_end);
  return stop;
}

MsMimeInfo *
ms_mime_info_parse (const guint8 *data,
                    gsize         len)
{
  Parser p = { data, len, NULL, NULL };
  MsMimeInfo *info;

  p.parts = g_array_new (FALSE, TRUE, sizeof (MsMimePart));
  p.boundaries = g_ptr_array_new_with_free_func (g_free);
  parse_part (&p, 0, MS_MIME_NONE, 0, TRUE, FALSE);

  info = g_malloc (sizeof (MsMimeInfo) + p.parts->len * sizeof (MsMimePart));
  memset (info->answers, 0, sizeof info->answers);
  info->n_parts = p.parts->len;
  info->in_lines = FALSE;
  memcpy (info->parts, p.parts->data, p.parts->len * sizeof (MsMimePart));
  g_array_unref (p.parts);
  g_ptr_array_unref (p.boundaries);
  return info;
}

void
ms_mime_info_free (MsMimeInfo *info)
{
  if (info == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (info->answers); i++)
    g_free (info->answers[i]);
  g_free (info);
}

const MsMimeInfo *
ms_mime_get_info (MsMessage *message)
{
  MsMimeInfo *info = ms_message_get_cache (message);

  if (info == NULL)
    {
      GBytes *raw = ms_message_get_raw (message);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (raw, &len);

      info = ms_mime_info_parse (data != NULL ? data : (const guint8 *) "", len);
      ms_message_set_cache (message, info, (GDestroyNotify) ms_mime_info_free);
    }
  return info;
}

const MsMimePart *
ms_mime_info_find (const MsMimeInfo *info,
                   const guint      *parts,
                   guint             n_parts)
{
  const MsMimePart *part = &info->parts[0];
  gboolean at_leaf_body = FALSE;

  for (guint i = 0; i < n_parts; i++)
    {
      guint num = parts[i];

      /* Below a leaf's own "1" nothing is left to number. */
      if (num == 0 || at_leaf_body)
        return NULL;
      /* A number below a message/rfc822 part counts within its message. */
      if (part->kind == MS_MIME_PART_RFC822)
        {
          part = ms_mime_part_child (info, part);
          if (part == NULL)
            return NULL;
        }
      if (part->kind == MS_MIME_PART_MULTIPART)
        {
          part = ms_mime_part_child (info, part);
          for (guint k = 1; part != NULL && k < num; k++)
            part = ms_mime_part_next (info, part);
          if (part == NULL)
            return NULL;
        }
      else if (num != 1)
        return NULL;
      else
        {
          /* Part 1 of a single-part message, or of a leaf, is itself; once. */
          at_leaf_body = TRUE;
        }
    }
  return part;
}

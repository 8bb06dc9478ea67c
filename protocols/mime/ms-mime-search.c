/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SEARCH tests (RFC 3501 section 6.4.4): HEADER, BODY, TEXT, and the
 * sent date, plus decoded header values for display. Substring matches are
 * case-insensitive. For speed, text that is already readable as it is
 * (7bit/8bit in US-ASCII or UTF-8) is scanned in place, without a copy;
 * only base64 and quoted-printable bodies are decoded, and other charsets
 * converted to UTF-8, which is GMime's work. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "ms-limits.h"
#include "ms-mime-private.h"

/* How a search reads a message. A message loaded from an mbox with LF line
 * ends is copied with CRs added the first time it is read, and the copy is
 * kept; the first SEARCH BODY over 100k such messages made and kept 2 GB of
 * copies that way, and on a virtual machine every fresh page costs a fault
 * (18 s of the first search). A search reads each message once: it reads
 * it into a scratch buffer of its thread instead (reused message after
 * message, so no fresh memory), keeps only the parsed structure, and later
 * scans the text of such a message in place in the file (see
 * leaf_bytes()). A message already read, or a slice of a CRLF file, is
 * read where it is. */
typedef struct {
  MsMessage    *message;
  const guint8 *data;
  gsize         len;    /* the first len bytes of the message are at data */
} Reading;

static void
scratch_free (gpointer scratch)
{
  g_byte_array_unref (scratch);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static GByteArray *
thread_scratch (void)
{
  GByteArray *scratch = g_private_get (&scratch_key);

  if (scratch == NULL)
    {
      scratch = g_byte_array_new ();
      g_private_set (&scratch_key, scratch);
    }
  return scratch;
}

/* At least the first @want bytes of the message (all of them for G_MAXSIZE). */
static const guint8 *
reading_bytes (Reading *r,
               gsize    want)
{
  want = MIN (want, ms_message_get_size (r->message));
  if (r->data == NULL || r->len < want)
    r->data = ms_message_peek_raw (r->message, thread_scratch (), want, &r->len);
  return r->data;
}

/* Where the text leaves' bodies are in the message's lines in its mbox
 * file, found once, so that later searches scan them there. The parts are
 * in preorder, so their offsets come in the order of the message's bytes. */
static void
locate_text (MsMessage  *message,
             MsMimeInfo *info)
{
  g_autoptr(GArray) at = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree gsize *out = NULL;
  guint k = 0;

  for (guint i = 0; i < info->n_parts; i++)
    if (info->parts[i].kind == MS_MIME_PART_LEAF && info->parts[i].is_text)
      {
        if (at->len > 0 && info->parts[i].body_start < g_array_index (at, gsize, at->len - 1))
          return;   /* not in order: not worth knowing */
        g_array_append_val (at, info->parts[i].body_start);
        g_array_append_val (at, info->parts[i].body_end);
      }
  out = g_new (gsize, MAX (at->len, 1));
  if (!ms_message_locate_lines (message, (const gsize *) at->data, out, at->len))
    return;
  for (guint i = 0; i < info->n_parts; i++)
    if (info->parts[i].kind == MS_MIME_PART_LEAF && info->parts[i].is_text)
      {
        info->parts[i].line_start = out[k++];
        info->parts[i].line_end = out[k++];
      }
  info->in_lines = TRUE;
}

static const MsMimeInfo *
reading_info (Reading *r)
{
  MsMimeInfo *info = ms_message_get_cache (r->message);

  if (info != NULL)
    return info;
  reading_bytes (r, G_MAXSIZE);
  info = ms_mime_info_parse (r->data, r->len);
  locate_text (r->message, info);
  ms_message_set_cache (r->message, info, (GDestroyNotify) ms_mime_info_free);
  return info;
}

/* The bytes of part 0's header that are interpreted. */
static const guint8 *
reading_header (Reading          *r,
                const MsMimeInfo *info,
                gsize            *end)
{
  *end = MIN (info->parts[0].body_start, MS_LIMIT_MIME_HEADER_SIZE);
  return reading_bytes (r, *end);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s; s++)
    if ((guint8) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* Case-insensitive containment of UTF-8 text. */
static gboolean
text_contains (const char *text,
               gsize       len,
               const char *needle)
{
  g_autofree char *hay = NULL;
  g_autofree char *pin = NULL;

  if (is_ascii (needle))
    return ms_mime_memcasemem ((const guint8 *) text, len, needle, strlen (needle));
  hay = g_utf8_casefold (text, len);
  pin = g_utf8_casefold (needle, -1);
  return strstr (hay, pin) != NULL;
}

/* An unfolded header value with RFC 2047 words decoded to UTF-8. */
static char *
decode_value (const MsMimeHeaderIter *iter)
{
  g_autoptr(GString) value = g_string_new (NULL);
  char *decoded;

  ms_mime_ensure_init ();
  ms_mime_header_iter_value (iter, value);
  decoded = g_mime_utils_header_decode_text (NULL, value->str);
  if (decoded != NULL && !g_utf8_validate (decoded, -1, NULL))
    {
      char *valid = g_utf8_make_valid (decoded, -1);

      g_free (decoded);
      decoded = valid;
    }
  return decoded;
}

static gboolean
header_contains (Reading    *r,
                 const char *field,
                 const char *needle)
{
  const MsMimeInfo *info = reading_info (r);
  MsMimeHeaderIter iter;
  const guint8 *data;
  gsize end;

  data = reading_header (r, info, &end);
  ms_mime_header_iter_init (&iter, data, info->parts[0].hdr_start, end);
  while (ms_mime_header_iter_next (&iter))
    {
      g_autofree char *value = NULL;

      if (*field != '\0' && !ms_mime_header_iter_is (&iter, field))
        continue;
      if (*needle == '\0')
        return TRUE;
      value = decode_value (&iter);
      if (value != NULL && text_contains (value, strlen (value), needle))
        return TRUE;
    }
  return FALSE;
}

gboolean
ms_mime_header_contains (MsMessage  *message,
                         const char *field,
                         const char *needle)
{
  Reading r = { message, NULL, 0 };

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  return header_contains (&r, field, needle);
}

/* The charset of a leaf, read again only when its text must be converted. */
static char *
leaf_charset (const guint8     *data,
              const MsMimePart *part)
{
  MsMimeHeaderIter iter;
  char *charset = NULL;

  ms_mime_header_iter_init (&iter, data, part->hdr_start,
                            MIN (part->body_start, part->hdr_start + MS_LIMIT_MIME_HEADER_SIZE));
  while (ms_mime_header_iter_next (&iter))
    {
      g_autoptr(GString) value = NULL;
      MsMimeContentValue cv;

      if (!ms_mime_header_iter_is (&iter, "Content-Type"))
        continue;
      value = g_string_new (NULL);
      ms_mime_header_iter_value (&iter, value);
      ms_mime_content_value_init (&cv);
      if (ms_mime_content_value_parse (&cv, value->str, value->len, TRUE))
        charset = g_strdup (ms_mime_content_value_param (&cv, "charset"));
      ms_mime_content_value_clear (&cv);
      break;
    }
  return charset;
}

/* A leaf's text as it stands in the message, for the fast path: in place
 * in the mbox file when the message's bytes are not at hand and the needle
 * cannot tell the file's lines from the message (see locate_text()), else
 * in the message's bytes. */
static const guint8 *
leaf_bytes (Reading          *r,
            const MsMimeInfo *info,
            const MsMimePart *part,
            gboolean          may_use_lines,
            gsize            *len)
{
  const char *lines;

  if ((r->data == NULL || r->len < part->body_end) && may_use_lines && info->in_lines &&
      (lines = ms_message_peek_lines (r->message, part->line_start, part->line_end)) != NULL)
    {
      *len = part->line_end - part->line_start;
      return (const guint8 *) lines;
    }
  *len = part->body_end - part->body_start;
  return reading_bytes (r, part->body_end) + part->body_start;
}

static gboolean
leaf_contains (Reading          *r,
               const MsMimeInfo *info,
               const MsMimePart *part,
               const char       *needle,
               gboolean          needle_ascii,
               gboolean          needle_in_lines)
{
  const guint8 *data, *body;
  gsize len = part->body_end - part->body_start;
  GMimeContentEncoding encoding = part->encoding;
  gboolean decode;
  g_autofree char *decoded = NULL;
  g_autofree char *utf8 = NULL;
  gsize dlen = len;

  if (!part->is_text)
    return FALSE;
  decode = encoding == GMIME_CONTENT_ENCODING_BASE64 ||
           encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
           encoding == GMIME_CONTENT_ENCODING_UUENCODE;

  /* The fast path: the raw bytes are the text, scanned in place. */
  if (!decode && part->plain_charset && needle_ascii)
    {
      body = leaf_bytes (r, info, part, needle_in_lines, &len);
      return ms_mime_memcasemem (body, len, needle, strlen (needle));
    }

  data = reading_bytes (r, part->body_end);
  body = data + part->body_start;
  ms_mime_ensure_init ();
  if (decode)
    {
      GMimeEncoding state;

      g_mime_encoding_init_decode (&state, encoding);
      decoded = g_malloc (g_mime_encoding_outlen (&state, len) + 1);
      dlen = g_mime_encoding_step (&state, (const char *) body, len, decoded);
      dlen += g_mime_encoding_flush (&state, "", 0, decoded + dlen);
    }
  else
    decoded = g_strndup ((const char *) body, len);
  decoded[dlen] = '\0';

  if (!part->plain_charset)
    {
      g_autofree char *charset = leaf_charset (data, part);
      iconv_t cd = charset ? g_mime_iconv_open ("UTF-8", charset) : (iconv_t) -1;

      if (cd != (iconv_t) -1)
        {
          utf8 = g_mime_iconv_strndup (cd, decoded, dlen);
          g_mime_iconv_close (cd);
        }
    }
  if (utf8 == NULL)
    utf8 = g_utf8_make_valid (decoded, dlen);
  return text_contains (utf8, strlen (utf8), needle);
}

static gboolean
body_contains (Reading    *r,
               const char *needle)
{
  const MsMimeInfo *info = reading_info (r);
  gboolean needle_ascii = is_ascii (needle);
  gboolean needle_in_lines = strpbrk (needle, "\r\n>") == NULL;   /* see locate_text() */

  for (guint i = 0; i < info->n_parts; i++)
    {
      const MsMimePart *part = &info->parts[i];

      if (part->kind != MS_MIME_PART_LEAF)
        continue;
      if (leaf_contains (r, info, part, needle, needle_ascii, needle_in_lines))
        return TRUE;
    }
  return FALSE;
}

gboolean
ms_mime_body_contains (MsMessage  *message,
                       const char *needle)
{
  Reading r = { message, NULL, 0 };

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  if (*needle == '\0')
    return TRUE;
  return body_contains (&r, needle);
}

gboolean
ms_mime_text_contains (MsMessage  *message,
                       const char *needle)
{
  Reading r = { message, NULL, 0 };

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  return header_contains (&r, "", needle) || *needle == '\0' || body_contains (&r, needle);
}

gint64
ms_mime_get_sent_date (MsMessage *message)
{
  g_autoptr(GDateTime) date = NULL;
  Reading r = { message, NULL, 0 };
  const MsMimeInfo *info;
  MsMimeHeaderIter iter;
  const guint8 *data;
  gsize end;

  g_return_val_if_fail (message != NULL, -1);

  info = reading_info (&r);
  data = reading_header (&r, info, &end);
  ms_mime_header_iter_init (&iter, data, 0, end);
  while (ms_mime_header_iter_next (&iter))
    {
      g_autoptr(GString) raw = NULL;

      if (!ms_mime_header_iter_is (&iter, "Date"))
        continue;
      raw = g_string_new (NULL);
      ms_mime_header_iter_value (&iter, raw);
      ms_mime_ensure_init ();
      date = g_mime_utils_header_decode_date (raw->str);
      break;
    }
  return date != NULL ? g_date_time_to_unix (date) : -1;
}

char *
ms_mime_get_header (MsMessage  *message,
                    const char *field)
{
  Reading r = { message, NULL, 0 };
  const MsMimeInfo *info;
  MsMimeHeaderIter iter;
  const guint8 *data;
  gsize end;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  info = reading_info (&r);
  data = reading_header (&r, info, &end);
  ms_mime_header_iter_init (&iter, data, 0, end);
  while (ms_mime_header_iter_next (&iter))
    {
      if (ms_mime_header_iter_is (&iter, field))
        {
          char *value = decode_value (&iter);

          return value != NULL ? g_strstrip (value) : g_strdup ("");
        }
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Scanning bytes                                                      */

/* How common a byte is in mail text, roughly (higher is more common), so
 * that the search anchors on the rarest byte of the needle. */
static guint
byte_weight (guint8 c)
{
  static const char by_frequency[] = "etaoinshrdlcumwfgypbvkjxqz";
  const char *hit;

  if (c == ' ')
    return 100;
  if (g_ascii_isalpha (c) && (hit = strchr (by_frequency, g_ascii_tolower (c))) != NULL)
    return 60 - (guint) (hit - by_frequency);
  if (g_ascii_isdigit (c))
    return 30;
  return 20;
}

gboolean
ms_mime_memcasemem (const guint8 *hay,
                    gsize         hay_len,
                    const char   *needle,
                    gsize         needle_len)
{
  gsize k = 0;
  guint8 lo, up;
  gsize first, last;
  const guint8 *a, *b;

  if (needle_len == 0)
    return TRUE;
  if (needle_len > hay_len)
    return FALSE;
  for (gsize i = 1; i < needle_len; i++)
    if (byte_weight (needle[i]) < byte_weight (needle[k]))
      k = i;
  lo = g_ascii_tolower (needle[k]);
  up = g_ascii_toupper (needle[k]);

  /* memchr finds the anchor byte (in either case) at memory speed; only
   * there is the whole needle compared. Each memchr result is kept until
   * passed, so no byte is scanned twice. Anchors lie in [first, last). */
  first = k;
  last = hay_len - needle_len + k + 1;
  a = memchr (hay + first, lo, last - first);
  b = lo == up ? NULL : memchr (hay + first, up, last - first);
  while (a != NULL || b != NULL)
    {
      const guint8 *hit = a == NULL ? b : (b == NULL || a < b) ? a : b;
      gsize next = (gsize) (hit - hay) + 1;

      if (g_ascii_strncasecmp ((const char *) hit - k, needle, needle_len) == 0)
        return TRUE;
      if (hit == a)
        a = next < last ? memchr (hay + next, lo, last - next) : NULL;
      else
        b = next < last ? memchr (hay + next, up, last - next) : NULL;
    }
  return FALSE;
}

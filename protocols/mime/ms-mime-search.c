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

static const guint8 *
raw_data (MsMessage *message,
          gsize     *len)
{
  const guint8 *data = g_bytes_get_data (ms_message_get_raw (message), len);

  return data != NULL ? data : (const guint8 *) "";
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

gboolean
ms_mime_header_contains (MsMessage  *message,
                         const char *field,
                         const char *needle)
{
  const MsMimeInfo *info;
  MsMimeHeaderIter iter;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  data = raw_data (message, &len);
  info = ms_mime_get_info (message);
  ms_mime_header_iter_init (&iter, data, info->parts[0].hdr_start,
                            MIN (info->parts[0].body_start, MS_LIMIT_MIME_HEADER_SIZE));
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

static gboolean
leaf_contains (const guint8     *data,
               const MsMimePart *part,
               const char       *needle,
               gboolean          needle_ascii)
{
  const guint8 *body = data + part->body_start;
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
    return ms_mime_memcasemem (body, len, needle, strlen (needle));

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

gboolean
ms_mime_body_contains (MsMessage  *message,
                       const char *needle)
{
  const MsMimeInfo *info;
  const guint8 *data;
  gboolean needle_ascii;
  gsize len;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  if (*needle == '\0')
    return TRUE;
  data = raw_data (message, &len);
  info = ms_mime_get_info (message);
  needle_ascii = is_ascii (needle);
  for (guint i = 0; i < info->n_parts; i++)
    {
      const MsMimePart *part = &info->parts[i];

      if (part->kind != MS_MIME_PART_LEAF)
        continue;
      if (leaf_contains (data, part, needle, needle_ascii))
        return TRUE;
    }
  return FALSE;
}

gboolean
ms_mime_text_contains (MsMessage  *message,
                       const char *needle)
{
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  return ms_mime_header_contains (message, "", needle) ||
         ms_mime_body_contains (message, needle);
}

gint64
ms_mime_get_sent_date (MsMessage *message)
{
  g_autoptr(GDateTime) date = NULL;
  const MsMimeInfo *info;
  MsMimeHeaderIter iter;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (message != NULL, -1);

  data = raw_data (message, &len);
  info = ms_mime_get_info (message);
  ms_mime_header_iter_init (&iter, data, 0, MIN (info->parts[0].body_start, MS_LIMIT_MIME_HEADER_SIZE));
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
  const MsMimeInfo *info;
  MsMimeHeaderIter iter;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  data = raw_data (message, &len);
  info = ms_mime_get_info (message);
  ms_mime_header_iter_init (&iter, data, 0, MIN (info->parts[0].body_start, MS_LIMIT_MIME_HEADER_SIZE));
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

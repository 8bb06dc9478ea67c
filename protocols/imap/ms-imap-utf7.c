/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-imap-utf7.h"

static const char b64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static void
flush_utf16 (GString       *out,
             const guint16 *units,
             guint          n)
{
  guint32 bits = 0;
  int nbits = 0;

  g_string_append_c (out, '&');
  for (guint i = 0; i < n; i++)
    {
      bits = (bits << 16) | units[i];
      nbits += 16;
      while (nbits >= 6)
        {
          nbits -= 6;
          g_string_append_c (out, b64[(bits >> nbits) & 0x3f]);
        }
    }
  if (nbits > 0)
    g_string_append_c (out, b64[(bits << (6 - nbits)) & 0x3f]);
  g_string_append_c (out, '-');
}

char *
ms_imap_utf8_to_mutf7 (const char *utf8)
{
  GString *out;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint16));

  g_return_val_if_fail (utf8 != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (utf8, -1, NULL), NULL);

  out = g_string_new (NULL);
  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x20 && c <= 0x7e)
        {
          if (pending->len > 0)
            {
              flush_utf16 (out, (const guint16 *) pending->data, pending->len);
              g_array_set_size (pending, 0);
            }
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          continue;
        }
      if (c >= 0x10000)
        {
          guint16 hi = 0xd800 + ((c - 0x10000) >> 10);
          guint16 lo = 0xdc00 + ((c - 0x10000) & 0x3ff);
          g_array_append_val (pending, hi);
          g_array_append_val (pending, lo);
        }
      else
        {
          guint16 u = c;
          g_array_append_val (pending, u);
        }
    }
  if (pending->len > 0)
    flush_utf16 (out, (const guint16 *) pending->data, pending->len);
  return g_string_free (out, FALSE);
}

static int
b64_value (char c)
{
  const char *p = c ? strchr (b64, c) : NULL;
  return p ? (int) (p - b64) : -1;
}

char *
ms_imap_mutf7_to_utf8 (const char *mutf7)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = mutf7;

  g_return_val_if_fail (mutf7 != NULL, NULL);

  while (*p)
    {
      guint32 bits = 0;
      int nbits = 0;
      gunichar high = 0;
      guint n_units = 0;

      if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
        return NULL;
      if (*p != '&')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      if (*p == '-')
        {
          g_string_append_c (out, '&');
          p++;
          continue;
        }
      for (; *p && *p != '-'; p++)
        {
          int v = b64_value (*p);

          if (v < 0)
            return NULL;
          bits = (bits << 6) | (guint32) v;
          nbits += 6;
          if (nbits >= 16)
            {
              guint16 u;

              nbits -= 16;
              u = (bits >> nbits) & 0xffff;
              n_units++;
              if (u >= 0xd800 && u <= 0xdbff)
                {
                  if (high)
                    return NULL;
                  high = u;
                  continue;
                }
              if (u >= 0xdc00 && u <= 0xdfff)
                {
                  if (!high)
                    return NULL;
                  g_string_append_unichar (out, 0x10000 + ((high - 0xd800) << 10) + (u - 0xdc00));
                  high = 0;
                  continue;
                }
              if (high || (u >= 0x20 && u <= 0x7e) || u == 0)
                return NULL;   /* printable ASCII must not be encoded (not canonical) */
              g_string_append_unichar (out, u);
            }
        }
      /* A shift ends with '-', with only zero padding bits left over. */
      if (*p != '-' || n_units == 0 || high || nbits >= 6 ||
          (bits & ((1u << nbits) - 1)) != 0)
        return NULL;
      p++;
    }

  /* Every name has one spelling: two adjacent shifts ("&APw-&APw-") and
   * other non-minimal encodings decode, but would let two different wire
   * names mean one mailbox. Dovecot refuses them the same way: the name is
   * valid only if encoding it again gives back exactly what came in. */
  {
    g_autofree char *canonical = ms_imap_utf8_to_mutf7 (out->str);

    if (strcmp (canonical, mutf7) != 0)
      return NULL;
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

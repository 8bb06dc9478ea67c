/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing values as IMAP strings: NIL, quoted strings or literals, chosen
 * the way Dovecot chooses them, so ENVELOPE and BODYSTRUCTURE answers are
 * byte-identical to its answers. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>

#include "ms-mime-private.h"


/* Past four quoted-specials a literal is shorter than the escapes. */
#define MAX_QUOTED_ESCAPES 4

static void
append_literal (GString    *out,
                const char *str,
                gsize       len)
{
  g_string_append_printf (out, "{%" G_GSIZE_FORMAT "}\r\n", len);
  g_string_append_len (out, str, len);
}

void
ms_imap_append_nstring (GString    *out,
                        const char *str,
                        gsize       len)
{
  guint escapes = 0;

  if (str == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }
  /* A NUL ends the value, as it does for Dovecot's C strings. */
  len = strnlen (str, len);
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = str[i];

      if (c == '"' || c == '\\')
        {
          if (escapes++ < MAX_QUOTED_ESCAPES)
            continue;
          append_literal (out, str, len);
          return;
        }
      if (c == '\r' || c == '\n' || c >= 0x80)
        {
          append_literal (out, str, len);
          return;
        }
    }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (str[i] == '"' || str[i] == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, str[i]);
    }
  g_string_append_c (out, '"');
}

void
ms_imap_append_for_humans (GString    *out,
                           const char *str,
                           gsize       len)
{
  gboolean modify = FALSE;
  gboolean last_space = TRUE;
  gsize start;
  gsize n;

  /* Quoted as it is when nothing needs changing or escaping. */
  for (gsize i = 0; i < len && !modify; i++)
    {
      guint8 c = str[i];

      if (c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '"' || c == '\\' || c >= 0x80)
        modify = TRUE;
      else if (c == ' ')
        {
          if (last_space)
            modify = TRUE;
          last_space = TRUE;
        }
      else
        last_space = FALSE;
    }
  if (len > 0 && str[len - 1] == ' ')
    modify = TRUE;
  if (!modify)
    {
      g_string_append_c (out, '"');
      g_string_append_len (out, str, len);
      g_string_append_c (out, '"');
      return;
    }

  /* Otherwise a literal with whitespace runs collapsed and trimmed, line
   * ends dropped and NUL shown as U+FFFD (which a client cannot mistake
   * for the end of the string), as Dovecot 2.3 writes them. */
  {
    g_autoptr(GString) text = g_string_new (NULL);

    last_space = TRUE;
    for (gsize i = 0; i < len; i++)
      {
        guint8 c = str[i];

        if (c == ' ' || c == '\t')
          {
            if (!last_space)
              g_string_append_c (text, ' ');
            last_space = TRUE;
          }
        else if (c == '\r' || c == '\n')
          ;
        else
          {
            if (c == 0)
              g_string_append (text, "\xef\xbf\xbd");
            else
              g_string_append_c (text, (char) c);
            last_space = FALSE;
          }
      }
    if (last_space && text->len > 0)
      g_string_truncate (text, text->len - 1);

    if (text->len == 0)
      {
        g_string_append (out, "\"\"");
        return;
      }
    start = out->len;
    n = text->len;
    append_literal (out, text->str, n);
    (void) start;
  }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-line-decoder"
#include "config.h"

#include <string.h>

#include "ms-line-decoder.h"

/* A line longer than this is shown cut: the transcript is for people. */
#define MAX_SHOWN_LINE 400

void
ms_line_decoder_init (MsLineDecoder *self)
{
  memset (self, 0, sizeof *self);
  self->partial = g_string_new (NULL);
}

void
ms_line_decoder_clear (MsLineDecoder *self)
{
  if (self->partial != NULL)
    g_string_free (self->partial, TRUE);
  self->partial = NULL;
}

void
ms_line_decoder_expect_data (MsLineDecoder *self)
{
  self->dot_next = TRUE;
}

static gboolean
parse_literal_suffix (const char *line,
                      gsize       len,
                      guint64    *size)
{
  const char *open;
  const char *end = line + len;

  /* "... {123}" or the non-synchronising "{123+}" of LITERAL+ / LITERAL-. */
  if (len < 3 || end[-1] != '}')
    return FALSE;
  open = g_strrstr_len (line, (gssize) len, "{");
  if (open == NULL)
    return FALSE;
  {
    g_autofree char *digits = g_strndup (open + 1, (gsize) (end - open - 2));
    gsize dl = strlen (digits);

    if (dl > 0 && digits[dl - 1] == '+')
      digits[dl - 1] = '\0';
    return g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT32, size, NULL);
  }
}

static void
push_line (GPtrArray  *lines,
           const char *line,
           gsize       len)
{
  if (len > MAX_SHOWN_LINE)
    g_ptr_array_add (lines, g_strdup_printf ("%.*s… (%zu characters)", MAX_SHOWN_LINE, line, len));
  else
    g_ptr_array_add (lines, g_strndup (line, len));
}

/* The size shown is the message's own, the number that RFC 1939 puts in
 * "+OK 940 octets" and LIST (and RFC 5321 in SIZE): the dot added in front of
 * every line that begins with "." and the closing ".CRLF" are not part of
 * it. When lines were stuffed the wire carried more, and the summary says
 * how much more: that difference is the byte-stuffing at work. */
static char *
dot_data_summary (MsLineDecoder *self)
{
  if (self->dot_stuffed == 0)
    return g_strdup_printf ("{%" G_GUINT64_FORMAT " bytes of message data}", self->dot_bytes);
  return g_strdup_printf ("{%" G_GUINT64_FORMAT " bytes of message data; %" G_GUINT64_FORMAT
                          " on the wire, %" G_GUINT64_FORMAT " %s with \".\" doubled}",
                          self->dot_bytes, self->dot_bytes + self->dot_stuffed, self->dot_stuffed,
                          self->dot_stuffed == 1 ? "line" : "lines");
}

static void
handle_line (MsLineDecoder *self,
             const char    *protocol,
             const char    *line,
             gsize          len,
             GPtrArray     *lines)
{
  guint64 size;

  if (self->in_dot_data)
    {
      if (len == 1 && line[0] == '.')
        {
          g_ptr_array_add (lines, dot_data_summary (self));
          g_ptr_array_add (lines, g_strdup ("."));
          self->in_dot_data = FALSE;
          self->dot_bytes = 0;
          self->dot_stuffed = 0;
        }
      else if (len > 0 && line[0] == '.')
        {
          /* A stuffed line: the extra dot is transport, not message. */
          self->dot_bytes += len - 1 + 2;
          self->dot_stuffed++;
        }
      else
        self->dot_bytes += len + 2;
      return;
    }

  push_line (lines, line, len);

  if (self->dot_next)
    {
      self->dot_next = FALSE;
      /* POP3 "+OK" opens the data; SMTP data follows a "354" the other way,
       * so for SMTP the caller arms the client side directly. */
      if (len == 0 || line[0] != '-')
        self->in_dot_data = TRUE;
      return;
    }

  if (g_str_equal (protocol, "imap") && parse_literal_suffix (line, len, &size) && size > 0)
    {
      self->literal_left = size;
      self->literal_total = size;
    }
}

void
ms_line_decoder_feed (MsLineDecoder *self,
                      const char    *protocol,
                      const guint8  *data,
                      gsize          len,
                      GPtrArray     *lines)
{
  gsize i = 0;

  while (i < len)
    {
      if (self->literal_left > 0)
        {
          gsize take = (gsize) MIN ((guint64) (len - i), self->literal_left);

          self->literal_left -= take;
          i += take;
          if (self->literal_left == 0)
            {
              /* The literal sits inside a line that goes on after it: show
               * the size where the data was, then the rest of the line. */
              g_string_append_printf (self->partial, "{%" G_GUINT64_FORMAT " bytes}",
                                      self->literal_total);
              g_ptr_array_add (lines, g_string_free (g_steal_pointer (&self->partial), FALSE));
              self->partial = g_string_new ("  ");
              self->after_literal = TRUE;
            }
          continue;
        }

      {
        const guint8 *nl = memchr (data + i, '\n', len - i);
        gsize end = nl != NULL ? (gsize) (nl - data) : len;

        g_string_append_len (self->partial, (const char *) data + i, (gssize) (end - i));
        i = end;
        if (nl == NULL)
          break;
        i++;   /* the LF */
        if (self->partial->len > 0 && self->partial->str[self->partial->len - 1] == '\r')
          g_string_truncate (self->partial, self->partial->len - 1);
        {
          g_autoptr(GString) line = g_steal_pointer (&self->partial);

          self->partial = g_string_new (NULL);
          /* A continuation after a literal starts with our two-space marker;
           * a bare ")" line then reads naturally under the elided data, and
           * a line that held nothing after the literal is not shown. */
          gboolean empty_rest = self->after_literal && line->len == 2;

          self->after_literal = FALSE;
          if (!empty_rest)
            handle_line (self, protocol, line->str, line->len, lines);
        }
      }
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages the world makes up (new mail, generated mailboxes): every byte
 * depends only on the arguments and the virtual clock, never on the real
 * date, the locale or a random number. */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <string.h>

#include "ms-world-private.h"

char *
ms_world_format_date (gint64 unix_time)
{
  /* RFC 5322 date-time with English names whatever the locale. */
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

static void
append_body_lines (GString    *out,
                   const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      g_string_append_printf (out, "%s\r\n", lines[i]);
    }
}

GBytes *
ms_world_compose_message (MsWorld    *world,
                          const char *from,
                          const char *to,
                          const char *subject,
                          const char *body,
                          gsize       attachment_size,
                          const char *attachment_name)
{
  GString *out = g_string_new (NULL);
  g_autofree char *date = ms_world_format_date (ms_world_get_unix_now (world));
  guint n = ++world->message_counter;

  g_string_append_printf (out, "Message-ID: <sim-%u@mailscope.example>\r\n", n);
  g_string_append_printf (out, "Date: %s\r\n", date);
  g_string_append_printf (out, "From: %s\r\n", from);
  g_string_append_printf (out, "To: %s\r\n", to);
  g_string_append_printf (out, "Subject: %s\r\n", subject);
  g_string_append (out, "MIME-Version: 1.0\r\n");

  if (attachment_size == 0)
    {
      g_string_append (out, "Content-Type: text/plain; charset=utf-8\r\n"
                            "Content-Transfer-Encoding: 8bit\r\n\r\n");
      append_body_lines (out, body);
    }
  else
    {
      g_autofree guint8 *data = g_malloc (attachment_size);
      g_autofree char *b64 = NULL;
      gsize len;

      /* A fixed pattern rather than random bytes: the same every run. */
      for (gsize i = 0; i < attachment_size; i++)
        data[i] = (guint8) ((i * 131 + (i >> 8) * 7 + n) & 0xff);
      b64 = g_base64_encode (data, attachment_size);
      len = strlen (b64);

      g_string_append_printf (out, "Content-Type: multipart/mixed; boundary=\"sim-boundary-%u\"\r\n\r\n", n);
      g_string_append (out, "This is a message in MIME format.\r\n\r\n");
      g_string_append_printf (out, "--sim-boundary-%u\r\n", n);
      g_string_append (out, "Content-Type: text/plain; charset=utf-8\r\n"
                            "Content-Transfer-Encoding: 8bit\r\n\r\n");
      append_body_lines (out, body);
      g_string_append_printf (out, "\r\n--sim-boundary-%u\r\n", n);
      g_string_append_printf (out, "Content-Type: image/jpeg; name=\"%s\"\r\n"
                                   "Content-Disposition: attachment; filename=\"%s\"\r\n"
                                   "Content-Transfer-Encoding: base64\r\n\r\n",
                              attachment_name, attachment_name);
      for (gsize i = 0; i < len; i += 76)
        {
          g_string_append_len (out, b64 + i, (gssize) MIN ((gsize) 76, len - i));
          g_string_append (out, "\r\n");
        }
      g_string_append_printf (out, "--sim-boundary-%u--\r\n", n);
    }

  return g_string_free_to_bytes (out);
}

/* The unfolded Subject header of a raw message (not decoded: scenario
 * subjects are plain ASCII). */
char *
ms_world_raw_subject (GBytes *raw)
{
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  GString *value = NULL;
  gsize i = 0;

  while (i < len)
    {
      const char *eol = memchr (data + i, '\n', len - i);
      gsize end = eol != NULL ? (gsize) (eol - data) : len;
      gsize line_len = end - i;

      if (line_len > 0 && data[end - 1] == '\r')
        line_len--;
      if (line_len == 0)
        break;
      if (value != NULL && (data[i] == ' ' || data[i] == '\t'))
        g_string_append_len (value, data + i, (gssize) line_len);
      else if (value != NULL)
        break;
      else if (line_len >= 8 && g_ascii_strncasecmp (data + i, "Subject:", 8) == 0)
        value = g_string_new_len (data + i + 8, (gssize) line_len - 8);
      i = end + 1;
    }
  if (value == NULL)
    return g_strdup ("");
  return g_strstrip (g_string_free (value, FALSE));
}

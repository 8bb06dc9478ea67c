/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Argument helpers shared by the command handlers: mailbox names, flags,
 * dates. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ms-imap-utf7.h"
#include "ms-imap-server-session-private.h"

static const char * const months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

gint
ms_imap_compare_uint (gconstpointer a,
                      gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

char *
ms_imap_wire_name (const char *utf8)
{
  return ms_imap_utf8_to_mutf7 (utf8);
}

char *
ms_imap_session_mailbox_arg (MsImapServerSession *self,
                             MsImapCommand       *cmd,
                             const MsImapArg     *arg)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!ms_imap_arg_is_string (arg) || strlen (arg->str) != arg->len)
    {
      ms_imap_session_bad (self, cmd, "Missing or invalid mailbox name.");
      return NULL;
    }
  name = ms_imap_mutf7_to_utf8 (arg->str);
  if (name == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "[CANNOT] Mailbox name is not valid modified UTF-7.");
      return NULL;
    }
  /* A trailing delimiter names the same mailbox (RFC 3501 section 6.3.3). */
  len = strlen (name);
  while (len > 1 && name[len - 1] == '/')
    name[--len] = '\0';
  if (g_ascii_strcasecmp (name, "INBOX") == 0)
    return g_strdup ("INBOX");
  if (!ms_account_name_is_valid (name, &error))
    {
      ms_imap_session_done (self, cmd, "NO", "[CANNOT] %s.", error->message);
      return NULL;
    }
  return g_steal_pointer (&name);
}

void
ms_imap_append_astring (GString    *out,
                        const char *s)
{
  gboolean atom = *s != '\0';

  for (const char *p = s; *p && atom; p++)
    if (strchr ("(){ %*\"\\", *p) || (guchar) *p < 0x21 || (guchar) *p > 0x7e)
      atom = FALSE;
  if (atom && g_ascii_strcasecmp (s, "NIL") != 0)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gboolean
ms_imap_parse_flags (const MsImapArg *arg,
                     MsFlags         *flags,
                     GPtrArray       *keywords)
{
  *flags = MS_FLAG_NONE;
  if (arg == NULL)
    return FALSE;
  if (arg->type != MS_IMAP_ARG_LIST)
    {
      MsImapArg one = *arg;
      MsImapArg list = { MS_IMAP_ARG_LIST, NULL, 0, NULL };
      gboolean ok;

      list.list = g_ptr_array_new ();
      g_ptr_array_add (list.list, &one);
      ok = ms_imap_parse_flags (&list, flags, keywords);
      g_ptr_array_unref (list.list);
      return ok;
    }
  for (guint i = 0; i < arg->list->len; i++)
    {
      const MsImapArg *f = g_ptr_array_index (arg->list, i);

      if (f->type != MS_IMAP_ARG_ATOM)
        return FALSE;
      if (f->str[0] == '\\')
        {
          MsFlags flag = ms_flag_from_string (f->str);

          if (flag == MS_FLAG_NONE)
            return FALSE;   /* \Recent and unknown system flags cannot be set */
          *flags |= flag;
        }
      else
        {
          if (!ms_keyword_is_valid (f->str))
            return FALSE;
          if (keywords)
            g_ptr_array_add (keywords, g_strdup (f->str));
        }
    }
  return TRUE;
}

char *
ms_imap_format_internal_date (gint64 date,
                              int    offset_minutes)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (date);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (offset_minutes * 60);
  g_autoptr(GDateTime) local = NULL;
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;

  if (utc == NULL)
    utc = g_date_time_new_from_unix_utc (0);
  local = g_date_time_to_timezone (utc, tz);
  return g_strdup_printf ("%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                          g_date_time_get_day_of_month (local),
                          months[g_date_time_get_month (local) - 1],
                          g_date_time_get_year (local),
                          g_date_time_get_hour (local),
                          g_date_time_get_minute (local),
                          g_date_time_get_second (local),
                          offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

static int
parse_month (const char *s)
{
  for (int i = 0; i < 12; i++)
    if (g_ascii_strncasecmp (s, months[i], 3) == 0)
      return i + 1;
  return 0;
}

gboolean
ms_imap_parse_date (const char *text,
                    gint64     *days)
{
  int day, month, year;
  char mon[4] = { 0 };
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strlen (text) > 11 ||
      sscanf (text, "%2d-%3c-%4d", &day, mon, &year) != 3)
    return FALSE;
  month = parse_month (mon);
  if (month == 0)
    return FALSE;
  dt = g_date_time_new_utc (year, month, day, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *days = g_date_time_to_unix (dt) / 86400;
  return TRUE;
}

gboolean
ms_imap_parse_date_time (const char *text,
                         gint64     *date,
                         int        *offset_minutes)
{
  int day, year, hour, min, sec, zone;
  char mon[4] = { 0 };
  char sign;
  int month;
  g_autoptr(GDateTime) dt = NULL;

  /* "dd-Mon-yyyy hh:mm:ss +zzzz", the day possibly space-padded. */
  if (text == NULL || strlen (text) != 26 ||
      sscanf (text, "%2d-%3c-%4d %2d:%2d:%2d %c%4d", &day, mon, &year, &hour, &min, &sec,
              &sign, &zone) != 8 || (sign != '+' && sign != '-'))
    return FALSE;
  month = parse_month (mon);
  if (month == 0 || zone % 100 >= 60)
    return FALSE;
  dt = g_date_time_new_utc (year, month, day, hour, min, sec);
  if (dt == NULL)
    return FALSE;
  *offset_minutes = (sign == '-' ? -1 : 1) * ((zone / 100) * 60 + zone % 100);
  *date = g_date_time_to_unix (dt) - (gint64) *offset_minutes * 60;
  return TRUE;
}

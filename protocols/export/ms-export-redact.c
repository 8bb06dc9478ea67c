/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <string.h>

#include "ms-export-private.h"

/* Passwords cross the wire in a few shapes only: POP3 "PASS secret", IMAP
 * "tag LOGIN user secret", and SASL (POP3/SMTP "AUTH PLAIN base64", IMAP
 * "tag AUTHENTICATE PLAIN base64", or the base64 on a line of its own after
 * the server's "+" when there is no initial response). APOP's digest is not
 * the password and cannot be turned back into it, so it stays. */
struct _MsRedactor
{
  gboolean    enabled;
  GHashTable *pending;   /* connection -> client lines still to mask */
};

MsRedactor *
ms_redactor_new (gboolean enabled)
{
  MsRedactor *self = g_new0 (MsRedactor, 1);

  self->enabled = enabled;
  self->pending = g_hash_table_new (NULL, NULL);
  return self;
}

void
ms_redactor_free (MsRedactor *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->pending);
  g_free (self);
}

gboolean
ms_redactor_is_enabled (MsRedactor *self)
{
  return self->enabled;
}

static guint
get_pending (MsRedactor *self,
             guint       connection)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->pending, GUINT_TO_POINTER (connection)));
}

static void
set_pending (MsRedactor *self,
             guint       connection,
             guint       count)
{
  g_hash_table_insert (self->pending, GUINT_TO_POINTER (connection), GUINT_TO_POINTER (count));
}

/* The end of the word that starts at @p: a quoted string (with backslash
 * escapes) or an atom. */
static const char *
word_end (const char *p)
{
  if (*p == '"')
    {
      for (p++; *p != '\0' && *p != '"'; p++)
        if (*p == '\\' && p[1] != '\0')
          p++;
      return *p == '"' ? p + 1 : p;
    }
  while (*p != '\0' && *p != ' ')
    p++;
  return p;
}

/* SASL: how many client lines after the command are secrets, given whether
 * the command carried an initial response. */
static guint
sasl_lines_after (const char *mechanism,
                  gboolean    has_initial)
{
  if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    return has_initial ? 1 : 2;   /* the user name, then the password */
  return has_initial ? 0 : 1;
}

static char *
redact_client_line (MsRedactor *self,
                    guint       connection,
                    const char *line)
{
  g_auto(GStrv) words = NULL;
  guint pending = get_pending (self, connection);
  guint verb = 0;

  if (pending > 0)
    {
      /* "*" cancels a SASL exchange: nothing secret in it. */
      if (g_str_equal (line, "*"))
        {
          set_pending (self, connection, 0);
          return g_strdup (line);
        }
      set_pending (self, connection, pending - 1);
      return g_strdup (MS_EXPORT_MASK);
    }

  words = g_strsplit (line, " ", 4);
  if (words[0] == NULL)
    return g_strdup (line);

  /* POP3 and SMTP commands come first; IMAP ones follow a tag. */
  if (g_ascii_strcasecmp (words[0], "PASS") == 0 && words[1] != NULL)
    return g_strdup_printf ("%s " MS_EXPORT_MASK, words[0]);
  if (words[1] != NULL && g_ascii_strcasecmp (words[0], "AUTH") != 0 &&
      (g_ascii_strcasecmp (words[1], "LOGIN") == 0 ||
       g_ascii_strcasecmp (words[1], "AUTHENTICATE") == 0))
    verb = 1;

  if (verb == 1 && g_ascii_strcasecmp (words[1], "LOGIN") == 0)
    {
      /* tag LOGIN user password: the user name may be a quoted string. */
      const char *user = line + strlen (words[0]) + 1 + strlen (words[1]);
      const char *end;

      if (*user != ' ')
        return g_strdup (line);
      user++;
      end = word_end (user);
      if (*end != ' ')
        return g_strdup (line);
      return g_strdup_printf ("%.*s " MS_EXPORT_MASK, (int) (end - line), line);
    }

  if ((verb == 0 && g_ascii_strcasecmp (words[0], "AUTH") == 0) || verb == 1)
    {
      const char *mechanism = words[verb + 1];
      const char *initial;

      if (mechanism == NULL)
        return g_strdup (line);
      initial = words[verb + 2];
      /* A line that is only "AUTH" or "AUTH LOGIN": the rest follows. */
      set_pending (self, connection, sasl_lines_after (mechanism, initial != NULL));
      if (initial != NULL && g_ascii_strcasecmp (mechanism, "LOGIN") != 0 &&
          !g_str_equal (initial, "="))
        return verb == 1
          ? g_strdup_printf ("%s %s %s " MS_EXPORT_MASK, words[0], words[1], mechanism)
          : g_strdup_printf ("%s %s " MS_EXPORT_MASK, words[0], mechanism);
    }
  return g_strdup (line);
}

char *
ms_redactor_line (MsRedactor  *self,
                  guint        connection,
                  MsDirection  direction,
                  const char  *line)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (line != NULL, NULL);

  if (!self->enabled || direction != MS_DIRECTION_TO_SERVER)
    return g_strdup (line);
  return redact_client_line (self, connection, line);
}

GBytes *
ms_redactor_bytes (MsRedactor  *self,
                   guint        connection,
                   MsDirection  direction,
                   GBytes      *bytes)
{
  g_autoptr(GByteArray) out = NULL;
  const char *data;
  gsize len, start = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!self->enabled || direction != MS_DIRECTION_TO_SERVER)
    return g_bytes_ref (bytes);

  data = g_bytes_get_data (bytes, &len);
  out = g_byte_array_sized_new (len);
  while (start < len)
    {
      const char *nl = memchr (data + start, '\n', len - start);
      gsize end = nl != NULL ? (gsize) (nl - data) : len;
      gsize text_end = end > start && data[end - 1] == '\r' ? end - 1 : end;
      g_autofree char *text = g_strndup (data + start, text_end - start);
      g_autofree char *redacted = NULL;

      /* Only complete lines are commands; a line with a NUL is data. */
      if (nl != NULL && strlen (text) == text_end - start)
        redacted = redact_client_line (self, connection, text);
      else
        redacted = g_strndup (data + start, text_end - start);
      g_byte_array_append (out, (const guint8 *) redacted, strlen (redacted));
      g_byte_array_append (out, (const guint8 *) data + text_end, (nl != NULL ? end + 1 : len) - text_end);
      start = nl != NULL ? end + 1 : len;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GStrv
ms_redactor_entry_lines (MsRedactor        *self,
                         MsTranscriptEntry *entry)
{
  const char * const *lines = ms_transcript_entry_get_lines (entry);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_autofree char *line = ms_redactor_line (self, ms_transcript_entry_get_connection (entry),
                                                ms_transcript_entry_get_direction (entry),
                                                lines[i]);
      g_strv_builder_add (builder, line);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a scenario's key file: where each group and key is (GKeyFile
 * does not say), and the values (strings, booleans, id lists, durations),
 * each error naming the file, the line and the key. */
#define G_LOG_DOMAIN "ms-scenario"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ms-scenario-private.h"

guint
ms_scenario_locate (MsScenarioLocator *loc,
                    const char        *group,
                    const char        *key)
{
  g_autofree char *k = g_strdup_printf ("%s\n%s", group, key != NULL ? key : "");

  return GPOINTER_TO_UINT (g_hash_table_lookup (loc->lines, k));
}

gboolean
ms_scenario_fail (GError            **error,
                  MsScenarioLocator  *loc,
                  const char         *group,
                  const char         *key,
                  const char         *format,
                  ...)
{
  va_list args;
  g_autofree char *message = NULL;
  guint line = ms_scenario_locate (loc, group, key);

  if (line == 0 && key != NULL)
    line = ms_scenario_locate (loc, group, NULL);
  va_start (args, format);
  /* xgettext collects the formats (po/meson.build names this function as a
   * keyword), so a teacher's typo is explained in their language. */
  message = g_strdup_vprintf (g_dgettext (GETTEXT_PACKAGE, format), args);
  va_end (args);
  if (key != NULL)
    g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s:%u: [%s] %s: %s",
                 loc->file, line, group, key, message);
  else
    g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s:%u: [%s]: %s",
                 loc->file, line, group, message);
  return FALSE;
}

/* GKeyFile says what is wrong but not where: a first pass over the lines
 * finds every group and key, and the first line GKeyFile would refuse. */
gboolean
ms_scenario_scan_lines (MsScenarioLocator  *loc,
                        const char         *data,
                        gsize               len,
                        GError            **error)
{
  g_autofree char *copy = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autofree char *group = NULL;

  if (strlen (copy) != len)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s:1: the file contains a NUL byte", loc->file);
      return FALSE;
    }
  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s:1: the file is not UTF-8", loc->file);
      return FALSE;
    }

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint number = i + 1;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (line[0] == '[')
        {
          char *close = strchr (line, ']');
          g_autofree char *k = NULL;

          if (close == NULL || close[1] != '\0' || close == line + 1)
            {
              g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                           "%s:%u: a group header must look like [name]", loc->file, number);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, (gsize) (close - line - 1));
          k = g_strdup_printf ("%s\n", group);
          if (g_hash_table_contains (loc->lines, k))
            {
              g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                           "%s:%u: [%s] appears twice", loc->file, number, group);
              return FALSE;
            }
          g_hash_table_insert (loc->lines, g_steal_pointer (&k), GUINT_TO_POINTER (number));
          continue;
        }
      {
        char *eq = strchr (line, '=');
        g_autofree char *key = NULL;
        g_autofree char *k = NULL;

        if (eq == NULL || eq == line)
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: expected “key=value”, a [group] or a # comment", loc->file, number);
            return FALSE;
          }
        if (group == NULL)
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: a key before the first [group]", loc->file, number);
            return FALSE;
          }
        key = g_strstrip (g_strndup (line, (gsize) (eq - line)));
        k = g_strdup_printf ("%s\n%s", group, key);
        if (g_hash_table_contains (loc->lines, k))
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: [%s] %s: the key appears twice", loc->file, number, group, key);
            return FALSE;
          }
        g_hash_table_insert (loc->lines, g_steal_pointer (&k), GUINT_TO_POINTER (number));
      }
    }
  return TRUE;
}

gboolean
ms_scenario_key_string (GKeyFile           *kf,
                        MsScenarioLocator  *loc,
                        const char         *group,
                        const char         *key,
                        gboolean            required,
                        char              **out,
                        GError            **error)
{
  g_autoptr(GError) local = NULL;

  *out = NULL;
  if (!g_key_file_has_key (kf, group, key, NULL))
    {
      if (required)
        return ms_scenario_fail (error, loc, group, key, "is required");
      return TRUE;
    }
  *out = g_key_file_get_string (kf, group, key, &local);
  if (*out == NULL)
    return ms_scenario_fail (error, loc, group, key, "%s", local->message);
  g_strstrip (*out);
  if (required && **out == '\0')
    return ms_scenario_fail (error, loc, group, key, "must not be empty");
  return TRUE;
}

/* The keys a teacher may translate with GKeyFile locale keys
 * (title[de]=…); every other key is data and has no locale variant. */
static const char * const text_keys[] = { "title", "description", "intro", "narration", NULL };

/* A text key in the reader's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
 * as g_get_language_names() orders them), else the untranslated value.
 * The tests pin English, so golden transcripts keep the plain keys. */
gboolean
ms_scenario_key_text (GKeyFile           *kf,
                      MsScenarioLocator  *loc,
                      const char         *group,
                      const char         *key,
                      gboolean            required,
                      char              **out,
                      GError            **error)
{
  g_autofree char *locale = NULL;
  g_autofree char *locale_key = NULL;
  g_autofree char *translated = NULL;
  g_autoptr(GError) ignored = NULL;

  g_assert (g_strv_contains (text_keys, key));
  if (!ms_scenario_key_string (kf, loc, group, key, required, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  /* The same lookup as g_key_file_get_locale_string(), which in GLib 2.74
   * leaks the GError of a value that is returned with one (an unknown
   * escape such as the "\S" of "\Seen" in the untranslated text: valgrind
   * saw it in every scenario that names the flag). */
  locale = g_key_file_get_locale_for_key (kf, group, key, NULL);
  if (locale == NULL)
    return TRUE;
  locale_key = g_strdup_printf ("%s[%s]", key, locale);
  translated = g_key_file_get_string (kf, group, locale_key, &ignored);
  if (translated != NULL && *g_strstrip (translated) != '\0')
    {
      /* An empty translation counts as a missing one. */
      g_free (*out);
      *out = g_steal_pointer (&translated);
    }
  return TRUE;
}

gboolean
ms_scenario_is_locale_key (const char         *key,
                           const char * const *allowed)
{
  const char *open = strchr (key, '[');
  g_autofree char *base = NULL;

  if (open == NULL || open == key || !g_str_has_suffix (open, "]") || open[1] == ']')
    return FALSE;
  base = g_strndup (key, open - key);
  return g_strv_contains (text_keys, base) && g_strv_contains (allowed, base);
}

gboolean
ms_scenario_key_bool (GKeyFile           *kf,
                      MsScenarioLocator  *loc,
                      const char         *group,
                      const char         *key,
                      gboolean           *out,
                      GError            **error)
{
  g_autofree char *value = NULL;

  if (!ms_scenario_key_string (kf, loc, group, key, FALSE, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "true") || g_str_equal (value, "yes"))
    *out = TRUE;
  else if (g_str_equal (value, "false") || g_str_equal (value, "no"))
    *out = FALSE;
  else
    return ms_scenario_fail (error, loc, group, key, "“%s” is not true or false", value);
  return TRUE;
}

gboolean
ms_scenario_key_ids (GKeyFile           *kf,
                     MsScenarioLocator  *loc,
                     const char         *group,
                     const char         *key,
                     char                letter,
                     GStrv              *out,
                     GError            **error)
{
  g_autofree char *value = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!ms_scenario_key_string (kf, loc, group, key, FALSE, &value, error))
    return FALSE;
  parts = g_strsplit_set (value != NULL ? value : "", ";, ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = parts[i];
      gsize n = strlen (id);

      if (n == 0)
        continue;
      if (id[0] != letter || n < 2 || n > 3 || !g_ascii_isdigit (id[1]) ||
          (n == 3 && !g_ascii_isdigit (id[2])))
        return ms_scenario_fail (error, loc, group, key, "“%s” is not an id like %s", id,
                                 letter == 'T' ? "T10" : "M2");
      g_strv_builder_add (builder, id);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
ms_scenario_parse_duration (const char *text,
                            gint64     *us)
{
  static const struct { const char *suffix; gint64 factor; } units[] = {
    { "ms", 1000 }, { "s", G_USEC_PER_SEC }, { "m", 60 * G_USEC_PER_SEC },
    { "h", G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC },
    { "d", G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_has_suffix (text, units[i].suffix))
      {
        g_autofree char *digits = g_strndup (text, strlen (text) - strlen (units[i].suffix));
        guint64 n;

        if (!g_ascii_string_to_unsigned (digits, 10, 0, 1000000, &n, NULL))
          return FALSE;
        if ((gint64) n > MS_SCENARIO_MAX_WAIT_US / units[i].factor)
          return FALSE;
        *us = (gint64) n * units[i].factor;
        return TRUE;
      }
  return FALSE;
}

gboolean
ms_scenario_check_keys (GKeyFile            *kf,
                        MsScenarioLocator   *loc,
                        const char          *group,
                        const char * const  *allowed,
                        GError             **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]) && !ms_scenario_is_locale_key (keys[i], allowed))
      return ms_scenario_fail (error, loc, group, keys[i], "unknown key");
  return TRUE;
}

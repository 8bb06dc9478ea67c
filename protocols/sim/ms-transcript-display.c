/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript-display"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>

#include "ms-transcript-display.h"
#include "ms-transcript-phrases.h"

#define MAX_ARGS 6
/* Recursion: a notice holds a summary, which holds fragments, which may
 * hold a word to translate. Deeper than this is not a phrase of ours. */
#define MAX_DEPTH 4

typedef struct {
  const char *start[MAX_ARGS];
  gsize       len[MAX_ARGS];
  guint       n;
  guint       greedy;
  guint       spans;    /* arguments that may hold "; " (a summary) */
} Captures;

/* Does text[0..len) hold the "; " that joins the parts of a summary? */
static gboolean
holds_separator (const char *text,
                 gsize       len)
{
  for (gsize i = 0; i + 1 < len; i++)
    if (text[i] == ';' && text[i + 1] == ' ')
      return TRUE;
  return FALSE;
}

/* Does @text match @format from here to its end? %s takes one character or
 * more (as few as fit, or as many for a greedy argument), %u one digit or
 * more, %% a per cent sign; the rest must match literally. Only an argument
 * that is itself translated may span a "; ": anything else stops there, so
 * that "synced %s" cannot swallow the rest of a summary. */
static gboolean
match_here (const char *format,
            const char *text,
            Captures   *caps)
{
  while (*format != '\0')
    {
      if (format[0] == '%' && format[1] == '%')
        {
          if (*text != '%')
            return FALSE;
          format += 2;
          text++;
          continue;
        }
      if (format[0] == '%' && (format[1] == 's' || format[1] == 'u'))
        {
          guint slot = caps->n;
          gsize avail = strlen (text);

          if (slot >= MAX_ARGS)
            return FALSE;
          caps->n++;
          if (format[1] == 'u')
            {
              gsize digits = strspn (text, "0123456789");

              if (digits > 0)
                {
                  caps->start[slot] = text;
                  caps->len[slot] = digits;
                  if (match_here (format + 2, text + digits, caps))
                    return TRUE;
                }
            }
          else if (caps->greedy & (1u << slot))
            {
              for (gsize len = avail; len >= 1; len--)
                {
                  if (!(caps->spans & (1u << slot)) && holds_separator (text, len))
                    continue;
                  caps->start[slot] = text;
                  caps->len[slot] = len;
                  caps->n = slot + 1;
                  if (match_here (format + 2, text + len, caps))
                    return TRUE;
                }
            }
          else
            {
              for (gsize len = 1; len <= avail; len++)
                {
                  if (!(caps->spans & (1u << slot)) && holds_separator (text, len))
                    break;
                  caps->start[slot] = text;
                  caps->len[slot] = len;
                  caps->n = slot + 1;
                  if (match_here (format + 2, text + len, caps))
                    return TRUE;
                }
            }
          caps->n = slot;
          return FALSE;
        }
      if (*format != *text)
        return FALSE;
      format++;
      text++;
    }
  return *text == '\0';
}

static char *translate_depth (const char *text,
                              guint       depth);

/* Writes @format (a translation) with the captured arguments: %s and %u in
 * order, or %N$s and %N$u by position, as printf would. */
static char *
expand (const char     *format,
        const Captures *caps,
        guint           translate_args,
        guint           depth)
{
  GString *out = g_string_new (NULL);
  guint next = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      guint slot;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      slot = next;
      if (g_ascii_isdigit (p[1]))
        {
          char *end = NULL;
          guint64 n = g_ascii_strtoull (p + 1, &end, 10);

          if (end != NULL && *end == '$' && n >= 1 && n <= MAX_ARGS)
            {
              slot = (guint) n - 1;
              p = end;
            }
        }
      if (p[1] != 's' && p[1] != 'u')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (slot >= caps->n)
        continue;
      if (slot == next)
        next++;
      {
        g_autofree char *arg = g_strndup (caps->start[slot], caps->len[slot]);

        if (translate_args & (1u << slot))
          {
            g_autofree char *words = translate_depth (arg, depth + 1);

            g_string_append (out, words);
          }
        else
          g_string_append (out, arg);
      }
    }
  return g_string_free (out, FALSE);
}

/* Which argument is the @nth %u (0 the first), or G_MAXUINT. */
static guint
count_slot (const char *format,
            guint       nth)
{
  guint slot = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      if (p[0] != '%' || p[1] == '\0')
        continue;
      if (p[1] == 'u' && nth-- == 0)
        return slot;
      if (p[1] == 's' || p[1] == 'u')
        slot++;
      p++;
    }
  return G_MAXUINT;
}

/* pgettext with a plural: gettext keeps a context as "context\004msgid". */
static const char *
translate_plural (const MsPhrase *phrase,
                  gulong          n)
{
  g_autofree char *key = g_strconcat (MS_PHRASE_CONTEXT "\004", phrase->english, NULL);
  const char *translated = g_dngettext (GETTEXT_PACKAGE, key, phrase->english_plural, n);

  if (translated == key)
    return n == 1 ? phrase->english : phrase->english_plural;
  return translated;
}

static char *
translate_phrase (const MsPhrase *phrase,
                  const char     *text,
                  guint           depth)
{
  Captures caps = { .greedy = phrase->greedy_args, .spans = phrase->translate_args };
  const char *english = phrase->english;
  const char *translated;

  if (!match_here (english, text, &caps))
    {
      if (phrase->english_plural == NULL)
        return NULL;
      caps = (Captures) { .greedy = phrase->greedy_args, .spans = phrase->translate_args };
      english = phrase->english_plural;
      if (!match_here (english, text, &caps))
        return NULL;
    }

  if (phrase->english_plural != NULL)
    {
      /* The count that chose the English form chooses the translated one. */
      guint slot = count_slot (english, phrase->count_arg);
      gulong n = 1;

      if (slot < caps.n)
        {
          g_autofree char *digits = g_strndup (caps.start[slot], caps.len[slot]);

          n = strtoul (digits, NULL, 10);
        }
      translated = translate_plural (phrase, n);
    }
  else
    translated = g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, phrase->english);
  return expand (translated, &caps, phrase->translate_args, depth);
}

static char *
translate_depth (const char *text,
                 guint       depth)
{
  const MsPhrase *phrases;
  guint n_phrases;

  if (depth > MAX_DEPTH || *text == '\0')
    return g_strdup (text);
  phrases = ms_transcript_phrases (&n_phrases);
  for (guint i = 0; i < n_phrases; i++)
    {
      char *out = translate_phrase (&phrases[i], text, depth);

      if (out != NULL)
        return out;
    }

  /* A summary is fragments joined by "; " ("downloaded 3 messages, 41 KB;
   * left 3 on the server"): translate each. */
  if (strstr (text, "; ") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (text, "; ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *words = translate_depth (parts[i], depth + 1);

          g_free (parts[i]);
          parts[i] = words;
        }
      return g_strjoinv ("; ", parts);
    }
  return g_strdup (text);
}

gboolean
ms_transcript_display_active (void)
{
  /* The probe is a phrase every catalogue translates: gettext hands back
   * the msgid itself when it has no translation. */
  static const char probe[] = "check ok: %s (%s)";

  return g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, probe) != probe;
}

char *
ms_transcript_display_translate (const char *canonical)
{
  g_return_val_if_fail (canonical != NULL, NULL);

  if (!ms_transcript_display_active ())
    return g_strdup (canonical);
  return translate_depth (canonical, 0);
}

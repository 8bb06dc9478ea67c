/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-phrase"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-phrase.h"

typedef enum {
  PHRASE_TEXT,
  PHRASE_NUMBER,
  PHRASE_WORD,
  PHRASE_NAME,
  PHRASE_SENTENCE,
  PHRASE_LIST,
} PhraseKind;

struct _MsPhrase
{
  gatomicrefcount  ref_count;
  PhraseKind       kind;
  char            *text;          /* TEXT, WORD; a NAME's English */
  guint64          number;        /* NUMBER; a SENTENCE's plural count */
  const char      *msgid;         /* SENTENCE, NAME; a LIST's separator */
  const char      *context;       /* NAME */
  const char      *msgid_plural;  /* SENTENCE with a plural, else NULL */
  GPtrArray       *args;          /* SENTENCE's arguments, LIST's items */
};

G_DEFINE_BOXED_TYPE (MsPhrase, ms_phrase, ms_phrase_ref, ms_phrase_unref)

static MsPhrase *
phrase_new (PhraseKind kind)
{
  MsPhrase *self = g_new0 (MsPhrase, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  return self;
}

MsPhrase *
ms_phrase_text (const char *text)
{
  MsPhrase *self = phrase_new (PHRASE_TEXT);

  self->text = g_strdup (text != NULL ? text : "");
  return self;
}

MsPhrase *
ms_phrase_printf (const char *format,
                  ...)
{
  MsPhrase *self = phrase_new (PHRASE_TEXT);
  va_list args;

  va_start (args, format);
  self->text = g_strdup_vprintf (format, args);
  va_end (args);
  return self;
}

MsPhrase *
ms_phrase_uint (guint64 n)
{
  MsPhrase *self = phrase_new (PHRASE_NUMBER);

  self->number = n;
  return self;
}

MsPhrase *
ms_phrase_word (const char *word)
{
  MsPhrase *self = phrase_new (PHRASE_WORD);

  self->text = g_strdup (word != NULL ? word : "");
  return self;
}

MsPhrase *
ms_phrase_name (const char *english,
                const char *context,
                const char *msgid)
{
  MsPhrase *self;

  g_return_val_if_fail (context != NULL && msgid != NULL, NULL);

  self = phrase_new (PHRASE_NAME);
  self->text = g_strdup (english != NULL ? english : "");
  self->context = context;
  self->msgid = msgid;
  return self;
}

MsPhrase *
ms_phrase_new_array (const char  *msgid,
                     const char  *msgid_plural,
                     gulong       n,
                     MsPhrase   **args)
{
  MsPhrase *self;

  g_return_val_if_fail (msgid != NULL, NULL);

  self = phrase_new (PHRASE_SENTENCE);
  self->msgid = msgid;
  self->msgid_plural = msgid_plural;
  self->number = n;
  self->args = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_phrase_unref);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (self->args, args[i]);
  return self;
}

MsPhrase *
ms_phrase_list_new (const char *separator)
{
  MsPhrase *self = phrase_new (PHRASE_LIST);

  self->msgid = separator;
  self->args = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_phrase_unref);
  return self;
}

void
ms_phrase_list_append (MsPhrase *list,
                       MsPhrase *item)
{
  g_return_if_fail (list != NULL && list->kind == PHRASE_LIST);
  g_return_if_fail (item != NULL);

  g_ptr_array_add (list->args, item);
}

gboolean
ms_phrase_list_is_empty (const MsPhrase *list)
{
  g_return_val_if_fail (list != NULL && list->kind == PHRASE_LIST, TRUE);
  return list->args->len == 0;
}

MsPhrase *
ms_phrase_ref (MsPhrase *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ms_phrase_unref (MsPhrase *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->text);
  g_clear_pointer (&self->args, g_ptr_array_unref);
  g_free (self);
}

const char *
ms_phrase_get_msgid (const MsPhrase *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->kind == PHRASE_SENTENCE ? self->msgid : NULL;
}

const char *
ms_phrase_get_text (const MsPhrase *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->kind == PHRASE_TEXT || self->kind == PHRASE_WORD || self->kind == PHRASE_NAME ? self->text : NULL;
}

gboolean
ms_phrase_is_name (const MsPhrase *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->kind == PHRASE_NAME;
}

guint
ms_phrase_get_n_args (const MsPhrase *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->args != NULL ? self->args->len : 0;
}

const MsPhrase *
ms_phrase_get_arg (const MsPhrase *self,
                   guint           i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < ms_phrase_get_n_args (self), NULL);
  return g_ptr_array_index (self->args, i);
}

/* The format a sentence is written with: its msgid (or the English plural)
 * for English; else the catalogue's translation, which gettext gives back
 * as the msgid itself when it has none. */
static const char *
sentence_format (const MsPhrase *self,
                 gboolean        translate)
{
  g_autofree char *key = NULL;
  const char *translated;

  if (self->msgid_plural == NULL)
    return translate ? g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, self->msgid) : self->msgid;
  if (!translate)
    return self->number == 1 ? self->msgid : self->msgid_plural;
  /* pgettext with a plural: gettext keeps a context as "context\004msgid". */
  key = g_strconcat (MS_PHRASE_CONTEXT "\004", self->msgid, NULL);
  translated = g_dngettext (GETTEXT_PACKAGE, key, self->msgid_plural, self->number);
  if (translated == key)
    return self->number == 1 ? self->msgid : self->msgid_plural;
  return translated;
}

static void append_phrase (GString        *out,
                           const MsPhrase *self,
                           gboolean        translate);

/* Writes @format with the sentence's arguments: %s and %u take them in
 * order, %N$s and %N$u by position (a translation may reorder them), %% is
 * a per cent sign. The conversion only marks the place: each argument
 * writes itself. */
static void
expand (GString        *out,
        const char     *format,
        const MsPhrase *self,
        gboolean        translate)
{
  guint next = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      guint slot = next;

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
      if (g_ascii_isdigit (p[1]))
        {
          char *end = NULL;
          guint64 n = g_ascii_strtoull (p + 1, &end, 10);

          if (end != NULL && *end == '$' && n >= 1 && n <= G_MAXUINT)
            {
              slot = (guint) n - 1;
              p = end;
            }
        }
      if (p[1] != 's' && p[1] != 'u')
        {
          g_string_append_c (out, '%');
          continue;
        }
      p++;
      if (slot == next)
        next++;
      if (slot < self->args->len)
        append_phrase (out, g_ptr_array_index (self->args, slot), translate);
    }
}

static void
append_phrase (GString        *out,
               const MsPhrase *self,
               gboolean        translate)
{
  switch (self->kind)
    {
    case PHRASE_TEXT:
      g_string_append (out, self->text);
      break;
    case PHRASE_NUMBER:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, self->number);
      break;
    case PHRASE_WORD:
      g_string_append (out, translate && self->text[0] != '\0'
                              ? g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, self->text)
                              : self->text);
      break;
    case PHRASE_NAME:
      {
        /* gettext hands back the msgid itself when it has no translation. */
        const char *shown = translate ? g_dpgettext2 (GETTEXT_PACKAGE, self->context, self->msgid)
                                      : self->msgid;

        g_string_append (out, shown != self->msgid ? shown : self->text);
      }
      break;
    case PHRASE_SENTENCE:
      expand (out, sentence_format (self, translate), self, translate);
      break;
    case PHRASE_LIST:
      for (guint i = 0; i < self->args->len; i++)
        {
          if (i > 0)
            g_string_append (out, self->msgid);
          append_phrase (out, g_ptr_array_index (self->args, i), translate);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
ms_phrase_to_english (const MsPhrase *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append_phrase (out, self, FALSE);
  return g_string_free (out, FALSE);
}

char *
ms_phrase_to_display (const MsPhrase *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append_phrase (out, self, TRUE);
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sentence the simulation says outside the protocol ("laptop done:
 * downloaded 3 messages, 41 KB; left 3 on the server"), kept as data rather
 * than as finished text, so that it can be written in English and in the
 * reader's language from the same parts.
 *
 * A phrase is a small immutable tree. Its inner nodes are sentences: an
 * untranslated format (a gettext msgid in the context "transcript", with
 * %s and %u for its arguments) and the arguments, each itself a phrase.
 * Its leaves are text shown as it is (a subject, a folder, a user name, an
 * error from elsewhere), a number, or a protocol word that the catalogue
 * may translate (a state name such as "authenticated"). A list joins
 * phrases with a separator: a summary is fragments joined by "; ".
 *
 * Why one type for all of them rather than a GVariant or a tagged union of
 * arguments: an argument that is translated itself (a summary inside
 * "%s done: %s") is just another phrase, so the English and the translated
 * rendering are one recursive walk, and the constructors check the types
 * of their arguments at compile time:
 *
 *   ms_phrase_new (NC_ ("transcript", "%s done: %s"),
 *                  ms_phrase_text (device), summary)
 *
 * Every argument is a new phrase that the sentence takes over. The msgid is
 * marked at the call site (NC_, or MS_NP for a plural: po/meson.build tells
 * xgettext), so every sentence is in the catalogue and none is repeated in
 * a table. Nothing here parses English: the English line is the msgid with
 * its arguments, the translated line the msgid's translation with the same
 * arguments, and an argument that is text stays text, whatever it says. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The gettext context of every sentence, so that a word such as "login"
 * or "done" is translated for the transcript alone. */
#define MS_PHRASE_CONTEXT "transcript"

/* A sentence with a plural form: MS_NP (context, singular, plural). */
#define MS_NP(context, singular, plural) singular, plural

typedef struct _MsPhrase MsPhrase;

#define MS_TYPE_PHRASE (ms_phrase_get_type ())

GType     ms_phrase_get_type          (void) G_GNUC_CONST;

/* Leaves. @text and @word are copied; NULL reads as "". */
MsPhrase *ms_phrase_text              (const char *text);
MsPhrase *ms_phrase_printf            (const char *format,
                                       ...) G_GNUC_PRINTF (1, 2);
MsPhrase *ms_phrase_uint              (guint64     n);
/* A word the protocol reports (a state or event name): its translation in
 * the context "transcript" when the catalogue has one, else the word. The
 * word is marked where it is defined. */
MsPhrase *ms_phrase_word              (const char *word);
/* A name with two renderings: @english in the English line (an id such as
 * "phone", which goldens and assertions read), and the translation of
 * @msgid in @context in the display line ("Handy"), or @english again when
 * the catalogue has none, so that an English display is the English line.
 * @context and @msgid must live as long as the program (literals). */
MsPhrase *ms_phrase_name              (const char *english,
                                       const char *context,
                                       const char *msgid);

/* A sentence. @msgid must live as long as the program (a literal). The
 * arguments are phrases, taken over; the macros end the list. */
#define ms_phrase_new(msgid, ...) \
  ms_phrase_new_array ((msgid), NULL, 0, (MsPhrase *[]) { __VA_ARGS__ __VA_OPT__(,) NULL })
/* @forms is MS_NP (context, singular, plural); @n picks the form. */
#define ms_phrase_new_plural(forms, n, ...) \
  ms_phrase_new_array (forms, (n), (MsPhrase *[]) { __VA_ARGS__ __VA_OPT__(,) NULL })
MsPhrase *ms_phrase_new_array         (const char  *msgid,
                                       const char  *msgid_plural,
                                       gulong       n,
                                       MsPhrase   **args);

/* An empty list whose items are joined with @separator (a literal), and
 * adding to it (takes @item over) while it is not shared yet. */
MsPhrase *ms_phrase_list_new          (const char *separator);
void      ms_phrase_list_append       (MsPhrase   *list,
                                       MsPhrase   *item);
gboolean  ms_phrase_list_is_empty     (const MsPhrase *list);

MsPhrase *ms_phrase_ref               (MsPhrase       *self);
void      ms_phrase_unref             (MsPhrase       *self);

/* The sentence's msgid (its untranslated format), or NULL for a leaf or a
 * list; the arguments of a sentence or the items of a list. */
const char *ms_phrase_get_msgid       (const MsPhrase *self);
guint       ms_phrase_get_n_args      (const MsPhrase *self);
const MsPhrase *ms_phrase_get_arg     (const MsPhrase *self,
                                       guint           i);

/* A leaf's own text (a TEXT's or WORD's text, a NAME's English), or NULL
 * for a number, a sentence or a list; and whether it is a NAME. */
const char *ms_phrase_get_text        (const MsPhrase *self);
gboolean    ms_phrase_is_name         (const MsPhrase *self);

/* The canonical English line: what assertions, golden transcripts and the
 * JSON export read. */
char     *ms_phrase_to_english        (const MsPhrase *self);
/* The line in the current language (LANGUAGE, the text domain's catalogue);
 * the English line when there is no translation. */
char     *ms_phrase_to_display        (const MsPhrase *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsPhrase, ms_phrase_unref)

G_END_DECLS

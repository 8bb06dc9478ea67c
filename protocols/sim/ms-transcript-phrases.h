/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The English phrases that the simulation writes into transcript notices and
 * state lines, as gettext msgids (see ms-transcript-display.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The context every phrase has in the catalogue, so that a word such as
 * "login" or "done" is translated for the transcript alone. */
#define MS_PHRASE_CONTEXT "transcript"

/* A phrase with a plural; po/meson.build tells xgettext (MS_NP:1c,2,3). */
#define MS_NP(context, singular, plural) singular, plural

typedef struct {
  const char *english;          /* the format: literal text, %s (any text) and %u (digits) */
  const char *english_plural;   /* or NULL; chosen by the first %u */
  guint       translate_args;   /* bit i: argument i is itself a phrase to translate */
  guint       greedy_args;      /* bit i: argument i takes the longest text that fits */
  guint       count_arg;        /* which %u picks the plural form: 0 the first */
} MsPhrase;

/* The table, and its length. */
const MsPhrase *ms_transcript_phrases (guint *n_phrases);

G_END_DECLS

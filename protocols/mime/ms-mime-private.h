/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the mime module shares inside itself: the compact part tree cached in
 * each message, a header field iterator, an RFC 5322 tokenizer, and the IMAP
 * string writers. */
#pragma once

#include <glib.h>
#include "ms-mime.h"

G_BEGIN_DECLS

#define MS_MIME_NONE G_MAXUINT32

typedef enum {
  MS_MIME_PART_LEAF,
  MS_MIME_PART_MULTIPART,
  MS_MIME_PART_RFC822,     /* message/rfc822: one child, the attached message */
} MsMimePartKind;

/* One part: offsets into the raw message. The header runs from hdr_start to
 * body_start (blank line included when there is one); the body from
 * body_start to body_end (without the line end before a boundary). */
typedef struct {
  gsize   hdr_start;
  gsize   body_start;
  gsize   body_end;
  guint32 body_lines;      /* LF count of the body */
  guint32 parent;
  guint32 first_child;
  guint32 next;
  guint8  kind;            /* MsMimePartKind */
  guint8  is_message : 1;  /* the root or the child of a message/rfc822 part */
  guint8  digest_default : 1; /* no Content-Type inside multipart/digest */
  /* For SEARCH, so that it never re-reads headers: */
  guint8  is_text : 1;     /* text/... or no Content-Type */
  guint8  plain_charset : 1; /* no charset, US-ASCII or UTF-8: searchable as bytes */
  guint8  encoding;        /* GMimeContentEncoding of Content-Transfer-Encoding */
  /* A text leaf's body in the message's LF lines in its mbox file, when
   * MsMimeInfo.in_lines (ms_message_locate_lines()). */
  guint32 line_start;
  guint32 line_end;
} MsMimePart;

/* The answers FETCH gives for the whole message, made on first use and
 * kept: a client that lists a folder asks again at every visit. */
typedef enum {
  MS_MIME_ANSWER_ENVELOPE,
  MS_MIME_ANSWER_BODY,
  MS_MIME_ANSWER_BODYSTRUCTURE,
  MS_MIME_N_ANSWERS
} MsMimeAnswer;

typedef struct {
  char       *answers[MS_MIME_N_ANSWERS];
  guint       n_parts;
  gboolean    in_lines;    /* the text leaves' line_start and line_end are known */
  MsMimePart  parts[];     /* preorder; parts[0] is the message itself */
} MsMimeInfo;

void              ms_mime_ensure_init        (void);
/* The cached part tree of a message, built on first use. */
const MsMimeInfo *ms_mime_get_info           (MsMessage        *message);
/* The same, parsed from @data (the message's bytes, all of them) if it is
 * not known yet. */
const MsMimeInfo *ms_mime_get_info_from      (MsMessage        *message,
                                              const guint8     *data,
                                              gsize             len);
MsMimeInfo       *ms_mime_info_parse         (const guint8     *data,
                                              gsize             len);
void              ms_mime_info_free          (MsMimeInfo       *info);
/* The part numbered by IMAP part numbers, or NULL. n_parts 0 gives the root. */
const MsMimePart *ms_mime_info_find          (const MsMimeInfo *info,
                                              const guint      *parts,
                                              guint             n_parts);
static inline const MsMimePart *
ms_mime_part_child (const MsMimeInfo *info, const MsMimePart *part)
{
  return part->first_child == MS_MIME_NONE ? NULL : &info->parts[part->first_child];
}
static inline const MsMimePart *
ms_mime_part_next (const MsMimeInfo *info, const MsMimePart *part)
{
  return part->next == MS_MIME_NONE ? NULL : &info->parts[part->next];
}

/* Header fields of one header block, one at a time. */
typedef struct {
  const guint8 *data;
  gsize         pos;
  gsize         end;
  /* the current field */
  gsize         line_start;   /* first byte of the field's first line */
  gsize         line_end;     /* after the last line end of the field */
  const guint8 *name;
  gsize         name_len;
  gsize         value_start;  /* raw, folded value: value_start..value_end */
  gsize         value_end;    /* before the final line end */
  gboolean      has_colon;
} MsMimeHeaderIter;

void      ms_mime_header_iter_init   (MsMimeHeaderIter *iter,
                                      const guint8     *data,
                                      gsize             start,
                                      gsize             end);
gboolean  ms_mime_header_iter_next   (MsMimeHeaderIter *iter);
gboolean  ms_mime_header_iter_is     (const MsMimeHeaderIter *iter,
                                      const char       *name);
/* The value unfolded (line ends removed, whitespace kept), into `out`. */
void      ms_mime_header_iter_value  (const MsMimeHeaderIter *iter,
                                      GString          *out);

/* RFC 5322 / MIME tokenizer over one unfolded header value. */
typedef struct {
  const guint8 *data;
  const guint8 *end;
  GString      *last_comment;   /* may be NULL */
} MsRfc822;

void      ms_rfc822_init             (MsRfc822 *ctx, const guint8 *data, gsize len, GString *last_comment);
int       ms_rfc822_skip_lwsp        (MsRfc822 *ctx);
int       ms_rfc822_atom             (MsRfc822 *ctx, GString *out);
int       ms_rfc822_dot_atom         (MsRfc822 *ctx, GString *out);
int       ms_rfc822_mime_token       (MsRfc822 *ctx, GString *out);
int       ms_rfc822_quoted_string    (MsRfc822 *ctx, GString *out);
int       ms_rfc822_phrase           (MsRfc822 *ctx, GString *out);
int       ms_rfc822_domain           (MsRfc822 *ctx, GString *out);

/* A parsed Content-Type or Content-Disposition: the value (type, and the
 * subtype when has_slash), and parameters as key, value, key, value. */
typedef struct {
  GString   *type;
  GString   *subtype;
  gboolean   has_slash;
  GPtrArray *params;          /* char *, pairs */
} MsMimeContentValue;

void      ms_mime_content_value_init  (MsMimeContentValue *cv);
void      ms_mime_content_value_clear (MsMimeContentValue *cv);
/* content_type: parse "type/subtype"; an unreadable value gives both empty
 * (and has_slash FALSE). Always TRUE. */
gboolean  ms_mime_content_value_parse (MsMimeContentValue *cv,
                                       const char         *value,
                                       gsize               len,
                                       gboolean            content_type);
const char *ms_mime_content_value_param (const MsMimeContentValue *cv,
                                         const char               *key);

/* IMAP strings the way Dovecot writes them: NIL, "quoted" with at most four
 * escapes, else a {n} literal (also for 8-bit bytes and line ends). */
void      ms_imap_append_nstring     (GString *out, const char *str, gsize len);
/* For names and subjects: whitespace runs made one space, line ends dropped. */
void      ms_imap_append_for_humans  (GString *out, const char *str, gsize len);

/* The ENVELOPE list (without the outer parentheses) of a header block. */
void      ms_mime_write_envelope     (GString *out, const guint8 *data, gsize hdr_start, gsize hdr_end);

/* Case-insensitive ASCII search in bytes. */
gboolean  ms_mime_memcasemem         (const guint8 *hay, gsize hay_len,
                                      const char *needle, gsize needle_len);

G_END_DECLS

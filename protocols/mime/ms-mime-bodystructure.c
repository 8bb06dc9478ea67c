/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BODYSTRUCTURE and BODY (RFC 3501 section 7.4.2), written as Dovecot writes
 * them: type, subtype and parameter names keep the case of the header, a
 * text part without a charset gets ("charset" "us-ascii"), a part without
 * Content-Type is text/plain (message/rfc822 inside multipart/digest), a
 * multipart with no parts shows one empty text/plain part, and
 * Content-ID/-Description/-MD5/-Location are the raw header values. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-mime-private.h"

#define EMPTY_TEXT_PART "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0"

typedef struct {
  gboolean  has_type;
  GString  *type;
  GString  *subtype;
  GString  *type_params;      /* written list body, without parentheses */
  GString  *id;               /* written nstrings, NULL when absent */
  GString  *description;
  GString  *encoding;
  GString  *md5;
  GString  *disposition;      /* ("type" params) */
  GString  *language;         /* ("a" "b") */
  GString  *location;
} Fields;

static void
fields_clear (Fields *f)
{
  GString **all[] = { &f->type, &f->subtype, &f->type_params, &f->id, &f->description, &f->encoding,
                      &f->md5, &f->disposition, &f->language, &f->location };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (*all[i] != NULL)
      g_string_free (g_steal_pointer (all[i]), TRUE);
}

static GString *
raw_nstring (const GString *value)
{
  GString *s = g_string_new (NULL);

  ms_imap_append_nstring (s, value->str, value->len);
  return s;
}

static void
write_params (GString                  *out,
              const MsMimeContentValue *cv)
{
  for (guint i = 0; i + 1 < cv->params->len; i += 2)
    {
      const char *k = cv->params->pdata[i];
      const char *v = cv->params->pdata[i + 1];

      if (out->len > 0)
        g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, k, strlen (k));
      g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, v, strlen (v));
    }
}

static void
parse_language (Fields        *f,
                const GString *value)
{
  MsRfc822 ctx;
  g_autoptr(GString) atom = g_string_new (NULL);
  GString *list = g_string_new (NULL);

  ms_rfc822_init (&ctx, (const guint8 *) value->str, value->len, NULL);
  ms_rfc822_skip_lwsp (&ctx);
  for (;;)
    {
      g_string_truncate (atom, 0);
      if (ms_rfc822_atom (&ctx, atom) < 0 && atom->len == 0)
        break;
      if (list->len > 0)
        g_string_append_c (list, ' ');
      ms_imap_append_nstring (list, atom->str, atom->len);
      if (ctx.data >= ctx.end || *ctx.data != ',')
        break;
      ctx.data++;
      ms_rfc822_skip_lwsp (&ctx);
    }
  if (list->len > 0)
    f->language = list;
  else
    g_string_free (list, TRUE);
}

static void
read_fields (Fields       *f,
             const guint8 *data,
             gsize         start,
             gsize         end,
             gboolean      is_message)
{
  MsMimeHeaderIter iter;
  g_autoptr(GString) value = g_string_new (NULL);
  gboolean is_mime = !is_message;

  memset (f, 0, sizeof *f);
  ms_mime_header_iter_init (&iter, data, start, MIN (end, start + MS_LIMIT_MIME_HEADER_SIZE));
  while (ms_mime_header_iter_next (&iter))
    {
      if (ms_mime_header_iter_is (&iter, "MIME-Version") || ms_mime_header_iter_is (&iter, "Content-Type"))
        is_mime = TRUE;
      if (iter.name_len < 8 || g_ascii_strncasecmp ((const char *) iter.name, "Content-", 8) != 0)
        continue;
      g_string_truncate (value, 0);
      ms_mime_header_iter_value (&iter, value);

      if (ms_mime_header_iter_is (&iter, "Content-Type") && !f->has_type && f->type == NULL)
        {
          MsMimeContentValue cv;

          ms_mime_content_value_init (&cv);
          if (ms_mime_content_value_parse (&cv, value->str, value->len, TRUE))
            {
              f->has_type = TRUE;
              f->type = g_string_new (cv.type->str);
              f->subtype = g_string_new (cv.subtype->str);
              f->type_params = g_string_new (NULL);
              write_params (f->type_params, &cv);
              if (g_ascii_strcasecmp (cv.type->str, "text") == 0 &&
                  ms_mime_content_value_param (&cv, "charset") == NULL)
                g_string_append (f->type_params, f->type_params->len ? " \"charset\" \"us-ascii\"" : "\"charset\" \"us-ascii\"");
            }
          else
            f->type = g_string_new (NULL);   /* seen, but unreadable */
          ms_mime_content_value_clear (&cv);
        }
      else if (ms_mime_header_iter_is (&iter, "Content-Transfer-Encoding") && f->encoding == NULL)
        {
          MsRfc822 ctx;
          g_autoptr(GString) token = g_string_new (NULL);

          /* One token and nothing else, or the field is ignored. */
          ms_rfc822_init (&ctx, (const guint8 *) value->str, value->len, NULL);
          if (ms_rfc822_skip_lwsp (&ctx) > 0 && ms_rfc822_mime_token (&ctx, token) == 0 && token->len > 0)
            {
              f->encoding = g_string_new (NULL);
              ms_imap_append_nstring (f->encoding, token->str, token->len);
            }
        }
      else if (ms_mime_header_iter_is (&iter, "Content-ID") && f->id == NULL)
        f->id = raw_nstring (value);
      else if (ms_mime_header_iter_is (&iter, "Content-Description") && f->description == NULL)
        f->description = raw_nstring (value);
      else if (ms_mime_header_iter_is (&iter, "Content-MD5") && f->md5 == NULL)
        f->md5 = raw_nstring (value);
      else if (ms_mime_header_iter_is (&iter, "Content-Location") && f->location == NULL)
        f->location = raw_nstring (value);
      else if (ms_mime_header_iter_is (&iter, "Content-Language") && f->language == NULL)
        parse_language (f, value);
      else if (ms_mime_header_iter_is (&iter, "Content-Disposition") && f->disposition == NULL)
        {
          MsMimeContentValue cv;

          ms_mime_content_value_init (&cv);
          /* Even an empty disposition type is shown, as "". */
          ms_mime_content_value_parse (&cv, value->str, value->len, FALSE);
            {
              g_autoptr(GString) params = g_string_new (NULL);

              f->disposition = g_string_new ("(");
              ms_imap_append_nstring (f->disposition, cv.type->str, cv.type->len);
              write_params (params, &cv);
              if (params->len > 0)
                g_string_append_printf (f->disposition, " (%s))", params->str);
              else
                g_string_append (f->disposition, " NIL)");
            }
          ms_mime_content_value_clear (&cv);
        }
    }
  /* A message with neither MIME-Version nor Content-Type is not MIME: its
   * Content-* fields mean nothing (RFC 2045 section 4), as for Dovecot. */
  if (!is_mime)
    {
      fields_clear (f);
      memset (f, 0, sizeof *f);
    }
}

static void
write_extension (GString *out,
                 Fields  *f)
{
  g_string_append_c (out, ' ');
  g_string_append (out, f->disposition ? f->disposition->str : "NIL");
  g_string_append_c (out, ' ');
  if (f->language)
    g_string_append_printf (out, "(%s)", f->language->str);
  else
    g_string_append (out, "NIL");
  g_string_append_c (out, ' ');
  g_string_append (out, f->location ? f->location->str : "NIL");
}

static void write_part (GString *out, const MsMimeInfo *info, const guint8 *data,
                        const MsMimePart *part, gboolean extensible);

static void
write_multipart (GString          *out,
                 const MsMimeInfo *info,
                 const guint8     *data,
                 const MsMimePart *part,
                 Fields           *f,
                 gboolean          extensible)
{
  const MsMimePart *child = ms_mime_part_child (info, part);

  if (child == NULL)
    {
      g_string_append (out, EMPTY_TEXT_PART);
      g_string_append (out, extensible ? " NIL NIL NIL NIL)" : ")");
    }
  for (; child != NULL; child = ms_mime_part_next (info, child))
    write_part (out, info, data, child, extensible);
  g_string_append_c (out, ' ');
  ms_imap_append_nstring (out, f->subtype->str, f->subtype->len);
  if (!extensible)
    return;
  g_string_append_c (out, ' ');
  if (f->type_params->len > 0)
    g_string_append_printf (out, "(%s)", f->type_params->str);
  else
    g_string_append (out, "NIL");
  write_extension (out, f);
}

static void
write_part (GString          *out,
            const MsMimeInfo *info,
            const guint8     *data,
            const MsMimePart *part,
            gboolean          extensible)
{
  Fields f;
  gboolean text;

  read_fields (&f, data, part->hdr_start, part->body_start, part->is_message);
  g_string_append_c (out, '(');

  if (part->kind == MS_MIME_PART_MULTIPART)
    {
      write_multipart (out, info, data, part, &f, extensible);
      g_string_append_c (out, ')');
      fields_clear (&f);
      return;
    }

  if (!f.has_type)
    {
      /* No usable Content-Type: the RFC 2045 default, or message/rfc822 in a digest. */
      if (f.type != NULL)
        g_string_free (f.type, TRUE);
      if (part->kind == MS_MIME_PART_RFC822)
        {
          f.type = g_string_new ("message");
          f.subtype = g_string_new ("rfc822");
          f.type_params = g_string_new (NULL);
        }
      else
        {
          f.type = g_string_new ("text");
          f.subtype = g_string_new ("plain");
          f.type_params = g_string_new ("\"charset\" \"us-ascii\"");
        }
    }
  text = part->kind != MS_MIME_PART_RFC822 && g_ascii_strcasecmp (f.type->str, "text") == 0;

  if (part->kind == MS_MIME_PART_RFC822)
    g_string_append (out, "\"message\" \"rfc822\"");   /* whatever case the header used */
  else
    {
      ms_imap_append_nstring (out, f.type->str, f.type->len);
      g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, f.subtype->str, f.subtype->len);
    }
  g_string_append_c (out, ' ');
  if (f.type_params->len > 0)
    g_string_append_printf (out, "(%s)", f.type_params->str);
  else
    g_string_append (out, "NIL");
  g_string_append_printf (out, " %s %s %s %" G_GSIZE_FORMAT,
                          f.id ? f.id->str : "NIL",
                          f.description ? f.description->str : "NIL",
                          f.encoding ? f.encoding->str : "\"7bit\"",
                          part->body_end - part->body_start);
  if (part->kind == MS_MIME_PART_RFC822)
    {
      const MsMimePart *child = ms_mime_part_child (info, part);

      g_assert (child != NULL);
      g_string_append (out, " (");
      ms_mime_write_envelope (out, data, child->hdr_start, child->body_start);
      g_string_append (out, ") ");
      write_part (out, info, data, child, extensible);
      g_string_append_printf (out, " %u", part->body_lines);
    }
  else if (text)
    g_string_append_printf (out, " %u", part->body_lines);

  if (extensible)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, f.md5 ? f.md5->str : "NIL");
      write_extension (out, &f);
    }
  g_string_append_c (out, ')');
  fields_clear (&f);
}

/* Dovecot answers BODY for a message that is plain US-ASCII 7bit text with
 * the canonical lower-case form, whatever case the header used. */
static gboolean
is_plain_7bit (const guint8     *data,
               const MsMimePart *root)
{
  Fields f;
  gboolean plain;

  if (root->kind != MS_MIME_PART_LEAF)
    return FALSE;
  read_fields (&f, data, root->hdr_start, root->body_start, TRUE);
  plain = (!f.has_type ||
           (g_ascii_strcasecmp (f.type->str, "text") == 0 &&
            g_ascii_strcasecmp (f.subtype->str, "plain") == 0 &&
            g_ascii_strcasecmp (f.type_params->str, "\"charset\" \"us-ascii\"") == 0)) &&
          f.id == NULL && f.description == NULL &&
          (f.encoding == NULL || g_ascii_strcasecmp (f.encoding->str, "\"7bit\"") == 0) &&
          f.md5 == NULL && f.disposition == NULL && f.language == NULL && f.location == NULL;
  if (f.type != NULL && !f.has_type)
    plain = FALSE;
  fields_clear (&f);
  return plain;
}

static char *
make_bodystructure (const MsMimeInfo *info,
                    const guint8     *data,
                    gboolean          extensible)
{
  GString *out = g_string_new (NULL);

  if (!extensible && is_plain_7bit (data, &info->parts[0]))
    {
      const MsMimePart *root = &info->parts[0];

      g_string_append_printf (out, "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" %"
                              G_GSIZE_FORMAT " %u)", root->body_end - root->body_start, root->body_lines);
      return g_string_free (out, FALSE);
    }
  write_part (out, info, data, &info->parts[0], extensible);
  return g_string_free (out, FALSE);
}

const char *
ms_mime_get_bodystructure (MsMessage *message,
                           gboolean   extensible)
{
  MsMimeInfo *info;
  const guint8 *data;
  MsMimeAnswer which = extensible ? MS_MIME_ANSWER_BODYSTRUCTURE : MS_MIME_ANSWER_BODY;

  g_return_val_if_fail (message != NULL, NULL);

  /* Made once per message and kept with its part tree. */
  info = (MsMimeInfo *) ms_mime_get_info (message);
  if (info->answers[which] == NULL)
    {
      data = g_bytes_get_data (ms_message_get_raw (message), NULL);
      info->answers[which] = make_bodystructure (info, data != NULL ? data : (const guint8 *) "",
                                                 extensible);
    }
  return info->answers[which];
}

char *
ms_mime_bodystructure (MsMessage *message,
                       gboolean   extensible)
{
  g_return_val_if_fail (message != NULL, NULL);
  return g_strdup (ms_mime_get_bodystructure (message, extensible));
}

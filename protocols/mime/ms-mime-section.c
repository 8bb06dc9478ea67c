/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BODY[section] (RFC 3501 section 6.4.5) as exact bytes of the raw message.
 * Part numbers below a message/rfc822 part count within the attached
 * message; HEADER and TEXT after a part number need a message/rfc822 part
 * and MIME gives the part's own header. Like Dovecot, a part that does not
 * exist, or HEADER/TEXT of a part that is no message, gives empty bytes. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ms-mime-private.h"

static gboolean
field_listed (const MsMimeHeaderIter *iter,
              const char * const     *fields)
{
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    if (iter->name_len == strlen (fields[i]) &&
        g_ascii_strncasecmp ((const char *) iter->name, fields[i], iter->name_len) == 0)
      return TRUE;
  return FALSE;
}

/* The matching (or, with invert, the other) fields as they are, then a
 * blank line: always for HEADER.FIELDS, and for .NOT when the header has
 * one (Dovecot's answers, also for a header cut short). */
static GBytes *
header_fields (const guint8       *data,
               gsize               hdr_start,
               gsize               hdr_end,
               const char * const *fields,
               gboolean            invert)
{
  MsMimeHeaderIter iter;
  GByteArray *out = g_byte_array_new ();
  gsize last_end = hdr_start;

  ms_mime_header_iter_init (&iter, data, hdr_start, hdr_end);
  while (ms_mime_header_iter_next (&iter))
    {
      gboolean listed = field_listed (&iter, fields);

      last_end = iter.line_end;
      if (listed == invert)
        continue;
      g_byte_array_append (out, data + iter.line_start, iter.line_end - iter.line_start);
    }
  if (!invert || last_end < hdr_end)
    g_byte_array_append (out, (const guint8 *) "\r\n", 2);
  return g_byte_array_free_to_bytes (out);
}

/* IMAP literals may not hold NUL (RFC 3501 section 4.3); like Dovecot, show
 * each as 0x80. Bytes without NUL are returned as they are, not copied. */
static GBytes *
without_nul (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint8 *copy;

  if (len == 0 || memchr (data, 0, len) == NULL)
    return bytes;
  copy = g_memdup2 (data, len);
  for (gsize i = 0; i < len; i++)
    if (copy[i] == 0)
      copy[i] = 0x80;
  g_bytes_unref (bytes);
  return g_bytes_new_take (copy, len);
}

static GBytes *
get_section (MsMessage           *message,
             const MsMimeSection *section,
             GError             **error)
{
  const MsMimeInfo *info;
  const MsMimePart *part;
  GBytes *raw;
  const guint8 *data;

  if (section->kind == MS_MIME_SECTION_MIME && section->n_parts == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "MIME needs a part number");
      return NULL;
    }

  raw = ms_message_get_raw (message);
  data = g_bytes_get_data (raw, NULL);
  if (data == NULL)
    data = (const guint8 *) "";
  info = ms_mime_get_info (message);
  part = ms_mime_info_find (info, section->parts, section->n_parts);
  if (part == NULL)
    return g_bytes_new (NULL, 0);

  if (section->n_parts == 0 && section->kind == MS_MIME_SECTION_ALL)
    return g_bytes_ref (raw);

  switch (section->kind)
    {
    case MS_MIME_SECTION_ALL:
      return g_bytes_new_from_bytes (raw, part->body_start, part->body_end - part->body_start);

    case MS_MIME_SECTION_MIME:
      return g_bytes_new_from_bytes (raw, part->hdr_start, part->body_start - part->hdr_start);

    case MS_MIME_SECTION_HEADER:
    case MS_MIME_SECTION_HEADER_FIELDS:
    case MS_MIME_SECTION_HEADER_FIELDS_NOT:
    case MS_MIME_SECTION_TEXT:
    default:
      /* These read the message a part number points at: the top one, or
       * the one attached as message/rfc822. */
      if (section->n_parts > 0)
        {
          if (part->kind != MS_MIME_PART_RFC822)
            return g_bytes_new (NULL, 0);
          part = ms_mime_part_child (info, part);
          g_assert (part != NULL);
        }
      if (section->kind == MS_MIME_SECTION_TEXT)
        return g_bytes_new_from_bytes (raw, part->body_start, part->body_end - part->body_start);
      if (section->kind == MS_MIME_SECTION_HEADER)
        return g_bytes_new_from_bytes (raw, part->hdr_start, part->body_start - part->hdr_start);
      return header_fields (data, part->hdr_start, part->body_start, section->fields,
                            section->kind == MS_MIME_SECTION_HEADER_FIELDS_NOT);
    }
}

GBytes *
ms_mime_get_section (MsMessage           *message,
                     const MsMimeSection *section,
                     GError             **error)
{
  GBytes *bytes;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (section->n_parts <= G_N_ELEMENTS (section->parts), NULL);

  bytes = get_section (message, section, error);
  return bytes != NULL ? without_nul (bytes) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ENVELOPE, BODYSTRUCTURE, BODY and every BODY[section] of arbitrary bytes,
 * plus the SEARCH helpers. Invariants: the structures are well-formed IMAP
 * (balanced parentheses, quoted strings without raw CR/LF/8-bit, literals
 * whose length is right), and no section is larger than the message. */
#define G_LOG_DOMAIN "fuzz-mime"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-mime.h"
#include "ms-mime-private.h"
#include "ms-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Checks that s is one parenthesised IMAP list of atoms, NIL, numbers,
 * quoted strings and literals. */
static void
check_imap_list (const char *s)
{
  gsize len = strlen (s);
  gsize i = 0;
  int depth = 0;

  g_assert (len >= 2 && s[0] == '(');
  while (i < len)
    {
      char c = s[i];

      if (c == '(')
        {
          depth++;
          i++;
        }
      else if (c == ')')
        {
          g_assert (depth > 0);
          depth--;
          i++;
          if (depth == 0)
            g_assert (i == len);
        }
      else if (c == ' ')
        i++;
      else if (c == '"')
        {
          for (i++; i < len && s[i] != '"'; i++)
            {
              guint8 q = s[i];

              g_assert (q != '\r' && q != '\n' && q < 0x80 && q != 0);
              if (q == '\\')
                {
                  i++;
                  g_assert (i < len && (s[i] == '"' || s[i] == '\\'));
                }
            }
          g_assert (i < len);
          i++;
        }
      else if (c == '{')
        {
          char *end = NULL;
          guint64 n = g_ascii_strtoull (s + i + 1, &end, 10);

          g_assert (end != NULL && end[0] == '}' && end[1] == '\r' && end[2] == '\n');
          i = (gsize) (end - s) + 3;
          g_assert (i + n <= len);
          i += n;
        }
      else
        {
          /* NIL or a number */
          gsize start = i;

          while (i < len && s[i] != ' ' && s[i] != ')' && s[i] != '(')
            {
              g_assert (g_ascii_isalnum (s[i]));
              i++;
            }
          g_assert (i > start);
        }
    }
  g_assert (depth == 0);
}

static const char * const some_fields[] = { "From", "Subject", "content-type", NULL };

static void
fetch_part (MsMessage  *message,
            const guint *parts,
            guint        n_parts)
{
  static const MsMimeSectionKind kinds[] = {
    MS_MIME_SECTION_ALL, MS_MIME_SECTION_HEADER, MS_MIME_SECTION_HEADER_FIELDS,
    MS_MIME_SECTION_HEADER_FIELDS_NOT, MS_MIME_SECTION_TEXT, MS_MIME_SECTION_MIME,
  };
  gsize size = ms_message_get_size (message);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      MsMimeSection section = { 0 };
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      section.n_parts = n_parts;
      memcpy (section.parts, parts, n_parts * sizeof (guint));
      section.kind = kinds[k];
      section.fields = some_fields;
      bytes = ms_mime_get_section (message, &section, &error);
      if (bytes == NULL)
        {
          g_assert (kinds[k] == MS_MIME_SECTION_MIME && n_parts == 0);
          continue;
        }
      g_assert_cmpuint (g_bytes_get_size (bytes), <=, size + 2);
    }
}

/* Every part number the message has, and one past each level. */
static void
walk (MsMessage        *message,
      const MsMimeInfo *info,
      const MsMimePart *part,
      guint            *path,
      guint             depth)
{
  const MsMimePart *container = part;
  guint n = 0;

  fetch_part (message, path, depth);
  if (depth + 1 >= 16)
    return;
  if (part->kind == MS_MIME_PART_RFC822)
    container = ms_mime_part_child (info, part);
  if (container->kind == MS_MIME_PART_MULTIPART)
    {
      for (const MsMimePart *c = ms_mime_part_child (info, container); c; c = ms_mime_part_next (info, c))
        {
          path[depth] = ++n;
          walk (message, info, c, path, depth + 1);
        }
    }
  path[depth] = n + 1;
  fetch_part (message, path, depth + 1);
  path[depth] = 1;
  fetch_part (message, path, depth + 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsMailbox *inbox = ms_account_get_inbox (ms_store_add_account (store, "fuzz", "pw", NULL));
  g_autoptr(GBytes) raw = g_bytes_new (data, size);
  g_autoptr(GBytes) crlf = ms_store_normalize_crlf (raw);
  MsMessage *message = ms_mailbox_append (inbox, crlf, MS_FLAG_NONE, NULL, 0, 0);
  guint path[16] = { 0 };

  /* The splitter also meets bare LF and CR directly. */
  g_free (ms_mime_info_parse (size ? data : (const uint8_t *) "", size));

  {
    g_autofree char *envelope = ms_mime_envelope (message);
    g_autofree char *bodystructure = ms_mime_bodystructure (message, TRUE);
    g_autofree char *body = ms_mime_bodystructure (message, FALSE);

    check_imap_list (envelope);
    check_imap_list (bodystructure);
    check_imap_list (body);
  }

  walk (message, ms_mime_get_info (message), &ms_mime_get_info (message)->parts[0], path, 0);

  ms_mime_header_contains (message, "Subject", "a");
  ms_mime_header_contains (message, "", "caf\xc3\xa9");
  ms_mime_body_contains (message, "the");
  ms_mime_body_contains (message, "gr\xc3\xbc\xc3\x9f" "e");
  ms_mime_text_contains (message, "x");
  ms_mime_get_sent_date (message);
  g_free (ms_mime_get_header (message, "From"));
  return 0;
}

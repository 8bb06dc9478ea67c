/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prints what ms-mime.h computes for each message file named on the command
 * line, for mime_vs_dovecot.py to compare with Dovecot. Output, per file:
 *   FILE <path>\n
 * then for each item:
 *   <ITEM> <length>\n<value bytes>\n
 * where ITEM is the FETCH item as an IMAP client would ask for it (ENVELOPE,
 * BODYSTRUCTURE, BODY, RFC822.SIZE, BODY[<section>], BODY[]<0.10>) and the
 * value is the IMAP string (structures) or the exact bytes (sections). The
 * sections are a fixed list plus, for every part, n, n.MIME, and for
 * message/rfc822 parts n.HEADER, n.TEXT and n.HEADER.FIELDS (Subject). */
#define G_LOG_DOMAIN "mime-dump"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ms-mime.h"
#include "ms-mime-private.h"
#include "ms-store.h"

static const char * const fixed_sections[] = {
  "", "HEADER", "TEXT", "1", "1.MIME", "2", "2.MIME", "9", "1.9", "2.1.9", "1.1", "2.1", "2.2",
  "HEADER.FIELDS (From Subject)", "HEADER.FIELDS (SUBJECT MESSAGE-ID x-none)",
  "HEADER.FIELDS.NOT (From Subject)", "HEADER.FIELDS.NOT (Content-Type)",
  "1.HEADER", "1.TEXT", "2.HEADER", "2.TEXT",
};

static void
print_item (const char   *name,
            const void   *data,
            gsize         len)
{
  printf ("%s %" G_GSIZE_FORMAT "\n", name, len);
  if (len > 0)
    fwrite (data, 1, len, stdout);
  putchar ('\n');
}

/* "1.2.HEADER.FIELDS (A B)" into a section; FALSE when it is not one. */
static gboolean
parse_section (const char    *spec,
               MsMimeSection *section,
               GStrv         *fields_out)
{
  const char *p = spec;

  memset (section, 0, sizeof *section);
  *fields_out = NULL;
  while (g_ascii_isdigit (*p))
    {
      guint64 n = g_ascii_strtoull (p, (char **) &p, 10);

      if (section->n_parts == G_N_ELEMENTS (section->parts))
        return FALSE;
      section->parts[section->n_parts++] = (guint) n;
      if (*p == '.')
        p++;
      else if (*p != '\0')
        return FALSE;
    }
  if (*p == '\0')
    section->kind = MS_MIME_SECTION_ALL;
  else if (strcmp (p, "HEADER") == 0)
    section->kind = MS_MIME_SECTION_HEADER;
  else if (strcmp (p, "TEXT") == 0)
    section->kind = MS_MIME_SECTION_TEXT;
  else if (strcmp (p, "MIME") == 0)
    section->kind = MS_MIME_SECTION_MIME;
  else if (g_str_has_prefix (p, "HEADER.FIELDS"))
    {
      const char *open = strchr (p, '(');
      const char *close = strrchr (p, ')');
      g_autofree char *list = NULL;

      if (open == NULL || close == NULL || close < open)
        return FALSE;
      section->kind = g_str_has_prefix (p, "HEADER.FIELDS.NOT") ?
        MS_MIME_SECTION_HEADER_FIELDS_NOT : MS_MIME_SECTION_HEADER_FIELDS;
      list = g_strndup (open + 1, close - open - 1);
      *fields_out = g_strsplit (list, " ", -1);
      section->fields = (const char * const *) *fields_out;
    }
  else
    return FALSE;
  return TRUE;
}

static void
dump_section (MsMessage  *message,
              const char *spec)
{
  MsMimeSection section;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = g_strdup_printf ("BODY[%s]", spec);

  if (!parse_section (spec, &section, &fields))
    g_error ("bad section %s", spec);
  bytes = ms_mime_get_section (message, &section, &error);
  if (bytes == NULL)
    g_error ("BODY[%s]: %s", spec, error->message);
  print_item (name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Part numbers as IMAP counts them, in order. */
static void
collect_parts (const MsMimeInfo *info,
               const MsMimePart *part,
               const char       *prefix,
               GPtrArray        *out,
               GPtrArray        *rfc822)
{
  const MsMimePart *container = part;

  if (part->kind == MS_MIME_PART_RFC822)
    container = ms_mime_part_child (info, part);
  if (container->kind == MS_MIME_PART_MULTIPART)
    {
      guint n = 1;

      for (const MsMimePart *c = ms_mime_part_child (info, container); c; c = ms_mime_part_next (info, c), n++)
        {
          char *num = *prefix ? g_strdup_printf ("%s.%u", prefix, n) : g_strdup_printf ("%u", n);

          g_ptr_array_add (out, num);
          if (c->kind == MS_MIME_PART_RFC822)
            g_ptr_array_add (rfc822, g_strdup (num));
          if (c->kind != MS_MIME_PART_LEAF)
            collect_parts (info, c, num, out, rfc822);
        }
    }
  else if (part->kind == MS_MIME_PART_RFC822 || *prefix == '\0')
    {
      /* A single-part message: its part 1 is its body. */
      char *num = *prefix ? g_strdup_printf ("%s.1", prefix) : g_strdup ("1");

      g_ptr_array_add (out, num);
    }
}

static int
dump_file (MsMailbox  *inbox,
           const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) crlf = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rfc822 = g_ptr_array_new_with_free_func (g_free);
  MsMessage *message;
  char *text;
  char size[32];

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  raw = g_bytes_new_take (g_steal_pointer (&contents), len);
  crlf = ms_store_normalize_crlf (raw);
  message = ms_mailbox_append (inbox, crlf, MS_FLAG_NONE, NULL, 0, 0);

  printf ("FILE %s\n", path);
  text = ms_mime_envelope (message);
  print_item ("ENVELOPE", text, strlen (text));
  g_free (text);
  text = ms_mime_bodystructure (message, TRUE);
  print_item ("BODYSTRUCTURE", text, strlen (text));
  g_free (text);
  text = ms_mime_bodystructure (message, FALSE);
  print_item ("BODY", text, strlen (text));
  g_free (text);
  g_snprintf (size, sizeof size, "%" G_GSIZE_FORMAT, ms_message_get_size (message));
  print_item ("RFC822.SIZE", size, strlen (size));

  for (guint i = 0; i < G_N_ELEMENTS (fixed_sections); i++)
    dump_section (message, fixed_sections[i]);

  collect_parts (ms_mime_get_info (message), &ms_mime_get_info (message)->parts[0], "", parts, rfc822);
  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *mime = g_strdup_printf ("%s.MIME", (char *) parts->pdata[i]);

      dump_section (message, parts->pdata[i]);
      dump_section (message, mime);
    }
  for (guint i = 0; i < rfc822->len; i++)
    {
      const char *num = rfc822->pdata[i];
      g_autofree char *header = g_strdup_printf ("%s.HEADER", num);
      g_autofree char *body = g_strdup_printf ("%s.TEXT", num);
      g_autofree char *fields = g_strdup_printf ("%s.HEADER.FIELDS (Subject)", num);

      dump_section (message, header);
      dump_section (message, body);
      dump_section (message, fields);
    }

  {
    /* BODY[]<0.10>: the partial is the IMAP layer's slice of BODY[]. */
    MsMimeSection whole = { 0 };
    g_autoptr(GBytes) all = ms_mime_get_section (message, &whole, NULL);
    gsize n = MIN (g_bytes_get_size (all), 10);

    print_item ("BODY[]<0.10>", g_bytes_get_data (all, NULL), n);
  }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *account = ms_store_add_account (store, "alice", "wonderland", NULL);
  MsMailbox *inbox = ms_account_get_inbox (account);
  int status = 0;

  for (int i = 1; i < argc; i++)
    status |= dump_file (inbox, argv[i]);
  fflush (stdout);
  return status;
}

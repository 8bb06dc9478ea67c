/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing FETCH items, sections and partials. A section atom arrives whole
 * from the parser ("BODY.PEEK[1.HEADER.FIELDS (From To)]<0.512>"). */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ms-imap-fetch-item.h"

void
ms_imap_fetch_item_free (MsImapFetchItem *item)
{
  if (item == NULL)
    return;
  g_strfreev (item->fields);
  g_free (item->name);
  g_free (item);
}

static MsImapFetchItem *
new_item (MsImapFetchKind kind)
{
  MsImapFetchItem *item = g_new0 (MsImapFetchItem, 1);

  item->kind = kind;
  return item;
}

static gboolean
parse_uint (const char **p,
            guint32     *out)
{
  guint64 v = 0;
  const char *s = *p;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  while (g_ascii_isdigit (*s))
    {
      v = v * 10 + (*s++ - '0');
      if (v > G_MAXUINT32)
        return FALSE;
    }
  *out = (guint32) v;
  *p = s;
  return TRUE;
}

/* "(From "X-Y" To)" to a list of field names. */
static char **
parse_fields (const char *p,
              const char *end)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

  while (p < end && *p == ' ')
    p++;
  if (p >= end || *p != '(' || end[-1] != ')')
    return NULL;
  p++;
  end--;
  while (p < end)
    {
      const char *start;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      if (*p == '"')
        {
          start = ++p;
          while (p < end && *p != '"')
            p++;
          if (p >= end)
            return NULL;
          g_ptr_array_add (fields, g_strndup (start, p - start));
          p++;
          continue;
        }
      start = p;
      while (p < end && *p != ' ')
        {
          if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || *p == ':' || *p == '(' || *p == ')')
            return NULL;
          p++;
        }
      g_ptr_array_add (fields, g_strndup (start, p - start));
    }
  if (fields->len == 0)
    return NULL;
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
}

static MsImapFetchItem *
parse_section (const char  *atom,
               const char **error)
{
  g_autoptr(GString) name = g_string_new ("BODY[");
  const char *open = strchr (atom, '[');
  const char *close = strrchr (atom, ']');
  const char *p;
  MsImapFetchItem *item = new_item (MS_IMAP_FETCH_SECTION);

  *error = "Invalid section";
  item->peek = g_ascii_strncasecmp (atom, "BODY.PEEK[", 10) == 0;
  g_assert (open != NULL);
  if (close == NULL || close < open)
    goto fail;
  p = open + 1;

  while (g_ascii_isdigit (*p))
    {
      guint32 n;

      if (item->section.n_parts >= G_N_ELEMENTS (item->section.parts) || !parse_uint (&p, &n) || n == 0)
        goto fail;
      item->section.parts[item->section.n_parts++] = n;
      if (*p == '.')
        p++;
      else
        break;
    }
  if (p == close)
    item->section.kind = MS_MIME_SECTION_ALL;
  else if (g_ascii_strncasecmp (p, "HEADER.FIELDS.NOT", 17) == 0 && (p[17] == ' ' || p[17] == '('))
    {
      item->section.kind = MS_MIME_SECTION_HEADER_FIELDS_NOT;
      item->fields = parse_fields (p + 17, close);
    }
  else if (g_ascii_strncasecmp (p, "HEADER.FIELDS", 13) == 0 && (p[13] == ' ' || p[13] == '('))
    {
      item->section.kind = MS_MIME_SECTION_HEADER_FIELDS;
      item->fields = parse_fields (p + 13, close);
    }
  else if (close - p == 6 && g_ascii_strncasecmp (p, "HEADER", 6) == 0)
    item->section.kind = MS_MIME_SECTION_HEADER;
  else if (close - p == 4 && g_ascii_strncasecmp (p, "TEXT", 4) == 0)
    item->section.kind = MS_MIME_SECTION_TEXT;
  else if (close - p == 4 && g_ascii_strncasecmp (p, "MIME", 4) == 0 && item->section.n_parts > 0)
    item->section.kind = MS_MIME_SECTION_MIME;
  else
    goto fail;
  if ((item->section.kind == MS_MIME_SECTION_HEADER_FIELDS ||
       item->section.kind == MS_MIME_SECTION_HEADER_FIELDS_NOT) && item->fields == NULL)
    goto fail;
  item->section.fields = (const char * const *) item->fields;

  /* The answer names the section as asked, keywords in upper case. */
  {
    g_autofree char *sect = g_strndup (open + 1, close - open - 1);
    char *paren = strchr (sect, '(');

    for (char *c = sect; *c && (paren == NULL || c < paren); c++)
      *c = g_ascii_toupper (*c);
    g_string_append (name, sect);
    g_string_append_c (name, ']');
  }

  p = close + 1;
  if (*p == '<')
    {
      p++;
      if (!parse_uint (&p, &item->offset) || *p != '.')
        goto fail;
      p++;
      if (!parse_uint (&p, &item->length) || item->length == 0 || *p != '>')
        goto fail;
      p++;
      item->partial = TRUE;
    }
  if (*p != '\0')
    goto fail;
  item->name = g_string_free (g_steal_pointer (&name), FALSE);
  *error = NULL;
  return item;

fail:
  ms_imap_fetch_item_free (item);
  return NULL;
}

static gboolean
add_atom (GPtrArray   *items,
          const char  *atom,
          const char **error)
{
  static const struct { const char *name; MsImapFetchKind kind; } simple[] = {
    { "UID", MS_IMAP_FETCH_UID },
    { "FLAGS", MS_IMAP_FETCH_FLAGS },
    { "INTERNALDATE", MS_IMAP_FETCH_INTERNALDATE },
    { "RFC822.SIZE", MS_IMAP_FETCH_RFC822_SIZE },
    { "ENVELOPE", MS_IMAP_FETCH_ENVELOPE },
    { "BODY", MS_IMAP_FETCH_BODY },
    { "BODYSTRUCTURE", MS_IMAP_FETCH_BODYSTRUCTURE },
    { "RFC822", MS_IMAP_FETCH_RFC822 },
    { "RFC822.HEADER", MS_IMAP_FETCH_RFC822_HEADER },
    { "RFC822.TEXT", MS_IMAP_FETCH_RFC822_TEXT },
  };

  if (g_ascii_strncasecmp (atom, "BODY[", 5) == 0 || g_ascii_strncasecmp (atom, "BODY.PEEK[", 10) == 0)
    {
      MsImapFetchItem *item = parse_section (atom, error);

      if (item == NULL)
        return FALSE;
      g_ptr_array_add (items, item);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    if (g_ascii_strcasecmp (atom, simple[i].name) == 0)
      {
        g_ptr_array_add (items, new_item (simple[i].kind));
        return TRUE;
      }
  *error = "Unknown FETCH item";
  return FALSE;
}

GPtrArray *
ms_imap_fetch_items_parse (const MsImapArg *arg,
                           const char     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_imap_fetch_item_free);

  *error = "Invalid FETCH items";
  if (arg->type == MS_IMAP_ARG_ATOM)
    {
      static const char * const fast[] = { "FLAGS", "INTERNALDATE", "RFC822.SIZE" };

      if (g_ascii_strcasecmp (arg->str, "ALL") == 0 || g_ascii_strcasecmp (arg->str, "FAST") == 0 ||
          g_ascii_strcasecmp (arg->str, "FULL") == 0)
        {
          for (guint i = 0; i < G_N_ELEMENTS (fast); i++)
            add_atom (items, fast[i], error);
          if (g_ascii_strcasecmp (arg->str, "FAST") != 0)
            add_atom (items, "ENVELOPE", error);
          if (g_ascii_strcasecmp (arg->str, "FULL") == 0)
            add_atom (items, "BODY", error);
          *error = NULL;
          return g_steal_pointer (&items);
        }
      if (!add_atom (items, arg->str, error))
        return NULL;
      *error = NULL;
      return g_steal_pointer (&items);
    }
  if (arg->type != MS_IMAP_ARG_LIST || arg->list->len == 0)
    return NULL;
  for (guint i = 0; i < arg->list->len; i++)
    {
      const MsImapArg *a = g_ptr_array_index (arg->list, i);

      if (a->type != MS_IMAP_ARG_ATOM || !add_atom (items, a->str, error))
        return NULL;
    }
  *error = NULL;
  return g_steal_pointer (&items);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-client-local"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-client-local.h"

/* A header section longer than this is not scanned further: the clients only
 * need Subject and Message-ID, which come early. */
#define MAX_HEADER_SCAN (256 * 1024)

MsAccount *
ms_client_local_account (MsStore    *store,
                         const char *user)
{
  MsAccount *account;

  g_return_val_if_fail (MS_IS_STORE (store), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  account = ms_store_lookup_account (store, user);
  if (account == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* The local copy needs no real password; the store insists on one. */
      account = ms_store_add_account (store, user, "local", &error);
      if (account == NULL)
        g_warning ("Cannot create the local account %s: %s", user, error->message);
    }
  return account;
}

MsMailbox *
ms_client_local_mailbox (MsAccount  *account,
                         const char *name)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (account), NULL);

  if (name == NULL || name[0] == '\0')
    return ms_account_get_inbox (account);
  return ms_account_lookup_mailbox (account, name);
}

MsMailbox *
ms_client_local_role_mailbox (MsAccount     *account,
                              MsMailboxRole  role,
                              const char    *default_name)
{
  MsMailbox *mailbox;

  g_return_val_if_fail (MS_IS_ACCOUNT (account), NULL);

  mailbox = ms_account_lookup_role (account, role);
  if (mailbox != NULL)
    return mailbox;
  mailbox = ms_account_lookup_mailbox (account, default_name);
  if (mailbox == NULL)
    mailbox = ms_account_create_mailbox (account, default_name, NULL);
  if (mailbox != NULL)
    ms_mailbox_set_role (mailbox, role);
  return mailbox;
}

MsMessage *
ms_client_local_find (MsMailbox  *mailbox,
                      const char *selector,
                      guint      *index_out)
{
  guint n;

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), NULL);

  n = ms_mailbox_get_n_messages (mailbox);
  if (selector == NULL || selector[0] == '\0')
    return NULL;
  if (selector[0] == '#')
    {
      guint64 nth = 0;

      if (!g_ascii_string_to_unsigned (selector + 1, 10, 1, n ? n : 1, &nth, NULL) || nth > n)
        return NULL;
      if (index_out)
        *index_out = nth - 1;
      return ms_mailbox_get_message (mailbox, nth - 1);
    }
  for (guint i = 0; i < n; i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      g_autofree char *subject = ms_client_local_header (ms_message_get_raw (message), "Subject");
      g_autofree char *folded_subject = NULL;
      g_autofree char *folded_selector = NULL;

      if (subject == NULL)
        continue;
      folded_subject = g_ascii_strdown (subject, -1);
      folded_selector = g_ascii_strdown (selector, -1);
      if (strstr (folded_subject, folded_selector) != NULL)
        {
          if (index_out)
            *index_out = i;
          return message;
        }
    }
  return NULL;
}

char *
ms_client_local_header (GBytes     *raw,
                        const char *name)
{
  gsize len = 0;
  const char *data;
  gsize name_len;
  gsize pos = 0;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  data = g_bytes_get_data (raw, &len);
  len = MIN (len, MAX_HEADER_SCAN);
  name_len = strlen (name);

  while (pos < len)
    {
      const char *line = data + pos;
      const char *eol = memchr (line, '\n', len - pos);
      gsize line_len = eol ? (gsize) (eol - line) : len - pos;
      gsize content_len = line_len;

      if (content_len > 0 && line[content_len - 1] == '\r')
        content_len--;
      if (content_len == 0)
        return NULL;  /* the blank line: end of the header section */
      if (content_len > name_len && line[name_len] == ':' &&
          g_ascii_strncasecmp (line, name, name_len) == 0)
        {
          GString *value = g_string_new_len (line + name_len + 1, content_len - name_len - 1);

          pos += line_len + 1;
          /* Unfold continuation lines (RFC 5322 section 2.2.3). */
          while (pos < len && (data[pos] == ' ' || data[pos] == '\t'))
            {
              const char *cont = data + pos;
              const char *ceol = memchr (cont, '\n', len - pos);
              gsize clen = ceol ? (gsize) (ceol - cont) : len - pos;
              gsize ccontent = clen;

              if (ccontent > 0 && cont[ccontent - 1] == '\r')
                ccontent--;
              g_string_append_len (value, cont, ccontent);
              pos += clen + 1;
            }
          g_strstrip (value->str);
          value->len = strlen (value->str);
          return g_string_free (value, FALSE);
        }
      pos += line_len + 1;
    }
  return NULL;
}

static gboolean
contains_caseless (const char *hay, gsize hay_len, const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0)
    return TRUE;
  for (gsize i = 0; i + n <= hay_len; i++)
    if (g_ascii_strncasecmp (hay + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
ms_client_local_matches (GBytes     *raw,
                         const char *words)
{
  g_auto(GStrv) parts = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (raw != NULL, FALSE);

  if (words == NULL)
    return TRUE;
  data = g_bytes_get_data (raw, &len);
  parts = g_strsplit_set (words, " \t", -1);
  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0' && !contains_caseless (data, len, parts[i]))
      return FALSE;
  return TRUE;
}

char *
ms_client_local_format_size (guint64 bytes)
{
  if (bytes < 1000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
  if (bytes < 1000 * 1000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " KB", (bytes + 500) / 1000);
  return g_strdup_printf ("%.1f MB", bytes / 1e6);
}

MsPhrase *
ms_client_local_size_phrase (guint64 bytes)
{
  /* "1 bytes" as ms_client_local_format_size() writes it: the English line
   * is what the golden transcripts hold. */
  if (bytes < 1000)
    return ms_phrase_new (NC_ ("transcript", "%u bytes"), ms_phrase_uint (bytes));
  {
    g_autofree char *size = ms_client_local_format_size (bytes);

    return ms_phrase_text (size);
  }
}

MsPhrase *
ms_client_local_quoted_phrase (const char *text)
{
  return ms_phrase_new (NC_ ("transcript", "“%s”"), ms_phrase_text (text));
}

MsPhrase *
ms_client_local_subject_phrase (const char *subject)
{
  if (subject == NULL)
    return ms_phrase_new (NC_ ("transcript", "“%s”"), ms_phrase_new (NC_ ("transcript", "(no subject)")));
  return ms_client_local_quoted_phrase (subject);
}

MsPhrase *
ms_client_local_two_fragments (MsPhrase *first,
                               MsPhrase *second)
{
  MsPhrase *list = ms_phrase_list_new ("; ");

  ms_phrase_list_append (list, first);
  ms_phrase_list_append (list, second);
  return list;
}

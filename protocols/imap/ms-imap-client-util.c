/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the IMAP client's commands and responses share: IMAP string syntax
 * for the arguments it sends (RFC 3501 section 4.3) and the local folder a
 * server mailbox name maps to; the failure an action ends with. */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <string.h>

#include "ms-imap-client-private.h"
#include "ms-client-local.h"

void
ms_imap_client_note_failure (MsImapClient *self,
                             MsPhrase     *why)
{
  self->job_failed = TRUE;
  if (self->job_failure == NULL)
    self->job_failure = why;
  else
    ms_phrase_unref (why);
}

char *
ms_imap_client_quote (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      if (*p == '\r' || *p == '\n')
        g_string_append_c (s, ' ');
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

char *
ms_imap_client_astring (const char *text)
{
  gboolean atom = text != NULL && text[0] != '\0';

  for (const char *p = text ? text : ""; *p && atom; p++)
    if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
      atom = FALSE;
  return atom ? g_strdup (text) : ms_imap_client_quote (text);
}

MsMailbox *
ms_imap_client_local_mailbox (MsImapClient *self,
                              const char   *name,
                              gboolean      create)
{
  MsAccount *account = ms_client_local_account (self->store, self->user);
  MsMailbox *mailbox = ms_client_local_mailbox (account, name);

  if (mailbox == NULL && create && name)
    mailbox = ms_account_create_mailbox (account, name, NULL);
  return mailbox;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* APPEND (RFC 3501 section 6.3.11) with APPENDUID (RFC 4315): a mailbox,
 * optional flags, an optional internal date, and the message as a literal.
 * Lines are stored with CRLF ends so that sizes are what clients expect. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-limits.h"
#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_append (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  MsFlags flags = MS_FLAG_NONE;
  gint64 date = g_get_real_time () / G_USEC_PER_SEC;
  int offset = 0;
  guint i = 1;
  const MsImapArg *message;
  MsMailbox *mailbox;
  MsMessage *added;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) crlf = NULL;

  if (cmd->args->len < 2 || cmd->args->len > 4)
    goto bad;
  if (((MsImapArg *) g_ptr_array_index (cmd->args, i))->type == MS_IMAP_ARG_LIST)
    {
      if (!ms_imap_parse_flags (g_ptr_array_index (cmd->args, i), &flags, keywords))
        {
          ms_imap_session_bad (self, cmd, MS_IMAP_INVALID_FLAGS);
          return;
        }
      i++;
    }
  if (i + 2 == cmd->args->len)
    {
      const MsImapArg *d = g_ptr_array_index (cmd->args, i);

      if (d->type != MS_IMAP_ARG_STRING || !ms_imap_parse_date_time (d->str, &date, &offset))
        {
          ms_imap_session_bad (self, cmd, "Invalid internal date.");
          return;
        }
      i++;
    }
  if (i + 1 != cmd->args->len)
    goto bad;
  message = g_ptr_array_index (cmd->args, i);
  if (message->type != MS_IMAP_ARG_LITERAL && message->type != MS_IMAP_ARG_STRING)
    goto bad;
  if (message->len > MS_LIMIT_MESSAGE_SIZE)
    {
      ms_imap_session_done (self, cmd, "NO", "[TOOBIG] Message too big.");
      return;
    }

  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (name == NULL)
    return;
  mailbox = ms_account_lookup_mailbox (self->account, name);
  if (mailbox == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "[TRYCREATE] Mailbox doesn't exist: %s", name);
      return;
    }
  if (ms_mailbox_would_overflow (mailbox, 1))
    {
      ms_imap_session_done (self, cmd, "NO", "[LIMIT] Mailbox is full: %u messages.",
                            ms_mailbox_get_n_messages (mailbox));
      return;
    }
  g_ptr_array_add (keywords, NULL);
  if (!ms_mailbox_keywords_fit (NULL, 0, MS_FLAGS_REPLACE, (const char * const *) keywords->pdata))
    {
      ms_imap_session_done (self, cmd, "NO", "[LIMIT] A message can have at most %u keywords.",
                            MS_LIMIT_MESSAGE_KEYWORDS);
      return;
    }
  raw = g_bytes_new (message->str, message->len);
  crlf = ms_store_normalize_crlf (raw);
  added = ms_mailbox_append (mailbox, crlf, flags, (const char * const *) keywords->pdata, date, offset);
  if (added == NULL || ms_imap_session_change_lost (self))
    {
      /* Not on disk (serve --state), so not appended: nobody saw it, and a
       * client that tries again later finds one copy. ms_imap_session_done()
       * says NO. */
      ms_imap_session_done (self, cmd, "OK", "Not appended.");
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "[APPENDUID %u %u] Append completed.",
                        ms_mailbox_get_uidvalidity (mailbox), ms_message_get_uid (added));
  return;

bad:
  ms_imap_session_bad (self, cmd, "APPEND needs a mailbox, optional flags and date, and a message.");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RENAME (RFC 3501 section 6.3.5): children move along; renaming INBOX
 * moves its messages to the new mailbox and leaves INBOX empty (the store
 * does both). */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_rename (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;

  if (cmd->args->len != 2)
    {
      ms_imap_session_bad (self, cmd, "RENAME needs two mailbox names.");
      return;
    }
  from = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (from == NULL)
    return;
  to = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 1));
  if (to == NULL)
    return;
  if (!ms_account_rename_mailbox (self->account, from, to, &error))
    {
      const char *code = "CANNOT";

      if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_FOUND))
        code = "NONEXISTENT";
      else if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS))
        code = "ALREADYEXISTS";
      ms_imap_session_done (self, cmd, "NO", "[%s] %s", code, error->message);
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "Rename completed.");
}

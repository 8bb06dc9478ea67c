/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CREATE (RFC 3501 section 6.3.3). */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_create (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (cmd->args->len != 1)
    {
      ms_imap_session_bad (self, cmd, "CREATE needs one mailbox name.");
      return;
    }
  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (name == NULL)
    return;
  if (ms_account_create_mailbox (self->account, name, &error) == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "[%s] %s",
                            g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS) ? "ALREADYEXISTS"
                            : g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_LIMIT) ? "LIMIT"
                            : "CANNOT", error->message);
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "Create completed.");
}

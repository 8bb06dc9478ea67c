/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DELETE (RFC 3501 section 6.3.4). INBOX cannot be deleted; the store
 * refuses that and mailboxes that do not exist. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_delete (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (cmd->args->len != 1)
    {
      ms_imap_session_bad (self, cmd, "DELETE needs one mailbox name.");
      return;
    }
  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (name == NULL)
    return;
  if (g_str_equal (name, "INBOX"))
    {
      ms_imap_session_done (self, cmd, "NO", "[CANNOT] INBOX can't be deleted.");
      return;
    }
  if (self->mailbox != NULL && g_str_equal (ms_mailbox_get_name (self->mailbox), name))
    {
      ms_imap_view_close (self);
      ms_imap_session_set_state (self, MS_IMAP_STATE_AUTHENTICATED);
    }
  if (!ms_account_delete_mailbox (self->account, name, &error))
    {
      ms_imap_session_done (self, cmd, "NO", "[%s] %s",
                            g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_FOUND)
                            ? "NONEXISTENT" : "CANNOT", error->message);
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "Delete completed.");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SUBSCRIBE and UNSUBSCRIBE (RFC 3501 sections 6.3.6 and 6.3.7). The
 * subscription lives on the mailbox, so only existing mailboxes can be
 * subscribed. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_subscribe (MsImapServerSession *self,
                       MsImapCommand       *cmd,
                       gboolean             uid)
{
  gboolean subscribe = g_str_equal (cmd->name, "SUBSCRIBE");
  g_autofree char *name = NULL;
  MsMailbox *mailbox;

  if (cmd->args->len != 1)
    {
      ms_imap_session_bad (self, cmd, "Needs one mailbox name.");
      return;
    }
  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (name == NULL)
    return;
  mailbox = ms_account_lookup_mailbox (self->account, name);
  if (mailbox == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "[NONEXISTENT] Mailbox doesn't exist: %s", name);
      return;
    }
  ms_mailbox_set_subscribed (mailbox, subscribe);
  ms_imap_session_done (self, cmd, "OK", "%s completed.", subscribe ? "Subscribe" : "Unsubscribe");
}

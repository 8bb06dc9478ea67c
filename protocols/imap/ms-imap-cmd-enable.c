/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ENABLE (RFC 5161) and NAMESPACE (RFC 2342). No extension this server
 * knows needs enabling, so ENABLE answers an empty ENABLED list; there is
 * one personal namespace, the root, with "/" as delimiter. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_enable (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  if (cmd->args->len == 0)
    {
      ms_imap_session_bad (self, cmd, "ENABLE needs at least one capability.");
      return;
    }
  ms_imap_session_untagged (self, "ENABLED");
  ms_imap_session_done (self, cmd, "OK", "Enabled.");
}

void
ms_imap_cmd_namespace (MsImapServerSession *self,
                       MsImapCommand       *cmd,
                       gboolean             uid)
{
  ms_imap_session_untagged (self, "NAMESPACE ((\"\" \"/\")) NIL NIL");
  ms_imap_session_done (self, cmd, "OK", "Namespace completed.");
}

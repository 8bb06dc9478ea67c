/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands valid in any state (RFC 3501 section 6.1) and ID (RFC 2971):
 * CAPABILITY, NOOP (and CHECK, which has nothing to flush in a store that
 * is always consistent), LOGOUT, ID. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_capability (MsImapServerSession *self,
                        MsImapCommand       *cmd,
                        gboolean             uid)
{
  g_autofree char *caps = ms_imap_session_capabilities (self);

  ms_imap_session_untagged (self, "CAPABILITY %s", caps);
  ms_imap_session_done (self, cmd, "OK", "Capability completed.");
}

void
ms_imap_cmd_noop (MsImapServerSession *self,
                  MsImapCommand       *cmd,
                  gboolean             uid)
{
  /* The untagged updates are the point of NOOP; done() sends them. */
  ms_imap_session_done (self, cmd, "OK", "%s completed.", cmd->name);
}

void
ms_imap_cmd_logout (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  ms_imap_session_untagged (self, "BYE Logging out.");
  ms_imap_view_close (self);
  ms_imap_session_set_state (self, MS_IMAP_STATE_LOGOUT);
  ms_imap_session_done (self, cmd, "OK", "Logout completed.");
  self->mode = MS_IMAP_INPUT_DISCARD;
  self->finished = TRUE;
}

void
ms_imap_cmd_id (MsImapServerSession *self,
                MsImapCommand       *cmd,
                gboolean             uid)
{
  const MsImapArg *arg = cmd->args->len == 1 ? g_ptr_array_index (cmd->args, 0) : NULL;

  if (arg == NULL || (arg->type != MS_IMAP_ARG_NIL && arg->type != MS_IMAP_ARG_LIST) ||
      (arg->type == MS_IMAP_ARG_LIST && arg->list->len % 2 != 0))
    {
      ms_imap_session_bad (self, cmd, "ID needs NIL or a list of field-value pairs.");
      return;
    }
  ms_imap_session_untagged (self, "ID (\"name\" \"Mailscope\" \"vendor\" \"Mailscope\")");
  ms_imap_session_done (self, cmd, "OK", "ID completed.");
}

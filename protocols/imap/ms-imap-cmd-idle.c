/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IDLE (RFC 2177): the client waits and the server pushes untagged updates
 * the moment the mailbox changes, until the client sends DONE. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_idle (MsImapServerSession *self,
                  MsImapCommand       *cmd,
                  gboolean             uid)
{
  if (cmd->args->len != 0)
    {
      ms_imap_session_bad (self, cmd, "IDLE takes no arguments.");
      return;
    }
  if (self->state == MS_IMAP_STATE_SELECTED)
    ms_imap_view_flush (self, TRUE);
  g_clear_pointer (&self->pending, ms_imap_command_free);
  self->pending = g_new0 (MsImapCommand, 1);
  self->pending->tag = g_strdup (cmd->tag);
  self->pending->name = g_strdup (cmd->name);
  self->mode = MS_IMAP_INPUT_IDLE;
  ms_imap_session_continuation (self, "idling");
  ms_imap_session_notice (self, NC_ ("transcript", "idle-start"), NULL);
}

/* A line that had to be cut never counts as DONE ("DONE\0junk" would read
 * as DONE), and the client is told why, as for an AUTHENTICATE answer:
 * before, it got "Expected DONE." for a line that may well have been one. */
void
ms_imap_cmd_idle_line (MsImapServerSession *self,
                       const char          *line,
                       const char          *refusal)
{
  g_autoptr(MsImapCommand) cmd = g_steal_pointer (&self->pending);

  g_assert (cmd != NULL);
  ms_imap_session_notice (self, NC_ ("transcript", "idle-done"), NULL);
  self->cur_expunge_ok = TRUE;
  if (refusal != NULL)
    {
      ms_imap_session_bad (self, cmd, refusal);
      return;
    }
  if (g_ascii_strcasecmp (line, "DONE") != 0)
    {
      ms_imap_session_bad (self, cmd, "Expected DONE.");
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "Idle completed.");
}

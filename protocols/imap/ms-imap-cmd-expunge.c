/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EXPUNGE (RFC 3501 section 6.4.3) and UID EXPUNGE (RFC 4315): remove the
 * messages flagged \Deleted (only those in the UID set for the UID form).
 * The untagged EXPUNGE responses come from the mailbox's own signals, the
 * same way another session's expunge reaches this one. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_expunge (MsImapServerSession *self,
                     MsImapCommand       *cmd,
                     gboolean             uid)
{
  if (self->read_only)
    {
      ms_imap_session_done (self, cmd, "NO", "[READ-ONLY] Mailbox is read-only.");
      return;
    }
  if (uid)
    {
      const MsImapArg *set = cmd->args->len == 1 ? g_ptr_array_index (cmd->args, 0) : NULL;
      g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
      const char *error = NULL;

      if (set == NULL || set->type != MS_IMAP_ARG_ATOM ||
          !ms_imap_view_resolve_set (self, set->str, TRUE, indices, &error))
        {
          ms_imap_session_bad (self, cmd, error ? error : "UID EXPUNGE needs a UID set.");
          return;
        }
      for (guint i = 0; i < indices->len; i++)
        {
          MsMessage *m = g_ptr_array_index (self->view, g_array_index (indices, guint, i));

          if (ms_message_has_flag (m, MS_FLAG_DELETED))
            {
              guint32 u = ms_message_get_uid (m);
              g_array_append_val (uids, u);
            }
        }
      ms_mailbox_expunge_uids (self->mailbox, (const guint32 *) uids->data, uids->len);
    }
  else
    {
      if (cmd->args->len != 0)
        {
          ms_imap_session_bad (self, cmd, "EXPUNGE takes no arguments.");
          return;
        }
      ms_mailbox_expunge_deleted (self->mailbox);
    }
  ms_imap_session_done (self, cmd, "OK", "Expunge completed.");
}

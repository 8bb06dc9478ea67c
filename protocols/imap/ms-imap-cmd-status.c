/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STATUS (RFC 3501 section 6.3.10): counters of a mailbox without
 * selecting it. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_status (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  g_autofree char *name = NULL;
  g_autofree char *wire = NULL;
  const MsImapArg *items;
  MsMailbox *mailbox;
  g_autoptr(GString) out = g_string_new (NULL);

  if (cmd->args->len != 2 || ((MsImapArg *) g_ptr_array_index (cmd->args, 1))->type != MS_IMAP_ARG_LIST ||
      ((MsImapArg *) g_ptr_array_index (cmd->args, 1))->list->len == 0)
    {
      ms_imap_session_bad (self, cmd, "STATUS needs a mailbox and a list of items.");
      return;
    }
  items = g_ptr_array_index (cmd->args, 1);
  for (guint i = 0; i < items->list->len; i++)
    {
      const MsImapArg *item = g_ptr_array_index (items->list, i);

      if (item->type != MS_IMAP_ARG_ATOM)
        {
          ms_imap_session_bad (self, cmd, "Invalid status item.");
          return;
        }
    }
  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 0));
  if (name == NULL)
    return;
  mailbox = ms_account_lookup_mailbox (self->account, name);
  if (mailbox == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "Mailbox doesn't exist: %s", name);
      return;
    }
  for (guint i = 0; i < items->list->len; i++)
    {
      const char *item = ((MsImapArg *) g_ptr_array_index (items->list, i))->str;
      guint64 value;

      if (g_ascii_strcasecmp (item, "MESSAGES") == 0)
        value = ms_mailbox_get_n_messages (mailbox);
      else if (g_ascii_strcasecmp (item, "RECENT") == 0)
        value = ms_mailbox_count_recent (mailbox);
      else if (g_ascii_strcasecmp (item, "UIDNEXT") == 0)
        value = ms_mailbox_get_uidnext (mailbox);
      else if (g_ascii_strcasecmp (item, "UIDVALIDITY") == 0)
        value = ms_mailbox_get_uidvalidity (mailbox);
      else if (g_ascii_strcasecmp (item, "UNSEEN") == 0)
        value = ms_mailbox_count_flag (mailbox, MS_FLAG_SEEN, FALSE);
      else
        {
          ms_imap_session_bad (self, cmd, "Unknown status item.");
          return;
        }
      {
        g_autofree char *upper = g_ascii_strup (item, -1);
        g_string_append_printf (out, "%s%s %" G_GUINT64_FORMAT, i ? " " : "", upper, value);
      }
    }
  wire = ms_imap_wire_name (name);
  {
    g_autoptr(GString) quoted = g_string_new (NULL);

    ms_imap_append_astring (quoted, wire);
    ms_imap_session_untagged (self, "STATUS %s (%s)", quoted->str, out->str);
  }
  ms_imap_session_done (self, cmd, "OK", "Status completed.");
}

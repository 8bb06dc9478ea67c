/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SELECT and EXAMINE (RFC 3501 sections 6.3.1 and 6.3.2): open a mailbox
 * and tell the client what it needs to trust its cache: FLAGS, EXISTS,
 * RECENT, the first UNSEEN, UIDVALIDITY, UIDNEXT and PERMANENTFLAGS. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

static void
send_flags (MsImapServerSession *self,
            MsMailbox           *mailbox)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) keywords = g_string_new (NULL);
  guint n = ms_mailbox_get_n_messages (mailbox);

  for (guint i = 0; i < n; i++)
    {
      const char * const *kw = ms_message_get_keywords (ms_mailbox_get_message (mailbox, i));

      for (guint k = 0; kw && kw[k]; k++)
        if (g_hash_table_add (seen, (gpointer) kw[k]))
          g_string_append_printf (keywords, " %s", kw[k]);
    }
  ms_imap_session_untagged (self, "FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft%s)",
                            keywords->str);
  if (self->read_only)
    ms_imap_session_untagged (self, "OK [PERMANENTFLAGS ()] Read-only mailbox.");
  else
    ms_imap_session_untagged (self, "OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted "
                                    "\\Seen \\Draft%s \\*)] Flags permitted.", keywords->str);
}

void
ms_imap_cmd_select (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  gboolean examine = g_str_equal (cmd->name, "EXAMINE");
  g_autofree char *name = NULL;
  MsMailbox *mailbox;
  guint n, recent;

  if (cmd->args->len != 1)
    {
      ms_imap_session_bad (self, cmd, "SELECT needs one mailbox name.");
      return;
    }
  /* A failed SELECT leaves no mailbox selected (RFC 3501 section 6.3.1). */
  if (self->state == MS_IMAP_STATE_SELECTED)
    {
      ms_imap_view_close (self);
      ms_imap_session_set_state (self, MS_IMAP_STATE_AUTHENTICATED);
      /* RFC 7162 section 3.2.11 names this moment; Dovecot says it to
       * every client, and it harms none. */
      ms_imap_session_untagged (self, "OK [CLOSED] Previous mailbox closed.");
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

  ms_imap_view_select (self, mailbox, examine);
  n = self->view->len;
  recent = examine ? ms_mailbox_count_recent (mailbox) : g_hash_table_size (self->recent);
  send_flags (self, mailbox);
  ms_imap_session_untagged (self, "%u EXISTS", n);
  ms_imap_session_untagged (self, "%u RECENT", recent);
  for (guint i = 0; i < n; i++)
    if (!ms_message_has_flag (g_ptr_array_index (self->view, i), MS_FLAG_SEEN))
      {
        ms_imap_session_untagged (self, "OK [UNSEEN %u] First unseen.", i + 1);
        break;
      }
  ms_imap_session_untagged (self, "OK [UIDVALIDITY %u] UIDs valid", ms_mailbox_get_uidvalidity (mailbox));
  ms_imap_session_untagged (self, "OK [UIDNEXT %u] Predicted next UID", ms_mailbox_get_uidnext (mailbox));
  ms_imap_session_set_state (self, MS_IMAP_STATE_SELECTED);
  ms_imap_session_done (self, cmd, "OK", "[%s] %s completed.",
                        examine ? "READ-ONLY" : "READ-WRITE", examine ? "Examine" : "Select");
}

void
ms_imap_cmd_close (MsImapServerSession *self,
                   MsImapCommand       *cmd,
                   gboolean             uid)
{
  /* CLOSE removes \Deleted messages without untagged EXPUNGE (RFC 3501
   * section 6.4.2); UNSELECT (RFC 3691) removes nothing. */
  g_autoptr(MsMailbox) mailbox = g_object_ref (self->mailbox);
  gboolean expunge = g_str_equal (cmd->name, "CLOSE") && !self->read_only;

  ms_imap_view_close (self);
  if (expunge)
    ms_mailbox_expunge_deleted (mailbox);
  ms_imap_session_set_state (self, MS_IMAP_STATE_AUTHENTICATED);
  ms_imap_session_done (self, cmd, "OK", "%s completed.", cmd->name);
}

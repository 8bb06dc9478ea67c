/* SPDX-License-Identifier: GPL-3.0-or-later */
/* COPY (RFC 3501 section 6.4.7) and MOVE (RFC 6851), with COPYUID
 * (RFC 4315). MOVE copies and expunges the originals in one step of the
 * store, tells the new UIDs in an untagged OK, and the originals' EXPUNGE
 * responses follow. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include "ms-imap-server-session-private.h"

/* UIDs as a compact set: 1:3,7. */
static void
append_uid_set (GString      *out,
                const GArray *uids)
{
  for (guint i = 0; i < uids->len; i++)
    {
      guint32 first = g_array_index (uids, guint32, i);
      guint32 last = first;

      while (i + 1 < uids->len && g_array_index (uids, guint32, i + 1) == last + 1)
        last = g_array_index (uids, guint32, ++i);
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ',');
      if (first == last)
        g_string_append_printf (out, "%u", first);
      else
        g_string_append_printf (out, "%u:%u", first, last);
    }
}

void
ms_imap_cmd_copy (MsImapServerSession *self,
                  MsImapCommand       *cmd,
                  gboolean             uid)
{
  gboolean move = g_str_equal (cmd->name, "MOVE");
  const MsImapArg *set;
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) src = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) dst = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GString) code = g_string_new (NULL);
  g_autofree char *name = NULL;
  const char *error = NULL;
  MsMailbox *target;

  if (cmd->args->len != 2 || ((MsImapArg *) g_ptr_array_index (cmd->args, 0))->type != MS_IMAP_ARG_ATOM)
    {
      ms_imap_session_bad (self, cmd, "Needs a message set and a mailbox.");
      return;
    }
  set = g_ptr_array_index (cmd->args, 0);
  if (!ms_imap_view_resolve_set (self, set->str, uid, indices, &error))
    {
      ms_imap_session_bad (self, cmd, error);
      return;
    }
  name = ms_imap_session_mailbox_arg (self, cmd, g_ptr_array_index (cmd->args, 1));
  if (name == NULL)
    return;
  target = ms_account_lookup_mailbox (self->account, name);
  if (target == NULL)
    {
      ms_imap_session_done (self, cmd, "NO", "[TRYCREATE] Mailbox doesn't exist: %s", name);
      return;
    }
  if (move && self->read_only)
    {
      ms_imap_session_done (self, cmd, "NO", "[READ-ONLY] Mailbox is read-only.");
      return;
    }
  if (ms_mailbox_would_overflow (target, indices->len))
    {
      ms_imap_session_done (self, cmd, "NO", "[LIMIT] %s would hold too many messages.", name);
      return;
    }

  for (guint i = 0; i < indices->len; i++)
    {
      guint index = g_array_index (indices, guint, i);
      guint32 u = ms_message_get_uid (g_ptr_array_index (self->view, index));

      if (ms_imap_view_is_live (self, index))
        g_array_append_val (wanted, u);
    }
  /* All or nothing, and for a MOVE one journal record with the removal of
   * the originals (serve --state): if it cannot be written, nothing was
   * copied or moved, and ms_imap_session_done() says NO. */
  if (!ms_mailbox_transfer (target, self->mailbox, (const guint32 *) wanted->data, wanted->len,
                            move, src, dst) ||
      (src->len > 0 && ms_imap_session_change_lost (self)))
    {
      ms_imap_session_done (self, cmd, "OK", "Not %s.", move ? "moved" : "copied");
      return;
    }
  if (src->len == 0)
    {
      ms_imap_session_done (self, cmd, "OK", "No messages %s.", move ? "moved" : "copied");
      return;
    }
  g_string_append_printf (code, "COPYUID %u ", ms_mailbox_get_uidvalidity (target));
  append_uid_set (code, src);
  g_string_append_c (code, ' ');
  append_uid_set (code, dst);
  if (!move)
    {
      ms_imap_session_done (self, cmd, "OK", "[%s] Copy completed.", code->str);
      return;
    }
  /* The originals are gone already; their EXPUNGE responses follow this
   * (RFC 6851 section 4.3), when ms_imap_session_done() flushes the view. */
  ms_imap_session_untagged (self, "OK [%s] Moved UIDs.", code->str);
  ms_imap_session_done (self, cmd, "OK", "Move completed.");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STORE (RFC 3501 section 6.4.6): FLAGS, +FLAGS, -FLAGS, each optionally
 * .SILENT. Without .SILENT the new flags come back as untagged FETCH. The
 * session's own changes are not queued again as foreign updates. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_store (MsImapServerSession *self,
                   MsImapCommand       *cmd,
                   gboolean             uid)
{
  const MsImapArg *set, *item;
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  const char *error = NULL;
  const char *what;
  MsFlagsMode mode = MS_FLAGS_REPLACE;
  gboolean silent;
  MsFlags flags;
  g_autoptr(GPtrArray) flag_args = g_ptr_array_new ();

  if (cmd->args->len < 3)
    goto bad;
  set = g_ptr_array_index (cmd->args, 0);
  item = g_ptr_array_index (cmd->args, 1);
  if (set->type != MS_IMAP_ARG_ATOM || item->type != MS_IMAP_ARG_ATOM)
    goto bad;
  what = item->str;
  if (*what == '+' || *what == '-')
    {
      mode = *what == '+' ? MS_FLAGS_ADD : MS_FLAGS_REMOVE;
      what++;
    }
  if (g_ascii_strcasecmp (what, "FLAGS") == 0)
    silent = FALSE;
  else if (g_ascii_strcasecmp (what, "FLAGS.SILENT") == 0)
    silent = TRUE;
  else
    goto bad;

  /* Flags: one list, or bare flags (RFC 3501 allows both). */
  if (cmd->args->len == 3)
    {
      if (!ms_imap_parse_flags (g_ptr_array_index (cmd->args, 2), &flags, keywords))
        {
          ms_imap_session_bad (self, cmd, MS_IMAP_INVALID_FLAGS);
          return;
        }
    }
  else
    {
      MsImapArg list = { MS_IMAP_ARG_LIST, NULL, 0, NULL };

      list.list = flag_args;
      for (guint i = 2; i < cmd->args->len; i++)
        g_ptr_array_add (flag_args, g_ptr_array_index (cmd->args, i));
      if (!ms_imap_parse_flags (&list, &flags, keywords))
        {
          ms_imap_session_bad (self, cmd, MS_IMAP_INVALID_FLAGS);
          return;
        }
    }
  g_ptr_array_add (keywords, NULL);

  if (!ms_imap_view_resolve_set (self, set->str, uid, indices, &error))
    {
      ms_imap_session_bad (self, cmd, error);
      return;
    }
  if (self->read_only)
    {
      ms_imap_session_done (self, cmd, "NO", "[READ-ONLY] Mailbox is read-only.");
      return;
    }

  /* One change for the whole set: with serve --state one journal write
   * and one fsync, not one per message, and if that write fails no
   * message changes and ms_imap_session_done() says NO. */
  {
    g_autoptr(GPtrArray) live = g_ptr_array_new ();
    g_autoptr(GArray) live_indices = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint i = 0; i < indices->len; i++)
      {
        guint index = g_array_index (indices, guint, i);

        if (!ms_imap_view_is_live (self, index))
          continue;
        g_ptr_array_add (live, g_ptr_array_index (self->view, index));
        g_array_append_val (live_indices, index);
      }
    if (!ms_mailbox_keywords_fit ((MsMessage * const *) live->pdata, live->len, mode,
                                  (const char * const *) keywords->pdata))
      {
        /* Refused as a whole, like a STORE the journal could not save:
         * no message of the set changes. */
        ms_imap_session_done (self, cmd, "NO", "[LIMIT] A message can have at most %u keywords.",
                              MS_LIMIT_MESSAGE_KEYWORDS);
        return;
      }
    self->own_change = TRUE;
    ms_mailbox_store_flags_many (self->mailbox, (MsMessage * const *) live->pdata, live->len, mode, flags,
                                 (const char * const *) keywords->pdata);
    self->own_change = FALSE;
    for (guint i = 0; i < live->len && !silent && !ms_imap_session_change_lost (self); i++)
      {
        guint index = g_array_index (live_indices, guint, i);
        MsMessage *message = g_ptr_array_index (live, i);
        g_autoptr(GString) out = g_string_new (NULL);

        ms_imap_format_flags (out, message,
                              g_hash_table_contains (self->recent,
                                                     GUINT_TO_POINTER (ms_message_get_uid (message))));
        if (uid)
          ms_imap_session_untagged (self, "%u FETCH (UID %u FLAGS %s)", index + 1,
                                    ms_message_get_uid (message), out->str);
        else
          ms_imap_session_untagged (self, "%u FETCH (FLAGS %s)", index + 1, out->str);
      }
  }
  ms_imap_session_done (self, cmd, "OK", "Store completed.");
  return;

bad:
  ms_imap_session_bad (self, cmd, "STORE needs a set, FLAGS/+FLAGS/-FLAGS[.SILENT] and flags.");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-client-action"
#include "config.h"

#include <string.h>

#include "ms-client-action.h"

G_DEFINE_BOXED_TYPE (MsClientAction, ms_client_action, ms_client_action_copy, ms_client_action_free)

static const char *kind_names[] = {
  [MS_CLIENT_ACTION_CHECK]         = "check",
  [MS_CLIENT_ACTION_OPEN]          = "open",
  [MS_CLIENT_ACTION_OPEN_PART]     = "open-part",
  [MS_CLIENT_ACTION_DELETE]        = "delete",
  [MS_CLIENT_ACTION_MARK_READ]     = "mark-read",
  [MS_CLIENT_ACTION_MARK_UNREAD]   = "mark-unread",
  [MS_CLIENT_ACTION_FLAG]          = "flag",
  [MS_CLIENT_ACTION_UNFLAG]        = "unflag",
  [MS_CLIENT_ACTION_REPLY]         = "reply",
  [MS_CLIENT_ACTION_FORWARD]       = "forward",
  [MS_CLIENT_ACTION_SEARCH]        = "search",
  [MS_CLIENT_ACTION_CREATE_FOLDER] = "create-folder",
  [MS_CLIENT_ACTION_RENAME_FOLDER] = "rename-folder",
  [MS_CLIENT_ACTION_DELETE_FOLDER] = "delete-folder",
  [MS_CLIENT_ACTION_MOVE]          = "move",
  [MS_CLIENT_ACTION_SAVE_SENT]     = "save-sent",
  [MS_CLIENT_ACTION_IDLE]          = "idle",
  [MS_CLIENT_ACTION_DISCONNECT]    = "disconnect",
  [MS_CLIENT_ACTION_RESYNC]        = "resync",
};

MsClientAction *
ms_client_action_new (MsClientActionKind kind)
{
  MsClientAction *action = g_new0 (MsClientAction, 1);

  action->kind = kind;
  return action;
}

MsClientAction *
ms_client_action_copy (const MsClientAction *action)
{
  MsClientAction *copy;

  g_return_val_if_fail (action != NULL, NULL);

  copy = ms_client_action_new (action->kind);
  copy->mailbox = g_strdup (action->mailbox);
  copy->message = g_strdup (action->message);
  copy->argument = g_strdup (action->argument);
  copy->raw = action->raw ? g_bytes_ref (action->raw) : NULL;
  copy->now = action->now;
  return copy;
}

void
ms_client_action_free (MsClientAction *action)
{
  if (action == NULL)
    return;
  g_free (action->mailbox);
  g_free (action->message);
  g_free (action->argument);
  g_clear_pointer (&action->raw, g_bytes_unref);
  g_free (action);
}

const char *
ms_client_action_kind_to_string (MsClientActionKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), "unknown");
  return kind_names[kind];
}

gboolean
ms_client_action_kind_from_string (const char         *name,
                                   MsClientActionKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_ascii_strcasecmp (kind_names[i], name) == 0)
      {
        if (kind)
          *kind = i;
        return TRUE;
      }
  return FALSE;
}

void
ms_client_policy_init_defaults (MsClientPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  /* What most clients do out of the box: POP3 deletes after download unless
   * told otherwise; IMAP opens with BODY[] and deletes by flag + EXPUNGE. */
  memset (policy, 0, sizeof *policy);
  policy->leave_on_server = FALSE;
  policy->delete_after_days = -1;
  policy->delete_when_deleted_here = FALSE;
  policy->use_idle = FALSE;
  policy->peek = FALSE;
  policy->fetch_attachments_on_open = FALSE;
  policy->delete_mode = MS_DELETE_MODE_FLAG_EXPUNGE;
}

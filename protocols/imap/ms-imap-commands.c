/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table: each command, its handler, the states it is allowed in,
 * whether untagged EXPUNGE may follow it, and whether it has a UID form. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-imap-server-session-private.h"

static const MsImapCommandSpec commands[] = {
  { "CAPABILITY",   ms_imap_cmd_capability,   MS_IMAP_IN_ANY,       TRUE,  FALSE },
  { "NOOP",         ms_imap_cmd_noop,         MS_IMAP_IN_ANY,       TRUE,  FALSE },
  { "LOGOUT",       ms_imap_cmd_logout,       MS_IMAP_IN_ANY,       TRUE,  FALSE },
  { "ID",           ms_imap_cmd_id,           MS_IMAP_IN_ANY,       TRUE,  FALSE },
  { "STARTTLS",     ms_imap_cmd_starttls,     MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE },
  { "LOGIN",        ms_imap_cmd_login,        MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE },
  { "AUTHENTICATE", ms_imap_cmd_authenticate, MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE },
  { "ENABLE",       ms_imap_cmd_enable,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "NAMESPACE",    ms_imap_cmd_namespace,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "SELECT",       ms_imap_cmd_select,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "EXAMINE",      ms_imap_cmd_select,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "CREATE",       ms_imap_cmd_create,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "DELETE",       ms_imap_cmd_delete,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "RENAME",       ms_imap_cmd_rename,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "SUBSCRIBE",    ms_imap_cmd_subscribe,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "UNSUBSCRIBE",  ms_imap_cmd_subscribe,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "LIST",         ms_imap_cmd_list,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "LSUB",         ms_imap_cmd_list,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "STATUS",       ms_imap_cmd_status,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "APPEND",       ms_imap_cmd_append,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "IDLE",         ms_imap_cmd_idle,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE },
  { "CHECK",        ms_imap_cmd_noop,         MS_IMAP_IN_SELECTED,  TRUE,  FALSE },
  { "CLOSE",        ms_imap_cmd_close,        MS_IMAP_IN_SELECTED,  TRUE,  FALSE },
  { "UNSELECT",     ms_imap_cmd_close,        MS_IMAP_IN_SELECTED,  TRUE,  FALSE },
  { "EXPUNGE",      ms_imap_cmd_expunge,      MS_IMAP_IN_SELECTED,  TRUE,  TRUE  },
  { "SEARCH",       ms_imap_cmd_search,       MS_IMAP_IN_SELECTED,  FALSE, TRUE  },
  { "FETCH",        ms_imap_cmd_fetch,        MS_IMAP_IN_SELECTED,  FALSE, TRUE  },
  { "STORE",        ms_imap_cmd_store,        MS_IMAP_IN_SELECTED,  FALSE, TRUE  },
  { "COPY",         ms_imap_cmd_copy,         MS_IMAP_IN_SELECTED,  TRUE,  TRUE  },
  { "MOVE",         ms_imap_cmd_copy,         MS_IMAP_IN_SELECTED,  TRUE,  TRUE  },
};

const MsImapCommandSpec *
ms_imap_command_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

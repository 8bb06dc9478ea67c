/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table: each command, its handler, the states it is allowed in,
 * whether untagged EXPUNGE may follow it, whether it has a UID form, and
 * whether it changes the store (refused while changes cannot be saved). */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-imap-server-session-private.h"

static const MsImapCommandSpec commands[] = {
  { "CAPABILITY",   ms_imap_cmd_capability,   MS_IMAP_IN_ANY,       TRUE,  FALSE, FALSE },
  { "NOOP",         ms_imap_cmd_noop,         MS_IMAP_IN_ANY,       TRUE,  FALSE, FALSE },
  { "LOGOUT",       ms_imap_cmd_logout,       MS_IMAP_IN_ANY,       TRUE,  FALSE, FALSE },
  { "ID",           ms_imap_cmd_id,           MS_IMAP_IN_ANY,       TRUE,  FALSE, FALSE },
  { "STARTTLS",     ms_imap_cmd_starttls,     MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE, FALSE },
  { "LOGIN",        ms_imap_cmd_login,        MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE, FALSE },
  { "AUTHENTICATE", ms_imap_cmd_authenticate, MS_IMAP_IN_NOT_AUTH,  TRUE,  FALSE, FALSE },
  { "ENABLE",       ms_imap_cmd_enable,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "NAMESPACE",    ms_imap_cmd_namespace,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "SELECT",       ms_imap_cmd_select,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "EXAMINE",      ms_imap_cmd_select,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "CREATE",       ms_imap_cmd_create,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "DELETE",       ms_imap_cmd_delete,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "RENAME",       ms_imap_cmd_rename,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "SUBSCRIBE",    ms_imap_cmd_subscribe,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "UNSUBSCRIBE",  ms_imap_cmd_subscribe,    MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "LIST",         ms_imap_cmd_list,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "LSUB",         ms_imap_cmd_list,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "STATUS",       ms_imap_cmd_status,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "APPEND",       ms_imap_cmd_append,       MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, TRUE  },
  { "IDLE",         ms_imap_cmd_idle,         MS_IMAP_IN_LOGGED_IN, TRUE,  FALSE, FALSE },
  { "CHECK",        ms_imap_cmd_noop,         MS_IMAP_IN_SELECTED,  TRUE,  FALSE, FALSE },
  { "CLOSE",        ms_imap_cmd_close,        MS_IMAP_IN_SELECTED,  TRUE,  FALSE, TRUE  },
  { "UNSELECT",     ms_imap_cmd_close,        MS_IMAP_IN_SELECTED,  TRUE,  FALSE, FALSE },
  { "EXPUNGE",      ms_imap_cmd_expunge,      MS_IMAP_IN_SELECTED,  TRUE,  TRUE , TRUE  },
  { "SEARCH",       ms_imap_cmd_search,       MS_IMAP_IN_SELECTED,  FALSE, TRUE , FALSE },
  { "FETCH",        ms_imap_cmd_fetch,        MS_IMAP_IN_SELECTED,  FALSE, TRUE , FALSE },
  { "STORE",        ms_imap_cmd_store,        MS_IMAP_IN_SELECTED,  FALSE, TRUE , TRUE  },
  { "COPY",         ms_imap_cmd_copy,         MS_IMAP_IN_SELECTED,  TRUE,  TRUE , TRUE  },
  { "MOVE",         ms_imap_cmd_copy,         MS_IMAP_IN_SELECTED,  TRUE,  TRUE , TRUE  },
};

const MsImapCommandSpec *
ms_imap_command_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

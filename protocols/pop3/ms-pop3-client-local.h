/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The POP3 client's memory beside the local store (which UIDLs it has
 * downloaded, when, where the copy went, which it must DELE next time) and
 * the actions it performs on the device alone. */
#pragma once

#include <glib.h>
#include "ms-client-action.h"
#include "ms-phrase.h"
#include "ms-store.h"

G_BEGIN_DECLS

gboolean ms_pop3_client_local_is_seen         (MsStore              *store,
                                               const char           *user,
                                               const char           *uidl);
gboolean ms_pop3_client_local_should_delete   (MsStore              *store,
                                               const char           *user,
                                               const char           *uidl,
                                               const MsClientPolicy *policy,
                                               gint64                now);
/* Forgets UIDLs that are no longer listed by the server. */
void     ms_pop3_client_local_forget_missing  (MsStore              *store,
                                               const char           *user,
                                               GPtrArray            *listed);
/* Adds the message to the local INBOX and remembers uidl (may be NULL). */
void     ms_pop3_client_local_store_download  (MsStore              *store,
                                               const char           *user,
                                               const char           *uidl,
                                               GBytes               *raw,
                                               gint64                now);
/* The server answered QUIT: these DELEs took effect. */
void     ms_pop3_client_local_confirm_deleted (MsStore              *store,
                                               const char           *user,
                                               GPtrArray            *uidls);
guint    ms_pop3_client_local_count           (MsStore              *store,
                                               const char           *user,
                                               gboolean              pending_deletes);
gboolean ms_pop3_client_local_perform         (MsStore              *store,
                                               const char           *user,
                                               const MsClientPolicy *policy,
                                               const MsClientAction *action,
                                               MsPhrase            **summary);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulated IMAP4rev1 mail client (RFC 3501, with IDLE, MOVE, UIDPLUS and
 * SPECIAL-USE when the server offers them) that behaves as desktop and
 * phone clients do: it stays connected, syncs headers first (envelope,
 * flags, size, structure), fetches a body when the user opens it (with
 * BODY[] or BODY.PEEK[] + STORE \Seen, by policy; only the text part when
 * attachments are left on the server), keeps flags, folders, deletions and
 * sent mail on the server, searches on the server, IDLEs for pushed mail,
 * and queues what the user does while offline for a RESYNC.
 *
 * The local store keeps headers-only copies until a body is fetched; the
 * cache table (ms-imap-client-cache.h) says how much of each message is
 * here. Local-only outcomes (offline actions, opening a cached message)
 * finish before begin_action() returns. */
#pragma once

#include <glib-object.h>
#include "ms-client-session.h"
#include "ms-client-action.h"
#include "ms-imap-client-cache.h"

G_BEGIN_DECLS

typedef enum {
  MS_IMAP_CLIENT_STATE_OFFLINE,          /* no connection */
  MS_IMAP_CLIENT_STATE_CONNECTING,       /* wants a connection */
  MS_IMAP_CLIENT_STATE_GREETING,         /* waiting for * OK */
  MS_IMAP_CLIENT_STATE_NOT_AUTHENTICATED,/* greeted: CAPABILITY, STARTTLS, LOGIN */
  MS_IMAP_CLIENT_STATE_TLS_HANDSHAKE,
  MS_IMAP_CLIENT_STATE_AUTHENTICATED,    /* logged in, nothing selected */
  MS_IMAP_CLIENT_STATE_SELECTED,         /* a folder is selected and no command runs */
  MS_IMAP_CLIENT_STATE_BUSY,             /* commands in flight for an action or a sync */
  MS_IMAP_CLIENT_STATE_IDLE,             /* IDLE running: the server may push */
  MS_IMAP_CLIENT_STATE_LOGOUT,           /* LOGOUT sent */
  MS_IMAP_CLIENT_STATE_CLOSING,          /* wants the connection closed */
} MsImapClientState;

#define MS_TYPE_IMAP_CLIENT (ms_imap_client_get_type ())

G_DECLARE_FINAL_TYPE (MsImapClient, ms_imap_client, MS, IMAP_CLIENT, GObject)

MsImapClient      *ms_imap_client_new              (MsStore              *local_store,
                                                    const char           *user,
                                                    const char           *password,
                                                    const MsClientPolicy *policy,
                                                    MsClientTlsMode       tls);
MsImapClientState  ms_imap_client_get_state        (MsImapClient         *self);
const char        *ms_imap_client_state_to_string  (MsImapClientState     state);
/* How much of a local message is here (NONE when it is not one of the cache's). */
MsImapCacheLevel   ms_imap_client_get_cache_level  (MsImapClient         *self,
                                                    const char           *mailbox,
                                                    MsMessage            *local_message);
/* Actions done offline and waiting for RESYNC. */
guint              ms_imap_client_get_n_queued     (MsImapClient         *self);
/* UIDs of the last SEARCH's matches (server UIDs), or NULL. */
GArray            *ms_imap_client_get_search_result (MsImapClient        *self);

G_END_DECLS

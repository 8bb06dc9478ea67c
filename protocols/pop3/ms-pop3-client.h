/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulated POP3 mail client (RFC 1939, CAPA and STLS from RFC 2449 and
 * RFC 2595) that behaves as desktop clients do: on every check it connects,
 * logs in, asks UIDL what is new, downloads that with RETR and, depending on
 * its policy, deletes from the server with DELE before QUIT. Everything else
 * (read state, flags, folders, sent mail, search) exists only in the local
 * store, which is the point POP3 teaches (T31, T41).
 *
 * Local-only actions finish (emit "action-finished") before begin_action()
 * returns; a check finishes when the connection has closed after QUIT or was
 * lost. The table of UIDLs already downloaded lives beside the local store
 * (on the MsStore object), so a device that loses its store also forgets
 * what it had downloaded, as a reinstalled client does. */
#pragma once

#include <glib-object.h>
#include "ms-client-session.h"
#include "ms-client-action.h"

G_BEGIN_DECLS

typedef enum {
  MS_POP3_CLIENT_STATE_OFFLINE,        /* no connection and none wanted */
  MS_POP3_CLIENT_STATE_CONNECTING,     /* wants a connection */
  MS_POP3_CLIENT_STATE_GREETING,       /* connected, waiting for +OK */
  MS_POP3_CLIENT_STATE_CAPA,
  MS_POP3_CLIENT_STATE_STLS,
  MS_POP3_CLIENT_STATE_TLS_HANDSHAKE,  /* the driver runs the handshake */
  MS_POP3_CLIENT_STATE_USER,
  MS_POP3_CLIENT_STATE_PASS,
  MS_POP3_CLIENT_STATE_STAT,
  MS_POP3_CLIENT_STATE_UIDL,
  MS_POP3_CLIENT_STATE_RETR,
  MS_POP3_CLIENT_STATE_DELE,
  MS_POP3_CLIENT_STATE_RSET,           /* the user stopped: undoing this session's DELE marks */
  MS_POP3_CLIENT_STATE_QUIT,
  MS_POP3_CLIENT_STATE_CLOSING,        /* QUIT answered: wants the connection closed */
} MsPop3ClientState;

#define MS_TYPE_POP3_CLIENT (ms_pop3_client_get_type ())

G_DECLARE_FINAL_TYPE (MsPop3Client, ms_pop3_client, MS, POP3_CLIENT, GObject)

MsPop3Client      *ms_pop3_client_new            (MsStore              *local_store,
                                                  const char           *user,
                                                  const char           *password,
                                                  const MsClientPolicy *policy,
                                                  MsClientTlsMode       tls);
MsPop3ClientState  ms_pop3_client_get_state      (MsPop3Client         *self);
const char        *ms_pop3_client_state_to_string (MsPop3ClientState   state);
/* How many UIDLs the client remembers as downloaded, and how many it will
 * DELE at the next check because the user deleted them here. */
guint              ms_pop3_client_get_n_seen     (MsPop3Client         *self);
guint              ms_pop3_client_get_n_pending_deletes (MsPop3Client  *self);
/* The user presses Stop during a check. Once the answer now awaited has
 * come, the client takes back this session's DELE marks with RSET (they
 * would take effect at QUIT, RFC 1939 section 6) and then QUITs, so the
 * server deletes nothing. FALSE when no check is connected to stop. */
gboolean           ms_pop3_client_stop           (MsPop3Client         *self);

G_END_DECLS

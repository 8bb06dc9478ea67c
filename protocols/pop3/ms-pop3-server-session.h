/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A POP3 server session (RFC 1939, with CAPA and response codes from RFC 2449,
 * AUTH PLAIN from RFC 5034 and STLS from RFC 2595), sans I/O: it implements
 * MsServerSession, so a TCP connection (net/) and a simulated link (sim/)
 * drive it the same way.
 *
 * The session sees a snapshot of the INBOX taken at login: message numbers
 * stay the same for the whole session even when new mail arrives. DELE only
 * marks; the marked messages are removed from the INBOX when QUIT enters the
 * UPDATE state, and a connection that is lost removes nothing. While a session
 * is in TRANSACTION it holds the account's maildrop lock.
 *
 * Events: every command line (COMMAND, name = the keyword in upper case, text
 * = the line as received, passwords included: whoever prints it masks them),
 * every status line and every line of a CAPA/LIST/UIDL listing (RESPONSE,
 * name = "+OK", "-ERR", "+" or, for listing lines, "data"; message text sent
 * by RETR/TOP is not repeated), every state change (STATE, name = new state,
 * text = old state), and NOTICEs: "login" (text = user), "login-failed",
 * "in-use", "expunged" (text = how many), "connection-lost", "tls". */
#pragma once

#include <glib-object.h>
#include "ms-server-session.h"
#include "ms-store.h"

G_BEGIN_DECLS

typedef enum {
  MS_POP3_STATE_AUTHORIZATION,
  MS_POP3_STATE_TRANSACTION,
  MS_POP3_STATE_UPDATE,
} MsPop3State;

#define MS_TYPE_POP3_SERVER_SESSION (ms_pop3_server_session_get_type ())

G_DECLARE_FINAL_TYPE (MsPop3ServerSession, ms_pop3_server_session, MS, POP3_SERVER_SESSION, GObject)

/* @greeting_host names the server in the greeting and the APOP timestamp
 * (NULL: "localhost"). */
MsPop3ServerSession *ms_pop3_server_session_new            (MsStore             *store,
                                                            const char          *greeting_host);
MsPop3State          ms_pop3_server_session_get_state      (MsPop3ServerSession *self);
const char          *ms_pop3_state_to_string               (MsPop3State          state);
/* The user logged in, or NULL before login. */
const char          *ms_pop3_server_session_get_user       (MsPop3ServerSession *self);
/* The APOP timestamp of the greeting ("<pid.counter@host>"). The property
 * "apop-timestamp" (construct only) fixes it, for deterministic simulations. */
const char          *ms_pop3_server_session_get_apop_timestamp (MsPop3ServerSession *self);

G_END_DECLS

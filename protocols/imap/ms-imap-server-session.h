/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An IMAP4rev1 server session (RFC 3501 with IDLE, UIDPLUS, MOVE, LITERAL-,
 * NAMESPACE, UNSELECT, ENABLE, ID, SPECIAL-USE, CHILDREN and SASL-IR), sans
 * I/O: it implements MsServerSession, so a TCP connection (net/) and a
 * simulated link (sim/) drive it the same way.
 *
 * Several sessions may select the same mailbox. Each keeps its own view (the
 * messages it has announced) and learns of the others' changes through the
 * mailbox's signals; it reports them (EXISTS, RECENT, EXPUNGE, FETCH FLAGS)
 * only where RFC 3501 section 7.4.1 allows.
 *
 * Output outside feed(): while a client IDLEs, a change to the mailbox
 * queues untagged responses at once. The session then emits "output-ready",
 * and the driver should call take_output() and send what it gets.
 *
 * Events: COMMAND for every command (name = the command, tag = its tag, text
 * = the line with literal data elided), RESPONSE for every response line
 * (name = the status, "+" or the untagged data's keyword), STATE for every
 * transition (name = new state, text = old state), NOTICEs "login",
 * "login-failed", "tls", "idle-start", "idle-done", "connection-lost",
 * "too-many-errors". */
#pragma once

#include <glib-object.h>
#include "ms-server-session.h"
#include "ms-store.h"

G_BEGIN_DECLS

typedef enum {
  MS_IMAP_STATE_NOT_AUTHENTICATED,
  MS_IMAP_STATE_AUTHENTICATED,
  MS_IMAP_STATE_SELECTED,
  MS_IMAP_STATE_LOGOUT,
} MsImapState;

#define MS_TYPE_IMAP_SERVER_SESSION (ms_imap_server_session_get_type ())

G_DECLARE_FINAL_TYPE (MsImapServerSession, ms_imap_server_session, MS, IMAP_SERVER_SESSION, GObject)

MsImapServerSession *ms_imap_server_session_new       (MsStore             *store);
MsImapState          ms_imap_server_session_get_state (MsImapServerSession *self);
const char          *ms_imap_state_to_string          (MsImapState          state);
/* The user logged in, or NULL. */
const char          *ms_imap_server_session_get_user  (MsImapServerSession *self);

/* Output flow (see MS_LIMIT_IMAP_OUTPUT_BUDGET): a command whose answer
 * grows with the mailbox (FETCH) writes up to the budget, then waits until
 * take_output() took it. take_output() hands out at most the budget per
 * call; call it again once that was sent. Tests and fuzzers lower the
 * budget to make every FETCH wait. */
void                 ms_imap_server_session_set_output_budget (MsImapServerSession *self,
                                                               gsize                budget);
gsize                ms_imap_server_session_get_output_budget (MsImapServerSession *self);
/* Bytes queued now, and the most that were ever queued at once. */
gsize                ms_imap_server_session_get_queued     (MsImapServerSession *self);
gsize                ms_imap_server_session_get_max_queued (MsImapServerSession *self);
/* Is a command waiting for its output to be taken before it goes on? */
gboolean             ms_imap_server_session_is_answering   (MsImapServerSession *self);

G_END_DECLS

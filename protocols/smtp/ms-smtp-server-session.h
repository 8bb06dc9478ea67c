/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sans-I/O SMTP submission server session (RFC 5321 and RFC 6409, the
 * subset a mail client uses: EHLO/HELO, STARTTLS, AUTH PLAIN, MAIL FROM,
 * RCPT TO, DATA, RSET, NOOP, QUIT). It delivers each accepted message into
 * the INBOX of every recipient account in the MsStore it was given, with a
 * Received: header on top; mail to anyone else is refused with 550, since
 * this server relays nowhere. */
#pragma once

#include <glib-object.h>
#include "ms-limits.h"
#include "ms-server-session.h"
#include "ms-store.h"

G_BEGIN_DECLS

typedef enum {
  MS_SMTP_SERVER_STATE_CONNECTED,   /* before start(): nothing said yet */
  MS_SMTP_SERVER_STATE_GREETED,     /* 220 sent, waiting for EHLO/HELO */
  MS_SMTP_SERVER_STATE_READY,       /* EHLO done: AUTH, MAIL FROM */
  MS_SMTP_SERVER_STATE_MAIL,        /* MAIL FROM accepted: RCPT TO */
  MS_SMTP_SERVER_STATE_RCPT,        /* a recipient accepted: more RCPT TO or DATA */
  MS_SMTP_SERVER_STATE_DATA,        /* reading the message until "." */
  MS_SMTP_SERVER_STATE_TLS,         /* STARTTLS accepted, handshake running */
  MS_SMTP_SERVER_STATE_CLOSED,      /* QUIT answered or too many errors */
} MsSmtpServerState;

/* The limits, with their reasons, are in ms-limits.h. */
#define MS_SMTP_MAX_COMMAND_LINE   ((gsize) MS_LIMIT_SMTP_COMMAND_LINE)
#define MS_SMTP_MAX_DATA_LINE      ((gsize) MS_LIMIT_SMTP_DATA_LINE)
#define MS_SMTP_MAX_MESSAGE_SIZE   ((int) MS_LIMIT_SMTP_MESSAGE_SIZE)
#define MS_SMTP_MAX_RECIPIENTS     MS_LIMIT_SMTP_RECIPIENTS
#define MS_SMTP_MAX_BAD_COMMANDS   MS_LIMIT_SMTP_BAD_COMMANDS

#define MS_TYPE_SMTP_SERVER_SESSION (ms_smtp_server_session_get_type ())

G_DECLARE_FINAL_TYPE (MsSmtpServerSession, ms_smtp_server_session, MS, SMTP_SERVER_SESSION, GObject)

MsSmtpServerSession *ms_smtp_server_session_new       (MsStore             *store,
                                                       const char          *hostname,
                                                       gboolean             tls_available);
/* The (virtual) time, Unix seconds, used for Received: dates and the
 * internal date of delivered messages; 0 until set. */
void                 ms_smtp_server_session_set_now   (MsSmtpServerSession *self,
                                                       gint64               now);
MsSmtpServerState    ms_smtp_server_session_get_state (MsSmtpServerSession *self);
const char          *ms_smtp_server_state_to_string   (MsSmtpServerState    state);
/* How many messages this session delivered (one per accepted DATA). */
guint                ms_smtp_server_session_get_n_delivered (MsSmtpServerSession *self);

G_END_DECLS

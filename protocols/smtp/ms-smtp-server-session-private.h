/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the SMTP session's files share: the instance struct, the command
 * table entry, and the helpers with which the command handlers and the DATA
 * reader answer. */
#pragma once

#include "ms-protocol-event.h"
#include "ms-smtp-server-session.h"

G_BEGIN_DECLS

/* The bit of @state in MsSmtpCommand.states. */
#define MS_SMTP_IN(state) (1u << (state))

typedef struct
{
  const char *name;
  /* @arg is the rest of the line after the verb and one space, NULL when none. */
  void      (*handler) (MsSmtpServerSession *self,
                        const char          *arg);
  guint       states;   /* MS_SMTP_IN() of each MsSmtpServerState where it is allowed */
} MsSmtpCommand;

struct _MsSmtpServerSession
{
  GObject            parent_instance;

  MsStore           *store;
  char              *hostname;
  gboolean           tls_available;
  gboolean           tls_active;
  gint64             now;

  MsSmtpServerState  state;
  GByteArray        *in;
  GByteArray        *out;
  gboolean           discarding;    /* skipping the rest of an over-long line */

  char              *helo;          /* the client's EHLO/HELO name */
  gboolean           esmtp;
  char              *auth_user;     /* NULL until AUTH succeeded */
  gboolean           auth_pending;  /* 334 sent, waiting for the PLAIN response */
  char              *mail_from;
  GPtrArray         *recipients;    /* MsAccount (not owned: the store owns them) */
  GByteArray        *data;
  gboolean           data_too_big;
  guint              n_bad;
  guint              n_delivered;
};


/* ms-smtp-server-session.c: state, answers, events. */
void  ms_smtp_session_emit              (MsSmtpServerSession *self,
                                         MsProtocolEventKind  kind,
                                         const char          *name,
                                         const char          *text);
/* The only place the state changes. */
void  ms_smtp_session_set_state         (MsSmtpServerSession *self,
                                         MsSmtpServerState    state);
/* One reply line; "code-text" when more lines follow, "code text" for the last. */
void  ms_smtp_session_reply_line        (MsSmtpServerSession *self,
                                         guint                code,
                                         gboolean             more,
                                         const char          *text);
void  ms_smtp_session_reply             (MsSmtpServerSession *self,
                                         guint                code,
                                         const char          *text);
/* Forgets the sender, the recipients and the message text. */
void  ms_smtp_session_reset_transaction (MsSmtpServerSession *self);
/* Replies and counts a bad command; closes with 421 after too many. */
void  ms_smtp_session_bad_command       (MsSmtpServerSession *self,
                                         guint                code,
                                         const char          *text);

/* ms-smtp-commands.c: the commands of RFC 5321, 3207 (STARTTLS) and 4954 (AUTH). */
extern const MsSmtpCommand ms_smtp_commands[];
extern const guint         ms_smtp_n_commands;
/* Checks an AUTH PLAIN response (RFC 4616), given with AUTH or on the line
 * after the 334, and answers 235 or an error. */
void  ms_smtp_auth_plain                (MsSmtpServerSession *self,
                                         const char          *b64);

/* ms-smtp-data.c: the message text after DATA, and its delivery. */
/* One line of message text, CRLF removed; the line "." ends the message. */
void  ms_smtp_data_line                 (MsSmtpServerSession *self,
                                         const char          *line,
                                         gsize                len);

G_END_DECLS

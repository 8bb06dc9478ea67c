/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the POP3 session's files share: the instance struct, the command
 * table entry, and the helpers command handlers use to answer. */
#pragma once

#include "ms-pop3-server-session.h"

G_BEGIN_DECLS

typedef enum {
  MS_POP3_IN_AUTHORIZATION = 1 << MS_POP3_STATE_AUTHORIZATION,
  MS_POP3_IN_TRANSACTION   = 1 << MS_POP3_STATE_TRANSACTION,
} MsPop3StateMask;

typedef struct {
  const char      *name;
  /* @args is the rest of the line after the keyword and one space ("" when none). */
  void           (*handler) (MsPop3ServerSession *self,
                             const char          *args);
  MsPop3StateMask  states;
} MsPop3Command;

struct _MsPop3ServerSession
{
  GObject       parent_instance;

  MsStore      *store;
  char         *greeting_host;
  char         *apop_timestamp;
  gboolean      tls_available;
  gboolean      require_tls;
  gboolean      tls_active;

  MsPop3State   state;
  gboolean      started;
  gboolean      finished;

  GByteArray   *input;       /* bytes fed and not yet processed */
  GByteArray   *output;      /* bytes waiting for take_output() */

  /* After a failed login: the answer is kept back until the driver has
   * waited hold_ms and called release_hold(). */
  guint         hold_ms;
  char         *held_response;
  guint         auth_failures;
  guint         bad_commands;

  char         *pending_user; /* the USER of a USER/PASS pair */
  gboolean      in_auth_plain; /* AUTH PLAIN sent "+ ", the next line is the response */

  /* Set in TRANSACTION. */
  char         *user;
  MsAccount    *account;
  MsMailbox    *inbox;
  guint32       uidvalidity;
  GPtrArray    *messages;    /* MsMessage snapshot taken at login */
  GArray       *deleted;     /* gboolean per message */
};

/* ms-pop3-server-session.c */
void        ms_pop3_session_set_state    (MsPop3ServerSession *self,
                                          MsPop3State          state);
void        ms_pop3_session_reply        (MsPop3ServerSession *self,
                                          gboolean             ok,
                                          const char          *format,
                                          ...) G_GNUC_PRINTF (3, 4);
/* A listing line of a multi-line answer ("1 120"); emitted as a "data" event. */
void        ms_pop3_session_data_line    (MsPop3ServerSession *self,
                                          const char          *format,
                                          ...) G_GNUC_PRINTF (2, 3);
/* The "+ " continuation line of AUTH (RFC 5034 section 4, empty challenge). */
void        ms_pop3_session_continue     (MsPop3ServerSession *self);
/* The terminating ".". */
void        ms_pop3_session_end_data     (MsPop3ServerSession *self);
/* Raw bytes, already byte-stuffed, that are not narrated line by line. */
void        ms_pop3_session_write        (MsPop3ServerSession *self,
                                          const char          *data,
                                          gsize                len);
void        ms_pop3_session_notice       (MsPop3ServerSession *self,
                                          const char          *name,
                                          const char          *text);
/* Counts a bad command and closes the session when there were too many. */
void        ms_pop3_session_bad_command  (MsPop3ServerSession *self,
                                          const char          *format,
                                          ...) G_GNUC_PRINTF (2, 3);
/* Ends the session: nothing more is read or executed. */
void        ms_pop3_session_finish       (MsPop3ServerSession *self);
/* Whether @text may be echoed in a reply: printable US-ASCII only, because
 * POP3 responses are 7-bit (RFC 1939; UTF-8 only after RFC 6856's UTF8,
 * which this server does not offer) and clients such as mutt print them. */
gboolean    ms_pop3_is_printable_ascii   (const char          *text);

/* ms-pop3-auth.c: USER, PASS, APOP, AUTH, STLS and the login itself. */
extern const MsPop3Command ms_pop3_auth_commands[];
extern const guint         ms_pop3_n_auth_commands;
/* Handles the line that answers an AUTH PLAIN "+ " challenge. */
void        ms_pop3_auth_continue        (MsPop3ServerSession *self,
                                          const char          *line);
/* Drops the lock and the snapshot (QUIT, lost connection, dispose). */
void        ms_pop3_session_logout       (MsPop3ServerSession *self);

/* ms-pop3-commands.c: CAPA, NOOP, QUIT and the TRANSACTION commands. */
extern const MsPop3Command ms_pop3_mail_commands[];
extern const guint         ms_pop3_n_mail_commands;
/* Parses a message number into *index (0-based). FALSE, with the -ERR
 * already sent, when it is not a number or names no message or a deleted
 * one. */
gboolean    ms_pop3_parse_msg_number     (MsPop3ServerSession *self,
                                          const char          *arg,
                                          guint               *index);
/* The UIDL value of the message: UIDVALIDITY and UID in hex. */
char       *ms_pop3_uidl                 (guint32              uidvalidity,
                                          guint32              uid);

G_END_DECLS

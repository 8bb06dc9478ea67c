/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the IMAP client's files share: the instance struct and the command
 * queue. Only ms-imap-client*.c include this. */
#pragma once

#include "ms-imap-client.h"
#include "ms-imap-client-parser.h"
#include "ms-imap-client-cache.h"
#include "ms-protocol-event.h"

G_BEGIN_DECLS

typedef enum {
  CMD_CAPABILITY,
  CMD_STARTTLS,
  CMD_LOGIN,
  CMD_LIST,
  CMD_SELECT,
  CMD_SYNC,          /* not sent: expands into the FETCHes a sync needs when reached */
  CMD_FETCH_FLAGS,   /* UID FETCH 1:H (FLAGS) */
  CMD_FETCH_NEW,     /* UID FETCH H+1:* (UID FLAGS ENVELOPE RFC822.SIZE BODYSTRUCTURE) */
  CMD_FETCH_BODY,
  CMD_STORE,
  CMD_EXPUNGE,
  CMD_MOVE,
  CMD_COPY,
  CMD_SEARCH,
  CMD_CREATE,
  CMD_RENAME,
  CMD_DELETE,
  CMD_APPEND,
  CMD_IDLE,
  CMD_LOGOUT,
  CMD_PLAN,          /* not sent: plans a message action once a sync has brought the message */
} MsImapClientCommandKind;

typedef struct
{
  MsImapClientCommandKind  kind;
  char              *tag;
  char              *verb;       /* for events: "UID FETCH", "LOGIN" */
  char              *line;       /* without CRLF; for APPEND ends with the literal size */
  GBytes            *literal;    /* APPEND data, sent after the "+" */
  char              *mailbox;    /* the folder it concerns */
  char              *argument;   /* target folder, new name, part number… */
  guint32            uid;        /* server UID, 0 if none */
  MsFlags            flags;      /* STORE */
  char              *keyword;    /* STORE */
  gboolean           remove;     /* STORE -FLAGS */
  gboolean           optional;   /* a NO does not fail the action */
  gboolean           retried;    /* sent again after CREATE, for [TRYCREATE] */
  MsClientAction    *plan;       /* CMD_PLAN: the action to plan */
} MsImapClientCommand;

struct _MsImapClient
{
  GObject              parent_instance;

  MsStore             *store;
  char                *user;
  char                *password;
  MsClientPolicy       policy;
  MsClientTlsMode      tls;

  MsImapClientState    state;
  gboolean             online;
  gboolean             tls_active;
  MsImapClientParser  *parser;
  GByteArray          *out;
  guint                next_tag;

  /* Server knowledge. */
  GHashTable          *caps;          /* upper-case capability atoms */
  GHashTable          *listed;        /* folder names seen in LIST → role (GINT) */
  char                *selected;      /* the selected folder, or NULL */
  char                *planned;       /* the folder selected once the queue has run */
  guint32              select_uidvalidity;
  guint                exists;
  GArray              *seq_uids;      /* sequence number n-1 → server UID (0 unknown) */

  /* Commands. */
  GQueue              *queue;         /* MsImapClientCommand waiting */
  MsImapClientCommand       *current;       /* in flight */
  gboolean             awaiting_continuation;
  gboolean             logged_in;

  /* The job: an action (or a spontaneous sync after a push). */
  MsClientAction      *action;
  gboolean             job_failed;
  MsPhrase            *job_failure;   /* the first failure, for the summary */
  guint64              job_bytes_in;
  guint                job_new;
  guint                job_vanished;
  guint                job_flag_updates;
  guint                job_bodies;
  guint64              job_body_bytes;
  GHashTable          *refreshed;     /* server UIDs answered by the FLAGS refresh */
  GArray              *search_result;
  gboolean             new_mail_pending;
  gboolean             idle_done_sent;
  gboolean             replaying;
  GPtrArray           *job_notes;     /* what the action did (MsPhrase), for the summary */
};

/* ms-imap-client.c */
void           ms_imap_client_set_state        (MsImapClient       *self,
                                                MsImapClientState   state);
MsImapClientCommand *ms_imap_client_queue            (MsImapClient       *self,
                                                MsImapClientCommandKind   kind,
                                                const char         *mailbox,
                                                const char         *verb,
                                                const char         *format,
                                                ...) G_GNUC_PRINTF (5, 6);
/* Takes @why over; the first failure's sentence ends the summary. */
void           ms_imap_client_note_failure     (MsImapClient       *self,
                                                MsPhrase           *why);
char          *ms_imap_client_quote            (const char         *text);
/* An atom when the text is one, else a quoted string (LOGIN alice wonderland). */
char          *ms_imap_client_astring          (const char         *text);
MsMailbox     *ms_imap_client_local_mailbox    (MsImapClient       *self,
                                                const char         *name,
                                                gboolean            create);

void           ms_imap_client_emit             (MsImapClient        *self,
                                                MsProtocolEventKind  kind,
                                                const char          *name,
                                                const char          *tag,
                                                const char          *text);
/* Takes @why over. */
void           ms_imap_client_protocol_error   (MsImapClient       *self,
                                                MsPhrase           *why);
void           ms_imap_client_send_next        (MsImapClient       *self);
void           ms_imap_client_clear_queue      (MsImapClient       *self);
void           ms_imap_client_command_free     (MsImapClientCommand *cmd);

/* ms-imap-client-responses.c */
void           ms_imap_client_handle_untagged  (MsImapClient                *self,
                                                const MsImapClientResponse  *r);
void           ms_imap_client_handle_tagged    (MsImapClient                *self,
                                                MsImapClientCommand         *cmd,
                                                const MsImapClientResponse  *r);

/* ms-imap-client-actions.c */
/* Queues the commands for an action (connected); FALSE with *summary if it cannot start. */
gboolean       ms_imap_client_plan_action      (MsImapClient         *self,
                                                const MsClientAction *action,
                                                MsPhrase            **summary);
/* Applies an action locally while offline and queues it; the summary says so. */
gboolean       ms_imap_client_perform_offline  (MsImapClient         *self,
                                                const MsClientAction *action,
                                                MsPhrase            **summary);
/* Queues SELECT (when another folder is selected) and optionally a sync. */
void           ms_imap_client_plan_select      (MsImapClient         *self,
                                                const char           *mailbox,
                                                gboolean              sync);
/* The folder that has this SPECIAL-USE role on the server, or the usual name. */
const char    *ms_imap_client_role_name        (MsImapClient         *self,
                                                MsMailboxRole         role,
                                                const char           *fallback);
/* What the job did, its notes first: a new list ("; "). */
MsPhrase      *ms_imap_client_job_summary      (MsImapClient         *self);
/* Plans a message action a CMD_PLAN deferred until after a sync. */
void           ms_imap_client_plan_deferred    (MsImapClient         *self,
                                                const MsClientAction *action);
/* Turns a reached SYNC into FETCHes for what the cache holds now. */
void           ms_imap_client_expand_sync      (MsImapClient         *self);

G_END_DECLS

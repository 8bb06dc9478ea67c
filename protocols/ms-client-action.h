/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a user asks a simulated mail client to do, and the client's settings
 * (its policy). The same action means different wire traffic for POP3 and
 * IMAP; that difference is what Mailscope shows. */
#pragma once

#include <glib-object.h>
#include "ms-types.h"

G_BEGIN_DECLS

typedef enum {
  MS_CLIENT_ACTION_CHECK,          /* connect if needed, find what is new; POP3 downloads it */
  MS_CLIENT_ACTION_OPEN,           /* the user opens a message: IMAP fetches the body if not cached */
  MS_CLIENT_ACTION_OPEN_PART,      /* the user opens an attachment (argument: part number, e.g. "2") */
  MS_CLIENT_ACTION_DELETE,
  MS_CLIENT_ACTION_MARK_READ,
  MS_CLIENT_ACTION_MARK_UNREAD,
  MS_CLIENT_ACTION_FLAG,
  MS_CLIENT_ACTION_UNFLAG,
  MS_CLIENT_ACTION_REPLY,          /* sets \Answered (sending goes through SMTP separately) */
  MS_CLIENT_ACTION_FORWARD,        /* sets $Forwarded */
  MS_CLIENT_ACTION_SEARCH,         /* argument: the words; IMAP asks the server, POP3 looks locally */
  MS_CLIENT_ACTION_CREATE_FOLDER,  /* argument: the name */
  MS_CLIENT_ACTION_RENAME_FOLDER,  /* mailbox: old name, argument: new name */
  MS_CLIENT_ACTION_DELETE_FOLDER,  /* argument: the name */
  MS_CLIENT_ACTION_MOVE,           /* argument: the target folder */
  MS_CLIENT_ACTION_SAVE_SENT,      /* raw: a message just sent; IMAP APPENDs it to Sent, POP3 keeps it locally */
  MS_CLIENT_ACTION_IDLE,           /* IMAP: wait for pushes with IDLE; POP3: nothing to do (polling only) */
  MS_CLIENT_ACTION_DISCONNECT,     /* QUIT / LOGOUT */
  MS_CLIENT_ACTION_RESYNC,         /* after coming back online: replay the offline queue, fetch changes */
} MsClientActionKind;

typedef struct
{
  MsClientActionKind  kind;
  char               *mailbox;   /* the folder the action is in; NULL means INBOX */
  char               *message;   /* which message: a Subject substring, or "#N" for the Nth local message */
  char               *argument;  /* see the kinds above */
  GBytes             *raw;       /* SAVE_SENT only */
  gint64              now;       /* virtual time (Unix seconds) when the action starts */
} MsClientAction;

typedef enum {
  MS_DELETE_MODE_FLAG_EXPUNGE,     /* IMAP: STORE +FLAGS (\Deleted), then EXPUNGE */
  MS_DELETE_MODE_MOVE_TO_TRASH,    /* IMAP: MOVE to the \Trash mailbox */
  MS_DELETE_MODE_FLAG_ONLY,        /* IMAP: mark \Deleted and leave it (the old clients' way) */
} MsDeleteMode;

typedef struct
{
  /* POP3 (RFC 1939 leaves all of this to the client; T11, M2) */
  gboolean      leave_on_server;          /* FALSE: DELE after RETR */
  int           delete_after_days;        /* with leave_on_server: DELE once older than this; -1 never */
  gboolean      delete_when_deleted_here; /* with leave_on_server: DELE when the user deletes locally */
  /* IMAP */
  gboolean      use_idle;                 /* stay connected and IDLE between actions (T61) */
  gboolean      peek;                     /* BODY.PEEK[] then STORE +FLAGS (\Seen), rather than BODY[] (T32) */
  gboolean      fetch_attachments_on_open;/* FALSE: only the text part until the user opens the attachment (T13) */
  MsDeleteMode  delete_mode;
} MsClientPolicy;

#define MS_TYPE_CLIENT_ACTION (ms_client_action_get_type ())

GType           ms_client_action_get_type    (void) G_GNUC_CONST;
MsClientAction *ms_client_action_new         (MsClientActionKind     kind);
MsClientAction *ms_client_action_copy        (const MsClientAction  *action);
void            ms_client_action_free        (MsClientAction        *action);
const char     *ms_client_action_kind_to_string   (MsClientActionKind kind);
/* Parses the scenario spelling ("check", "open", "mark-read"…); FALSE if unknown. */
gboolean        ms_client_action_kind_from_string (const char         *name,
                                                   MsClientActionKind *kind);
void            ms_client_policy_init_defaults (MsClientPolicy      *policy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsClientAction, ms_client_action_free)

G_END_DECLS

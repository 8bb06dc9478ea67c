/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the IMAP session shares with its command handlers. */
#pragma once

#include <stdarg.h>
#include <string.h>

#include "ms-imap-parser.h"
#include "ms-protocol-event.h"
#include "ms-imap-server-session.h"

G_BEGIN_DECLS

#define MS_IMAP_LIMIT_BAD_COMMANDS MS_LIMIT_IMAP_BAD_COMMANDS
/* How long a driver holds the session after a failed login. */
#define MS_IMAP_FAILED_LOGIN_HOLD_MS 1000u
#define MS_IMAP_LIMIT_RAW_LINE MS_LIMIT_IMAP_RAW_LINE

typedef enum {
  MS_IMAP_INPUT_COMMANDS,
  MS_IMAP_INPUT_AUTHENTICATE,   /* waiting for the SASL answer line */
  MS_IMAP_INPUT_IDLE,           /* waiting for DONE */
  MS_IMAP_INPUT_DISCARD,        /* after STARTTLS or LOGOUT: input is dropped */
} MsImapInputMode;

typedef void (*MsImapHandler) (MsImapServerSession *self,
                               MsImapCommand       *cmd,
                               gboolean             uid);

/* Continues a suspended command: writes more of its answer and returns
 * TRUE once it has ended (tagged status sent), FALSE to be called again
 * when its output has been taken. */
typedef gboolean (*MsImapResumeFunc) (MsImapServerSession *self,
                                      MsImapCommand       *cmd,
                                      gpointer             state);

#define MS_IMAP_IN_NOT_AUTH  (1u << MS_IMAP_STATE_NOT_AUTHENTICATED)
#define MS_IMAP_IN_AUTH      (1u << MS_IMAP_STATE_AUTHENTICATED)
#define MS_IMAP_IN_SELECTED  (1u << MS_IMAP_STATE_SELECTED)
#define MS_IMAP_IN_ANY       (MS_IMAP_IN_NOT_AUTH | MS_IMAP_IN_AUTH | MS_IMAP_IN_SELECTED)
#define MS_IMAP_IN_LOGGED_IN (MS_IMAP_IN_AUTH | MS_IMAP_IN_SELECTED)

typedef struct
{
  const char    *name;
  MsImapHandler  handler;
  guint          states;
  /* May untagged EXPUNGE be sent when this command completes? Not after
   * FETCH, STORE or SEARCH (RFC 3501 section 7.4.1); their UID forms may. */
  gboolean       expunge_ok;
  gboolean       uid_form;     /* valid after "UID" */
  gboolean       changes;      /* changes the store: refused while it cannot be saved */
} MsImapCommandSpec;

const MsImapCommandSpec *ms_imap_command_lookup (const char *name);

/* Appends to a GString. g_string_append_len() goes through the general
 * g_string_insert_len() in GLib 2.74; almost every append here is a few
 * bytes into room that is already there (FETCH 1:* writes ten per message). */
static inline void
ms_imap_put (GString    *s,
             const char *data,
             gsize       len)
{
  if (G_LIKELY (s->allocated_len - s->len > len))
    {
      memcpy (s->str + s->len, data, len);
      s->len += len;
      s->str[s->len] = '\0';
    }
  else
    g_string_append_len (s, data, len);
}

/* Literals from this size on are queued by reference, not copied. */
#define MS_IMAP_LITERAL_BY_REFERENCE 16384

/* A response under construction: the wire bytes and the same with literal
 * data elided, for the RESPONSE event. Large literals go out by reference:
 * pieces holds what comes before wire (the line so far, then the message's
 * own bytes). text is NULL when nobody observes responses. */
typedef struct
{
  GString *wire;
  GString *text;
  GQueue   pieces;   /* of GBytes */
} MsImapResponse;

struct _MsImapServerSession
{
  GObject          parent_instance;

  MsStore         *store;
  gboolean         tls_available;
  gboolean         require_tls;
  gboolean         tls_active;
  MsImapState      state;
  MsAccount       *account;

  MsImapParser    *parser;
  /* What is queued to send: chunks (GBytes, some of them message bytes
   * lent by reference; chunk_bytes in all), then the bytes of output. */
  GQueue           out_chunks;
  gsize            chunk_bytes;
  GString         *output;
  gsize            output_budget;
  gsize            max_queued;       /* the most ever queued, for tests and benchmarks */

  /* A command whose answer reached the budget: take_output() resumes it.
   * Input that arrives meanwhile waits in unread, in order, unexecuted. */
  MsImapCommand   *suspended;
  MsImapResumeFunc resume;
  gpointer         resume_state;
  GDestroyNotify   resume_state_free;
  GByteArray      *unread;
  MsImapInputMode  mode;
  GByteArray      *raw_line;
  gboolean         raw_line_too_long; /* past MS_IMAP_LIMIT_RAW_LINE; the rest is dropped */
  MsImapCommand   *pending;          /* the AUTHENTICATE or IDLE that waits */
  gboolean         in_feed;
  gboolean         finished;
  guint            n_bad;
  guint            hold_ms;
  gboolean         cur_expunge_ok;
  /* While a command's handler runs: the store's count of failed writes when
   * it started. A higher count at the end means that the command's change
   * is not on disk, and the command must not end in OK. */
  gboolean         in_handler;
  guint            persist_failures;

  /* The selected mailbox and this session's view of it. */
  MsMailbox       *mailbox;
  gboolean         read_only;
  GPtrArray       *view;             /* of MsMessage, referenced: seq n is index n-1 */
  gboolean         view_shared;      /* view is the mailbox's shared list: copy before changing */
  GHashTable      *recent;           /* UIDs with \Recent for this session */
  GHashTable      *pending_expunges; /* UIDs expunged by anyone, not yet announced */
  GHashTable      *pending_flags;    /* UIDs whose flags changed, not yet announced */
  gboolean         pending_new;
  gboolean         own_change;       /* changes made by this session's own STORE */
  gulong           handlers[3];
};

/* Events and output. */
void      ms_imap_session_emit         (MsImapServerSession *self,
                                        MsProtocolEventKind  kind,
                                        const char          *name,
                                        const char          *tag,
                                        const char          *text);
/* One line as it is (CRLF added), with its RESPONSE event. */
void      ms_imap_session_send_line    (MsImapServerSession *self,
                                        const char          *line);
void      ms_imap_session_untagged     (MsImapServerSession *self,
                                        const char          *format,
                                        ...) G_GNUC_PRINTF (2, 3);
void      ms_imap_session_continuation (MsImapServerSession *self,
                                        const char          *text);
/* Ends a command: sends the untagged updates the command allows, then the
 * tagged status line. */
void      ms_imap_session_done         (MsImapServerSession *self,
                                        MsImapCommand       *cmd,
                                        const char          *status,
                                        const char          *format,
                                        ...) G_GNUC_PRINTF (4, 5);
/* TRUE when a write failed since the running command started: its change is
 * not on disk (ms_imap_session_done() then turns OK into NO). */
gboolean  ms_imap_session_change_lost  (MsImapServerSession *self);
/* The RFC 5530 response code for a store write failure. */
const char *ms_imap_persist_code       (const GError        *error);
void      ms_imap_session_bad          (MsImapServerSession *self,
                                        MsImapCommand       *cmd,
                                        const char          *text);
void      ms_imap_session_set_state    (MsImapServerSession *self,
                                        MsImapState          state);
void      ms_imap_session_notice       (MsImapServerSession *self,
                                        const char          *name,
                                        const char          *text);
void      ms_imap_session_emit_output_ready (MsImapServerSession *self);
char     *ms_imap_session_capabilities (MsImapServerSession *self);

/* A response for this session; its text is kept only when someone
 * observes RESPONSE events. */
MsImapResponse *ms_imap_response_new      (MsImapServerSession *self);

/* The appends are inline: with a constant string the length is known when
 * compiling and the copy is a few moves. */
static inline void
ms_imap_response_append_len (MsImapResponse *r,
                             const char     *text,
                             gsize           len)
{
  ms_imap_put (r->wire, text, len);
  if (r->text != NULL)
    ms_imap_put (r->text, text, len);
}

static inline void
ms_imap_response_append (MsImapResponse *r,
                         const char     *text)
{
  ms_imap_response_append_len (r, text, strlen (text));
}

static inline void
ms_imap_response_append_c (MsImapResponse *r,
                           char            c)
{
  ms_imap_response_append_len (r, &c, 1);
}

/* A number in decimal, without printf. */
static inline void
ms_imap_response_uint (MsImapResponse *r,
                       guint64         n)
{
  char buf[24];
  char *p = buf + sizeof buf;

  do
    {
      *--p = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0);
  ms_imap_response_append_len (r, p, buf + sizeof buf - p);
}
void            ms_imap_response_printf   (MsImapResponse *r,
                                           const char     *format,
                                           ...) G_GNUC_PRINTF (2, 3);
/* A string: quoted when it can be, a literal otherwise; NULL gives NIL. */
void            ms_imap_response_string   (MsImapResponse *r,
                                           const char     *data,
                                           gsize           len);
void            ms_imap_response_literal  (MsImapResponse *r,
                                           const char     *data,
                                           gsize           len);
/* The same for bytes the response may keep a reference to (a message's):
 * a large literal is then not copied. */
void            ms_imap_response_literal_bytes (MsImapResponse *r,
                                                GBytes         *bytes);
/* Sends the response (adding CRLF) and frees it. */
void            ms_imap_session_send      (MsImapServerSession *self,
                                           MsImapResponse      *r);
/* Sends it and empties it for the next one (FETCH answers many). */
void            ms_imap_session_send_keep (MsImapServerSession *self,
                                           MsImapResponse      *r);
/* Queues bytes to send, taking the reference. */
void            ms_imap_session_output_bytes (MsImapServerSession *self,
                                              GBytes              *bytes);
gboolean        ms_imap_session_has_output (MsImapServerSession *self);
/* Bytes queued to send. */
gsize           ms_imap_session_queued    (MsImapServerSession *self);
/* Has the running command written its share for now? It should then
 * suspend itself and go on when resumed. */
static inline gboolean
ms_imap_session_output_full (MsImapServerSession *self)
{
  return self->chunk_bytes + self->output->len >= self->output_budget;
}
/* Parks @cmd (taking it: the caller must not free it) until the output is
 * taken; then @resume runs with @state, as often as it asks to. */
void            ms_imap_session_suspend   (MsImapServerSession *self,
                                           MsImapCommand       *cmd,
                                           MsImapResumeFunc     resume,
                                           gpointer             state,
                                           GDestroyNotify       state_free);
/* Forgets a suspended command without ending it (the connection is gone). */
void            ms_imap_session_drop_suspended (MsImapServerSession *self);
void            ms_imap_response_free     (MsImapResponse *r);

/* The selected mailbox (ms-imap-view.c). */
void      ms_imap_view_select          (MsImapServerSession *self,
                                        MsMailbox           *mailbox,
                                        gboolean             read_only);
void      ms_imap_view_close           (MsImapServerSession *self);
/* Announces what changed since the last time, as far as allowed. */
void      ms_imap_view_flush           (MsImapServerSession *self,
                                        gboolean             expunge_ok);
/* In IDLE, announces what changed, unless earlier output is still queued:
 * then take_output() announces it once the client has taken that. */
void      ms_imap_view_notify_idle     (MsImapServerSession *self);
guint32   ms_imap_view_uid             (MsImapServerSession *self,
                                        guint                index);
/* Is the message still in the mailbox (not expunged by anyone)? */
gboolean  ms_imap_view_is_live         (MsImapServerSession *self,
                                        guint                index);
/* A run of view indices, both ends included. */
typedef struct
{
  guint first;
  guint last;
} MsImapRange;

/* Resolves a sequence set (or UID set) to ascending, disjoint ranges of
 * 0-based view indices, in time and memory that grow with the set's text,
 * not with the mailbox. FALSE (with a message for BAD) when the set is
 * malformed. */
gboolean  ms_imap_view_resolve_ranges  (MsImapServerSession *self,
                                        const char          *set,
                                        gboolean             uid,
                                        GArray              *ranges,
                                        const char         **error);
/* Is @index in @ranges (as made by ms_imap_view_resolve_ranges())? */
gboolean  ms_imap_ranges_contain       (GArray              *ranges,
                                        guint                index);
/* The same as ascending 0-based view indices. */
gboolean  ms_imap_view_resolve_set     (MsImapServerSession *self,
                                        const char          *set,
                                        gboolean             uid,
                                        GArray              *indices,
                                        const char         **error);
void      ms_imap_format_flags         (GString             *out,
                                        MsMessage           *message,
                                        gboolean             recent);

/* Arguments. */
/* A mailbox name argument in modified UTF-7 to UTF-8; NULL (after a BAD or
 * NO reply) when it is not valid. */
char     *ms_imap_session_mailbox_arg  (MsImapServerSession *self,
                                        MsImapCommand       *cmd,
                                        const MsImapArg     *arg);
/* Parses a list of flags (or one flag); FALSE when one is invalid, and
 * then the command is answered BAD with this text (200 is
 * MS_LIMIT_KEYWORD_LENGTH). */
#define MS_IMAP_INVALID_FLAGS \
  "Invalid flags: \\Recent or an unknown system flag, or a keyword that is not an atom of 1 to 200 characters."
gboolean  ms_imap_parse_flags          (const MsImapArg     *arg,
                                        MsFlags             *flags,
                                        GPtrArray           *keywords);
char     *ms_imap_format_internal_date (gint64               date,
                                        int                  offset_minutes);
gboolean  ms_imap_parse_date_time      (const char          *text,
                                        gint64              *date,
                                        int                 *offset_minutes);
/* An RFC 3501 "date" (1-Feb-1994) as days since the epoch. */
gboolean  ms_imap_parse_date           (const char          *text,
                                        gint64              *days);

gint      ms_imap_compare_uint         (gconstpointer        a,
                                        gconstpointer        b);
/* An atom when it can be, else a quoted string (names in LIST, STATUS). */
void      ms_imap_append_astring       (GString             *out,
                                        const char          *s);
/* The mailbox name as the client sees it (modified UTF-7). */
char     *ms_imap_wire_name            (const char          *utf8);

/* The command handlers, one file each. */
void ms_imap_cmd_capability  (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_noop        (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_logout      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_starttls    (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_login       (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_authenticate (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
/* @refusal, when not NULL, says why the answer line cannot be used (too
 * long, a NUL in it): the command ends BAD with it. */
void ms_imap_cmd_authenticate_answer (MsImapServerSession *self, const char *line, const char *refusal);
void ms_imap_cmd_id          (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_enable      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_namespace   (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_select      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_create      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_delete      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_rename      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_subscribe   (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_list        (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_status      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_append      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_close       (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_expunge     (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_search      (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_fetch       (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_store       (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_copy        (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
void ms_imap_cmd_idle        (MsImapServerSession *self, MsImapCommand *cmd, gboolean uid);
/* @refusal: the line was cut (too long, a NUL); it ends IDLE with BAD @refusal. */
void ms_imap_cmd_idle_line   (MsImapServerSession *self, const char *line, const char *refusal);

G_END_DECLS

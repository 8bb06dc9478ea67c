/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file side of the on-disk state: atomic writes, message bodies and the
 * journal format documented in ms-store-state.h. */
#pragma once

#include "ms-store-state.h"

G_BEGIN_DECLS

#define MS_STATE_DIGEST_LEN 64

typedef struct {
  guint32  uid;
  gint64   date;
  int      tz_offset;
  gsize    size;
  MsFlags  flags;
  char   **keywords;                        /* NULL or NULL-terminated */
  char     digest[MS_STATE_DIGEST_LEN + 1];
} MsStateRecord;

/* An M record: the message @source_uid of mailbox @source_id is gone. */
typedef struct {
  guint      source_id;
  guint32    source_uid;
} MsStateMove;

typedef struct {
  guint32    uidvalidity;
  guint32    uidnext;
  guint64    highest_modseq;
  GPtrArray *records;                       /* MsStateRecord, ascending UID */
  GArray    *moves;                         /* MsStateMove, of every M record */
  guint      n_lines;
} MsStateLog;

/* MS_STORE_ERROR_NO_SPACE, _LIMIT (EFBIG) or _IO for a failed call's errno. */
int         ms_state_errno_code         (int                  errnum);
gboolean    ms_state_mkdir              (const char          *path,
                                         GError             **error);
gboolean    ms_state_fsync_dir          (const char          *path,
                                         GError             **error);
gboolean    ms_state_write_atomic       (const char          *path,
                                         const char          *data,
                                         gsize                len,
                                         GError             **error);
/* With @durable FALSE, skips both fsyncs: for writing many files at once
 * and then making them durable together with ms_state_sync_fs(). */
gboolean    ms_state_write_atomic_full  (const char          *path,
                                         const char          *data,
                                         gsize                len,
                                         gboolean             durable,
                                         GError             **error);
gboolean    ms_state_sync_fs            (const char          *path,
                                         GError             **error);
gboolean    ms_state_is_temp_name       (const char          *name);
/* Opens DIR/lock and takes its write lock: the descriptor to keep open, or
 * -1 with @error set when another process holds it. */
int         ms_state_lock_dir           (const char          *dir,
                                         GError             **error);
void        ms_state_remove_temp_files  (const char          *dir);

char       *ms_state_digest             (GBytes              *raw);
char       *ms_state_body_path          (const char          *root,
                                         const char          *digest);
gboolean    ms_state_write_body         (const char          *root,
                                         GBytes              *raw,
                                         const char          *digest,
                                         gboolean             durable,
                                         GError             **error);
GBytes     *ms_state_read_body          (const char          *root,
                                         const char          *digest,
                                         gsize                size,
                                         GError             **error);

void        ms_state_append_flags       (GString             *line,
                                         MsFlags              flags,
                                         const char * const  *keywords);
MsStateLog *ms_state_log_read           (const char          *path,
                                         GError             **error);
void        ms_state_log_free           (MsStateLog          *log);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsStateLog, ms_state_log_free)

#define MS_STATE_MAGIC           "mailscope-state 1"
#define MS_STATE_MAILBOXES_MAGIC "mailscope-mailboxes 1"

/* One line of accounts/<name>/mailboxes with its journal (and bodies). */
typedef struct {
  guint          id;
  MsMailboxRole  role;
  gboolean       subscribed;
  char          *name;
  MsStateLog    *log;
  GPtrArray     *bodies;    /* GBytes, one per record */
} MsStateMailbox;

void        ms_state_mailbox_free       (gpointer             data);
int         ms_state_compare_saved      (gconstpointer        a,
                                         gconstpointer        b);
/* Reads accounts/<name>/mailboxes and every journal it names; with
 * @read_bodies also every body, so a restore changes nothing before all of
 * it is known good. */
GPtrArray  *ms_state_read_mailboxes     (const char          *root,
                                         const char          *account_dir,
                                         gboolean             read_bodies,
                                         guint               *next_id,
                                         GError             **error);
void        ms_state_collect_garbage    (const char          *root);

/* --- The live side (ms-store-state-follow.c) ---------------------------- */

typedef struct _AccountState AccountState;

typedef struct {
  AccountState *account;
  MsMailbox    *mailbox;     /* strong */
  guint         id;
  int           log_fd;
  guint         log_lines;
  gboolean      on_disk;     /* its journal exists: the mailboxes file may name it */
  gboolean      dirty;       /* a write failed: rewrite bodies and journal whole */
  gboolean      moved_from;  /* dirty, and the source of a move: written first */
  GHashTable   *digests;     /* uid -> sha256 of the body, to rewrite the journal */
} MailboxState;

struct _AccountState {
  MsStoreState *state;
  MsAccount    *account;     /* strong */
  char         *dir;
  guint         next_id;
  GHashTable   *mailboxes;   /* MsMailbox* -> MailboxState* */
  gboolean      dirty;       /* the mailboxes file must be written again */
};

struct _MsStoreState
{
  GObject     parent_instance;

  MsStore    *store;
  char       *dir;
  GPtrArray  *accounts;      /* AccountState */
  guint32     next_uidvalidity;
  gboolean    state_dirty;   /* the state file must be written again */
  GError     *error;         /* the failure not repaired yet */
  int         lock_fd;       /* DIR/lock, locked while this object lives */
};

/* A write failed in a signal handler: tell the store (and so the servers). */
void          ms_state_note_failure          (MsStoreState  *self,
                                              GError        *error);
void          ms_state_note_backlog          (MsStoreState  *self,
                                              GError        *error);
gboolean      ms_state_write_state_file      (MsStoreState  *self,
                                              GError       **error);
gboolean      ms_state_note_uidvalidity      (MsStoreState  *self,
                                              guint32        uidvalidity,
                                              GError       **error);
gboolean      ms_state_write_mailboxes_file  (AccountState  *astate,
                                              GError       **error);
gboolean      ms_state_rewrite_log           (MailboxState  *mstate,
                                              GError       **error);
/* The store's retry (MsStoreRetryFunc): writes again whatever is dirty. */
gboolean      ms_state_repair                (gpointer       data,
                                              GError       **error);
void          ms_state_mailbox_state_free    (gpointer       data);
MailboxState *ms_state_add_mailbox_state     (AccountState  *astate,
                                              MsMailbox     *mailbox,
                                              guint          id);
void          ms_state_connect_mailbox       (MailboxState  *mstate);
gboolean      ms_state_write_new_mailbox     (AccountState  *astate,
                                              MsMailbox     *mailbox,
                                              gboolean       bulk,
                                              GError       **error);
void          ms_state_on_mailbox_created    (MsAccount     *account,
                                              MsMailbox     *mailbox,
                                              AccountState  *astate);
void          ms_state_on_mailbox_deleted    (MsAccount     *account,
                                              MsMailbox     *mailbox,
                                              AccountState  *astate);
void          ms_state_on_mailbox_renamed    (MsAccount     *account,
                                              MsMailbox     *mailbox,
                                              const char    *old_name,
                                              AccountState  *astate);

G_END_DECLS

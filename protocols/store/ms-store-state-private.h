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

typedef struct {
  guint32    uidvalidity;
  guint32    uidnext;
  guint64    highest_modseq;
  GPtrArray *records;                       /* MsStateRecord, ascending UID */
  guint      n_lines;
} MsStateLog;

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

G_END_DECLS

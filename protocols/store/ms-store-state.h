/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Optional on-disk state for `mailscope serve --state DIR`: the mailboxes,
 * messages, flags, keywords, UIDs, UIDVALIDITY and UIDNEXT of every account
 * survive a restart, and a kill -9 at any moment leaves the last state that
 * was acknowledged to a client.
 *
 * How: each mailbox asks the state to write a change, fsync included,
 * before it makes the change (MsMailboxJournal in ms-mailbox-private.h), so
 * no session sees a change that is not on disk. When a write fails (a full
 * disk, an I/O error), the mailbox does not change, the store is told
 * (ms_store_note_persist_error()) and the servers answer that command with
 * an error; a journal that a failed write may have left torn is cut back
 * or written again whole before the next change. A move is one record (M
 * lines in the target's journal) and so all or nothing. Every file
 * is replaced atomically (temporary file, fsync, rename, fsync of the
 * folder) or, for the per-mailbox journal, appended one whole line at a time
 * and fsync'ed; a line without its '\n' is a write that never completed and
 * is ignored. Temporary files ("*.tmp-XXXXXX") are never read and are removed
 * at start. Files are 0600 and folders 0700: this is someone's mail.
 *
 * Passwords are not state: accounts come from the command line (--user). An
 * account's mailboxes are restored when DIR has them, whatever was loaded
 * into that account before; an account DIR does not know is written there; an
 * account in DIR that is not in the store stays on disk, untouched and
 * unserved.
 *
 * Layout of DIR (text files, one record per line, fields separated by one
 * space; a mailbox name is the rest of its line, which is safe because
 * names have no control characters):
 *
 *   lock                        empty; an open process holds a write lock
 *                               (fcntl) on it for as long as it uses DIR, so
 *                               a second `serve --state DIR` is refused
 *                               instead of both rewriting the same journals
 *   state                       "mailscope-state 1" then "next-uidvalidity N":
 *                               the store's UIDVALIDITY counter, so that a
 *                               mailbox deleted and created again after a
 *                               restart still gets a new UIDVALIDITY
 *   messages/xx/<sha256>        a message's bytes as stored (CRLF), named by
 *                               their SHA-256 (xx = its first two digits):
 *                               written once, shared by every copy
 *   accounts/<name>/mailboxes   "mailscope-mailboxes 1", "next-id N", then
 *                               per mailbox "<id> <role> <subscribed 0|1> <name>"
 *   accounts/<name>/<id>.log    the mailbox's journal:
 *        V <uidvalidity>                          first line
 *        C <uidnext> <highestmodseq>              counters after a rewrite
 *        A <uidnext> <hms> <uid> <internal date> <tz minutes> <size> <sha256> <flags> [keyword...]
 *        M <uidnext> <hms> <source id> <source uid> <uid> ... as A
 *        F <uidnext> <hms> <uid> <flags> [keyword...]
 *        X <uidnext> <hms> <uid>
 *   where <flags> are Maildir's letters (D F R S T) or "-" for none. An M
 *   record adds a message moved from the mailbox <source id>, whose message
 *   <source uid> is gone from that moment: the X records in the source's
 *   journal follow, and if a crash comes first, reading the journals removes
 *   the original anyway. A
 *   journal is rewritten as V, C and one A per message at start and when it
 *   has grown to twice the lines it needs.
 *
 * Not kept: \Recent (a restart is a new session for everyone) and each
 * message's own modification sequence (the mailbox's highest is kept, so
 * modification sequences still only grow). */
#pragma once

#include <glib-object.h>
#include "ms-store.h"

G_BEGIN_DECLS

#define MS_TYPE_STORE_STATE (ms_store_state_get_type ())

G_DECLARE_FINAL_TYPE (MsStoreState, ms_store_state, MS, STORE_STATE, GObject)

/* Loads DIR into @store when it holds state, else writes @store's content
 * there (creating DIR), then follows every change. A folder that exists, is
 * not empty and is not a state folder is refused rather than written into. */
MsStoreState *ms_store_state_new       (MsStore       *store,
                                        const char    *dir,
                                        GError       **error);
const char   *ms_store_state_get_dir   (MsStoreState  *self);
/* The write failure not repaired yet, or NULL. Servers learn of it through
 * the store (ms_store_check_persist()), which this object keeps informed. */
const GError *ms_store_state_get_error (MsStoreState  *self);

G_END_DECLS

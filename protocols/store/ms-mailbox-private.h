/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Only an account creates and renames mailboxes. */
#pragma once

#include "ms-mailbox.h"
#include "ms-raw-file-private.h"

G_BEGIN_DECLS

MsMailbox *ms_mailbox_new      (const char *name,
                                guint32     uidvalidity);
void       ms_mailbox_set_name (MsMailbox  *self,
                                const char *name);
/* For the on-disk state before it restores a mailbox: forgets every message
 * and resets UIDNEXT and the modification sequence, without signals, so that
 * saved UIDs can be restored even below what a --mail load handed out. */
void       ms_mailbox_reset    (MsMailbox  *self);
/* Lowers (or restores) the number of messages past which servers refuse to
 * add any (default MS_LIMIT_MAILBOX_MESSAGES_LIVE): for tests. */
/* ms_mailbox_append() for a message whose bytes stay in a file until asked
 * for (the mbox loader). */
MsMessage *ms_mailbox_append_span (MsMailbox          *self,
                                   const MsRawSpan    *span,
                                   MsFlags             flags,
                                   const char * const *keywords,
                                   gint64              internal_date,
                                   int                 tz_offset);
void       ms_mailbox_set_message_limit (MsMailbox *self,
                                         guint      limit);

/* The write-ahead journal of the on-disk state (ms-store-state.h). A
 * mailbox that has one calls it before it changes anything, and changes
 * nothing (and emits nothing) when it answers FALSE: so no session ever
 * sees a change that is not on disk, and memory and disk never disagree.
 * The journal reports its own failures to the store, which is how servers
 * learn that a command must be answered with an error. */
typedef struct {
  /* @messages are about to be added to @self in this order, their UIDs and
   * modification sequences already set. With @source, they are moved from
   * there: @source_uids[i] is the original of @messages[i], and once the
   * copies are added the originals are expunged. */
  gboolean (*add)     (MsMailbox     *self,
                       GPtrArray     *messages,
                       MsMailbox     *source,
                       const guint32 *source_uids,
                       gpointer       data);
  /* @messages already carry their new flags and modification sequences
   * (ascending); on FALSE the mailbox puts the old ones back. All of them
   * go to disk in one write, so that a STORE on a thousand messages is one
   * fsync, not a thousand. */
  gboolean (*flags)   (MsMailbox         *self,
                       MsMessage * const *messages,
                       guint              n_messages,
                       gpointer           data);
  /* @uids exist in @self, distinct and ascending. */
  gboolean (*expunge) (MsMailbox     *self,
                       const guint32 *uids,
                       guint          n_uids,
                       gpointer       data);
} MsMailboxJournal;

/* @journal NULL removes it. */
void       ms_mailbox_set_journal       (MsMailbox              *self,
                                         const MsMailboxJournal *journal,
                                         gpointer                data);

G_END_DECLS

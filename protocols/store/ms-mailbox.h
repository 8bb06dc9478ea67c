/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mailbox (an IMAP folder; for POP3 only INBOX exists): messages in UID
 * order, so that message sequence number n is index n-1. UIDs strictly
 * ascend and are never reused within one UIDVALIDITY (RFC 3501 section
 * 2.3.1.1). Every change bumps the modification sequence and is signalled so
 * that live sessions and views can follow it. */
#pragma once

#include <glib-object.h>
#include "ms-message.h"

G_BEGIN_DECLS

typedef enum {
  MS_MAILBOX_ROLE_NONE,
  MS_MAILBOX_ROLE_INBOX,
  MS_MAILBOX_ROLE_SENT,
  MS_MAILBOX_ROLE_DRAFTS,
  MS_MAILBOX_ROLE_TRASH,
  MS_MAILBOX_ROLE_JUNK,
  MS_MAILBOX_ROLE_ARCHIVE,
} MsMailboxRole;

typedef enum {
  MS_FLAGS_REPLACE,
  MS_FLAGS_ADD,
  MS_FLAGS_REMOVE,
} MsFlagsMode;

#define MS_MAILBOX_DELIMITER '/'

#define MS_TYPE_MAILBOX (ms_mailbox_get_type ())

G_DECLARE_FINAL_TYPE (MsMailbox, ms_mailbox, MS, MAILBOX, GObject)

const char    *ms_mailbox_get_name          (MsMailbox          *self);
MsMailboxRole  ms_mailbox_get_role          (MsMailbox          *self);
void           ms_mailbox_set_role          (MsMailbox          *self,
                                             MsMailboxRole       role);
guint32        ms_mailbox_get_uidvalidity   (MsMailbox          *self);
guint32        ms_mailbox_get_uidnext       (MsMailbox          *self);
guint64        ms_mailbox_get_highest_modseq (MsMailbox         *self);
gboolean       ms_mailbox_get_subscribed    (MsMailbox          *self);
void           ms_mailbox_set_subscribed    (MsMailbox          *self,
                                             gboolean            subscribed);

guint          ms_mailbox_get_n_messages    (MsMailbox          *self);
/* TRUE when @n more messages would take the mailbox past its limit
 * (MS_LIMIT_MAILBOX_MESSAGES_LIVE): servers then refuse to add them. */
gboolean       ms_mailbox_would_overflow    (MsMailbox          *self,
                                             guint               n);
/* index is 0-based: sequence number minus one. */
MsMessage     *ms_mailbox_get_message       (MsMailbox          *self,
                                             guint               index);
MsMessage     *ms_mailbox_lookup_uid        (MsMailbox          *self,
                                             guint32             uid,
                                             guint              *index);
guint          ms_mailbox_count_flag        (MsMailbox          *self,
                                             MsFlags             flag,
                                             gboolean            set);
guint          ms_mailbox_count_recent      (MsMailbox          *self);
guint64        ms_mailbox_get_total_size    (MsMailbox          *self);

/* Adds a message with the next UID; raw must use CRLF line ends (see
 * ms_store_normalize_crlf()). Returns the new message (owned by the mailbox),
 * or NULL when `serve --state` could not write it (nothing was added then). */
MsMessage     *ms_mailbox_append            (MsMailbox          *self,
                                             GBytes             *raw,
                                             MsFlags             flags,
                                             const char * const *keywords,
                                             gint64              internal_date,
                                             int                 tz_offset);
/* Adds the same message (no flags) to each of @mailboxes, which are
 * distinct: all of them or none. Under `serve --state` every copy is on
 * disk before any mailbox shows one, so no session ever sees a copy that
 * is then taken back; FALSE when a write failed (no mailbox changed). */
gboolean       ms_mailbox_append_to_all     (MsMailbox * const  *mailboxes,
                                             guint               n_mailboxes,
                                             GBytes             *raw,
                                             gint64              internal_date,
                                             int                 tz_offset);
/* Copies the messages of @source with these UIDs (those that still exist,
 * each once, in this order) to the end of @self and, with @move, then
 * expunges them from @source (RFC 6851 MOVE; @source may be @self). All of
 * it or nothing: under `serve --state` the copies and the removal of the
 * originals are one journal record, so a crash at any moment leaves either
 * the originals or the copies, never both. FALSE when that record could
 * not be written (the store's persist failure says why); TRUE otherwise,
 * with the UIDs of originals and copies appended to @source_uids and
 * @new_uids in pairs (either may be NULL). */
gboolean       ms_mailbox_transfer          (MsMailbox          *self,
                                             MsMailbox          *source,
                                             const guint32      *uids,
                                             guint               n_uids,
                                             gboolean            move,
                                             GArray             *source_uids,
                                             GArray             *new_uids);
/* Changes flags; TRUE when something changed (then "flags-changed" was
 * emitted). FALSE also when `serve --state` could not write the change:
 * the flags stay as they were. */
gboolean       ms_mailbox_store_flags       (MsMailbox          *self,
                                             MsMessage          *message,
                                             MsFlagsMode         mode,
                                             MsFlags             flags,
                                             const char * const *keywords);
/* The same for many messages of this mailbox, as one change: with
 * `serve --state` one journal write (one fsync) for all of them, and when
 * that write fails none of them changes. Returns how many changed (each
 * with its "flags-changed"), or -1 when the change could not be saved. */
int            ms_mailbox_store_flags_many  (MsMailbox          *self,
                                             MsMessage * const  *messages,
                                             guint               n_messages,
                                             MsFlagsMode         mode,
                                             MsFlags             flags,
                                             const char * const *keywords);
/* Whether every one of @messages (none for a new message) would still carry
 * at most MS_LIMIT_MESSAGE_KEYWORDS keywords after the change. */
gboolean       ms_mailbox_keywords_fit      (MsMessage * const  *messages,
                                             guint               n_messages,
                                             MsFlagsMode         mode,
                                             const char * const *keywords);
/* For a client's own copy only: gives the message @uid new content and keeps
 * its UID, place, flags and dates, as when the text of a message whose
 * headers alone were fetched arrives. A server never does this (a message
 * does not change once delivered, RFC 3501 section 2.3.1.1), and the on-disk
 * state (ms-store-state.h) does not record it. Emits "message-replaced";
 * returns the new message, or NULL when no message has that UID. */
MsMessage     *ms_mailbox_replace_raw       (MsMailbox          *self,
                                             guint32             uid,
                                             GBytes             *raw);
/* Removes the messages with these UIDs (those that exist), emitting
 * "message-expunged" for each in ascending UID order with the sequence number
 * it had just before its own removal. Returns how many were removed: 0 when
 * `serve --state` could not write the removal (then none is removed). */
guint          ms_mailbox_expunge_uids      (MsMailbox          *self,
                                             const guint32      *uids,
                                             guint               n_uids);
/* Removes every message flagged \Deleted; same signals as above. */
guint          ms_mailbox_expunge_deleted   (MsMailbox          *self);
/* Hands \Recent to the caller (the first session to see the mailbox, RFC 3501
 * section 2.3.2): returns the number of recent messages and clears them. */
guint          ms_mailbox_claim_recent      (MsMailbox          *self,
                                             GArray             *uids_out);

/* For loaders that restore saved state: adds a message with a given UID,
 * which must be at least UIDNEXT, and raises UIDNEXT past it. */
MsMessage     *ms_mailbox_restore_message   (MsMailbox          *self,
                                             guint32             uid,
                                             GBytes             *raw,
                                             MsFlags             flags,
                                             const char * const *keywords,
                                             gint64              internal_date,
                                             int                 tz_offset);
void           ms_mailbox_restore_counters  (MsMailbox          *self,
                                             guint32             uidvalidity,
                                             guint32             uidnext,
                                             guint64             highest_modseq);

const char    *ms_mailbox_role_to_string    (MsMailboxRole       role);
MsMailboxRole  ms_mailbox_role_from_string  (const char         *name);
/* The IMAP SPECIAL-USE attribute ("\\Sent"), or NULL. */
const char    *ms_mailbox_role_to_attribute (MsMailboxRole       role);

G_END_DECLS

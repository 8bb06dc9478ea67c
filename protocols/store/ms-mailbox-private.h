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

G_END_DECLS

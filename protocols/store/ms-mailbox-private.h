/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Only an account creates and renames mailboxes. */
#pragma once

#include "ms-mailbox.h"

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
void       ms_mailbox_set_message_limit (MsMailbox *self,
                                         guint      limit);

G_END_DECLS

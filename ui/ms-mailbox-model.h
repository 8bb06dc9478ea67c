/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GListModel of MsMessageItem over one MsMailbox that follows the
 * mailbox's signals. Items are made when asked for and dropped when the
 * message changes, so a list view rebinds exactly the rows that changed.
 * With a reference mailbox set (the server's copy of the same folder), items
 * say whether their message exists only here (matched by Message-ID). */
#pragma once

#include <gio/gio.h>
#include "ms-mailbox.h"
#include "ms-message-item.h"

G_BEGIN_DECLS

#define MS_TYPE_MAILBOX_MODEL (ms_mailbox_model_get_type ())

G_DECLARE_FINAL_TYPE (MsMailboxModel, ms_mailbox_model, MS, MAILBOX_MODEL, GObject)

MsMailboxModel *ms_mailbox_model_new           (MsMailbox      *mailbox);
MsMailbox      *ms_mailbox_model_get_mailbox   (MsMailboxModel *self);
void            ms_mailbox_model_set_mailbox   (MsMailboxModel *self,
                                                MsMailbox      *mailbox);
MsMailbox      *ms_mailbox_model_get_reference (MsMailboxModel *self);
void            ms_mailbox_model_set_reference (MsMailboxModel *self,
                                                MsMailbox      *reference);
/* How many items exist right now (for tests: laziness is a promise). */
guint           ms_mailbox_model_get_n_created (MsMailboxModel *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One account's mail as a list: the folder picker, the storage used, and
 * the messages of the chosen folder (unread bold, flagged starred, deleted
 * but not yet expunged struck through, "only here" when the reference
 * account — the server — no longer has it). Used for the server and for
 * each device's local copy. */
#pragma once

#include <gtk/gtk.h>
#include "ms-account.h"

G_BEGIN_DECLS

#define MS_TYPE_MAILBOX_VIEW (ms_mailbox_view_get_type ())

G_DECLARE_FINAL_TYPE (MsMailboxView, ms_mailbox_view, MS, MAILBOX_VIEW, GtkWidget)

GtkWidget  *ms_mailbox_view_new                   (void);
MsAccount  *ms_mailbox_view_get_account           (MsMailboxView *self);
void        ms_mailbox_view_set_account           (MsMailboxView *self,
                                                   MsAccount     *account);
void        ms_mailbox_view_set_reference_account (MsMailboxView *self,
                                                   MsAccount     *reference);
const char *ms_mailbox_view_get_folder            (MsMailboxView *self);
void        ms_mailbox_view_set_folder            (MsMailboxView *self,
                                                   const char    *name);
/* The message the user picked in the list, or NULL. */
MsMessage  *ms_mailbox_view_get_selected          (MsMailboxView *self);
GListModel *ms_mailbox_view_get_model             (MsMailboxView *self);
/* Hides the folder drop-down (a tight panel in compare mode, where a row of
 * messages is worth more). */
void        ms_mailbox_view_set_folders_shown     (MsMailboxView *self,
                                                   gboolean       shown);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One user's mail: a name, a password and a tree of mailboxes whose names
 * use '/' as the hierarchy delimiter. INBOX always exists and is matched
 * case-insensitively (RFC 3501 section 5.1). The account also holds the POP3
 * maildrop lock (RFC 1939 section 8: one session in TRANSACTION at a time). */
#pragma once

#include <glib-object.h>
#include "ms-mailbox.h"

G_BEGIN_DECLS

#define MS_TYPE_ACCOUNT (ms_account_get_type ())

G_DECLARE_FINAL_TYPE (MsAccount, ms_account, MS, ACCOUNT, GObject)

const char *ms_account_get_name           (MsAccount   *self);
MsStore    *ms_account_get_store          (MsAccount   *self);
/* Compares in constant time for equal lengths, so timing does not leak the password. */
gboolean    ms_account_check_password     (MsAccount   *self,
                                           const char  *password);
const char *ms_account_get_password       (MsAccount   *self);

MsMailbox  *ms_account_get_inbox          (MsAccount   *self);
MsMailbox  *ms_account_lookup_mailbox     (MsAccount   *self,
                                           const char  *name);
MsMailbox  *ms_account_lookup_role        (MsAccount   *self,
                                           MsMailboxRole role);
/* Mailboxes sorted by name, INBOX first. */
GPtrArray  *ms_account_list_mailboxes     (MsAccount   *self);
gboolean    ms_account_has_children       (MsAccount   *self,
                                           const char  *name);
guint64     ms_account_get_total_size     (MsAccount   *self);

/* Validates the name (no empty levels, no "." or ".." levels, no control
 * characters, at most 255 octets, at most 16 levels deep). */
gboolean    ms_account_name_is_valid      (const char  *name,
                                           GError     **error);
MsMailbox  *ms_account_create_mailbox     (MsAccount   *self,
                                           const char  *name,
                                           GError     **error);
gboolean    ms_account_delete_mailbox     (MsAccount   *self,
                                           const char  *name,
                                           GError     **error);
/* Renames the mailbox and its children. Renaming INBOX moves its messages to
 * a new mailbox and leaves INBOX empty (RFC 3501 section 6.3.5). */
gboolean    ms_account_rename_mailbox     (MsAccount   *self,
                                           const char  *old_name,
                                           const char  *new_name,
                                           GError     **error);

gboolean    ms_account_lock_maildrop      (MsAccount   *self,
                                           gpointer     owner);
void        ms_account_unlock_maildrop    (MsAccount   *self,
                                           gpointer     owner);
gboolean    ms_account_is_maildrop_locked (MsAccount   *self);

/* Counts the sessions logged in to the account (POP3 and IMAP): FALSE, and
 * nothing counted, when the account's maximum (MS_LIMIT_ACCOUNT_SESSIONS
 * unless set) are already. Every successful open is matched by one close. */
gboolean    ms_account_open_session       (MsAccount   *self);
void        ms_account_close_session      (MsAccount   *self);
guint       ms_account_get_n_sessions     (MsAccount   *self);
/* serve --max-sessions: a load test or benchmark may need more. */
void        ms_account_set_max_sessions   (MsAccount   *self,
                                           guint        max_sessions);

G_END_DECLS

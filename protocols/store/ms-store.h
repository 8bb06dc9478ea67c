/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mail store: accounts and their mailboxes. The same type serves the
 * in-process server and each simulated device's local copy. */
#pragma once

#include <glib-object.h>
#include "ms-account.h"
#include "ms-mailbox.h"
#include "ms-message.h"

G_BEGIN_DECLS

#define MS_STORE_ERROR (ms_store_error_quark ())

typedef enum {
  MS_STORE_ERROR_EXISTS,
  MS_STORE_ERROR_NOT_FOUND,
  MS_STORE_ERROR_INVALID_NAME,
  MS_STORE_ERROR_NOT_ALLOWED,
  MS_STORE_ERROR_LIMIT,
  MS_STORE_ERROR_BAD_FILE,
  MS_STORE_ERROR_IO,
  MS_STORE_ERROR_NO_SPACE,    /* the disk or the user's disk quota is full */
} MsStoreError;

#define MS_TYPE_STORE (ms_store_get_type ())

G_DECLARE_FINAL_TYPE (MsStore, ms_store, MS, STORE, GObject)

GQuark      ms_store_error_quark          (void);
MsStore    *ms_store_new                  (void);
/* UIDVALIDITY values are handed out from a counter starting here; the default
 * 1 keeps simulations deterministic, `serve` seeds it from the clock. */
void        ms_store_set_uidvalidity_base (MsStore     *self,
                                           guint32      base);
guint32     ms_store_next_uidvalidity     (MsStore     *self);

MsAccount  *ms_store_add_account          (MsStore     *self,
                                           const char  *name,
                                           const char  *password,
                                           GError     **error);
MsAccount  *ms_store_lookup_account       (MsStore     *self,
                                           const char  *name);
GPtrArray  *ms_store_list_accounts        (MsStore     *self);

/* Durability. Something that keeps the store on disk (MsStoreState for
 * `serve --state`) writes each change before the mailbox makes it (a
 * write-ahead journal, see ms-mailbox-private.h); when the write fails the
 * change is not made, and the writer reports the failure here. Servers
 * look: before a command that changes the store they call
 * ms_store_check_persist() and refuse the command while writes fail; after
 * it they compare ms_store_get_persist_failures() with the count from before
 * and answer with an error rather than OK when it grew. So nothing is
 * acknowledged, or even seen by another session, that is not on disk. */
typedef gboolean (*MsStoreRetryFunc) (gpointer   user_data,
                                      GError   **error);

/* The writer's way to try again (rewrite what failed); NULL removes it. */
void          ms_store_set_persist_retry    (MsStore          *self,
                                             MsStoreRetryFunc  retry,
                                             gpointer          user_data);
/* A write failed (@error) or everything is written again (NULL). Each
 * failure counts; "persist-changed" is emitted when the store goes from
 * written to failing or back. */
void          ms_store_note_persist_error   (MsStore          *self,
                                             const GError     *error);
/* A write failed that a change already on disk by other means needs
 * later (the rest of a move): the writer must be retried before the next
 * change, as after a failure, but the change itself stands, so the count
 * of failures stays. */
void          ms_store_note_persist_backlog (MsStore          *self,
                                             const GError     *error);
guint         ms_store_get_persist_failures (MsStore          *self);
/* The failure not repaired yet, or NULL. */
const GError *ms_store_get_persist_error    (MsStore          *self);
/* The latest failure even if repaired since (a command whose change was
 * lost and then taken back reports this one), or NULL if none ever was. */
const GError *ms_store_get_last_persist_failure (MsStore      *self);
/* TRUE when changes are being written. When they were failing, tries the
 * writer's retry first; FALSE (with the reason) when that fails too. */
gboolean      ms_store_check_persist        (MsStore          *self,
                                             GError          **error);
/* Plain words for a client: "the server's disk is full", never a path. */
const char   *ms_store_describe_persist_error (const GError   *error);

/* Converts bare LF (and lone CR) line ends to CRLF; returns the same bytes
 * referenced again when they already are. */
GBytes     *ms_store_normalize_crlf       (GBytes      *raw);

G_END_DECLS

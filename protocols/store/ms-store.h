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

/* Converts bare LF (and lone CR) line ends to CRLF; returns the same bytes
 * referenced again when they already are. */
GBytes     *ms_store_normalize_crlf       (GBytes      *raw);

G_END_DECLS

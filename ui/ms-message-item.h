/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One row of a mailbox view: the few things a list shows about a message.
 * Created lazily by MsMailboxModel when a row is about to be shown, so a
 * mailbox of 100,000 messages costs 100,000 pointers, not 100,000 parses. */
#pragma once

#include <glib-object.h>
#include "ms-message.h"

G_BEGIN_DECLS

#define MS_TYPE_MESSAGE_ITEM (ms_message_item_get_type ())

G_DECLARE_FINAL_TYPE (MsMessageItem, ms_message_item, MS, MESSAGE_ITEM, GObject)

MsMessageItem *ms_message_item_new           (MsMessage     *message,
                                              gboolean       local_only);
MsMessage     *ms_message_item_get_message   (MsMessageItem *self);
guint32        ms_message_item_get_uid       (MsMessageItem *self);
const char    *ms_message_item_get_subject   (MsMessageItem *self);
const char    *ms_message_item_get_from      (MsMessageItem *self);
gint64         ms_message_item_get_date      (MsMessageItem *self);
gsize          ms_message_item_get_size      (MsMessageItem *self);
MsFlags        ms_message_item_get_flags     (MsMessageItem *self);
gboolean       ms_message_item_get_local_only (MsMessageItem *self);

/* The unfolded, RFC 2047-decoded value of the first header @name in @raw's
 * header section, or NULL. Exposed for the model's "only here" index. */
char          *ms_message_item_read_header   (GBytes        *raw,
                                              const char    *name);

G_END_DECLS

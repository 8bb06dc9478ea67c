/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every explicit limit of libmailscope in one place, so that a reader sees at
 * a glance what the servers and loaders refuse and why. Each module adds its
 * own section; a value here is a promise the tests check. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* --- The mail store and its loaders ------------------------------------ */

/* The largest message a loader or the on-disk state accepts (64 MiB). A
 * teaching server never needs more, and the bound keeps a corrupt or
 * hostile file from making us allocate without end. */
#define MS_LIMIT_MESSAGE_SIZE        (64u * 1024u * 1024u)

/* The most messages one mailbox may hold when loaded from a file or from the
 * on-disk state. A million keeps a 100k-message benchmark comfortably inside. */
#define MS_LIMIT_MAILBOX_MESSAGES    1000000u

/* The longest line the on-disk state's index files may hold: an index line
 * carries a UID, flags, a date and keywords, never message text. */
#define MS_LIMIT_STATE_LINE          (64u * 1024u)

/* The most keywords one message may carry in the on-disk state. */
#define MS_LIMIT_MESSAGE_KEYWORDS    256u

G_END_DECLS

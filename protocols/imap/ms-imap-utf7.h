/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mailbox names travel in modified UTF-7 (RFC 3501 section 5.1.3) and live
 * in the store as UTF-8. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *ms_imap_utf8_to_mutf7 (const char *utf8);
/* NULL when the input is not valid, canonical modified UTF-7. */
char *ms_imap_mutf7_to_utf8 (const char *mutf7);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Only an account creates and renames mailboxes. */
#pragma once

#include "ms-mailbox.h"

G_BEGIN_DECLS

MsMailbox *ms_mailbox_new      (const char *name,
                                guint32     uidvalidity);
void       ms_mailbox_set_name (MsMailbox  *self,
                                const char *name);

G_END_DECLS

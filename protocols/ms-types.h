/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forward declarations of libmailscope's types, so headers need not include each other. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MsStore            MsStore;
typedef struct _MsAccount          MsAccount;
typedef struct _MsMailbox          MsMailbox;
typedef struct _MsMessage          MsMessage;
typedef struct _MsProtocolEvent    MsProtocolEvent;
typedef struct _MsServerSession    MsServerSession;
typedef struct _MsClientSession    MsClientSession;

G_END_DECLS

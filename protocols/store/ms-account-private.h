/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ms-account.h"

G_BEGIN_DECLS

MsAccount *ms_account_new (MsStore    *store,
                           const char *name,
                           const char *password);

G_END_DECLS

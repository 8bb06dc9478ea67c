/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tls module shares inside itself. */
#pragma once

#include <glib.h>
#include <openssl/ssl.h>

#include "ms-tls-context.h"

G_BEGIN_DECLS

SSL_CTX *ms_tls_context_get_ssl_ctx     (MsTlsContext *self);
void     ms_tls_set_openssl_error       (GError      **error,
                                         int           code,
                                         const char   *what);
/* The filter that owns an SSL, for OpenSSL's callbacks (key log). */
int      ms_tls_filter_ex_index         (void);
void     ms_tls_filter_append_keylog    (gpointer      filter,
                                         const char   *line);

G_END_DECLS

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

/* ms-tls-sim-random.c: the simulation's fixed-seed OpenSSL library
 * context, shared (reference counted) by the contexts made in it. */
typedef struct _MsTlsSimRandom MsTlsSimRandom;

MsTlsSimRandom *ms_tls_sim_random_new        (const char     *seed,
                                              GError        **error);
MsTlsSimRandom *ms_tls_sim_random_ref        (MsTlsSimRandom *self);
void            ms_tls_sim_random_unref      (MsTlsSimRandom *self);
OSSL_LIB_CTX   *ms_tls_sim_random_get_libctx (MsTlsSimRandom *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsTlsSimRandom, ms_tls_sim_random_unref)

G_END_DECLS

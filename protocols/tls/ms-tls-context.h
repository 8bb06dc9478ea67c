/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MsTlsContext: the settings every TLS connection of one role shares (an
 * OpenSSL SSL_CTX): the server's certificate and key, or the client's trust
 * anchors; the protocol versions; the key-log hook. Filters are made from a
 * context (ms-tls-filter.h). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MS_TLS_ERROR (ms_tls_error_quark ())

typedef enum {
  MS_TLS_ERROR_CERTIFICATE,   /* a certificate or key could not be made, read or matched */
  MS_TLS_ERROR_HANDSHAKE,     /* the handshake failed (version refused, bad certificate…) */
  MS_TLS_ERROR_PROTOCOL,      /* a broken or unexpected record after the handshake */
  MS_TLS_ERROR_RECORD,        /* the record observer saw bytes that are not TLS records */
  MS_TLS_ERROR_SETTINGS,      /* a setting the context refuses (TLS 1.1 on a server) */
} MsTlsError;

GQuark ms_tls_error_quark (void);

typedef enum {
  MS_TLS_VERSION_1_1 = 0x0302,
  MS_TLS_VERSION_1_2 = 0x0303,
  MS_TLS_VERSION_1_3 = 0x0304,
} MsTlsVersion;

#define MS_TYPE_TLS_CONTEXT (ms_tls_context_get_type ())

G_DECLARE_FINAL_TYPE (MsTlsContext, ms_tls_context, MS, TLS_CONTEXT, GObject)

MsTlsContext *ms_tls_context_new_server        (const char    *cert_path,
                                                const char    *key_path,
                                                GError       **error);
MsTlsContext *ms_tls_context_new_server_pem    (const char    *cert_pem,
                                                const char    *key_pem,
                                                GError       **error);
MsTlsContext *ms_tls_context_new_server_fixed  (GError       **error);
MsTlsContext *ms_tls_context_new_client        (GError       **error);
gboolean      ms_tls_context_new_simulation    (MsTlsContext **server,
                                                MsTlsContext **client,
                                                GError       **error);
gboolean      ms_tls_context_trust_pem         (MsTlsContext  *self,
                                                const char    *cert_pem,
                                                GError       **error);
gboolean      ms_tls_context_trust_file        (MsTlsContext  *self,
                                                const char    *cert_path,
                                                GError       **error);
gboolean      ms_tls_context_set_max_version   (MsTlsContext  *self,
                                                MsTlsVersion   version,
                                                GError       **error);
gboolean      ms_tls_context_is_server         (MsTlsContext  *self);
gboolean      ms_tls_context_get_verifies_peer (MsTlsContext  *self);

G_END_DECLS

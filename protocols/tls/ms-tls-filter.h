/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MsTlsFilter: one TLS connection without a socket. The driver feeds the
 * ciphertext that arrived and takes the ciphertext to send; the session side
 * writes plaintext in and takes decrypted plaintext out. OpenSSL works on two
 * memory BIOs, so the same filter runs over a real TCP connection, a
 * simulated link, or a test that shuttles bytes between two filters.
 *
 * Plaintext written before the handshake completes is held and sent as soon
 * as it does. Errors are sticky: once get_error() is set the filter takes no
 * more input, though ciphertext already produced (an alert) can still be
 * taken and sent. */
#pragma once

#include <glib-object.h>
#include "ms-tls-context.h"

G_BEGIN_DECLS

#define MS_TYPE_TLS_FILTER (ms_tls_filter_get_type ())

G_DECLARE_FINAL_TYPE (MsTlsFilter, ms_tls_filter, MS, TLS_FILTER, GObject)

MsTlsFilter  *ms_tls_filter_new_server         (MsTlsContext  *context);
MsTlsFilter  *ms_tls_filter_new_client         (MsTlsContext  *context,
                                                const char    *server_name);
gboolean      ms_tls_filter_feed_ciphertext    (MsTlsFilter   *self,
                                                const guint8  *data,
                                                gsize          len);
gsize         ms_tls_filter_take_ciphertext    (MsTlsFilter   *self,
                                                GByteArray    *dest);
gboolean      ms_tls_filter_write_plaintext    (MsTlsFilter   *self,
                                                const guint8  *data,
                                                gsize          len);
gsize         ms_tls_filter_take_plaintext     (MsTlsFilter   *self,
                                                GByteArray    *dest);
gboolean      ms_tls_filter_is_server          (MsTlsFilter   *self);
gboolean      ms_tls_filter_is_handshake_done  (MsTlsFilter   *self);
gboolean      ms_tls_filter_is_closed          (MsTlsFilter   *self);
const GError *ms_tls_filter_get_error          (MsTlsFilter   *self);
void          ms_tls_filter_close_notify       (MsTlsFilter   *self);
const char   *ms_tls_filter_get_keylog         (MsTlsFilter   *self);
const char   *ms_tls_filter_get_version_name   (MsTlsFilter   *self);
const char   *ms_tls_filter_get_cipher_name    (MsTlsFilter   *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's identity: a self-signed certificate made with OpenSSL on first
 * use and kept in the user data folder, and a fixed demonstration identity
 * for the simulation, whose sizes never change from run to run. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *ms_tls_certificate_default_dir  (void);
gboolean  ms_tls_certificate_ensure       (const char  *dir,
                                           char       **cert_path,
                                           char       **key_path,
                                           GError     **error);
gboolean  ms_tls_certificate_generate_pem (char       **cert_pem,
                                           char       **key_pem,
                                           GError     **error);
void      ms_tls_certificate_fixed_pem    (const char **cert_pem,
                                           const char **key_pem);

G_END_DECLS

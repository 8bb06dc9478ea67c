/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ms-tls-certificate.h"
#include "ms-tls-context.h"
#include "ms-tls-private.h"

struct _MsTlsContext
{
  GObject   parent_instance;
  SSL_CTX  *ssl_ctx;
  MsTlsSimRandom *sim_random;   /* the simulation's library context, or NULL */
  gboolean  is_server;
  gboolean  verifies_peer;
};

G_DEFINE_TYPE (MsTlsContext, ms_tls_context, G_TYPE_OBJECT)

G_DEFINE_QUARK (ms-tls-error-quark, ms_tls_error)

/* Turns OpenSSL's thread-local error queue into one GError line, and empties
 * the queue so the next operation starts clean. */
void
ms_tls_set_openssl_error (GError    **error,
                          int         code,
                          const char *what)
{
  unsigned long err = ERR_peek_last_error ();
  char buf[256];

  if (err != 0)
    {
      const char *reason = ERR_reason_error_string (err);

      if (reason == NULL)
        {
          ERR_error_string_n (err, buf, sizeof buf);
          reason = buf;
        }
      g_set_error (error, MS_TLS_ERROR, code, "%s: %s", what, reason);
    }
  else
    g_set_error (error, MS_TLS_ERROR, code, "%s", what);
  ERR_clear_error ();
}

static void
keylog_cb (const SSL  *ssl,
           const char *line)
{
  gpointer filter = SSL_get_ex_data (ssl, ms_tls_filter_ex_index ());

  if (filter != NULL)
    ms_tls_filter_append_keylog (filter, line);
}

static void
ms_tls_context_finalize (GObject *object)
{
  MsTlsContext *self = MS_TLS_CONTEXT (object);

  /* The SSL_CTX lives in the library context: it goes first. */
  g_clear_pointer (&self->ssl_ctx, SSL_CTX_free);
  g_clear_pointer (&self->sim_random, ms_tls_sim_random_unref);
  G_OBJECT_CLASS (ms_tls_context_parent_class)->finalize (object);
}

static void
ms_tls_context_class_init (MsTlsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_tls_context_finalize;
}

static void
ms_tls_context_init (MsTlsContext *self)
{
}

/* @sim_random is NULL for every real connection (OpenSSL's own DRBG). */
static MsTlsContext *
context_new (gboolean         is_server,
             MsTlsSimRandom  *sim_random,
             GError         **error)
{
  g_autoptr(MsTlsContext) self = g_object_new (MS_TYPE_TLS_CONTEXT, NULL);
  OSSL_LIB_CTX *libctx = sim_random != NULL ? ms_tls_sim_random_get_libctx (sim_random) : NULL;
  SSL_CTX *ctx;

  ERR_clear_error ();
  if (sim_random != NULL)
    self->sim_random = ms_tls_sim_random_ref (sim_random);
  ctx = SSL_CTX_new_ex (libctx, NULL, is_server ? TLS_server_method () : TLS_client_method ());
  if (ctx == NULL)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_SETTINGS, "Could not start OpenSSL");
      return NULL;
    }
  self->ssl_ctx = ctx;
  self->is_server = is_server;

  /* RFC 8996 deprecates TLS 1.0 and 1.1; RFC 8314 asks for 1.2 or later. */
  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version (ctx, TLS1_3_VERSION);
  SSL_CTX_set_keylog_callback (ctx, keylog_cb);

  /* No renegotiation (a TLS 1.2 feature with a history of attacks), and no
   * resumption: each connection is a full handshake, so the simulation shows
   * the same records every time and no session tickets appear as extra
   * records after the handshake. */
  SSL_CTX_set_options (ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_session_cache_mode (ctx, SSL_SESS_CACHE_OFF);
  if (is_server)
    SSL_CTX_set_num_tickets (ctx, 0);
  /* Partial writes let a filter hand over whatever fitted; the memory BIO
   * never refuses, but the flags keep SSL_write's contract simple. */
  SSL_CTX_set_mode (ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return g_steal_pointer (&self);
}

static gboolean
check_key (MsTlsContext *self,
           GError      **error)
{
  if (SSL_CTX_check_private_key (self->ssl_ctx) != 1)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE,
                                "The key does not belong to the certificate");
      return FALSE;
    }
  return TRUE;
}

/**
 * ms_tls_context_new_server:
 *
 * A server context presenting the certificate chain in @cert_path (PEM, the
 * leaf first) with the private key in @key_path.
 */
MsTlsContext *
ms_tls_context_new_server (const char  *cert_path,
                           const char  *key_path,
                           GError     **error)
{
  g_autoptr(MsTlsContext) self = NULL;

  g_return_val_if_fail (cert_path != NULL, NULL);
  g_return_val_if_fail (key_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((self = context_new (TRUE, NULL, error)) == NULL)
    return NULL;
  if (SSL_CTX_use_certificate_chain_file (self->ssl_ctx, cert_path) != 1)
    {
      g_autofree char *what = g_strdup_printf ("Could not read the certificate %s", cert_path);

      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, what);
      return NULL;
    }
  if (SSL_CTX_use_PrivateKey_file (self->ssl_ctx, key_path, SSL_FILETYPE_PEM) != 1)
    {
      g_autofree char *what = g_strdup_printf ("Could not read the key %s", key_path);

      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, what);
      return NULL;
    }
  if (!check_key (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static X509 *
x509_from_pem (const char *pem)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *cert = bio ? PEM_read_bio_X509 (bio, NULL, NULL, NULL) : NULL;

  BIO_free (bio);
  return cert;
}

static MsTlsContext *
server_from_pem (const char      *cert_pem,
                 const char      *key_pem,
                 MsTlsSimRandom  *sim_random,
                 GError         **error)
{
  g_autoptr(MsTlsContext) self = NULL;
  X509 *cert;
  EVP_PKEY *pkey = NULL;
  BIO *bio;
  gboolean ok;

  if ((self = context_new (TRUE, sim_random, error)) == NULL)
    return NULL;
  cert = x509_from_pem (cert_pem);
  /* The key in the context's library context, so that what it signs
   * (RSA-PSS salts) draws from the same generator as the rest. */
  if ((bio = BIO_new_mem_buf (key_pem, -1)) != NULL)
    pkey = PEM_read_bio_PrivateKey_ex (bio, NULL, NULL, NULL,
                                       sim_random != NULL ? ms_tls_sim_random_get_libctx (sim_random) : NULL,
                                       NULL);
  BIO_free (bio);
  ok = cert != NULL && pkey != NULL &&
       SSL_CTX_use_certificate (self->ssl_ctx, cert) == 1 &&
       SSL_CTX_use_PrivateKey (self->ssl_ctx, pkey) == 1;
  X509_free (cert);
  EVP_PKEY_free (pkey);
  if (!ok)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, "Could not read the certificate or key");
      return NULL;
    }
  if (!check_key (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * ms_tls_context_new_server_pem:
 *
 * Like ms_tls_context_new_server(), from PEM text in memory.
 */
MsTlsContext *
ms_tls_context_new_server_pem (const char  *cert_pem,
                               const char  *key_pem,
                               GError     **error)
{
  g_return_val_if_fail (cert_pem != NULL, NULL);
  g_return_val_if_fail (key_pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return server_from_pem (cert_pem, key_pem, NULL, error);
}

/**
 * ms_tls_context_new_server_fixed:
 *
 * A server context with the fixed demonstration identity (see
 * ms-tls-fixed-identity.c): for the simulation only, where the same
 * certificate in every run keeps record sizes identical.
 */
MsTlsContext *
ms_tls_context_new_server_fixed (GError **error)
{
  const char *cert_pem, *key_pem;

  ms_tls_certificate_fixed_pem (&cert_pem, &key_pem);
  return ms_tls_context_new_server_pem (cert_pem, key_pem, error);
}

/**
 * ms_tls_context_new_client:
 *
 * A client context. It verifies nothing until it is given a trust anchor
 * with ms_tls_context_trust_pem() or ms_tls_context_trust_file(); the
 * simulated clients trust the fixed identity that way.
 */
MsTlsContext *
ms_tls_context_new_client (GError **error)
{
  MsTlsContext *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((self = context_new (FALSE, NULL, error)) == NULL)
    return NULL;
  SSL_CTX_set_verify (self->ssl_ctx, SSL_VERIFY_NONE, NULL);
  return self;
}

/**
 * ms_tls_context_new_simulation:
 *
 * The simulation's two ends: a server with the fixed demonstration identity
 * and a client that trusts it, sharing a fixed-seed random generator
 * (ms-tls-sim-random.c), so that the same scenario gives the same TLS bytes
 * and key log in every run. Never for a real connection: every secret of
 * these sessions can be computed by anyone with the source code.
 */
gboolean
ms_tls_context_new_simulation (MsTlsContext **server,
                               MsTlsContext **client,
                               GError       **error)
{
  g_autoptr(MsTlsSimRandom) sim_random = NULL;
  g_autoptr(MsTlsContext) server_context = NULL;
  g_autoptr(MsTlsContext) client_context = NULL;
  const char *cert_pem, *key_pem;

  g_return_val_if_fail (server != NULL && client != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ms_tls_certificate_fixed_pem (&cert_pem, &key_pem);
  if ((sim_random = ms_tls_sim_random_new ("one simulated world", error)) == NULL ||
      (server_context = server_from_pem (cert_pem, key_pem, sim_random, error)) == NULL ||
      (client_context = context_new (FALSE, sim_random, error)) == NULL ||
      !ms_tls_context_trust_pem (client_context, cert_pem, error))
    return FALSE;
  *server = g_steal_pointer (&server_context);
  *client = g_steal_pointer (&client_context);
  return TRUE;
}

static gboolean
trust_x509 (MsTlsContext *self,
            X509         *cert,
            GError      **error)
{
  X509_STORE *store = SSL_CTX_get_cert_store (self->ssl_ctx);

  if (cert == NULL || X509_STORE_add_cert (store, cert) != 1)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, "Could not trust the certificate");
      return FALSE;
    }
  SSL_CTX_set_verify (self->ssl_ctx, SSL_VERIFY_PEER, NULL);
  self->verifies_peer = TRUE;
  return TRUE;
}

/**
 * ms_tls_context_trust_pem:
 *
 * Makes a client context verify the server against @cert_pem (and the name
 * given to ms_tls_filter_new_client()). Time is not checked: the simulation
 * runs on a virtual clock, and the fixed identity's dates are fixed in the
 * source.
 */
gboolean
ms_tls_context_trust_pem (MsTlsContext  *self,
                          const char    *cert_pem,
                          GError       **error)
{
  X509 *cert;
  gboolean ok;

  g_return_val_if_fail (MS_IS_TLS_CONTEXT (self), FALSE);
  g_return_val_if_fail (!self->is_server, FALSE);
  g_return_val_if_fail (cert_pem != NULL, FALSE);

  ERR_clear_error ();
  cert = x509_from_pem (cert_pem);
  ok = trust_x509 (self, cert, error);
  X509_free (cert);
  if (ok)
    X509_VERIFY_PARAM_set_flags (SSL_CTX_get0_param (self->ssl_ctx), X509_V_FLAG_NO_CHECK_TIME);
  return ok;
}

/**
 * ms_tls_context_trust_file:
 *
 * Makes a client context verify the server against the certificates in
 * @cert_path (PEM), with the clock checked as a real client does.
 */
gboolean
ms_tls_context_trust_file (MsTlsContext  *self,
                           const char    *cert_path,
                           GError       **error)
{
  g_return_val_if_fail (MS_IS_TLS_CONTEXT (self), FALSE);
  g_return_val_if_fail (!self->is_server, FALSE);
  g_return_val_if_fail (cert_path != NULL, FALSE);

  ERR_clear_error ();
  if (SSL_CTX_load_verify_locations (self->ssl_ctx, cert_path, NULL) != 1)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, "Could not read the trusted certificate");
      return FALSE;
    }
  SSL_CTX_set_verify (self->ssl_ctx, SSL_VERIFY_PEER, NULL);
  self->verifies_peer = TRUE;
  return TRUE;
}

/**
 * ms_tls_context_set_max_version:
 *
 * Caps the protocol version. A server never goes below TLS 1.2 and refuses.
 * A client may be capped at TLS 1.1, which also lowers its minimum and its
 * OpenSSL security level to 0: that exists to show (and test) a server
 * refusing an old client, never to talk to one.
 */
gboolean
ms_tls_context_set_max_version (MsTlsContext  *self,
                                MsTlsVersion   version,
                                GError       **error)
{
  g_return_val_if_fail (MS_IS_TLS_CONTEXT (self), FALSE);
  g_return_val_if_fail (version == MS_TLS_VERSION_1_1 ||
                        version == MS_TLS_VERSION_1_2 ||
                        version == MS_TLS_VERSION_1_3, FALSE);

  if (version < MS_TLS_VERSION_1_2)
    {
      if (self->is_server)
        {
          g_set_error (error, MS_TLS_ERROR, MS_TLS_ERROR_SETTINGS,
                       "A Mailscope server never offers TLS older than 1.2");
          return FALSE;
        }
      SSL_CTX_set_security_level (self->ssl_ctx, 0);
      SSL_CTX_set_min_proto_version (self->ssl_ctx, version);
    }
  SSL_CTX_set_max_proto_version (self->ssl_ctx, version);
  return TRUE;
}

gboolean
ms_tls_context_is_server (MsTlsContext *self)
{
  g_return_val_if_fail (MS_IS_TLS_CONTEXT (self), FALSE);
  return self->is_server;
}

gboolean
ms_tls_context_get_verifies_peer (MsTlsContext *self)
{
  g_return_val_if_fail (MS_IS_TLS_CONTEXT (self), FALSE);
  return self->verifies_peer;
}

SSL_CTX *
ms_tls_context_get_ssl_ctx (MsTlsContext *self)
{
  g_assert (MS_IS_TLS_CONTEXT (self));
  return self->ssl_ctx;
}

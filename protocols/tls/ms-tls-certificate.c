/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Making the server's self-signed certificate. A teaching server on loopback
 * has no domain and no CA; a self-signed certificate whose names are
 * "localhost" and "127.0.0.1" is what lets a real client be told exactly
 * which certificate to trust (curl --cacert, Python's cafile) instead of
 * switching verification off. */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ms-tls-certificate.h"
#include "ms-tls-context.h"
#include "ms-tls-private.h"

/* Two years: long enough that a classroom machine never sees it expire in a
 * term, short enough to stay inside what clients accept for a leaf. */
#define CERT_VALIDITY_DAYS 730

char *
ms_tls_certificate_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "mailscope", "tls", NULL);
}

static gboolean
add_extension (X509       *cert,
               X509V3_CTX *ctx,
               int         nid,
               const char *value)
{
  X509_EXTENSION *ext = X509V3_EXT_nconf_nid (NULL, ctx, nid, value);
  gboolean ok;

  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return g_strndup (data, len);
}

static X509 *
make_certificate (EVP_PKEY *pkey)
{
  X509 *cert = X509_new ();
  X509_NAME *name;
  BIGNUM *serial = BN_new ();
  X509V3_CTX ctx;
  gboolean ok = FALSE;

  if (cert == NULL || serial == NULL)
    goto out;
  /* A random positive 127-bit serial: RFC 5280 wants serials unique per
   * issuer, and every generated certificate is its own issuer. */
  if (X509_set_version (cert, X509_VERSION_3) != 1 ||
      BN_rand (serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (cert)) == NULL)
    goto out;
  /* Start an hour back so a client whose clock is a little behind still
   * accepts a certificate made a moment ago. */
  if (X509_gmtime_adj (X509_getm_notBefore (cert), -3600) == NULL ||
      X509_time_adj_ex (X509_getm_notAfter (cert), CERT_VALIDITY_DAYS, 0, NULL) == NULL)
    goto out;

  name = X509_get_subject_name (cert);
  if (X509_NAME_add_entry_by_txt (name, "O", MBSTRING_ASC, (const guchar *) "Mailscope", -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const guchar *) "localhost", -1, -1, 0) != 1 ||
      X509_set_issuer_name (cert, name) != 1 ||
      X509_set_pubkey (cert, pkey) != 1)
    goto out;

  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  /* A leaf, not a CA; clients match the host they dialled against the SAN
   * (RFC 6125), never against the CN. */
  if (!add_extension (cert, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension (cert, &ctx, NID_key_usage, "critical,digitalSignature") ||
      !add_extension (cert, &ctx, NID_ext_key_usage, "serverAuth") ||
      !add_extension (cert, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1") ||
      !add_extension (cert, &ctx, NID_subject_key_identifier, "hash"))
    goto out;
  if (X509_sign (cert, pkey, EVP_sha256 ()) <= 0)
    goto out;
  ok = TRUE;

out:
  BN_free (serial);
  if (!ok)
    g_clear_pointer (&cert, X509_free);
  return cert;
}

/**
 * ms_tls_certificate_generate_pem:
 *
 * Makes a new EC P-256 key and a self-signed certificate for it, valid for
 * two years, with the names DNS:localhost and IP:127.0.0.1. P-256 because the
 * handshake is fast and the certificate small, and every client has it.
 */
gboolean
ms_tls_certificate_generate_pem (char   **cert_pem,
                                 char   **key_pem,
                                 GError **error)
{
  EVP_PKEY *pkey = NULL;
  X509 *cert = NULL;
  BIO *cert_bio = NULL, *key_bio = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (cert_pem != NULL && key_pem != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ERR_clear_error ();
  pkey = EVP_EC_gen ("P-256");
  if (pkey == NULL || (cert = make_certificate (pkey)) == NULL)
    goto out;
  cert_bio = BIO_new (BIO_s_mem ());
  key_bio = BIO_new (BIO_s_mem ());
  if (cert_bio == NULL || key_bio == NULL ||
      PEM_write_bio_X509 (cert_bio, cert) != 1 ||
      PEM_write_bio_PrivateKey (key_bio, pkey, NULL, NULL, 0, NULL, NULL) != 1)
    goto out;
  *cert_pem = bio_to_string (cert_bio);
  *key_pem = bio_to_string (key_bio);
  ok = TRUE;

out:
  if (!ok)
    ms_tls_set_openssl_error (error, MS_TLS_ERROR_CERTIFICATE, "Could not make a certificate");
  BIO_free (cert_bio);
  BIO_free (key_bio);
  X509_free (cert);
  EVP_PKEY_free (pkey);
  return ok;
}

/**
 * ms_tls_certificate_ensure:
 * @dir: (nullable): the folder to keep them in, or %NULL for
 *   $XDG_DATA_HOME/mailscope/tls
 *
 * Returns the paths of the server's certificate and key, making them first
 * if the folder does not hold both yet. The folder is made 0700 and the key
 * 0600: the key is a secret even on a teaching machine, since other users
 * could otherwise impersonate this server to the same browser or client.
 */
gboolean
ms_tls_certificate_ensure (const char  *dir,
                           char       **cert_path,
                           char       **key_path,
                           GError     **error)
{
  g_autofree char *default_dir = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *lock_file = NULL;
  gboolean ok = TRUE;
  int lock_fd;

  g_return_val_if_fail (cert_path != NULL && key_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (dir == NULL)
    dir = default_dir = ms_tls_certificate_default_dir ();
  cert_file = g_build_filename (dir, "cert.pem", NULL);
  key_file = g_build_filename (dir, "key.pem", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not make the folder %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  /* Two servers started at once (a parallel test suite) must not each
   * write a key and end up with one's key beside the other's certificate:
   * the check and the making happen under an exclusive lock. */
  lock_file = g_build_filename (dir, "lock", NULL);
  lock_fd = open (lock_file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0 || flock (lock_fd, LOCK_EX) != 0)
    {
      int saved = errno;

      if (lock_fd >= 0)
        close (lock_fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not lock %s: %s", lock_file, g_strerror (saved));
      return FALSE;
    }

  if (!g_file_test (cert_file, G_FILE_TEST_IS_REGULAR) ||
      !g_file_test (key_file, G_FILE_TEST_IS_REGULAR))
    {
      /* A key without its certificate (or the reverse) is useless: make both
       * again. The key is written first, so a crash in between leaves no
       * certificate that points at a missing key. */
      ok = ms_tls_certificate_generate_pem (&cert_pem, &key_pem, error) &&
           g_file_set_contents_full (key_file, key_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error) &&
           g_file_set_contents_full (cert_file, cert_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
      if (ok)
        g_info ("Made a self-signed certificate for localhost in %s", dir);
    }
  close (lock_fd);   /* releases the lock */
  if (!ok)
    return FALSE;

  *cert_path = g_steal_pointer (&cert_file);
  *key_path = g_steal_pointer (&key_file);
  return TRUE;
}

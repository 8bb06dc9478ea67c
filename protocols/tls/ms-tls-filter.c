/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One TLS connection over two OpenSSL memory BIOs: "rbio" holds ciphertext
 * that arrived and OpenSSL has not read yet, "wbio" holds ciphertext
 * OpenSSL produced and the driver has not taken yet. Every public call
 * drives OpenSSL as far as the bytes allow and returns; nothing blocks. */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ms-limits.h"
#include "ms-tls-filter.h"
#include "ms-tls-private.h"

struct _MsTlsFilter
{
  GObject       parent_instance;
  MsTlsContext *context;
  SSL          *ssl;
  BIO          *rbio;            /* owned by ssl */
  BIO          *wbio;            /* owned by ssl */
  GByteArray   *plaintext_in;    /* decrypted, not yet taken */
  GByteArray   *plaintext_out;   /* written before the handshake finished */
  GString      *keylog;
  GError       *error;
  guint         is_server : 1;
  guint         handshake_done : 1;
  guint         peer_closed : 1;
  guint         sent_close : 1;
};

G_DEFINE_TYPE (MsTlsFilter, ms_tls_filter, G_TYPE_OBJECT)

int
ms_tls_filter_ex_index (void)
{
  static gsize index_once = 0;

  if (g_once_init_enter (&index_once))
    {
      int index = SSL_get_ex_new_index (0, (void *) "MsTlsFilter", NULL, NULL, NULL);

      g_assert (index >= 0);
      g_once_init_leave (&index_once, (gsize) index + 1);
    }
  return (int) (index_once - 1);
}

void
ms_tls_filter_append_keylog (gpointer    filter,
                             const char *line)
{
  MsTlsFilter *self = filter;

  g_assert (MS_IS_TLS_FILTER (self));
  if (self->keylog->len + strlen (line) + 1 > MS_LIMIT_TLS_KEYLOG)
    return;
  g_string_append (self->keylog, line);
  g_string_append_c (self->keylog, '\n');
}

static void
ms_tls_filter_finalize (GObject *object)
{
  MsTlsFilter *self = MS_TLS_FILTER (object);

  g_clear_pointer (&self->ssl, SSL_free);
  g_clear_object (&self->context);
  g_clear_pointer (&self->plaintext_in, g_byte_array_unref);
  g_clear_pointer (&self->plaintext_out, g_byte_array_unref);
  g_string_free (self->keylog, TRUE);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (ms_tls_filter_parent_class)->finalize (object);
}

static void
ms_tls_filter_class_init (MsTlsFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_tls_filter_finalize;
}

static void
ms_tls_filter_init (MsTlsFilter *self)
{
  self->plaintext_in = g_byte_array_new ();
  self->plaintext_out = g_byte_array_new ();
  self->keylog = g_string_new (NULL);
}

static void
fail (MsTlsFilter *self,
      int          code,
      const char  *what)
{
  if (self->error != NULL)
    {
      ERR_clear_error ();
      return;
    }
  if (code == MS_TLS_ERROR_HANDSHAKE && !self->is_server)
    {
      long verify = SSL_get_verify_result (self->ssl);

      if (verify != X509_V_OK)
        {
          g_set_error (&self->error, MS_TLS_ERROR, code, "%s: %s", what,
                       X509_verify_cert_error_string (verify));
          ERR_clear_error ();
          return;
        }
    }
  ms_tls_set_openssl_error (&self->error, code, what);
}

static void drive (MsTlsFilter *self);

static void
write_through (MsTlsFilter  *self,
               const guint8 *data,
               gsize         len)
{
  gsize done = 0;

  g_assert (self->handshake_done);
  while (done < len && self->error == NULL)
    {
      size_t written = 0;
      int ret;

      ERR_clear_error ();
      ret = SSL_write_ex (self->ssl, data + done, len - done, &written);
      if (ret == 1)
        {
          done += written;
          continue;
        }
      /* A memory BIO never fills, so WANT_WRITE cannot happen; WANT_READ
       * would mean a renegotiation, which the context forbids. */
      fail (self, MS_TLS_ERROR_PROTOCOL, "Could not encrypt");
    }
}

static void
read_plaintext (MsTlsFilter *self)
{
  guint8 buf[16384];

  while (self->error == NULL && !self->peer_closed &&
         self->plaintext_in->len < MS_LIMIT_TLS_PLAINTEXT_BACKLOG)
    {
      size_t got = 0;
      int ret;

      ERR_clear_error ();
      ret = SSL_read_ex (self->ssl, buf, sizeof buf, &got);
      if (ret == 1)
        {
          g_byte_array_append (self->plaintext_in, buf, got);
          continue;
        }
      switch (SSL_get_error (self->ssl, ret))
        {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
          ERR_clear_error ();
          return;
        case SSL_ERROR_ZERO_RETURN:
          /* The peer's close_notify: a clean end, not an error. */
          self->peer_closed = TRUE;
          ERR_clear_error ();
          return;
        default:
          fail (self, MS_TLS_ERROR_PROTOCOL, "The TLS connection broke");
          return;
        }
    }
}

static void
drive (MsTlsFilter *self)
{
  if (self->error != NULL)
    return;

  if (!self->handshake_done)
    {
      int ret;

      ERR_clear_error ();
      ret = SSL_do_handshake (self->ssl);
      if (ret != 1)
        {
          switch (SSL_get_error (self->ssl, ret))
            {
            case SSL_ERROR_WANT_READ:
            case SSL_ERROR_WANT_WRITE:
              ERR_clear_error ();
              return;
            default:
              fail (self, MS_TLS_ERROR_HANDSHAKE, "The TLS handshake failed");
              return;
            }
        }
      self->handshake_done = TRUE;
      g_debug ("%s handshake done: %s, %s", self->is_server ? "server" : "client",
               SSL_get_version (self->ssl), SSL_get_cipher_name (self->ssl));
      if (self->plaintext_out->len > 0)
        {
          g_autoptr(GByteArray) pending = g_steal_pointer (&self->plaintext_out);

          self->plaintext_out = g_byte_array_new ();
          write_through (self, pending->data, pending->len);
        }
    }
  read_plaintext (self);
}

static MsTlsFilter *
filter_new (MsTlsContext *context,
            gboolean      is_server)
{
  MsTlsFilter *self = g_object_new (MS_TYPE_TLS_FILTER, NULL);

  self->context = g_object_ref (context);
  self->is_server = is_server;
  self->ssl = SSL_new (ms_tls_context_get_ssl_ctx (context));
  self->rbio = BIO_new (BIO_s_mem ());
  self->wbio = BIO_new (BIO_s_mem ());
  if (self->ssl == NULL || self->rbio == NULL || self->wbio == NULL)
    g_error ("OpenSSL is out of memory");
  /* An empty memory BIO must say "try again", not "end of file". */
  BIO_set_mem_eof_return (self->rbio, -1);
  SSL_set_bio (self->ssl, self->rbio, self->wbio);
  SSL_set_ex_data (self->ssl, ms_tls_filter_ex_index (), self);
  if (is_server)
    SSL_set_accept_state (self->ssl);
  else
    SSL_set_connect_state (self->ssl);
  return self;
}

/**
 * ms_tls_filter_new_server:
 *
 * A filter in the server role: it waits for the client's ClientHello.
 */
MsTlsFilter *
ms_tls_filter_new_server (MsTlsContext *context)
{
  g_return_val_if_fail (MS_IS_TLS_CONTEXT (context), NULL);
  g_return_val_if_fail (ms_tls_context_is_server (context), NULL);

  return filter_new (context, TRUE);
}

/**
 * ms_tls_filter_new_client:
 * @server_name: (nullable): the name the client dialled: sent as SNI when it
 *   is a host name, and checked against the certificate when the context
 *   verifies
 *
 * A filter in the client role. Its ClientHello is ready to be taken with
 * ms_tls_filter_take_ciphertext() at once.
 */
MsTlsFilter *
ms_tls_filter_new_client (MsTlsContext *context,
                          const char   *server_name)
{
  MsTlsFilter *self;

  g_return_val_if_fail (MS_IS_TLS_CONTEXT (context), NULL);
  g_return_val_if_fail (!ms_tls_context_is_server (context), NULL);

  self = filter_new (context, FALSE);
  if (server_name != NULL)
    {
      gboolean is_ip = g_hostname_is_ip_address (server_name);

      /* RFC 6066 3: SNI carries host names only, never address literals. */
      if (!is_ip)
        SSL_set_tlsext_host_name (self->ssl, server_name);
      if (ms_tls_context_get_verifies_peer (context))
        {
          X509_VERIFY_PARAM *param = SSL_get0_param (self->ssl);

          if (is_ip)
            X509_VERIFY_PARAM_set1_ip_asc (param, server_name);
          else
            X509_VERIFY_PARAM_set1_host (param, server_name, 0);
        }
    }
  drive (self);
  return self;
}

/**
 * ms_tls_filter_feed_ciphertext:
 *
 * Hands over bytes that arrived from the peer. Returns %FALSE once the
 * connection failed (see ms_tls_filter_get_error()); there may still be an
 * alert to take and send.
 */
gboolean
ms_tls_filter_feed_ciphertext (MsTlsFilter  *self,
                               const guint8 *data,
                               gsize         len)
{
  gsize done = 0;

  g_return_val_if_fail (MS_IS_TLS_FILTER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->error != NULL)
    return FALSE;
  while (done < len)
    {
      int chunk = (int) MIN (len - done, (gsize) G_MAXINT);
      int wrote = BIO_write (self->rbio, data + done, chunk);

      if (wrote <= 0)
        {
          fail (self, MS_TLS_ERROR_PROTOCOL, "Out of memory for TLS input");
          return FALSE;
        }
      done += wrote;
    }
  drive (self);
  return self->error == NULL;
}

/**
 * ms_tls_filter_take_ciphertext:
 *
 * Moves the ciphertext waiting to be sent to the peer onto @dest.
 * Returns: the number of bytes appended
 */
gsize
ms_tls_filter_take_ciphertext (MsTlsFilter *self,
                               GByteArray  *dest)
{
  char *data = NULL;
  long len;

  g_return_val_if_fail (MS_IS_TLS_FILTER (self), 0);
  g_return_val_if_fail (dest != NULL, 0);

  len = BIO_get_mem_data (self->wbio, &data);
  if (len <= 0)
    return 0;
  g_byte_array_append (dest, (const guint8 *) data, (guint) len);
  (void) BIO_reset (self->wbio);
  return (gsize) len;
}

/**
 * ms_tls_filter_write_plaintext:
 *
 * Encrypts @data for the peer; before the handshake completes it is held
 * and sent right after. Returns %FALSE if the connection already failed or
 * was closed by us.
 */
gboolean
ms_tls_filter_write_plaintext (MsTlsFilter  *self,
                               const guint8 *data,
                               gsize         len)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->error != NULL || self->sent_close)
    return FALSE;
  if (len == 0)
    return TRUE;
  if (!self->handshake_done)
    g_byte_array_append (self->plaintext_out, data, len);
  else
    write_through (self, data, len);
  return self->error == NULL;
}

/**
 * ms_tls_filter_take_plaintext:
 *
 * Moves the decrypted bytes from the peer onto @dest.
 * Returns: the number of bytes appended
 */
gsize
ms_tls_filter_take_plaintext (MsTlsFilter *self,
                              GByteArray  *dest)
{
  gsize len;

  g_return_val_if_fail (MS_IS_TLS_FILTER (self), 0);
  g_return_val_if_fail (dest != NULL, 0);

  len = self->plaintext_in->len;
  if (len > 0)
    {
      g_byte_array_append (dest, self->plaintext_in->data, len);
      g_byte_array_set_size (self->plaintext_in, 0);
    }
  /* Records left unread because the backlog was full can be read now. */
  if (self->handshake_done && BIO_ctrl_pending (self->rbio) > 0)
    read_plaintext (self);
  return len;
}

gboolean
ms_tls_filter_is_server (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), FALSE);
  return self->is_server;
}

gboolean
ms_tls_filter_is_handshake_done (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), FALSE);
  return self->handshake_done;
}

/**
 * ms_tls_filter_is_closed:
 *
 * Whether the peer ended the connection cleanly with a close_notify alert.
 */
gboolean
ms_tls_filter_is_closed (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), FALSE);
  return self->peer_closed;
}

const GError *
ms_tls_filter_get_error (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), NULL);
  return self->error;
}

/**
 * ms_tls_filter_close_notify:
 *
 * Queues our close_notify alert (RFC 8446 6.1): the peer learns the data
 * ended on purpose, not by a cut connection. Take the ciphertext afterwards.
 */
void
ms_tls_filter_close_notify (MsTlsFilter *self)
{
  g_return_if_fail (MS_IS_TLS_FILTER (self));

  if (self->sent_close || self->error != NULL || !self->handshake_done)
    return;
  self->sent_close = TRUE;
  ERR_clear_error ();
  /* 0 means "sent, the peer's has not come yet": all we ask for. */
  if (SSL_shutdown (self->ssl) < 0)
    ERR_clear_error ();
}

/**
 * ms_tls_filter_get_keylog:
 *
 * The NSS key-log lines of this connection (CLIENT_RANDOM for TLS 1.2, the
 * *_TRAFFIC_SECRET lines for TLS 1.3), one per line, for Wireshark's
 * "(Pre)-Master-Secret log filename". Empty before the handshake.
 */
const char *
ms_tls_filter_get_keylog (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), NULL);
  return self->keylog->str;
}

/**
 * ms_tls_filter_get_version_name:
 *
 * "TLSv1.3", "TLSv1.2"… once the handshake is done, else %NULL.
 */
const char *
ms_tls_filter_get_version_name (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), NULL);
  return self->handshake_done ? SSL_get_version (self->ssl) : NULL;
}

const char *
ms_tls_filter_get_cipher_name (MsTlsFilter *self)
{
  g_return_val_if_fail (MS_IS_TLS_FILTER (self), NULL);
  return self->handshake_done ? SSL_get_cipher_name (self->ssl) : NULL;
}

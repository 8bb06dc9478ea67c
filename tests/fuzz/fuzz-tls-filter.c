/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A server-role TLS filter (the fixed demonstration identity) fed arbitrary
 * bytes as if from a client, split where the input chooses: OpenSSL behind
 * memory BIOs must fail cleanly, and what the filter sends back must still
 * be well-formed TLS records (typically one alert). */
#define G_LOG_DOMAIN "fuzz-tls-filter"
#include "config.h"

#include <stdint.h>

#include "ms-tls-context.h"
#include "ms-tls-filter.h"
#include "ms-tls-record-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static MsTlsContext *
server_context (void)
{
  /* Loading the RSA key once keeps the fuzzer fast; the context is shared
   * by every input and kept for the process's life. */
  static MsTlsContext *context;

  if (context == NULL)
    {
      g_autoptr(GError) error = NULL;

      context = ms_tls_context_new_server_fixed (&error);
      g_assert_no_error (error);
    }
  return context;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsTlsFilter) filter = ms_tls_filter_new_server (server_context ());
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(MsTlsRecordParser) observer = ms_tls_record_parser_new ();
  size_t split;

  if (size == 0)
    return 0;
  split = data[0] % size;
  data++;
  size--;
  split = MIN (split, size);

  ms_tls_filter_feed_ciphertext (filter, data, split);
  ms_tls_filter_take_ciphertext (filter, out);
  ms_tls_filter_feed_ciphertext (filter, data + split, size - split);
  ms_tls_filter_write_plaintext (filter, (const guint8 *) "+OK\r\n", 5);
  ms_tls_filter_take_ciphertext (filter, out);
  ms_tls_filter_take_plaintext (filter, plain);
  ms_tls_filter_close_notify (filter);
  ms_tls_filter_take_ciphertext (filter, out);

  /* Whatever the server said is TLS an observer can follow. */
  g_assert (ms_tls_record_parser_feed (observer, out->data, out->len, NULL));
  g_assert (ms_tls_record_parser_get_pending (observer) == 0);
  /* No handshake can complete from one side's bytes alone. */
  g_assert (!ms_tls_filter_is_handshake_done (filter));
  return 0;
}

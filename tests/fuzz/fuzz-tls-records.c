/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TLS record observer fed arbitrary bytes in chunks the input chooses:
 * it must never crash, never report a record longer than the limits, and
 * must report the same records whatever the chunking. */
#define G_LOG_DOMAIN "fuzz-tls-records"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-limits.h"
#include "ms-tls-record-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
run (const uint8_t *data,
     size_t         size,
     size_t         chunk)
{
  g_autoptr(MsTlsRecordParser) parser = ms_tls_record_parser_new ();
  GString *seen = g_string_new (NULL);
  size_t off = 0;
  MsTlsRecord *record;

  while (off < size)
    {
      size_t n = MIN (chunk, size - off);
      gboolean ok = ms_tls_record_parser_feed (parser, data + off, n, NULL);

      while ((record = ms_tls_record_parser_next (parser)) != NULL)
        {
          g_autofree char *text = ms_tls_record_describe (record);

          g_assert (record->length <= MS_LIMIT_TLS_CIPHERTEXT_RECORD);
          g_assert (record->encrypted || record->content_type == MS_TLS_CONTENT_APPLICATION_DATA ||
                    record->length <= MS_LIMIT_TLS_PLAINTEXT_RECORD);
          g_string_append (seen, text);
          g_string_append_c (seen, '\n');
          ms_tls_record_free (record);
        }
      if (!ok)
        {
          g_string_append (seen, "error\n");
          break;
        }
      off += n;
    }
  return g_string_free (seen, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *whole = NULL;
  g_autofree char *chunked = NULL;
  size_t chunk;

  if (size == 0)
    return 0;
  /* The first byte picks the chunk size of the second run. */
  chunk = 1 + data[0] % 17;
  data++;
  size--;
  whole = run (data, size, size ? size : 1);
  chunked = run (data, size, chunk);
  g_assert (strcmp (whole, chunked) == 0);
  return 0;
}

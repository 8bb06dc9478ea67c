/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mailbox names, keywords and line-end normalisation: every byte string must
 * be either accepted or refused with an error, and an accepted mailbox name
 * must survive create, rename and delete. */
#define G_LOG_DOMAIN "fuzz-store-names"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) normalized = ms_store_normalize_crlf (bytes);
  g_autofree char *name = g_strndup ((const char *) data, size);
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GError) error = NULL;
  MsAccount *account;
  const guint8 *out;
  gsize out_len;

  /* Normalised output never holds a bare CR or LF. */
  out = g_bytes_get_data (normalized, &out_len);
  for (gsize i = 0; i < out_len; i++)
    {
      if (out[i] == '\r')
        g_assert (i + 1 < out_len && out[i + 1] == '\n');
      if (out[i] == '\n')
        g_assert (i > 0 && out[i - 1] == '\r');
    }

  ms_keyword_is_valid (name);
  account = ms_store_add_account (store, "fuzz", "pw", NULL);
  if (ms_account_name_is_valid (name, &error))
    {
      g_autofree char *renamed = g_strconcat (name, "-renamed", NULL);

      if (ms_account_create_mailbox (account, name, NULL) != NULL)
        {
          if (ms_account_rename_mailbox (account, name, renamed, NULL))
            g_assert (ms_account_delete_mailbox (account, renamed, NULL));
        }
    }
  else
    g_assert (error != NULL);
  return 0;
}

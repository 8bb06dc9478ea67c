/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMTP submission server session fed arbitrary client bytes, split at a
 * point the input chooses: it must never crash, never grow past its limits,
 * and every delivered message must be CRLF-clean and carry a Received: line. */
#define G_LOG_DOMAIN "fuzz-smtp-session"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-smtp-server-session.h"
#include "ms-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsAccount *alice = ms_store_add_account (store, "alice", "secret", NULL);
  g_autoptr(MsSmtpServerSession) session = ms_smtp_server_session_new (store, "mx.example.org", TRUE);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  MsMailbox *inbox = ms_account_get_inbox (alice);
  gsize split;

  if (size == 0)
    return 0;
  /* The first byte picks where to split the rest into two feeds. */
  split = size > 1 ? data[0] % size : 0;
  data++;
  size--;
  split = MIN (split, size);

  ms_server_session_start (MS_SERVER_SESSION (session));
  ms_server_session_feed (MS_SERVER_SESSION (session), data, split);
  if (ms_smtp_server_session_get_state (session) == MS_SMTP_SERVER_STATE_TLS)
    ms_server_session_set_tls_active (MS_SERVER_SESSION (session), TRUE);
  ms_server_session_feed (MS_SERVER_SESSION (session), data + split, size - split);
  ms_server_session_take_output (MS_SERVER_SESSION (session), out);
  g_assert (out->len < 64 * 1024 + size * 64);

  for (guint i = 0; i < ms_mailbox_get_n_messages (inbox); i++)
    {
      gsize len;
      const char *raw = g_bytes_get_data (ms_message_get_raw (ms_mailbox_get_message (inbox, i)), &len);

      g_assert (len <= MS_SMTP_MAX_MESSAGE_SIZE + 1024);
      g_assert (len >= 9 && memcmp (raw, "Received:", 9) == 0);
    }
  ms_server_session_connection_lost (MS_SERVER_SESSION (session));
  return 0;
}

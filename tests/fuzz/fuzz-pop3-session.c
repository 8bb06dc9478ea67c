/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The POP3 server session on arbitrary client bytes. The first byte picks
 * the chunk size (1 to 64 octets, so that line ends fall anywhere) and
 * whether STLS is offered; the rest is what the client sends. Holds are
 * released at once, STLS "succeeds" at once. Checked: the session never
 * buffers more than its limits, a finished session stays silent, the store
 * loses only what a QUIT in TRANSACTION expunged, and the maildrop lock is
 * free once the session is gone. */
#define G_LOG_DOMAIN "fuzz-pop3-session"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-limits.h"
#include "ms-pop3-server-session.h"
#include "ms-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const messages[] = {
  "From: a@example.org\r\nSubject: one\r\n\r\nHello\r\n.dot\r\n..two\r\n",
  "Subject: two\r\n\r\nline1\r\nline2\r\n",
  "Subject: three\r\n\r\n.\r\n",
};

static void
on_tls_requested (MsServerSession *session,
                  gpointer         user_data)
{
  gboolean *requested = user_data;

  *requested = TRUE;
}

static void
drain (MsServerSession *session,
       GByteArray      *out)
{
  while (ms_server_session_get_hold_ms (session) > 0)
    {
      ms_server_session_take_output (session, out);
      g_assert (ms_server_session_take_output (session, out) == 0);
      g_assert (ms_server_session_get_hold_ms (session) <= MS_LIMIT_POP3_AUTH_DELAY_MAX_MS);
      ms_server_session_release_hold (session);
    }
  while (ms_server_session_take_output (session, out) > 0)
    ;
  g_byte_array_set_size (out, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  MsPop3ServerSession *pop3;
  MsServerSession *session;
  MsAccount *alice;
  gboolean tls_requested = FALSE;
  gsize chunk, pos = 1;

  if (size < 1)
    return 0;
  chunk = (data[0] & 0x3f) + 1;

  alice = ms_store_add_account (store, "alice", "wonderland", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (messages[i], strlen (messages[i]));
      ms_mailbox_append (ms_account_get_inbox (alice), raw, MS_FLAG_NONE, NULL, 0, 0);
    }

  pop3 = g_object_new (MS_TYPE_POP3_SERVER_SESSION, "store", store, "apop-timestamp", "<1.1@fuzz>",
                       "tls-available", (data[0] & 0x40) != 0, NULL);
  session = MS_SERVER_SESSION (pop3);
  g_signal_connect (session, "tls-requested", G_CALLBACK (on_tls_requested), &tls_requested);
  ms_server_session_start (session);
  drain (session, out);

  while (pos < size)
    {
      gsize n = MIN (chunk, size - pos);
      gboolean finished = ms_server_session_is_finished (session);

      ms_server_session_feed (session, data + pos, n);
      pos += n;
      if (finished)
        {
          /* A finished session says nothing more. */
          g_assert (ms_server_session_take_output (session, out) == 0);
          continue;
        }
      drain (session, out);
      if (tls_requested)
        {
          tls_requested = FALSE;
          ms_server_session_set_tls_active (session, TRUE);
        }
    }

  /* Only a QUIT that reached UPDATE may have removed mail. */
  if (ms_pop3_server_session_get_state (pop3) != MS_POP3_STATE_UPDATE)
    g_assert (ms_mailbox_get_n_messages (ms_account_get_inbox (alice)) == G_N_ELEMENTS (messages));

  ms_server_session_connection_lost (session);
  g_assert (!ms_account_is_maildrop_locked (alice));
  g_object_unref (pop3);
  return 0;
}

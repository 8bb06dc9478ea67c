/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two IMAP server sessions on one store, fed arbitrary client bytes. The
 * first byte picks the chunk size (1 to 32 octets) and which session gets
 * each chunk (alternating or all to the first), so that one session's
 * STORE, EXPUNGE, APPEND and MOVE reach the other, IDLE or not. Both start
 * logged in with INBOX selected. Checked: output is well formed (every
 * line ends in CRLF), a finished session stays silent, holds are released,
 * and the store's counters stay consistent. */
#define G_LOG_DOMAIN "fuzz-imap-session"
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ms-imap-server-session.h"
#include "ms-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const messages[] = {
  "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: one\r\n"
  "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello\r\n",
  "Subject: two\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
  "--x\r\nContent-Type: text/plain\r\n\r\npart one\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n"
  "Subject: inner\r\n\r\ninner body\r\n--x--\r\n",
  "Subject: three\r\n\r\n.\r\n",
};

static void
drain (MsServerSession *session,
       GByteArray      *out)
{
  while (ms_server_session_get_hold_ms (session) > 0)
    ms_server_session_release_hold (session);
  ms_server_session_take_output (session, out);
  /* The session only ever writes whole lines (literals are inside them). */
  if (out->len > 0)
    g_assert (out->len >= 2 && out->data[out->len - 2] == '\r' && out->data[out->len - 1] == '\n');
  g_byte_array_set_size (out, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char login[] = "l LOGIN alice wonderland\r\ns SELECT INBOX\r\n";
  g_autoptr(MsStore) store = ms_store_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  MsServerSession *sessions[2];
  MsAccount *alice;
  gsize chunk, pos = 1;
  gboolean alternate;
  guint turn = 0;

  if (size < 1)
    return 0;
  chunk = (data[0] & 0x1f) + 1;
  alternate = (data[0] & 0x20) != 0;

  alice = ms_store_add_account (store, "alice", "wonderland", NULL);
  ms_account_create_mailbox (alice, "Trash", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (messages[i], strlen (messages[i]));
      ms_mailbox_append (ms_account_get_inbox (alice), raw, MS_FLAG_NONE, NULL, 1704103200, 0);
    }

  for (guint i = 0; i < 2; i++)
    {
      sessions[i] = MS_SERVER_SESSION (ms_imap_server_session_new (store));
      g_object_set (sessions[i], "tls-available", (data[0] & 0x40) != 0, NULL);
      ms_server_session_start (sessions[i]);
      ms_server_session_feed (sessions[i], (const guint8 *) login, strlen (login));
      drain (sessions[i], out);
    }

  while (pos < size)
    {
      gsize n = MIN (chunk, size - pos);
      MsServerSession *s = sessions[alternate ? turn++ % 2 : 0];

      if (ms_server_session_is_finished (s))
        {
          pos += n;
          continue;
        }
      ms_server_session_feed (s, data + pos, n);
      pos += n;
      drain (sessions[0], out);
      drain (sessions[1], out);
    }

  for (guint i = 0; i < 2; i++)
    {
      ms_server_session_connection_lost (sessions[i]);
      g_assert (ms_server_session_is_finished (sessions[i]));
      drain (sessions[i], out);
      g_object_unref (sessions[i]);
    }
  {
    MsMailbox *inbox = ms_account_get_inbox (alice);
    guint64 total = 0;

    for (guint i = 0; i < ms_mailbox_get_n_messages (inbox); i++)
      total += ms_message_get_size (ms_mailbox_get_message (inbox, i));
    g_assert (total == ms_mailbox_get_total_size (inbox));
  }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two IMAP server sessions on one store, fed arbitrary client bytes. The
 * first byte picks the chunk size (1 to 32 octets), which session gets
 * each chunk (alternating or all to the first), and whether the first
 * session's output budget is tiny and its output taken one piece per chunk
 * (so that its FETCHes wait, suspended, for a reader), so that one session's
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

/* Takes what the session has to say: everything, or with @slow one take
 * only, like a client that reads slowly, so that a FETCH stays suspended
 * while more input and the other session's changes arrive. */
static void
drain (MsServerSession *session,
       GByteArray      *out,
       gboolean         slow)
{
  gsize budget = ms_imap_server_session_get_output_budget (MS_IMAP_SERVER_SESSION (session));
  gsize n;

  while (ms_server_session_get_hold_ms (session) > 0)
    ms_server_session_release_hold (session);
  do
    {
      gsize before = out->len;

      n = ms_server_session_take_output (session, out);
      g_assert (n == out->len - before && n <= budget);
    }
  while (n > 0 && !slow);
  if (slow && n > 0)
    return;
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
  g_autoptr(GByteArray) slow_out = g_byte_array_new ();
  MsServerSession *sessions[2];
  MsAccount *alice;
  gsize chunk, pos = 1;
  gboolean alternate, slow;
  guint turn = 0;

  if (size < 1)
    return 0;
  chunk = (data[0] & 0x1f) + 1;
  alternate = (data[0] & 0x20) != 0;
  slow = (data[0] & 0x80) != 0;

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
      drain (sessions[i], out, FALSE);
    }
  if (slow)
    ms_imap_server_session_set_output_budget (MS_IMAP_SERVER_SESSION (sessions[0]), 16 + 4 * chunk);

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
      drain (sessions[0], slow ? slow_out : out, slow);
      drain (sessions[1], out, FALSE);
    }

  for (guint i = 0; i < 2; i++)
    {
      ms_server_session_connection_lost (sessions[i]);
      g_assert (ms_server_session_is_finished (sessions[i]));
      g_assert (!ms_imap_server_session_is_answering (MS_IMAP_SERVER_SESSION (sessions[i])));
      /* A slow reader's last piece may end inside a line: its connection
       * was cut there. */
      if (i == 0 && slow)
        {
          while (ms_server_session_take_output (sessions[i], slow_out) > 0)
            ;
          g_byte_array_set_size (slow_out, 0);
        }
      drain (sessions[i], out, FALSE);
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

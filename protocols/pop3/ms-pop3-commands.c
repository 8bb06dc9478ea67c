/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CAPA (RFC 2449), NOOP, QUIT and the TRANSACTION commands of RFC 1939:
 * STAT, LIST, UIDL, RETR, TOP, DELE, RSET. They work on the snapshot taken
 * at login; only QUIT touches the store. */
#define G_LOG_DOMAIN "ms-pop3"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-pop3-server-session-private.h"

char *
ms_pop3_uidl (guint32 uidvalidity,
              guint32 uid)
{
  /* UIDs are never reused within one UIDVALIDITY and a mailbox gets a new
   * UIDVALIDITY whenever its UIDs could repeat, so the pair names one
   * message for ever: 16 hex digits, well inside RFC 1939's 1-70 printable
   * characters. */
  return g_strdup_printf ("%08x%08x", uidvalidity, uid);
}

static MsMessage *
message_at (MsPop3ServerSession *self,
            guint                index)
{
  return g_ptr_array_index (self->messages, index);
}

static gboolean
is_deleted (MsPop3ServerSession *self,
            guint                index)
{
  return g_array_index (self->deleted, gboolean, index);
}

/* Counts the messages not marked deleted and their octets. */
static guint
count_live (MsPop3ServerSession *self,
            guint64             *octets)
{
  guint n = 0;

  *octets = 0;
  for (guint i = 0; i < self->messages->len; i++)
    if (!is_deleted (self, i))
      {
        n++;
        *octets += ms_message_get_size (message_at (self, i));
      }
  return n;
}

/* Digits only, no sign, no leading space (RFC 1939: msg is a number). */
static gboolean
parse_number (const char *arg,
              guint64    *value)
{
  gsize len = strlen (arg);

  if (len == 0 || len > 10)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (arg[i]))
      return FALSE;
  *value = g_ascii_strtoull (arg, NULL, 10);
  return TRUE;
}

gboolean
ms_pop3_parse_msg_number (MsPop3ServerSession *self,
                          const char          *arg,
                          guint               *index)
{
  guint64 number;

  if (!parse_number (arg, &number))
    {
      if (ms_pop3_is_printable_ascii (arg))
        ms_pop3_session_bad_command (self, "\"%s\" is not a message number", arg);
      else
        ms_pop3_session_bad_command (self, "The argument is not a message number");
      return FALSE;
    }
  if (number == 0 || number > self->messages->len)
    {
      ms_pop3_session_reply (self, FALSE, "No such message: the maildrop has messages 1 to %u",
                             self->messages->len);
      return FALSE;
    }
  if (is_deleted (self, (guint) number - 1))
    {
      ms_pop3_session_reply (self, FALSE, "Message %" G_GUINT64_FORMAT " already deleted", number);
      return FALSE;
    }
  *index = (guint) number - 1;
  return TRUE;
}

/* Sends @len octets of @data with every line that begins with '.' stuffed
 * with one more '.' (RFC 1939 section 3), then the terminating ".". */
static void
send_stuffed (MsPop3ServerSession *self,
              const char          *data,
              gsize                len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *lf = memchr (data + pos, '\n', len - pos);
      gsize end = lf ? (gsize) (lf - data) + 1 : len;

      if (data[pos] == '.')
        ms_pop3_session_write (self, ".", 1);
      ms_pop3_session_write (self, data + pos, end - pos);
      pos = end;
    }
  /* Stored messages end in CRLF; one that does not still needs its last
   * line closed before the terminator. */
  if (len > 0 && (len < 2 || data[len - 2] != '\r' || data[len - 1] != '\n'))
    ms_pop3_session_write (self, "\r\n", 2);
  ms_pop3_session_end_data (self);
}

static void
cmd_capa (MsPop3ServerSession *self,
          const char          *args)
{
  ms_pop3_session_reply (self, TRUE, "Capability list follows");
  ms_pop3_session_data_line (self, "TOP");
  ms_pop3_session_data_line (self, "UIDL");
  ms_pop3_session_data_line (self, "USER");
  ms_pop3_session_data_line (self, "SASL PLAIN");
  ms_pop3_session_data_line (self, "RESP-CODES");
  ms_pop3_session_data_line (self, "AUTH-RESP-CODE");
  ms_pop3_session_data_line (self, "PIPELINING");
  if (self->tls_available && !self->tls_active && self->state == MS_POP3_STATE_AUTHORIZATION)
    ms_pop3_session_data_line (self, "STLS");
  ms_pop3_session_data_line (self, "IMPLEMENTATION Mailscope-%s", PACKAGE_VERSION);
  ms_pop3_session_end_data (self);
}

static void
cmd_noop (MsPop3ServerSession *self,
          const char          *args)
{
  ms_pop3_session_reply (self, TRUE, "%s", "");
}

static void
cmd_quit (MsPop3ServerSession *self,
          const char          *args)
{
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  guint removed, failures;

  if (self->state == MS_POP3_STATE_AUTHORIZATION)
    {
      ms_pop3_session_reply (self, TRUE, "Goodbye");
      ms_pop3_session_finish (self);
      return;
    }

  /* RFC 1939 section 6: only now, in UPDATE, do the marks take effect. */
  ms_pop3_session_set_state (self, MS_POP3_STATE_UPDATE);
  uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < self->messages->len; i++)
    if (is_deleted (self, i))
      {
        guint32 uid = ms_message_get_uid (message_at (self, i));
        g_array_append_val (uids, uid);
      }

  if (uids->len > 0 && ms_mailbox_get_uidvalidity (self->inbox) != self->uidvalidity)
    {
      ms_pop3_session_notice (self, NC_ ("transcript", "expunged"), "0");
      ms_pop3_session_reply (self, FALSE, "[SYS/PERM] The maildrop was replaced during the session; "
                             "no messages were deleted");
      ms_pop3_session_finish (self);
      return;
    }

  /* With serve --state, a deletion that cannot be saved is not made (RFC
   * 3206: SYS/TEMP, a problem on the server that may pass). */
  if (uids->len > 0 && !ms_store_check_persist (self->store, &error))
    {
      ms_pop3_session_notice (self, NC_ ("transcript", "expunged"), "0");
      ms_pop3_session_reply (self, FALSE, "[SYS/TEMP] No messages were deleted: %s; try again later",
                             ms_store_describe_persist_error (error));
      ms_pop3_session_finish (self);
      return;
    }
  failures = ms_store_get_persist_failures (self->store);
  removed = uids->len ? ms_mailbox_expunge_uids (self->inbox, (const guint32 *) uids->data, uids->len) : 0;
  notice = g_strdup_printf ("%u", removed);
  ms_pop3_session_notice (self, NC_ ("transcript", "expunged"), notice);
  if (ms_store_get_persist_failures (self->store) != failures)
    {
      /* The removal could not be written, so it was not made (the store
       * writes before it changes): the maildrop is as it was. */
      ms_pop3_session_reply (self, FALSE, "[SYS/TEMP] No messages were deleted: %s; try again later",
                             ms_store_describe_persist_error (ms_store_get_last_persist_failure (self->store)));
      ms_pop3_session_finish (self);
      return;
    }
  if (removed < uids->len)
    ms_pop3_session_reply (self, TRUE, "Goodbye: %u message%s deleted (%u had already been removed by another client)",
                           removed, removed == 1 ? "" : "s", uids->len - removed);
  else
    ms_pop3_session_reply (self, TRUE, "Goodbye: %u message%s deleted", removed, removed == 1 ? "" : "s");
  ms_pop3_session_finish (self);
}

static void
cmd_stat (MsPop3ServerSession *self,
          const char          *args)
{
  guint64 octets;
  guint n = count_live (self, &octets);

  if (args[0] != '\0')
    {
      ms_pop3_session_bad_command (self, "STAT takes no arguments");
      return;
    }
  ms_pop3_session_reply (self, TRUE, "%u %" G_GUINT64_FORMAT, n, octets);
}

static void
cmd_list (MsPop3ServerSession *self,
          const char          *args)
{
  guint64 octets;
  guint index, n;

  if (args[0] != '\0')
    {
      if (ms_pop3_parse_msg_number (self, args, &index))
        ms_pop3_session_reply (self, TRUE, "%u %" G_GSIZE_FORMAT, index + 1,
                               ms_message_get_size (message_at (self, index)));
      return;
    }
  n = count_live (self, &octets);
  ms_pop3_session_reply (self, TRUE, "%u message%s (%" G_GUINT64_FORMAT " octets)",
                         n, n == 1 ? "" : "s", octets);
  for (guint i = 0; i < self->messages->len; i++)
    if (!is_deleted (self, i))
      ms_pop3_session_data_line (self, "%u %" G_GSIZE_FORMAT, i + 1, ms_message_get_size (message_at (self, i)));
  ms_pop3_session_end_data (self);
}

static void
cmd_uidl (MsPop3ServerSession *self,
          const char          *args)
{
  guint index;

  if (args[0] != '\0')
    {
      if (ms_pop3_parse_msg_number (self, args, &index))
        {
          g_autofree char *uidl = ms_pop3_uidl (self->uidvalidity, ms_message_get_uid (message_at (self, index)));
          ms_pop3_session_reply (self, TRUE, "%u %s", index + 1, uidl);
        }
      return;
    }
  ms_pop3_session_reply (self, TRUE, "Unique-ID listing follows");
  for (guint i = 0; i < self->messages->len; i++)
    if (!is_deleted (self, i))
      {
        g_autofree char *uidl = ms_pop3_uidl (self->uidvalidity, ms_message_get_uid (message_at (self, i)));
        ms_pop3_session_data_line (self, "%u %s", i + 1, uidl);
      }
  ms_pop3_session_end_data (self);
}

static void
cmd_retr (MsPop3ServerSession *self,
          const char          *args)
{
  MsMessage *message;
  const char *data;
  gsize len;
  guint index;

  if (!ms_pop3_parse_msg_number (self, args, &index))
    return;
  message = message_at (self, index);
  data = g_bytes_get_data (ms_message_get_raw (message), &len);
  ms_pop3_session_reply (self, TRUE, "%" G_GSIZE_FORMAT " octets", ms_message_get_size (message));
  send_stuffed (self, data, len);
}

static void
cmd_top (MsPop3ServerSession *self,
         const char          *args)
{
  const char *space = strchr (args, ' ');
  g_autofree char *msg = NULL;
  const char *data, *blank;
  guint64 lines;
  gsize len, cut;
  guint index;

  if (space == NULL || !parse_number (space + 1, &lines))
    {
      ms_pop3_session_bad_command (self, "TOP needs a message number and a line count: TOP <msg> <n>");
      return;
    }
  msg = g_strndup (args, (gsize) (space - args));
  if (!ms_pop3_parse_msg_number (self, msg, &index))
    return;

  data = g_bytes_get_data (ms_message_get_raw (message_at (self, index)), &len);
  /* The header ends at the first empty line (RFC 5322 section 2.1); the
   * empty line is sent too, then at most @lines lines of the body. */
  if (len >= 2 && data[0] == '\r' && data[1] == '\n')
    cut = 2;
  else if ((blank = g_strstr_len (data, (gssize) len, "\r\n\r\n")) != NULL)
    cut = (gsize) (blank - data) + 4;
  else
    cut = len;
  for (guint64 i = 0; i < lines && cut < len; i++)
    {
      const char *lf = memchr (data + cut, '\n', len - cut);
      cut = lf ? (gsize) (lf - data) + 1 : len;
    }

  ms_pop3_session_reply (self, TRUE, "Top of message %u follows", index + 1);
  send_stuffed (self, data, cut);
}

static void
cmd_dele (MsPop3ServerSession *self,
          const char          *args)
{
  guint index;

  if (!ms_pop3_parse_msg_number (self, args, &index))
    return;
  g_array_index (self->deleted, gboolean, index) = TRUE;
  ms_pop3_session_reply (self, TRUE, "Message %u marked for deletion; it is removed at QUIT", index + 1);
}

static void
cmd_rset (MsPop3ServerSession *self,
          const char          *args)
{
  guint64 octets;
  guint n;

  for (guint i = 0; i < self->deleted->len; i++)
    g_array_index (self->deleted, gboolean, i) = FALSE;
  n = count_live (self, &octets);
  ms_pop3_session_reply (self, TRUE, "Deletion marks removed: maildrop has %u message%s (%" G_GUINT64_FORMAT " octets)",
                         n, n == 1 ? "" : "s", octets);
}

const MsPop3Command ms_pop3_mail_commands[] = {
  { "CAPA", cmd_capa, MS_POP3_IN_AUTHORIZATION | MS_POP3_IN_TRANSACTION },
  { "QUIT", cmd_quit, MS_POP3_IN_AUTHORIZATION | MS_POP3_IN_TRANSACTION },
  { "NOOP", cmd_noop, MS_POP3_IN_TRANSACTION },
  { "STAT", cmd_stat, MS_POP3_IN_TRANSACTION },
  { "LIST", cmd_list, MS_POP3_IN_TRANSACTION },
  { "UIDL", cmd_uidl, MS_POP3_IN_TRANSACTION },
  { "RETR", cmd_retr, MS_POP3_IN_TRANSACTION },
  { "TOP",  cmd_top,  MS_POP3_IN_TRANSACTION },
  { "DELE", cmd_dele, MS_POP3_IN_TRANSACTION },
  { "RSET", cmd_rset, MS_POP3_IN_TRANSACTION },
};
const guint ms_pop3_n_mail_commands = G_N_ELEMENTS (ms_pop3_mail_commands);

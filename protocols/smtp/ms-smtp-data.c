/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The message text after DATA (RFC 5321 section 4.1.1.4): dot-unstuffing,
 * the size limit, and delivery into every recipient's INBOX with a
 * Received: line on top, all or nothing. */
#define G_LOG_DOMAIN "ms-smtp-server"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-smtp-server-session-private.h"

/* RFC 5321 section 4.2.3 and RFC 3463: 452 4.3.1 "insufficient system
 * storage" for a full disk, 451 4.3.0 for another local failure; both are
 * temporary, so the client keeps the message and tries again. */
static void
refuse_unsaved (MsSmtpServerSession *self,
                const GError        *error)
{
  gboolean full = g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_NO_SPACE);
  g_autofree char *text = g_strdup_printf ("%s Not delivered: %s", full ? "4.3.1" : "4.3.0",
                                           ms_store_describe_persist_error (error));

  ms_smtp_session_reply (self, full ? 452 : 451, text);
}

/* Returns FALSE, having answered, when the message could not be saved
 * (serve --state on a full disk): then no recipient got it. */
static gboolean
deliver (MsSmtpServerSession *self)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (self->now);
  g_autofree char *date = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S +0000");
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) inboxes = NULL;
  guint failures;

  /* RFC 5321 section 4.4: every server that handles a message adds a trace line. */
  g_string_append_printf (raw, "Received: from %s\r\n\tby %s with %s id %u;\r\n\t%s\r\n",
                          self->helo ? self->helo : "unknown", self->hostname,
                          self->auth_user ? (self->tls_active ? "ESMTPSA" : "ESMTPA") : "ESMTP",
                          self->n_delivered + 1, date);
  g_string_append_len (raw, (const char *) self->data->data, self->data->len);
  bytes = g_string_free_to_bytes (g_steal_pointer (&raw));
  for (guint i = 0; i < self->recipients->len; i++)
    if (ms_mailbox_would_overflow (ms_account_get_inbox (g_ptr_array_index (self->recipients, i)), 1))
      {
        ms_smtp_session_reply (self, 452, "4.2.2 Mailbox full");   /* RFC 3463: temporary, the client may retry */
        return FALSE;
      }
  if (!ms_store_check_persist (self->store, &error))
    {
      refuse_unsaved (self, error);
      return FALSE;
    }
  /* All or nothing, and no session sees a copy before every copy is
   * saved: when one cannot be, nobody got the message and the client's
   * retry does not deliver twice. */
  inboxes = g_ptr_array_new ();
  for (guint i = 0; i < self->recipients->len; i++)
    g_ptr_array_add (inboxes, ms_account_get_inbox (g_ptr_array_index (self->recipients, i)));
  failures = ms_store_get_persist_failures (self->store);
  if (!ms_mailbox_append_to_all ((MsMailbox * const *) inboxes->pdata, inboxes->len, bytes, self->now, 0) ||
      ms_store_get_persist_failures (self->store) != failures)
    {
      refuse_unsaved (self, ms_store_get_last_persist_failure (self->store));
      return FALSE;
    }
  for (guint i = 0; i < self->recipients->len; i++)
    {
      MsAccount *account = g_ptr_array_index (self->recipients, i);

      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "smtp", NC_ ("transcript", "delivered"),
                                            ms_phrase_new (NC_ ("transcript", "delivered %u bytes to %s's INBOX"),
                                                           ms_phrase_uint (g_bytes_get_size (bytes)),
                                                           ms_phrase_text (ms_account_get_name (account))));
    }
  self->n_delivered++;
  return TRUE;
}

void
ms_smtp_data_line (MsSmtpServerSession *self,
                   const char          *line,
                   gsize                len)
{
  if (len == 1 && line[0] == '.')
    {
      g_autofree char *elided = g_strdup_printf ("{%u bytes}", self->data->len);

      ms_smtp_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, "data", elided);
      if (self->data_too_big)
        ms_smtp_session_reply (self, 552, "5.3.4 Message too big");
      else if (deliver (self))
        ms_smtp_session_reply (self, 250, "2.0.0 Message accepted for delivery");
      ms_smtp_session_reset_transaction (self);
      ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_READY);
      return;
    }
  if (len > 0 && line[0] == '.')
    {
      line++;   /* RFC 5321 section 4.5.2: remove the stuffed dot */
      len--;
    }
  if (self->data_too_big || self->data->len + len + 2 > MS_SMTP_MAX_MESSAGE_SIZE)
    {
      /* Keep reading to the end so the reply lines up, but keep nothing. */
      self->data_too_big = TRUE;
      g_byte_array_set_size (self->data, 0);
      return;
    }
  g_byte_array_append (self->data, (const guint8 *) line, len);
  g_byte_array_append (self->data, (const guint8 *) "\r\n", 2);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The POP3 client's answers to the server: the check's plan (what to RETR,
 * what to DELE) and the handling of each status line and data block. */
#define G_LOG_DOMAIN "ms-pop3-client"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <string.h>

#include "ms-pop3-client-private.h"
#include "ms-pop3-client-local.h"

static void
after_capa (MsPop3Client *self)
{
  if (self->tls == MS_CLIENT_TLS_STARTTLS && !self->tls_active)
    ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_STLS, "STLS", "STLS");
  else
    ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_USER, "USER", "USER %s", self->user);
}

static void
plan_deletes (MsPop3Client *self)
{
  g_array_set_size (self->to_dele, 0);
  for (guint n = 1; n <= self->n_listed; n++)
    {
      const char *uidl = n <= self->uidls->len ? g_ptr_array_index (self->uidls, n - 1) : NULL;

      if (!self->have_uidl)
        {
          /* Without UIDL the client cannot recognise a message next time:
           * it may only delete what it downloaded now, and must, or it
           * would download the same messages again at every check. */
          if (!self->policy.leave_on_server)
            g_array_append_val (self->to_dele, n);
          continue;
        }
      if (uidl == NULL || !ms_pop3_client_local_is_seen (self->store, self->user, uidl))
        continue;
      if (ms_pop3_client_local_should_delete (self->store, self->user, uidl, &self->policy,
                                              self->action->now))
        g_array_append_val (self->to_dele, n);
    }
  self->step = 0;
}

/* After Stop: marks made in this session are taken back first, because
 * QUIT would carry them out (RFC 1939 sections 5 and 6). */
static void
stop_now (MsPop3Client *self)
{
  if (self->deleted_uidls->len > 0)
    ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_RSET, "RSET", "RSET");
  else
    ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_QUIT, "QUIT", "QUIT");
}

static void
next_step (MsPop3Client *self)
{
  if (self->stopping)
    {
      stop_now (self);
      return;
    }
  if (self->state == MS_POP3_CLIENT_STATE_UIDL || self->state == MS_POP3_CLIENT_STATE_RETR)
    {
      if (self->state == MS_POP3_CLIENT_STATE_UIDL)
        self->step = 0;
      if (self->step < self->to_retr->len)
        {
          self->current = g_array_index (self->to_retr, guint, self->step++);
          ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_RETR, "RETR", "RETR %u", self->current);
          return;
        }
      plan_deletes (self);
    }
  if (self->step < self->to_dele->len)
    {
      self->current = g_array_index (self->to_dele, guint, self->step++);
      ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_DELE, "DELE", "DELE %u", self->current);
      return;
    }
  ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_QUIT, "QUIT", "QUIT");
}

static void
plan_downloads (MsPop3Client *self)
{
  g_array_set_size (self->to_retr, 0);
  for (guint n = 1; n <= self->n_listed; n++)
    {
      const char *uidl = n <= self->uidls->len ? g_ptr_array_index (self->uidls, n - 1) : NULL;

      if (!self->have_uidl || (uidl != NULL && !ms_pop3_client_local_is_seen (self->store, self->user, uidl)))
        g_array_append_val (self->to_retr, n);
    }
  if (self->have_uidl)
    ms_pop3_client_local_forget_missing (self->store, self->user, self->uidls);
}

static void
store_retrieved (MsPop3Client *self)
{
  const char *uidl = self->current <= self->uidls->len ? g_ptr_array_index (self->uidls, self->current - 1) : NULL;
  gsize size = self->body->len;
  g_autoptr(GBytes) raw = NULL;

  /* The collected body becomes the stored message as it is, not copied. */
  raw = g_byte_array_free_to_bytes (g_steal_pointer (&self->body));
  self->body = g_byte_array_new ();
  ms_pop3_client_local_store_download (self->store, self->user, uidl, raw, self->action->now);
  self->n_downloaded++;
  self->bytes_downloaded += size;
}

void
ms_pop3_client_handle_data_line (MsPop3Client *self,
                  const char   *line,
                  gsize         len)
{
  switch (self->state)
    {
    case MS_POP3_CLIENT_STATE_CAPA:
      {
        g_autofree char *text = g_utf8_make_valid (line, len);

        ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_RESPONSE, "data", text);
      }
      break;
    case MS_POP3_CLIENT_STATE_UIDL:
      {
        g_autofree char *text = g_utf8_make_valid (line, len);
        g_auto(GStrv) parts = g_strsplit (text, " ", 3);
        guint64 n = 0;

        ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_RESPONSE, "data", text);
        if (g_strv_length (parts) != 2 ||
            !g_ascii_string_to_unsigned (parts[0], 10, 1, MAX_LISTING, &n, NULL) ||
            parts[1][0] == '\0' || strlen (parts[1]) > 70)
          {
            ms_pop3_client_note_failure (self, ms_phrase_new (NC_ ("transcript",
                                                                   "the server sent a malformed UIDL line")));
            break;
          }
        if (n > self->uidls->len)
          g_ptr_array_set_size (self->uidls, n);
        g_free (g_ptr_array_index (self->uidls, n - 1));
        g_ptr_array_index (self->uidls, n - 1) = g_strdup (parts[1]);
        self->n_listed = MAX (self->n_listed, n);
      }
      break;
    case MS_POP3_CLIENT_STATE_RETR:
      if (self->body->len + len + 2 > MAX_MESSAGE)
        {
          ms_pop3_client_protocol_error (self, NC_ ("transcript",
                                                    "the message is larger than this client accepts"));
          return;
        }
      g_byte_array_append (self->body, (const guint8 *) line, len);
      g_byte_array_append (self->body, (const guint8 *) "\r\n", 2);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ms_pop3_client_handle_multiline_end (MsPop3Client *self)
{
  self->multiline = FALSE;
  switch (self->state)
    {
    case MS_POP3_CLIENT_STATE_CAPA:
      after_capa (self);
      break;
    case MS_POP3_CLIENT_STATE_UIDL:
      plan_downloads (self);
      next_step (self);
      break;
    case MS_POP3_CLIENT_STATE_RETR:
      {
        g_autofree char *elided = g_strdup_printf ("{%u bytes}", self->body->len);

        ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_RESPONSE, "data", elided);
        store_retrieved (self);
        next_step (self);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ms_pop3_client_handle_status (MsPop3Client *self,
               const char   *line,
               gsize         len)
{
  g_autofree char *text = g_utf8_make_valid (line, len);
  gboolean ok = g_str_has_prefix (text, "+OK");
  gboolean err = g_str_has_prefix (text, "-ERR");

  ms_pop3_client_emit (self, MS_PROTOCOL_EVENT_RESPONSE, ok ? "+OK" : err ? "-ERR" : "?", text);
  if (!ok && !err)
    {
      ms_pop3_client_protocol_error (self, NC_ ("transcript", "the server answered neither +OK nor -ERR"));
      return;
    }

  switch (self->state)
    {
    case MS_POP3_CLIENT_STATE_GREETING:
      if (!ok)
        {
          ms_pop3_client_protocol_error (self, NC_ ("transcript", "the server refused the connection"));
          return;
        }
      ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_CAPA, "CAPA", "CAPA");
      break;
    case MS_POP3_CLIENT_STATE_CAPA:
      if (ok)
        self->multiline = TRUE;
      else
        after_capa (self);  /* an RFC 1939-only server: carry on without CAPA */
      break;
    case MS_POP3_CLIENT_STATE_STLS:
      if (!ok)
        {
          /* Falling back to plain text would send the password in clear. */
          ms_pop3_client_abort_with_quit (self, NC_ ("transcript",
                                                     "the server refused STLS, so the client did not log in"));
          return;
        }
      ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_TLS_HANDSHAKE);
      ms_client_session_emit_tls_requested (MS_CLIENT_SESSION (self));
      break;
    case MS_POP3_CLIENT_STATE_USER:
      if (!ok)
        ms_pop3_client_abort_with_quit (self, NC_ ("transcript", "the server refused the user name"));
      else
        ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_PASS, "PASS", "PASS %s", self->password);
      break;
    case MS_POP3_CLIENT_STATE_PASS:
      if (!ok)
        ms_pop3_client_abort_with_quit (self, NC_ ("transcript", "login refused"));
      else if (self->stopping)
        stop_now (self);
      else
        ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_STAT, "STAT", "STAT");
      break;
    case MS_POP3_CLIENT_STATE_STAT:
      {
        guint64 n = 0;

        if (!ok || sscanf (text, "+OK %" G_GUINT64_FORMAT, &n) != 1 || n > MAX_LISTING)
          {
            ms_pop3_client_abort_with_quit (self, NC_ ("transcript", "STAT failed"));
            return;
          }
        self->n_listed = n;
        if (self->stopping)
          stop_now (self);
        else
          ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_UIDL, "UIDL", "UIDL");
      }
      break;
    case MS_POP3_CLIENT_STATE_UIDL:
      if (ok)
        {
          self->have_uidl = TRUE;
          self->multiline = TRUE;
        }
      else
        {
          plan_downloads (self);
          next_step (self);
        }
      break;
    case MS_POP3_CLIENT_STATE_RETR:
      if (ok)
        {
          g_byte_array_set_size (self->body, 0);
          self->multiline = TRUE;
        }
      else
        {
          ms_pop3_client_note_failure (self, ms_phrase_new (NC_ ("transcript", "RETR %u was refused"),
                                                            ms_phrase_uint (self->current)));
          next_step (self);
        }
      break;
    case MS_POP3_CLIENT_STATE_DELE:
      if (ok)
        {
          const char *uidl = self->current <= self->uidls->len ?
                             g_ptr_array_index (self->uidls, self->current - 1) : NULL;

          g_ptr_array_add (self->deleted_uidls, g_strdup (uidl ? uidl : ""));
        }
      else
        {
          ms_pop3_client_note_failure (self, ms_phrase_new (NC_ ("transcript", "DELE %u was refused"),
                                                            ms_phrase_uint (self->current)));
        }
      next_step (self);
      break;
    case MS_POP3_CLIENT_STATE_RSET:
      if (!ok)
        {
          /* QUIT now would delete what is marked; a session that ends
           * without QUIT never reaches the UPDATE state. */
          ms_pop3_client_protocol_error (self, NC_ ("transcript",
                                                    "RSET was refused, so the client hung up without QUIT"));
          return;
        }
      self->n_unmarked = self->deleted_uidls->len;
      g_ptr_array_set_size (self->deleted_uidls, 0);
      ms_pop3_client_send_command (self, MS_POP3_CLIENT_STATE_QUIT, "QUIT", "QUIT");
      break;
    case MS_POP3_CLIENT_STATE_QUIT:
      if (ok)
        {
          /* Only now, in the UPDATE state, did the server remove them. */
          ms_pop3_client_local_confirm_deleted (self->store, self->user, self->deleted_uidls);
        }
      ms_pop3_client_set_state (self, MS_POP3_CLIENT_STATE_CLOSING);
      break;
    default:
      ms_pop3_client_protocol_error (self, NC_ ("transcript", "the server sent a line nobody asked for"));
      break;
    }
}


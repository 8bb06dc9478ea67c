/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing responses: building a line (with literals) next to its event text,
 * untagged and continuation lines, and ending a command, which is where the
 * untagged updates the command allows are sent. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-protocol-event.h"
#include "ms-imap-server-session-private.h"

MsImapResponse *
ms_imap_response_new (MsImapServerSession *self)
{
  MsImapResponse *r = g_new0 (MsImapResponse, 1);

  r->wire = g_string_new (NULL);
  if (ms_server_session_wants_events (MS_SERVER_SESSION (self), MS_PROTOCOL_EVENT_RESPONSE))
    r->text = g_string_new (NULL);
  g_queue_init (&r->pieces);
  return r;
}

void
ms_imap_response_free (MsImapResponse *r)
{
  if (r == NULL)
    return;
  g_string_free (r->wire, TRUE);
  if (r->text != NULL)
    g_string_free (r->text, TRUE);
  g_queue_clear_full (&r->pieces, (GDestroyNotify) g_bytes_unref);
  g_free (r);
}

void
ms_imap_response_printf (MsImapResponse *r,
                         const char     *format,
                         ...)
{
  g_autofree char *s = NULL;
  va_list args;

  va_start (args, format);
  s = g_strdup_vprintf (format, args);
  va_end (args);
  ms_imap_response_append (r, s);
}

/* "{size}" and, on the wire only, CRLF: the event shows the size, not the
 * data (RFC 3501 section 4.3 literal syntax). */
static void
literal_prefix (MsImapResponse *r,
                gsize           len)
{
  ms_imap_response_append_c (r, '{');
  ms_imap_response_uint (r, len);
  ms_imap_response_append_c (r, '}');
  ms_imap_put (r->wire, "\r\n", 2);
}

void
ms_imap_response_literal (MsImapResponse *r,
                          const char     *data,
                          gsize           len)
{
  literal_prefix (r, len);
  g_string_append_len (r->wire, data, len);
}

void
ms_imap_response_literal_bytes (MsImapResponse *r,
                                GBytes         *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  if (len < MS_IMAP_LITERAL_BY_REFERENCE)
    {
      ms_imap_response_literal (r, data != NULL ? data : "", len);
      return;
    }
  /* The line so far becomes a piece of its own, the data another: a 10 MB
   * message leaves from where the store keeps it. */
  literal_prefix (r, len);
  g_queue_push_tail (&r->pieces, g_bytes_new (r->wire->str, r->wire->len));
  g_queue_push_tail (&r->pieces, g_bytes_ref (bytes));
  g_string_truncate (r->wire, 0);
}

void
ms_imap_response_string (MsImapResponse *r,
                         const char     *data,
                         gsize           len)
{
  gboolean quotable = len < 1024;

  if (data == NULL)
    {
      ms_imap_response_append (r, "NIL");
      return;
    }
  for (gsize i = 0; quotable && i < len; i++)
    if (data[i] == '\r' || data[i] == '\n' || data[i] == '\0' || (guchar) data[i] >= 0x80)
      quotable = FALSE;
  if (!quotable)
    {
      ms_imap_response_literal (r, data, len);
      return;
    }
  ms_imap_response_append (r, "\"");
  for (gsize i = 0; i < len; i++)
    {
      char c[3] = { '\\', data[i], 0 };

      ms_imap_response_append (r, (data[i] == '"' || data[i] == '\\') ? c : c + 1);
    }
  ms_imap_response_append (r, "\"");
}

static const char *
response_name (const char *line,
               char       *buf,
               gsize       size)
{
  const char *p = line;
  gsize n = 0;

  /* "* 3 EXISTS" -> EXISTS, "* OK [..]" -> OK, "a1 OK" -> OK. */
  p = strchr (p, ' ');
  if (p == NULL)
    return line;
  p++;
  if (g_ascii_isdigit (*p) && line[0] == '*')
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return line;
      p++;
    }
  while (p[n] && p[n] != ' ' && n + 1 < size)
    {
      buf[n] = p[n];
      n++;
    }
  buf[n] = '\0';
  return buf;
}

/* The RESPONSE event for one line as the transcript shows it. */
static void
emit_response (MsImapServerSession *self,
               const char          *text)
{
  char name[32];
  char tag[64] = "*";
  const char *sp;

  sp = strchr (text, ' ');
  if (sp && (gsize) (sp - text) < sizeof tag)
    {
      memcpy (tag, text, sp - text);
      tag[sp - text] = '\0';
    }
  if (text[0] == '+')
    ms_imap_session_emit (self, MS_PROTOCOL_EVENT_RESPONSE, "+", NULL, text);
  else
    ms_imap_session_emit (self, MS_PROTOCOL_EVENT_RESPONSE, response_name (text, name, sizeof name),
                          tag, text);
}

void
ms_imap_session_output_bytes (MsImapServerSession *self,
                              GBytes              *bytes)
{
  /* What is already queued goes first, as a chunk of its own. */
  if (self->output->len > 0)
    {
      self->chunk_bytes += self->output->len;
      g_queue_push_tail (&self->out_chunks, g_string_free_to_bytes (self->output));
      self->output = g_string_new (NULL);
    }
  self->chunk_bytes += g_bytes_get_size (bytes);
  g_queue_push_tail (&self->out_chunks, bytes);
}

gsize
ms_imap_session_queued (MsImapServerSession *self)
{
  return self->chunk_bytes + self->output->len;
}

gboolean
ms_imap_session_has_output (MsImapServerSession *self)
{
  return self->output->len > 0 || !g_queue_is_empty (&self->out_chunks);
}

void
ms_imap_session_send_keep (MsImapServerSession *self,
                           MsImapResponse      *r)
{
  GBytes *piece;

  while ((piece = g_queue_pop_head (&r->pieces)) != NULL)
    ms_imap_session_output_bytes (self, piece);
  ms_imap_put (r->wire, "\r\n", 2);
  ms_imap_put (self->output, r->wire->str, r->wire->len);
  g_string_truncate (r->wire, 0);
  if (r->text != NULL)
    {
      emit_response (self, r->text->str);
      g_string_truncate (r->text, 0);
    }
}

void
ms_imap_session_send (MsImapServerSession *self,
                      MsImapResponse      *r)
{
  ms_imap_session_send_keep (self, r);
  ms_imap_response_free (r);
}

void
ms_imap_session_send_line (MsImapServerSession *self,
                           const char          *line)
{
  ms_imap_put (self->output, line, strlen (line));
  ms_imap_put (self->output, "\r\n", 2);
  if (ms_server_session_wants_events (MS_SERVER_SESSION (self), MS_PROTOCOL_EVENT_RESPONSE))
    emit_response (self, line);
}

void
ms_imap_session_untagged (MsImapServerSession *self,
                          const char          *format,
                          ...)
{
  g_autoptr(GString) line = g_string_new ("* ");
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (line, format, args);
  va_end (args);
  ms_imap_session_send_line (self, line->str);
}

void
ms_imap_session_continuation (MsImapServerSession *self,
                              const char          *text)
{
  g_autofree char *line = g_strconcat ("+ ", text ? text : "", NULL);

  ms_imap_session_send_line (self, line);
}

void
ms_imap_session_done (MsImapServerSession *self,
                      MsImapCommand       *cmd,
                      const char          *status,
                      const char          *format,
                      ...)
{
  g_autofree char *s = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  s = g_strdup_vprintf (format, args);
  va_end (args);

  /* Nothing is acknowledged that is not on disk (serve --state). */
  if (g_str_equal (status, "OK") && ms_imap_session_change_lost (self))
    {
      const GError *error = ms_store_get_last_persist_failure (self->store);

      g_free (s);
      s = g_strdup_printf ("[%s] Not saved: %s.", ms_imap_persist_code (error),
                           ms_store_describe_persist_error (error));
      status = "NO";
    }
  if (self->state == MS_IMAP_STATE_SELECTED)
    ms_imap_view_flush (self, self->cur_expunge_ok);
  line = g_strdup_printf ("%s %s %s", cmd->tag, status, s);
  ms_imap_session_send_line (self, line);
  if (g_str_equal (status, "BAD"))
    self->n_bad++;
}

gboolean
ms_imap_session_change_lost (MsImapServerSession *self)
{
  return self->in_handler && ms_store_get_persist_failures (self->store) != self->persist_failures;
}

/* RFC 5530's response code for a failed write: OVERQUOTA for a full disk
 * or quota (as Dovecot answers), LIMIT for a file grown past what the
 * system allows, SERVERBUG for the rest. */
const char *
ms_imap_persist_code (const GError *error)
{
  if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_NO_SPACE))
    return "OVERQUOTA";
  if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_LIMIT))
    return "LIMIT";
  return "SERVERBUG";
}

void
ms_imap_session_bad (MsImapServerSession *self,
                     MsImapCommand       *cmd,
                     const char          *text)
{
  ms_imap_session_done (self, cmd, "BAD", "%s", text);
}

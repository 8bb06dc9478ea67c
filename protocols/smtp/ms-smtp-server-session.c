/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-smtp-server"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-smtp-server-session.h"
#include "ms-protocol-event.h"

struct _MsSmtpServerSession
{
  GObject            parent_instance;

  MsStore           *store;
  char              *hostname;
  gboolean           tls_available;
  gboolean           tls_active;
  gint64             now;

  MsSmtpServerState  state;
  GByteArray        *in;
  GByteArray        *out;
  gboolean           discarding;    /* skipping the rest of an over-long line */

  char              *helo;          /* the client's EHLO/HELO name */
  gboolean           esmtp;
  char              *auth_user;     /* NULL until AUTH succeeded */
  gboolean           auth_pending;  /* 334 sent, waiting for the PLAIN response */
  char              *mail_from;
  GPtrArray         *recipients;    /* MsAccount (not owned: the store owns them) */
  GByteArray        *data;
  gboolean           data_too_big;
  guint              n_bad;
  guint              n_delivered;
};

typedef void (*CommandHandler) (MsSmtpServerSession *self, const char *arg);

typedef struct
{
  const char     *name;
  CommandHandler  handler;
  guint           states;   /* bit mask of MsSmtpServerState where it is allowed */
} Command;

#define S(state) (1u << (state))

static void ms_smtp_server_session_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSmtpServerSession, ms_smtp_server_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION,
                                                      ms_smtp_server_session_iface_init))

static const char *state_names[] = {
  [MS_SMTP_SERVER_STATE_CONNECTED] = "connected",
  [MS_SMTP_SERVER_STATE_GREETED]   = "greeted",
  [MS_SMTP_SERVER_STATE_READY]     = "ready",
  [MS_SMTP_SERVER_STATE_MAIL]      = "mail",
  [MS_SMTP_SERVER_STATE_RCPT]      = "rcpt",
  [MS_SMTP_SERVER_STATE_DATA]      = "data",
  [MS_SMTP_SERVER_STATE_TLS]       = "tls",
  [MS_SMTP_SERVER_STATE_CLOSED]    = "closed",
};

const char *
ms_smtp_server_state_to_string (MsSmtpServerState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

static void
emit (MsSmtpServerSession *self,
      MsProtocolEventKind  kind,
      const char          *name,
      const char          *text)
{
  g_autoptr(MsProtocolEvent) event = ms_protocol_event_new (kind, "smtp", name, NULL, text);

  ms_server_session_emit_event (MS_SERVER_SESSION (self), event);
}

/* The only place the state changes. */
static void
set_state (MsSmtpServerSession *self,
           MsSmtpServerState    state)
{
  MsSmtpServerState old = self->state;

  if (old == state)
    return;
  self->state = state;
  emit (self, MS_PROTOCOL_EVENT_STATE, state_names[state], state_names[old]);
}

/* One reply line; "code-text" when more lines follow, "code text" for the last. */
static void
reply_line (MsSmtpServerSession *self,
            guint                code,
            gboolean             more,
            const char          *text)
{
  g_autofree char *line = g_strdup_printf ("%u%c%s", code, more ? '-' : ' ', text);
  char name[4];

  g_snprintf (name, sizeof name, "%u", code);
  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
  emit (self, MS_PROTOCOL_EVENT_RESPONSE, name, line);
}

static void
reply (MsSmtpServerSession *self,
       guint                code,
       const char          *text)
{
  reply_line (self, code, FALSE, text);
}

static void
reset_transaction (MsSmtpServerSession *self)
{
  g_clear_pointer (&self->mail_from, g_free);
  g_ptr_array_set_size (self->recipients, 0);
  g_byte_array_set_size (self->data, 0);
  self->data_too_big = FALSE;
}

static void
bad_command (MsSmtpServerSession *self,
             guint                code,
             const char          *text)
{
  reply (self, code, text);
  if (++self->n_bad >= MS_SMTP_MAX_BAD_COMMANDS)
    {
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "smtp", "too-many-errors",
                                            ms_phrase_new (NC_ ("transcript", "closing after too many bad commands")));
      reply (self, 421, "4.7.0 Too many errors, closing connection");
      set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
    }
}

/* Extracts the address inside <…> after "FROM:" / "TO:"; NULL if malformed.
 * Parameters after the path (SIZE=, BODY=) are accepted and ignored. */
static char *
parse_path (const char *arg,
            const char *keyword)
{
  gsize klen = strlen (keyword);
  const char *open, *close;

  if (arg == NULL || g_ascii_strncasecmp (arg, keyword, klen) != 0)
    return NULL;
  arg += klen;
  while (*arg == ' ')
    arg++;
  open = arg;
  if (*open != '<' || (close = strchr (open, '>')) == NULL)
    return NULL;
  for (const char *p = open + 1; p < close; p++)
    if ((guchar) *p <= ' ' || *p == '<')
      return NULL;
  return g_strndup (open + 1, close - open - 1);
}

static void
cmd_ehlo (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *first = NULL;

  if (arg == NULL || arg[0] == '\0')
    {
      bad_command (self, 501, "5.5.4 EHLO needs a domain");
      return;
    }
  reset_transaction (self);
  g_free (self->helo);
  self->helo = g_strdup (arg);
  self->esmtp = TRUE;
  first = g_strdup_printf ("%s greets %s", self->hostname, arg);
  reply_line (self, 250, TRUE, first);
  reply_line (self, 250, TRUE, "PIPELINING");
  {
    g_autofree char *size = g_strdup_printf ("SIZE %d", MS_SMTP_MAX_MESSAGE_SIZE);
    reply_line (self, 250, TRUE, size);
  }
  reply_line (self, 250, TRUE, "8BITMIME");
  if (self->tls_available && !self->tls_active)
    reply_line (self, 250, TRUE, "STARTTLS");
  reply_line (self, 250, TRUE, "ENHANCEDSTATUSCODES");
  reply_line (self, 250, FALSE, "AUTH PLAIN");
  set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_helo (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *text = NULL;

  if (arg == NULL || arg[0] == '\0')
    {
      bad_command (self, 501, "5.5.4 HELO needs a domain");
      return;
    }
  reset_transaction (self);
  g_free (self->helo);
  self->helo = g_strdup (arg);
  self->esmtp = FALSE;
  text = g_strdup_printf ("%s", self->hostname);
  reply (self, 250, text);
  set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_starttls (MsSmtpServerSession *self, const char *arg)
{
  if (!self->tls_available || self->tls_active)
    {
      bad_command (self, 502, "5.5.1 STARTTLS not available");
      return;
    }
  reply (self, 220, "2.0.0 Ready to start TLS");
  /* Anything pipelined after STARTTLS was sent in clear and must not run. */
  g_byte_array_set_size (self->in, 0);
  set_state (self, MS_SMTP_SERVER_STATE_TLS);
  ms_server_session_emit_tls_requested (MS_SERVER_SESSION (self));
}

static void
check_plain (MsSmtpServerSession *self, const char *b64)
{
  g_autofree guchar *decoded = NULL;
  gsize len = 0;
  const char *authzid, *authcid, *password;
  MsAccount *account;

  if (strcmp (b64, "*") == 0)
    {
      reply (self, 501, "5.7.0 Authentication cancelled");
      return;
    }
  decoded = g_base64_decode (b64, &len);
  /* authzid NUL authcid NUL password (RFC 4616) */
  if (decoded == NULL || len < 2 || memchr (decoded, '\0', len) == NULL)
    {
      bad_command (self, 501, "5.5.2 Cannot decode the AUTH PLAIN response");
      return;
    }
  decoded = g_realloc (decoded, len + 1);
  decoded[len] = '\0';
  authzid = (const char *) decoded;
  authcid = authzid + strlen (authzid) + 1;
  if ((const guchar *) authcid >= decoded + len || (password = authcid + strlen (authcid) + 1) > (const char *) decoded + len)
    {
      bad_command (self, 501, "5.5.2 Malformed AUTH PLAIN response");
      return;
    }
  account = ms_store_lookup_account (self->store, authcid);
  if (account == NULL || !ms_account_check_password (account, password) ||
      (authzid[0] != '\0' && strcmp (authzid, authcid) != 0))
    {
      bad_command (self, 535, "5.7.8 Authentication credentials invalid");
      return;
    }
  self->auth_user = g_strdup (authcid);
  reply (self, 235, "2.7.0 Authentication successful");
}

static void
cmd_auth (MsSmtpServerSession *self, const char *arg)
{
  g_auto(GStrv) parts = NULL;

  if (self->auth_user != NULL)
    {
      bad_command (self, 503, "5.5.1 Already authenticated");
      return;
    }
  if (arg != NULL)
    parts = g_strsplit (arg, " ", 2);
  /* "AUTH " splits into no words at all. */
  if (parts == NULL || parts[0] == NULL || g_ascii_strcasecmp (parts[0], "PLAIN") != 0)
    {
      bad_command (self, 504, "5.5.4 Only AUTH PLAIN is offered");
      return;
    }
  if (parts[1] == NULL || parts[1][0] == '\0')
    {
      self->auth_pending = TRUE;
      reply (self, 334, "");
      return;
    }
  check_plain (self, parts[1]);
}

static void
cmd_mail (MsSmtpServerSession *self, const char *arg)
{
  char *path;

  if (self->auth_user == NULL)
    {
      bad_command (self, 530, "5.7.0 Authentication required");
      return;
    }
  path = parse_path (arg, "FROM:");
  if (path == NULL)
    {
      bad_command (self, 501, "5.5.4 Syntax: MAIL FROM:<address>");
      return;
    }
  reset_transaction (self);
  self->mail_from = path;
  reply (self, 250, "2.1.0 Sender OK");
  set_state (self, MS_SMTP_SERVER_STATE_MAIL);
}

static void
cmd_rcpt (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *path = parse_path (arg, "TO:");
  g_autofree char *local = NULL;
  MsAccount *account;
  char *at;

  if (path == NULL)
    {
      bad_command (self, 501, "5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
  if (self->recipients->len >= MS_SMTP_MAX_RECIPIENTS)
    {
      reply (self, 452, "4.5.3 Too many recipients");
      return;
    }
  /* A local account matches by its whole name or by the part before '@'. */
  account = ms_store_lookup_account (self->store, path);
  local = g_strdup (path);
  if (account == NULL && (at = strrchr (local, '@')) != NULL)
    {
      *at = '\0';
      account = ms_store_lookup_account (self->store, local);
    }
  if (account == NULL)
    {
      reply (self, 550, "5.1.1 No such user here (this server does not relay)");
      return;
    }
  if (!g_ptr_array_find (self->recipients, account, NULL))
    g_ptr_array_add (self->recipients, account);
  reply (self, 250, "2.1.5 Recipient OK");
  set_state (self, MS_SMTP_SERVER_STATE_RCPT);
}

static void
cmd_data (MsSmtpServerSession *self, const char *arg)
{
  if (arg != NULL && arg[0] != '\0')
    {
      bad_command (self, 501, "5.5.4 DATA takes no argument");
      return;
    }
  g_byte_array_set_size (self->data, 0);
  self->data_too_big = FALSE;
  reply (self, 354, "Start mail input; end with <CRLF>.<CRLF>");
  set_state (self, MS_SMTP_SERVER_STATE_DATA);
}

static void
cmd_rset (MsSmtpServerSession *self, const char *arg)
{
  reset_transaction (self);
  reply (self, 250, "2.0.0 OK");
  if (self->state == MS_SMTP_SERVER_STATE_MAIL || self->state == MS_SMTP_SERVER_STATE_RCPT)
    set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_noop (MsSmtpServerSession *self, const char *arg)
{
  reply (self, 250, "2.0.0 OK");
}

static void
cmd_quit (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *text = g_strdup_printf ("2.0.0 %s closing connection", self->hostname);

  reply (self, 221, text);
  set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
}

#define ANY_STATE (S (MS_SMTP_SERVER_STATE_GREETED) | S (MS_SMTP_SERVER_STATE_READY) | \
                   S (MS_SMTP_SERVER_STATE_MAIL) | S (MS_SMTP_SERVER_STATE_RCPT))

static const Command commands[] = {
  { "EHLO",     cmd_ehlo,     ANY_STATE },
  { "HELO",     cmd_helo,     ANY_STATE },
  { "STARTTLS", cmd_starttls, S (MS_SMTP_SERVER_STATE_READY) },
  { "AUTH",     cmd_auth,     S (MS_SMTP_SERVER_STATE_READY) },
  { "MAIL",     cmd_mail,     S (MS_SMTP_SERVER_STATE_READY) },
  { "RCPT",     cmd_rcpt,     S (MS_SMTP_SERVER_STATE_MAIL) | S (MS_SMTP_SERVER_STATE_RCPT) },
  { "DATA",     cmd_data,     S (MS_SMTP_SERVER_STATE_RCPT) },
  { "RSET",     cmd_rset,     ANY_STATE },
  { "NOOP",     cmd_noop,     ANY_STATE },
  { "QUIT",     cmd_quit,     ANY_STATE },
};

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

  reply (self, full ? 452 : 451, text);
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
        reply (self, 452, "4.2.2 Mailbox full");   /* RFC 3463: temporary, the client may retry */
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

      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "smtp", "delivered",
                                            ms_phrase_new (NC_ ("transcript", "delivered %u bytes to %s's INBOX"),
                                                           ms_phrase_uint (g_bytes_get_size (bytes)),
                                                           ms_phrase_text (ms_account_get_name (account))));
    }
  self->n_delivered++;
  return TRUE;
}

static void
data_line (MsSmtpServerSession *self,
           const char          *line,
           gsize                len)
{
  if (len == 1 && line[0] == '.')
    {
      g_autofree char *elided = g_strdup_printf ("{%u bytes}", self->data->len);

      emit (self, MS_PROTOCOL_EVENT_COMMAND, "data", elided);
      if (self->data_too_big)
        reply (self, 552, "5.3.4 Message too big");
      else if (deliver (self))
        reply (self, 250, "2.0.0 Message accepted for delivery");
      reset_transaction (self);
      set_state (self, MS_SMTP_SERVER_STATE_READY);
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

static void
command_line (MsSmtpServerSession *self,
              const char          *line,
              gsize                len)
{
  g_autofree char *text = g_utf8_make_valid (line, len);
  g_autofree char *verb = NULL;
  const char *space;
  const char *arg = NULL;

  if (self->auth_pending)
    {
      self->auth_pending = FALSE;
      emit (self, MS_PROTOCOL_EVENT_COMMAND, "AUTH", text);
      check_plain (self, text);
      return;
    }
  space = strchr (text, ' ');
  verb = g_ascii_strup (text, space ? space - text : -1);
  if (space)
    arg = space + 1;
  emit (self, MS_PROTOCOL_EVENT_COMMAND, verb, text);
  if (memchr (line, '\0', len) != NULL)
    {
      bad_command (self, 500, "5.5.2 NUL in command");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, verb) == 0)
      {
        if ((commands[i].states & S (self->state)) == 0)
          {
            bad_command (self, 503, "5.5.1 Bad sequence of commands");
            return;
          }
        commands[i].handler (self, arg);
        return;
      }
  bad_command (self, 500, "5.5.2 Command not recognized");
}

static void
process_input (MsSmtpServerSession *self)
{
  gsize pos = 0;

  while (pos < self->in->len && self->state != MS_SMTP_SERVER_STATE_CLOSED &&
         self->state != MS_SMTP_SERVER_STATE_TLS)
    {
      const char *start = (const char *) self->in->data + pos;
      const char *eol = memchr (start, '\n', self->in->len - pos);
      gboolean in_data = (self->state == MS_SMTP_SERVER_STATE_DATA);
      gsize limit = in_data ? MS_SMTP_MAX_DATA_LINE : MS_SMTP_MAX_COMMAND_LINE;
      gsize len;

      if (eol == NULL)
        {
          if (self->in->len - pos > limit)
            {
              /* Drop what we have and skip to the end of this line. */
              pos = self->in->len;
              if (!self->discarding)
                {
                  self->discarding = TRUE;
                  if (in_data)
                    self->data_too_big = TRUE;
                  else
                    bad_command (self, 500, "5.5.2 Line too long");
                }
            }
          break;
        }
      len = eol - start;
      pos += len + 1;
      if (self->discarding)
        {
          self->discarding = FALSE;
          continue;
        }
      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (len > limit)
        {
          if (in_data)
            self->data_too_big = TRUE;
          else
            bad_command (self, 500, "5.5.2 Line too long");
          continue;
        }
      if (in_data)
        data_line (self, start, len);
      else
        command_line (self, start, len);
    }
  if (self->state == MS_SMTP_SERVER_STATE_TLS || self->state == MS_SMTP_SERVER_STATE_CLOSED)
    g_byte_array_set_size (self->in, 0);
  else
    g_byte_array_remove_range (self->in, 0, MIN (pos, self->in->len));
}

/* MsServerSession */

static void
session_start (MsServerSession *session)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);
  g_autofree char *text = g_strdup_printf ("%s ESMTP Mailscope submission ready", self->hostname);

  g_return_if_fail (self->state == MS_SMTP_SERVER_STATE_CONNECTED);
  reply (self, 220, text);
  set_state (self, MS_SMTP_SERVER_STATE_GREETED);
}

static void
session_feed (MsServerSession *session,
              const guint8    *data,
              gsize            len)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  if (self->state == MS_SMTP_SERVER_STATE_CLOSED || self->state == MS_SMTP_SERVER_STATE_TLS ||
      self->state == MS_SMTP_SERVER_STATE_CONNECTED)
    return;
  g_byte_array_append (self->in, data, len);
  process_input (self);
}

static gsize
session_take_output (MsServerSession *session,
                     GByteArray      *dest)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static gboolean
session_is_finished (MsServerSession *session)
{
  return MS_SMTP_SERVER_SESSION (session)->state == MS_SMTP_SERVER_STATE_CLOSED;
}

static void
session_connection_lost (MsServerSession *session)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  /* A message whose final "." never arrived is not delivered (RFC 5321 section 4.1.1.4). */
  reset_transaction (self);
  set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
}

static guint
session_get_hold_ms (MsServerSession *session)
{
  return 0;
}

static void
session_release_hold (MsServerSession *session)
{
}

static void
session_set_tls_active (MsServerSession *session,
                        gboolean         active)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (session);

  self->tls_active = active;
  if (self->state != MS_SMTP_SERVER_STATE_TLS)
    return;
  if (!active)
    {
      set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
      return;
    }
  /* RFC 3207 section 4.2: forget everything; the client starts over with EHLO. */
  g_clear_pointer (&self->helo, g_free);
  g_clear_pointer (&self->auth_user, g_free);
  reset_transaction (self);
  set_state (self, MS_SMTP_SERVER_STATE_GREETED);
}

static gboolean
session_get_tls_active (MsServerSession *session)
{
  return MS_SMTP_SERVER_SESSION (session)->tls_active;
}

static void
ms_smtp_server_session_iface_init (MsServerSessionInterface *iface)
{
  iface->start = session_start;
  iface->feed = session_feed;
  iface->take_output = session_take_output;
  iface->is_finished = session_is_finished;
  iface->connection_lost = session_connection_lost;
  iface->get_hold_ms = session_get_hold_ms;
  iface->release_hold = session_release_hold;
  iface->set_tls_active = session_set_tls_active;
  iface->get_tls_active = session_get_tls_active;
}

static void
ms_smtp_server_session_finalize (GObject *object)
{
  MsSmtpServerSession *self = MS_SMTP_SERVER_SESSION (object);

  g_clear_object (&self->store);
  g_free (self->hostname);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_free (self->helo);
  g_free (self->auth_user);
  g_free (self->mail_from);
  g_ptr_array_unref (self->recipients);
  g_byte_array_unref (self->data);

  G_OBJECT_CLASS (ms_smtp_server_session_parent_class)->finalize (object);
}

static void
ms_smtp_server_session_class_init (MsSmtpServerSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_smtp_server_session_finalize;
}

static void
ms_smtp_server_session_init (MsSmtpServerSession *self)
{
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->recipients = g_ptr_array_new ();
  self->data = g_byte_array_new ();
}

MsSmtpServerSession *
ms_smtp_server_session_new (MsStore    *store,
                            const char *hostname,
                            gboolean    tls_available)
{
  MsSmtpServerSession *self;

  g_return_val_if_fail (MS_IS_STORE (store), NULL);

  self = g_object_new (MS_TYPE_SMTP_SERVER_SESSION, NULL);
  self->store = g_object_ref (store);
  self->hostname = g_strdup (hostname ? hostname : "mail.example.org");
  self->tls_available = tls_available;
  return self;
}

void
ms_smtp_server_session_set_now (MsSmtpServerSession *self,
                                gint64               now)
{
  g_return_if_fail (MS_IS_SMTP_SERVER_SESSION (self));
  self->now = now;
}

MsSmtpServerState
ms_smtp_server_session_get_state (MsSmtpServerSession *self)
{
  g_return_val_if_fail (MS_IS_SMTP_SERVER_SESSION (self), MS_SMTP_SERVER_STATE_CLOSED);
  return self->state;
}

guint
ms_smtp_server_session_get_n_delivered (MsSmtpServerSession *self)
{
  g_return_val_if_fail (MS_IS_SMTP_SERVER_SESSION (self), 0);
  return self->n_delivered;
}

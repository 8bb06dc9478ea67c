/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMTP commands a mail client uses (RFC 5321 and RFC 6409): EHLO,
 * HELO, STARTTLS (RFC 3207), AUTH PLAIN (RFC 4954), MAIL FROM, RCPT TO,
 * DATA, RSET, NOOP, QUIT, and the table that says where each is allowed. */
#define G_LOG_DOMAIN "ms-smtp-server"
#include "config.h"

#include <string.h>

#include "ms-smtp-server-session-private.h"

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
      ms_smtp_session_bad_command (self, 501, "5.5.4 EHLO needs a domain");
      return;
    }
  ms_smtp_session_reset_transaction (self);
  g_free (self->helo);
  self->helo = g_strdup (arg);
  self->esmtp = TRUE;
  first = g_strdup_printf ("%s greets %s", self->hostname, arg);
  ms_smtp_session_reply_line (self, 250, TRUE, first);
  ms_smtp_session_reply_line (self, 250, TRUE, "PIPELINING");
  {
    g_autofree char *size = g_strdup_printf ("SIZE %d", MS_SMTP_MAX_MESSAGE_SIZE);
    ms_smtp_session_reply_line (self, 250, TRUE, size);
  }
  ms_smtp_session_reply_line (self, 250, TRUE, "8BITMIME");
  if (self->tls_available && !self->tls_active)
    ms_smtp_session_reply_line (self, 250, TRUE, "STARTTLS");
  ms_smtp_session_reply_line (self, 250, TRUE, "ENHANCEDSTATUSCODES");
  ms_smtp_session_reply_line (self, 250, FALSE, "AUTH PLAIN");
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_helo (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *text = NULL;

  if (arg == NULL || arg[0] == '\0')
    {
      ms_smtp_session_bad_command (self, 501, "5.5.4 HELO needs a domain");
      return;
    }
  ms_smtp_session_reset_transaction (self);
  g_free (self->helo);
  self->helo = g_strdup (arg);
  self->esmtp = FALSE;
  text = g_strdup_printf ("%s", self->hostname);
  ms_smtp_session_reply (self, 250, text);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_starttls (MsSmtpServerSession *self, const char *arg)
{
  if (!self->tls_available || self->tls_active)
    {
      ms_smtp_session_bad_command (self, 502, "5.5.1 STARTTLS not available");
      return;
    }
  ms_smtp_session_reply (self, 220, "2.0.0 Ready to start TLS");
  /* Anything pipelined after STARTTLS was sent in clear and must not run. */
  g_byte_array_set_size (self->in, 0);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_TLS);
  ms_server_session_emit_tls_requested (MS_SERVER_SESSION (self));
}

void
ms_smtp_auth_plain (MsSmtpServerSession *self,
                    const char          *b64)
{
  g_autofree guchar *decoded = NULL;
  gsize len = 0;
  const char *authzid, *authcid, *password;
  MsAccount *account;

  if (strcmp (b64, "*") == 0)
    {
      ms_smtp_session_reply (self, 501, "5.7.0 Authentication cancelled");
      return;
    }
  decoded = g_base64_decode (b64, &len);
  /* authzid NUL authcid NUL password (RFC 4616) */
  if (decoded == NULL || len < 2 || memchr (decoded, '\0', len) == NULL)
    {
      ms_smtp_session_bad_command (self, 501, "5.5.2 Cannot decode the AUTH PLAIN response");
      return;
    }
  decoded = g_realloc (decoded, len + 1);
  decoded[len] = '\0';
  authzid = (const char *) decoded;
  authcid = authzid + strlen (authzid) + 1;
  if ((const guchar *) authcid >= decoded + len || (password = authcid + strlen (authcid) + 1) > (const char *) decoded + len)
    {
      ms_smtp_session_bad_command (self, 501, "5.5.2 Malformed AUTH PLAIN response");
      return;
    }
  account = ms_store_lookup_account (self->store, authcid);
  if (account == NULL || !ms_account_check_password (account, password) ||
      (authzid[0] != '\0' && strcmp (authzid, authcid) != 0))
    {
      ms_smtp_session_bad_command (self, 535, "5.7.8 Authentication credentials invalid");
      return;
    }
  self->auth_user = g_strdup (authcid);
  ms_smtp_session_reply (self, 235, "2.7.0 Authentication successful");
}

static void
cmd_auth (MsSmtpServerSession *self, const char *arg)
{
  g_auto(GStrv) parts = NULL;

  if (self->auth_user != NULL)
    {
      ms_smtp_session_bad_command (self, 503, "5.5.1 Already authenticated");
      return;
    }
  if (arg != NULL)
    parts = g_strsplit (arg, " ", 2);
  /* "AUTH " splits into no words at all. */
  if (parts == NULL || parts[0] == NULL || g_ascii_strcasecmp (parts[0], "PLAIN") != 0)
    {
      ms_smtp_session_bad_command (self, 504, "5.5.4 Only AUTH PLAIN is offered");
      return;
    }
  if (parts[1] == NULL || parts[1][0] == '\0')
    {
      self->auth_pending = TRUE;
      ms_smtp_session_reply (self, 334, "");
      return;
    }
  ms_smtp_auth_plain (self, parts[1]);
}

static void
cmd_mail (MsSmtpServerSession *self, const char *arg)
{
  char *path;

  if (self->auth_user == NULL)
    {
      ms_smtp_session_bad_command (self, 530, "5.7.0 Authentication required");
      return;
    }
  path = parse_path (arg, "FROM:");
  if (path == NULL)
    {
      ms_smtp_session_bad_command (self, 501, "5.5.4 Syntax: MAIL FROM:<address>");
      return;
    }
  ms_smtp_session_reset_transaction (self);
  self->mail_from = path;
  ms_smtp_session_reply (self, 250, "2.1.0 Sender OK");
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_MAIL);
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
      ms_smtp_session_bad_command (self, 501, "5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
  if (self->recipients->len >= MS_SMTP_MAX_RECIPIENTS)
    {
      ms_smtp_session_reply (self, 452, "4.5.3 Too many recipients");
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
      ms_smtp_session_reply (self, 550, "5.1.1 No such user here (this server does not relay)");
      return;
    }
  if (!g_ptr_array_find (self->recipients, account, NULL))
    g_ptr_array_add (self->recipients, account);
  ms_smtp_session_reply (self, 250, "2.1.5 Recipient OK");
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_RCPT);
}

static void
cmd_data (MsSmtpServerSession *self, const char *arg)
{
  if (arg != NULL && arg[0] != '\0')
    {
      ms_smtp_session_bad_command (self, 501, "5.5.4 DATA takes no argument");
      return;
    }
  g_byte_array_set_size (self->data, 0);
  self->data_too_big = FALSE;
  ms_smtp_session_reply (self, 354, "Start mail input; end with <CRLF>.<CRLF>");
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_DATA);
}

static void
cmd_rset (MsSmtpServerSession *self, const char *arg)
{
  ms_smtp_session_reset_transaction (self);
  ms_smtp_session_reply (self, 250, "2.0.0 OK");
  if (self->state == MS_SMTP_SERVER_STATE_MAIL || self->state == MS_SMTP_SERVER_STATE_RCPT)
    ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_READY);
}

static void
cmd_noop (MsSmtpServerSession *self, const char *arg)
{
  ms_smtp_session_reply (self, 250, "2.0.0 OK");
}

static void
cmd_quit (MsSmtpServerSession *self, const char *arg)
{
  g_autofree char *text = g_strdup_printf ("2.0.0 %s closing connection", self->hostname);

  ms_smtp_session_reply (self, 221, text);
  ms_smtp_session_set_state (self, MS_SMTP_SERVER_STATE_CLOSED);
}

#define ANY_STATE (MS_SMTP_IN (MS_SMTP_SERVER_STATE_GREETED) | MS_SMTP_IN (MS_SMTP_SERVER_STATE_READY) | \
                   MS_SMTP_IN (MS_SMTP_SERVER_STATE_MAIL) | MS_SMTP_IN (MS_SMTP_SERVER_STATE_RCPT))

const MsSmtpCommand ms_smtp_commands[] = {
  { "EHLO",     cmd_ehlo,     ANY_STATE },
  { "HELO",     cmd_helo,     ANY_STATE },
  { "STARTTLS", cmd_starttls, MS_SMTP_IN (MS_SMTP_SERVER_STATE_READY) },
  { "AUTH",     cmd_auth,     MS_SMTP_IN (MS_SMTP_SERVER_STATE_READY) },
  { "MAIL",     cmd_mail,     MS_SMTP_IN (MS_SMTP_SERVER_STATE_READY) },
  { "RCPT",     cmd_rcpt,     MS_SMTP_IN (MS_SMTP_SERVER_STATE_MAIL) | MS_SMTP_IN (MS_SMTP_SERVER_STATE_RCPT) },
  { "DATA",     cmd_data,     MS_SMTP_IN (MS_SMTP_SERVER_STATE_RCPT) },
  { "RSET",     cmd_rset,     ANY_STATE },
  { "NOOP",     cmd_noop,     ANY_STATE },
  { "QUIT",     cmd_quit,     ANY_STATE },
};

const guint ms_smtp_n_commands = G_N_ELEMENTS (ms_smtp_commands);

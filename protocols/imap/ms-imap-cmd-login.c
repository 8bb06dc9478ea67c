/* SPDX-License-Identifier: GPL-3.0-or-later */
/* LOGIN (RFC 3501 section 6.2.3) and AUTHENTICATE PLAIN (RFC 4616), with
 * the initial response of SASL-IR (RFC 4959). Both are refused while the
 * session requires TLS and does not have it (LOGINDISABLED), so that a
 * password never crosses a plain link. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-imap-server-session-private.h"

static gboolean
tls_missing (MsImapServerSession *self,
             MsImapCommand       *cmd)
{
  if (!self->require_tls || self->tls_active)
    return FALSE;
  ms_imap_session_done (self, cmd, "NO", "[PRIVACYREQUIRED] Use STARTTLS first.");
  return TRUE;
}

static void
try_login (MsImapServerSession *self,
           MsImapCommand       *cmd,
           const char          *user,
           const char          *password)
{
  MsAccount *account = ms_store_lookup_account (self->store, user);

  if (account == NULL || !ms_account_check_password (account, password))
    {
      ms_imap_session_notice (self, NC_ ("transcript", "login-failed"), user);
      self->hold_ms = MS_IMAP_FAILED_LOGIN_HOLD_MS;
      ms_imap_session_done (self, cmd, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
      return;
    }
  if (!ms_account_open_session (account))
    {
      ms_imap_session_notice (self, NC_ ("transcript", "too-many-sessions"), user);
      ms_imap_session_done (self, cmd, "NO", "[LIMIT] Too many sessions for %s; log out of one first.", user);
      return;
    }
  g_set_object (&self->account, account);
  ms_imap_session_notice (self, NC_ ("transcript", "login"), user);
  ms_imap_session_set_state (self, MS_IMAP_STATE_AUTHENTICATED);
  {
    g_autofree char *caps = ms_imap_session_capabilities (self);

    ms_imap_session_done (self, cmd, "OK", "[CAPABILITY %s] Logged in.", caps);
  }
}

void
ms_imap_cmd_login (MsImapServerSession *self,
                   MsImapCommand       *cmd,
                   gboolean             uid)
{
  const MsImapArg *user, *password;

  if (cmd->args->len != 2)
    {
      ms_imap_session_bad (self, cmd, "LOGIN needs a user name and a password.");
      return;
    }
  user = g_ptr_array_index (cmd->args, 0);
  password = g_ptr_array_index (cmd->args, 1);
  if (!ms_imap_arg_is_string (user) || !ms_imap_arg_is_string (password))
    {
      ms_imap_session_bad (self, cmd, "LOGIN needs a user name and a password.");
      return;
    }
  if (tls_missing (self, cmd))
    return;
  try_login (self, cmd, user->str, password->str);
}

/* RFC 4616: [authzid] NUL authcid NUL passwd. */
static void
plain_answer (MsImapServerSession *self,
              MsImapCommand       *cmd,
              const char          *base64)
{
  g_autofree guchar *data = NULL;
  gsize len = 0;
  const char *authzid, *authcid, *passwd;
  const char *end;

  if (strcmp (base64, "=") != 0)
    {
      for (const char *p = base64; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          {
            ms_imap_session_bad (self, cmd, "Invalid base64 data.");
            return;
          }
      data = g_base64_decode (base64, &len);
    }
  if (data == NULL || len == 0)
    {
      ms_imap_session_bad (self, cmd, "Invalid PLAIN answer.");
      return;
    }
  authzid = (const char *) data;
  end = authzid + len;
  authcid = memchr (authzid, '\0', len);
  if (authcid == NULL || ++authcid >= end)
    {
      ms_imap_session_bad (self, cmd, "Invalid PLAIN answer.");
      return;
    }
  passwd = memchr (authcid, '\0', end - authcid);
  if (passwd == NULL)
    {
      ms_imap_session_bad (self, cmd, "Invalid PLAIN answer.");
      return;
    }
  passwd++;
  {
    g_autofree char *pw = g_strndup (passwd, end - passwd);

    if (strlen (pw) != (gsize) (end - passwd) ||
        (authzid[0] != '\0' && strcmp (authzid, authcid) != 0))
      {
        ms_imap_session_done (self, cmd, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
        return;
      }
    try_login (self, cmd, authcid, pw);
  }
}

void
ms_imap_cmd_authenticate (MsImapServerSession *self,
                          MsImapCommand       *cmd,
                          gboolean             uid)
{
  const MsImapArg *mech = cmd->args->len > 0 ? g_ptr_array_index (cmd->args, 0) : NULL;
  const MsImapArg *ir = cmd->args->len > 1 ? g_ptr_array_index (cmd->args, 1) : NULL;

  if (mech == NULL || mech->type != MS_IMAP_ARG_ATOM || cmd->args->len > 2 ||
      (ir != NULL && ir->type != MS_IMAP_ARG_ATOM))
    {
      ms_imap_session_bad (self, cmd, "AUTHENTICATE needs a mechanism.");
      return;
    }
  if (g_ascii_strcasecmp (mech->str, "PLAIN") != 0)
    {
      ms_imap_session_done (self, cmd, "NO", "Unsupported authentication mechanism.");
      return;
    }
  if (tls_missing (self, cmd))
    return;
  if (ir != NULL)
    {
      plain_answer (self, cmd, ir->str);
      return;
    }
  /* Wait for the answer line; the command is kept until it arrives. */
  g_clear_pointer (&self->pending, ms_imap_command_free);
  self->pending = g_new0 (MsImapCommand, 1);
  self->pending->tag = g_strdup (cmd->tag);
  self->pending->name = g_strdup (cmd->name);
  self->mode = MS_IMAP_INPUT_AUTHENTICATE;
  ms_imap_session_continuation (self, "");
}

void
ms_imap_cmd_authenticate_answer (MsImapServerSession *self,
                                 const char          *line,
                                 const char          *refusal)
{
  g_autoptr(MsImapCommand) cmd = g_steal_pointer (&self->pending);

  g_assert (cmd != NULL);
  /* RFC 9051 section 6.2.2: an answer the server cannot decode ends the
   * exchange with BAD; it is not a failed login. */
  if (refusal != NULL)
    {
      ms_imap_session_bad (self, cmd, refusal);
      return;
    }
  if (strcmp (line, "*") == 0)
    {
      ms_imap_session_bad (self, cmd, "Authentication cancelled.");
      return;
    }
  plain_answer (self, cmd, line);
}

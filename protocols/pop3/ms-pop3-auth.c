/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AUTHORIZATION state: USER/PASS and APOP (RFC 1939 section 7), AUTH
 * PLAIN (RFC 5034, RFC 4616), STLS (RFC 2595), and what a successful login
 * does: take the maildrop lock and the snapshot of the INBOX. */
#define G_LOG_DOMAIN "ms-pop3"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ms-limits.h"
#include "ms-pop3-server-session-private.h"

static gboolean
plaintext_refused (MsPop3ServerSession *self)
{
  if (!self->require_tls || self->tls_active)
    return FALSE;
  ms_pop3_session_reply (self, FALSE, "[AUTH] Plain-text login is not allowed before TLS; "
                         "send STLS first so the password is encrypted");
  return TRUE;
}

/* A failed login: the -ERR is kept back for a delay that doubles with each
 * failure, so guessing passwords is slow while other sessions go on. */
static void
login_failed (MsPop3ServerSession *self,
              const char          *user,
              const char          *why)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", user ? user : "(no user)", why);
  guint shift = MIN (self->auth_failures, 16u);

  self->auth_failures++;
  self->hold_ms = MIN (MS_LIMIT_POP3_AUTH_DELAY_MS << shift, MS_LIMIT_POP3_AUTH_DELAY_MAX_MS);
  ms_pop3_session_notice (self, NC_ ("transcript", "login-failed"), text);

  g_free (self->held_response);
  if (self->auth_failures >= MS_LIMIT_POP3_AUTH_FAILURES)
    self->held_response = g_strdup ("-ERR [AUTH] Authentication failed; too many failures, closing the connection");
  else
    self->held_response = g_strdup ("-ERR [AUTH] Authentication failed");
}

static void
enter_transaction (MsPop3ServerSession *self,
                   MsAccount           *account)
{
  guint64 octets = 0;
  guint n;

  if (!ms_account_lock_maildrop (account, self))
    {
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "pop3", NC_ ("transcript", "in-use"),
                                            ms_phrase_new (NC_ ("transcript", "%s: the maildrop is locked by "
                                                                "another POP3 session"),
                                                           ms_phrase_text (ms_account_get_name (account))));
      ms_pop3_session_reply (self, FALSE, "[IN-USE] The maildrop of %s is locked by another POP3 session; "
                             "try again when it has quit", ms_account_get_name (account));
      return;
    }

  if (!ms_account_open_session (account))
    {
      ms_account_unlock_maildrop (account, self);
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "pop3", NC_ ("transcript", "in-use"),
                                            ms_phrase_new (NC_ ("transcript", "%s: too many sessions"),
                                                           ms_phrase_text (ms_account_get_name (account))));
      ms_pop3_session_reply (self, FALSE, "[IN-USE] Too many sessions for %s; try again when one has ended",
                             ms_account_get_name (account));
      return;
    }
  self->account = g_object_ref (account);
  self->inbox = g_object_ref (ms_account_get_inbox (account));
  self->uidvalidity = ms_mailbox_get_uidvalidity (self->inbox);
  g_free (self->user);
  self->user = g_strdup (ms_account_get_name (account));

  /* The snapshot: message numbers mean the same thing until QUIT, whatever
   * arrives meanwhile (RFC 1939 section 8 lets the server choose this). */
  n = ms_mailbox_get_n_messages (self->inbox);
  self->messages = g_ptr_array_new_full (n, (GDestroyNotify) ms_message_unref);
  self->deleted = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), n);
  g_array_set_size (self->deleted, n);
  for (guint i = 0; i < n; i++)
    {
      MsMessage *message = ms_mailbox_get_message (self->inbox, i);

      g_ptr_array_add (self->messages, ms_message_ref (message));
      octets += ms_message_get_size (message);
    }

  ms_pop3_session_set_state (self, MS_POP3_STATE_TRANSACTION);
  ms_pop3_session_notice (self, NC_ ("transcript", "login"), self->user);
  g_object_notify (G_OBJECT (self), "user");
  ms_pop3_session_reply (self, TRUE, "Logged in as %s: %u message%s (%" G_GUINT64_FORMAT " octets)",
                         self->user, n, n == 1 ? "" : "s", octets);
}

static void
login (MsPop3ServerSession *self,
       const char          *user,
       const char          *password)
{
  MsAccount *account = ms_store_lookup_account (self->store, user);

  /* The same answer for an unknown user and a wrong password, so that the
   * server does not tell which names exist. */
  if (account == NULL || !ms_account_check_password (account, password))
    {
      login_failed (self, user, account == NULL ? "no such user" : "wrong password");
      return;
    }
  enter_transaction (self, account);
}

void
ms_pop3_session_logout (MsPop3ServerSession *self)
{
  if (self->account != NULL)
    {
      ms_account_unlock_maildrop (self->account, self);
      ms_account_close_session (self->account);
    }
  g_clear_object (&self->account);
  g_clear_object (&self->inbox);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->deleted, g_array_unref);
}

static void
cmd_user (MsPop3ServerSession *self,
          const char          *args)
{
  if (plaintext_refused (self))
    return;
  if (args[0] == '\0')
    {
      ms_pop3_session_bad_command (self, "USER needs a name: USER <name>");
      return;
    }
  g_free (self->pending_user);
  self->pending_user = g_strdup (args);
  /* RFC 1939 allows -ERR for an unknown name, but that tells an attacker
   * which names exist; the verdict comes after PASS. */
  if (ms_pop3_is_printable_ascii (args))
    ms_pop3_session_reply (self, TRUE, "Send PASS with the password of %s", args);
  else
    ms_pop3_session_reply (self, TRUE, "Send PASS with the password");
}

static void
cmd_pass (MsPop3ServerSession *self,
          const char          *args)
{
  g_autofree char *user = g_steal_pointer (&self->pending_user);

  if (plaintext_refused (self))
    return;
  if (user == NULL)
    {
      ms_pop3_session_bad_command (self, "PASS must come right after USER");
      return;
    }
  /* The password is the rest of the line: it may contain spaces. */
  login (self, user, args);
}

static void
cmd_apop (MsPop3ServerSession *self,
          const char          *args)
{
  const char *space = strchr (args, ' ');
  g_autofree char *user = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *input = NULL;
  g_autofree char *expected = NULL;
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t md_len = 0;
  MsAccount *account;

  if (plaintext_refused (self))
    return;
  if (space == NULL || space == args || strlen (space + 1) != 32)
    {
      ms_pop3_session_bad_command (self, "APOP needs a name and a 32-digit MD5 digest: APOP <name> <digest>");
      return;
    }
  user = g_strndup (args, (gsize) (space - args));
  digest = g_ascii_strdown (space + 1, -1);

  account = ms_store_lookup_account (self->store, user);
  if (account == NULL)
    {
      login_failed (self, user, "no such user");
      return;
    }

  /* RFC 1939 section 7: MD5 of the greeting's timestamp followed by the
   * shared secret, in lower-case hex. */
  input = g_strconcat (self->apop_timestamp, ms_account_get_password (account), NULL);
  if (!EVP_Q_digest (NULL, "MD5", NULL, input, strlen (input), md, &md_len) || md_len != 16)
    {
      ms_pop3_session_reply (self, FALSE, "[SYS/TEMP] MD5 is not available on this server; use USER/PASS");
      return;
    }
  expected = g_malloc (33);
  for (size_t i = 0; i < 16; i++)
    g_snprintf (expected + 2 * i, 3, "%02x", md[i]);

  if (CRYPTO_memcmp (expected, digest, 32) != 0)
    {
      login_failed (self, user, "wrong APOP digest");
      return;
    }
  enter_transaction (self, account);
}

static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          /* Padding only at the very end, at most two. */
          if (i < len - 2)
            return FALSE;
          pad++;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }
  return TRUE;
}

/* The PLAIN response (RFC 4616): authzid NUL authcid NUL password. */
static void
auth_plain (MsPop3ServerSession *self,
            const char          *response)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *authzid = NULL;
  g_autofree char *authcid = NULL;
  g_autofree char *password = NULL;
  const guchar *nul1, *nul2, *end;
  gsize len = 0;

  /* RFC 5034 section 4: "=" is an initial response of zero length. */
  if (strcmp (response, "=") != 0)
    {
      if (!is_base64 (response))
        {
          ms_pop3_session_bad_command (self, "The AUTH PLAIN response is not valid base64");
          return;
        }
      if (response[0] != '\0')
        decoded = g_base64_decode (response, &len);
    }

  /* An empty response leaves decoded NULL, and NULL + 0 is undefined. */
  end = decoded ? decoded + len : NULL;
  nul1 = decoded ? memchr (decoded, '\0', len) : NULL;
  nul2 = nul1 ? memchr (nul1 + 1, '\0', (gsize) (end - nul1 - 1)) : NULL;
  if (nul2 == NULL || memchr (nul2 + 1, '\0', (gsize) (end - nul2 - 1)) != NULL)
    {
      ms_pop3_session_bad_command (self, "The AUTH PLAIN response must be authzid NUL user NUL password");
      return;
    }
  authzid = g_strndup ((const char *) decoded, (gsize) (nul1 - decoded));
  authcid = g_strndup ((const char *) nul1 + 1, (gsize) (nul2 - nul1 - 1));
  password = g_strndup ((const char *) nul2 + 1, (gsize) (end - nul2 - 1));
  if (decoded != NULL)
    memset (decoded, 0, len);

  /* Logging in as someone else (a non-empty, different authzid) is an
   * administrator's feature this server does not offer. */
  if (authzid[0] != '\0' && strcmp (authzid, authcid) != 0)
    {
      login_failed (self, authcid, "acting as another user is not allowed");
      return;
    }
  login (self, authcid, password);
  memset (password, 0, strlen (password));
}

void
ms_pop3_auth_continue (MsPop3ServerSession *self,
                       const char          *line)
{
  self->in_auth_plain = FALSE;
  if (strcmp (line, "*") == 0)
    {
      /* RFC 5034 section 4: a cancelled exchange is answered with -ERR. */
      ms_pop3_session_reply (self, FALSE, "Authentication cancelled");
      return;
    }
  auth_plain (self, line);
}

static void
cmd_auth (MsPop3ServerSession *self,
          const char          *args)
{
  const char *space = strchr (args, ' ');
  g_autofree char *mechanism = g_strndup (args, space ? (gsize) (space - args) : strlen (args));

  if (args[0] == '\0')
    {
      /* Not in RFC 5034, but older clients ask this way which mechanisms exist. */
      ms_pop3_session_reply (self, TRUE, "Mechanisms follow");
      ms_pop3_session_data_line (self, "PLAIN");
      ms_pop3_session_end_data (self);
      return;
    }
  if (g_ascii_strcasecmp (mechanism, "PLAIN") != 0)
    {
      /* Echoed when it could be a mechanism name: printable ASCII of at
       * most 20 characters (RFC 4422 section 3.1). */
      if (ms_pop3_is_printable_ascii (mechanism) && strlen (mechanism) <= 20)
        ms_pop3_session_bad_command (self, "Unsupported authentication mechanism %s; this server offers PLAIN",
                                     mechanism);
      else
        ms_pop3_session_bad_command (self, "Unsupported authentication mechanism; this server offers PLAIN");
      return;
    }
  if (plaintext_refused (self))
    return;
  if (space != NULL)
    {
      auth_plain (self, space + 1);
      return;
    }
  self->in_auth_plain = TRUE;
  ms_pop3_session_continue (self);
}

static void
cmd_stls (MsPop3ServerSession *self,
          const char          *args)
{
  if (!self->tls_available)
    {
      ms_pop3_session_reply (self, FALSE, "STLS is not offered here: the server has no TLS certificate");
      return;
    }
  if (self->tls_active)
    {
      ms_pop3_session_bad_command (self, "TLS is already active");
      return;
    }
  ms_pop3_session_reply (self, TRUE, "Begin TLS negotiation");
  /* Whatever followed STLS in the same packet was sent before TLS and may
   * have been injected by a man in the middle (CVE-2011-0411): drop it. */
  g_byte_array_set_size (self->input, 0);
  g_clear_pointer (&self->pending_user, g_free);
  ms_server_session_emit_tls_requested (MS_SERVER_SESSION (self));
}

const MsPop3Command ms_pop3_auth_commands[] = {
  { "USER", cmd_user, MS_POP3_IN_AUTHORIZATION },
  { "PASS", cmd_pass, MS_POP3_IN_AUTHORIZATION },
  { "APOP", cmd_apop, MS_POP3_IN_AUTHORIZATION },
  { "AUTH", cmd_auth, MS_POP3_IN_AUTHORIZATION },
  { "STLS", cmd_stls, MS_POP3_IN_AUTHORIZATION },
};
const guint ms_pop3_n_auth_commands = G_N_ELEMENTS (ms_pop3_auth_commands);

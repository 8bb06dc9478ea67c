/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `mailscope serve`: the in-process servers on real TCP, headless.
 *
 * Every protocol is one row of serve_protocols: its option, its default
 * address and the factory that makes a session for each connection. A row
 * without a factory is parsed but refused with a clear message until its
 * session exists. With no listener option, every available protocol listens
 * on its default address; with any, only those given do (so that tests can
 * start one protocol on port 0 without colliding on the others' defaults). */
#define G_LOG_DOMAIN "mailscope-serve"
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "ms-commands.h"
#include "ms-data-path.h"
#include "ms-imap-server-session.h"
#include "ms-limits.h"
#include "ms-listener.h"
#include "ms-pop3-server-session.h"
#include "ms-protocol-event.h"
#include "ms-store-loader.h"
#include "ms-store-state.h"
#include "ms-store.h"
#include "ms-tls-certificate.h"
#include "ms-tls-context.h"
#include "ms-tls-record-parser.h"

typedef struct _Serve Serve;

typedef struct {
  const char              *name;             /* the option and the key of the ready line */
  const char              *label;            /* for messages */
  const char              *default_address;
  gboolean                 implicit_tls;
  MsServerSession       *(*factory)         (Serve *serve);
  const char              *refusal;          /* to a client over the connection limit */
} ServeProtocol;

struct _Serve
{
  MsStore      *store;
  MsStoreState *state;
  GMainLoop    *loop;
  GPtrArray    *listeners;   /* MsListener */
  FILE         *transcript;
  gboolean      transcript_failing;  /* the last write failed; said once on stderr */
  gboolean      require_tls;
  gboolean      allow_plaintext;  /* plaintext logins on non-loopback listeners too */
  MsTlsContext *tls_context;  /* NULL: no TLS (no certificate could be had) */
  int           exit_status;
  char         *addresses[4];  /* per serve_protocols row, from the options */
  guint         max_sessions;  /* logged-in sessions per account */
};

static MsServerSession *
serve_new_pop3 (Serve *serve)
{
  MsPop3ServerSession *session = ms_pop3_server_session_new (serve->store, g_get_host_name ());

  g_object_set (session, "require-tls", serve->require_tls, NULL);
  return MS_SERVER_SESSION (session);
}

static MsServerSession *
serve_new_imap (Serve *serve)
{
  MsImapServerSession *session = ms_imap_server_session_new (serve->store);

  g_object_set (session, "require-tls", serve->require_tls, NULL);
  return MS_SERVER_SESSION (session);
}

static const ServeProtocol serve_protocols[] = {
  /* The refusals: RFC 3206 section 4 SYS/TEMP (try again later) for POP3,
   * an untagged BYE for IMAP (RFC 3501 section 7.1.5). */
  { "pop3",  "POP3",             "127.0.0.1:1110", FALSE, serve_new_pop3,
    "-ERR [SYS/TEMP] too many connections\r\n" },
  { "imap",  "IMAP",             "127.0.0.1:1143", FALSE, serve_new_imap,
    "* BYE Too many connections\r\n" },
  { "pop3s", N_("POP3 over TLS"),    "127.0.0.1:1995", TRUE,  serve_new_pop3, NULL },
  { "imaps", N_("IMAP over TLS"),    "127.0.0.1:1993", TRUE,  serve_new_imap, NULL },
};

/* Passwords never reach stderr or the transcript file: PASS keeps only its
 * keyword, AUTH its mechanism, LOGIN its user name, and a line that answers
 * an AUTH challenge is hidden whole. */
static char *
mask_secret (const MsProtocolEvent *event)
{
  const char *text = event->text ? event->text : "";
  g_auto(GStrv) words = NULL;
  const char *name = event->name ? event->name : "";
  guint keep = 0;

  if (g_ascii_strcasecmp (name, "PASS") == 0)
    keep = 1;
  else if (g_ascii_strcasecmp (name, "AUTH") == 0 || g_ascii_strcasecmp (name, "AUTHENTICATE") == 0)
    keep = 2;
  else if (g_ascii_strcasecmp (name, "LOGIN") == 0)
    keep = 2;
  else
    return g_strdup (text);

  /* An IMAP line starts with its tag: keep that too. */
  if (event->tag != NULL && g_str_has_prefix (text, event->tag))
    keep++;

  words = g_strsplit (text, " ", -1);
  if (g_strv_length (words) <= 1 && g_ascii_strcasecmp (name, "PASS") != 0)
    {
      /* "AUTH" alone lists mechanisms; a bare word after AUTH is a
       * response to a challenge. */
      return g_ascii_strcasecmp (text, name) == 0 ? g_strdup (text) : g_strdup ("****");
    }
  if (g_strv_length (words) <= keep)
    return g_strdup (text);
  {
    GString *masked = g_string_new (NULL);

    for (guint i = 0; i < keep; i++)
      g_string_append_printf (masked, "%s ", words[i]);
    g_string_append (masked, "****");
    return g_string_free (masked, FALSE);
  }
}

/* A transcript that cannot be written (a full disk, a file past the size
 * limit, /dev/full) lost lines silently while the person relied on it.
 * Serving goes on, as with a failing --state: one line on stderr when
 * writing starts failing and one when it works again. The failed line is
 * lost; stdio's error flag is cleared so that the next line is tried. */
static void
flush_transcript (Serve *serve)
{
  gboolean failed = fflush (serve->transcript) != 0 || ferror (serve->transcript);
  int saved = errno;

  if (failed)
    clearerr (serve->transcript);
  if (failed && !serve->transcript_failing)
    g_printerr ("transcript: cannot write (%s); lines are lost until it works again\n", g_strerror (saved));
  else if (!failed && serve->transcript_failing)
    g_printerr ("transcript: writing works again\n");
  serve->transcript_failing = failed;
}

static void
write_transcript (Serve                 *serve,
                  MsConnection          *connection,
                  const MsProtocolEvent *event)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *line = NULL;
  const char *direction;

  switch (event->kind)
    {
    case MS_PROTOCOL_EVENT_COMMAND:
      direction = "C:";
      line = mask_secret (event);
      break;
    case MS_PROTOCOL_EVENT_RESPONSE:
      direction = "S:";
      line = g_strdup (event->text ? event->text : "");
      break;
    case MS_PROTOCOL_EVENT_STATE:
      direction = "==";
      line = g_strdup_printf ("state %s -> %s", event->text ? event->text : "(start)", event->name);
      break;
    case MS_PROTOCOL_EVENT_NOTICE:
    default:
      direction = "**";
      line = g_strdup_printf ("%s: %s", event->name ? event->name : "notice", event->text ? event->text : "");
      break;
    }
  fprintf (serve->transcript, "%s.%03dZ #%u %s %s %s\n", stamp, g_date_time_get_microsecond (now) / 1000,
           ms_connection_get_id (connection), ms_connection_get_protocol (connection), direction, line);
  flush_transcript (serve);
}

/* The connection log on stderr stays English in every locale, like the
 * transcript file: it is a log that scripts and the interop tests grep
 * ("login alice"), not a message to the person at the terminal. */
static void
on_protocol_event (MsServerSession       *session,
                   const MsProtocolEvent *event,
                   MsConnection          *connection)
{
  Serve *serve = g_object_get_data (G_OBJECT (connection), "serve");

  if (event->kind == MS_PROTOCOL_EVENT_NOTICE && g_strcmp0 (event->name, "login") == 0)
    g_printerr ("%s #%u: login %s\n", ms_connection_get_protocol (connection),
                ms_connection_get_id (connection), event->text ? event->text : "");
  else if (event->kind == MS_PROTOCOL_EVENT_NOTICE && g_strcmp0 (event->name, "login-failed") == 0)
    g_printerr ("%s #%u: login failed (%s)\n", ms_connection_get_protocol (connection),
                ms_connection_get_id (connection), event->text ? event->text : "");

  if (serve->transcript != NULL)
    write_transcript (serve, connection, event);
}

/* What an eavesdropper sees, beside what the endpoints see: one line per
 * TLS record ("C~" from the client, "S~" from the server). */
static void
on_tls_record (MsConnection      *connection,
               gboolean           from_client,
               const MsTlsRecord *record,
               Serve             *serve)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *text = NULL;

  if (serve->transcript == NULL)
    return;
  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  text = ms_tls_record_describe (record);
  fprintf (serve->transcript, "%s.%03dZ #%u %s %s tls %s\n", stamp, g_date_time_get_microsecond (now) / 1000,
           ms_connection_get_id (connection), ms_connection_get_protocol (connection),
           from_client ? "C~" : "S~", text);
  flush_transcript (serve);
}

static void
on_tls_established (MsConnection *connection,
                    Serve        *serve)
{
  MsTlsFilter *filter = ms_connection_get_tls_filter (connection);

  g_printerr ("%s #%u: TLS %s %s\n", ms_connection_get_protocol (connection), ms_connection_get_id (connection),
              ms_tls_filter_get_version_name (filter), ms_tls_filter_get_cipher_name (filter));
}

/* A failed TLS handshake closes the connection like a client that went
 * away, but the person at the terminal needs the reason: a mail program
 * that does not trust the self-signed certificate (alert bad certificate
 * or unknown ca), one that only speaks TLS 1.1, plain text sent to an
 * implicit-TLS port. Dovecot logs these the same way. */
static void
on_connection_closed (MsConnection *connection,
                      int           reason,
                      Serve        *serve)
{
  MsTlsFilter *filter = ms_connection_get_tls_filter (connection);
  const GError *tls_error = filter != NULL ? ms_tls_filter_get_error (filter) : NULL;

  if (reason == MS_CONNECTION_CLOSED_LOST && tls_error != NULL)
    g_printerr ("%s #%u: disconnect (%s)\n", ms_connection_get_protocol (connection),
                ms_connection_get_id (connection), tls_error->message);
  else
    g_printerr ("%s #%u: disconnect (%s)\n", ms_connection_get_protocol (connection),
                ms_connection_get_id (connection),
                ms_connection_close_reason_to_string ((MsConnectionCloseReason) reason));
}

static void
on_connection_opened (MsListener   *listener,
                      MsConnection *connection,
                      Serve        *serve)
{
  g_printerr ("%s #%u: connect from %s\n", ms_connection_get_protocol (connection),
              ms_connection_get_id (connection), ms_connection_get_peer (connection));
  g_object_set_data (G_OBJECT (connection), "serve", serve);
  /* Without --transcript only the notices are printed: listening to those
   * alone spares the session describing every response line. */
  g_signal_connect_object (ms_connection_get_session (connection),
                           serve->transcript != NULL ? "protocol-event" : "protocol-event::notice",
                           G_CALLBACK (on_protocol_event), connection, 0);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), serve);
  g_signal_connect (connection, "tls-record", G_CALLBACK (on_tls_record), serve);
  g_signal_connect (connection, "tls-established", G_CALLBACK (on_tls_established), serve);
  /* Off loopback a password in plain text crosses a real network: the
   * session refuses it until TLS is up (POP3 -ERR [AUTH], IMAP
   * LOGINDISABLED) unless --allow-plaintext. */
  if (!ms_listener_is_loopback (listener) && !serve->allow_plaintext)
    g_object_set (ms_connection_get_session (connection), "require-tls", TRUE, NULL);
  /* Every session that can do STLS/STARTTLS offers it when we have a
   * certificate; on the implicit-TLS ports it is refused as "already on". */
  if (serve->tls_context != NULL)
    {
      MsServerSession *session = ms_connection_get_session (connection);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (session), "tls-available") != NULL)
        g_object_set (session, "tls-available", TRUE, NULL);
    }
}

static void
on_connection_refused (MsListener *listener,
                       const char *host,
                       const char *reason,
                       Serve      *serve)
{
  if (host != NULL)
    g_printerr ("%s: refused a connection from %s: %s\n", ms_listener_get_protocol (listener), host, reason);
  else
    g_printerr ("%s: cannot accept connections: %s; trying again in 1 s\n", ms_listener_get_protocol (listener),
                reason);
}

static void
on_connection_delayed (MsListener   *listener,
                       MsConnection *connection,
                       guint         delay_ms,
                       Serve        *serve)
{
  g_printerr ("%s #%u: greeting delayed %u ms after failed logins from %s\n", ms_listener_get_protocol (listener),
              ms_connection_get_id (connection), delay_ms, ms_connection_get_peer (connection));
}

/* One line when saving changes to --state starts failing (a full disk)
 * and one when it works again; the clients get the errors meanwhile. */
static void
on_persist_changed (MsStore *store,
                    Serve   *serve)
{
  const GError *error = ms_store_get_persist_error (store);

  if (error != NULL)
    g_printerr ("state: cannot save changes (%s); refusing changes until it works again\n", error->message);
  else
    g_printerr ("state: saving changes works again\n");
}

/* Every open connection holds a file descriptor, and the usual soft limit
 * (1024) is below what four listeners of 1000 connections need. Like
 * Dovecot, serve raises its soft limit as far as the hard limit allows; if
 * that is still too low it says so once, and past it new clients are
 * refused (see ms-listen-socket.h) while the open sessions go on. */
static void
raise_file_limit (guint n_listeners,
                  guint max_connections)
{
  struct rlimit limit;
  rlim_t wanted = (rlim_t) n_listeners * max_connections + MS_LIMIT_SPARE_FILE_DESCRIPTORS;
  rlim_t target;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted)
    return;
  target = limit.rlim_max == RLIM_INFINITY ? wanted : MIN (wanted, limit.rlim_max);
  if (target > limit.rlim_cur)
    {
      limit.rlim_cur = target;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur < wanted)
    g_printerr ("mailscope serve: at most %lu open files (ulimit -n); %u listeners of %u connections "
                "need %lu, so clients past that are refused\n", (unsigned long) limit.rlim_cur,
                n_listeners, max_connections, (unsigned long) wanted);
}

/* The server's TLS identity: --cert/--key, else the self-signed certificate
 * kept in the user data folder (made on first use). Without --cert, a
 * folder we cannot write is not fatal unless TLS was asked for. */
static gboolean
setup_tls (Serve       *serve,
           const char  *cert,
           const char  *key,
           gboolean     needed,
           GError     **error)
{
  g_autofree char *made_cert = NULL;
  g_autofree char *made_key = NULL;
  g_autoptr(GError) local_error = NULL;

  if (cert != NULL)
    {
      serve->tls_context = ms_tls_context_new_server (cert, key, error);
      return serve->tls_context != NULL;
    }
  if (ms_tls_certificate_ensure (NULL, &made_cert, &made_key, &local_error))
    serve->tls_context = ms_tls_context_new_server (made_cert, made_key, &local_error);
  if (serve->tls_context != NULL)
    return TRUE;
  if (needed)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_printerr (_("mailscope serve: no TLS: %s\n"), local_error->message);
  return TRUE;
}

static gboolean
on_signal (gpointer user_data)
{
  Serve *serve = user_data;

  g_printerr (_("mailscope serve: stopping\n"));
  for (guint i = 0; i < serve->listeners->len; i++)
    ms_listener_stop (g_ptr_array_index (serve->listeners, i));
  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
add_users (Serve       *serve,
           char       **users,
           GError     **error)
{
  static const char *const default_users[] = { "alice:wonderland", NULL };
  const char *const *list = users && users[0] ? (const char *const *) users : default_users;

  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *colon = strchr (list[i], ':');
      g_autofree char *name = NULL;
      MsAccount *account;

      if (colon == NULL || colon == list[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--user wants NAME:PASSWORD, not “%s”"), list[i]);
          return FALSE;
        }
      name = g_strndup (list[i], (gsize) (colon - list[i]));
      account = ms_store_add_account (serve->store, name, colon + 1, error);
      if (account == NULL)
        return FALSE;
      ms_account_set_max_sessions (account, serve->max_sessions);
    }
  return TRUE;
}

static gboolean
load_mail (Serve       *serve,
           const char  *mail,
           GError     **error)
{
  g_autofree char *path = mail ? g_strdup (mail) : ms_data_path ("mail/sample");
  GPtrArray *accounts;

  if (path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("the sample mailbox (mail/sample) was not found; give --mail PATH"));
      return FALSE;
    }
  accounts = ms_store_list_accounts (serve->store);
  for (guint i = 0; i < accounts->len; i++)
    if (!ms_store_loader_load (ms_account_get_inbox (g_ptr_array_index (accounts, i)), path, error))
      return FALSE;
  return TRUE;
}

static void
serve_clear (Serve *serve)
{
  for (guint i = 0; i < G_N_ELEMENTS (serve->addresses); i++)
    g_clear_pointer (&serve->addresses[i], g_free);
  g_clear_pointer (&serve->listeners, g_ptr_array_unref);
  g_clear_object (&serve->state);
  g_clear_object (&serve->tls_context);
  g_clear_object (&serve->store);
  g_clear_pointer (&serve->loop, g_main_loop_unref);
  if (serve->transcript != NULL)
    fclose (serve->transcript);
  serve->transcript = NULL;
}

static int
fail (Serve      *serve,
      const char *message)
{
  g_printerr (_("mailscope serve: %s\n"), message);
  serve_clear (serve);
  return 2;
}

int
ms_command_serve (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ready = g_string_new ("ready");
  g_autofree char *mail = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) users = NULL;
  gboolean require_tls = FALSE;
  gboolean allow_plaintext = FALSE;
  int max_connections = MS_LIMIT_LISTENER_CONNECTIONS;
  int max_sessions = MS_LIMIT_ACCOUNT_SESSIONS;
  int login_timeout = MS_LIMIT_LOGIN_TIMEOUT_S;
  int idle_timeout = 0;
  gboolean any_given = FALSE;
  Serve serve = { 0 };
  GOptionEntry entries[G_N_ELEMENTS (serve_protocols) + 14];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (serve_protocols); i++)
    entries[n++] = (GOptionEntry) { serve_protocols[i].name, 0, 0, G_OPTION_ARG_STRING, &serve.addresses[i],
                                    serve_protocols[i].label, N_("ADDR:PORT") };
  entries[n++] = (GOptionEntry) { "mail", 0, 0, G_OPTION_ARG_FILENAME, &mail,
                                  N_("A folder of .eml files, an mbox or a Maildir (default: the sample mailbox)"), N_("PATH") };
  entries[n++] = (GOptionEntry) { "user", 0, 0, G_OPTION_ARG_STRING_ARRAY, &users,
                                  N_("An account; repeatable (default: alice:wonderland)"), N_("NAME:PASSWORD") };
  entries[n++] = (GOptionEntry) { "require-tls", 0, 0, G_OPTION_ARG_NONE, &require_tls,
                                  N_("Refuse logins before TLS"), NULL };
  entries[n++] = (GOptionEntry) { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
                                  N_("Allow logins without TLS on a non-loopback address"), NULL };
  entries[n++] = (GOptionEntry) { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
                                  N_("Open connections per listener (default 1000)"), N_("N") };
  entries[n++] = (GOptionEntry) { "max-sessions", 0, 0, G_OPTION_ARG_INT, &max_sessions,
                                  N_("Logged-in sessions per account (default 100)"), N_("N") };
  entries[n++] = (GOptionEntry) { "login-timeout", 0, 0, G_OPTION_ARG_INT, &login_timeout,
                                  N_("Close a connection silent this long before login (default 60)"), N_("SECONDS") };
  entries[n++] = (GOptionEntry) { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
                                  N_("Close a logged-in session silent this long (default 1800 IMAP, 600 POP3)"),
                                  N_("SECONDS") };
  entries[n++] = (GOptionEntry) { "state", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
                                  N_("Keep the mailboxes in DIR across restarts"), N_("DIR") };
  entries[n++] = (GOptionEntry) { "transcript", 0, 0, G_OPTION_ARG_FILENAME, &transcript,
                                  N_("Append every command and response to FILE (passwords masked)"), N_("FILE") };
  entries[n++] = (GOptionEntry) { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert,
                                  N_("TLS certificate (PEM)"), N_("FILE") };
  entries[n++] = (GOptionEntry) { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
                                  N_("TLS private key (PEM)"), N_("FILE") };
  entries[n++] = (GOptionEntry) { NULL };
  g_assert (n <= G_N_ELEMENTS (entries));
  G_STATIC_ASSERT (G_N_ELEMENTS (serve_protocols) == G_N_ELEMENTS (serve.addresses));

  context = g_option_context_new (N_("- run the POP3 and IMAP servers headless"));
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* The usage line ("SCENARIO - …") is translated by the context's
   * domain, the entries by the group's. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      return fail (&serve, error->message);
    }

  serve.exit_status = 0;
  serve.require_tls = require_tls;
  serve.allow_plaintext = allow_plaintext;
  serve.store = ms_store_new ();
  serve.listeners = g_ptr_array_new_with_free_func (g_object_unref);

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”; try --help"), argv[1]);
      return fail (&serve, message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (serve_protocols); i++)
    any_given |= serve.addresses[i] != NULL;

  /* Everything that can be refused is refused before anything listens. */
  {
    g_autofree char *message = NULL;

    if ((cert == NULL) != (key == NULL))
      message = g_strdup (_("--cert and --key go together"));
    else if (max_connections < 1)
      message = g_strdup (_("--max-connections wants a positive number"));
    else if (max_sessions < 1)
      message = g_strdup (_("--max-sessions wants a positive number"));
    else if (login_timeout < 1 || idle_timeout < 0)
      message = g_strdup (_("--login-timeout and --idle-timeout want a positive number of seconds"));
    for (guint i = 0; message == NULL && i < G_N_ELEMENTS (serve_protocols); i++)
      if (serve.addresses[i] != NULL && serve_protocols[i].factory == NULL)
        message = g_strdup_printf (_("%s (--%s) is not available in this build"),
                                   _(serve_protocols[i].label), serve_protocols[i].name);
    if (message != NULL)
      {
        return fail (&serve, message);
      }
  }

  /* UIDVALIDITY from the clock: a restart without --state numbers the
   * messages afresh, and a new UIDVALIDITY (so new UIDL values) tells every
   * client so. --state restores the saved counter instead. */
  ms_store_set_uidvalidity_base (serve.store, (guint32) (g_get_real_time () / G_USEC_PER_SEC));

  serve.max_sessions = (guint) max_sessions;
  if (!add_users (&serve, users, &error) || !load_mail (&serve, mail, &error))
    {
      return fail (&serve, error->message);
    }
  if (state_dir != NULL && (serve.state = ms_store_state_new (serve.store, state_dir, &error)) == NULL)
    {
      return fail (&serve, error->message);
    }
  g_signal_connect (serve.store, "persist-changed", G_CALLBACK (on_persist_changed), &serve);
  {
    gboolean needed = cert != NULL || require_tls;

    for (guint i = 0; i < G_N_ELEMENTS (serve_protocols); i++)
      needed |= serve_protocols[i].implicit_tls && serve.addresses[i] != NULL;
    if (!setup_tls (&serve, cert, key, needed, &error))
      {
        g_autofree char *message = g_strdup_printf ("TLS: %s", error->message);
        return fail (&serve, message);
      }
  }
  if (transcript != NULL)
    {
      serve.transcript = fopen (transcript, "a");
      if (serve.transcript == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("cannot open the transcript “%s”: %s"),
                                                      transcript, g_strerror (errno));
          return fail (&serve, message);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (serve_protocols); i++)
    {
      const ServeProtocol *protocol = &serve_protocols[i];
      const char *address = serve.addresses[i];
      g_autoptr(MsListener) listener = NULL;
      g_autofree char *bound = NULL;

      if (protocol->factory == NULL || (address == NULL && any_given))
        continue;
      if (protocol->implicit_tls && serve.tls_context == NULL)
        continue;
      if (address == NULL)
        address = protocol->default_address;

      listener = ms_listener_new (protocol->name, (MsServerSessionFactory) protocol->factory, &serve);
      ms_listener_set_max_connections (listener, (guint) max_connections, protocol->refusal);
      /* Below the RFC minimums only when asked for (tests do). */
      ms_listener_set_timeouts (listener, (guint) login_timeout,
                                idle_timeout > 0 ? (guint) idle_timeout
                                : protocol->factory == serve_new_pop3 ? MS_LIMIT_POP3_IDLE_TIMEOUT_S
                                : MS_LIMIT_IMAP_IDLE_TIMEOUT_S);
      if (serve.tls_context != NULL)
        ms_listener_set_tls (listener, serve.tls_context, protocol->implicit_tls);
      bound = ms_listener_listen (listener, address, &error);
      if (bound == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("cannot listen for %s on %s: %s"),
                                                      _(protocol->label), address, error->message);
          return fail (&serve, message);
        }
      g_signal_connect (listener, "connection-opened", G_CALLBACK (on_connection_opened), &serve);
      g_signal_connect (listener, "connection-refused", G_CALLBACK (on_connection_refused), &serve);
      g_signal_connect (listener, "connection-delayed", G_CALLBACK (on_connection_delayed), &serve);
      if (!ms_listener_is_loopback (listener))
        g_printerr (_("mailscope serve: %s listens on %s, which is not loopback: %s\n"), _(protocol->label), bound,
                    allow_plaintext ? _("plaintext logins are allowed (--allow-plaintext)")
                                    : _("logins need TLS first (--allow-plaintext to allow them without)"));
      g_ptr_array_add (serve.listeners, g_steal_pointer (&listener));
      g_string_append_printf (ready, " %s=%s", protocol->name, bound);
    }

  raise_file_limit (serve.listeners->len, (guint) max_connections);
  serve.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, &serve);
  g_unix_signal_add (SIGTERM, on_signal, &serve);
  /* A client that vanishes mid-write must not kill the server. */
  signal (SIGPIPE, SIG_IGN);

  printf ("%s\n", ready->str);
  fflush (stdout);

  g_main_loop_run (serve.loop);

  /* Let the closing sockets finish their last callbacks. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  serve_clear (&serve);
  return serve.exit_status;
}

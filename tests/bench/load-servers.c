/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Load: N real connections to a running `mailscope serve` for a fixed time,
 * a mix of IMAP sessions that fetch, search and store, IMAP sessions that
 * sit in IDLE, and POP3 sessions (each on its own account, because a POP3
 * maildrop is locked to one session at a time). Counts every unexpected
 * answer or disconnect, and samples the server's RSS once a second so the
 * caller can see memory stay bounded. Loops are bounded by the deadline. */
#define G_LOG_DOMAIN "load-servers"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-wire.h"

static char *host = "127.0.0.1";
static int imap_port = 1143;
static int pop3_port = 1110;
static int connections = 200;
static int seconds = 60;
static int server_pid = 0;
static int pop3_accounts = 20;
static char *password = "load";

static const GOptionEntry entries[] = {
  { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Server address", "ADDR" },
  { "imap-port", 0, 0, G_OPTION_ARG_INT, &imap_port, "IMAP port", "PORT" },
  { "pop3-port", 0, 0, G_OPTION_ARG_INT, &pop3_port, "POP3 port", "PORT" },
  { "connections", 0, 0, G_OPTION_ARG_INT, &connections, "Concurrent connections", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "How long to run", "S" },
  { "server-pid", 0, 0, G_OPTION_ARG_INT, &server_pid, "Sample this process's RSS", "PID" },
  { "pop3-accounts", 0, 0, G_OPTION_ARG_INT, &pop3_accounts, "POP3 users load1..loadN share password --password", "N" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &password, "Password of the load accounts", "PW" },
  { NULL }
};

typedef struct
{
  int     index;
  gint64  deadline;
  guint   sessions;
  guint   commands;
  guint   pushes;      /* untagged FETCH/EXISTS/EXPUNGE received in IDLE */
  guint   errors;
  char   *first_error;
} Worker;

static void
worker_error (Worker     *worker,
              const char *what)
{
  worker->errors++;
  if (worker->first_error == NULL)
    worker->first_error = g_strdup (what);
}

static gboolean
imap_ok (Worker     *worker,
         BenchConn  *conn,
         const char *command)
{
  g_autofree char *status = NULL;

  worker->commands++;
  if (bench_imap_command (conn, command, NULL, &status))
    return TRUE;
  worker_error (worker, status ? status : command);
  return FALSE;
}

static void
imap_session (Worker   *worker,
              gboolean  idle)
{
  BenchConn *conn = bench_conn_open (host, imap_port);
  g_autofree char *greeting = bench_conn_read_line (conn);
  /* Workers 4k+1 (IDLE) and 4k+2, 4k+3 (STORE) share an account, so that
   * the IDLE sessions are pushed the flag changes the others make. */
  g_autofree char *login = g_strdup_printf ("LOGIN load%d %s", worker->index / 4 % pop3_accounts + 1, password);

  if (greeting == NULL || strncmp (greeting, "* OK", 4) != 0)
    {
      g_autofree char *what = g_strdup_printf ("IMAP greeting: %s", greeting ? greeting : "(none)");

      worker_error (worker, what);
    }
  else if (imap_ok (worker, conn, login) && imap_ok (worker, conn, "SELECT INBOX"))
    {
      if (idle)
        {
          g_autofree char *cont = NULL;

          bench_conn_send (conn, "i IDLE\r\n");
          /* Updates made by the other sessions since SELECT may come first
           * (an untagged response may come before the "+"). */
          while ((cont = bench_conn_read_line (conn)) != NULL && cont[0] == '*')
            g_clear_pointer (&cont, g_free);
          if (cont == NULL || cont[0] != '+')
            worker_error (worker, "IDLE refused");
          else
            {
              /* Sit in IDLE for a few seconds, reading any push, then DONE. */
              gint64 until = MIN (worker->deadline, g_get_monotonic_time () + 5 * G_USEC_PER_SEC);

              while (g_get_monotonic_time () < until)
                if (bench_conn_readable (conn, 200))
                  {
                    g_autofree char *push = bench_conn_read_line (conn);

                    if (push == NULL)
                      {
                        worker_error (worker, "closed in IDLE");
                        break;
                      }
                    if (push[0] == '*')
                      worker->pushes++;
                  }
              bench_conn_send (conn, "DONE\r\n");
              for (;;)
                {
                  g_autofree char *line = bench_conn_read_line (conn);

                  if (line == NULL)
                    {
                      worker_error (worker, "closed after DONE");
                      break;
                    }
                  if (g_str_has_prefix (line, "i "))
                    {
                      if (!g_str_has_prefix (line, "i OK"))
                        worker_error (worker, line);
                      break;
                    }
                }
            }
        }
      else
        {
          imap_ok (worker, conn, "UID FETCH 1:* (FLAGS)");
          imap_ok (worker, conn, "FETCH 1:5 (ENVELOPE BODYSTRUCTURE)");
          imap_ok (worker, conn, "FETCH 1 BODY.PEEK[]");
          imap_ok (worker, conn, "UID SEARCH TEXT lunch");
          imap_ok (worker, conn, "STORE 1 +FLAGS (\\Flagged)");
          imap_ok (worker, conn, "STORE 1 -FLAGS (\\Flagged)");
          imap_ok (worker, conn, "NOOP");
        }
      imap_ok (worker, conn, "LOGOUT");
    }
  bench_conn_close (conn);
  worker->sessions++;
}

static void
pop3_session (Worker *worker)
{
  BenchConn *conn = bench_conn_open (host, pop3_port);
  g_autofree char *greeting = bench_conn_read_line (conn);
  g_autofree char *user = g_strdup_printf ("USER load%d\r\n", worker->index / 4 % pop3_accounts + 1);
  g_autofree char *pass = g_strdup_printf ("PASS %s\r\n", password);
  char *line;

  if (greeting == NULL || greeting[0] != '+')
    {
      worker_error (worker, "no POP3 greeting");
      bench_conn_close (conn);
      return;
    }
  bench_conn_send (conn, user);
  g_free (bench_conn_read_line (conn));
  bench_conn_send (conn, pass);
  line = bench_conn_read_line (conn);
  worker->commands += 2;
  /* Another worker may hold this maildrop: [IN-USE] is the right answer then. */
  if (line != NULL && line[0] == '+')
    {
      g_free (line);
      bench_conn_send (conn, "UIDL\r\n");
      line = bench_conn_read_line (conn);
      if (line && line[0] == '+')
        bench_pop3_read_multi (conn);
      else
        worker_error (worker, "UIDL failed");
      g_free (line);
      bench_conn_send (conn, "RETR 1\r\n");
      line = bench_conn_read_line (conn);
      if (line && line[0] == '+')
        bench_pop3_read_multi (conn);
      else
        worker_error (worker, "RETR 1 failed");
      g_free (line);
      worker->commands += 2;
    }
  else if (line == NULL || strstr (line, "[IN-USE]") == NULL)
    worker_error (worker, line ? line : "closed at PASS");
  else
    g_free (line), line = NULL;
  bench_conn_send (conn, "QUIT\r\n");
  g_free (bench_conn_read_line (conn));
  bench_conn_close (conn);
  worker->sessions++;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  while (g_get_monotonic_time () < worker->deadline)
    {
      switch (worker->index % 4)
        {
        case 0:
          pop3_session (worker);
          break;
        case 1:
          imap_session (worker, TRUE);
          break;
        default:
          imap_session (worker, FALSE);
          break;
        }
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- load a running mailscope serve");
  g_autoptr(GError) error = NULL;
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;
  guint64 rss_first = 0, rss_max = 0, rss_last = 0;
  guint sessions = 0, commands = 0, pushes = 0, errors = 0;
  gint64 deadline;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || connections < 1 || seconds < 1)
    {
      g_printerr ("load-servers: %s\n", error ? error->message : "bad arguments");
      return 2;
    }

  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  workers = g_new0 (Worker, connections);
  threads = g_new0 (GThread *, connections);
  for (int i = 0; i < connections; i++)
    {
      workers[i].index = i;
      workers[i].deadline = deadline;
      threads[i] = g_thread_new ("load", worker_main, &workers[i]);
    }

  while (g_get_monotonic_time () < deadline)
    {
      g_usleep (G_USEC_PER_SEC);
      if (server_pid > 0)
        {
          rss_last = bench_process_rss_kb (server_pid);
          if (rss_first == 0)
            rss_first = rss_last;
          rss_max = MAX (rss_max, rss_last);
        }
    }

  for (int i = 0; i < connections; i++)
    {
      g_thread_join (threads[i]);
      sessions += workers[i].sessions;
      commands += workers[i].commands;
      pushes += workers[i].pushes;
      errors += workers[i].errors;
      if (workers[i].first_error)
        g_printerr ("worker %d: %u errors, first: %s\n", i, workers[i].errors, workers[i].first_error);
      g_free (workers[i].first_error);
    }

  printf ("connections %d\nseconds %d\nsessions %u\ncommands %u\nidle_pushes %u\nerrors %u\n"
          "rss_first_kb %" G_GUINT64_FORMAT "\nrss_max_kb %" G_GUINT64_FORMAT "\nrss_last_kb %" G_GUINT64_FORMAT "\n",
          connections, seconds, sessions, commands, pushes, errors, rss_first, rss_max, rss_last);
  return errors == 0 ? 0 : 1;
}

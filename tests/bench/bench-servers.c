/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Times one IMAP and POP3 server with a fixed list of operations, the same
 * for Mailscope and Dovecot (build-aux/bench runs it against both). Prints
 * one tab-separated line per operation: name, median milliseconds over the
 * runs, bytes received, and MB/s. Not a test: figures, no verdicts. */
#define G_LOG_DOMAIN "bench-servers"
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-wire.h"

static char *host = "127.0.0.1";
static int imap_port = 1143;
static int pop3_port = 1110;
static char *user = "alice";
static char *password = "wonderland";
static int runs = 5;
static char *rare_word = NULL;
static char *common_word = NULL;
static int big_uid = 0;
static int idle_sessions = 0;
static int push_sessions = 0;
static gboolean skip_pop3 = FALSE;
static char *only_ops = NULL;

static const GOptionEntry entries[] = {
  { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Server address", "ADDR" },
  { "imap-port", 0, 0, G_OPTION_ARG_INT, &imap_port, "IMAP port", "PORT" },
  { "pop3-port", 0, 0, G_OPTION_ARG_INT, &pop3_port, "POP3 port", "PORT" },
  { "user", 0, 0, G_OPTION_ARG_STRING, &user, "User name", "NAME" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &password, "Password", "PASSWORD" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per operation (the median is printed)", "N" },
  { "rare-word", 0, 0, G_OPTION_ARG_STRING, &rare_word, "A word in few message bodies", "WORD" },
  { "common-word", 0, 0, G_OPTION_ARG_STRING, &common_word, "A word in many message bodies", "WORD" },
  { "big-uid", 0, 0, G_OPTION_ARG_INT, &big_uid, "UID of a large message for BODY.PEEK[]", "UID" },
  { "idle-sessions", 0, 0, G_OPTION_ARG_INT, &idle_sessions, "Open N idle IMAP sessions, print IDLE-READY, wait for a line on stdin", "N" },
  { "push-sessions", 0, 0, G_OPTION_ARG_INT, &push_sessions, "Measure IDLE push latency to N sessions", "N" },
  { "skip-pop3", 0, 0, G_OPTION_ARG_NONE, &skip_pop3, "Do not run the POP3 operations", NULL },
  { "only", 0, 0, G_OPTION_ARG_STRING, &only_ops, "Run only these IMAP operations (comma-separated names)", "NAMES" },
  { NULL }
};

typedef struct
{
  const char *name;
  const char *command;   /* IMAP command after login + SELECT, or NULL for the special ones */
} ImapOp;

static void
print_row (const char *name,
           double     *ms,
           guint64     bytes)
{
  double m = bench_median (ms, runs);

  printf ("%s\t%.3f\t%" G_GUINT64_FORMAT "\t%.1f\n", name, m, bytes,
          m > 0 ? bytes / (m / 1000.0) / 1e6 : 0.0);
  fflush (stdout);
}

static BenchConn *
imap_login (gboolean select_inbox)
{
  BenchConn *conn = bench_conn_open (host, imap_port);
  g_autofree char *greeting = bench_conn_read_line (conn);
  g_autofree char *login = g_strdup_printf ("LOGIN \"%s\" \"%s\"", user, password);

  if (greeting == NULL || !bench_imap_command (conn, login, NULL, NULL))
    g_error ("IMAP login failed on port %d", imap_port);
  if (select_inbox && !bench_imap_command (conn, "SELECT INBOX", NULL, NULL))
    g_error ("SELECT INBOX failed");
  return conn;
}

static void
run_imap_ops (void)
{
  g_autofree char *rare = g_strdup_printf ("UID SEARCH BODY \"%s\"", rare_word ? rare_word : "zyzzyva");
  g_autofree char *common = g_strdup_printf ("UID SEARCH BODY \"%s\"", common_word ? common_word : "the");
  g_autofree char *big = g_strdup_printf ("UID FETCH %d BODY.PEEK[]", big_uid > 0 ? big_uid : 1);
  const ImapOp ops[] = {
    { "imap-login", NULL },
    { "imap-select", NULL },
    { "uid-fetch-all-flags", "UID FETCH 1:* (FLAGS)" },
    { "fetch-200-envelope-bodystructure", "FETCH 1:200 (ENVELOPE BODYSTRUCTURE)" },
    { "uid-search-body-rare", rare },
    { "uid-search-body-common", common },
    { "uid-search-unseen", "UID SEARCH UNSEEN" },
    { "uid-fetch-big-body-peek", big },
    { "store-all-seen", "STORE 1:* +FLAGS.SILENT (\\Seen)" },
  };

  g_auto(GStrv) only = only_ops ? g_strsplit (only_ops, ",", -1) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree double *ms = NULL;
      guint64 bytes = 0;

      if (only != NULL && !g_strv_contains ((const char * const *) only, ops[i].name))
        continue;
      ms = g_new0 (double, runs);

      for (int r = 0; r < runs; r++)
        {
          BenchConn *conn;
          gint64 start;

          if (strcmp (ops[i].name, "imap-login") == 0)
            {
              start = bench_now_us ();
              conn = imap_login (FALSE);
              ms[r] = (bench_now_us () - start) / 1000.0;
            }
          else if (strcmp (ops[i].name, "imap-select") == 0)
            {
              conn = imap_login (FALSE);
              start = bench_now_us ();
              if (!bench_imap_command (conn, "SELECT INBOX", NULL, NULL))
                g_error ("SELECT failed");
              ms[r] = (bench_now_us () - start) / 1000.0;
            }
          else
            {
              guint64 before;

              conn = imap_login (TRUE);
              before = conn->bytes_in;
              start = bench_now_us ();
              if (!bench_imap_command (conn, ops[i].command, NULL, NULL))
                g_error ("%s failed", ops[i].command);
              ms[r] = (bench_now_us () - start) / 1000.0;
              bytes = conn->bytes_in - before;
              /* Undo the flag change so every run starts from the same state. */
              if (strncmp (ops[i].command, "STORE", 5) == 0)
                bench_imap_command (conn, "STORE 1:* -FLAGS.SILENT (\\Seen)", NULL, NULL);
            }
          bench_imap_command (conn, "LOGOUT", NULL, NULL);
          bench_conn_close (conn);
        }
      print_row (ops[i].name, ms, bytes);
    }
}

static void
run_pop3_ops (void)
{
  g_autofree double *uidl_ms = g_new0 (double, runs);
  g_autofree double *retr_ms = g_new0 (double, runs);
  guint64 uidl_bytes = 0, retr_bytes = 0;

  for (int r = 0; r < runs; r++)
    {
      BenchConn *conn = bench_conn_open (host, pop3_port);
      g_autofree char *greeting = bench_conn_read_line (conn);
      g_autofree char *cmd = NULL;
      char *line;
      guint64 before;
      gsize n_messages;
      gint64 start;

      cmd = g_strdup_printf ("USER %s\r\n", user);
      bench_conn_send (conn, cmd);
      g_free (bench_conn_read_line (conn));
      g_free (cmd);
      cmd = g_strdup_printf ("PASS %s\r\n", password);
      bench_conn_send (conn, cmd);
      line = bench_conn_read_line (conn);
      if (line == NULL || line[0] != '+')
        g_error ("POP3 login failed: %s", line ? line : "(closed)");
      g_free (line);

      before = conn->bytes_in;
      start = bench_now_us ();
      bench_conn_send (conn, "UIDL\r\n");
      g_free (bench_conn_read_line (conn));
      n_messages = bench_pop3_read_multi (conn);
      uidl_ms[r] = (bench_now_us () - start) / 1000.0;
      uidl_bytes = conn->bytes_in - before;

      /* Pipelined RETR of everything (RFC 2449 PIPELINING), as fetchmail does. */
      before = conn->bytes_in;
      start = bench_now_us ();
      for (gsize i = 1; i <= n_messages; i++)
        {
          g_autofree char *retr = g_strdup_printf ("RETR %" G_GSIZE_FORMAT "\r\n", i);

          bench_conn_send (conn, retr);
          line = bench_conn_read_line (conn);
          if (line == NULL || line[0] != '+')
            g_error ("RETR %" G_GSIZE_FORMAT " failed", i);
          g_free (line);
          bench_pop3_read_multi (conn);
        }
      retr_ms[r] = (bench_now_us () - start) / 1000.0;
      retr_bytes = conn->bytes_in - before;
      bench_conn_send (conn, "RSET\r\nQUIT\r\n");
      g_free (bench_conn_read_line (conn));
      g_free (bench_conn_read_line (conn));
      bench_conn_close (conn);
    }
  print_row ("pop3-uidl", uidl_ms, uidl_bytes);
  print_row ("pop3-retr-all", retr_ms, retr_bytes);
}

static void
run_idle_sessions (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_conn_close);
  char buf[16];

  for (int i = 0; i < idle_sessions; i++)
    {
      BenchConn *conn = imap_login (TRUE);
      char *line;

      bench_conn_send (conn, "i IDLE\r\n");
      line = bench_conn_read_line (conn);
      if (line == NULL || line[0] != '+')
        g_error ("IDLE refused: %s", line ? line : "(closed)");
      g_free (line);
      g_ptr_array_add (conns, conn);
    }
  printf ("IDLE-READY %d\n", idle_sessions);
  fflush (stdout);
  if (fgets (buf, sizeof buf, stdin) == NULL)
    return;
}

static void
run_push_latency (void)
{
  g_autofree double *median_ms = g_new0 (double, runs);
  g_autofree double *max_ms = g_new0 (double, runs);
  const char *message = "From: bench@example.org\r\nSubject: push\r\n\r\nNew mail.\r\n";

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_conn_close);
      g_autofree double *latency = g_new0 (double, push_sessions);
      BenchConn *sender = imap_login (FALSE);
      g_autofree char *append = NULL;
      gint64 start;
      int waiting = push_sessions;

      for (int i = 0; i < push_sessions; i++)
        {
          BenchConn *conn = imap_login (TRUE);

          bench_conn_send (conn, "i IDLE\r\n");
          g_free (bench_conn_read_line (conn));
          g_ptr_array_add (conns, conn);
        }

      append = g_strdup_printf ("APPEND INBOX {%zu+}\r\n%s", strlen (message), message);
      start = bench_now_us ();
      bench_imap_command (sender, append, NULL, NULL);
      while (waiting > 0)
        {
          gboolean progress = FALSE;

          for (int i = 0; i < push_sessions; i++)
            {
              BenchConn *conn = g_ptr_array_index (conns, i);

              if (latency[i] > 0 || !bench_conn_readable (conn, 0))
                continue;
              for (;;)
                {
                  g_autofree char *line = bench_conn_read_line (conn);

                  if (line == NULL)
                    g_error ("IDLE session closed");
                  if (g_str_has_suffix (line, "EXISTS"))
                    {
                      latency[i] = (bench_now_us () - start) / 1000.0;
                      waiting--;
                      progress = TRUE;
                      break;
                    }
                  if (!bench_conn_readable (conn, 0))
                    break;
                }
            }
          /* 60 s: Dovecot falls back to looking every 30 s
           * (mailbox_idle_check_interval) when it cannot get an inotify
           * instance (128 per user by default, shared by every Dovecot of
           * that user on the machine). */
          if (!progress && bench_now_us () - start > 60 * G_USEC_PER_SEC)
            g_error ("%d sessions got no EXISTS within 60 s", waiting);
          /* Sleep in poll() until some session has input, instead of
           * spinning: a busy client would take a core from the server. */
          if (!progress && waiting > 0)
            {
              g_autofree struct pollfd *fds = g_new0 (struct pollfd, push_sessions);
              int n = 0;

              for (int i = 0; i < push_sessions; i++)
                if (latency[i] <= 0)
                  {
                    fds[n].fd = ((BenchConn *) g_ptr_array_index (conns, i))->fd;
                    fds[n++].events = POLLIN;
                  }
              poll (fds, n, 100);
            }
        }
      median_ms[r] = bench_median (latency, push_sessions);
      max_ms[r] = latency[push_sessions - 1];
      for (int i = 0; i < push_sessions; i++)
        {
          BenchConn *conn = g_ptr_array_index (conns, i);

          bench_conn_send (conn, "DONE\r\n");
        }
      /* Remove the pushed message so the mailbox stays as it was. */
      bench_imap_command (sender, "SELECT INBOX", NULL, NULL);
      bench_imap_command (sender, "STORE * +FLAGS.SILENT (\\Deleted)", NULL, NULL);
      bench_imap_command (sender, "EXPUNGE", NULL, NULL);
      bench_imap_command (sender, "LOGOUT", NULL, NULL);
      bench_conn_close (sender);
    }
  printf ("idle-push-median-%d\t%.3f\t0\t0\n", push_sessions, bench_median (median_ms, runs));
  printf ("idle-push-max-%d\t%.3f\t0\t0\n", push_sessions, bench_median (max_ms, runs));
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- time an IMAP and POP3 server");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-servers: %s\n", error->message);
      return 2;
    }
  if (runs < 1)
    runs = 1;

  if (idle_sessions > 0)
    run_idle_sessions ();
  else if (push_sessions > 0)
    run_push_latency ();
  else
    {
      run_imap_ops ();
      if (!skip_pop3)
        run_pop3_ops ();
    }
  return 0;
}

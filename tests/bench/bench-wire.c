/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-wire"
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench-wire.h"

BenchConn *
bench_conn_open (const char *host,
                 int         port)
{
  struct sockaddr_in addr = { 0 };
  BenchConn *conn;
  int one = 1;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    g_error ("socket: %s", g_strerror (errno));
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  if (inet_pton (AF_INET, host, &addr.sin_addr) != 1)
    g_error ("bad address %s", host);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("connect %s:%d: %s", host, port, g_strerror (errno));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  {
    /* A server that stops answering must show up as an error, not a hang;
     * two minutes, since a loaded machine can leave a server unscheduled
     * for many seconds. */
    struct timeval timeout = { 120, 0 };

    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  conn = g_new0 (BenchConn, 1);
  conn->fd = fd;
  conn->in = g_string_sized_new (65536);
  return conn;
}

void
bench_conn_close (BenchConn *conn)
{
  if (conn == NULL)
    return;
  close (conn->fd);
  g_string_free (conn->in, TRUE);
  g_free (conn);
}

void
bench_conn_send (BenchConn  *conn,
                 const char *text)
{
  gsize len = strlen (text), done = 0;

  while (done < len)
    {
      ssize_t n = write (conn->fd, text + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("write: %s", g_strerror (errno));
      done += n;
    }
}

/* Reads what the server has sent. The consumed prefix is dropped here, once
 * per read, not once per line: erasing each line from the front of the
 * buffer made the client itself the bottleneck of POP3 RETR (a memmove of
 * up to 256 KiB per line). */
static gboolean
fill (BenchConn *conn)
{
  char buf[262144];
  ssize_t n;

  if (conn->pos > 0)
    {
      g_string_erase (conn->in, 0, conn->pos);
      conn->pos = 0;
    }
  do
    n = read (conn->fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  g_string_append_len (conn->in, buf, n);
  conn->bytes_in += n;
  return TRUE;
}

/* The next line, in place (valid until the next read); NULL on EOF. */
static const char *
next_line (BenchConn *conn,
           gsize     *len)
{
  for (;;)
    {
      const char *start = conn->in->str + conn->pos;
      const char *eol = memchr (start, '\n', conn->in->len - conn->pos);

      if (eol != NULL)
        {
          *len = eol - start;
          conn->pos += *len + 1;
          if (*len > 0 && eol[-1] == '\r')
            (*len)--;
          return start;
        }
      if (!fill (conn))
        return NULL;
    }
}

char *
bench_conn_read_line (BenchConn *conn)
{
  gsize len;
  const char *line = next_line (conn, &len);

  return line != NULL ? g_strndup (line, len) : NULL;
}

gboolean
bench_conn_skip (BenchConn *conn,
                 gsize      len)
{
  while (conn->in->len - conn->pos < len)
    {
      len -= conn->in->len - conn->pos;
      conn->pos = conn->in->len;
      if (!fill (conn))
        return FALSE;
    }
  conn->pos += len;
  return TRUE;
}

static gboolean
literal_size (const char *line,
              gsize      *size)
{
  gsize len = strlen (line);
  const char *open;

  if (len < 3 || line[len - 1] != '}')
    return FALSE;
  open = strrchr (line, '{');
  if (open == NULL)
    return FALSE;
  *size = g_ascii_strtoull (open + 1, NULL, 10);
  return TRUE;
}

gboolean
bench_imap_command (BenchConn  *conn,
                    const char *command,
                    GString    *untagged,
                    char      **status)
{
  g_autofree char *tag = g_strdup_printf ("b%u", ++conn->tag);
  g_autofree char *text = g_strdup_printf ("%s %s\r\n", tag, command);
  gsize tag_len = strlen (tag);

  bench_conn_send (conn, text);
  for (;;)
    {
      g_autofree char *line = bench_conn_read_line (conn);
      gsize size;

      if (line == NULL)
        {
          g_printerr ("no answer (closed or 120 s silence) during: %s\n", command);
          return FALSE;
        }
      if (strncmp (line, tag, tag_len) == 0 && line[tag_len] == ' ')
        {
          gboolean ok = strncmp (line + tag_len + 1, "OK", 2) == 0;

          if (status)
            *status = g_steal_pointer (&line);
          return ok;
        }
      if (untagged)
        {
          g_string_append (untagged, line);
          g_string_append_c (untagged, '\n');
        }
      /* A literal may be followed by more of the same response line; the
       * loop simply reads that as the next line. */
      if (literal_size (line, &size) && !bench_conn_skip (conn, size))
        g_error ("connection closed inside a literal");
    }
}

gsize
bench_pop3_read_multi (BenchConn *conn)
{
  gsize lines = 0;

  for (;;)
    {
      gsize len;
      const char *line = next_line (conn, &len);

      if (line == NULL)
        g_error ("connection closed in a POP3 multi-line answer");
      if (len == 1 && line[0] == '.')
        return lines;
      lines++;
    }
}

gboolean
bench_conn_readable (BenchConn *conn,
                     int        timeout_ms)
{
  struct pollfd pfd = { conn->fd, POLLIN, 0 };

  if (conn->in->len > conn->pos)
    return TRUE;
  return poll (&pfd, 1, timeout_ms) > 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (double *values,
              gsize   n)
{
  qsort (values, n, sizeof *values, compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double
bench_percentile (double *values,
                  gsize   n,
                  double  percentile)
{
  if (n == 0)
    return 0;
  qsort (values, n, sizeof *values, compare_double);
  return values[MIN ((gsize) (percentile / 100.0 * n), n - 1)];
}

gint64
bench_now_us (void)
{
  return g_get_monotonic_time ();
}

guint64
bench_process_rss_kb (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *contents = NULL;
  const char *vmrss;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  vmrss = strstr (contents, "VmRSS:");
  return vmrss ? g_ascii_strtoull (vmrss + 6, NULL, 10) : 0;
}

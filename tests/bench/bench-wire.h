/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A deliberately plain blocking IMAP/POP3 client for the benchmarks: the same
 * code talks to Mailscope and to Dovecot, so only the servers differ. */
#pragma once

#include <glib.h>

typedef struct
{
  int     fd;
  GString *in;        /* bytes read; those from pos on are not consumed yet */
  gsize    pos;
  guint64  bytes_in;  /* everything read from the server so far */
  guint    tag;
} BenchConn;

BenchConn *bench_conn_open       (const char *host,
                                  int         port);
void       bench_conn_close      (BenchConn  *conn);
void       bench_conn_send       (BenchConn  *conn,
                                  const char *text);
/* Reads one line (without CRLF); NULL on EOF. */
char      *bench_conn_read_line  (BenchConn  *conn);
/* Reads exactly len bytes into a discarded buffer (IMAP literals, POP3 data). */
gboolean   bench_conn_skip       (BenchConn  *conn,
                                  gsize       len);
/* Sends "tagN command", reads every response up to the tagged one, skipping
 * literals. Returns TRUE on a tagged OK; the tagged line in *status. */
gboolean   bench_imap_command    (BenchConn  *conn,
                                  const char *command,
                                  GString    *untagged,
                                  char      **status);
/* Reads a POP3 multi-line answer up to ".": returns the number of lines. */
gsize      bench_pop3_read_multi (BenchConn  *conn);
gboolean   bench_conn_readable   (BenchConn  *conn,
                                  int         timeout_ms);
gint64     bench_now_us          (void);
guint64    bench_process_rss_kb  (int         pid);
/* Sorts @values (n > 0) in place and returns their median. */
double     bench_median          (double     *values,
                                  gsize       n);
/* Sorts @values in place and returns the value at @percentile (0 to 100);
 * 0 when n is 0. */
double     bench_percentile      (double     *values,
                                  gsize       n,
                                  double      percentile);

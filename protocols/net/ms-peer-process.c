/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How: the kernel lists every TCP socket in /proc/net/tcp (and tcp6) with
 * its two ends and an inode; the client's socket is the one whose local
 * port is the client's port and whose remote port is ours. Each process's
 * /proc/PID/fd has a link "socket:[INODE]" for every socket it holds, so
 * the process whose fd points at that inode is the client. Only processes
 * we may look into are found: the user's own, which is what a class runs. */
#define G_LOG_DOMAIN "ms-net"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms-peer-process.h"

typedef struct
{
  guint16 client_port;
  guint16 server_port;
} Lookup;

/* The inode of the socket whose local port is @local and remote port is
 * @remote, from one of /proc/net/tcp{,6}; 0 when none. */
static guint64
find_inode (const char *table,
            guint16     local,
            guint16     remote)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (table, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  /* The first line names the columns. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char local_addr[64], remote_addr[64];
      unsigned int local_port, remote_port, state, uid;
      unsigned long long inode;
      int slot;

      /* "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode" */
      if (sscanf (lines[i], " %d: %63[0-9A-Fa-f]:%x %63[0-9A-Fa-f]:%x %x %*x:%*x %*x:%*x %*x %u %*d %llu",
                  &slot, local_addr, &local_port, remote_addr, &remote_port, &state, &uid, &inode) != 8)
        continue;
      if (local_port == local && remote_port == remote && inode != 0)
        return inode;
    }
  return 0;
}

static char *
process_holding (guint64 inode)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *wanted = g_strdup_printf ("socket:[%" G_GUINT64_FORMAT "]", inode);
  const char *name;

  if (proc == NULL)
    return NULL;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fd_path = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd;

      if (!g_ascii_isdigit (name[0]))
        continue;
      fd_path = g_build_filename ("/proc", name, "fd", NULL);
      fds = g_dir_open (fd_path, 0, NULL);
      if (fds == NULL)
        continue;
      while ((fd = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link_path = g_build_filename (fd_path, fd, NULL);
          g_autofree char *target = g_file_read_link (link_path, NULL);

          if (target != NULL && g_str_equal (target, wanted))
            {
              g_autofree char *comm_path = g_build_filename ("/proc", name, "comm", NULL);
              g_autofree char *comm = NULL;

              if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
                return NULL;
              g_strstrip (comm);
              /* A name shown on the stage: printable ASCII only. */
              g_strcanon (comm, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:+ ", '?');
              return comm[0] != '\0' ? g_steal_pointer (&comm) : NULL;
            }
        }
    }
  return NULL;
}

char *
ms_peer_process_lookup (guint16 client_port,
                        guint16 server_port)
{
#ifdef __linux__
  guint64 inode = find_inode ("/proc/net/tcp", client_port, server_port);

  if (inode == 0)
    inode = find_inode ("/proc/net/tcp6", client_port, server_port);
  return inode != 0 ? process_holding (inode) : NULL;
#else
  return NULL;
#endif
}

static void
lookup_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Lookup *lookup = data;

  g_task_return_pointer (task, ms_peer_process_lookup (lookup->client_port, lookup->server_port), g_free);
}

void
ms_peer_process_lookup_async (guint16              client_port,
                              guint16              server_port,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->client_port = client_port;
  lookup->server_port = server_port;
  g_task_set_source_tag (task, ms_peer_process_lookup_async);
  g_task_set_task_data (task, lookup, g_free);
  g_task_run_in_thread (task, lookup_thread);
}

char *
ms_peer_process_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

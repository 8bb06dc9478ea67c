/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which program is at the other end of a loopback connection ("curl",
 * "thunderbird", "python3"), so that the app can name a real client's lane
 * by what the class just started. Linux only (it reads /proc); elsewhere,
 * or when the client already went away, the answer is NULL and the lane is
 * named by its number. The look-up reads many small files, so it runs in a
 * worker thread and never holds up the main loop. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @client_port is the client's own port, @server_port the listener's. */
void   ms_peer_process_lookup_async  (guint16               client_port,
                                      guint16               server_port,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* The program's short name (its /proc comm), or NULL. */
char  *ms_peer_process_lookup_finish (GAsyncResult         *result,
                                      GError              **error);
/* The same, synchronously (for the worker and for tests). */
char  *ms_peer_process_lookup        (guint16               client_port,
                                      guint16               server_port);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A listening TCP socket and its accept loop, for MsListener.
 *
 * Why not GSocketService: when accept() fails, GSocketService prints a
 * warning and calls accept() again at once. When the process is out of file
 * descriptors (EMFILE, or ENFILE for the whole system) the waiting client is
 * still waiting, so the next accept() fails the same way, and the server
 * spins at 100% CPU, writing a warning per turn, until some descriptor is
 * freed. Here an accept that fails for want of descriptors uses one kept in
 * reserve (the trick libuv and nginx use): the reserve is closed, the
 * waiting client accepted on it and handed to @refuse (which tells it the
 * server is busy and closes it), and the reserve is taken again. If even
 * that fails, accepting pauses for a second. Either way the clients already
 * connected go on, and new ones are served again as soon as descriptors
 * are free. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MsListenSocket MsListenSocket;

/* A client was accepted. */
typedef void (*MsAcceptFunc) (GSocketConnection *connection,
                              gpointer           user_data);
/* Descriptors ran out: @connection (NULL when even the reserve failed) is
 * a client to refuse and close; @error says why, for the log. */
typedef void (*MsAcceptRefuseFunc) (GSocketConnection *connection,
                                    const GError      *error,
                                    gpointer           user_data);

/* Binds @address, listens and accepts from the default main context. */
MsListenSocket *ms_listen_socket_new          (GInetSocketAddress  *address,
                                               int                  backlog,
                                               MsAcceptFunc         accepted,
                                               MsAcceptRefuseFunc   refuse,
                                               gpointer             user_data,
                                               GError             **error);
/* The address bound (the real port when 0 was asked for). */
GSocketAddress *ms_listen_socket_get_address  (MsListenSocket      *self);
/* Stops accepting and closes the socket. */
void            ms_listen_socket_free         (MsListenSocket      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsListenSocket, ms_listen_socket_free)

G_END_DECLS

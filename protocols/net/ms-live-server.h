/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's "Real clients" switch: the listeners of `mailscope serve`
 * (POP3, IMAP, and both over TLS) on 127.0.0.1, serving the server store of
 * the world on screen, so that what a real client (Thunderbird, curl,
 * Python's imaplib) does shows on the stage's server at once.
 *
 * Ports: 1110, 1143, 1995 and 1993 by default (the standard ports need
 * root); when one is busy the next free one above it is taken, and
 * ms_live_server_get_problem() says why the wanted one could not be had.
 * The TLS listeners use the certificate `mailscope serve` keeps in the user
 * data folder (made on first use); without one, they say so and stay shut.
 *
 * Each accepted connection becomes an MsLiveClient ("client-added"). When
 * the world changes (step back and restart replay into a new world; another
 * scenario), the clients of the old world are closed: their mailbox is no
 * longer on screen. Everything runs on the main context without blocking:
 * GSocketService accepts, MsConnection reads and writes asynchronously. */
#pragma once

#include <gio/gio.h>
#include "ms-live-client.h"
#include "ms-world.h"

G_BEGIN_DECLS

#define MS_TYPE_LIVE_SERVER (ms_live_server_get_type ())

G_DECLARE_FINAL_TYPE (MsLiveServer, ms_live_server, MS, LIVE_SERVER, GObject)

/* How many listeners there are, in the order pop3, imap, pop3s, imaps. */
#define MS_LIVE_SERVER_N_LISTENERS 4

MsLiveServer *ms_live_server_new               (void);
void          ms_live_server_set_world         (MsLiveServer *self,
                                                MsWorld      *world);
MsWorld      *ms_live_server_get_world         (MsLiveServer *self);
/* Starts listening; a no-op when running. FALSE (with @error) only when no
 * listener at all could be opened, or there is no world to serve. */
gboolean      ms_live_server_start             (MsLiveServer *self,
                                                GError      **error);
/* Stops listening and closes every real client. */
void          ms_live_server_stop              (MsLiveServer *self);
gboolean      ms_live_server_get_running       (MsLiveServer *self);
/* Before start: the port to try first for "pop3", "imap", "pop3s" or
 * "imaps" (tests use free high ports). */
void          ms_live_server_set_wanted_port   (MsLiveServer *self,
                                                const char   *name,
                                                guint16       port);

/* Listener @i (0 … MS_LIVE_SERVER_N_LISTENERS-1): "pop3", "imap", "pop3s",
 * "imaps"; the port wanted; the port it listens on (0: not listening); why
 * it does not listen on the wanted one ("Address already in use"), or
 * NULL. */
const char   *ms_live_server_get_name          (MsLiveServer *self,
                                                guint         i);
guint16       ms_live_server_get_wanted_port   (MsLiveServer *self,
                                                guint         i);
guint16       ms_live_server_get_port          (MsLiveServer *self,
                                                guint         i);
const char   *ms_live_server_get_problem       (MsLiveServer *self,
                                                guint         i);
/* The port listener @name listens on, or 0. */
guint16       ms_live_server_lookup_port       (MsLiveServer *self,
                                                const char   *name);
/* Real clients connected now. */
guint         ms_live_server_get_n_open        (MsLiveServer *self);

G_END_DECLS

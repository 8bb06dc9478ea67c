/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One real client's connection to the app's live server (MsLiveServer):
 * what the app shows as one more lane on the stage. It turns what crossed
 * the socket into transcript entries (device "real client N"), exactly the
 * bytes the client sent and got, passwords included: showing that is the
 * lesson. It never writes any of it to a log.
 *
 * The entries go into the world on screen (ms_world_add_external_entry())
 * and to "entry-added" for the lane's animation. */
#pragma once

#include <gio/gio.h>
#include "ms-connection.h"
#include "ms-phrase.h"
#include "ms-transcript-entry.h"
#include "ms-world.h"

G_BEGIN_DECLS

/* Transcript connection ids of real clients start here, so that an export
 * (pcapng streams) never mixes them with the simulated connections. */
#define MS_LIVE_CLIENT_CONNECTION_BASE 100000

#define MS_TYPE_LIVE_CLIENT (ms_live_client_get_type ())

G_DECLARE_FINAL_TYPE (MsLiveClient, ms_live_client, MS, LIVE_CLIENT, GObject)

/* @number counts the real clients of one live server from 1; @world (may be
 * NULL) is where the transcript entries go. The client starts @connection
 * itself (from a listener with deferred start): once it knows which program
 * is at the other end, or after a short wait, because a client such as curl
 * may be done and gone within milliseconds of its greeting. */
MsLiveClient *ms_live_client_new            (MsConnection *connection,
                                             guint         number,
                                             guint16       server_port,
                                             MsWorld      *world);
guint         ms_live_client_get_number     (MsLiveClient *self);
/* "real client N": the device column of the transcript. */
const char   *ms_live_client_get_name       (MsLiveClient *self);
/* "pop3" or "imap". */
const char   *ms_live_client_get_protocol   (MsLiveClient *self);
/* The client's "ADDR:PORT". */
const char   *ms_live_client_get_peer       (MsLiveClient *self);
guint16       ms_live_client_get_server_port (MsLiveClient *self);
/* The program at the other end ("curl"), once found (notify::program); NULL
 * while looking or when it cannot be told. */
const char   *ms_live_client_get_program    (MsLiveClient *self);
/* The account it logged in to, or NULL (notify::user). */
const char   *ms_live_client_get_user       (MsLiveClient *self);
gboolean      ms_live_client_get_open       (MsLiveClient *self);
/* Why it closed ("the client closed the connection"), or NULL while open:
 * a phrase, to be shown with ms_phrase_to_display(). */
const MsPhrase *ms_live_client_get_close_reason (MsLiveClient *self);
/* Whether TLS protects it (implicit TLS, or after STLS/STARTTLS). */
gboolean      ms_live_client_get_tls        (MsLiveClient *self);
guint64       ms_live_client_get_bytes_up   (MsLiveClient *self);
guint64       ms_live_client_get_bytes_down (MsLiveClient *self);
/* Closes it from the server's side, recording @why: a sentence's msgid, a
 * literal marked NC_ ("transcript", …). */
void          ms_live_client_shutdown       (MsLiveClient *self,
                                             const char   *why);

G_END_DECLS

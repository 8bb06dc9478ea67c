/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated world the app shows: one mail server (account alice), the
 * devices that read it, the links between them, a virtual clock and the
 * transcript of everything that crossed a link. Every byte between a
 * device's client session and a server session goes through the device's
 * link model; nothing reads the real clock, so a run is exactly repeatable. */
#pragma once

#include <gio/gio.h>
#include "ms-clock.h"
#include "ms-device.h"
#include "ms-store.h"
#include "ms-transcript.h"

G_BEGIN_DECLS

#define MS_WORLD_ERROR (ms_world_error_quark ())

typedef enum {
  MS_WORLD_ERROR_UNKNOWN_ACTOR,
  MS_WORLD_ERROR_UNKNOWN_ACTION,
  MS_WORLD_ERROR_BAD_ARGUMENT,
  MS_WORLD_ERROR_FAILED,
  /* A step's "until" line never crossed the wire; the exchange ran to its end. */
  MS_WORLD_ERROR_UNTIL_NOT_MET,
} MsWorldError;

#define MS_TYPE_WORLD (ms_world_get_type ())

G_DECLARE_FINAL_TYPE (MsWorld, ms_world, MS, WORLD, GObject)

GQuark        ms_world_error_quark       (void);
MsWorld      *ms_world_new               (void);
MsClock      *ms_world_get_clock         (MsWorld     *self);
MsStore      *ms_world_get_server_store  (MsWorld     *self);
MsAccount    *ms_world_get_account       (MsWorld     *self);
/* A GListModel of MsDevice, in the order they were added. */
GListModel   *ms_world_get_devices       (MsWorld     *self);
MsTranscript *ms_world_get_transcript    (MsWorld     *self);
/* Unix time (seconds) at virtual time 0: Monday 17 March 2025, 08:00 UTC. */
gint64        ms_world_get_epoch         (MsWorld     *self);
/* Unix time now, in seconds. */
gint64        ms_world_get_unix_now      (MsWorld     *self);
/* The NSS key log (SSLKEYLOGFILE lines) of the world's TLS sessions; "" if none. */
const char   *ms_world_get_tls_keylog    (MsWorld     *self);

/* Fills the server's INBOX: "sample" (the bundled sample mailbox), "empty",
 * or a path to a folder of .eml files, an mbox or a Maildir. */
gboolean      ms_world_load_mailbox      (MsWorld     *self,
                                          const char  *what,
                                          GError     **error);
MsDevice     *ms_world_add_device        (MsWorld               *self,
                                          const char            *name,
                                          const char            *protocol,
                                          MsClientTlsMode        tls_mode,
                                          const MsClientPolicy  *policy,
                                          MsLink                *link,
                                          const char            *server_url,
                                          GError               **error);
MsDevice     *ms_world_lookup_device     (MsWorld     *self,
                                          const char  *name);

/* Runs one action and the clock until its exchange is over. @actor is a
 * device name, "server", "sender" or "network"; @args maps argument names to
 * strings (may be NULL). See docs/scenario-format.md for the actions. */
gboolean      ms_world_perform           (MsWorld     *self,
                                          const char  *actor,
                                          const char  *action,
                                          GHashTable  *args,
                                          GError     **error);
/* The same, but the clock stops as soon as a protocol line containing
 * @until (when not NULL) has crossed a link: the exchange goes on during
 * the next actions or ms_world_advance(). Fails when no such line came. */
gboolean      ms_world_perform_until     (MsWorld     *self,
                                          const char  *actor,
                                          const char  *action,
                                          GHashTable  *args,
                                          const char  *until,
                                          GError     **error);
/* Lets virtual time pass (nothing happens unless a connection is live). */
void          ms_world_advance           (MsWorld     *self,
                                          gint64       us);

/* Transcript markers written by the player. */
void          ms_world_begin_step        (MsWorld     *self,
                                          guint        step,
                                          const char  *title);
void          ms_world_narrate           (MsWorld            *self,
                                          const char         *text,
                                          const char * const *teaching_ids,
                                          const char * const *myth_ids);
/* A notice: what it says as a phrase (ms-phrase.h), taken over, so that
 * it can be shown in the reader's language. */
void          ms_world_add_notice_phrase (MsWorld     *self,
                                          const char  *device,
                                          MsPhrase    *phrase);
/* Records something that happened outside the simulation, on a real
 * connection to this world's server (net/ms-live-server.c): the entry gets
 * the virtual time and the step of now, since the world's clock stands
 * still between the exchanges it runs. Takes a reference. */
void          ms_world_add_external_entry (MsWorld           *self,
                                           MsTranscriptEntry *entry);
/* Appends the counters of every device and the server's storage. */
void          ms_world_format_summary    (MsWorld     *self,
                                          GString     *out);

G_END_DECLS

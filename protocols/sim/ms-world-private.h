/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the world's files share: the world's fields and the connection
 * machinery (ms-world-connection.c) that the actions (ms-world-actions.c) use. */
#pragma once

#include "ms-device-private.h"
#include "ms-tls-filter.h"
#include "ms-tls-record-parser.h"
#include "ms-chunk-decoder.h"
#include "ms-transcript-entry-private.h"
#include "ms-world.h"

G_BEGIN_DECLS

typedef struct
{
  char   *device;
  char   *command;       /* cut when the client sends this command, or NULL */
  gint64  after_bytes;   /* or after this many client bytes on the connection; -1 */
} MsDropRule;

typedef struct _MsWorldTls MsWorldTls;

struct _MsWorld
{
  GObject       parent_instance;
  MsClock      *clock;
  MsStore      *server_store;
  MsAccount    *account;
  GListStore   *devices;
  MsTranscript *transcript;
  GPtrArray    *connections;   /* MsSimConnection*, live ones, by id */
  guint         next_connection_id;
  guint         step;
  GPtrArray    *drops;         /* MsDropRule* */
  guint         message_counter;
  GHashTable   *scanned;       /* mailbox name -> the first UID the filter has not checked */
  gint64        epoch;
  /* While an action runs for a step with "until": the text whose protocol
   * line ends the step, whether it was seen, and the first transcript
   * entry not looked at yet. */
  const char   *until;
  gboolean      until_met;
  guint         until_from;
  MsWorldTls   *tls;           /* ms-world-tls.c: made on first use */
};

struct _MsSimConnection
{
  gatomicrefcount  ref_count;
  guint            id;
  MsWorld         *world;       /* not owned: the world outlives its connections */
  MsDevice        *device;
  MsClientSession *client;
  MsServerSession *server;
  char            *protocol;
  guint            port;
  gboolean         is_mail;     /* the device's mail connection, not an SMTP one */
  gboolean         established;
  gboolean         closed;
  gboolean         cutting;
  gboolean         held;
  gboolean         awaiting_answer;
  GByteArray      *held_input;
  gint64           line_free_at[3];
  guint            in_flight;
  MsChunkDecoder   chunks;
  guint64          client_bytes;
  gulong           client_handlers[3];
  gulong           server_handlers[3];
  gboolean         client_finished;
  gboolean         client_success;
  /* TLS: one filter per end. Each end switches on its own (the server after
   * queueing its answer to STLS/STARTTLS, the client when it reads it), so
   * the flags are per end. The observers see what an eavesdropper sees of
   * each direction: record types and sizes; observed[] holds the bytes they
   * have not yet reported as whole records. */
  MsTlsFilter       *tls_client;
  MsTlsFilter       *tls_server;
  gboolean           tls_client_done;
  gboolean           tls_server_done;
  MsTlsRecordParser *observers[3];
  GByteArray        *observed[3];
  /* Plaintext handed to an end's filter whose records have not gone out
   * yet (a filter holds it until its handshake is done). It enters the
   * transcript when they do, so the decrypted view sits in time order
   * with the records that carry it, as for a plain chunk. */
  GByteArray        *tls_pending[3];
  gsize              keylog_taken;   /* of the client filter's key log */
};

/* ms-world-connection.c */
MsSimConnection *ms_sim_connection_open   (MsWorld         *world,
                                    MsDevice        *device,
                                    MsClientSession *client,
                                    const char      *protocol,
                                    gboolean         is_mail,
                                    GError         **error);
/* Takes @why (what the transcript says about it) over. */
void          ms_sim_connection_close  (MsSimConnection    *conn,
                                    gboolean         lost,
                                    MsPhrase        *why);
void          ms_sim_connection_unref  (MsSimConnection    *conn);
void          ms_world_pump_all    (MsWorld         *world);
void          ms_world_pump_device (MsWorld         *world,
                                    MsDevice        *device);
void          ms_world_free_drop_rule (gpointer rule);
/* Installs @client as the device's mail client and follows its "action-finished". */
void          ms_world_set_device_client (MsWorld         *world,
                                          MsDevice        *device,
                                          MsClientSession *client);
MsTranscriptEntry *ms_world_new_entry (MsWorld          *world,
                                       MsTranscriptKind  kind,
                                       MsSimConnection     *conn,
                                       const char       *device);
void          ms_world_add_entry   (MsWorld           *world,
                                    MsTranscriptEntry *entry);

/* ms-world-tls.c */
void          ms_world_tls_free    (MsWorldTls        *tls);

/* ms-world-actions.c */
gboolean      ms_world_perform_device  (MsWorld     *world,
                                        MsDevice    *device,
                                        const char  *action,
                                        GHashTable  *args,
                                        GError     **error);
gboolean      ms_world_perform_server  (MsWorld     *world,
                                        const char  *actor,
                                        const char  *action,
                                        GHashTable  *args,
                                        GError     **error);
gboolean      ms_world_perform_network (MsWorld     *world,
                                        const char  *action,
                                        GHashTable  *args,
                                        GError     **error);

/* ms-world-mail.c: deterministic messages */
GBytes       *ms_world_compose_message (MsWorld     *world,
                                        const char  *from,
                                        const char  *to,
                                        const char  *subject,
                                        const char  *body,
                                        gsize        attachment_size,
                                        const char  *attachment_name);
char         *ms_world_format_date     (gint64       unix_time);
/* The unfolded, undecoded Subject header of a raw message, or "". */
char         *ms_world_raw_subject     (GBytes      *raw);

G_END_DECLS

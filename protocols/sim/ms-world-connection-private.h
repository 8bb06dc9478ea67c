/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the three files of a simulated connection share among themselves:
 * ms-world-connection.c (open, pump, close), ms-world-wire.c (bytes on the
 * link: timing, delivery, the transcript's chunks, the network's cuts) and
 * ms-world-tls.c (the TLS ends, what an eavesdropper sees, the key log). */
#pragma once

#include "ms-world-private.h"

G_BEGIN_DECLS

/* ms-world-connection.c */
MsSimConnection *ms_sim_connection_ref    (MsSimConnection *conn);
/* Takes @phrase over. */
void             ms_sim_connection_notice (MsSimConnection *conn,
                                           MsPhrase        *phrase);

/* ms-world-wire.c */
/* Plaintext from one end, in clear on the link (or cut by a drop rule);
 * the link and the transcript keep references to @bytes, not copies. */
void             ms_sim_wire_send_plain   (MsSimConnection *conn,
                                           MsDirection      direction,
                                           GBytes          *bytes);
/* TLS records on the link; the times the link gives them come back. */
void             ms_sim_wire_send_records (MsSimConnection *conn,
                                           MsDirection      direction,
                                           const guint8    *data,
                                           gsize            len,
                                           gint64          *sent_out,
                                           gint64          *arrival_out);
/* Plaintext that left inside TLS records: into the transcript with the
 * times and size of the ciphertext that carries it. */
void             ms_sim_wire_record_encrypted (MsSimConnection *conn,
                                               MsDirection      direction,
                                               const guint8    *data,
                                               gsize            len,
                                               gint64           sent_us,
                                               gint64           arrival_us,
                                               gsize            wire_size);
/* Decrypted plaintext that came out of the receiving end's filter: to the
 * session (the transcript has it from the sending end). */
void             ms_sim_wire_receive_decrypted (MsSimConnection *conn,
                                                MsDirection      direction,
                                                const guint8    *data,
                                                gsize            len);

/* ms-world-tls.c */
/* Starts the server or the client end of TLS; FALSE (with a notice) when
 * the world's TLS context cannot be made. */
gboolean         ms_sim_tls_start_end     (MsSimConnection *conn,
                                           gboolean         server);
/* Plaintext from one end's session into its filter. */
void             ms_sim_tls_write         (MsSimConnection *conn,
                                           MsDirection      direction,
                                           const guint8    *data,
                                           gsize            len);
/* Takes what the end's filter produced and puts it on the link as records. */
void             ms_sim_tls_send          (MsSimConnection *conn,
                                           MsDirection      direction);
/* Ciphertext arrived at one end: decrypts it and passes the plaintext on. */
void             ms_sim_tls_receive       (MsSimConnection *conn,
                                           MsDirection      direction,
                                           const guint8    *data,
                                           gsize            len,
                                           gint64           sent_us,
                                           gint64           arrival_us);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds a pcapng capture of TCP conversations that never touched a real
 * network: synthetic Ethernet/IPv4/TCP frames with a three-way handshake,
 * true sequence and acknowledgement numbers, checksums and a FIN exchange,
 * so Wireshark follows the streams and dissects POP, IMAP and SMTP on their
 * standard ports. Packet comments carry the narration; TLS key log lines go
 * into a Decryption Secrets Block placed before the packets, so Wireshark
 * can decrypt TLS sessions without a separate key file. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MS_TYPE_PCAPNG_WRITER (ms_pcapng_writer_get_type ())

G_DECLARE_FINAL_TYPE (MsPcapngWriter, ms_pcapng_writer, MS, PCAPNG_WRITER, GObject)

MsPcapngWriter *ms_pcapng_writer_new              (void);
/* NSS key log lines ("CLIENT_RANDOM …\n"); may be called several times. */
void            ms_pcapng_writer_add_keylog       (MsPcapngWriter *self,
                                                   const char     *lines);
/* Addresses are IPv4 in host byte order (0x7f000001 is 127.0.0.1). Writes
 * SYN, SYN-ACK and ACK at time_us; returns the connection's id. */
guint           ms_pcapng_writer_open_connection  (MsPcapngWriter *self,
                                                   guint32         client_ip,
                                                   guint16         client_port,
                                                   guint32         server_ip,
                                                   guint16         server_port,
                                                   gint64          time_us,
                                                   const char     *comment);
/* Writes the bytes as segments of at most 1460 octets, each acknowledged as
 * a real stack would; the comment goes on the first segment. */
void            ms_pcapng_writer_add_data         (MsPcapngWriter *self,
                                                   guint           connection,
                                                   gboolean        to_server,
                                                   const guint8   *data,
                                                   gsize           len,
                                                   gint64          time_us,
                                                   const char     *comment);
/* FIN from one side, FIN from the other, final ACK. */
void            ms_pcapng_writer_close_connection (MsPcapngWriter *self,
                                                   guint           connection,
                                                   gboolean        client_first,
                                                   gint64          time_us);
/* A reset, as when the network drops a connection. */
void            ms_pcapng_writer_reset_connection (MsPcapngWriter *self,
                                                   guint           connection,
                                                   gboolean        from_client,
                                                   gint64          time_us,
                                                   const char     *comment);
/* The whole file: section header, interface, secrets, then the packets. */
GBytes         *ms_pcapng_writer_finish           (MsPcapngWriter *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-pcapng-writer"
#include "config.h"

#include <string.h>

#include "ms-pcapng-writer.h"

/* pcapng block types and codes (draft-ietf-opsawg-pcapng). */
#define BLOCK_SECTION_HEADER     0x0A0D0D0Au
#define BLOCK_INTERFACE          0x00000001u
#define BLOCK_ENHANCED_PACKET    0x00000006u
#define BLOCK_DECRYPTION_SECRETS 0x0000000Au
#define BYTE_ORDER_MAGIC         0x1A2B3C4Du
#define SECRETS_TLS_KEY_LOG      0x544c534bu  /* "TLSK" */
#define OPTION_END               0
#define OPTION_COMMENT           1
#define OPTION_IF_NAME           2
#define OPTION_IF_TSRESOL        9
#define OPTION_SHB_USERAPPL      4
#define LINKTYPE_ETHERNET        1

#define ETHERNET_HEADER 14
#define IPV4_HEADER     20
#define TCP_HEADER      20
#define MSS             1460
#define WINDOW          65535

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

typedef struct
{
  guint32 client_ip;
  guint32 server_ip;
  guint16 client_port;
  guint16 server_port;
  guint32 client_seq;   /* next sequence number the client sends */
  guint32 server_seq;
  gboolean closed;
} Connection;

struct _MsPcapngWriter
{
  GObject     parent_instance;

  GByteArray *packets;
  GString    *keylog;
  GArray     *connections;  /* Connection */
  guint16     ip_id;
};

G_DEFINE_FINAL_TYPE (MsPcapngWriter, ms_pcapng_writer, G_TYPE_OBJECT)

static void
ms_pcapng_writer_finalize (GObject *object)
{
  MsPcapngWriter *self = (MsPcapngWriter *) object;

  g_clear_pointer (&self->packets, g_byte_array_unref);
  g_string_free (self->keylog, TRUE);
  g_clear_pointer (&self->connections, g_array_unref);

  G_OBJECT_CLASS (ms_pcapng_writer_parent_class)->finalize (object);
}

static void
ms_pcapng_writer_class_init (MsPcapngWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_pcapng_writer_finalize;
}

static void
ms_pcapng_writer_init (MsPcapngWriter *self)
{
  self->packets = g_byte_array_new ();
  self->keylog = g_string_new (NULL);
  self->connections = g_array_new (FALSE, TRUE, sizeof (Connection));
  self->ip_id = 1;
}

MsPcapngWriter *
ms_pcapng_writer_new (void)
{
  return g_object_new (MS_TYPE_PCAPNG_WRITER, NULL);
}

/* pcapng itself is written in host byte order (readers use the magic);
 * the frames inside are in network byte order. */
static void
put_u16 (GByteArray *out,
         guint16     v)
{
  g_byte_array_append (out, (const guint8 *) &v, 2);
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  g_byte_array_append (out, (const guint8 *) &v, 4);
}

static void
put_padded (GByteArray   *out,
            const guint8 *data,
            gsize         len)
{
  static const guint8 zeros[4] = { 0 };

  g_byte_array_append (out, data, len);
  if (len % 4)
    g_byte_array_append (out, zeros, 4 - len % 4);
}

static void
put_option (GByteArray *out,
            guint16     code,
            const void *data,
            gsize       len)
{
  g_assert (len <= G_MAXUINT16);
  put_u16 (out, code);
  put_u16 (out, len);
  put_padded (out, data, len);
}

/* Wraps a block body with its type and the total length at both ends. */
static void
put_block (GByteArray *out,
           guint32     type,
           GByteArray *body)
{
  guint32 total = 12 + body->len;

  g_assert (body->len % 4 == 0);
  put_u32 (out, type);
  put_u32 (out, total);
  g_byte_array_append (out, body->data, body->len);
  put_u32 (out, total);
}

static guint16
checksum_fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

static guint32
checksum_add (guint32       sum,
              const guint8 *data,
              gsize         len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (data[i] << 8) | data[i + 1];
  if (len % 2)
    sum += data[len - 1] << 8;
  return sum;
}

static void
be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
mac_for_ip (guint8  *mac,
            guint32  ip)
{
  /* A locally administered address derived from the IP, so each simulated
   * host keeps one stable MAC. */
  mac[0] = 0x02;
  mac[1] = 0x00;
  be32 (mac + 2, ip);
}

static void
write_frame (MsPcapngWriter *self,
             guint32         src_ip,
             guint16         src_port,
             guint32         dst_ip,
             guint16         dst_port,
             guint32         seq,
             guint32         ack,
             guint8          flags,
             const guint8   *payload,
             gsize           len,
             gint64          time_us,
             const char     *comment)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  gsize frame_len = ETHERNET_HEADER + IPV4_HEADER + TCP_HEADER + len;
  g_autofree guint8 *frame = g_malloc0 (frame_len);
  guint8 *ip = frame + ETHERNET_HEADER;
  guint8 *tcp = ip + IPV4_HEADER;
  guint8 pseudo[12];
  guint32 sum;
  guint64 ts = time_us < 0 ? 0 : (guint64) time_us;

  mac_for_ip (frame, dst_ip);
  mac_for_ip (frame + 6, src_ip);
  be16 (frame + 12, 0x0800);

  ip[0] = 0x45;
  be16 (ip + 2, IPV4_HEADER + TCP_HEADER + len);
  be16 (ip + 4, self->ip_id++);
  be16 (ip + 6, 0x4000);  /* don't fragment */
  ip[8] = 64;
  ip[9] = 6;              /* TCP */
  be32 (ip + 12, src_ip);
  be32 (ip + 16, dst_ip);
  be16 (ip + 10, checksum_fold (checksum_add (0, ip, IPV4_HEADER)));

  be16 (tcp, src_port);
  be16 (tcp + 2, dst_port);
  be32 (tcp + 4, seq);
  be32 (tcp + 8, ack);
  tcp[12] = (TCP_HEADER / 4) << 4;
  tcp[13] = flags;
  be16 (tcp + 14, WINDOW);
  if (len > 0)
    memcpy (tcp + TCP_HEADER, payload, len);
  be32 (pseudo, src_ip);
  be32 (pseudo + 4, dst_ip);
  pseudo[8] = 0;
  pseudo[9] = 6;
  be16 (pseudo + 10, TCP_HEADER + len);
  sum = checksum_add (0, pseudo, sizeof pseudo);
  sum = checksum_add (sum, tcp, TCP_HEADER + len);
  be16 (tcp + 16, checksum_fold (sum));

  put_u32 (body, 0);  /* interface 0 */
  put_u32 (body, ts >> 32);
  put_u32 (body, ts & 0xffffffff);
  put_u32 (body, frame_len);
  put_u32 (body, frame_len);
  put_padded (body, frame, frame_len);
  if (comment != NULL && comment[0] != '\0')
    {
      put_option (body, OPTION_COMMENT, comment, MIN (strlen (comment), 60000));
      put_u32 (body, OPTION_END);
    }
  put_block (self->packets, BLOCK_ENHANCED_PACKET, body);
}

static Connection *
get_connection (MsPcapngWriter *self,
                guint           id)
{
  g_return_val_if_fail (id < self->connections->len, NULL);
  return &g_array_index (self->connections, Connection, id);
}

/* One frame of a connection, from the client or from the server. */
static void
write_segment (MsPcapngWriter *self,
               Connection     *c,
               gboolean        from_client,
               guint32         seq,
               guint32         ack,
               guint8          flags,
               const guint8   *payload,
               gsize           len,
               gint64          time_us,
               const char     *comment)
{
  if (from_client)
    write_frame (self, c->client_ip, c->client_port, c->server_ip, c->server_port,
                 seq, ack, flags, payload, len, time_us, comment);
  else
    write_frame (self, c->server_ip, c->server_port, c->client_ip, c->client_port,
                 seq, ack, flags, payload, len, time_us, comment);
}

void
ms_pcapng_writer_add_keylog (MsPcapngWriter *self,
                             const char     *lines)
{
  g_return_if_fail (MS_IS_PCAPNG_WRITER (self));

  if (lines == NULL || lines[0] == '\0')
    return;
  g_string_append (self->keylog, lines);
  if (self->keylog->str[self->keylog->len - 1] != '\n')
    g_string_append_c (self->keylog, '\n');
}

guint
ms_pcapng_writer_open_connection (MsPcapngWriter *self,
                                  guint32         client_ip,
                                  guint16         client_port,
                                  guint32         server_ip,
                                  guint16         server_port,
                                  gint64          time_us,
                                  const char     *comment)
{
  Connection c = { 0 };
  guint id;

  g_return_val_if_fail (MS_IS_PCAPNG_WRITER (self), 0);

  c.client_ip = client_ip;
  c.server_ip = server_ip;
  c.client_port = client_port;
  c.server_port = server_port;
  /* Fixed initial sequence numbers keep exports byte-identical between runs. */
  c.client_seq = 1000 + self->connections->len * 100000;
  c.server_seq = 5000 + self->connections->len * 100000;
  g_array_append_val (self->connections, c);
  id = self->connections->len - 1;

  write_frame (self, client_ip, client_port, server_ip, server_port,
               c.client_seq, 0, TCP_SYN, NULL, 0, time_us, comment);
  write_frame (self, server_ip, server_port, client_ip, client_port,
               c.server_seq, c.client_seq + 1, TCP_SYN | TCP_ACK, NULL, 0, time_us, NULL);
  get_connection (self, id)->client_seq++;
  get_connection (self, id)->server_seq++;
  write_frame (self, client_ip, client_port, server_ip, server_port,
               c.client_seq + 1, c.server_seq + 1, TCP_ACK, NULL, 0, time_us, NULL);
  return id;
}

void
ms_pcapng_writer_add_data (MsPcapngWriter *self,
                           guint           connection,
                           gboolean        to_server,
                           const guint8   *data,
                           gsize           len,
                           gint64          time_us,
                           const char     *comment)
{
  Connection *c;

  g_return_if_fail (MS_IS_PCAPNG_WRITER (self));
  g_return_if_fail (data != NULL || len == 0);

  c = get_connection (self, connection);
  g_return_if_fail (c != NULL && !c->closed);

  for (gsize off = 0; off < len || (len == 0 && off == 0 && comment); )
    {
      gsize chunk = MIN (len - off, (gsize) MSS);
      guint32 *seq = to_server ? &c->client_seq : &c->server_seq;
      guint32 *peer_seq = to_server ? &c->server_seq : &c->client_seq;

      write_segment (self, c, to_server, *seq, *peer_seq, TCP_ACK | TCP_PSH, data + off, chunk, time_us,
                     off == 0 ? comment : NULL);
      *seq += chunk;
      off += chunk;
      if (chunk == 0)
        break;
    }

  /* The receiver acknowledges everything it got in one pure ACK. */
  if (len > 0)
    write_segment (self, c, !to_server,
                   to_server ? c->server_seq : c->client_seq,
                   to_server ? c->client_seq : c->server_seq,
                   TCP_ACK, NULL, 0, time_us, NULL);
}

void
ms_pcapng_writer_close_connection (MsPcapngWriter *self,
                                   guint           connection,
                                   gboolean        client_first,
                                   gint64          time_us)
{
  Connection *c;
  guint32 cs, ss;

  g_return_if_fail (MS_IS_PCAPNG_WRITER (self));

  c = get_connection (self, connection);
  g_return_if_fail (c != NULL);
  if (c->closed)
    return;
  c->closed = TRUE;
  cs = c->client_seq;
  ss = c->server_seq;

  /* The closer's FIN, the other side's FIN (which acknowledges the first),
   * and the closer's final ACK: each FIN takes one sequence number. */
  {
    guint32 first = client_first ? cs : ss;
    guint32 second = client_first ? ss : cs;

    write_segment (self, c, client_first, first, second, TCP_FIN | TCP_ACK, NULL, 0, time_us, NULL);
    write_segment (self, c, !client_first, second, first + 1, TCP_FIN | TCP_ACK, NULL, 0, time_us, NULL);
    write_segment (self, c, client_first, first + 1, second + 1, TCP_ACK, NULL, 0, time_us, NULL);
  }
}

void
ms_pcapng_writer_reset_connection (MsPcapngWriter *self,
                                   guint           connection,
                                   gboolean        from_client,
                                   gint64          time_us,
                                   const char     *comment)
{
  Connection *c;

  g_return_if_fail (MS_IS_PCAPNG_WRITER (self));

  c = get_connection (self, connection);
  g_return_if_fail (c != NULL);
  if (c->closed)
    return;
  c->closed = TRUE;
  write_segment (self, c, from_client,
                 from_client ? c->client_seq : c->server_seq,
                 from_client ? c->server_seq : c->client_seq,
                 TCP_RST | TCP_ACK, NULL, 0, time_us, comment);
}

GBytes *
ms_pcapng_writer_finish (MsPcapngWriter *self)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  static const char appl[] = "Mailscope " PACKAGE_VERSION " (synthetic capture of a simulation)";
  static const char if_name[] = "mailscope-sim";
  guint8 tsresol = 6;  /* microseconds */

  g_return_val_if_fail (MS_IS_PCAPNG_WRITER (self), NULL);

  put_u32 (body, BYTE_ORDER_MAGIC);
  put_u16 (body, 1);
  put_u16 (body, 0);
  put_u32 (body, 0xffffffff);  /* section length unknown */
  put_u32 (body, 0xffffffff);
  put_option (body, OPTION_SHB_USERAPPL, appl, strlen (appl));
  put_u32 (body, OPTION_END);
  put_block (out, BLOCK_SECTION_HEADER, body);

  g_byte_array_set_size (body, 0);
  put_u16 (body, LINKTYPE_ETHERNET);
  put_u16 (body, 0);
  put_u32 (body, 0);  /* no snap length */
  put_option (body, OPTION_IF_NAME, if_name, strlen (if_name));
  put_option (body, OPTION_IF_TSRESOL, &tsresol, 1);
  put_u32 (body, OPTION_END);
  put_block (out, BLOCK_INTERFACE, body);

  if (self->keylog->len > 0)
    {
      g_byte_array_set_size (body, 0);
      put_u32 (body, SECRETS_TLS_KEY_LOG);
      put_u32 (body, self->keylog->len);
      put_padded (body, (const guint8 *) self->keylog->str, self->keylog->len);
      put_block (out, BLOCK_DECRYPTION_SECRETS, body);
    }

  g_byte_array_append (out, self->packets->data, self->packets->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record observer: a resumable parser over one direction of a TLS byte
 * stream. Three small machines nest: the record header (5 bytes), the
 * record body, and inside unencrypted handshake records the handshake
 * message headers (4 bytes each), whose bodies are skipped, not kept, except
 * a ServerHello's, read for the version it selects. */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-tls-context.h"
#include "ms-tls-record-parser.h"

#define RECORD_HEADER_LEN     5
#define HANDSHAKE_HEADER_LEN  4
#define HANDSHAKE_SERVER_HELLO 2

/* RFC 8446 4.1.3: a ServerHello whose random is this value is a
 * HelloRetryRequest (the SHA-256 of "HelloRetryRequest"). */
static const guint8 hello_retry_random[32] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

struct _MsTlsRecordParser
{
  GQueue       records;          /* of MsTlsRecord, complete, not yet taken */
  char        *error;            /* sticky */

  guint8       header[RECORD_HEADER_LEN];
  guint        header_len;
  guint        body_left;        /* bytes of the current record still to come */
  MsTlsRecord *current;          /* the record being read, once its header is in */
  GPtrArray   *names;            /* handshake names starting in the current record */
  guint        alert_len;

  guint8       hs_header[HANDSHAKE_HEADER_LEN];
  guint        hs_header_len;
  guint32      hs_left;          /* body bytes of the current handshake message still to come */
  guint8       hs_type;
  GByteArray  *hs_body;          /* kept only for a ServerHello */

  gboolean     encrypted;        /* this direction now sends protected records */
  gboolean     encrypt_after_record;
  gboolean     tls13;
};

MsTlsRecordParser *
ms_tls_record_parser_new (void)
{
  MsTlsRecordParser *self = g_new0 (MsTlsRecordParser, 1);

  g_queue_init (&self->records);
  self->hs_body = g_byte_array_new ();
  return self;
}

void
ms_tls_record_free (MsTlsRecord *record)
{
  if (record == NULL)
    return;
  g_strfreev (record->handshake_names);
  g_free (record);
}

void
ms_tls_record_parser_free (MsTlsRecordParser *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->records, (GDestroyNotify) ms_tls_record_free);
  ms_tls_record_free (self->current);
  if (self->names != NULL)
    g_ptr_array_unref (self->names);
  g_byte_array_unref (self->hs_body);
  g_free (self->error);
  g_free (self);
}

static gboolean
set_error (MsTlsRecordParser *self,
           GError           **error,
           const char        *format,
           ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_error (MsTlsRecordParser *self,
           GError           **error,
           const char        *format,
           ...)
{
  va_list args;

  g_assert (self->error == NULL);
  va_start (args, format);
  self->error = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, MS_TLS_ERROR, MS_TLS_ERROR_RECORD, self->error);
  return FALSE;
}

static char *
handshake_name (guint8 type)
{
  const char *name = ms_tls_handshake_type_name (type);

  return name ? g_strdup (name) : g_strdup_printf ("handshake type %u", type);
}

/* Reads the version a ServerHello selects: the supported_versions extension
 * (RFC 8446 4.2.1) if there is one, else legacy_version. Also tells a
 * HelloRetryRequest apart. A malformed body is left to the endpoints to
 * refuse; the observer only stops guessing. */
static void
inspect_server_hello (MsTlsRecordParser *self)
{
  const guint8 *p = self->hs_body->data;
  gsize len = self->hs_body->len, off;
  gboolean retry;

  if (len < 2 + 32 + 1)
    return;
  retry = memcmp (p + 2, hello_retry_random, sizeof hello_retry_random) == 0;
  if (retry && self->names->len > 0 &&
      g_strcmp0 (g_ptr_array_index (self->names, self->names->len - 1), "ServerHello") == 0)
    {
      g_free (g_ptr_array_index (self->names, self->names->len - 1));
      g_ptr_array_index (self->names, self->names->len - 1) = g_strdup ("HelloRetryRequest");
    }
  off = 2 + 32;
  off += 1 + p[off];                 /* legacy_session_id_echo */
  off += 2 + 1;                      /* cipher_suite, legacy_compression_method */
  if (off + 2 > len)
    return;
  {
    gsize ext_end = off + 2 + ((gsize) p[off] << 8 | p[off + 1]);

    off += 2;
    ext_end = MIN (ext_end, len);
    while (off + 4 <= ext_end)
      {
        guint type = (guint) p[off] << 8 | p[off + 1];
        gsize ext_len = (gsize) p[off + 2] << 8 | p[off + 3];

        off += 4;
        if (off + ext_len > ext_end)
          return;
        if (type == 43 && ext_len == 2 && p[off] == 0x03 && p[off + 1] == 0x04)
          {
            self->tls13 = TRUE;
            /* After a TLS 1.3 ServerHello every further handshake message
             * of the server is encrypted (RFC 8446 2); a HelloRetryRequest
             * is the exception: a plain ServerHello still follows. */
            if (!retry)
              self->encrypt_after_record = TRUE;
          }
        off += ext_len;
      }
  }
}

static void
handshake_message_done (MsTlsRecordParser *self)
{
  if (self->hs_type == HANDSHAKE_SERVER_HELLO)
    inspect_server_hello (self);
  g_byte_array_set_size (self->hs_body, 0);
  self->hs_header_len = 0;
  self->hs_left = 0;
}

static gboolean
feed_handshake (MsTlsRecordParser *self,
                const guint8      *data,
                gsize              len,
                GError           **error)
{
  while (len > 0)
    {
      if (self->hs_left == 0)
        {
          guint32 msg_len;

          self->hs_header[self->hs_header_len++] = *data++;
          len--;
          if (self->hs_header_len < HANDSHAKE_HEADER_LEN)
            continue;
          self->hs_type = self->hs_header[0];
          msg_len = (guint32) self->hs_header[1] << 16 | (guint32) self->hs_header[2] << 8 | self->hs_header[3];
          if (msg_len > MS_LIMIT_TLS_HANDSHAKE_MESSAGE)
            return set_error (self, error, "A %s message of %u bytes is longer than the %u bytes allowed",
                              ms_tls_handshake_type_name (self->hs_type) ?: "handshake",
                              msg_len, MS_LIMIT_TLS_HANDSHAKE_MESSAGE);
          g_ptr_array_add (self->names, handshake_name (self->hs_type));
          self->hs_left = msg_len;
          if (msg_len == 0)
            handshake_message_done (self);
          continue;
        }
      {
        gsize take = MIN (len, self->hs_left);

        if (self->hs_type == HANDSHAKE_SERVER_HELLO &&
            self->hs_body->len + take <= MS_LIMIT_TLS_SERVER_HELLO)
          g_byte_array_append (self->hs_body, data, take);
        data += take;
        len -= take;
        self->hs_left -= take;
        if (self->hs_left == 0)
          handshake_message_done (self);
      }
    }
  return TRUE;
}

static gboolean
start_record (MsTlsRecordParser *self,
              GError           **error)
{
  const guint8 *h = self->header;
  MsTlsRecord *record;
  guint limit;

  if (ms_tls_content_type_name (h[0]) == NULL)
    {
      if (g_ascii_isprint (h[0]) && g_ascii_isprint (h[1]) && g_ascii_isprint (h[2]))
        return set_error (self, error, "Not a TLS record: the bytes look like plain text (\"%c%c%c…\")",
                          h[0], h[1], h[2]);
      return set_error (self, error, "Not a TLS record: unknown content type %u", h[0]);
    }
  /* Every TLS record says major version 3. The minor is reported, not
   * judged: before the version is agreed an endpoint may echo whatever the
   * peer's first record said (OpenSSL's alert to a garbled ClientHello
   * does), and refusing old versions is the endpoints' business. That echo
   * can even carry a major version other than 3 (a ClientHello claiming
   * 1.3 gets its protocol_version alert in a record marked 1.3), so an
   * alert is shown as it crossed the wire, whatever its version field. */
  if (h[1] != 3 && h[0] != 21)
    return set_error (self, error, "Not a TLS record: version field %u.%u", h[1], h[2]);

  record = g_new0 (MsTlsRecord, 1);
  record->content_type = h[0];
  record->version = (guint16) (h[1] << 8 | h[2]);
  record->length = (guint16) (h[3] << 8 | h[4]);
  /* change_cipher_spec is never protected, application_data always is. */
  record->encrypted = record->content_type == MS_TLS_CONTENT_APPLICATION_DATA ||
                      (self->encrypted && record->content_type != MS_TLS_CONTENT_CHANGE_CIPHER_SPEC);
  self->current = record;

  if (!record->encrypted)
    limit = MS_LIMIT_TLS_PLAINTEXT_RECORD;
  else
    limit = self->tls13 ? MS_LIMIT_TLS13_CIPHERTEXT_RECORD : MS_LIMIT_TLS_CIPHERTEXT_RECORD;
  if (record->length > limit)
    return set_error (self, error, "This %s record of %u bytes is longer than the %u bytes allowed",
                      ms_tls_content_type_name (h[0]), record->length, limit);
  /* RFC 8446 5.1 and RFC 5246 6.2.1: empty handshake, alert and
   * change_cipher_spec records are forbidden; empty application data is a
   * legitimate (if odd) thing. */
  if (record->length == 0 && record->content_type != MS_TLS_CONTENT_APPLICATION_DATA)
    return set_error (self, error, "An empty %s record", ms_tls_content_type_name (h[0]));
  if (record->content_type == MS_TLS_CONTENT_CHANGE_CIPHER_SPEC && record->length != 1)
    return set_error (self, error, "A change_cipher_spec record of %u bytes (it is always 1)", record->length);

  if (record->content_type == MS_TLS_CONTENT_HANDSHAKE && !record->encrypted &&
      (self->hs_left > 0 || self->hs_header_len > 0))
    {
      record->continues = TRUE;
      record->continued_type = self->hs_header_len == HANDSHAKE_HEADER_LEN ? self->hs_type : 0;
    }
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->alert_len = 0;
  self->body_left = record->length;
  return TRUE;
}

static gboolean
feed_body (MsTlsRecordParser *self,
           const guint8      *data,
           gsize              len,
           GError           **error)
{
  MsTlsRecord *record = self->current;

  if (record->encrypted)
    return TRUE;
  switch (record->content_type)
    {
    case MS_TLS_CONTENT_HANDSHAKE:
      return feed_handshake (self, data, len, error);
    case MS_TLS_CONTENT_ALERT:
      for (gsize i = 0; i < len && self->alert_len < 2; i++, self->alert_len++)
        {
          if (self->alert_len == 0)
            record->alert_level = data[i];
          else
            record->alert_description = data[i];
        }
      return TRUE;
    case MS_TLS_CONTENT_CHANGE_CIPHER_SPEC:
      if (data[0] != 1)
        return set_error (self, error, "A change_cipher_spec record carrying %u (it is always 1)", data[0]);
      return TRUE;
    default:
      return TRUE;
    }
}

static gboolean
finish_record (MsTlsRecordParser *self,
               GError           **error)
{
  MsTlsRecord *record = g_steal_pointer (&self->current);

  if (record->content_type == MS_TLS_CONTENT_ALERT && !record->encrypted && self->alert_len < 2)
    {
      ms_tls_record_free (record);
      return set_error (self, error, "An alert record shorter than an alert");
    }
  if (self->names->len > 0)
    {
      g_ptr_array_add (self->names, NULL);
      /* Freeing only the array hands the strings over to the strv. */
      record->handshake_names = (char **) g_ptr_array_free (g_steal_pointer (&self->names), FALSE);
    }
  else
    g_clear_pointer (&self->names, g_ptr_array_unref);

  /* In TLS 1.2 a ChangeCipherSpec switches its sender to the new keys. In
   * TLS 1.3 it is a no-op sent for middleboxes (RFC 8446 D.4), but the
   * sender is encrypting by then anyway, so the same rule holds. */
  if (record->content_type == MS_TLS_CONTENT_CHANGE_CIPHER_SPEC || self->encrypt_after_record)
    self->encrypted = TRUE;
  self->encrypt_after_record = FALSE;
  g_queue_push_tail (&self->records, record);
  return TRUE;
}

/**
 * ms_tls_record_parser_feed:
 *
 * Reads @data, queuing every record it completes. Returns %FALSE, now and
 * for every later call, once the stream broke a rule: an observer cannot
 * find the next record boundary after garbage.
 */
gboolean
ms_tls_record_parser_feed (MsTlsRecordParser *self,
                           const guint8      *data,
                           gsize              len,
                           GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      g_set_error_literal (error, MS_TLS_ERROR, MS_TLS_ERROR_RECORD, self->error);
      return FALSE;
    }
  while (len > 0)
    {
      if (self->current == NULL)
        {
          gsize take = MIN (len, RECORD_HEADER_LEN - self->header_len);

          memcpy (self->header + self->header_len, data, take);
          self->header_len += take;
          data += take;
          len -= take;
          if (self->header_len < RECORD_HEADER_LEN)
            break;
          self->header_len = 0;
          if (!start_record (self, error))
            return FALSE;
        }
      else
        {
          gsize take = MIN (len, self->body_left);

          if (take > 0 && !feed_body (self, data, take, error))
            return FALSE;
          data += take;
          len -= take;
          self->body_left -= take;
        }
      if (self->current != NULL && self->body_left == 0 && !finish_record (self, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * ms_tls_record_parser_next:
 *
 * Returns: (transfer full) (nullable): the oldest complete record not yet
 *   taken, or %NULL
 */
MsTlsRecord *
ms_tls_record_parser_next (MsTlsRecordParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_queue_pop_head (&self->records);
}

/**
 * ms_tls_record_parser_get_pending:
 *
 * Bytes read that belong to a record not complete yet.
 */
gsize
ms_tls_record_parser_get_pending (MsTlsRecordParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  if (self->current != NULL)
    return RECORD_HEADER_LEN + (self->current->length - self->body_left);
  return self->header_len;
}

/**
 * ms_tls_record_parser_saw_tls13:
 *
 * Whether this direction carried a ServerHello selecting TLS 1.3. Only the
 * server's direction can know; the client's never says.
 */
gboolean
ms_tls_record_parser_saw_tls13 (MsTlsRecordParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->tls13;
}

/**
 * ms_tls_record_describe:
 *
 * One line for a transcript: "handshake 512 B: ClientHello",
 * "application_data 53 B, encrypted", "alert 2 B: fatal protocol_version".
 */
char *
ms_tls_record_describe (const MsTlsRecord *record)
{
  GString *out;
  const char *type_name;

  g_return_val_if_fail (record != NULL, NULL);

  type_name = ms_tls_content_type_name (record->content_type);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s %u B", type_name ? type_name : "unknown", record->length);
  if (record->encrypted)
    {
      g_string_append (out, ", encrypted");
      return g_string_free (out, FALSE);
    }
  if (record->content_type == MS_TLS_CONTENT_ALERT)
    {
      const char *desc = ms_tls_alert_description_name (record->alert_description);

      g_string_append_printf (out, ": %s ", record->alert_level == 2 ? "fatal" :
                                             record->alert_level == 1 ? "warning" : "level?");
      if (desc != NULL)
        g_string_append (out, desc);
      else
        g_string_append_printf (out, "alert %u", record->alert_description);
    }
  if (record->content_type == MS_TLS_CONTENT_HANDSHAKE)
    {
      const char *sep = ": ";

      if (record->continues)
        {
          const char *name = ms_tls_handshake_type_name (record->continued_type);

          g_string_append_printf (out, "%s(rest of %s)", sep, name ? name : "a message");
          sep = ", ";
        }
      for (guint i = 0; record->handshake_names && record->handshake_names[i]; i++)
        {
          g_string_append_printf (out, "%s%s", sep, record->handshake_names[i]);
          sep = ", ";
        }
    }
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MsTlsRecordParser: what an eavesdropper sees of one direction of a TLS
 * connection. Fed the raw bytes in any chunks (one byte at a time works), it
 * reports each complete record: content type, the version field, the length,
 * and for records still in clear the handshake messages or the alert they
 * carry. Once a direction has switched to encryption (after its
 * ChangeCipherSpec, or after a TLS 1.3 ServerHello) records are reported as
 * encrypted with nothing more, because nothing more can be known: TLS 1.3
 * hides almost the whole handshake inside application_data records.
 *
 * Limits are explicit (ms-limits.h); on a violation the parser reports an
 * error and stays in error: bytes after garbage cannot be re-synchronised. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MS_TLS_CONTENT_CHANGE_CIPHER_SPEC = 20,
  MS_TLS_CONTENT_ALERT              = 21,
  MS_TLS_CONTENT_HANDSHAKE          = 22,
  MS_TLS_CONTENT_APPLICATION_DATA   = 23,
  MS_TLS_CONTENT_HEARTBEAT          = 24,
} MsTlsContentType;

typedef struct {
  MsTlsContentType content_type;
  guint16          version;         /* the record's version field (0x0303 even in TLS 1.3) */
  guint16          length;          /* bytes after the 5-byte header */
  gboolean         encrypted;       /* the body is protected: no names can be known */
  char           **handshake_names; /* messages that start in this record (NULL-terminated), or NULL */
  gboolean         continues;       /* the record starts with the rest of an earlier message */
  guint8           continued_type;  /* …of this handshake type */
  guint8           alert_level;     /* for an alert in clear: 1 warning, 2 fatal, else 0 */
  guint8           alert_description;
} MsTlsRecord;

typedef struct _MsTlsRecordParser MsTlsRecordParser;

MsTlsRecordParser *ms_tls_record_parser_new            (void);
void               ms_tls_record_parser_free           (MsTlsRecordParser *self);
gboolean           ms_tls_record_parser_feed           (MsTlsRecordParser *self,
                                                        const guint8      *data,
                                                        gsize              len,
                                                        GError           **error);
MsTlsRecord       *ms_tls_record_parser_next           (MsTlsRecordParser *self);
gsize              ms_tls_record_parser_get_pending    (MsTlsRecordParser *self);
gboolean           ms_tls_record_parser_saw_tls13      (MsTlsRecordParser *self);

void               ms_tls_record_free                  (MsTlsRecord       *record);
char              *ms_tls_record_describe              (const MsTlsRecord *record);
const char        *ms_tls_content_type_name            (guint8             content_type);
const char        *ms_tls_handshake_type_name          (guint8             handshake_type);
const char        *ms_tls_alert_description_name       (guint8             description);
const char        *ms_tls_version_field_name           (guint16            version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsTlsRecordParser, ms_tls_record_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsTlsRecord, ms_tls_record_free)

G_END_DECLS

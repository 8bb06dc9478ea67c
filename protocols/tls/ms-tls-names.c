/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names for the numbers on the wire, from the IANA TLS registries (content
 * types, handshake types and alerts of RFC 5246 and RFC 8446). */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include "ms-tls-record-parser.h"

const char *
ms_tls_content_type_name (guint8 content_type)
{
  switch (content_type)
    {
    case MS_TLS_CONTENT_CHANGE_CIPHER_SPEC: return "change_cipher_spec";
    case MS_TLS_CONTENT_ALERT:              return "alert";
    case MS_TLS_CONTENT_HANDSHAKE:          return "handshake";
    case MS_TLS_CONTENT_APPLICATION_DATA:   return "application_data";
    case MS_TLS_CONTENT_HEARTBEAT:          return "heartbeat";
    default:                                return NULL;
    }
}

const char *
ms_tls_handshake_type_name (guint8 handshake_type)
{
  switch (handshake_type)
    {
    case 0:   return "HelloRequest";
    case 1:   return "ClientHello";
    case 2:   return "ServerHello";
    case 4:   return "NewSessionTicket";
    case 5:   return "EndOfEarlyData";
    case 8:   return "EncryptedExtensions";
    case 11:  return "Certificate";
    case 12:  return "ServerKeyExchange";
    case 13:  return "CertificateRequest";
    case 14:  return "ServerHelloDone";
    case 15:  return "CertificateVerify";
    case 16:  return "ClientKeyExchange";
    case 20:  return "Finished";
    case 22:  return "CertificateStatus";
    case 24:  return "KeyUpdate";
    case 254: return "MessageHash";
    default:  return NULL;
    }
}

const char *
ms_tls_alert_description_name (guint8 description)
{
  switch (description)
    {
    case 0:   return "close_notify";
    case 10:  return "unexpected_message";
    case 20:  return "bad_record_mac";
    case 22:  return "record_overflow";
    case 40:  return "handshake_failure";
    case 42:  return "bad_certificate";
    case 43:  return "unsupported_certificate";
    case 44:  return "certificate_revoked";
    case 45:  return "certificate_expired";
    case 46:  return "certificate_unknown";
    case 47:  return "illegal_parameter";
    case 48:  return "unknown_ca";
    case 49:  return "access_denied";
    case 50:  return "decode_error";
    case 51:  return "decrypt_error";
    case 70:  return "protocol_version";
    case 71:  return "insufficient_security";
    case 80:  return "internal_error";
    case 86:  return "inappropriate_fallback";
    case 90:  return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default:  return NULL;
    }
}

const char *
ms_tls_version_field_name (guint16 version)
{
  switch (version)
    {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default:     return NULL;
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What IMAP needs from a message: ENVELOPE, BODYSTRUCTURE/BODY, the bytes of
 * BODY[section], and the SEARCH tests. Answers are written to equal Debian's
 * Dovecot 2.3 byte for byte (tests/interop/mime_vs_dovecot.py checks it).
 *
 * The message is split once into parts (header and body offsets, line
 * counts) and that compact form is cached in the MsMessage; the strings are
 * built from the raw header bytes when asked. Decoding (RFC 2047 words,
 * base64, quoted-printable, charsets, dates) is GMime's. */
#pragma once

#include <glib.h>
#include "ms-message.h"

G_BEGIN_DECLS

typedef enum {
  MS_MIME_SECTION_ALL,                 /* BODY[] or BODY[1.2]: the part's body */
  MS_MIME_SECTION_HEADER,
  MS_MIME_SECTION_HEADER_FIELDS,
  MS_MIME_SECTION_HEADER_FIELDS_NOT,
  MS_MIME_SECTION_TEXT,
  MS_MIME_SECTION_MIME,
} MsMimeSectionKind;

typedef struct {
  guint              n_parts;      /* 0: the whole message */
  guint              parts[16];    /* IMAP part numbers, "1.2.3" is {1, 2, 3} */
  MsMimeSectionKind  kind;
  const char * const *fields;      /* NULL-terminated, for HEADER.FIELDS[.NOT] */
} MsMimeSection;

/* RFC 3501 ENVELOPE, as the parenthesised IMAP string (literals included). */
char     *ms_mime_envelope        (MsMessage           *message);
/* BODYSTRUCTURE when extensible, else BODY. */
char     *ms_mime_bodystructure   (MsMessage           *message,
                                   gboolean             extensible);
/* The same, made on first use and kept with the message (owned by it, valid
 * as long as the message is): FETCH asks for them again and again. */
const char *ms_mime_get_envelope      (MsMessage         *message);
const char *ms_mime_get_bodystructure (MsMessage         *message,
                                       gboolean           extensible);
/* The exact bytes of BODY[section] (RFC 3501 section 6.4.5), except that a
 * NUL byte is given as 0x80 (a literal may not hold NUL; Dovecot does the
 * same). A part that does not exist gives empty bytes, as Dovecot does; only
 * a section that cannot be asked (MIME without a part number) is an error
 * (G_IO_ERROR_INVALID_ARGUMENT). */
GBytes   *ms_mime_get_section     (MsMessage           *message,
                                   const MsMimeSection *section,
                                   GError             **error);

/* SEARCH HEADER: field "" means any header field. Values are unfolded and
 * RFC 2047 decoded; the match is a case-insensitive substring, an empty
 * needle matches every message that has the field. */
gboolean  ms_mime_header_contains (MsMessage           *message,
                                   const char          *field,
                                   const char          *needle);
/* SEARCH BODY: the decoded text of the text parts, nested messages included. */
gboolean  ms_mime_body_contains   (MsMessage           *message,
                                   const char          *needle);
/* SEARCH TEXT: the header or the body. */
gboolean  ms_mime_text_contains   (MsMessage           *message,
                                   const char          *needle);
/* The Date: header as Unix time, -1 when it is missing or cannot be read. */
gint64    ms_mime_get_sent_date   (MsMessage           *message);
/* The first value of a header field, unfolded and decoded, for display; NULL if absent. */
char     *ms_mime_get_header      (MsMessage           *message,
                                   const char          *field);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One message in one mailbox. The raw bytes (always CRLF line ends, so that
 * sizes are what POP3 and IMAP report) are a GBytes that copies share; the
 * flags change only through ms_mailbox_store_flags(), which keeps the
 * mailbox's modification sequence and tells observers.
 *
 * ms_message_get_raw() returns the message's own GBytes (borrowed: it lives
 * as long as the message; take a ref to keep it longer). It never copies
 * after the first call, so a writer can queue a ref to it instead of copying
 * the bytes. A message loaded from an mbox file is read from the file the
 * first time it is asked for: a CRLF file's message is then a slice of the
 * file's mapping, an LF file's a copy with CRs added (ms-raw-file.c). Its
 * size is known without reading it. */
#pragma once

#include <glib-object.h>
#include "ms-types.h"

G_BEGIN_DECLS

typedef enum {
  MS_FLAG_NONE     = 0,
  MS_FLAG_SEEN     = 1 << 0,
  MS_FLAG_ANSWERED = 1 << 1,
  MS_FLAG_FLAGGED  = 1 << 2,
  MS_FLAG_DELETED  = 1 << 3,
  MS_FLAG_DRAFT    = 1 << 4,
} MsFlags;

#define MS_FLAG_ALL (MS_FLAG_SEEN | MS_FLAG_ANSWERED | MS_FLAG_FLAGGED | MS_FLAG_DELETED | MS_FLAG_DRAFT)

#define MS_TYPE_MESSAGE (ms_message_get_type ())

GType               ms_message_get_type                 (void) G_GNUC_CONST;
MsMessage          *ms_message_ref                      (MsMessage      *self);
void                ms_message_unref                    (MsMessage      *self);
guint32             ms_message_get_uid                  (const MsMessage *self);
GBytes             *ms_message_get_raw                  (const MsMessage *self);
gsize               ms_message_get_size                 (const MsMessage *self);
/* For a reader that looks at each message once and lets it go (SEARCH over
 * a mailbox loaded from an LF mbox, whose copies with CRs would otherwise
 * all be kept: 2 GB for 100k messages). The message's bytes as
 * ms_message_get_raw() gives them, at least the first @limit: the kept
 * ones if there are any, else a copy made in @scratch (valid until its
 * next use) and not kept. */
const guint8       *ms_message_peek_raw                 (const MsMessage *self,
                                                         GByteArray      *scratch,
                                                         gsize            limit,
                                                         gsize           *len);
/* For the same reader, to look again later without a copy: where offsets
 * @at (ascending) of the message's bytes lie in its LF lines in its mbox
 * file (see ms_raw_span_locate(): the bytes between two such places read
 * the same to a search for text without line ends and without '>'), and
 * those bytes, in place. FALSE or NULL when the message is not such a
 * message, or its bytes are kept (ms_message_get_raw() costs nothing then). */
gboolean            ms_message_locate_lines             (const MsMessage *self,
                                                         const gsize     *at,
                                                         gsize           *out,
                                                         guint            n);
const char         *ms_message_peek_lines               (const MsMessage *self,
                                                         gsize            start,
                                                         gsize            end);
gint64              ms_message_get_internal_date        (const MsMessage *self);
int                 ms_message_get_internal_date_offset (const MsMessage *self);
MsFlags             ms_message_get_flags                (const MsMessage *self);
gboolean            ms_message_has_flag                 (const MsMessage *self,
                                                         MsFlags          flag);
const char * const *ms_message_get_keywords             (const MsMessage *self);
gboolean            ms_message_has_keyword              (const MsMessage *self,
                                                         const char      *keyword);
guint64             ms_message_get_modseq               (const MsMessage *self);
gboolean            ms_message_get_recent               (const MsMessage *self);

/* A slot for one derived, cached form of the message (the mime module keeps
 * its parsed structure here), freed with the message. */
gpointer            ms_message_get_cache                (const MsMessage *self);
void                ms_message_set_cache                (MsMessage      *self,
                                                         gpointer        data,
                                                         GDestroyNotify  destroy);

/* Flag names as IMAP spells them ("\\Seen"); NULL for combinations. */
const char         *ms_flag_to_string                   (MsFlags         flag);
/* "\\Seen" (case-insensitive) to its flag; MS_FLAG_NONE when not a system flag. */
MsFlags             ms_flag_from_string                 (const char     *name);
/* A keyword is an IMAP atom without '\\' (RFC 3501 flag-keyword). */
gboolean            ms_keyword_is_valid                 (const char     *keyword);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsMessage, ms_message_unref)

G_END_DECLS

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

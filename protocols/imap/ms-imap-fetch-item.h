/* SPDX-License-Identifier: GPL-3.0-or-later */
/* FETCH items (RFC 3501 section 6.4.5) parsed from the command's
 * arguments, apart from sending them. */
#pragma once

#include "ms-mime.h"
#include "ms-imap-parser.h"

G_BEGIN_DECLS

typedef enum {
  MS_IMAP_FETCH_UID,
  MS_IMAP_FETCH_FLAGS,
  MS_IMAP_FETCH_INTERNALDATE,
  MS_IMAP_FETCH_RFC822_SIZE,
  MS_IMAP_FETCH_ENVELOPE,
  MS_IMAP_FETCH_BODY,            /* the non-extensible BODYSTRUCTURE */
  MS_IMAP_FETCH_BODYSTRUCTURE,
  MS_IMAP_FETCH_RFC822,
  MS_IMAP_FETCH_RFC822_HEADER,
  MS_IMAP_FETCH_RFC822_TEXT,
  MS_IMAP_FETCH_SECTION,         /* BODY[...] and BODY.PEEK[...] */
} MsImapFetchKind;

typedef struct
{
  MsImapFetchKind kind;
  MsMimeSection   section;
  char          **fields;        /* owns section.fields */
  char           *name;          /* "BODY[HEADER]" as answered, without the partial */
  gboolean        peek;
  gboolean        partial;
  guint32         offset;
  guint32         length;
} MsImapFetchItem;

/* Parses the item list; NULL with *error set to a message for BAD. */
GPtrArray *ms_imap_fetch_items_parse (const MsImapArg *arg,
                                      const char     **error);
void       ms_imap_fetch_item_free   (MsImapFetchItem *item);

G_END_DECLS

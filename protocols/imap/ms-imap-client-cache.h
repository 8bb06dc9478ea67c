/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What an IMAP client remembers beside its local store: for every folder the
 * server's UIDVALIDITY and the highest UID seen, and for every message which
 * server UID it is, which local message holds it and how much of it is here
 * (headers only, the text part, the whole message, which attachment parts).
 * The offline queue lives here too. Kept as data on the MsStore, so a crashed
 * device (a new store) starts from nothing, as a reinstalled client does. */
#pragma once

#include <glib.h>
#include "ms-client-action.h"
#include "ms-imap-client-parser.h"
#include "ms-store.h"

G_BEGIN_DECLS

typedef enum {
  MS_IMAP_CACHE_NONE,      /* not known here */
  MS_IMAP_CACHE_HEADERS,   /* envelope only: what header-first sync fetches */
  MS_IMAP_CACHE_TEXT,      /* plus the text part (attachments left on the server) */
  MS_IMAP_CACHE_FULL,      /* the whole message */
} MsImapCacheLevel;

typedef struct
{
  guint32           server_uid;
  guint32           local_uid;
  MsImapCacheLevel  level;
  guint64           size;             /* RFC822.SIZE */
  guint             n_parts;          /* top-level body parts (1 if not multipart) */
  guint32           attachment_mask;  /* bit n-1 set: part n is an attachment */
  guint32           parts_here;       /* bit n-1 set: part n was fetched */
  guint64           part_size[8];     /* sizes of parts 1..8 from BODYSTRUCTURE */
} MsImapCachedMessage;

typedef struct
{
  char        *name;
  guint32      uidvalidity;
  guint32      max_uid;        /* the highest server UID ever cached: new mail is above it */
  GHashTable  *by_uid;         /* server UID → MsImapCachedMessage */
} MsImapCachedMailbox;

MsImapCachedMailbox *ms_imap_client_cache_mailbox       (MsStore             *store,
                                                  const char          *user,
                                                  const char          *name);
void                 ms_imap_client_cache_drop_mailbox  (MsStore             *store,
                                                  const char          *user,
                                                  const char          *name);
void                 ms_imap_client_cache_rename_mailbox (MsStore            *store,
                                                  const char          *user,
                                                  const char          *old_name,
                                                  const char          *new_name);
MsImapCachedMessage *ms_imap_client_cache_lookup        (MsImapCachedMailbox *mailbox,
                                                  guint32              server_uid);
MsImapCachedMessage *ms_imap_client_cache_find_local    (MsImapCachedMailbox *mailbox,
                                                  guint32              local_uid);
/* Adds a headers-only local copy built from an ENVELOPE, keeping the server
 * UID as the local UID whenever the local UIDNEXT allows it. */
MsImapCachedMessage *ms_imap_client_cache_add_headers   (MsImapCachedMailbox *cache,
                                                  MsMailbox           *local,
                                                  guint32              server_uid,
                                                  const MsImapClientItem    *envelope,
                                                  const MsImapClientItem    *bodystructure,
                                                  guint64              size,
                                                  MsFlags              flags,
                                                  const char * const  *keywords,
                                                  gint64               now);
/* Replaces the local copy's bytes (keeping flags and the folder's order). */
void                 ms_imap_client_cache_replace_raw   (MsImapCachedMailbox *cache,
                                                  MsMailbox           *local,
                                                  MsImapCachedMessage *entry,
                                                  GBytes              *raw);
/* Removes the local copy and the entry. */
void                 ms_imap_client_cache_remove        (MsImapCachedMailbox *cache,
                                                  MsMailbox           *local,
                                                  guint32              server_uid);
/* Forgets every message of the folder (a changed UIDVALIDITY, T71). */
void                 ms_imap_client_cache_clear         (MsImapCachedMailbox *cache,
                                                  MsMailbox           *local);

/* The offline queue: actions done while offline, replayed by RESYNC. */
GPtrArray           *ms_imap_client_cache_offline_queue (MsStore             *store,
                                                  const char          *user);

/* FLAGS list → flags and keywords (\Recent and unknown system flags ignored). */
void                 ms_imap_client_flags_from_item     (const MsImapClientItem    *list,
                                                  MsFlags             *flags,
                                                  GStrv               *keywords);
/* An ENVELOPE as header lines (Date, Subject, From, To, Cc, Message-ID), ending with the blank line. */
char                *ms_imap_client_envelope_to_header  (const MsImapClientItem    *envelope);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the simulated clients share for their local copy of the mail:
 * finding the message an action names, reading a header, searching. They
 * touch only the device's own MsStore, never the network. */
#pragma once

#include <glib.h>
#include "ms-phrase.h"
#include "ms-store.h"

G_BEGIN_DECLS

/* The device's account for this user, created on first use. */
MsAccount *ms_client_local_account        (MsStore       *store,
                                           const char    *user);
/* name NULL means INBOX; NULL when there is no such local folder. */
MsMailbox *ms_client_local_mailbox        (MsAccount     *account,
                                           const char    *name);
/* The folder with this role, created under default_name when missing. */
MsMailbox *ms_client_local_role_mailbox   (MsAccount     *account,
                                           MsMailboxRole  role,
                                           const char    *default_name);
/* selector: "#N" (the Nth message, 1-based) or a Subject substring
 * (case-insensitive; the first match in UID order). */
MsMessage *ms_client_local_find           (MsMailbox     *mailbox,
                                           const char    *selector,
                                           guint         *index_out);
/* The unfolded value of the first header field with this name in raw
 * (only the header section is read), or NULL. */
char      *ms_client_local_header         (GBytes        *raw,
                                           const char    *name);
/* TRUE when every whitespace-separated word occurs in raw, ignoring ASCII case. */
gboolean   ms_client_local_matches        (GBytes        *raw,
                                           const char    *words);
/* Human sizes for summaries: "820 bytes", "41 KB", "2.3 MB". */
char      *ms_client_local_format_size    (guint64        bytes);
/* The same size inside a summary phrase, so "820 bytes" reads "820 Bytes"
 * in German. */
MsPhrase  *ms_client_local_size_phrase    (guint64        bytes);
/* Text a summary quotes (a subject, a search, a part): “Lunch”, with the
 * reader's quotation marks in the display line. */
MsPhrase  *ms_client_local_quoted_phrase  (const char    *text);
/* A subject: quoted, or “(no subject)” for NULL. */
MsPhrase  *ms_client_local_subject_phrase (const char    *subject);
/* Two fragments of a summary, joined as a client joins them ("; "): "deleted
 * “Lunch” on this device only; the copy on the server (if any) stays".
 * Takes both over. */
MsPhrase  *ms_client_local_two_fragments  (MsPhrase      *first,
                                           MsPhrase      *second);

G_END_DECLS

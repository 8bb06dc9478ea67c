/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a protocol session reports about itself: parsed commands, responses,
 * state transitions and notable happenings. The simulation turns these into
 * the transcript and the app into animation; one shape serves POP3, IMAP and SMTP. */
#pragma once

#include <glib-object.h>
#include "ms-phrase.h"
#include "ms-types.h"

G_BEGIN_DECLS

typedef enum {
  MS_PROTOCOL_EVENT_COMMAND,   /* a command line, as parsed by a server or sent by a client */
  MS_PROTOCOL_EVENT_RESPONSE,  /* a response line (status or untagged data) */
  MS_PROTOCOL_EVENT_STATE,     /* a state transition: name is the new state, detail the old one */
  MS_PROTOCOL_EVENT_NOTICE,    /* something worth narrating: a lock refused, a message removed… */
} MsProtocolEventKind;

struct _MsProtocolEvent
{
  MsProtocolEventKind kind;
  char *protocol;   /* "pop3", "imap" or "smtp" */
  char *name;       /* command name ("RETR"), status ("+OK", "OK", "250"), or new state */
  char *tag;        /* IMAP tag, or NULL */
  char *text;       /* the line without its CRLF, literal data elided; for STATE the old state */
  MsPhrase *phrase; /* for a NOTICE whose text is a sentence: that sentence (text is its
                     * English), so the transcript can show it translated; else NULL */
};

#define MS_TYPE_PROTOCOL_EVENT (ms_protocol_event_get_type ())

GType            ms_protocol_event_get_type  (void) G_GNUC_CONST;
MsProtocolEvent *ms_protocol_event_new       (MsProtocolEventKind    kind,
                                              const char            *protocol,
                                              const char            *name,
                                              const char            *tag,
                                              const char            *text);
/* A NOTICE whose text is @phrase (taken over). */
MsProtocolEvent *ms_protocol_event_new_phrase (MsProtocolEventKind   kind,
                                               const char           *protocol,
                                               const char           *name,
                                               const char           *tag,
                                               MsPhrase             *phrase);
MsProtocolEvent *ms_protocol_event_copy      (const MsProtocolEvent *event);
/* What the transcript says for a STATE or NOTICE event: "server: greeting
 * -> authenticated", "client: pushed: …" (@side is "server" or "client").
 * State and event names are words the catalogue may translate; the text is
 * the event's phrase, or its text as it is. */
MsPhrase        *ms_protocol_event_describe  (const MsProtocolEvent *event,
                                              const char            *side);
void             ms_protocol_event_free      (MsProtocolEvent       *event);
const char      *ms_protocol_event_kind_name (MsProtocolEventKind    kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsProtocolEvent, ms_protocol_event_free)

G_END_DECLS

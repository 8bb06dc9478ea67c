/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-protocol-event"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-protocol-event.h"

G_DEFINE_BOXED_TYPE (MsProtocolEvent, ms_protocol_event, ms_protocol_event_copy, ms_protocol_event_free)

MsProtocolEvent *
ms_protocol_event_new (MsProtocolEventKind  kind,
                       const char          *protocol,
                       const char          *name,
                       const char          *tag,
                       const char          *text)
{
  MsProtocolEvent *event = g_new0 (MsProtocolEvent, 1);

  event->kind = kind;
  event->protocol = g_strdup (protocol);
  event->name = g_strdup (name);
  event->tag = g_strdup (tag);
  event->text = g_strdup (text);
  return event;
}

MsProtocolEvent *
ms_protocol_event_new_phrase (MsProtocolEventKind  kind,
                              const char          *protocol,
                              const char          *name,
                              const char          *tag,
                              MsPhrase            *phrase)
{
  MsProtocolEvent *event = ms_protocol_event_new (kind, protocol, name, tag, NULL);

  event->text = ms_phrase_to_english (phrase);
  event->phrase = phrase;
  return event;
}

MsProtocolEvent *
ms_protocol_event_copy (const MsProtocolEvent *event)
{
  MsProtocolEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = ms_protocol_event_new (event->kind, event->protocol, event->name, event->tag, event->text);
  if (event->phrase != NULL)
    copy->phrase = ms_phrase_ref (event->phrase);
  return copy;
}

MsPhrase *
ms_protocol_event_describe (const MsProtocolEvent *event,
                            const char            *side)
{
  gboolean server = g_strcmp0 (side, "server") == 0;

  g_return_val_if_fail (event != NULL, NULL);

  if (event->kind == MS_PROTOCOL_EVENT_STATE)
    {
      if (event->text == NULL)
        return server ? ms_phrase_new (NC_ ("transcript", "server: %s"), ms_phrase_word (event->name))
                      : ms_phrase_new (NC_ ("transcript", "client: %s"), ms_phrase_word (event->name));
      return server ? ms_phrase_new (NC_ ("transcript", "server: %s -> %s"),
                                     ms_phrase_word (event->text), ms_phrase_word (event->name))
                    : ms_phrase_new (NC_ ("transcript", "client: %s -> %s"),
                                     ms_phrase_word (event->text), ms_phrase_word (event->name));
    }
  if (event->text == NULL)
    return server ? ms_phrase_new (NC_ ("transcript", "server: %s"), ms_phrase_word (event->name))
                  : ms_phrase_new (NC_ ("transcript", "client: %s"), ms_phrase_word (event->name));
  {
    MsPhrase *what = event->phrase != NULL ? ms_phrase_ref (event->phrase) : ms_phrase_text (event->text);

    return server ? ms_phrase_new (NC_ ("transcript", "server: %s: %s"), ms_phrase_word (event->name), what)
                  : ms_phrase_new (NC_ ("transcript", "client: %s: %s"), ms_phrase_word (event->name), what);
  }
}

void
ms_protocol_event_free (MsProtocolEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->protocol);
  g_free (event->name);
  g_free (event->tag);
  g_free (event->text);
  g_clear_pointer (&event->phrase, ms_phrase_unref);
  g_free (event);
}

const char *
ms_protocol_event_kind_name (MsProtocolEventKind kind)
{
  switch (kind)
    {
    case MS_PROTOCOL_EVENT_COMMAND:  return "command";
    case MS_PROTOCOL_EVENT_RESPONSE: return "response";
    case MS_PROTOCOL_EVENT_STATE:    return "state";
    case MS_PROTOCOL_EVENT_NOTICE:   return "notice";
    default:                         return "unknown";
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-protocol-event"
#include "config.h"

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
ms_protocol_event_copy (const MsProtocolEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return ms_protocol_event_new (event->kind, event->protocol, event->name, event->tag, event->text);
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

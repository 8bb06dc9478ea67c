/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STARTTLS (RFC 3501 section 6.2.1, RFC 2595). The tagged OK is queued in
 * plain text; whatever the client sent after the command line is thrown
 * away, never executed (an attacker could have injected it before the
 * handshake: the CVE-2011-0411 class), and the driver is asked to start TLS. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-imap-server-session-private.h"

void
ms_imap_cmd_starttls (MsImapServerSession *self,
                      MsImapCommand       *cmd,
                      gboolean             uid)
{
  if (!self->tls_available)
    {
      ms_imap_session_bad (self, cmd, "TLS is not available.");
      return;
    }
  if (self->tls_active)
    {
      ms_imap_session_bad (self, cmd, "TLS is already active.");
      return;
    }
  ms_imap_session_done (self, cmd, "OK", "Begin TLS negotiation now.");
  ms_imap_parser_reset (self->parser);
  self->mode = MS_IMAP_INPUT_DISCARD;
  ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "imap", "tls",
                                        ms_phrase_new (NC_ ("transcript", "requested")));
  ms_server_session_emit_tls_requested (MS_SERVER_SESSION (self));
}

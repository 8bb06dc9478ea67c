/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A real server (imap://HOST:PORT or pop3://HOST:PORT) dressed as an
 * MsServerSession, so the world can point a simulated client at Dovecot or
 * any other server and still time every chunk with the virtual clock.
 *
 * This is the one place in sim/ that does I/O, and it blocks: start()
 * connects (with a timeout) and reads the greeting; feed() writes and then
 * reads the answer until the server has been quiet for a short while. That
 * is good enough for a test against a local server; the transcript of such
 * a run depends on the server and is not a golden. */
#pragma once

#include <gio/gio.h>
#include "ms-server-session.h"

G_BEGIN_DECLS

#define MS_TYPE_EXTERNAL_LINK (ms_external_link_get_type ())

G_DECLARE_FINAL_TYPE (MsExternalLink, ms_external_link, MS, EXTERNAL_LINK, GObject)

/* Parses the URL; the connection is made by start(). */
MsServerSession *ms_external_link_new         (const char  *url,
                                               GError     **error);
/* "imap" or "pop3", from the URL's scheme. */
const char      *ms_external_link_get_protocol (MsExternalLink *self);

G_END_DECLS

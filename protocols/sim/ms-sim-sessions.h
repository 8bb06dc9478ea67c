/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the world gets its protocol sessions: the real POP3, IMAP and SMTP
 * sessions of protocols/pop3, imap, smtp and the simulated clients. One place
 * so that the rest of sim/ depends only on the MsServerSession and
 * MsClientSession interfaces. Tests of the engine itself may install their
 * own factories (ms_sim_sessions_set_factories) to run without them. */
#pragma once

#include <gio/gio.h>
#include "ms-client-session.h"
#include "ms-server-session.h"
#include "ms-store.h"

G_BEGIN_DECLS

#define MS_SIM_USER     "alice"
#define MS_SIM_PASSWORD "wonderland"
#define MS_SIM_ADDRESS  "alice@example.org"

typedef MsServerSession *(*MsSimServerFactory) (const char  *protocol,
                                                MsStore     *store,
                                                gboolean     implicit_tls,
                                                GError     **error);
typedef MsClientSession *(*MsSimClientFactory) (const char            *protocol,
                                                MsStore               *local_store,
                                                const MsClientPolicy  *policy,
                                                MsClientTlsMode        tls_mode,
                                                GError               **error);

/* protocol: "pop3", "imap" or "smtp". */
MsServerSession *ms_sim_new_server_session (const char            *protocol,
                                            MsStore               *store,
                                            gboolean               implicit_tls,
                                            GError               **error);
/* protocol: "pop3" or "imap" (a device's mail client). */
MsClientSession *ms_sim_new_client_session (const char            *protocol,
                                            MsStore               *local_store,
                                            const MsClientPolicy  *policy,
                                            MsClientTlsMode        tls_mode,
                                            GError               **error);
/* An SMTP submission client that sends @message from @from to @rcpt and quits. */
MsClientSession *ms_sim_new_smtp_client    (GBytes                *message,
                                            const char            *from,
                                            const char            *rcpt,
                                            GError               **error);
/* NULL restores the built-in factories. */
void             ms_sim_sessions_set_factories (MsSimServerFactory server,
                                                MsSimClientFactory client);
/* The well-known port of a protocol (T90): pop3 110/995, imap 143/993, smtp 587. */
guint            ms_sim_default_port       (const char            *protocol,
                                            gboolean               implicit_tls);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-sim-sessions"
#include "config.h"

#include "ms-imap-client.h"
#include "ms-imap-server-session.h"
#include "ms-pop3-client.h"
#include "ms-pop3-server-session.h"
#include "ms-sim-sessions.h"
#include "ms-sim-smtp-adapter.h"
#include "ms-smtp-client.h"
#include "ms-smtp-server-session.h"

/* The simulated server's name, in greetings and Received: lines. */
#define SERVER_HOST "mail.example.org"

static MsSimServerFactory server_factory;
static MsSimClientFactory client_factory;

void
ms_sim_sessions_set_factories (MsSimServerFactory server,
                               MsSimClientFactory client)
{
  server_factory = server;
  client_factory = client;
}

guint
ms_sim_default_port (const char *protocol,
                     gboolean    implicit_tls)
{
  g_return_val_if_fail (protocol != NULL, 0);

  if (g_str_equal (protocol, "pop3"))
    return implicit_tls ? 995 : 110;
  if (g_str_equal (protocol, "imap"))
    return implicit_tls ? 993 : 143;
  if (g_str_equal (protocol, "smtp"))
    return implicit_tls ? 465 : 587;
  return 0;
}

MsServerSession *
ms_sim_new_server_session (const char  *protocol,
                           MsStore     *store,
                           gboolean     implicit_tls,
                           GError     **error)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (MS_IS_STORE (store), NULL);

  if (server_factory != NULL)
    return server_factory (protocol, store, implicit_tls, error);

  if (g_str_equal (protocol, "pop3"))
    /* A fixed APOP timestamp: the greeting must be the same in every run. */
    return g_object_new (MS_TYPE_POP3_SERVER_SESSION,
                         "store", store,
                         "greeting-host", SERVER_HOST,
                         "apop-timestamp", "<1.1@" SERVER_HOST ">",
                         "tls-available", TRUE,
                         NULL);
  if (g_str_equal (protocol, "imap"))
    return g_object_new (MS_TYPE_IMAP_SERVER_SESSION,
                         "store", store,
                         "tls-available", TRUE,
                         NULL);
  if (g_str_equal (protocol, "smtp"))
    return MS_SERVER_SESSION (ms_smtp_server_session_new (store, SERVER_HOST, FALSE));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown protocol “%s”", protocol);
  return NULL;
}

MsClientSession *
ms_sim_new_client_session (const char            *protocol,
                           MsStore               *local_store,
                           const MsClientPolicy  *policy,
                           MsClientTlsMode        tls_mode,
                           GError               **error)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (MS_IS_STORE (local_store), NULL);
  g_return_val_if_fail (policy != NULL, NULL);

  if (client_factory != NULL)
    return client_factory (protocol, local_store, policy, tls_mode, error);

  if (g_str_equal (protocol, "pop3"))
    return MS_CLIENT_SESSION (ms_pop3_client_new (local_store, MS_SIM_USER, MS_SIM_PASSWORD,
                                                  policy, tls_mode));
  if (g_str_equal (protocol, "imap"))
    return MS_CLIENT_SESSION (ms_imap_client_new (local_store, MS_SIM_USER, MS_SIM_PASSWORD,
                                                  policy, tls_mode));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown protocol “%s”", protocol);
  return NULL;
}

MsClientSession *
ms_sim_new_smtp_client (GBytes      *message,
                        const char  *from,
                        const char  *rcpt,
                        GError     **error)
{
  g_return_val_if_fail (message != NULL, NULL);

  if (client_factory != NULL)
    {
      MsClientPolicy policy;

      ms_client_policy_init_defaults (&policy);
      return client_factory ("smtp", NULL, &policy, MS_CLIENT_TLS_OFF, error);
    }
  {
    const char * const to[] = { rcpt, NULL };
    g_autoptr(MsSmtpClient) client = ms_smtp_client_new (MS_SIM_USER, MS_SIM_PASSWORD, from, to,
                                                         message, MS_CLIENT_TLS_OFF);

    return ms_sim_smtp_adapter_new (client);
  }
}

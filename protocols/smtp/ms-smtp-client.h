/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sans-I/O SMTP submission client that sends one message (RFC 6409 on
 * port 587): greeting, EHLO, STARTTLS when asked, AUTH PLAIN, MAIL FROM,
 * RCPT TO for each recipient, DATA with dot-stuffing, QUIT. The driver owns
 * the connection as for MsClientSession: it connects when
 * wants_connection() is TRUE, feeds the server's bytes, sends
 * take_output(), and closes once wants_close() is TRUE. "finished" is
 * emitted exactly once, after connection_closed() or connection_lost(). */
#pragma once

#include <glib-object.h>
#include "ms-client-session.h"

G_BEGIN_DECLS

typedef enum {
  MS_SMTP_CLIENT_STATE_CONNECTING,
  MS_SMTP_CLIENT_STATE_GREETING,
  MS_SMTP_CLIENT_STATE_EHLO,
  MS_SMTP_CLIENT_STATE_STARTTLS,
  MS_SMTP_CLIENT_STATE_TLS_HANDSHAKE,
  MS_SMTP_CLIENT_STATE_AUTH,
  MS_SMTP_CLIENT_STATE_MAIL,
  MS_SMTP_CLIENT_STATE_RCPT,
  MS_SMTP_CLIENT_STATE_DATA,
  MS_SMTP_CLIENT_STATE_BODY,      /* message sent, waiting for 250 */
  MS_SMTP_CLIENT_STATE_QUIT,
  MS_SMTP_CLIENT_STATE_CLOSING,   /* wants the connection closed */
  MS_SMTP_CLIENT_STATE_DONE,
} MsSmtpClientState;

#define MS_SMTP_CLIENT_MAX_REPLY_LINE 4096

#define MS_TYPE_SMTP_CLIENT (ms_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (MsSmtpClient, ms_smtp_client, MS, SMTP_CLIENT, GObject)

/* to: NULL-terminated addresses. message: the whole message, any line ends. */
MsSmtpClient      *ms_smtp_client_new              (const char         *user,
                                                    const char         *password,
                                                    const char         *from,
                                                    const char * const *to,
                                                    GBytes             *message,
                                                    MsClientTlsMode     tls);
MsSmtpClientState  ms_smtp_client_get_state        (MsSmtpClient       *self);
const char        *ms_smtp_client_state_to_string  (MsSmtpClientState   state);
gboolean           ms_smtp_client_wants_connection (MsSmtpClient       *self);
gboolean           ms_smtp_client_wants_close      (MsSmtpClient       *self);
void               ms_smtp_client_connected        (MsSmtpClient       *self);
void               ms_smtp_client_feed             (MsSmtpClient       *self,
                                                    const guint8       *data,
                                                    gsize               len);
gsize              ms_smtp_client_take_output      (MsSmtpClient       *self,
                                                    GByteArray         *dest);
void               ms_smtp_client_connection_closed (MsSmtpClient      *self);
void               ms_smtp_client_connection_lost  (MsSmtpClient       *self);
void               ms_smtp_client_set_tls_active   (MsSmtpClient       *self,
                                                    gboolean            active);
/* After "finished": how many recipients the server accepted. */
guint              ms_smtp_client_get_n_accepted   (MsSmtpClient       *self);

G_END_DECLS

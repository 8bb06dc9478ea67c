/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lets the world drive the SMTP submission client (protocols/smtp/) through
 * the same MsClientSession calls as a mail client: the SMTP client has the
 * same sans-I/O shape but is not a mail client (it keeps no store and takes
 * no user actions), so this adapter forwards and does nothing else. */
#pragma once

#include "ms-client-session.h"
#include "ms-smtp-client.h"

G_BEGIN_DECLS

#define MS_TYPE_SIM_SMTP_ADAPTER (ms_sim_smtp_adapter_get_type ())

G_DECLARE_FINAL_TYPE (MsSimSmtpAdapter, ms_sim_smtp_adapter, MS, SIM_SMTP_ADAPTER, GObject)

MsClientSession *ms_sim_smtp_adapter_new (MsSmtpClient *client);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One side of the stage: a device (laptop, phone) or the server. A header
 * that says what it is and which protocol it speaks, its mailbox, and the
 * buttons that make it act. Buttons activate "world.perform" with the
 * actor's name and the action, so the window decides what happens. */
#pragma once

#include <gtk/gtk.h>
#include "ms-account.h"
#include "ms-mailbox-view.h"

G_BEGIN_DECLS

#define MS_TYPE_DEVICE_PANEL (ms_device_panel_get_type ())

G_DECLARE_FINAL_TYPE (MsDevicePanel, ms_device_panel, MS, DEVICE_PANEL, GtkWidget)

GtkWidget     *ms_device_panel_new           (const char    *actor);
const char    *ms_device_panel_get_actor     (MsDevicePanel *self);
/* "pop3", "imap", or NULL for the server (which speaks both). */
const char    *ms_device_panel_get_protocol  (MsDevicePanel *self);
void           ms_device_panel_set_protocol  (MsDevicePanel *self,
                                              const char    *protocol);
void           ms_device_panel_set_tls       (MsDevicePanel *self,
                                              gboolean       tls);
void           ms_device_panel_set_status    (MsDevicePanel *self,
                                              const char    *status);
void           ms_device_panel_set_account   (MsDevicePanel *self,
                                              MsAccount     *account,
                                              MsAccount     *reference);
MsMailboxView *ms_device_panel_get_view      (MsDevicePanel *self);
/* Compact: no action buttons and no protocol switch (compare mode, where
 * the protocol is the world's and both worlds follow the same steps). */
void           ms_device_panel_set_compact   (MsDevicePanel *self,
                                              gboolean       compact);
/* Tight: compact, and without the status line and with a smaller icon,
 * for two devices stacked in one column of a compare-mode stage, where
 * the counters and the links say what the status line would. */
void           ms_device_panel_set_tight     (MsDevicePanel *self,
                                              gboolean       tight);

G_END_DECLS

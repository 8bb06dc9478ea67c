/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The names a reader sees for the devices and actions of the scenarios, in
 * the current language. A scenario, the canonical transcript and the JSON
 * export keep the ids ("phone", "mark-read"); everything written for a
 * person (the window, the narration, the step lines and tables of the
 * text, Markdown and HTML exports, the transcript's notices) shows these. */
#pragma once

#include <glib.h>

#include "ms-device.h"
#include "ms-phrase.h"
#include "ms-scenario.h"

G_BEGIN_DECLS

/* How a device name of the scenarios is shown ("phone" is "Phone", or
 * "Handy" in German; "real client 1" is "echtes Mailprogramm 1"); a
 * teacher's own names as they are. */
const char *ms_device_display_name (const char *name);
/* A device named inside a notice: its id in the English line ("phone
 * done: …", as goldens and assertions read it), its display name in the
 * translated one ("Handy fertig: …"); a teacher's own name as text. */
MsPhrase   *ms_phrase_device       (const char *name);
/* Real client @number as a notice names it: "real client 2" in English
 * (the device's id, see ms_live_client_get_name()), "echtes Mailprogramm 2"
 * in German. */
MsPhrase   *ms_phrase_real_client  (guint       number);
/* How the step line names a scenario action ("check" is "abrufen" in
 * German); an unknown action as it is. */
const char *ms_action_display_name (const char *action);
/* What a text written for a person in the current language calls a device:
 * its display name when a translation is active, else its id, which the
 * English transcripts and their golden files use. */
const char *ms_device_reader_name    (const char *name);
/* A TLS mode for a reader ("STARTTLS (upgraded)"); the JSON export keeps
 * ms_client_tls_mode_to_string()'s keywords. */
const char *ms_client_tls_mode_display_name (MsClientTlsMode mode);
/* A step as the step line shows it: "Handy: abrufen (subject=Lunch)". */
char       *ms_step_display_describe (const MsScenarioStep *step);

G_END_DECLS

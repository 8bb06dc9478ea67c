/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Short names for the teaching points (T10…) and the myths (M1…) of
 * docs/teaching-points, for the narration strip, and the shown names of
 * devices. No GTK. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "Downloading with POP3", or NULL for an unknown id. */
const char *ms_teaching_title       (const char *id);
/* The topic a teaching id belongs to ("Deleting"), for grouping menus. */
const char *ms_teaching_topic       (const char *id);
/* The myth as people say it, and what is true instead; NULL if unknown. */
const char *ms_myth_claim           (const char *id);
const char *ms_myth_truth           (const char *id);
/* How the app shows a device name of the scenarios ("phone" is "Phone",
 * or "Handy" in German); other names as they are. */
const char *ms_device_display_name  (const char *name);
/* How the step line names a scenario action ("check" is "abrufen" in
 * German); an unknown action as it is. */
const char *ms_action_display_name  (const char *action);

G_END_DECLS

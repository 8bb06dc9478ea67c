/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Short names for the teaching points (T10…) and the myths (M1…) of
 * docs/teaching-points, for the narration strip. No GTK. The shown names
 * of devices and actions are in protocols/sim/ms-display-names.h, as the
 * exports and the transcript's notices need them too. */
#pragma once

#include <glib.h>

#include "ms-display-names.h"

G_BEGIN_DECLS

/* "Downloading with POP3", or NULL for an unknown id. */
const char *ms_teaching_title       (const char *id);
/* The topic a teaching id belongs to ("Deleting"), for grouping menus. */
const char *ms_teaching_topic       (const char *id);
/* The myth as people say it, and what is true instead; NULL if unknown. */
const char *ms_myth_claim           (const char *id);
const char *ms_myth_truth           (const char *id);

G_END_DECLS

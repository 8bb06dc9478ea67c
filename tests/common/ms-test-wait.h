/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Waiting on a condition, for tests that drive real sockets or processes
 * from the main loop (unit and UI tests alike). Never a fixed sleep: the
 * main loop runs until the condition holds, with a generous deadline for a
 * loaded machine, and a test that passes the deadline fails saying what it
 * waited for. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*MsTestCondition) (gpointer data);

void ms_test_wait_for (MsTestCondition  condition,
                       gpointer         data,
                       guint            seconds,
                       const char      *what);

G_END_DECLS

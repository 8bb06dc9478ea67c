/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless commands of the command-line contract (design.md). None of
 * them initialises GTK, so they run on a machine with no display. Each returns
 * the process exit status: 0 success, 1 a scenario assertion failed, 2 bad
 * input (one clear line on stderr). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int ms_command_serve     (int    argc,
                          char **argv);
int ms_command_run       (int    argc,
                          char **argv);
int ms_command_scenarios (int    argc,
                          char **argv);

/* Writes @text to standard output; FALSE, with one line on stderr, when it
 * did not all get there (a full disk, an I/O error). */
gboolean ms_command_write_stdout (const char *command,
                                  GString    *text);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope-run"
#include "config.h"

#include "ms-commands.h"

int
ms_command_run (int    argc,
               char **argv)
{
  g_printerr ("mailscope run: not built yet\n");
  return 2;
}

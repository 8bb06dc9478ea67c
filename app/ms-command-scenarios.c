/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope-scenarios"
#include "config.h"

#include "ms-commands.h"

int
ms_command_scenarios (int    argc,
               char **argv)
{
  g_printerr ("mailscope scenarios: not built yet\n");
  return 2;
}

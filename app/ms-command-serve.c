/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mailscope-serve"
#include "config.h"

#include "ms-commands.h"

int
ms_command_serve (int    argc,
               char **argv)
{
  g_printerr ("mailscope serve: not built yet\n");
  return 2;
}

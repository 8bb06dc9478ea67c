/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-test-wait"
#include "config.h"

#include "ms-test-wait.h"

void
ms_test_wait_for (MsTestCondition  condition,
                  gpointer         data,
                  guint            seconds,
                  const char      *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %u s for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-settings"
#include "config.h"

#include "ms-settings.h"

GSettings *
ms_settings_try_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Once per process is enough to explain why nothing is remembered. */
      static gsize warned = 0;

      if (g_once_init_enter (&warned))
        {
          g_message ("The settings schema %s is not installed: settings will not be kept", APP_ID);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

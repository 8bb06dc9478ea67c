/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-data-path"
#include "config.h"

#include "ms-data-path.h"

char *
ms_data_path (const char *relative)
{
  const char *roots[3];
  guint n = 0;

  g_return_val_if_fail (relative != NULL, NULL);

  /* An environment variable first so tests and a relocated install can point
   * elsewhere; the source tree before the install location so that a
   * developer running from the build tree sees the data they are editing. */
  roots[n] = g_getenv ("MAILSCOPE_DATADIR");
  if (roots[n] != NULL && roots[n][0] != '\0')
    n++;
  roots[n++] = SOURCE_DATADIR;
  roots[n++] = PKGDATADIR;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_build_filename (roots[i], relative, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (g_path_is_absolute (path))
            return g_steal_pointer (&path);
          else
            {
              g_autofree char *cwd = g_get_current_dir ();

              return g_build_filename (cwd, path, NULL);
            }
        }
    }
  return NULL;
}

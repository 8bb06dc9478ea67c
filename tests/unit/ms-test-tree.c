/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-test"
#include "config.h"

#include <glib/gstdio.h>

#include "ms-test-tree.h"

char *
ms_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
ms_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          ms_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

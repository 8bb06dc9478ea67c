/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A main() for fuzz targets outside libFuzzer: feeds every file of the
 * folders (or files) named on the command line to LLVMFuzzerTestOneInput, so
 * the seed corpus is replayed by the normal suite under the sanitizers. */
#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay_path (const char *path,
             guint      *count)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        replay_path (g_ptr_array_index (names, i), count);
      return;
    }
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    if (!g_file_get_contents (path, &contents, &len, NULL))
      return;
    LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
    (*count)++;
  }
}

int
main (int    argc,
      char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    replay_path (argv[i], &count);
  g_print ("replayed %u inputs\n", count);
  return 0;
}

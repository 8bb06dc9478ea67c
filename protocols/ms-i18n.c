/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-i18n"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "ms-i18n.h"

const char *
ms_i18n_locale_dir (void)
{
  const char *env = g_getenv ("MAILSCOPE_LOCALEDIR");

  if (env != NULL && env[0] != '\0')
    return env;
  /* Like ms_data_path(): a developer running from the build tree sees the
   * translations they just compiled; an installed copy whose build folder
   * is gone falls through to LOCALEDIR. */
  if (g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILD_LOCALEDIR;
  return LOCALEDIR;
}

void
ms_i18n_init (void)
{
  const char *locale = setlocale (LC_ALL, "");
  const char *language = g_getenv ("LANGUAGE");

  /* gettext ignores LANGUAGE in the plain C locale, so on a machine with no
   * locale configured `LANGUAGE=de mailscope` would stay English. C.UTF-8
   * (built into glibc since 2.35) is the same locale with UTF-8, and there
   * gettext honours LANGUAGE. */
  if (language != NULL && language[0] != '\0' &&
      (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX")))
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, ms_i18n_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

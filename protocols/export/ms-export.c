/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include <gio/gio.h>

#include "ms-export-private.h"

static const struct {
  const char     *extension;
  MsExportFormat  format;
} formats[] = {
  { ".txt", MS_EXPORT_FORMAT_TEXT },
  { ".md", MS_EXPORT_FORMAT_MARKDOWN },
  { ".html", MS_EXPORT_FORMAT_HTML },
  { ".htm", MS_EXPORT_FORMAT_HTML },
  { ".json", MS_EXPORT_FORMAT_JSON },
  { ".pcapng", MS_EXPORT_FORMAT_PCAPNG },
  { ".png", MS_EXPORT_FORMAT_PNG },
  { ".svg", MS_EXPORT_FORMAT_SVG },
  { ".pdf", MS_EXPORT_FORMAT_PDF },
};

MsExportFormat
ms_export_format_for_path (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, MS_EXPORT_FORMAT_UNKNOWN);

  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_has_suffix (lower, formats[i].extension))
      return formats[i].format;
  return MS_EXPORT_FORMAT_UNKNOWN;
}

gboolean
ms_export_is_supported (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return ms_export_format_for_path (path) != MS_EXPORT_FORMAT_UNKNOWN;
}

const char *
ms_export_supported_extensions (void)
{
  return ".txt .md .html .json .pcapng .png .svg .pdf";
}

const char *
ms_export_password_note (MsExportFlags flags)
{
  return (flags & MS_EXPORT_FLAGS_REDACT_PASSWORDS) != 0
    /* The mask is MS_EXPORT_MASK, written out so that xgettext sees one string. */
    ? _("Passwords are hidden: they show as ••••.")
    : _("Passwords are shown as they crossed the wire.");
}

GBytes *
ms_export_to_bytes (MsPlayer        *player,
                    MsExportFormat   format,
                    MsExportFlags    flags,
                    GError         **error)
{
  g_return_val_if_fail (MS_IS_PLAYER (player), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (format)
    {
    case MS_EXPORT_FORMAT_TEXT:
      return ms_export_text_bytes (player, flags, error);
    case MS_EXPORT_FORMAT_MARKDOWN:
      return ms_export_markdown_bytes (player, flags, error);
    case MS_EXPORT_FORMAT_HTML:
      return ms_export_html_bytes (player, flags, error);
    case MS_EXPORT_FORMAT_JSON:
      return ms_export_json_bytes (player, flags, error);
    case MS_EXPORT_FORMAT_PCAPNG:
      return ms_export_pcapng_bytes (player, flags, error);
    case MS_EXPORT_FORMAT_PNG:
    case MS_EXPORT_FORMAT_SVG:
    case MS_EXPORT_FORMAT_PDF:
      return ms_export_ladder_bytes (player, format, flags, error);
    case MS_EXPORT_FORMAT_UNKNOWN:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "unknown export format (use one of %s)", ms_export_supported_extensions ());
      return NULL;
    }
}

gboolean
ms_export_write_full (MsPlayer       *player,
                      const char     *path,
                      MsExportFlags   flags,
                      GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  MsExportFormat format;
  gsize len;
  const char *data;

  g_return_val_if_fail (MS_IS_PLAYER (player), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  format = ms_export_format_for_path (path);
  if (format == MS_EXPORT_FORMAT_UNKNOWN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: unknown export format (use one of %s)", path,
                   ms_export_supported_extensions ());
      return FALSE;
    }

  /* The whole export is built in memory first: a writer that fails leaves
   * nothing behind, and the file appears only complete. */
  bytes = ms_export_to_bytes (player, format, flags, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }

  data = g_bytes_get_data (bytes, &len);
  /* A temporary file in the same folder, flushed, then renamed over @path. */
  if (!g_file_set_contents_full (path, data != NULL ? data : "", (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "cannot write %s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
ms_export_write (MsPlayer    *player,
                 const char  *path,
                 GError     **error)
{
  return ms_export_write_full (player, path, MS_EXPORT_FLAGS_NONE, error);
}

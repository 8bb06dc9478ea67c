/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes what a player's world recorded to a file whose extension picks the
 * format: .txt (the narrated transcript), .md and .html (a handout), .json
 * (the event timeline, schema in docs/export-json-schema.json), .pcapng (a
 * capture Wireshark dissects), .png, .svg and .pdf (a ladder diagram). The
 * file is written to a temporary name and renamed, so it is never
 * half-written; a failure names the file and says why. */
#pragma once

#include <glib.h>
#include "ms-player.h"

G_BEGIN_DECLS

typedef enum {
  MS_EXPORT_FLAGS_NONE             = 0,
  /* Shows passwords (PASS, LOGIN, AUTH PLAIN/LOGIN payloads) as ••••; every
   * format says whether it did. */
  MS_EXPORT_FLAGS_REDACT_PASSWORDS = 1 << 0,
} MsExportFlags;

typedef enum {
  MS_EXPORT_FORMAT_UNKNOWN,
  MS_EXPORT_FORMAT_TEXT,
  MS_EXPORT_FORMAT_MARKDOWN,
  MS_EXPORT_FORMAT_HTML,
  MS_EXPORT_FORMAT_JSON,
  MS_EXPORT_FORMAT_PCAPNG,
  MS_EXPORT_FORMAT_PNG,
  MS_EXPORT_FORMAT_SVG,
  MS_EXPORT_FORMAT_PDF,
} MsExportFormat;

/* Same as ms_export_write_full() with no flags: passwords are shown. */
gboolean       ms_export_write            (MsPlayer       *player,
                                           const char     *path,
                                           GError        **error);
gboolean       ms_export_write_full       (MsPlayer       *player,
                                           const char     *path,
                                           MsExportFlags   flags,
                                           GError        **error);
/* The format @path's extension names (case-insensitive), or UNKNOWN. */
MsExportFormat ms_export_format_for_path  (const char     *path);
/* TRUE when @path's extension names a format ms_export_write() can write. */
gboolean       ms_export_is_supported     (const char     *path);
/* ".txt .md .html .json .pcapng .png .svg .pdf", for messages. */
const char    *ms_export_supported_extensions (void);
/* The export in memory (what ms_export_write_full() would write). */
GBytes        *ms_export_to_bytes         (MsPlayer       *player,
                                           MsExportFormat  format,
                                           MsExportFlags   flags,
                                           GError        **error);
/* The full narrated text: the transcript, then the summary. */
void           ms_export_format_text      (MsPlayer       *player,
                                           GString        *out);
void           ms_export_format_text_full (MsPlayer       *player,
                                           MsExportFlags   flags,
                                           GString        *out);

G_END_DECLS

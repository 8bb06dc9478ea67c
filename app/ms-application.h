/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ms-style-manager.h"

G_BEGIN_DECLS

#define MS_TYPE_APPLICATION (ms_application_get_type ())

G_DECLARE_FINAL_TYPE (MsApplication, ms_application, MS, APPLICATION, GtkApplication)

MsApplication  *ms_application_new               (void);
/* Light or dark (made at startup; NULL before). */
MsStyleManager *ms_application_get_style_manager (MsApplication *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-application"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-application.h"
#include "ms-window.h"

struct _MsApplication
{
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (MsApplication, ms_application, GTK_TYPE_APPLICATION)

static void
ms_application_startup (GApplication *application)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (ms_application_parent_class)->startup (application);

  gtk_css_provider_load_from_resource (css, "/io/github/mailscope/Mailscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
ms_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (ms_window_new (GTK_APPLICATION (application)));
  gtk_window_present (window);
}

static void
ms_application_class_init (MsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = ms_application_startup;
  app_class->activate = ms_application_activate;
}

static void
ms_application_init (MsApplication *self)
{
}

MsApplication *
ms_application_new (void)
{
  /* NON_UNIQUE: a classroom may want two windows from two processes, and the
   * tests start the app many times in parallel. */
  return g_object_new (MS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

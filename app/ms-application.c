/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-application"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-application.h"
#include "ms-settings.h"
#include "ms-style-manager.h"
#include "ms-window.h"

struct _MsApplication
{
  GtkApplication  parent_instance;

  MsStyleManager *style_manager;
  /* NULL when the schema is not installed: nothing is remembered then. */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MsApplication, ms_application, GTK_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *authors[] = { "The Mailscope contributors", NULL };
  static const char *documenters[] = { "The Mailscope contributors", NULL };
  static const char *artists[] = { "The Mailscope contributors (icons)", NULL };
  static const char *standards[] = {
    "RFC 1939 (POP3)", "RFC 9051 and RFC 3501 (IMAP4)", "RFC 5322 (Internet Message Format)",
    "RFC 8314 (TLS for mail submission and access)", NULL
  };
  GtkApplication *application = user_data;
  GtkWindow *parent = gtk_application_get_active_window (application);
  GtkWidget *about;

  /* GTK_LICENSE_GPL_3_0 is "version 3 or later", the app's licence. */
  about = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                        "program-name", "Mailscope",
                        "logo-icon-name", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("See what POP3 and IMAP really send, step by step"),
                        "website", "https://github.com/mailscope/mailscope",
                        "website-label", _("Website"),
                        "copyright", "© 2026 The Mailscope contributors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "authors", authors,
                        "documenters", documenters,
                        "artists", artists,
                        /* Translators: your name and e-mail address, one per line. */
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "destroy-with-parent", TRUE,
                        NULL);
  gtk_about_dialog_add_credit_section (GTK_ABOUT_DIALOG (about), _("Built on the standards"), standards);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
};

static void
ms_application_startup (GApplication *application)
{
  MsApplication *self = MS_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GPropertyAction) color_scheme = NULL;

  G_APPLICATION_CLASS (ms_application_parent_class)->startup (application);

  /* The window type pulls the resource bundle in (see ms_window_class_init). */
  g_type_ensure (MS_TYPE_WINDOW);

  gtk_css_provider_load_from_resource (css, "/io/github/mailscope/Mailscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);

  /* Light or dark: the desktop's preference unless the user picked one in
   * the primary menu (app.color-scheme), which is kept in GSettings. */
  self->style_manager = ms_style_manager_new (gdk_display_get_default ());
  self->settings = ms_settings_try_new ();
  if (self->settings != NULL)
    g_settings_bind (self->settings, "color-scheme", self->style_manager, "color-scheme", G_SETTINGS_BIND_DEFAULT);
  color_scheme = g_property_action_new ("color-scheme", self->style_manager, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (color_scheme));
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  /* What GtkApplication gives a gtk/help-overlay.ui, which the window now
   * builds itself when first asked (ms-window-menus.c). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
}

static void
ms_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (ms_window_new (GTK_APPLICATION (application)));
  gtk_window_present (window);
}

/* `mailscope FILE.scenario`, or a file manager opening one: a window per
 * file, each playing its scenario from the start (main() has checked that
 * each loads). A file that does not load after all (a remote URI, a file
 * changed since) leaves the window on the built-in scenario with the
 * reason in the narration strip, as the Open dialog does. */
static void
ms_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      GtkWindow *window = GTK_WINDOW (ms_window_new (GTK_APPLICATION (application)));
      g_autofree char *path = g_file_get_path (files[i]);
      /* A remote file has no path: its URI makes a clear "cannot open". */
      g_autofree char *name = path != NULL ? g_steal_pointer (&path) : g_file_get_uri (files[i]);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.load-scenario", "s", name);
      gtk_window_present (window);
    }
}

static void
ms_application_shutdown (GApplication *application)
{
  MsApplication *self = MS_APPLICATION (application);

  G_APPLICATION_CLASS (ms_application_parent_class)->shutdown (application);
  g_clear_object (&self->settings);
  g_clear_object (&self->style_manager);
}

static void
ms_application_dispose (GObject *object)
{
  MsApplication *self = MS_APPLICATION (object);

  /* The UI tests register the app without running it, so shutdown never
   * comes: what startup made goes here. */
  g_clear_object (&self->settings);
  g_clear_object (&self->style_manager);

  G_OBJECT_CLASS (ms_application_parent_class)->dispose (object);
}

static void
ms_application_class_init (MsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ms_application_dispose;
  app_class->shutdown = ms_application_shutdown;
  app_class->startup = ms_application_startup;
  app_class->activate = ms_application_activate;
  app_class->open = ms_application_open;
}

static void
ms_application_init (MsApplication *self)
{
}

MsStyleManager *
ms_application_get_style_manager (MsApplication *self)
{
  g_return_val_if_fail (MS_IS_APPLICATION (self), NULL);
  return self->style_manager;
}

MsApplication *
ms_application_new (void)
{
  /* NON_UNIQUE: a classroom may want two windows from two processes, and the
   * tests start the app many times in parallel. HANDLES_OPEN: the files on
   * the command line (and from a file manager) are scenarios to play. */
  return g_object_new (MS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

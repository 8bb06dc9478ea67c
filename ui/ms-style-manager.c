/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-style-manager"
#include "config.h"

#include "ms-style-manager.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS    "org.freedesktop.portal.Settings"
#define APPEARANCE         "org.freedesktop.appearance"
#define GNOME_INTERFACE    "org.gnome.desktop.interface"

struct _MsStyleManager
{
  GObject          parent_instance;

  GdkDisplay      *display;
  GtkCssProvider  *dark_css;
  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            portal_signal;
  /* Only when there is no portal and GNOME's schema is installed. */
  GSettings       *gnome_interface;

  char            *color_scheme;
  gboolean         system_prefers_dark;
  gboolean         dark;
  /* Whether GTK was told once: the first choice always is, so that "light"
   * wins over a prefer-dark in the user's own GTK settings. */
  gboolean         applied;
};

enum {
  PROP_0,
  PROP_COLOR_SCHEME,
  PROP_SYSTEM_PREFERS_DARK,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsStyleManager, ms_style_manager, G_TYPE_OBJECT)

static void
apply (MsStyleManager *self)
{
  gboolean dark = g_str_equal (self->color_scheme, "dark") ||
                  (g_str_equal (self->color_scheme, "follow") && self->system_prefers_dark);

  GtkSettings *settings = gtk_settings_get_for_display (self->display);
  gboolean theme_dark = FALSE;

  if (dark == self->dark && self->applied)
    return;
  self->applied = TRUE;
  self->dark = dark;
  /* The theme's own dark variant (Adwaita-dark) for every GTK widget...
   * Only when it differs: setting the same value still makes GTK parse
   * its whole theme again, which at start-up (light, as GTK already is)
   * cost 15 to 20 ms of CPU for nothing. */
  g_object_get (settings, "gtk-application-prefer-dark-theme", &theme_dark, NULL);
  if (theme_dark != dark)
    g_object_set (settings, "gtk-application-prefer-dark-theme", dark, NULL);
  /* ...and the app's colours, redefined one priority above style.css so
   * that its @define-color names win. */
  if (dark)
    gtk_style_context_add_provider_for_display (self->display, GTK_STYLE_PROVIDER (self->dark_css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  else
    gtk_style_context_remove_provider_for_display (self->display, GTK_STYLE_PROVIDER (self->dark_css));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

static void
set_system_prefers_dark (MsStyleManager *self,
                         gboolean        prefers_dark)
{
  if (self->system_prefers_dark == prefers_dark)
    return;
  self->system_prefers_dark = prefers_dark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYSTEM_PREFERS_DARK]);
  apply (self);
}

/* The portal's value: 0 no preference, 1 prefer dark, 2 prefer light.
 * Older portals wrap the value in one more variant than the documentation
 * says, so unwrap until it is not a variant any more. */
static void
take_portal_value (MsStyleManager *self,
                   GVariant       *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = next;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    set_system_prefers_dark (self, g_variant_get_uint32 (inner) == 1);
}

static void
on_gnome_changed (MsStyleManager *self)
{
  g_autofree char *scheme = g_settings_get_string (self->gnome_interface, "color-scheme");

  set_system_prefers_dark (self, g_strcmp0 (scheme, "prefer-dark") == 0);
}

/* No portal: GNOME's own key, when its schema is installed. */
static void
use_gnome_setting (MsStyleManager *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GNOME_INTERFACE, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "color-scheme"))
    return;
  self->gnome_interface = g_settings_new_full (schema, NULL, NULL);
  g_signal_connect_object (self->gnome_interface, "changed::color-scheme",
                           G_CALLBACK (on_gnome_changed), self, G_CONNECT_SWAPPED);
  on_gnome_changed (self);
}

static void
on_portal_setting_changed (GDBusConnection *connection,
                           const char      *sender,
                           const char      *path,
                           const char      *interface,
                           const char      *signal,
                           GVariant        *parameters,
                           gpointer         user_data)
{
  MsStyleManager *self = user_data;
  const char *namespace, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_str_equal (namespace, APPEARANCE) && g_str_equal (key, "color-scheme"))
    take_portal_value (self, value);
}

static void
on_portal_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  MsStyleManager *self = user_data;
  g_autoptr(GVariant) value = NULL;

  /* Cancelled means disposed: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      /* No portal on this desktop (or one too old to know the key). */
      g_debug ("no color-scheme from the settings portal: %s", error->message);
      g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal);
      self->portal_signal = 0;
      use_gnome_setting (self);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  take_portal_value (self, value);
}

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  MsStyleManager *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bus == NULL)
    {
      g_debug ("no session bus: %s", error->message);
      use_gnome_setting (self);
      return;
    }
  self->bus = bus;
  /* Subscribed before reading, so that no change falls between the two. */
  self->portal_signal =
    g_dbus_connection_signal_subscribe (bus, PORTAL_BUS_NAME, PORTAL_SETTINGS, "SettingChanged",
                                        PORTAL_OBJECT_PATH, APPEARANCE, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_portal_setting_changed, self, NULL);
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_SETTINGS, "Read",
                          g_variant_new ("(ss)", APPEARANCE, "color-scheme"), G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_portal_read, self);
}

static void
ms_style_manager_dispose (GObject *object)
{
  MsStyleManager *self = MS_STYLE_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->portal_signal != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal);
  self->portal_signal = 0;
  g_clear_object (&self->bus);
  g_clear_object (&self->gnome_interface);
  if (self->dark_css != NULL && self->display != NULL)
    gtk_style_context_remove_provider_for_display (self->display, GTK_STYLE_PROVIDER (self->dark_css));
  g_clear_object (&self->dark_css);
  g_clear_object (&self->display);

  G_OBJECT_CLASS (ms_style_manager_parent_class)->dispose (object);
}

static void
ms_style_manager_finalize (GObject *object)
{
  MsStyleManager *self = MS_STYLE_MANAGER (object);

  g_clear_object (&self->cancellable);
  g_free (self->color_scheme);

  G_OBJECT_CLASS (ms_style_manager_parent_class)->finalize (object);
}

static void
ms_style_manager_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MsStyleManager *self = MS_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      g_value_set_string (value, self->color_scheme);
      break;
    case PROP_SYSTEM_PREFERS_DARK:
      g_value_set_boolean (value, self->system_prefers_dark);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_style_manager_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MsStyleManager *self = MS_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      ms_style_manager_set_color_scheme (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_style_manager_class_init (MsStyleManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_style_manager_dispose;
  object_class->finalize = ms_style_manager_finalize;
  object_class->get_property = ms_style_manager_get_property;
  object_class->set_property = ms_style_manager_set_property;

  properties[PROP_COLOR_SCHEME] =
    g_param_spec_string ("color-scheme", NULL, NULL, "follow",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYSTEM_PREFERS_DARK] =
    g_param_spec_boolean ("system-prefers-dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_style_manager_init (MsStyleManager *self)
{
  self->color_scheme = g_strdup ("follow");
  self->cancellable = g_cancellable_new ();
}

MsStyleManager *
ms_style_manager_new (GdkDisplay *display)
{
  MsStyleManager *self;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  self = g_object_new (MS_TYPE_STYLE_MANAGER, NULL);
  self->display = g_object_ref (display);
  self->dark_css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->dark_css, "/io/github/mailscope/Mailscope/style-dark.css");
  apply (self);
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus, self);
  return self;
}

const char *
ms_style_manager_get_color_scheme (MsStyleManager *self)
{
  g_return_val_if_fail (MS_IS_STYLE_MANAGER (self), NULL);
  return self->color_scheme;
}

void
ms_style_manager_set_color_scheme (MsStyleManager *self,
                                   const char     *color_scheme)
{
  g_return_if_fail (MS_IS_STYLE_MANAGER (self));

  /* Anything unknown (an old or hand-edited setting) follows the desktop. */
  if (g_strcmp0 (color_scheme, "light") != 0 && g_strcmp0 (color_scheme, "dark") != 0)
    color_scheme = "follow";
  if (g_str_equal (self->color_scheme, color_scheme))
    return;
  g_free (self->color_scheme);
  self->color_scheme = g_strdup (color_scheme);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_SCHEME]);
  apply (self);
}

gboolean
ms_style_manager_get_system_prefers_dark (MsStyleManager *self)
{
  g_return_val_if_fail (MS_IS_STYLE_MANAGER (self), FALSE);
  return self->system_prefers_dark;
}

gboolean
ms_style_manager_get_dark (MsStyleManager *self)
{
  g_return_val_if_fail (MS_IS_STYLE_MANAGER (self), FALSE);
  return self->dark;
}

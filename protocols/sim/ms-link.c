/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-link"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>

#include "ms-link.h"

struct _MsLink
{
  GObject  parent_instance;
  char    *preset;
  gint64   latency_us;
  guint64  down_bps;
  guint64  up_bps;
};

G_DEFINE_FINAL_TYPE (MsLink, ms_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRESET,
  PROP_LATENCY_US,
  PROP_DOWN_BPS,
  PROP_UP_BPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *name;
  const char *label;
  gint64      latency_us;
  guint64     down_bps;
  guint64     up_bps;
} presets[] = {
  /* V.90: 56 kbit/s towards the user, 33.6 kbit/s back (V.34 upstream). */
  { "modem-56k", N_("56k modem"),      100000,      56000,      33600 },
  { "dsl-16m",   N_("DSL 16 Mbit/s"),   20000,   16000000,    1000000 },
  { "fibre-1g",  N_("fibre 1 Gbit/s"),   2000, 1000000000, 1000000000 },
};

static void
ms_link_finalize (GObject *object)
{
  MsLink *self = MS_LINK (object);

  g_free (self->preset);
  G_OBJECT_CLASS (ms_link_parent_class)->finalize (object);
}

static void
ms_link_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MsLink *self = MS_LINK (object);

  switch (prop_id)
    {
    case PROP_PRESET:
      g_value_set_string (value, self->preset);
      break;
    case PROP_LATENCY_US:
      g_value_set_int64 (value, self->latency_us);
      break;
    case PROP_DOWN_BPS:
      g_value_set_uint64 (value, self->down_bps);
      break;
    case PROP_UP_BPS:
      g_value_set_uint64 (value, self->up_bps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_link_class_init (MsLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_link_finalize;
  object_class->get_property = ms_link_get_property;

  properties[PROP_PRESET] =
    g_param_spec_string ("preset", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY_US] =
    g_param_spec_int64 ("latency-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWN_BPS] =
    g_param_spec_uint64 ("down-bps", NULL, NULL, 1, G_MAXUINT64, 1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UP_BPS] =
    g_param_spec_uint64 ("up-bps", NULL, NULL, 1, G_MAXUINT64, 1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_link_init (MsLink *self)
{
}

MsLink *
ms_link_new_preset (const char *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].name, preset))
      {
        MsLink *self = g_object_new (MS_TYPE_LINK, NULL);

        self->preset = g_strdup (presets[i].name);
        self->latency_us = presets[i].latency_us;
        self->down_bps = presets[i].down_bps;
        self->up_bps = presets[i].up_bps;
        return self;
      }
  return NULL;
}

MsLink *
ms_link_new_custom (gint64  latency_us,
                    guint64 down_bps,
                    guint64 up_bps)
{
  MsLink *self;

  g_return_val_if_fail (latency_us >= 0, NULL);
  g_return_val_if_fail (down_bps > 0 && up_bps > 0, NULL);

  self = g_object_new (MS_TYPE_LINK, NULL);
  self->preset = g_strdup ("custom");
  self->latency_us = latency_us;
  self->down_bps = down_bps;
  self->up_bps = up_bps;
  return self;
}

MsLink *
ms_link_copy (MsLink *self)
{
  MsLink *copy;

  g_return_val_if_fail (MS_IS_LINK (self), NULL);

  copy = ms_link_new_custom (self->latency_us, self->down_bps, self->up_bps);
  g_free (copy->preset);
  copy->preset = g_strdup (self->preset);
  return copy;
}

const char *
ms_link_get_preset (MsLink *self)
{
  g_return_val_if_fail (MS_IS_LINK (self), NULL);
  return self->preset;
}

static char *
format_bps (guint64 bps)
{
  if (bps >= 1000000000 && bps % 1000000000 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " Gbit/s", bps / 1000000000);
  if (bps >= 1000000 && bps % 100000 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ".%u Mbit/s", bps / 1000000,
                            (guint) ((bps / 100000) % 10));
  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%u kbit/s", bps / 1000, (guint) ((bps / 100) % 10));
}

char *
ms_link_describe (MsLink *self)
{
  g_autofree char *down = NULL;
  g_autofree char *up = NULL;

  g_return_val_if_fail (MS_IS_LINK (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].name, self->preset))
      return g_strdup (_(presets[i].label));

  down = format_bps (self->down_bps);
  up = format_bps (self->up_bps);
  return g_strdup_printf (_("custom link (%s down, %s up, %d ms)"),
                          down, up, (int) (self->latency_us / 1000));
}

gint64
ms_link_get_latency_us (MsLink *self)
{
  g_return_val_if_fail (MS_IS_LINK (self), 0);
  return self->latency_us;
}

guint64
ms_link_get_down_bps (MsLink *self)
{
  g_return_val_if_fail (MS_IS_LINK (self), 1);
  return self->down_bps;
}

guint64
ms_link_get_up_bps (MsLink *self)
{
  g_return_val_if_fail (MS_IS_LINK (self), 1);
  return self->up_bps;
}

gint64
ms_link_serialise_time_us (MsLink      *self,
                           MsDirection  direction,
                           gsize        bytes)
{
  guint64 bps;
  guint64 bits;

  g_return_val_if_fail (MS_IS_LINK (self), 0);

  bps = direction == MS_DIRECTION_TO_SERVER ? self->up_bps : self->down_bps;
  bits = (guint64) bytes * 8;
  /* Round up: a chunk of one byte still takes some time on the line. Integer
   * arithmetic only, so every platform computes the same figure. */
  if (bits > G_MAXUINT64 / 1000000)
    return (gint64) (bits / bps * 1000000);
  return (gint64) ((bits * 1000000 + bps - 1) / bps);
}

gint64
ms_link_transfer_time_dir_us (MsLink      *self,
                              MsDirection  direction,
                              gsize        bytes)
{
  g_return_val_if_fail (MS_IS_LINK (self), 0);
  return self->latency_us + ms_link_serialise_time_us (self, direction, bytes);
}

gint64
ms_link_transfer_time_us (MsLink *self,
                          gsize   bytes)
{
  return ms_link_transfer_time_dir_us (self, MS_DIRECTION_TO_CLIENT, bytes);
}

MsLink *
ms_link_parse (const char  *text,
               GError     **error)
{
  g_auto(GStrv) parts = NULL;
  MsLink *link;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_str_equal (text, "56k") || g_str_equal (text, "modem"))
    text = "modem-56k";
  else if (g_str_equal (text, "dsl"))
    text = "dsl-16m";
  else if (g_str_equal (text, "fibre") || g_str_equal (text, "fiber"))
    text = "fibre-1g";

  link = ms_link_new_preset (text);
  if (link != NULL)
    return link;

  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) == 4 && g_str_equal (parts[0], "custom"))
    {
      guint64 values[3];

      for (guint i = 0; i < 3; i++)
        {
          if (!g_ascii_string_to_unsigned (parts[i + 1], 10, i == 0 ? 0 : 1, 100000000,
                                           &values[i], NULL))
            goto bad;
        }
      return ms_link_new_custom ((gint64) values[0] * 1000, values[1] * 1000, values[2] * 1000);
    }

bad:
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("unknown link “%s” (modem-56k, dsl-16m, fibre-1g or custom:MS:DOWN_KBPS:UP_KBPS)"),
               text);
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-message-item"
#include "config.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <string.h>

#include "ms-message-item.h"

struct _MsMessageItem
{
  GObject    parent_instance;

  MsMessage *message;
  char      *subject;
  char      *from;
  MsFlags    flags;
  guint      local_only : 1;
};

enum {
  PROP_0,
  PROP_SUBJECT,
  PROP_FROM,
  PROP_DATE,
  PROP_SIZE,
  PROP_FLAGS,
  PROP_LOCAL_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsMessageItem, ms_message_item, G_TYPE_OBJECT)

/* A header line longer than this is cut: a list row shows one line anyway,
 * and a hostile message must not make the list slow. */
#define MAX_HEADER_VALUE 998

char *
ms_message_item_read_header (GBytes     *raw,
                             const char *name)
{
  gsize len = 0;
  const char *data;
  gsize name_len;
  gsize i = 0;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  data = g_bytes_get_data (raw, &len);
  name_len = strlen (name);

  /* Walk header lines until the empty line that ends the header section. */
  while (i < len)
    {
      gsize eol = i;

      while (eol < len && data[eol] != '\n')
        eol++;
      if (eol == i || (eol == i + 1 && data[i] == '\r'))
        break;

      if (eol - i > name_len && g_ascii_strncasecmp (data + i, name, name_len) == 0 && data[i + name_len] == ':')
        {
          g_autoptr(GString) value = g_string_new (NULL);
          gsize start = i + name_len + 1;

          /* Unfold: continuation lines start with a space or a tab. */
          for (;;)
            {
              gsize end = eol;
              if (end > start && data[end - 1] == '\r')
                end--;
              if (value->len < MAX_HEADER_VALUE)
                g_string_append_len (value, data + start, MIN (end - start, MAX_HEADER_VALUE));
              if (eol + 1 >= len || (data[eol + 1] != ' ' && data[eol + 1] != '\t'))
                break;
              start = eol + 1;
              eol = start;
              while (eol < len && data[eol] != '\n')
                eol++;
            }

          {
            g_autofree char *decoded = NULL;
            g_strstrip (value->str);
            decoded = g_mime_utils_header_decode_text (NULL, value->str);
            if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
              return g_utf8_make_valid (value->str, -1);
            return g_steal_pointer (&decoded);
          }
        }
      i = eol + 1;
    }

  return NULL;
}

static char *
display_from (GBytes *raw)
{
  g_autofree char *from = ms_message_item_read_header (raw, "From");
  const char *lt;

  if (from == NULL)
    return g_strdup ("");
  /* "Bob Example <bob@example.org>" shows as "Bob Example". */
  lt = strchr (from, '<');
  if (lt != NULL && lt != from)
    {
      g_autofree char *name = g_strndup (from, lt - from);
      g_strstrip (name);
      if (name[0] == '"' && strlen (name) > 1 && name[strlen (name) - 1] == '"')
        return g_strndup (name + 1, strlen (name) - 2);
      if (name[0] != '\0')
        return g_steal_pointer (&name);
    }
  return g_steal_pointer (&from);
}

static void
ms_message_item_finalize (GObject *object)
{
  MsMessageItem *self = MS_MESSAGE_ITEM (object);

  g_clear_pointer (&self->message, ms_message_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->from, g_free);

  G_OBJECT_CLASS (ms_message_item_parent_class)->finalize (object);
}

static void
ms_message_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MsMessageItem *self = MS_MESSAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_SUBJECT:
      g_value_set_string (value, ms_message_item_get_subject (self));
      break;
    case PROP_FROM:
      g_value_set_string (value, ms_message_item_get_from (self));
      break;
    case PROP_DATE:
      g_value_set_int64 (value, ms_message_item_get_date (self));
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, ms_message_item_get_size (self));
      break;
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;
    case PROP_LOCAL_ONLY:
      g_value_set_boolean (value, self->local_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_message_item_class_init (MsMessageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_message_item_finalize;
  object_class->get_property = ms_message_item_get_property;

  /* Header decoding needs GMime's tables; init is counted and cheap to
   * repeat, and a view may show mail before anything else touched GMime. */
  g_mime_init ();

  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_int64 ("date", NULL, NULL, G_MININT64, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAGS] =
    g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_ONLY] =
    g_param_spec_boolean ("local-only", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_message_item_init (MsMessageItem *self)
{
}

MsMessageItem *
ms_message_item_new (MsMessage *message,
                     gboolean   local_only)
{
  MsMessageItem *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (MS_TYPE_MESSAGE_ITEM, NULL);
  self->message = ms_message_ref (message);
  /* Flags are copied: the model replaces the item when they change, which
   * is what makes a list view rebind the row. */
  self->flags = ms_message_get_flags (message);
  self->local_only = !!local_only;
  return self;
}

MsMessage *
ms_message_item_get_message (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), NULL);
  return self->message;
}

guint32
ms_message_item_get_uid (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), 0);
  return ms_message_get_uid (self->message);
}

const char *
ms_message_item_get_subject (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), NULL);

  /* Parsed on first use: only rows that are shown pay for it. */
  if (self->subject == NULL)
    {
      self->subject = ms_message_item_read_header (ms_message_get_raw (self->message), "Subject");
      if (self->subject == NULL || self->subject[0] == '\0')
        {
          g_free (self->subject);
          self->subject = g_strdup (_("(no subject)"));
        }
    }
  return self->subject;
}

const char *
ms_message_item_get_from (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), NULL);

  if (self->from == NULL)
    self->from = display_from (ms_message_get_raw (self->message));
  return self->from;
}

gint64
ms_message_item_get_date (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), 0);
  return ms_message_get_internal_date (self->message);
}

gsize
ms_message_item_get_size (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), 0);
  return ms_message_get_size (self->message);
}

MsFlags
ms_message_item_get_flags (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), 0);
  return self->flags;
}

gboolean
ms_message_item_get_local_only (MsMessageItem *self)
{
  g_return_val_if_fail (MS_IS_MESSAGE_ITEM (self), FALSE);
  return self->local_only;
}

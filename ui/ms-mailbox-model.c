/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-mailbox-model"
#include "config.h"

#include "ms-mailbox-model.h"

struct _MsMailboxModel
{
  GObject     parent_instance;

  MsMailbox  *mailbox;
  MsMailbox  *reference;
  /* One slot per message, NULL until the row is asked for. */
  GPtrArray  *items;
  /* Message-IDs present in the reference mailbox; built on first need and
   * thrown away when the reference changes. */
  GHashTable *reference_ids;
};

enum {
  PROP_0,
  PROP_MAILBOX,
  PROP_REFERENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsMailboxModel, ms_mailbox_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* GPtrArray calls its free function on empty (NULL) slots too. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static GType
ms_mailbox_model_get_item_type (GListModel *model)
{
  return MS_TYPE_MESSAGE_ITEM;
}

static guint
ms_mailbox_model_get_n_items (GListModel *model)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (model);

  return self->items->len;
}

static GHashTable *
ensure_reference_ids (MsMailboxModel *self)
{
  guint n;

  if (self->reference == NULL)
    return NULL;
  if (self->reference_ids != NULL)
    return self->reference_ids;

  self->reference_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = ms_mailbox_get_n_messages (self->reference);
  for (guint i = 0; i < n; i++)
    {
      MsMessage *message = ms_mailbox_get_message (self->reference, i);
      char *id = ms_message_item_read_header (ms_message_get_raw (message), "Message-ID");

      if (id != NULL)
        g_hash_table_add (self->reference_ids, id);
    }
  return self->reference_ids;
}

static gboolean
is_local_only (MsMailboxModel *self,
               MsMessage      *message)
{
  GHashTable *ids = ensure_reference_ids (self);
  g_autofree char *id = NULL;

  if (ids == NULL)
    return FALSE;
  id = ms_message_item_read_header (ms_message_get_raw (message), "Message-ID");
  /* A message without a Message-ID cannot be matched; it is not marked, as
   * a wrong "only here" would teach the wrong thing. */
  return id != NULL && !g_hash_table_contains (ids, id);
}

static gpointer
ms_mailbox_model_get_item (GListModel *model,
                           guint       position)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (model);
  MsMessageItem *item;

  if (position >= self->items->len)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      MsMessage *message = ms_mailbox_get_message (self->mailbox, position);

      g_assert (message != NULL);
      item = ms_message_item_new (message, is_local_only (self, message));
      g_ptr_array_index (self->items, position) = item;
    }
  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ms_mailbox_model_get_item_type;
  iface->get_n_items = ms_mailbox_model_get_n_items;
  iface->get_item = ms_mailbox_model_get_item;
}

static void
on_message_added (MsMailboxModel *self,
                  MsMessage      *message,
                  MsMailbox      *mailbox)
{
  /* New messages always get the next UID, so they come last. */
  g_ptr_array_add (self->items, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}

/* New flags, or new content for the same message (a whole copy in place
 * of the headers alone): the row is made again, nothing moves. */
static void
on_message_changed (MsMailboxModel *self,
                  MsMessage      *message,
                  guint           index,
                  MsMailbox      *mailbox)
{
  g_return_if_fail (index < self->items->len);

  g_clear_object ((MsMessageItem **) &g_ptr_array_index (self->items, index));
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 1);
}

static void
on_message_expunged (MsMailboxModel *self,
                     guint           uid,
                     guint           index,
                     MsMailbox      *mailbox)
{
  g_return_if_fail (index < self->items->len);

  g_ptr_array_remove_index (self->items, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

static void
refresh_all (MsMailboxModel *self)
{
  guint n = self->items->len;

  for (guint i = 0; i < n; i++)
    g_clear_object ((MsMessageItem **) &g_ptr_array_index (self->items, i));
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
}

static void
on_reference_changed (MsMailboxModel *self)
{
  /* What is "only here" may have changed for any row. Rows not shown cost
   * nothing: only the visible ones are made again. */
  g_clear_pointer (&self->reference_ids, g_hash_table_unref);
  refresh_all (self);
}

static void
on_reference_flags_changed (MsMailboxModel *self)
{
  /* Flags on the server do not change what exists where. */
}

static void
ms_mailbox_model_dispose (GObject *object)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (object);

  g_clear_object (&self->mailbox);
  g_clear_object (&self->reference);
  g_clear_pointer (&self->reference_ids, g_hash_table_unref);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (ms_mailbox_model_parent_class)->dispose (object);
}

static void
ms_mailbox_model_finalize (GObject *object)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_mailbox_model_parent_class)->finalize (object);
}

static void
ms_mailbox_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (object);

  switch (prop_id)
    {
    case PROP_MAILBOX:
      g_value_set_object (value, self->mailbox);
      break;
    case PROP_REFERENCE:
      g_value_set_object (value, self->reference);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_mailbox_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MsMailboxModel *self = MS_MAILBOX_MODEL (object);

  switch (prop_id)
    {
    case PROP_MAILBOX:
      ms_mailbox_model_set_mailbox (self, g_value_get_object (value));
      break;
    case PROP_REFERENCE:
      ms_mailbox_model_set_reference (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_mailbox_model_class_init (MsMailboxModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_mailbox_model_dispose;
  object_class->finalize = ms_mailbox_model_finalize;
  object_class->get_property = ms_mailbox_model_get_property;
  object_class->set_property = ms_mailbox_model_set_property;

  properties[PROP_MAILBOX] =
    g_param_spec_object ("mailbox", NULL, NULL, MS_TYPE_MAILBOX,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFERENCE] =
    g_param_spec_object ("reference", NULL, NULL, MS_TYPE_MAILBOX,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_mailbox_model_init (MsMailboxModel *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_item);
}

MsMailboxModel *
ms_mailbox_model_new (MsMailbox *mailbox)
{
  g_return_val_if_fail (mailbox == NULL || MS_IS_MAILBOX (mailbox), NULL);

  return g_object_new (MS_TYPE_MAILBOX_MODEL, "mailbox", mailbox, NULL);
}

MsMailbox *
ms_mailbox_model_get_mailbox (MsMailboxModel *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX_MODEL (self), NULL);
  return self->mailbox;
}

void
ms_mailbox_model_set_mailbox (MsMailboxModel *self,
                              MsMailbox      *mailbox)
{
  guint old_n, new_n;

  g_return_if_fail (MS_IS_MAILBOX_MODEL (self));
  g_return_if_fail (mailbox == NULL || MS_IS_MAILBOX (mailbox));

  if (self->mailbox == mailbox)
    return;

  if (self->mailbox != NULL)
    g_signal_handlers_disconnect_by_data (self->mailbox, self);

  old_n = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_set_object (&self->mailbox, mailbox);

  if (mailbox != NULL)
    {
      g_signal_connect_object (mailbox, "message-added", G_CALLBACK (on_message_added), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (mailbox, "flags-changed", G_CALLBACK (on_message_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (mailbox, "message-replaced", G_CALLBACK (on_message_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (mailbox, "message-expunged", G_CALLBACK (on_message_expunged), self, G_CONNECT_SWAPPED);
      g_ptr_array_set_size (self->items, ms_mailbox_get_n_messages (mailbox));
    }
  new_n = self->items->len;

  if (old_n > 0 || new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAILBOX]);
}

MsMailbox *
ms_mailbox_model_get_reference (MsMailboxModel *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX_MODEL (self), NULL);
  return self->reference;
}

void
ms_mailbox_model_set_reference (MsMailboxModel *self,
                                MsMailbox      *reference)
{
  g_return_if_fail (MS_IS_MAILBOX_MODEL (self));
  g_return_if_fail (reference == NULL || MS_IS_MAILBOX (reference));

  if (self->reference == reference)
    return;

  if (self->reference != NULL)
    g_signal_handlers_disconnect_by_data (self->reference, self);
  g_set_object (&self->reference, reference);
  if (reference != NULL)
    {
      g_signal_connect_object (reference, "message-added", G_CALLBACK (on_reference_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (reference, "message-expunged", G_CALLBACK (on_reference_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (reference, "flags-changed", G_CALLBACK (on_reference_flags_changed), self, G_CONNECT_SWAPPED);
    }
  on_reference_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCE]);
}

guint
ms_mailbox_model_get_n_created (MsMailboxModel *self)
{
  guint n = 0;

  g_return_val_if_fail (MS_IS_MAILBOX_MODEL (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) != NULL)
      n++;
  return n;
}

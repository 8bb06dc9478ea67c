/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-mailbox-view"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-mailbox-model.h"
#include "ms-mailbox-view.h"
#include "ms-status-text.h"
#include "ms-tooltip.h"

struct _MsMailboxView
{
  GtkWidget           parent_instance;

  MsAccount          *account;
  MsAccount          *reference;
  char               *folder;
  MsMailboxModel     *model;
  GtkSingleSelection *selection;
  GtkStringList      *folders;
  gboolean            updating_folders;

  /* template */
  GtkWidget          *box;
  GtkDropDown        *folder_dropdown;
  GtkLabel           *summary_label;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkLabel           *empty_label;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsMailboxView, ms_mailbox_view, GTK_TYPE_WIDGET)

/* Row widgets: made once per visible row and reused while scrolling. */
enum { ROW_FLAG, ROW_SUBJECT, ROW_FROM, ROW_SIZE, ROW_LOCAL, N_ROW_PARTS };

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *parts[N_ROW_PARTS];

  parts[ROW_FLAG] = gtk_label_new (NULL);
  gtk_widget_add_css_class (parts[ROW_FLAG], "row-flag");
  gtk_widget_set_size_request (parts[ROW_FLAG], 16, -1);
  parts[ROW_SUBJECT] = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (parts[ROW_SUBJECT]), 0);
  gtk_label_set_ellipsize (GTK_LABEL (parts[ROW_SUBJECT]), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (parts[ROW_SUBJECT], "row-subject");
  parts[ROW_FROM] = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (parts[ROW_FROM]), 0);
  gtk_label_set_ellipsize (GTK_LABEL (parts[ROW_FROM]), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (parts[ROW_FROM], "row-from");
  parts[ROW_SIZE] = gtk_label_new (NULL);
  gtk_widget_add_css_class (parts[ROW_SIZE], "row-size");
  gtk_widget_set_valign (parts[ROW_SIZE], GTK_ALIGN_CENTER);
  parts[ROW_LOCAL] = gtk_label_new (_("only here"));
  gtk_widget_add_css_class (parts[ROW_LOCAL], "row-local-only");
  gtk_widget_set_valign (parts[ROW_LOCAL], GTK_ALIGN_CENTER);
  ms_tooltip_set_text (parts[ROW_LOCAL], _("This copy exists only on this device: the server no longer has it"));

  gtk_widget_set_hexpand (text, TRUE);
  /* Sender and size share the second line: side panels are narrow. */
  {
    GtkWidget *second = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    gtk_widget_set_hexpand (parts[ROW_FROM], TRUE);
    gtk_box_append (GTK_BOX (second), parts[ROW_FROM]);
    gtk_box_append (GTK_BOX (second), parts[ROW_SIZE]);
    gtk_box_append (GTK_BOX (text), parts[ROW_SUBJECT]);
    gtk_box_append (GTK_BOX (text), second);
  }
  gtk_box_append (GTK_BOX (row), parts[ROW_FLAG]);
  gtk_box_append (GTK_BOX (row), text);
  gtk_box_append (GTK_BOX (row), parts[ROW_LOCAL]);
  gtk_widget_add_css_class (row, "message-row");

  g_object_set_data (G_OBJECT (row), "flag", parts[ROW_FLAG]);
  g_object_set_data (G_OBJECT (row), "subject", parts[ROW_SUBJECT]);
  g_object_set_data (G_OBJECT (row), "from", parts[ROW_FROM]);
  g_object_set_data (G_OBJECT (row), "size", parts[ROW_SIZE]);
  g_object_set_data (G_OBJECT (row), "local", parts[ROW_LOCAL]);
  gtk_list_item_set_child (list_item, row);
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  MsMessageItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  MsFlags flags = ms_message_item_get_flags (item);
  g_autofree char *size = g_format_size (ms_message_item_get_size (item));
  g_autofree char *tooltip = NULL;
  GtkLabel *flag = g_object_get_data (G_OBJECT (row), "flag");

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "subject"), ms_message_item_get_subject (item));
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "from"), ms_message_item_get_from (item));
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "size"), size);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "local"), ms_message_item_get_local_only (item));

  /* One glyph for the most telling state; the row's style carries the rest. */
  if (flags & MS_FLAG_DELETED)
    gtk_label_set_text (flag, "✗");
  else if (flags & MS_FLAG_FLAGGED)
    gtk_label_set_text (flag, "★");
  else if (!(flags & MS_FLAG_SEEN))
    gtk_label_set_text (flag, "●");
  else
    gtk_label_set_text (flag, "");

  set_class (row, "unread", !(flags & MS_FLAG_SEEN));
  set_class (row, "flagged", flags & MS_FLAG_FLAGGED);
  set_class (row, "deleted", flags & MS_FLAG_DELETED);
  set_class (row, "local-only", ms_message_item_get_local_only (item));

  tooltip = g_strdup_printf ("UID %u · %s%s%s%s",
                             ms_message_item_get_uid (item),
                             (flags & MS_FLAG_SEEN) ? _("read") : _("unread"),
                             (flags & MS_FLAG_FLAGGED) ? _(", flagged") : "",
                             (flags & MS_FLAG_ANSWERED) ? _(", answered") : "",
                             (flags & MS_FLAG_DELETED) ? _(", marked \\Deleted (removed at the next EXPUNGE)") : "");
  ms_tooltip_set_text (row, tooltip);
}

static MsMailbox *
current_mailbox (MsMailboxView *self,
                 MsAccount     *account)
{
  if (account == NULL)
    return NULL;
  if (self->folder != NULL)
    {
      MsMailbox *mailbox = ms_account_lookup_mailbox (account, self->folder);
      if (mailbox != NULL)
        return mailbox;
    }
  return ms_account_get_inbox (account);
}

static void
update_summary (MsMailboxView *self)
{
  MsMailbox *mailbox = ms_mailbox_model_get_mailbox (self->model);
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;
  guint n, unread;

  if (mailbox == NULL || self->account == NULL)
    {
      ms_status_text_set (self->summary_label, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  n = ms_mailbox_get_n_messages (mailbox);
  unread = ms_mailbox_count_flag (mailbox, MS_FLAG_SEEN, FALSE);
  total = g_format_size (ms_account_get_total_size (self->account));
  /* TRANSLATORS: "12 messages, 3 unread · 41 kB stored" */
  text = g_strdup_printf (ngettext ("%u message, %u unread · %s stored",
                                    "%u messages, %u unread · %s stored", n),
                          n, unread, total);
  ms_status_text_set (self->summary_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
on_items_changed (MsMailboxView *self)
{
  update_summary (self);
}

static void
rebuild_folders (MsMailboxView *self)
{
  GPtrArray *mailboxes;  /* owned by the account */
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;

  if (self->account != NULL)
    {
      mailboxes = ms_account_list_mailboxes (self->account);
      for (guint i = 0; i < mailboxes->len; i++)
        {
          const char *name = ms_mailbox_get_name (g_ptr_array_index (mailboxes, i));

          if (self->folder != NULL && g_ascii_strcasecmp (name, self->folder) == 0)
            selected = i;
          g_ptr_array_add (names, (gpointer) name);
        }
    }
  g_ptr_array_add (names, NULL);

  self->updating_folders = TRUE;
  gtk_string_list_splice (self->folders, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->folders)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->folder_dropdown, selected);
  self->updating_folders = FALSE;
}

static void
reload (MsMailboxView *self)
{
  MsMailbox *mailbox = current_mailbox (self, self->account);
  MsMailbox *reference = NULL;

  /* Compare with the same folder on the reference (the server); a device's
   * INBOX is compared with the server's INBOX. */
  if (self->reference != NULL && mailbox != NULL)
    reference = ms_account_lookup_mailbox (self->reference, ms_mailbox_get_name (mailbox));

  ms_mailbox_model_set_reference (self->model, reference);
  ms_mailbox_model_set_mailbox (self->model, mailbox);
  update_summary (self);
}

static void
on_folders_changed (MsMailboxView *self)
{
  rebuild_folders (self);
  reload (self);
}

static void
on_folder_selected (MsMailboxView *self)
{
  GtkStringObject *string;

  if (self->updating_folders)
    return;
  string = gtk_drop_down_get_selected_item (self->folder_dropdown);
  if (string != NULL)
    ms_mailbox_view_set_folder (self, gtk_string_object_get_string (string));
}

static void
ms_mailbox_view_dispose (GObject *object)
{
  MsMailboxView *self = MS_MAILBOX_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_MAILBOX_VIEW);
  g_clear_object (&self->account);
  g_clear_object (&self->reference);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->folders);

  G_OBJECT_CLASS (ms_mailbox_view_parent_class)->dispose (object);
}

static void
ms_mailbox_view_finalize (GObject *object)
{
  MsMailboxView *self = MS_MAILBOX_VIEW (object);

  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (ms_mailbox_view_parent_class)->finalize (object);
}

static void
ms_mailbox_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MsMailboxView *self = MS_MAILBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_mailbox_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MsMailboxView *self = MS_MAILBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      ms_mailbox_view_set_account (self, g_value_get_object (value));
      break;
    case PROP_FOLDER:
      ms_mailbox_view_set_folder (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_mailbox_view_class_init (MsMailboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_mailbox_view_dispose;
  object_class->finalize = ms_mailbox_view_finalize;
  object_class->get_property = ms_mailbox_view_get_property;
  object_class->set_property = ms_mailbox_view_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, MS_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-mailbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, box);
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, folder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, stack);
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, list_view);
  gtk_widget_class_bind_template_child (widget_class, MsMailboxView, empty_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mailboxview");

  g_type_ensure (MS_TYPE_MAILBOX_MODEL);
}

static void
ms_mailbox_view_init (MsMailboxView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = ms_mailbox_model_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);

  self->folders = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->folder_dropdown, G_LIST_MODEL (self->folders));
  g_signal_connect_object (self->folder_dropdown, "notify::selected", G_CALLBACK (on_folder_selected), self, G_CONNECT_SWAPPED);

  update_summary (self);
}

GtkWidget *
ms_mailbox_view_new (void)
{
  return g_object_new (MS_TYPE_MAILBOX_VIEW, NULL);
}

MsAccount *
ms_mailbox_view_get_account (MsMailboxView *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX_VIEW (self), NULL);
  return self->account;
}

void
ms_mailbox_view_set_account (MsMailboxView *self,
                             MsAccount     *account)
{
  g_return_if_fail (MS_IS_MAILBOX_VIEW (self));
  g_return_if_fail (account == NULL || MS_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    {
      g_signal_connect_object (account, "mailbox-created", G_CALLBACK (on_folders_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "mailbox-deleted", G_CALLBACK (on_folders_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "mailbox-renamed", G_CALLBACK (on_folders_changed), self, G_CONNECT_SWAPPED);
    }
  rebuild_folders (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

void
ms_mailbox_view_set_reference_account (MsMailboxView *self,
                                       MsAccount     *reference)
{
  g_return_if_fail (MS_IS_MAILBOX_VIEW (self));
  g_return_if_fail (reference == NULL || MS_IS_ACCOUNT (reference));

  if (g_set_object (&self->reference, reference))
    reload (self);
}

const char *
ms_mailbox_view_get_folder (MsMailboxView *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX_VIEW (self), NULL);
  return self->folder;
}

void
ms_mailbox_view_set_folder (MsMailboxView *self,
                            const char    *name)
{
  g_return_if_fail (MS_IS_MAILBOX_VIEW (self));

  if (g_strcmp0 (self->folder, name) == 0)
    return;
  g_free (self->folder);
  self->folder = g_strdup (name);
  rebuild_folders (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
}

MsMessage *
ms_mailbox_view_get_selected (MsMailboxView *self)
{
  MsMessageItem *item;

  g_return_val_if_fail (MS_IS_MAILBOX_VIEW (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);
  return item ? ms_message_item_get_message (item) : NULL;
}

GListModel *
ms_mailbox_view_get_model (MsMailboxView *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX_VIEW (self), NULL);
  return G_LIST_MODEL (self->model);
}

void
ms_mailbox_view_set_folders_shown (MsMailboxView *self,
                                   gboolean       shown)
{
  g_return_if_fail (MS_IS_MAILBOX_VIEW (self));

  /* The drop-down's row; the list goes on showing the chosen folder. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->folder_dropdown)), shown);
}

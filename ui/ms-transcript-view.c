/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript-view"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-clock.h"
#include "ms-command-explanations.h"
#include "ms-link.h"
#include "ms-teaching.h"
#include "ms-tooltip.h"
#include "ms-transcript-view-private.h"

/* Device colours: the same order the stage uses (first device left). */
#define N_DEVICE_COLOURS 4



enum {
  PROP_0,
  PROP_EAVESDROPPER,
  N_PROPS
};

enum {
  ENTRY_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsTranscriptView, ms_transcript_view, GTK_TYPE_WIDGET)

static guint
device_index (MsTranscriptView *self,
              const char       *device)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  if (device == NULL)
    return G_MAXUINT;
  for (guint i = 1; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->devices, i), device))
      return i - 1;
  return G_MAXUINT;
}

/* What one row says in the line column. */
static char *
entry_text (MsTranscriptView  *self,
            MsTranscriptEntry *entry)
{
  const char * const *lines = ms_transcript_entry_get_lines (entry);
  gsize wire = ms_transcript_entry_get_wire_size (entry);

  switch (ms_transcript_entry_get_kind (entry))
    {
    case MS_TRANSCRIPT_CHUNK:
      if (self->eavesdropper && ms_transcript_entry_get_encrypted (entry))
        return g_strdup_printf (ngettext ("encrypted data, %zu byte (unreadable)", "encrypted data, %zu bytes (unreadable)", wire), wire);
      if (lines == NULL || lines[0] == NULL)
        return g_strdup ("");
      return g_strjoinv ("\n", (char **) lines);
    case MS_TRANSCRIPT_TLS_RECORD:
      if (ms_transcript_entry_get_tls_handshake (entry) != NULL)
        return g_strdup_printf (ngettext ("TLS %s record: %s, %zu byte", "TLS %s record: %s, %zu bytes", wire),
                                ms_transcript_entry_get_tls_record_type (entry),
                                ms_transcript_entry_get_tls_handshake (entry), wire);
      return g_strdup_printf (ngettext ("TLS %s record, %zu byte", "TLS %s record, %zu bytes", wire),
                              ms_transcript_entry_get_tls_record_type (entry), wire);
    case MS_TRANSCRIPT_STATE:
      return g_strdup_printf (_("state: %s"), ms_transcript_entry_get_display_text (entry));
    case MS_TRANSCRIPT_NOTICE:
    case MS_TRANSCRIPT_NARRATION:
    case MS_TRANSCRIPT_STEP:
    default:
      return g_strdup (ms_transcript_entry_get_display_text (entry) ? ms_transcript_entry_get_display_text (entry) : "");
    }
}

static gboolean
filter_entry (gpointer item,
              gpointer user_data)
{
  MsTranscriptView *self = user_data;
  MsTranscriptEntry *entry = item;
  MsTranscriptKind kind = ms_transcript_entry_get_kind (entry);

  /* The eavesdropper sees only what crosses the wire. */
  if (self->eavesdropper && kind != MS_TRANSCRIPT_CHUNK && kind != MS_TRANSCRIPT_TLS_RECORD)
    return FALSE;
  /* TLS records carrying application data repeat their chunk; show them
   * only to the eavesdropper, for whom they are all there is. */
  if (!self->eavesdropper && kind == MS_TRANSCRIPT_TLS_RECORD &&
      g_strcmp0 (ms_transcript_entry_get_tls_record_type (entry), "application_data") == 0)
    return FALSE;
  if (self->eavesdropper && kind == MS_TRANSCRIPT_CHUNK && ms_transcript_entry_get_encrypted (entry))
    return FALSE;
  if (self->world_filter != 0 &&
      GPOINTER_TO_UINT (g_hash_table_lookup (self->world_of, entry)) != self->world_filter)
    return FALSE;
  if (self->device_filter != NULL && kind != MS_TRANSCRIPT_STEP && kind != MS_TRANSCRIPT_NARRATION)
    return g_strcmp0 (ms_transcript_entry_get_device (entry), self->device_filter) == 0;
  return TRUE;
}

/* ---- columns ---- */

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, GPOINTER_TO_UINT (user_data) == 3 ? "transcript-line" : "transcript-cell");
  if (GPOINTER_TO_UINT (user_data) == 3)
    {
      /* One line a row, the rest in the tooltip and the explanation: GTK
       * 4.8's list keeps a recycled row at the height of what it showed
       * before, so wrapped rows of different heights left rows blank
       * (a tall row showing one short line, or nothing) and made
       * scrolling to a row miss it. */
      gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
set_only_class (GtkWidget  *widget,
                const char *prefix,
                const char *name)
{
  static const char *known[] = { "kind-chunk", "kind-state", "kind-narration", "kind-step", "kind-notice", "kind-tls", "plain-secret",
                                 "device-0", "device-1", "device-2", "device-3", "server", NULL };

  for (guint i = 0; known[i] != NULL; i++)
    gtk_widget_remove_css_class (widget, known[i]);
  if (name != NULL)
    gtk_widget_add_css_class (widget, name);
  (void) prefix;
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  MsTranscriptView *self = g_object_get_data (G_OBJECT (factory), "view");
  MsTranscriptEntry *entry = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  MsTranscriptKind kind = ms_transcript_entry_get_kind (entry);
  static const char *kind_class[] = { "kind-chunk", "kind-state", "kind-narration", "kind-step", "kind-notice", "kind-tls" };

  switch (GPOINTER_TO_UINT (user_data))
    {
    case 0:
      {
        g_autofree char *time = ms_transcript_entry_format_time (entry);
        gtk_label_set_text (label, time);
      }
      break;
    case 1:
      {
        const char *device = ms_transcript_entry_get_device (entry);
        guint index = device_index (self, device);
        g_autofree char *css = index != G_MAXUINT ? g_strdup_printf ("device-%u", index % N_DEVICE_COLOURS) : NULL;

        gtk_label_set_text (label, device ? ms_device_display_name (device) : "");
        set_only_class (GTK_WIDGET (label), "device", css);
      }
      break;
    case 2:
      switch (ms_transcript_entry_get_direction (entry))
        {
        case MS_DIRECTION_TO_SERVER:
          gtk_label_set_text (label, _("→ server"));
          break;
        case MS_DIRECTION_TO_CLIENT:
          gtk_label_set_text (label, _("← server"));
          break;
        case MS_DIRECTION_NONE:
        default:
          gtk_label_set_text (label, "");
          break;
        }
      break;
    case 4:
      {
        guint world = GPOINTER_TO_UINT (g_hash_table_lookup (self->world_of, entry));

        gtk_label_set_text (label, world > 0 ? self->world_names[world - 1] : "");
        set_only_class (GTK_WIDGET (label), "world", world > 0 ? (world == 1 ? "world-1" : "world-2") : NULL);
      }
      break;
    case 3:
    default:
      {
        g_autofree char *text = entry_text (self, entry);
        gboolean secret = self->eavesdropper && kind == MS_TRANSCRIPT_CHUNK && !ms_transcript_entry_get_encrypted (entry);

        gtk_label_set_text (label, text);
        /* A row shows one line: the whole of a longer one on hover. */
        ms_tooltip_set_text (GTK_WIDGET (label), strchr (text, '\n') || g_utf8_strlen (text, -1) > 80 ? text : NULL);
        set_only_class (GTK_WIDGET (label), "kind", secret ? "plain-secret" : kind_class[MIN (kind, G_N_ELEMENTS (kind_class) - 1)]);
      }
      break;
    }
}

GtkColumnViewColumn *
ms_transcript_view_add_column (MsTranscriptView *self,
            const char       *title,
            guint             which,
            gboolean          expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column = NULL;

  g_object_set_data (G_OBJECT (factory), "view", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), GUINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (which));
  column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
  /* The column view holds it from here on. */
  g_object_unref (column);
  return column;
}

/* ---- explanation ---- */

static void
explain (MsTranscriptView  *self,
         MsTranscriptEntry *entry)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char * const *lines;
  const char *protocol;
  gboolean to_server;

  if (entry == NULL)
    {
      g_free (self->explanation);
      self->explanation = g_strdup (_("Select a line to see what it means."));
      gtk_label_set_text (self->explanation_label, self->explanation);
      return;
    }

  protocol = ms_transcript_entry_get_protocol (entry);
  to_server = ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER;
  lines = ms_transcript_entry_get_lines (entry);

  switch (ms_transcript_entry_get_kind (entry))
    {
    case MS_TRANSCRIPT_CHUNK:
      {
        g_autofree char *time = ms_clock_format_time (ms_transcript_entry_get_arrival_us (entry) - ms_transcript_entry_get_time_us (entry));
        g_autofree char *who = g_markup_printf_escaped (to_server ? _("<b>%s → server</b>") : _("<b>server → %s</b>"),
                                                        ms_device_display_name (ms_transcript_entry_get_device (entry)));
        g_string_append_printf (out, ngettext ("%s · %s port %u · %zu byte on the wire, %s to arrive\n\n",
                                               "%s · %s port %u · %zu bytes on the wire, %s to arrive\n\n",
                                               ms_transcript_entry_get_wire_size (entry)),
                                who, protocol ? protocol : "", ms_transcript_entry_get_port (entry),
                                ms_transcript_entry_get_wire_size (entry), time);
        if (self->eavesdropper)
          {
            if (ms_transcript_entry_get_encrypted (entry))
              g_string_append (out, _("Someone listening on the network sees only that this many bytes of encrypted data went by. The password and the mail are safe."));
            else
              g_string_append (out, _("<b>Not encrypted:</b> anyone on the path between the device and the server can read every word of this, including a password."));
            break;
          }
        for (guint i = 0; lines != NULL && lines[i] != NULL && i < 4; i++)
          {
            g_autofree char *text = ms_explain_line (protocol, to_server, lines[i]);
            g_autofree char *line = g_markup_escape_text (lines[i], -1);

            if (text == NULL)
              continue;
            {
              g_autofree char *escaped = g_markup_escape_text (text, -1);
              g_string_append_printf (out, "<tt>%s</tt>\n%s\n\n", line, escaped);
            }
          }
        if (ms_transcript_entry_get_encrypted (entry))
          g_string_append (out, _("This travelled inside TLS: on the network it was unreadable."));
      }
      break;
    case MS_TRANSCRIPT_TLS_RECORD:
      g_string_append (out, _("A TLS record. TLS wraps everything in records: the handshake agrees on keys and proves the server's identity with its certificate; after it, application data records carry the protocol, encrypted."));
      break;
    case MS_TRANSCRIPT_STATE:
      {
        g_autofree char *text = g_markup_escape_text (ms_transcript_entry_get_display_text (entry), -1);
        g_string_append_printf (out, _("A session changed state: %s.\n\nPOP3 sessions go AUTHORIZATION → TRANSACTION → UPDATE (deletions happen only in UPDATE). IMAP sessions go not authenticated → authenticated → selected → logout."), text);
      }
      break;
    default:
      {
        g_autofree char *text = g_markup_escape_text (ms_transcript_entry_get_display_text (entry) ? ms_transcript_entry_get_display_text (entry) : "", -1);
        g_string_append (out, text);
      }
      break;
    }

  g_free (self->explanation);
  self->explanation = g_string_free (g_steal_pointer (&out), FALSE);
  gtk_label_set_markup (self->explanation_label, self->explanation);
}

static void
on_selection_changed (MsTranscriptView *self)
{
  MsTranscriptEntry *entry = gtk_single_selection_get_selected_item (self->selection);

  explain (self, entry);
  g_signal_emit (self, signals[ENTRY_SELECTED], 0, entry);
}

/* ---- following the model ---- */

/* Brings the @position-th shown row into view. The column view's own list
 * knows how (GTK 4.8 has no gtk_column_view_scroll_to()); setting the
 * adjustment by hand races its layout. */
static void
scroll_to_row (MsTranscriptView *self,
               guint             position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static gboolean
scroll_to_end (gpointer data)
{
  MsTranscriptView *self = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  self->scroll_idle = 0;
  if (n == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    return G_SOURCE_REMOVE;
  scroll_to_row (self, n - 1);
  return G_SOURCE_REMOVE;
}

static void
update_count (MsTranscriptView *self)
{
  guint total = self->transcript ? g_list_model_get_n_items (self->transcript) : 0;
  /* TRANSLATORS: the plural follows the second number, the total. */
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u line", "%u of %u lines", total),
                                           g_list_model_get_n_items (G_LIST_MODEL (self->filtered)), total);
  gtk_label_set_text (self->count_label, text);
}

static void
learn_devices (MsTranscriptView *self,
               guint             from)
{
  guint n = self->transcript ? g_list_model_get_n_items (self->transcript) : 0;

  for (guint i = from; i < n; i++)
    {
      g_autoptr(MsTranscriptEntry) entry = g_list_model_get_item (self->transcript, i);
      const char *device = ms_transcript_entry_get_device (entry);

      if (device != NULL && ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_CHUNK &&
          device_index (self, device) == G_MAXUINT)
        gtk_string_list_append (self->devices, device);
    }
}

static void
on_transcript_changed (MsTranscriptView *self,
                       guint             position,
                       guint             removed,
                       guint             added)
{
  learn_devices (self, position);
  update_count (self);
  /* Follow the newest line, as a terminal does. */
  if (self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_end, self);
}

void
ms_transcript_view_refilter (MsTranscriptView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
on_device_selected (MsTranscriptView *self)
{
  guint selected = gtk_drop_down_get_selected (self->device_dropdown);

  ms_transcript_view_set_device_filter (self, selected == 0 || selected == GTK_INVALID_LIST_POSITION
                                                ? NULL : gtk_string_list_get_string (self->devices, selected));
}

static void
on_eavesdropper_toggled (MsTranscriptView *self)
{
  ms_transcript_view_set_eavesdropper (self, gtk_toggle_button_get_active (self->eavesdropper_button));
}

/* ---- GObject ---- */

static void
ms_transcript_view_dispose (GObject *object)
{
  MsTranscriptView *self = MS_TRANSCRIPT_VIEW (object);

  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  for (guint i = 0; i < 2; i++)
    {
      if (self->worlds[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->worlds[i], self);
      g_clear_object (&self->worlds[i]);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_TRANSCRIPT_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->transcript);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (ms_transcript_view_parent_class)->dispose (object);
}

static void
ms_transcript_view_finalize (GObject *object)
{
  MsTranscriptView *self = MS_TRANSCRIPT_VIEW (object);

  g_free (self->device_filter);
  g_free (self->explanation);
  g_free (self->world_names[0]);
  g_free (self->world_names[1]);
  g_hash_table_unref (self->world_of);

  G_OBJECT_CLASS (ms_transcript_view_parent_class)->finalize (object);
}

static void
ms_transcript_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MsTranscriptView *self = MS_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_EAVESDROPPER:
      g_value_set_boolean (value, self->eavesdropper);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_transcript_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MsTranscriptView *self = MS_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_EAVESDROPPER:
      ms_transcript_view_set_eavesdropper (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_transcript_view_class_init (MsTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_transcript_view_dispose;
  object_class->finalize = ms_transcript_view_finalize;
  object_class->get_property = ms_transcript_view_get_property;
  object_class->set_property = ms_transcript_view_set_property;

  properties[PROP_EAVESDROPPER] =
    g_param_spec_boolean ("eavesdropper", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsTranscriptView::entry-selected:
   * @entry: (nullable): the selected MsTranscriptEntry
   */
  signals[ENTRY_SELECTED] =
    g_signal_new ("entry-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_TRANSCRIPT_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mailscope/Mailscope/ui/ms-transcript-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, paned);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, eavesdropper_button);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, world_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, count_label);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, scroller);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, column_view);
  gtk_widget_class_bind_template_child (widget_class, MsTranscriptView, explanation_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transcriptview");
}

static void
ms_transcript_view_init (MsTranscriptView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->devices = gtk_string_list_new ((const char *[]) { _("All devices"), NULL });
  gtk_drop_down_set_model (self->device_dropdown, G_LIST_MODEL (self->devices));
  g_signal_connect_object (self->device_dropdown, "notify::selected", G_CALLBACK (on_device_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->eavesdropper_button, "toggled", G_CALLBACK (on_eavesdropper_toggled), self, G_CONNECT_SWAPPED);

  self->filter = gtk_custom_filter_new (filter_entry, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  ms_transcript_view_init_worlds (self);
  ms_transcript_view_add_column (self, _("Time"), 0, FALSE);
  ms_transcript_view_add_column (self, _("Device"), 1, FALSE);
  ms_transcript_view_add_column (self, _("Direction"), 2, FALSE);
  ms_transcript_view_add_column (self, _("What crossed the network"), 3, TRUE);
  explain (self, NULL);
  update_count (self);
}

GtkWidget *
ms_transcript_view_new (void)
{
  return g_object_new (MS_TYPE_TRANSCRIPT_VIEW, NULL);
}

void
ms_transcript_view_show_model (MsTranscriptView *self,
            GListModel       *transcript)
{
  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  g_set_object (&self->transcript, transcript);
  gtk_string_list_splice (self->devices, 1, g_list_model_get_n_items (G_LIST_MODEL (self->devices)) - 1, NULL);
  gtk_drop_down_set_selected (self->device_dropdown, 0);
  if (transcript != NULL)
    g_signal_connect_object (transcript, "items-changed", G_CALLBACK (on_transcript_changed), self, G_CONNECT_SWAPPED);
  learn_devices (self, 0);
  gtk_filter_list_model_set_model (self->filtered, transcript);
  update_count (self);
  if (self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_end, self);
}

void
ms_transcript_view_set_model (MsTranscriptView *self,
                              GListModel       *transcript)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (transcript == NULL || G_IS_LIST_MODEL (transcript));

  if (self->transcript == transcript && self->worlds[0] == NULL)
    return;
  ms_transcript_view_drop_worlds (self);
  ms_transcript_view_show_model (self, transcript);
}

MsTranscriptEntry *
ms_transcript_view_get_selected (MsTranscriptView *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

void
ms_transcript_view_select (MsTranscriptView *self,
                           guint             n)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));
  gtk_single_selection_set_selected (self->selection, n);
  /* A row chosen from elsewhere (a test, the keyboard, the stage) may be
   * far from the rows in view; the pending follow-the-end would undo it. */
  if (n < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    {
      g_clear_handle_id (&self->scroll_idle, g_source_remove);
      scroll_to_row (self, n);
    }
}

guint
ms_transcript_view_get_n_shown (MsTranscriptView *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

const char *
ms_transcript_view_get_explanation (MsTranscriptView *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_VIEW (self), NULL);
  return self->explanation;
}

gboolean
ms_transcript_view_get_eavesdropper (MsTranscriptView *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_VIEW (self), FALSE);
  return self->eavesdropper;
}

void
ms_transcript_view_set_eavesdropper (MsTranscriptView *self,
                                     gboolean          eavesdropper)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));

  eavesdropper = !!eavesdropper;
  if (self->eavesdropper == eavesdropper)
    return;
  self->eavesdropper = eavesdropper;
  gtk_toggle_button_set_active (self->eavesdropper_button, eavesdropper);
  ms_transcript_view_refilter (self);
  explain (self, gtk_single_selection_get_selected_item (self->selection));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EAVESDROPPER]);
}

void
ms_transcript_view_set_device_filter (MsTranscriptView *self,
                                      const char       *device)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));

  if (g_strcmp0 (self->device_filter, device) == 0)
    return;
  g_free (self->device_filter);
  self->device_filter = g_strdup (device);
  ms_transcript_view_refilter (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript-view"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-transcript-view-private.h"

/* Compare mode: the POP3 world's and the IMAP world's transcripts in one
 * list in time order, a World column, and a filter per world. */

void
ms_transcript_view_drop_worlds (MsTranscriptView *self)
{
  for (guint i = 0; i < 2; i++)
    {
      if (self->worlds[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->worlds[i], self);
      g_clear_object (&self->worlds[i]);
    }
  g_hash_table_remove_all (self->world_of);
  gtk_column_view_column_set_visible (self->world_column, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->world_dropdown), FALSE);
  gtk_drop_down_set_selected (self->world_dropdown, 0);
  self->world_filter = 0;
}


static void
note_world (MsTranscriptView *self,
            GListModel       *world,
            guint             from)
{
  guint which = world == self->worlds[0] ? 1 : 2;
  guint n = g_list_model_get_n_items (world);

  for (guint i = from; i < n; i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (world, i);
      g_hash_table_insert (self->world_of, entry, GUINT_TO_POINTER (which));
    }
}

static void
on_world_changed (MsTranscriptView *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *world)
{
  /* Transcripts only grow. This runs before the merged model hears of the
   * new entries, so the filter already knows their world. */
  note_world (self, world, position);
}

static int
compare_time (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  gint64 ta = ms_transcript_entry_get_time_us ((MsTranscriptEntry *) a);
  gint64 tb = ms_transcript_entry_get_time_us ((MsTranscriptEntry *) b);

  return ta < tb ? -1 : ta > tb;
}

void
ms_transcript_view_set_models (MsTranscriptView *self,
                               GListModel       *first,
                               const char       *first_name,
                               GListModel       *second,
                               const char       *second_name)
{
  GListModel *worlds[2] = { first, second };
  const char *names[2] = { first_name, second_name };
  g_autoptr(GListStore) both = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  GListModel *merged;
  GtkStringList *choices;

  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (first) && G_IS_LIST_MODEL (second));

  if (self->worlds[0] == first && self->worlds[1] == second)
    return;
  ms_transcript_view_drop_worlds (self);
  both = g_list_store_new (G_TYPE_LIST_MODEL);
  for (guint i = 0; i < 2; i++)
    {
      self->worlds[i] = g_object_ref (worlds[i]);
      g_free (self->world_names[i]);
      self->world_names[i] = g_strdup (names[i]);
      /* Connected before the merged model is made: see on_world_changed(). */
      g_signal_connect_object (worlds[i], "items-changed", G_CALLBACK (on_world_changed), self, G_CONNECT_SWAPPED);
      note_world (self, worlds[i], 0);
      g_list_store_append (both, worlds[i]);
    }
  /* One list in time order; the sort is stable, so each world's own order
   * stays, and at the same moment the first world comes first. */
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_time, NULL, NULL));
  merged = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&both)))),
                                                  g_steal_pointer (&sorter)));
  choices = gtk_string_list_new ((const char *[]) { _("Both worlds"), first_name, second_name, NULL });
  gtk_drop_down_set_model (self->world_dropdown, G_LIST_MODEL (choices));
  g_object_unref (choices);
  gtk_drop_down_set_selected (self->world_dropdown, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->world_dropdown), TRUE);
  gtk_column_view_column_set_visible (self->world_column, TRUE);
  ms_transcript_view_show_model (self, merged);
  g_object_unref (merged);
}

guint
ms_transcript_view_get_entry_world (MsTranscriptView  *self,
                                    MsTranscriptEntry *entry)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT_VIEW (self), 0);
  return entry ? GPOINTER_TO_UINT (g_hash_table_lookup (self->world_of, entry)) : 0;
}

void
ms_transcript_view_set_world_filter (MsTranscriptView *self,
                                     guint             world)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (world <= 2);
  gtk_drop_down_set_selected (self->world_dropdown, world);
}


static void
on_world_selected (MsTranscriptView *self)
{
  guint selected = gtk_drop_down_get_selected (self->world_dropdown);

  self->world_filter = selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
  ms_transcript_view_refilter (self);
}


/* Called from init: the World column (shown in compare mode only) and the
 * world filter. */
void
ms_transcript_view_init_worlds (MsTranscriptView *self)
{
  self->world_of = g_hash_table_new (NULL, NULL);
  g_signal_connect_object (self->world_dropdown, "notify::selected", G_CALLBACK (on_world_selected), self, G_CONNECT_SWAPPED);
  self->world_column = ms_transcript_view_add_column (self, _("World"), 4, FALSE);
  gtk_column_view_column_set_visible (self->world_column, FALSE);
}

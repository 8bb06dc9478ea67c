/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-transcript"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-clock.h"
#include "ms-transcript.h"
#include "ms-transcript-entry-private.h"

/* Narration is wrapped to this width in the text form. */
#define WRAP_COLUMNS 78

struct _MsTranscript
{
  GObject    parent_instance;
  GPtrArray *entries;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsTranscript, ms_transcript, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return MS_TYPE_TRANSCRIPT_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return MS_TRANSCRIPT (model)->entries->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  MsTranscript *self = MS_TRANSCRIPT (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ms_transcript_finalize (GObject *object)
{
  MsTranscript *self = MS_TRANSCRIPT (object);

  g_ptr_array_unref (self->entries);
  G_OBJECT_CLASS (ms_transcript_parent_class)->finalize (object);
}

static void
ms_transcript_class_init (MsTranscriptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_transcript_finalize;
}

static void
ms_transcript_init (MsTranscript *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

MsTranscript *
ms_transcript_new (void)
{
  return g_object_new (MS_TYPE_TRANSCRIPT, NULL);
}

void
ms_transcript_append (MsTranscript      *self,
                      MsTranscriptEntry *entry)
{
  g_return_if_fail (MS_IS_TRANSCRIPT (self));
  g_return_if_fail (MS_IS_TRANSCRIPT_ENTRY (entry));

  g_ptr_array_add (self->entries, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

guint
ms_transcript_get_n_entries (MsTranscript *self)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT (self), 0);
  return self->entries->len;
}

MsTranscriptEntry *
ms_transcript_get_entry (MsTranscript *self,
                         guint         position)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, position);
}

static void
append_wrapped (GString    *out,
                const char *prefix,
                const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  gsize column = 0;

  g_string_append (out, prefix);
  column = g_utf8_strlen (prefix, -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      glong wlen = g_utf8_strlen (words[i], -1);

      if (wlen == 0)
        continue;
      if (column > strlen (prefix) && column + 1 + (gsize) wlen > WRAP_COLUMNS)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, prefix);
          column = g_utf8_strlen (prefix, -1);
        }
      else if (column > strlen (prefix))
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += (gsize) wlen;
    }
  g_string_append_c (out, '\n');
}

static void
append_prefix (GString           *out,
               MsTranscriptEntry *entry)
{
  g_autofree char *time = ms_transcript_entry_format_time (entry);

  g_autofree char *where = entry->connection != 0
    ? g_strdup_printf ("%s#%u", entry->protocol, entry->connection)
    : g_strdup ("-");

  g_string_append_printf (out, "%s %-7s %-7s ", time,
                          entry->device != NULL ? entry->device : "-", where);
}

void
ms_transcript_format_entry (MsTranscriptEntry *entry,
                            GString           *out)
{
  g_return_if_fail (MS_IS_TRANSCRIPT_ENTRY (entry));

  switch (entry->kind)
    {
    case MS_TRANSCRIPT_STEP:
      g_string_append_printf (out, "\n== %s ==\n", entry->text);
      break;

    case MS_TRANSCRIPT_NARRATION:
      append_wrapped (out, "# ", entry->text);
      break;

    case MS_TRANSCRIPT_CHUNK:
      {
        const char *who = entry->direction == MS_DIRECTION_TO_SERVER ? "C:" : "S:";

        for (guint i = 0; entry->lines != NULL && entry->lines[i] != NULL; i++)
          {
            append_prefix (out, entry);
            g_string_append_printf (out, "%s %s\n", who, entry->lines[i]);
          }
        if (entry->lines == NULL || entry->lines[0] == NULL)
          {
            /* A chunk with no complete line: part of a line (a cut connection). */
            gsize len = 0;
            const char *data = entry->bytes != NULL ? g_bytes_get_data (entry->bytes, &len) : NULL;
            g_autofree char *part = g_strndup (data, len);

            g_strdelimit (part, "\r\n", ' ');
            append_prefix (out, entry);
            g_string_append_printf (out, _("%s %s... (cut: %zu bytes, no end of line)\n"), who,
                                    g_utf8_validate (part, -1, NULL) ? part : "?", len);
          }
      }
      break;

    case MS_TRANSCRIPT_TLS_RECORD:
      append_prefix (out, entry);
      {
        g_autofree char *record = entry->tls_handshake != NULL
          ? g_strdup_printf ("%s %s", entry->tls_record_type, entry->tls_handshake)
          : g_strdup (entry->tls_record_type);

        /* TRANSLATORS: a TLS record in the text transcript: "TLS handshake
         * ClientHello, 517 bytes on the wire"; the record names stay. */
        g_string_append_printf (out, _("%s TLS %s, %zu bytes on the wire\n"),
                                entry->direction == MS_DIRECTION_TO_SERVER ? "C>" : "S>",
                                record, entry->wire_size);
      }
      break;

    case MS_TRANSCRIPT_STATE:
      append_prefix (out, entry);
      g_string_append_printf (out, "-- %s\n", ms_transcript_entry_get_display_text (entry));
      break;

    case MS_TRANSCRIPT_NOTICE:
      append_prefix (out, entry);
      g_string_append_printf (out, "!! %s\n", ms_transcript_entry_get_display_text (entry));
      break;

    default:
      g_assert_not_reached ();
    }
}

void
ms_transcript_format_text (MsTranscript *self,
                           GString      *out)
{
  g_return_if_fail (MS_IS_TRANSCRIPT (self));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < self->entries->len; i++)
    ms_transcript_format_entry (g_ptr_array_index (self->entries, i), out);
}

gboolean
ms_transcript_contains (MsTranscript *self,
                        const char   *needle)
{
  g_return_val_if_fail (MS_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      MsTranscriptEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->kind == MS_TRANSCRIPT_NARRATION || entry->kind == MS_TRANSCRIPT_STEP)
        continue;
      if (entry->text != NULL && strstr (entry->text, needle) != NULL)
        return TRUE;
      for (guint j = 0; entry->lines != NULL && entry->lines[j] != NULL; j++)
        if (strstr (entry->lines[j], needle) != NULL)
          return TRUE;
    }
  return FALSE;
}

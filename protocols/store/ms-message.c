/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-message"
#include "config.h"

#include <string.h>

#include "ms-message-private.h"
#include "ms-limits.h"

G_DEFINE_BOXED_TYPE (MsMessage, ms_message, ms_message_ref, ms_message_unref)

static const struct {
  MsFlags     flag;
  const char *name;
} flag_names[] = {
  { MS_FLAG_SEEN,     "\\Seen" },
  { MS_FLAG_ANSWERED, "\\Answered" },
  { MS_FLAG_FLAGGED,  "\\Flagged" },
  { MS_FLAG_DELETED,  "\\Deleted" },
  { MS_FLAG_DRAFT,    "\\Draft" },
};

MsMessage *
ms_message_new (guint32  uid,
                GBytes  *raw,
                gint64   internal_date,
                int      tz_offset)
{
  MsMessage *self = g_new0 (MsMessage, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->uid = uid;
  self->raw = g_bytes_ref (raw);
  self->size = g_bytes_get_size (raw);
  self->internal_date = internal_date;
  self->tz_offset = tz_offset;
  return self;
}

MsMessage *
ms_message_new_from_span (guint32          uid,
                          const MsRawSpan *span,
                          gint64           internal_date,
                          int              tz_offset)
{
  MsMessage *self = g_new0 (MsMessage, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->uid = uid;
  self->span = *span;
  ms_raw_file_ref (span->file);
  self->size = span->size;
  self->internal_date = internal_date;
  self->tz_offset = tz_offset;
  return self;
}

MsMessage *
ms_message_ref (MsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ms_message_unref (MsMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->cache_destroy != NULL)
    self->cache_destroy (self->cache);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_clear_pointer (&self->span.file, ms_raw_file_unref);
  g_strfreev (self->keywords);
  g_free (self);
}

guint32
ms_message_get_uid (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->uid;
}

GBytes *
ms_message_get_raw (const MsMessage *self)
{
  MsMessage *mutable = (MsMessage *) self;
  GBytes *raw;

  g_return_val_if_fail (self != NULL, NULL);

  raw = g_atomic_pointer_get (&mutable->raw);
  if G_LIKELY (raw != NULL)
    return raw;
  /* The first reader of a message loaded from a file: two threads may race
   * here, and the loser drops its copy. */
  raw = ms_raw_span_read (&self->span);
  if (!g_atomic_pointer_compare_and_exchange (&mutable->raw, NULL, raw))
    {
      g_bytes_unref (raw);
      raw = g_atomic_pointer_get (&mutable->raw);
    }
  return raw;
}

const guint8 *
ms_message_peek_raw (const MsMessage *self,
                     GByteArray      *scratch,
                     gsize            limit,
                     gsize           *len)
{
  GBytes *raw;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (scratch != NULL, NULL);
  g_return_val_if_fail (len != NULL, NULL);

  raw = g_atomic_pointer_get (&((MsMessage *) self)->raw);
  /* A CRLF file's message is a slice of the mapping: keeping it costs no copy. */
  if (raw == NULL && self->span.crlf && !self->span.quoted)
    raw = ms_message_get_raw (self);
  if (raw != NULL)
    {
      const guint8 *data = g_bytes_get_data (raw, len);

      return data != NULL ? data : (const guint8 *) "";
    }
  g_byte_array_set_size (scratch, MAX (MIN (self->size, limit), 1));
  *len = ms_raw_span_read_into (&self->span, scratch->data, limit);
  return scratch->data;
}

gboolean
ms_message_locate_lines (const MsMessage *self,
                         const gsize     *at,
                         gsize           *out,
                         guint            n)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (g_atomic_pointer_get (&((MsMessage *) self)->raw) != NULL || self->span.file == NULL)
    return FALSE;
  return ms_raw_span_locate (&self->span, at, out, n);
}

const char *
ms_message_peek_lines (const MsMessage *self,
                       gsize            start,
                       gsize            end)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (g_atomic_pointer_get (&((MsMessage *) self)->raw) != NULL || self->span.file == NULL)
    return NULL;
  return ms_raw_span_peek_lines (&self->span, start, end);
}

gsize
ms_message_get_size (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

gint64
ms_message_get_internal_date (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->internal_date;
}

int
ms_message_get_internal_date_offset (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tz_offset;
}

MsFlags
ms_message_get_flags (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->flags;
}

gboolean
ms_message_has_flag (const MsMessage *self,
                     MsFlags          flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return (self->flags & flag) == flag;
}

const char * const *
ms_message_get_keywords (const MsMessage *self)
{
  static const char *none[] = { NULL };

  g_return_val_if_fail (self != NULL, none);
  return self->keywords ? (const char * const *) self->keywords : none;
}

gboolean
ms_message_has_keyword (const MsMessage *self,
                        const char      *keyword)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (keyword != NULL, FALSE);

  /* Keywords are case-insensitive in IMAP (RFC 3501 section 2.3.2 says flags are atoms
   * compared case-insensitively), so look them up that way. */
  for (guint i = 0; self->keywords && self->keywords[i]; i++)
    if (g_ascii_strcasecmp (self->keywords[i], keyword) == 0)
      return TRUE;
  return FALSE;
}

guint64
ms_message_get_modseq (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->modseq;
}

gboolean
ms_message_get_recent (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->recent;
}

gpointer
ms_message_get_cache (const MsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cache;
}

void
ms_message_set_cache (MsMessage      *self,
                      gpointer        data,
                      GDestroyNotify  destroy)
{
  g_return_if_fail (self != NULL);

  if (self->cache_destroy != NULL)
    self->cache_destroy (self->cache);
  self->cache = data;
  self->cache_destroy = destroy;
}

static int
compare_keywords (gconstpointer a,
                  gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char * const *) a, *(const char * const *) b);
}

gboolean
ms_message_replace_flags (MsMessage          *self,
                          MsFlags             flags,
                          const char * const *keywords)
{
  /* Copies, not g_intern_string(): keywords come from clients, and an
   * interned string lives as long as the process, so a client that keeps
   * inventing keywords would grow the server without end. */
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);
  gboolean changed = FALSE;
  guint n_old = 0;

  g_assert (self != NULL);

  flags &= MS_FLAG_ALL;
  if (self->flags != flags)
    {
      self->flags = flags;
      changed = TRUE;
    }

  /* Sorted first, then the repeats dropped, rather than each compared
   * with all before it: a STORE on every message of a big mailbox calls
   * this once per message. The sort is stable, so of "Foo" and "foo" the
   * one that came first stays. */
  for (guint i = 0; keywords && keywords[i]; i++)
    g_ptr_array_add (sorted, g_strdup (keywords[i]));
  g_ptr_array_sort (sorted, compare_keywords);
  for (guint i = 1; i < sorted->len;)
    if (compare_keywords (&sorted->pdata[i - 1], &sorted->pdata[i]) == 0)
      g_ptr_array_remove_index (sorted, i);
    else
      i++;
  /* The protocols refuse what would pass the limit (IMAP answers NO
   * [LIMIT]); this only keeps a message from ever holding more than the
   * on-disk state can read back. */
  if (sorted->len > MS_LIMIT_MESSAGE_KEYWORDS)
    g_ptr_array_set_size (sorted, MS_LIMIT_MESSAGE_KEYWORDS);

  while (self->keywords && self->keywords[n_old])
    n_old++;
  if (n_old != sorted->len)
    changed = TRUE;
  else
    for (guint i = 0; i < n_old && !changed; i++)
      changed = g_ascii_strcasecmp (self->keywords[i], g_ptr_array_index (sorted, i)) != 0;

  if (changed)
    {
      g_clear_pointer (&self->keywords, g_strfreev);
      if (sorted->len > 0)
        {
          g_ptr_array_add (sorted, NULL);
          self->keywords = (char **) g_ptr_array_steal (sorted, NULL);
        }
    }
  return changed;
}

const char *
ms_flag_to_string (MsFlags flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flag_names[i].flag == flag)
      return flag_names[i].name;
  return NULL;
}

MsFlags
ms_flag_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, MS_FLAG_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (g_ascii_strcasecmp (flag_names[i].name, name) == 0)
      return flag_names[i].flag;
  return MS_FLAG_NONE;
}

gboolean
ms_keyword_is_valid (const char *keyword)
{
  /* atom-char excludes "(){ %*"\]" and controls; a keyword also may not begin with '\'. */
  static const char specials[] = "(){ %*\"\\]";
  gsize len;

  if (keyword == NULL || keyword[0] == '\0')
    return FALSE;
  len = strlen (keyword);
  if (len > MS_LIMIT_KEYWORD_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guchar c = keyword[i];

      if (c <= 0x20 || c >= 0x7f || strchr (specials, c) != NULL)
        return FALSE;
    }
  return TRUE;
}

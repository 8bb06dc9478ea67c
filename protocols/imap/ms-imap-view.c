/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One session's view of its selected mailbox. The view holds the messages
 * this session has announced, in order, so that sequence numbers stay what
 * the client believes until the session is allowed to tell it otherwise.
 * Changes made by anyone (this session included) arrive as the mailbox's
 * signals and are queued; ms_imap_view_flush() turns them into untagged
 * EXPUNGE, FETCH FLAGS, EXISTS and RECENT when the RFC allows. A message
 * expunged but not yet announced stays referenced in the view, so a FETCH
 * of it still answers from the copy the session holds. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ms-imap-server-session-private.h"

/* In IDLE a change is told as it comes, but not while the client has not
 * taken what it was told before: the change then waits in the pending sets
 * (one entry per message, however often it changed) and is told when the
 * output has been taken (ms_imap_server_session_take_output()). Telling
 * every change at once made a client in IDLE that does not read cost the
 * server every line of every change until it timed out: 10 such sessions
 * and 40 STOREs on 3,000 messages took 150 MB. Dovecot likewise sends IDLE
 * notifications only once its output buffer has drained. */
void
ms_imap_view_notify_idle (MsImapServerSession *self)
{
  if (self->mode != MS_IMAP_INPUT_IDLE || ms_imap_session_has_output (self))
    return;
  ms_imap_view_flush (self, TRUE);
  ms_imap_session_emit_output_ready (self);
}

static void
on_message_added (MsImapServerSession *self,
                  MsMessage           *message,
                  MsMailbox           *mailbox)
{
  self->pending_new = TRUE;
  ms_imap_view_notify_idle (self);
}

static void
on_flags_changed (MsImapServerSession *self,
                  MsMessage           *message,
                  guint                index,
                  MsMailbox           *mailbox)
{
  if (self->own_change)
    return;
  g_hash_table_add (self->pending_flags, GUINT_TO_POINTER (ms_message_get_uid (message)));
  ms_imap_view_notify_idle (self);
}

static void
on_message_expunged (MsImapServerSession *self,
                     guint                uid,
                     guint                index,
                     MsMailbox           *mailbox)
{
  g_hash_table_add (self->pending_expunges, GUINT_TO_POINTER (uid));
  ms_imap_view_notify_idle (self);
}

/* Most sessions see exactly the mailbox's messages, so they share one list
 * of them (kept on the mailbox) instead of each holding its own: an idle
 * session on a 100k-message mailbox cost 800 KiB for its copy. A session
 * copies the list only when its view must differ (an expunge it may not
 * announce yet) and goes back to sharing once it has caught up. */
#define SHARED_VIEW_KEY "ms-imap-shared-view"

/* An expunged message must not be kept alive by a list no session uses. */
static void
forget_shared_view (MsMailbox *mailbox)
{
  g_signal_handlers_disconnect_by_func (mailbox, forget_shared_view, NULL);
  g_object_set_data (G_OBJECT (mailbox), SHARED_VIEW_KEY, NULL);
}

static GPtrArray *
shared_view (MsMailbox *mailbox)
{
  GPtrArray *shared = g_object_get_data (G_OBJECT (mailbox), SHARED_VIEW_KEY);
  guint n = ms_mailbox_get_n_messages (mailbox);

  /* UIDs only grow, so the same count and the same last UID mean the same
   * messages: anything expunged since would lower the count, and anything
   * added since would raise the last UID unless it was expunged again. */
  if (shared != NULL && shared->len == n &&
      (n == 0 || g_ptr_array_index (shared, n - 1) == ms_mailbox_get_message (mailbox, n - 1)))
    return g_ptr_array_ref (shared);

  if (shared == NULL)
    g_signal_connect (mailbox, "message-expunged", G_CALLBACK (forget_shared_view), NULL);
  shared = g_ptr_array_new_full (n, (GDestroyNotify) ms_message_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (shared, ms_message_ref (ms_mailbox_get_message (mailbox, i)));
  g_object_set_data_full (G_OBJECT (mailbox), SHARED_VIEW_KEY, g_ptr_array_ref (shared),
                          (GDestroyNotify) g_ptr_array_unref);
  return shared;
}

/* Sets the view to all of the mailbox's messages, shared. */
static void
view_share (MsImapServerSession *self)
{
  GPtrArray *shared = shared_view (self->mailbox);

  g_ptr_array_unref (self->view);
  self->view = shared;
  self->view_shared = TRUE;
}

/* Makes the view this session's own, to change it. */
static void
view_own (MsImapServerSession *self)
{
  GPtrArray *own;

  if (!self->view_shared)
    return;
  own = g_ptr_array_new_full (self->view->len, (GDestroyNotify) ms_message_unref);
  for (guint i = 0; i < self->view->len; i++)
    g_ptr_array_add (own, ms_message_ref (g_ptr_array_index (self->view, i)));
  g_ptr_array_unref (self->view);
  self->view = own;
  self->view_shared = FALSE;
}

void
ms_imap_view_close (MsImapServerSession *self)
{
  /* A suspended FETCH holds positions in the view. */
  ms_imap_session_drop_suspended (self);
  if (self->mailbox == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_clear_signal_handler (&self->handlers[i], self->mailbox);
  g_clear_object (&self->mailbox);
  if (self->view_shared)
    {
      g_ptr_array_unref (self->view);
      self->view = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);
      self->view_shared = FALSE;
    }
  g_ptr_array_set_size (self->view, 0);
  g_hash_table_remove_all (self->recent);
  g_hash_table_remove_all (self->pending_expunges);
  g_hash_table_remove_all (self->pending_flags);
  self->pending_new = FALSE;
}

void
ms_imap_view_select (MsImapServerSession *self,
                     MsMailbox           *mailbox,
                     gboolean             read_only)
{
  ms_imap_view_close (self);
  self->mailbox = g_object_ref (mailbox);
  self->read_only = read_only;
  view_share (self);

  /* \Recent belongs to the first session to see a message (RFC 3501
   * section 2.3.2); EXAMINE only looks, so it leaves it to others. */
  if (!read_only)
    {
      g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

      ms_mailbox_claim_recent (mailbox, uids);
      for (guint i = 0; i < uids->len; i++)
        g_hash_table_add (self->recent, GUINT_TO_POINTER (g_array_index (uids, guint32, i)));
    }

  self->handlers[0] = g_signal_connect_swapped (mailbox, "message-added",
                                                G_CALLBACK (on_message_added), self);
  self->handlers[1] = g_signal_connect_swapped (mailbox, "flags-changed",
                                                G_CALLBACK (on_flags_changed), self);
  self->handlers[2] = g_signal_connect_swapped (mailbox, "message-expunged",
                                                G_CALLBACK (on_message_expunged), self);
}

guint32
ms_imap_view_uid (MsImapServerSession *self,
                  guint                index)
{
  g_assert (index < self->view->len);
  return ms_message_get_uid (g_ptr_array_index (self->view, index));
}

gboolean
ms_imap_view_is_live (MsImapServerSession *self,
                      guint                index)
{
  return !g_hash_table_contains (self->pending_expunges,
                                 GUINT_TO_POINTER (ms_imap_view_uid (self, index)));
}

void
ms_imap_format_flags (GString   *out,
                      MsMessage *message,
                      gboolean   recent)
{
  static const MsFlags order[] = { MS_FLAG_SEEN, MS_FLAG_ANSWERED, MS_FLAG_FLAGGED,
                                   MS_FLAG_DELETED, MS_FLAG_DRAFT };
  const char * const *keywords = ms_message_get_keywords (message);
  gboolean first = TRUE;

  /* Plain appends, no printf: FETCH 1:* (FLAGS) writes this per message. */
  g_string_append_c (out, '(');
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (ms_message_has_flag (message, order[i]))
      {
        const char *name = ms_flag_to_string (order[i]);

        if (!first)
          g_string_append_c (out, ' ');
        ms_imap_put (out, name, strlen (name));
        first = FALSE;
      }
  for (guint i = 0; keywords && keywords[i]; i++)
    {
      if (!first)
        g_string_append_c (out, ' ');
      ms_imap_put (out, keywords[i], strlen (keywords[i]));
      first = FALSE;
    }
  if (recent)
    ms_imap_put (out, first ? "\\Recent" : " \\Recent", first ? 7 : 8);
  g_string_append_c (out, ')');
}

static gint
find_in_view (MsImapServerSession *self,
              guint32              uid)
{
  guint lo = 0, hi = self->view->len;

  /* The view is in ascending UID order: bisect. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      guint32 u = ms_imap_view_uid (self, mid);

      if (u == uid)
        return (gint) mid;
      if (u < uid)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

void
ms_imap_view_flush (MsImapServerSession *self,
                    gboolean             expunge_ok)
{
  guint old_len;
  guint32 last_uid;
  guint n;

  if (self->mailbox == NULL)
    return;

  if (expunge_ok && g_hash_table_size (self->pending_expunges) > 0)
    {
      gsize n_view = 0;
      gpointer *messages;

      view_own (self);
      messages = g_ptr_array_steal (self->view, &n_view);

      /* One pass in view (UID) order: each EXPUNGE names the number the
       * message has once the ones before it are gone, and the view is
       * rebuilt once, so a mass expunge stays linear. */
      for (gsize i = 0; i < n_view; i++)
        {
          MsMessage *message = messages[i];
          gpointer uid = GUINT_TO_POINTER (ms_message_get_uid (message));

          if (g_hash_table_contains (self->pending_expunges, uid))
            {
              g_hash_table_remove (self->pending_flags, uid);
              g_hash_table_remove (self->recent, uid);
              ms_imap_session_untagged (self, "%u EXPUNGE", self->view->len + 1);
              ms_message_unref (message);
              continue;
            }
          g_ptr_array_add (self->view, message);
        }
      g_free (messages);
      g_hash_table_remove_all (self->pending_expunges);
    }

  if (g_hash_table_size (self->pending_flags) > 0)
    {
      GHashTableIter iter;
      gpointer key;
      g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));

      g_hash_table_iter_init (&iter, self->pending_flags);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint index = find_in_view (self, GPOINTER_TO_UINT (key));

          if (index >= 0 && ms_imap_view_is_live (self, index))
            {
              guint u = index;
              g_array_append_val (indices, u);
            }
          g_hash_table_iter_remove (&iter);
        }
      g_array_sort (indices, (GCompareFunc) ms_imap_compare_uint);
      for (guint i = 0; i < indices->len; i++)
        {
          guint index = g_array_index (indices, guint, i);
          MsMessage *message = g_ptr_array_index (self->view, index);
          g_autoptr(GString) flags = g_string_new (NULL);

          ms_imap_format_flags (flags, message,
                                g_hash_table_contains (self->recent,
                                                       GUINT_TO_POINTER (ms_message_get_uid (message))));
          ms_imap_session_untagged (self, "%u FETCH (FLAGS %s)", index + 1, flags->str);
        }
    }

  if (!self->pending_new)
    return;
  self->pending_new = FALSE;

  old_len = self->view->len;
  last_uid = old_len > 0 ? ms_imap_view_uid (self, old_len - 1) : 0;
  n = ms_mailbox_get_n_messages (self->mailbox);
  if (g_hash_table_size (self->pending_expunges) == 0)
    {
      /* Nothing expunged is left unannounced, so the view holds every
       * message of the mailbox up to last_uid (each expunge is queued as it
       * happens): with the new ones it is the whole mailbox again. */
      view_share (self);
    }
  else
    {
      guint start = n;

      view_own (self);
      while (start > 0 && ms_message_get_uid (ms_mailbox_get_message (self->mailbox, start - 1)) > last_uid)
        start--;
      for (guint i = start; i < n; i++)
        g_ptr_array_add (self->view, ms_message_ref (ms_mailbox_get_message (self->mailbox, i)));
    }
  if (self->view->len == old_len)
    return;
  if (!self->read_only)
    {
      g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

      ms_mailbox_claim_recent (self->mailbox, uids);
      for (guint i = 0; i < uids->len; i++)
        g_hash_table_add (self->recent, GUINT_TO_POINTER (g_array_index (uids, guint32, i)));
    }
  ms_imap_session_untagged (self, "%u EXISTS", self->view->len);
  ms_imap_session_untagged (self, "%u RECENT", g_hash_table_size (self->recent));
}

/* --- Sequence sets ------------------------------------------------------ */

static gboolean
parse_number (const char **p,
              guint32      star,
              guint32     *out)
{
  guint64 v = 0;
  const char *s = *p;

  if (*s == '*')
    {
      *out = star;
      *p = s + 1;
      return TRUE;
    }
  if (!g_ascii_isdigit (*s) || *s == '0')
    return FALSE;
  while (g_ascii_isdigit (*s))
    {
      v = v * 10 + (*s - '0');
      if (v > G_MAXUINT32)
        return FALSE;
      s++;
    }
  *out = (guint32) v;
  *p = s;
  return TRUE;
}

/* The first view index whose UID is at least @uid (the view is in UID order). */
static guint
first_at_least (MsImapServerSession *self,
                guint32              uid)
{
  guint lo = 0, hi = self->view->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ms_imap_view_uid (self, mid) < uid)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gint
compare_range (gconstpointer a,
               gconstpointer b)
{
  const MsImapRange *x = a, *y = b;

  return x->first < y->first ? -1 : x->first > y->first;
}

/* Each range of the set costs a bisection at most, never a walk over the
 * mailbox: "1:*,1:*,..." sixteen thousand times over a big mailbox would
 * otherwise cost sixteen thousand walks. */
gboolean
ms_imap_view_resolve_ranges (MsImapServerSession *self,
                             const char          *set,
                             gboolean             uid,
                             GArray              *ranges,
                             const char         **error)
{
  guint n = self->view->len;
  guint32 star = uid ? (n > 0 ? ms_imap_view_uid (self, n - 1) : 0) : n;
  const char *p = set;
  guint merged = 0;

  *error = "Invalid message set";
  if (set == NULL || *set == '\0')
    return FALSE;

  for (;;)
    {
      guint32 a, b;
      MsImapRange range;

      if (!parse_number (&p, star, &a))
        return FALSE;
      b = a;
      if (*p == ':')
        {
          p++;
          if (!parse_number (&p, star, &b))
            return FALSE;
        }
      if (a > b)
        {
          guint32 t = a;
          a = b;
          b = t;
        }
      if (uid)
        {
          /* UIDs with no message are simply skipped (RFC 3501 section
           * 6.4.8). */
          range.first = first_at_least (self, a);
          range.last = b == G_MAXUINT32 ? n : first_at_least (self, b + 1);
          if (range.first < range.last)
            {
              range.last--;
              g_array_append_val (ranges, range);
            }
        }
      else
        {
          if (b > n || a == 0)
            {
              *error = "Invalid message number";
              return FALSE;
            }
          range.first = a - 1;
          range.last = b - 1;
          g_array_append_val (ranges, range);
        }
      if (*p == '\0')
        break;
      if (*p != ',')
        return FALSE;
      p++;
    }

  /* Ascending, overlapping and adjacent ranges joined. */
  g_array_sort (ranges, compare_range);
  for (guint i = 0; i < ranges->len; i++)
    {
      MsImapRange *r = &g_array_index (ranges, MsImapRange, i);
      MsImapRange *last = merged > 0 ? &g_array_index (ranges, MsImapRange, merged - 1) : NULL;

      if (last != NULL && r->first <= last->last + 1)
        last->last = MAX (last->last, r->last);
      else
        g_array_index (ranges, MsImapRange, merged++) = *r;
    }
  g_array_set_size (ranges, merged);
  *error = NULL;
  return TRUE;
}

gboolean
ms_imap_ranges_contain (GArray *ranges,
                        guint   index)
{
  guint lo = 0, hi = ranges->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const MsImapRange *r = &g_array_index (ranges, MsImapRange, mid);

      if (index < r->first)
        hi = mid;
      else if (index > r->last)
        lo = mid + 1;
      else
        return TRUE;
    }
  return FALSE;
}

gboolean
ms_imap_view_resolve_set (MsImapServerSession *self,
                          const char          *set,
                          gboolean             uid,
                          GArray              *indices,
                          const char         **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (MsImapRange));

  if (!ms_imap_view_resolve_ranges (self, set, uid, ranges, error))
    return FALSE;
  for (guint i = 0; i < ranges->len; i++)
    {
      const MsImapRange *r = &g_array_index (ranges, MsImapRange, i);

      for (guint k = r->first; k <= r->last; k++)
        g_array_append_val (indices, k);
    }
  return TRUE;
}

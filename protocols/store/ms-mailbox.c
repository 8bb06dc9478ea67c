/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-mailbox"
#include "config.h"

#include "ms-limits.h"
#include "ms-mailbox-private.h"
#include "ms-message-private.h"

struct _MsMailbox
{
  GObject        parent_instance;

  char          *name;
  MsMailboxRole  role;
  guint32        uidvalidity;
  guint32        uidnext;
  guint64        highest_modseq;
  guint64        total_size;
  GPtrArray     *messages;   /* MsMessage, ascending UID */
  /* \Recent bookkeeping, so that a session claiming it (every session, at
   * every new message) costs the new messages, not the whole mailbox:
   * n_recent counts recent messages and every one of them is at an index
   * of recent_from or later. */
  guint          n_recent;
  guint          recent_from;
  guint          message_limit;
  guint          subscribed : 1;
  const MsMailboxJournal *journal;
  gpointer       journal_data;
};

G_DEFINE_FINAL_TYPE (MsMailbox, ms_mailbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  PROP_UIDVALIDITY,
  PROP_UIDNEXT,
  PROP_N_MESSAGES,
  PROP_SUBSCRIBED,
  N_PROPS
};

enum {
  MESSAGE_ADDED,
  FLAGS_CHANGED,
  MESSAGE_EXPUNGED,
  MESSAGE_REPLACED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

MsMailbox *
ms_mailbox_new (const char *name,
                guint32     uidvalidity)
{
  MsMailbox *self = g_object_new (MS_TYPE_MAILBOX, NULL);

  self->name = g_strdup (name);
  self->uidvalidity = uidvalidity;
  return self;
}

static void
ms_mailbox_finalize (GObject *object)
{
  MsMailbox *self = (MsMailbox *) object;

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (ms_mailbox_parent_class)->finalize (object);
}

static void
ms_mailbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MsMailbox *self = MS_MAILBOX (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case PROP_UIDVALIDITY:
      g_value_set_uint (value, self->uidvalidity);
      break;
    case PROP_UIDNEXT:
      g_value_set_uint (value, self->uidnext);
      break;
    case PROP_N_MESSAGES:
      g_value_set_uint (value, self->messages->len);
      break;
    case PROP_SUBSCRIBED:
      g_value_set_boolean (value, self->subscribed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_mailbox_class_init (MsMailboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_mailbox_finalize;
  object_class->get_property = ms_mailbox_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, MS_MAILBOX_ROLE_NONE, MS_MAILBOX_ROLE_ARCHIVE, MS_MAILBOX_ROLE_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UIDVALIDITY] =
    g_param_spec_uint ("uidvalidity", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UIDNEXT] =
    g_param_spec_uint ("uidnext", NULL, NULL, 0, G_MAXUINT32, 1,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MESSAGES] =
    g_param_spec_uint ("n-messages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBSCRIBED] =
    g_param_spec_boolean ("subscribed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsMailbox::message-added:
   * @message: the new message, last in the mailbox
   */
  signals[MESSAGE_ADDED] =
    g_signal_new ("message-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * MsMailbox::flags-changed:
   * @message: the message whose flags or keywords changed
   * @index: its 0-based position
   */
  signals[FLAGS_CHANGED] =
    g_signal_new ("flags-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  MS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT);
  /**
   * MsMailbox::message-expunged:
   * @uid: the UID of the message that is gone
   * @index: its 0-based position just before it was removed
   */
  signals[MESSAGE_EXPUNGED] =
    g_signal_new ("message-expunged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * MsMailbox::message-replaced:
   * @message: the message with its new content, in the old one's place
   * @index: its 0-based position
   *
   * Not an expunge: the message stays where it was, with the same UID.
   */
  signals[MESSAGE_REPLACED] =
    g_signal_new ("message-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  MS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT);
}

static void
ms_mailbox_init (MsMailbox *self)
{
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);
  self->uidnext = 1;
  self->highest_modseq = 1;
  self->message_limit = MS_LIMIT_MAILBOX_MESSAGES_LIVE;
}

void
ms_mailbox_set_message_limit (MsMailbox *self,
                              guint      limit)
{
  g_return_if_fail (MS_IS_MAILBOX (self));
  self->message_limit = limit;
}

gboolean
ms_mailbox_would_overflow (MsMailbox *self,
                           guint      n)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), TRUE);
  return n > self->message_limit || self->messages->len > self->message_limit - n;
}

void
ms_mailbox_reset (MsMailbox *self)
{
  g_assert (MS_IS_MAILBOX (self));

  g_ptr_array_set_size (self->messages, 0);
  self->n_recent = 0;
  self->recent_from = 0;
  self->total_size = 0;
  self->uidnext = 1;
  self->highest_modseq = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UIDNEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MESSAGES]);
}

const char *
ms_mailbox_get_name (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  return self->name;
}

void
ms_mailbox_set_name (MsMailbox  *self,
                     const char *name)
{
  g_assert (MS_IS_MAILBOX (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

MsMailboxRole
ms_mailbox_get_role (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), MS_MAILBOX_ROLE_NONE);
  return self->role;
}

void
ms_mailbox_set_role (MsMailbox     *self,
                     MsMailboxRole  role)
{
  g_return_if_fail (MS_IS_MAILBOX (self));
  g_return_if_fail (role <= MS_MAILBOX_ROLE_ARCHIVE);

  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

guint32
ms_mailbox_get_uidvalidity (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->uidvalidity;
}

guint32
ms_mailbox_get_uidnext (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->uidnext;
}

guint64
ms_mailbox_get_highest_modseq (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->highest_modseq;
}

gboolean
ms_mailbox_get_subscribed (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), FALSE);
  return self->subscribed;
}

void
ms_mailbox_set_subscribed (MsMailbox *self,
                           gboolean   subscribed)
{
  g_return_if_fail (MS_IS_MAILBOX (self));

  subscribed = !!subscribed;
  if (self->subscribed == (guint) subscribed)
    return;
  self->subscribed = subscribed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBED]);
}

guint
ms_mailbox_get_n_messages (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->messages->len;
}

MsMessage *
ms_mailbox_get_message (MsMailbox *self,
                        guint      index)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  g_return_val_if_fail (index < self->messages->len, NULL);
  return g_ptr_array_index (self->messages, index);
}

MsMessage *
ms_mailbox_lookup_uid (MsMailbox *self,
                       guint32    uid,
                       guint     *index)
{
  guint lo = 0, hi;

  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);

  /* UIDs ascend, so a binary search finds one in O(log n) on 100k messages. */
  hi = self->messages->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      MsMessage *message = g_ptr_array_index (self->messages, mid);

      if (message->uid == uid)
        {
          if (index)
            *index = mid;
          return message;
        }
      if (message->uid < uid)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (index)
    *index = lo;
  return NULL;
}

guint
ms_mailbox_count_flag (MsMailbox *self,
                       MsFlags    flag,
                       gboolean   set)
{
  guint n = 0;

  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);

  for (guint i = 0; i < self->messages->len; i++)
    {
      MsMessage *message = g_ptr_array_index (self->messages, i);

      if (((message->flags & flag) == flag) == !!set)
        n++;
    }
  return n;
}

guint
ms_mailbox_count_recent (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->n_recent;
}

guint64
ms_mailbox_get_total_size (MsMailbox *self)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  return self->total_size;
}

void
ms_mailbox_set_journal (MsMailbox              *self,
                        const MsMailboxJournal *journal,
                        gpointer                data)
{
  g_assert (MS_IS_MAILBOX (self));

  self->journal = journal;
  self->journal_data = data;
}

/* Gives @message, not in a mailbox yet, its flags and the modification
 * sequence after @modseq. */
static MsMessage *
prepare_message (MsMessage          *message,
                 guint64             modseq,
                 MsFlags             flags,
                 const char * const *keywords,
                 gboolean            recent)
{
  ms_message_replace_flags (message, flags, keywords);
  message->recent = !!recent;
  message->modseq = modseq + 1;
  return message;
}

/* Takes @message (made by prepare_message() with a UID of UIDNEXT or later). */
static void
insert_message (MsMailbox *self,
                MsMessage *message)
{
  g_assert (message->uid >= self->uidnext);

  if (message->recent)
    {
      if (self->n_recent++ == 0)
        self->recent_from = self->messages->len;
    }
  self->highest_modseq = MAX (self->highest_modseq, message->modseq);
  self->uidnext = message->uid + 1;
  self->total_size += message->size;
  g_ptr_array_add (self->messages, message);

  g_signal_emit (self, signals[MESSAGE_ADDED], 0, message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UIDNEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MESSAGES]);
}

/* Adds @message unless the journal refuses it: then NULL, nothing added. */
static MsMessage *
add_new (MsMailbox *self,
         MsMessage *message)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);

  g_ptr_array_add (added, message);
  if (self->journal != NULL && !self->journal->add (self, added, NULL, NULL, self->journal_data))
    return NULL;
  insert_message (self, g_ptr_array_steal_index (added, 0));
  return message;
}

MsMessage *
ms_mailbox_append (MsMailbox          *self,
                   GBytes             *raw,
                   MsFlags             flags,
                   const char * const *keywords,
                   gint64              internal_date,
                   int                 tz_offset)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (self->uidnext < G_MAXUINT32, NULL);

  return add_new (self, prepare_message (ms_message_new (self->uidnext, raw, internal_date, tz_offset),
                                         self->highest_modseq, flags, keywords, TRUE));
}

gboolean
ms_mailbox_append_to_all (MsMailbox * const  *mailboxes,
                          guint               n_mailboxes,
                          GBytes             *raw,
                          gint64              internal_date,
                          int                 tz_offset)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);

  g_return_val_if_fail (raw != NULL, FALSE);

  /* First every copy to disk, nothing in memory yet: a session sees no
   * copy before all of them are saved. */
  for (guint i = 0; i < n_mailboxes; i++)
    {
      MsMailbox *self = mailboxes[i];
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      MsMessage *message;

      g_return_val_if_fail (MS_IS_MAILBOX (self) && self->uidnext < G_MAXUINT32, FALSE);
      for (guint k = 0; k < i; k++)
        g_return_val_if_fail (mailboxes[k] != self, FALSE);
      message = prepare_message (ms_message_new (self->uidnext, raw, internal_date, tz_offset),
                                 self->highest_modseq, MS_FLAG_NONE, NULL, TRUE);
      g_ptr_array_add (one, message);
      if (self->journal != NULL && !self->journal->add (self, one, NULL, NULL, self->journal_data))
        {
          ms_message_unref (message);
          break;
        }
      g_ptr_array_add (written, message);
    }

  if (written->len < n_mailboxes)
    {
      /* Take back the copies that were saved. Their UIDs stay used (a UID
       * in a journal is never handed out again); should this write fail
       * too, the copy comes back at the next start, and the client's retry
       * makes a second one: a duplicate, never a loss. */
      for (guint i = 0; i < written->len; i++)
        {
          MsMailbox *self = mailboxes[i];
          MsMessage *message = g_ptr_array_index (written, i);
          guint32 uid = message->uid;

          self->uidnext = uid + 1;
          self->highest_modseq = MAX (self->highest_modseq, message->modseq);
          if (self->journal != NULL)
            self->journal->expunge (self, &uid, 1, self->journal_data);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UIDNEXT]);
        }
      return FALSE;
    }
  for (guint i = 0; i < n_mailboxes; i++)
    insert_message (mailboxes[i], g_ptr_array_steal_index (written, 0));
  return TRUE;
}

MsMessage *
ms_mailbox_append_span (MsMailbox          *self,
                        const MsRawSpan    *span,
                        MsFlags             flags,
                        const char * const *keywords,
                        gint64              internal_date,
                        int                 tz_offset)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  g_return_val_if_fail (span != NULL && span->file != NULL, NULL);
  g_return_val_if_fail (self->uidnext < G_MAXUINT32, NULL);

  return add_new (self, prepare_message (ms_message_new_from_span (self->uidnext, span, internal_date, tz_offset),
                                         self->highest_modseq, flags, keywords, TRUE));
}

MsMessage *
ms_mailbox_restore_message (MsMailbox          *self,
                            guint32             uid,
                            GBytes             *raw,
                            MsFlags             flags,
                            const char * const *keywords,
                            gint64              internal_date,
                            int                 tz_offset)
{
  MsMessage *message;

  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (uid >= self->uidnext && uid < G_MAXUINT32, NULL);

  message = prepare_message (ms_message_new (uid, raw, internal_date, tz_offset), self->highest_modseq,
                             flags, keywords, FALSE);
  insert_message (self, message);
  return message;
}

void
ms_mailbox_restore_counters (MsMailbox *self,
                             guint32    uidvalidity,
                             guint32    uidnext,
                             guint64    highest_modseq)
{
  g_return_if_fail (MS_IS_MAILBOX (self));

  self->uidvalidity = uidvalidity;
  /* Never go backwards: a UID once handed out is never handed out again. */
  self->uidnext = MAX (self->uidnext, uidnext);
  self->highest_modseq = MAX (self->highest_modseq, highest_modseq);
}

/* What @message's flags become under @mode; the keywords are borrowed
 * from @message and @keywords, NULL-terminated. */
static MsFlags
combine_flags (MsMessage          *message,
               MsFlagsMode         mode,
               MsFlags             flags,
               const char * const *keywords,
               GPtrArray          *new_keywords)
{
  MsFlags new_flags;

  g_ptr_array_set_size (new_keywords, 0);
  switch (mode)
    {
    case MS_FLAGS_REPLACE:
      new_flags = flags;
      for (guint i = 0; keywords && keywords[i]; i++)
        g_ptr_array_add (new_keywords, (gpointer) keywords[i]);
      break;
    case MS_FLAGS_ADD:
      new_flags = message->flags | flags;
      for (guint i = 0; message->keywords && message->keywords[i]; i++)
        g_ptr_array_add (new_keywords, (gpointer) message->keywords[i]);
      for (guint i = 0; keywords && keywords[i]; i++)
        g_ptr_array_add (new_keywords, (gpointer) keywords[i]);
      break;
    case MS_FLAGS_REMOVE:
      new_flags = message->flags & ~flags;
      for (guint i = 0; message->keywords && message->keywords[i]; i++)
        {
          gboolean removed = FALSE;

          for (guint j = 0; keywords && keywords[j] && !removed; j++)
            removed = g_ascii_strcasecmp (message->keywords[i], keywords[j]) == 0;
          if (!removed)
            g_ptr_array_add (new_keywords, (gpointer) message->keywords[i]);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  g_ptr_array_add (new_keywords, NULL);
  return new_flags;
}

/* A message's flags as they were, to put back when the journal refuses. */
typedef struct
{
  MsMessage   *message;
  MsFlags      flags;
  char       **keywords;   /* copies */
  guint64      modseq;
} OldFlags;

static void
old_flags_clear (gpointer data)
{
  g_strfreev (((OldFlags *) data)->keywords);
}

gboolean
ms_mailbox_keywords_fit (MsMessage * const  *messages,
                         guint               n_messages,
                         MsFlagsMode         mode,
                         const char * const *keywords)
{
  /* Keywords compare without regard to case (RFC 3501 section 2.3.2), so
   * the set holds them folded. A hash set, not a pairwise comparison: the
   * command may name thousands of keywords and the set hold many messages. */
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (mode == MS_FLAGS_REMOVE)
    return TRUE;
  for (guint i = 0; keywords && keywords[i]; i++)
    {
      g_hash_table_add (added, g_ascii_strdown (keywords[i], -1));
      if (g_hash_table_size (added) > MS_LIMIT_MESSAGE_KEYWORDS)
        return FALSE;
    }
  if (mode == MS_FLAGS_REPLACE)
    return TRUE;
  for (guint m = 0; m < n_messages; m++)
    {
      guint n = g_hash_table_size (added);

      /* Most messages have a keyword or two: no need to look closer. */
      if (messages[m]->keywords == NULL ||
          n + g_strv_length (messages[m]->keywords) <= MS_LIMIT_MESSAGE_KEYWORDS)
        continue;
      for (guint i = 0; messages[m]->keywords && messages[m]->keywords[i]; i++)
        {
          g_autofree char *folded = g_ascii_strdown (messages[m]->keywords[i], -1);

          if (!g_hash_table_contains (added, folded) && ++n > MS_LIMIT_MESSAGE_KEYWORDS)
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
ms_mailbox_store_flags (MsMailbox          *self,
                        MsMessage          *message,
                        MsFlagsMode         mode,
                        MsFlags             flags,
                        const char * const *keywords)
{
  g_return_val_if_fail (MS_IS_MAILBOX (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  return ms_mailbox_store_flags_many (self, &message, 1, mode, flags, keywords) > 0;
}

int
ms_mailbox_store_flags_many (MsMailbox          *self,
                             MsMessage * const  *messages,
                             guint               n_messages,
                             MsFlagsMode         mode,
                             MsFlags             flags,
                             const char * const *keywords)
{
  g_autoptr(GPtrArray) new_keywords = g_ptr_array_new ();
  g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (OldFlags));
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();

  g_return_val_if_fail (MS_IS_MAILBOX (self), -1);
  g_return_val_if_fail (mode <= MS_FLAGS_REMOVE, -1);
  g_array_set_clear_func (old, old_flags_clear);

  /* Every message takes its new flags and the next modification sequence
   * at once; nobody is told until the journal has all of them. */
  for (guint i = 0; i < n_messages; i++)
    {
      MsMessage *message = messages[i];
      OldFlags was = { message, message->flags, NULL, message->modseq };
      guint index;
      MsFlags new_flags;

      g_return_val_if_fail (ms_mailbox_lookup_uid (self, message->uid, &index) == message, -1);
      new_flags = combine_flags (message, mode, flags, keywords, new_keywords);
      was.keywords = g_strdupv (message->keywords);
      if (!ms_message_replace_flags (message, new_flags, (const char * const *) new_keywords->pdata))
        {
          g_strfreev (was.keywords);
          continue;
        }
      message->modseq = self->highest_modseq + changed->len + 1;
      g_array_append_val (old, was);
      g_ptr_array_add (changed, message);
    }
  if (changed->len == 0)
    return 0;

  if (self->journal != NULL &&
      !self->journal->flags (self, (MsMessage * const *) changed->pdata, changed->len, self->journal_data))
    {
      /* Not on disk: as if it never happened (nobody was told yet). */
      for (guint i = 0; i < old->len; i++)
        {
          OldFlags *was = &g_array_index (old, OldFlags, i);

          ms_message_replace_flags (was->message, was->flags, (const char * const *) was->keywords);
          was->message->modseq = was->modseq;
        }
      return -1;
    }
  self->highest_modseq += changed->len;
  for (guint i = 0; i < changed->len; i++)
    {
      MsMessage *message = g_ptr_array_index (changed, i);
      guint index;

      ms_mailbox_lookup_uid (self, message->uid, &index);
      g_signal_emit (self, signals[FLAGS_CHANGED], 0, message, index);
    }
  return (int) changed->len;
}

MsMessage *
ms_mailbox_replace_raw (MsMailbox *self,
                        guint32    uid,
                        GBytes    *raw)
{
  MsMessage *old, *message;
  guint index;

  g_return_val_if_fail (MS_IS_MAILBOX (self), NULL);
  g_return_val_if_fail (raw != NULL, NULL);

  old = ms_mailbox_lookup_uid (self, uid, &index);
  if (old == NULL)
    return NULL;
  /* A new message object rather than new bytes in the old one: whoever
   * holds the old one (a parsed cache, a row in a view) keeps a consistent
   * message, and learns from the signal that it was superseded. */
  message = ms_message_new (uid, raw, old->internal_date, old->tz_offset);
  ms_message_replace_flags (message, old->flags, (const char * const *) old->keywords);
  message->recent = old->recent;
  message->modseq = ++self->highest_modseq;
  self->total_size = self->total_size - ms_message_get_size (old) + g_bytes_get_size (raw);
  /* The array's free function drops the old one. */
  g_ptr_array_index (self->messages, index) = message;
  ms_message_unref (old);

  g_signal_emit (self, signals[MESSAGE_REPLACED], 0, message, index);
  return message;
}

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Removes messages that exist, @uids distinct and ascending, after the journal agreed. */
static void
remove_uids (MsMailbox     *self,
             const guint32 *uids,
             guint          n_uids)
{
  for (guint i = 0; i < n_uids; i++)
    {
      guint index;
      MsMessage *message = ms_mailbox_lookup_uid (self, uids[i], &index);

      g_assert (message != NULL);
      self->total_size -= ms_message_get_size (message);
      if (message->recent)
        self->n_recent--;
      if (index < self->recent_from)
        self->recent_from--;
      /* Keep the message alive through the emission so handlers can still look at it. */
      ms_message_ref (message);
      g_ptr_array_remove_index (self->messages, index);
      self->highest_modseq++;
      g_signal_emit (self, signals[MESSAGE_EXPUNGED], 0, uids[i], index);
      ms_message_unref (message);
    }
  if (n_uids > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MESSAGES]);
}

/* The UIDs of @uids that exist, distinct and ascending. */
static GArray *
existing_uids (MsMailbox     *self,
               const guint32 *uids,
               guint          n_uids)
{
  GArray *found = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_uids);
  guint out = 0;

  if (n_uids == 0)
    return found;
  g_array_append_vals (found, uids, n_uids);
  g_array_sort (found, compare_uid);
  for (guint i = 0; i < n_uids; i++)
    {
      guint32 uid = g_array_index (found, guint32, i);

      if ((out > 0 && g_array_index (found, guint32, out - 1) == uid) ||
          ms_mailbox_lookup_uid (self, uid, NULL) == NULL)
        continue;
      g_array_index (found, guint32, out++) = uid;
    }
  g_array_set_size (found, out);
  return found;
}

guint
ms_mailbox_expunge_uids (MsMailbox     *self,
                         const guint32 *uids,
                         guint          n_uids)
{
  g_autoptr(GArray) found = NULL;

  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);
  g_return_val_if_fail (uids != NULL || n_uids == 0, 0);

  found = existing_uids (self, uids, n_uids);
  if (found->len == 0)
    return 0;
  if (self->journal != NULL &&
      !self->journal->expunge (self, (const guint32 *) found->data, found->len, self->journal_data))
    return 0;
  remove_uids (self, (const guint32 *) found->data, found->len);
  return found->len;
}

gboolean
ms_mailbox_transfer (MsMailbox     *self,
                     MsMailbox     *source,
                     const guint32 *uids,
                     guint          n_uids,
                     gboolean       move,
                     GArray        *source_uids,
                     GArray        *new_uids)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);
  g_autoptr(GArray) originals = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint32 uid;

  g_return_val_if_fail (MS_IS_MAILBOX (self), FALSE);
  g_return_val_if_fail (MS_IS_MAILBOX (source), FALSE);
  g_return_val_if_fail (uids != NULL || n_uids == 0, FALSE);

  uid = self->uidnext;
  for (guint i = 0; i < n_uids; i++)
    {
      MsMessage *original = ms_mailbox_lookup_uid (source, uids[i], NULL);

      if (original == NULL || !g_hash_table_add (seen, GUINT_TO_POINTER (uids[i])))
        continue;
      g_return_val_if_fail (uid < G_MAXUINT32, FALSE);
      g_ptr_array_add (added, prepare_message (ms_message_new (uid++, ms_message_get_raw (original),
                                                               original->internal_date, original->tz_offset),
                                               self->highest_modseq + added->len, original->flags,
                                               (const char * const *) original->keywords, TRUE));
      g_array_append_val (originals, uids[i]);
    }
  if (added->len == 0)
    return TRUE;
  if (self->journal != NULL &&
      !self->journal->add (self, added, move ? source : NULL, (const guint32 *) originals->data,
                           self->journal_data))
    return FALSE;

  for (guint i = 0; i < added->len; i++)
    {
      MsMessage *message = g_ptr_array_index (added, i);

      if (source_uids)
        g_array_append_val (source_uids, g_array_index (originals, guint32, i));
      if (new_uids)
        g_array_append_val (new_uids, message->uid);
      insert_message (self, ms_message_ref (message));
    }
  if (move)
    {
      /* Already in the journal, with the copies: one record for the whole move. */
      g_array_sort (originals, compare_uid);
      remove_uids (source, (const guint32 *) originals->data, originals->len);
    }
  return TRUE;
}

guint
ms_mailbox_expunge_deleted (MsMailbox *self)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);

  for (guint i = 0; i < self->messages->len; i++)
    {
      MsMessage *message = g_ptr_array_index (self->messages, i);

      if (message->flags & MS_FLAG_DELETED)
        g_array_append_val (uids, message->uid);
    }
  return ms_mailbox_expunge_uids (self, (const guint32 *) uids->data, uids->len);
}

guint
ms_mailbox_claim_recent (MsMailbox *self,
                         GArray    *uids_out)
{
  guint n = 0;

  g_return_val_if_fail (MS_IS_MAILBOX (self), 0);

  for (guint i = self->recent_from; i < self->messages->len && n < self->n_recent; i++)
    {
      MsMessage *message = g_ptr_array_index (self->messages, i);

      if (!message->recent)
        continue;
      message->recent = FALSE;
      if (uids_out)
        g_array_append_val (uids_out, message->uid);
      n++;
    }
  g_assert (n == self->n_recent);
  self->n_recent = 0;
  self->recent_from = self->messages->len;
  return n;
}

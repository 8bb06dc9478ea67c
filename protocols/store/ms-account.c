/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-account"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-account-private.h"
#include "ms-mailbox-private.h"
#include "ms-store.h"

#define MAX_NAME_OCTETS 255
#define MAX_NAME_LEVELS 16

struct _MsAccount
{
  GObject    parent_instance;

  MsStore   *store;        /* weak: the store owns its accounts */
  char      *name;
  char      *password;
  GPtrArray *mailboxes;    /* MsMailbox, INBOX first then by name */
  gpointer   maildrop_owner;
  guint      n_sessions;
  guint      max_sessions;
};

G_DEFINE_FINAL_TYPE (MsAccount, ms_account, G_TYPE_OBJECT)

enum {
  MAILBOX_CREATED,
  MAILBOX_DELETED,
  MAILBOX_RENAMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_inbox (const char *name)
{
  return g_ascii_strcasecmp (name, "INBOX") == 0;
}

static int
compare_mailboxes (gconstpointer a,
                   gconstpointer b)
{
  MsMailbox *x = *(MsMailbox * const *) a;
  MsMailbox *y = *(MsMailbox * const *) b;
  gboolean xi = is_inbox (ms_mailbox_get_name (x));
  gboolean yi = is_inbox (ms_mailbox_get_name (y));

  if (xi != yi)
    return xi ? -1 : 1;
  return strcmp (ms_mailbox_get_name (x), ms_mailbox_get_name (y));
}

static MsMailbox *
add_mailbox (MsAccount  *self,
             const char *name)
{
  MsMailbox *mailbox = ms_mailbox_new (name, ms_store_next_uidvalidity (self->store));

  g_ptr_array_add (self->mailboxes, mailbox);
  g_ptr_array_sort (self->mailboxes, compare_mailboxes);
  return mailbox;
}

MsAccount *
ms_account_new (MsStore    *store,
                const char *name,
                const char *password)
{
  MsAccount *self = g_object_new (MS_TYPE_ACCOUNT, NULL);
  MsMailbox *inbox;

  self->store = store;
  self->name = g_strdup (name);
  self->password = g_strdup (password);
  inbox = add_mailbox (self, "INBOX");
  ms_mailbox_set_role (inbox, MS_MAILBOX_ROLE_INBOX);
  ms_mailbox_set_subscribed (inbox, TRUE);
  return self;
}

static void
ms_account_finalize (GObject *object)
{
  MsAccount *self = (MsAccount *) object;

  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  g_clear_pointer (&self->name, g_free);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (ms_account_parent_class)->finalize (object);
}

static void
ms_account_class_init (MsAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_account_finalize;

  signals[MAILBOX_CREATED] =
    g_signal_new ("mailbox-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_MAILBOX);
  signals[MAILBOX_DELETED] =
    g_signal_new ("mailbox-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_MAILBOX);
  /**
   * MsAccount::mailbox-renamed:
   * @mailbox: the mailbox, already under its new name
   * @old_name: the name it had
   */
  signals[MAILBOX_RENAMED] =
    g_signal_new ("mailbox-renamed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, MS_TYPE_MAILBOX, G_TYPE_STRING);
}

static void
ms_account_init (MsAccount *self)
{
  self->mailboxes = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_sessions = MS_LIMIT_ACCOUNT_SESSIONS;
}

const char *
ms_account_get_name (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  return self->name;
}

MsStore *
ms_account_get_store (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  return self->store;
}

const char *
ms_account_get_password (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  return self->password;
}

gboolean
ms_account_check_password (MsAccount  *self,
                           const char *password)
{
  gsize a_len, b_len;
  guchar diff;

  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);

  if (password == NULL)
    return FALSE;
  a_len = strlen (self->password);
  b_len = strlen (password);
  diff = a_len != b_len;
  for (gsize i = 0; i < b_len; i++)
    diff |= (guchar) password[i] ^ (guchar) self->password[i % (a_len ? a_len : 1)];
  return diff == 0 && a_len == b_len;
}

MsMailbox *
ms_account_get_inbox (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  return g_ptr_array_index (self->mailboxes, 0);
}

MsMailbox *
ms_account_lookup_mailbox (MsAccount  *self,
                           const char *name)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (is_inbox (name))
    return ms_account_get_inbox (self);
  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (strcmp (ms_mailbox_get_name (mailbox), name) == 0)
        return mailbox;
    }
  return NULL;
}

MsMailbox *
ms_account_lookup_role (MsAccount     *self,
                        MsMailboxRole  role)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (ms_mailbox_get_role (mailbox) == role)
        return mailbox;
    }
  return NULL;
}

GPtrArray *
ms_account_list_mailboxes (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);
  return self->mailboxes;
}

static gboolean
is_child_of (const char *name,
             const char *parent)
{
  gsize len = strlen (parent);

  return strncmp (name, parent, len) == 0 && name[len] == MS_MAILBOX_DELIMITER;
}

gboolean
ms_account_has_children (MsAccount  *self,
                         const char *name)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);

  for (guint i = 0; i < self->mailboxes->len; i++)
    if (is_child_of (ms_mailbox_get_name (g_ptr_array_index (self->mailboxes, i)), name))
      return TRUE;
  return FALSE;
}

guint64
ms_account_get_total_size (MsAccount *self)
{
  guint64 total = 0;

  g_return_val_if_fail (MS_IS_ACCOUNT (self), 0);

  for (guint i = 0; i < self->mailboxes->len; i++)
    total += ms_mailbox_get_total_size (g_ptr_array_index (self->mailboxes, i));
  return total;
}

gboolean
ms_account_name_is_valid (const char  *name,
                          GError     **error)
{
  g_auto(GStrv) levels = NULL;
  gsize len;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME, "The mailbox name is empty");
      return FALSE;
    }
  len = strlen (name);
  if (len > MAX_NAME_OCTETS)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                   "The mailbox name is longer than %d octets", MAX_NAME_OCTETS);
      return FALSE;
    }
  if (!g_utf8_validate (name, len, NULL))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME, "The mailbox name is not valid UTF-8");
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if ((guchar) name[i] < 0x20 || name[i] == 0x7f)
      {
        g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                     "The mailbox name contains a control character");
        return FALSE;
      }

  levels = g_strsplit (name, "/", -1);
  if (g_strv_length (levels) > MAX_NAME_LEVELS)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                   "The mailbox name has more than %d levels", MAX_NAME_LEVELS);
      return FALSE;
    }
  for (guint i = 0; levels[i]; i++)
    if (levels[i][0] == '\0' || strcmp (levels[i], ".") == 0 || strcmp (levels[i], "..") == 0)
      {
        g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                     "The mailbox name has an empty, \".\" or \"..\" level");
        return FALSE;
      }
  return TRUE;
}

MsMailbox *
ms_account_create_mailbox (MsAccount   *self,
                           const char  *name,
                           GError     **error)
{
  MsMailbox *mailbox;

  g_return_val_if_fail (MS_IS_ACCOUNT (self), NULL);

  if (!ms_account_name_is_valid (name, error))
    return NULL;
  if (ms_account_lookup_mailbox (self, name) != NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS, "Mailbox %s already exists", name);
      return NULL;
    }
  if (self->mailboxes->len >= MS_LIMIT_ACCOUNT_MAILBOXES)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_LIMIT,
                   "An account may have at most %u mailboxes", MS_LIMIT_ACCOUNT_MAILBOXES);
      return NULL;
    }

  mailbox = add_mailbox (self, name);
  g_signal_emit (self, signals[MAILBOX_CREATED], 0, mailbox);
  return mailbox;
}

gboolean
ms_account_delete_mailbox (MsAccount   *self,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(MsMailbox) mailbox = NULL;
  MsMailbox *found;

  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (is_inbox (name))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_ALLOWED, "INBOX cannot be deleted");
      return FALSE;
    }
  found = ms_account_lookup_mailbox (self, name);
  if (found == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_FOUND, "Mailbox %s does not exist", name);
      return FALSE;
    }
  /* A mailbox with children cannot just vanish: its children would lose
   * their parent. RFC 3501 section 6.3.4 lets the server refuse here, and we
   * do, which is also what Dovecot does. */
  if (ms_account_has_children (self, name))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_ALLOWED,
                   "Mailbox %s has children; delete them first", name);
      return FALSE;
    }

  mailbox = g_object_ref (found);
  g_ptr_array_remove (self->mailboxes, found);
  g_signal_emit (self, signals[MAILBOX_DELETED], 0, mailbox);
  return TRUE;
}

gboolean
ms_account_rename_mailbox (MsAccount   *self,
                           const char  *old_name,
                           const char  *new_name,
                           GError     **error)
{
  g_autoptr(GPtrArray) moving = NULL;
  MsMailbox *source;
  gsize old_len;

  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (old_name != NULL, FALSE);

  if (!ms_account_name_is_valid (new_name, error))
    return FALSE;
  source = ms_account_lookup_mailbox (self, old_name);
  if (source == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_FOUND, "Mailbox %s does not exist", old_name);
      return FALSE;
    }
  if (ms_account_lookup_mailbox (self, new_name) != NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS, "Mailbox %s already exists", new_name);
      return FALSE;
    }
  if (is_child_of (new_name, ms_mailbox_get_name (source)))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_NOT_ALLOWED,
                   "A mailbox cannot be moved inside itself");
      return FALSE;
    }

  if (source == ms_account_get_inbox (self))
    {
      /* RFC 3501: renaming INBOX moves its messages into a new mailbox and
       * leaves INBOX in place, empty; its children are not renamed. */
      g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
      MsMailbox *target = ms_account_create_mailbox (self, new_name, error);

      if (target == NULL)
        return FALSE;
      for (guint i = 0; i < ms_mailbox_get_n_messages (source); i++)
        {
          guint32 uid = ms_message_get_uid (ms_mailbox_get_message (source, i));

          g_array_append_val (uids, uid);
        }
      /* One move (all or nothing under serve --state); when it cannot be
       * written the new mailbox stays, empty, and the caller hears of the
       * failure from the store. */
      ms_mailbox_transfer (target, source, (const guint32 *) uids->data, uids->len, TRUE, NULL, NULL);
      return TRUE;
    }

  old_len = strlen (ms_mailbox_get_name (source));
  moving = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (mailbox == source || is_child_of (ms_mailbox_get_name (mailbox), ms_mailbox_get_name (source)))
        g_ptr_array_add (moving, g_object_ref (mailbox));
    }
  for (guint i = 0; i < moving->len; i++)
    {
      MsMailbox *mailbox = g_ptr_array_index (moving, i);
      g_autofree char *previous = g_strdup (ms_mailbox_get_name (mailbox));
      g_autofree char *renamed = g_strconcat (new_name, previous + old_len, NULL);

      ms_mailbox_set_name (mailbox, renamed);
      g_signal_emit (self, signals[MAILBOX_RENAMED], 0, mailbox, previous);
    }
  g_ptr_array_sort (self->mailboxes, compare_mailboxes);
  return TRUE;
}

gboolean
ms_account_lock_maildrop (MsAccount *self,
                          gpointer   owner)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);

  if (self->maildrop_owner != NULL && self->maildrop_owner != owner)
    return FALSE;
  self->maildrop_owner = owner;
  return TRUE;
}

void
ms_account_unlock_maildrop (MsAccount *self,
                            gpointer   owner)
{
  g_return_if_fail (MS_IS_ACCOUNT (self));

  if (self->maildrop_owner == owner)
    self->maildrop_owner = NULL;
}

gboolean
ms_account_is_maildrop_locked (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);
  return self->maildrop_owner != NULL;
}

gboolean
ms_account_open_session (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), FALSE);

  if (self->n_sessions >= self->max_sessions)
    return FALSE;
  self->n_sessions++;
  return TRUE;
}

void
ms_account_close_session (MsAccount *self)
{
  g_return_if_fail (MS_IS_ACCOUNT (self));
  g_return_if_fail (self->n_sessions > 0);

  self->n_sessions--;
}

guint
ms_account_get_n_sessions (MsAccount *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT (self), 0);
  return self->n_sessions;
}

void
ms_account_set_max_sessions (MsAccount *self,
                             guint      max_sessions)
{
  g_return_if_fail (MS_IS_ACCOUNT (self));
  g_return_if_fail (max_sessions > 0);

  self->max_sessions = max_sessions;
}

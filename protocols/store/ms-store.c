/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-store"
#include "config.h"

#include <string.h>

#include "ms-account-private.h"
#include "ms-store.h"

#define MAX_ACCOUNT_NAME 64

struct _MsStore
{
  GObject    parent_instance;

  GPtrArray *accounts;   /* MsAccount */
  guint32    next_uidvalidity;

  MsStoreRetryFunc persist_retry;
  gpointer         persist_data;
  GError          *persist_error;   /* the failure not repaired yet */
  GError          *last_failure;
  guint            persist_failures;
};

G_DEFINE_FINAL_TYPE (MsStore, ms_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (ms-store-error-quark, ms_store_error)

enum {
  ACCOUNT_ADDED,
  PERSIST_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ms_store_finalize (GObject *object)
{
  MsStore *self = (MsStore *) object;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_error (&self->persist_error);
  g_clear_error (&self->last_failure);

  G_OBJECT_CLASS (ms_store_parent_class)->finalize (object);
}

static void
ms_store_class_init (MsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_store_finalize;

  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_ACCOUNT);
  /**
   * MsStore::persist-changed:
   *
   * Writing changes to disk started failing, or works again; see
   * ms_store_get_persist_error().
   */
  signals[PERSIST_CHANGED] =
    g_signal_new ("persist-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ms_store_init (MsStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_uidvalidity = 1;
}

MsStore *
ms_store_new (void)
{
  return g_object_new (MS_TYPE_STORE, NULL);
}

void
ms_store_set_uidvalidity_base (MsStore *self,
                               guint32  base)
{
  g_return_if_fail (MS_IS_STORE (self));
  g_return_if_fail (base > 0);

  self->next_uidvalidity = base;
}

guint32
ms_store_next_uidvalidity (MsStore *self)
{
  g_return_val_if_fail (MS_IS_STORE (self), 1);

  /* UIDVALIDITY must be non-zero and must change whenever a name is reused
   * for a new mailbox; one counter for the whole store guarantees both. */
  if (self->next_uidvalidity == 0)
    self->next_uidvalidity = 1;
  return self->next_uidvalidity++;
}

MsAccount *
ms_store_add_account (MsStore     *self,
                      const char  *name,
                      const char  *password,
                      GError     **error)
{
  MsAccount *account;

  g_return_val_if_fail (MS_IS_STORE (self), NULL);

  if (name == NULL || name[0] == '\0' || strlen (name) > MAX_ACCOUNT_NAME || password == NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                   "An account needs a name of 1 to %d characters and a password", MAX_ACCOUNT_NAME);
      return NULL;
    }
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-@+", *p) == NULL)
      {
        g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_INVALID_NAME,
                     "Account name %s may use only letters, digits and . _ - @ +", name);
        return NULL;
      }
  if (ms_store_lookup_account (self, name) != NULL)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_EXISTS, "Account %s already exists", name);
      return NULL;
    }

  account = ms_account_new (self, name, password);
  g_ptr_array_add (self->accounts, account);
  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account);
  return account;
}

MsAccount *
ms_store_lookup_account (MsStore    *self,
                         const char *name)
{
  g_return_val_if_fail (MS_IS_STORE (self), NULL);

  if (name == NULL)
    return NULL;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      MsAccount *account = g_ptr_array_index (self->accounts, i);

      if (strcmp (ms_account_get_name (account), name) == 0)
        return account;
    }
  return NULL;
}

GPtrArray *
ms_store_list_accounts (MsStore *self)
{
  g_return_val_if_fail (MS_IS_STORE (self), NULL);
  return self->accounts;
}

void
ms_store_set_persist_retry (MsStore          *self,
                            MsStoreRetryFunc  retry,
                            gpointer          user_data)
{
  g_return_if_fail (MS_IS_STORE (self));

  self->persist_retry = retry;
  self->persist_data = user_data;
}

void
ms_store_note_persist_error (MsStore      *self,
                             const GError *error)
{
  gboolean was_failing;

  g_return_if_fail (MS_IS_STORE (self));

  was_failing = self->persist_error != NULL;
  g_clear_error (&self->persist_error);
  if (error != NULL)
    {
      self->persist_error = g_error_copy (error);
      g_clear_error (&self->last_failure);
      self->last_failure = g_error_copy (error);
      self->persist_failures++;
    }
  if (was_failing != (error != NULL))
    g_signal_emit (self, signals[PERSIST_CHANGED], 0);
}

void
ms_store_note_persist_backlog (MsStore      *self,
                               const GError *error)
{
  gboolean was_failing;

  g_return_if_fail (MS_IS_STORE (self));
  g_return_if_fail (error != NULL);

  was_failing = self->persist_error != NULL;
  g_clear_error (&self->persist_error);
  self->persist_error = g_error_copy (error);
  if (!was_failing)
    g_signal_emit (self, signals[PERSIST_CHANGED], 0);
}

guint
ms_store_get_persist_failures (MsStore *self)
{
  g_return_val_if_fail (MS_IS_STORE (self), 0);
  return self->persist_failures;
}

const GError *
ms_store_get_persist_error (MsStore *self)
{
  g_return_val_if_fail (MS_IS_STORE (self), NULL);
  return self->persist_error;
}

const GError *
ms_store_get_last_persist_failure (MsStore *self)
{
  g_return_val_if_fail (MS_IS_STORE (self), NULL);
  return self->last_failure;
}

gboolean
ms_store_check_persist (MsStore  *self,
                        GError  **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (MS_IS_STORE (self), FALSE);

  if (self->persist_error == NULL)
    return TRUE;
  /* The retry reports its own outcome through ms_store_note_persist_error(). */
  if (self->persist_retry != NULL && self->persist_retry (self->persist_data, &local_error))
    return TRUE;
  g_clear_error (&local_error);
  if (self->persist_error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->persist_error));
  return FALSE;
}

const char *
ms_store_describe_persist_error (const GError *error)
{
  if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_NO_SPACE))
    return "the server's disk is full";
  if (g_error_matches (error, MS_STORE_ERROR, MS_STORE_ERROR_LIMIT))
    return "a file on the server would grow too large";
  return "the server could not write to its disk";
}

GBytes *
ms_store_normalize_crlf (GBytes *raw)
{
  const guint8 *data;
  GByteArray *out;
  gsize len;
  gboolean clean = TRUE;

  g_return_val_if_fail (raw != NULL, NULL);

  data = g_bytes_get_data (raw, &len);
  for (gsize i = 0; i < len && clean; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        clean = FALSE;
      else if (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))
        clean = FALSE;
    }
  if (clean)
    return g_bytes_ref (raw);

  out = g_byte_array_sized_new (len + len / 32 + 2);
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r')
        {
          if (i + 1 < len && data[i + 1] == '\n')
            i++;
          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
        }
      else if (data[i] == '\n')
        g_byte_array_append (out, (const guint8 *) "\r\n", 2);
      else
        g_byte_array_append (out, &data[i], 1);
    }
  return g_byte_array_free_to_bytes (out);
}

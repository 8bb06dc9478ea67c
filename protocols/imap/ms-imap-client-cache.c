/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-imap-client"
#include "config.h"

#include <string.h>

#include "ms-imap-client-cache.h"

typedef struct
{
  GHashTable *mailboxes;   /* folded name → MsImapCachedMailbox */
  GPtrArray  *offline;     /* MsClientAction */
} CacheTable;

static void
cached_mailbox_free (gpointer data)
{
  MsImapCachedMailbox *mailbox = data;

  g_free (mailbox->name);
  g_hash_table_unref (mailbox->by_uid);
  g_free (mailbox);
}

static void
cache_table_free (gpointer data)
{
  CacheTable *table = data;

  g_hash_table_unref (table->mailboxes);
  g_ptr_array_unref (table->offline);
  g_free (table);
}

static CacheTable *
get_table (MsStore    *store,
           const char *user)
{
  g_autofree char *key = g_strconcat ("ms-imap-client-cache/", user, NULL);
  CacheTable *table = g_object_get_data (G_OBJECT (store), key);

  if (table == NULL)
    {
      table = g_new0 (CacheTable, 1);
      table->mailboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_mailbox_free);
      table->offline = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_client_action_free);
      g_object_set_data_full (G_OBJECT (store), key, table, cache_table_free);
    }
  return table;
}

/* INBOX is case-insensitive (RFC 3501 section 5.1); other names are not. */
static char *
fold_name (const char *name)
{
  if (name == NULL || g_ascii_strcasecmp (name, "INBOX") == 0)
    return g_strdup ("INBOX");
  return g_strdup (name);
}

MsImapCachedMailbox *
ms_imap_client_cache_mailbox (MsStore    *store,
                       const char *user,
                       const char *name)
{
  CacheTable *table = get_table (store, user);
  g_autofree char *key = fold_name (name);
  MsImapCachedMailbox *mailbox = g_hash_table_lookup (table->mailboxes, key);

  if (mailbox == NULL)
    {
      mailbox = g_new0 (MsImapCachedMailbox, 1);
      mailbox->name = g_strdup (key);
      mailbox->by_uid = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_hash_table_insert (table->mailboxes, g_strdup (key), mailbox);
    }
  return mailbox;
}

void
ms_imap_client_cache_drop_mailbox (MsStore    *store,
                            const char *user,
                            const char *name)
{
  g_autofree char *key = fold_name (name);

  g_hash_table_remove (get_table (store, user)->mailboxes, key);
}

void
ms_imap_client_cache_rename_mailbox (MsStore    *store,
                              const char *user,
                              const char *old_name,
                              const char *new_name)
{
  CacheTable *table = get_table (store, user);
  g_autofree char *old_key = fold_name (old_name);
  gpointer key, value;

  if (g_hash_table_steal_extended (table->mailboxes, old_key, &key, &value))
    {
      MsImapCachedMailbox *mailbox = value;

      g_free (key);
      g_free (mailbox->name);
      mailbox->name = fold_name (new_name);
      g_hash_table_replace (table->mailboxes, g_strdup (mailbox->name), mailbox);
    }
}

MsImapCachedMessage *
ms_imap_client_cache_lookup (MsImapCachedMailbox *mailbox,
                      guint32              server_uid)
{
  return g_hash_table_lookup (mailbox->by_uid, GUINT_TO_POINTER (server_uid));
}

MsImapCachedMessage *
ms_imap_client_cache_find_local (MsImapCachedMailbox *mailbox,
                          guint32              local_uid)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, mailbox->by_uid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((MsImapCachedMessage *) value)->local_uid == local_uid)
      return value;
  return NULL;
}

static void
append_address_list (GString *s, const char *field, const MsImapClientItem *list)
{
  guint n = ms_imap_client_item_n_children (list);
  gboolean first = TRUE;

  if (n == 0)
    return;
  g_string_append_printf (s, "%s: ", field);
  for (guint i = 0; i < n; i++)
    {
      const MsImapClientItem *addr = ms_imap_client_item_child (list, i);
      const char *name = ms_imap_client_item_text (ms_imap_client_item_child (addr, 0));
      const char *mailbox = ms_imap_client_item_text (ms_imap_client_item_child (addr, 2));
      const char *host = ms_imap_client_item_text (ms_imap_client_item_child (addr, 3));

      if (mailbox == NULL || host == NULL)
        continue;  /* group syntax markers */
      if (!first)
        g_string_append (s, ", ");
      first = FALSE;
      if (name && name[0])
        g_string_append_printf (s, "\"%s\" <%s@%s>", name, mailbox, host);
      else
        g_string_append_printf (s, "%s@%s", mailbox, host);
    }
  g_string_append (s, "\r\n");
}

static void
append_field (GString *s, const char *field, const MsImapClientItem *item)
{
  const char *text = ms_imap_client_item_text (item);

  if (text == NULL)
    return;
  g_string_append_printf (s, "%s: ", field);
  /* A header line must not break: drop any CR/LF a server put in a string. */
  for (const char *p = text; *p; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (s, *p);
  g_string_append (s, "\r\n");
}

char *
ms_imap_client_envelope_to_header (const MsImapClientItem *envelope)
{
  GString *s = g_string_new (NULL);

  /* RFC 3501 section 7.4.2: date, subject, from, sender, reply-to, to, cc,
   * bcc, in-reply-to, message-id. */
  append_field (s, "Date", ms_imap_client_item_child (envelope, 0));
  append_address_list (s, "From", ms_imap_client_item_child (envelope, 2));
  append_address_list (s, "To", ms_imap_client_item_child (envelope, 5));
  append_address_list (s, "Cc", ms_imap_client_item_child (envelope, 6));
  append_field (s, "Subject", ms_imap_client_item_child (envelope, 1));
  append_field (s, "Message-ID", ms_imap_client_item_child (envelope, 9));
  g_string_append (s, "\r\n");
  return g_string_free (s, FALSE);
}

static void
describe_structure (MsImapCachedMessage *entry,
                    const MsImapClientItem    *bs)
{
  guint n = ms_imap_client_item_n_children (bs);
  guint parts = 0;
  const char *subtype = NULL;

  entry->n_parts = 1;
  entry->attachment_mask = 0;
  if (n == 0)
    return;
  if (ms_imap_client_item_child (bs, 0)->kind != MS_IMAP_CLIENT_ITEM_LIST)
    {
      /* One part; the message "has attachments" only if it is not text. */
      const char *type = ms_imap_client_item_text (ms_imap_client_item_child (bs, 0));
      guint32 size = 0;

      if (ms_imap_client_item_uint32 (ms_imap_client_item_child (bs, 6), &size))
        entry->part_size[0] = size;
      if (type && g_ascii_strcasecmp (type, "text") != 0)
        entry->attachment_mask = 1;
      return;
    }
  while (parts < n && ms_imap_client_item_child (bs, parts)->kind == MS_IMAP_CLIENT_ITEM_LIST)
    {
      const MsImapClientItem *part = ms_imap_client_item_child (bs, parts);
      guint32 size = 0;

      if (parts < G_N_ELEMENTS (entry->part_size) && ms_imap_client_item_uint32 (ms_imap_client_item_child (part, 6), &size))
        entry->part_size[parts] = size;
      parts++;
    }
  subtype = ms_imap_client_item_text (ms_imap_client_item_child (bs, parts));
  entry->n_parts = MAX (parts, 1);
  /* multipart/mixed: the first part is the text, the others are attached.
   * alternative and related are all "the text" in different forms. */
  if (subtype == NULL || g_ascii_strcasecmp (subtype, "mixed") == 0)
    for (guint i = 1; i < parts && i < 32; i++)
      entry->attachment_mask |= 1u << i;
}

MsImapCachedMessage *
ms_imap_client_cache_add_headers (MsImapCachedMailbox *cache,
                           MsMailbox           *local,
                           guint32              server_uid,
                           const MsImapClientItem    *envelope,
                           const MsImapClientItem    *bodystructure,
                           guint64              size,
                           MsFlags              flags,
                           const char * const  *keywords,
                           gint64               now)
{
  g_autofree char *header = ms_imap_client_envelope_to_header (envelope);
  g_autoptr(GBytes) raw = g_bytes_new (header, strlen (header));
  MsImapCachedMessage *entry = g_new0 (MsImapCachedMessage, 1);
  MsMessage *message;

  if (server_uid >= ms_mailbox_get_uidnext (local))
    message = ms_mailbox_restore_message (local, server_uid, raw, flags, keywords, now, 0);
  else
    message = ms_mailbox_append (local, raw, flags, keywords, now, 0);
  entry->server_uid = server_uid;
  entry->local_uid = ms_message_get_uid (message);
  entry->level = MS_IMAP_CACHE_HEADERS;
  entry->size = size;
  describe_structure (entry, bodystructure);
  g_hash_table_replace (cache->by_uid, GUINT_TO_POINTER (server_uid), entry);
  cache->max_uid = MAX (cache->max_uid, server_uid);
  return entry;
}

void
ms_imap_client_cache_replace_raw (MsImapCachedMailbox *cache,
                           MsMailbox           *local,
                           MsImapCachedMessage *entry,
                           GBytes              *raw)
{
  g_autoptr(GBytes) normal = ms_store_normalize_crlf (raw);

  /* The copy keeps its local UID and place: nothing was deleted on this
   * device, only the headers-only copy became a whole one. */
  ms_mailbox_replace_raw (local, entry->local_uid, normal);
}

void
ms_imap_client_cache_remove (MsImapCachedMailbox *cache,
                      MsMailbox           *local,
                      guint32              server_uid)
{
  MsImapCachedMessage *entry = ms_imap_client_cache_lookup (cache, server_uid);

  if (entry == NULL)
    return;
  if (local)
    ms_mailbox_expunge_uids (local, &entry->local_uid, 1);
  g_hash_table_remove (cache->by_uid, GUINT_TO_POINTER (server_uid));
}

void
ms_imap_client_cache_clear (MsImapCachedMailbox *cache,
                     MsMailbox           *local)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (local)
    {
      for (guint i = 0; i < ms_mailbox_get_n_messages (local); i++)
        {
          guint32 uid = ms_message_get_uid (ms_mailbox_get_message (local, i));
          g_array_append_val (uids, uid);
        }
      ms_mailbox_expunge_uids (local, (guint32 *) uids->data, uids->len);
    }
  g_hash_table_remove_all (cache->by_uid);
  cache->max_uid = 0;
  cache->uidvalidity = 0;
}

GPtrArray *
ms_imap_client_cache_offline_queue (MsStore    *store,
                             const char *user)
{
  return get_table (store, user)->offline;
}

void
ms_imap_client_flags_from_item (const MsImapClientItem *list,
                         MsFlags          *flags,
                         GStrv            *keywords)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *flags = MS_FLAG_NONE;
  for (guint i = 0; i < ms_imap_client_item_n_children (list); i++)
    {
      const char *name = ms_imap_client_item_text (ms_imap_client_item_child (list, i));

      if (name == NULL)
        continue;
      if (name[0] == '\\')
        *flags |= ms_flag_from_string (name);
      else if (ms_keyword_is_valid (name))
        g_strv_builder_add (builder, name);
    }
  if (keywords)
    *keywords = g_strv_builder_end (builder);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* FETCH and UID FETCH (RFC 3501 section 6.4.5). What a message looks like
 * inside (ENVELOPE, BODYSTRUCTURE, the bytes of a section) comes from the
 * mime module; this file chooses the messages, sets \Seen where BODY[]
 * (not BODY.PEEK[]) asks for it, and writes the answer. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-imap-fetch-item.h"
#include "ms-imap-server-session-private.h"

static gboolean
sets_seen (const MsImapFetchItem *item)
{
  switch (item->kind)
    {
    case MS_IMAP_FETCH_RFC822:
    case MS_IMAP_FETCH_RFC822_TEXT:
      return TRUE;
    case MS_IMAP_FETCH_SECTION:
      return !item->peek;
    default:
      return FALSE;
    }
}


static gboolean
append_item (MsImapServerSession   *self,
             MsImapResponse        *r,
             const MsImapFetchItem *item,
             MsMessage             *message,
             guint                  index)
{
  g_autoptr(GError) error = NULL;

  switch (item->kind)
    {
    case MS_IMAP_FETCH_UID:
      ms_imap_response_append (r, "UID ");
      ms_imap_response_uint (r, ms_message_get_uid (message));
      break;
    case MS_IMAP_FETCH_FLAGS:
      {
        gboolean recent = g_hash_table_size (self->recent) > 0 &&
                          g_hash_table_contains (self->recent,
                                                 GUINT_TO_POINTER (ms_message_get_uid (message)));

        gsize at;

        ms_imap_response_append (r, "FLAGS ");
        at = r->wire->len;
        ms_imap_format_flags (r->wire, message, recent);
        if (r->text != NULL)
          g_string_append_len (r->text, r->wire->str + at, r->wire->len - at);
      }
      break;
    case MS_IMAP_FETCH_INTERNALDATE:
      {
        g_autofree char *date = ms_imap_format_internal_date (ms_message_get_internal_date (message),
                                                              ms_message_get_internal_date_offset (message));
        ms_imap_response_printf (r, "INTERNALDATE \"%s\"", date);
      }
      break;
    case MS_IMAP_FETCH_RFC822_SIZE:
      ms_imap_response_append (r, "RFC822.SIZE ");
      ms_imap_response_uint (r, ms_message_get_size (message));
      break;
    case MS_IMAP_FETCH_ENVELOPE:
      {
        ms_imap_response_append (r, "ENVELOPE ");
        ms_imap_response_append (r, ms_mime_get_envelope (message));
      }
      break;
    case MS_IMAP_FETCH_BODY:
    case MS_IMAP_FETCH_BODYSTRUCTURE:
      {
        gboolean ext = item->kind == MS_IMAP_FETCH_BODYSTRUCTURE;
        ms_imap_response_append (r, ext ? "BODYSTRUCTURE " : "BODY ");
        ms_imap_response_append (r, ms_mime_get_bodystructure (message, ext));
      }
      break;
    case MS_IMAP_FETCH_RFC822:
      ms_imap_response_append (r, "RFC822 ");
      ms_imap_response_literal_bytes (r, ms_message_get_raw (message));
      break;
    case MS_IMAP_FETCH_RFC822_HEADER:
    case MS_IMAP_FETCH_RFC822_TEXT:
      {
        MsMimeSection section = { 0 };
        g_autoptr(GBytes) bytes = NULL;

        section.kind = item->kind == MS_IMAP_FETCH_RFC822_HEADER ? MS_MIME_SECTION_HEADER
                                                                 : MS_MIME_SECTION_TEXT;
        bytes = ms_mime_get_section (message, &section, &error);
        ms_imap_response_append (r, item->kind == MS_IMAP_FETCH_RFC822_HEADER ? "RFC822.HEADER "
                                                                              : "RFC822.TEXT ");
        ms_imap_response_literal_bytes (r, bytes);
      }
      break;
    case MS_IMAP_FETCH_SECTION:
      {
        g_autoptr(GBytes) bytes = ms_mime_get_section (message, &item->section, &error);
        g_autoptr(GBytes) slice = NULL;

        if (bytes == NULL)
          return FALSE;
        ms_imap_response_append (r, item->name);
        if (item->partial)
          {
            gsize size = g_bytes_get_size (bytes);
            gsize start = MIN ((gsize) item->offset, size);
            gsize len = MIN ((gsize) item->length, size - start);

            slice = g_bytes_new_from_bytes (bytes, start, len);
            ms_imap_response_append_c (r, '<');
            ms_imap_response_uint (r, item->offset);
            ms_imap_response_append_c (r, '>');
          }
        ms_imap_response_append_c (r, ' ');
        ms_imap_response_literal_bytes (r, slice ? slice : bytes);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* A FETCH in progress: the messages it names, what to say of each, and
 * how far it got. It stays valid while suspended because the view does
 * not change until the command ends: others' expunges are only queued
 * (RFC 3501 section 7.4.1 forbids EXPUNGE during FETCH), so sequence
 * numbers stay what they were when the command started, and an expunged
 * message still answers from the reference the view holds. */
typedef struct
{
  GArray         *indices;
  GPtrArray      *items;
  guint           next;
  gboolean        uid;
  gboolean        want_seen;
  gboolean        has_flags;
  gboolean        has_uid;
  gboolean       *newly_seen;   /* per entry of indices: \Seen set by this FETCH */
  MsImapResponse *r;   /* one response, emptied after each message */
} FetchRun;

static void
fetch_run_free (FetchRun *run)
{
  g_free (run->newly_seen);
  g_array_unref (run->indices);
  g_ptr_array_unref (run->items);
  ms_imap_response_free (run->r);
  g_free (run);
}

/* Answers for messages until all are done (TRUE, the command ended) or the
 * session's output budget is used (FALSE: call again once it was taken). */
static gboolean
fetch_more (MsImapServerSession *self,
            MsImapCommand       *cmd,
            gpointer             data)
{
  FetchRun *run = data;
  MsImapResponse *r = run->r;

  for (; run->next < run->indices->len; run->next++)
    {
      guint index = g_array_index (run->indices, guint, run->next);
      MsMessage *message = g_ptr_array_index (self->view, index);
      gboolean first = TRUE;
      /* The changed flags are reported with the body that changed them. */
      gboolean add_flags = run->newly_seen != NULL && run->newly_seen[run->next] && !run->has_flags;

      if (ms_imap_session_output_full (self))
        return FALSE;

      ms_imap_response_append (r, "* ");
      ms_imap_response_uint (r, index + 1);
      ms_imap_response_append (r, " FETCH (");
      if (run->uid && !run->has_uid)
        {
          ms_imap_response_append (r, "UID ");
          ms_imap_response_uint (r, ms_message_get_uid (message));
          first = FALSE;
        }
      for (guint k = 0; k < run->items->len; k++)
        {
          if (!first)
            ms_imap_response_append_c (r, ' ');
          first = FALSE;
          if (!append_item (self, r, g_ptr_array_index (run->items, k), message, index))
            {
              ms_imap_session_bad (self, cmd, "Invalid section for this message.");
              return TRUE;
            }
        }
      if (add_flags)
        {
          MsImapFetchItem flags_item = { .kind = MS_IMAP_FETCH_FLAGS };

          ms_imap_response_append_c (r, ' ');
          append_item (self, r, &flags_item, message, index);
        }
      ms_imap_response_append_c (r, ')');
      ms_imap_session_send_keep (self, r);
    }
  ms_imap_session_done (self, cmd, "OK", "Fetch completed.");
  return TRUE;
}

/* Reading the body marks the message read (RFC 3501 section 6.4.5). All
 * the messages of the FETCH are marked at once, before the first answer, as
 * one change: with serve --state one journal write and one fsync for the
 * command, not one per message (FETCH 1:2000 BODY[] wrote 2000). A client
 * that goes away in the middle of a long answer therefore finds the rest
 * marked read too, as after a STORE. When the write fails nothing is
 * marked: the answers go out without \Seen and ms_imap_session_done() turns
 * the final OK into NO, as before. */
static void
mark_seen (MsImapServerSession *self,
           FetchRun            *run)
{
  g_autoptr(GPtrArray) unseen = g_ptr_array_new ();
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < run->indices->len; i++)
    {
      guint index = g_array_index (run->indices, guint, i);
      MsMessage *message = g_ptr_array_index (self->view, index);

      if (!ms_imap_view_is_live (self, index) || ms_message_has_flag (message, MS_FLAG_SEEN))
        continue;
      g_ptr_array_add (unseen, message);
      g_array_append_val (positions, i);
    }
  if (unseen->len == 0)
    return;
  self->own_change = TRUE;
  if (ms_mailbox_store_flags_many (self->mailbox, (MsMessage * const *) unseen->pdata, unseen->len,
                                   MS_FLAGS_ADD, MS_FLAG_SEEN, NULL) >= 0)
    {
      run->newly_seen = g_new0 (gboolean, run->indices->len);
      for (guint i = 0; i < positions->len; i++)
        run->newly_seen[g_array_index (positions, guint, i)] = TRUE;
    }
  self->own_change = FALSE;
}

void
ms_imap_cmd_fetch (MsImapServerSession *self,
                   MsImapCommand       *cmd,
                   gboolean             uid)
{
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) items = NULL;
  const MsImapArg *set;
  const char *error = NULL;
  FetchRun *run;

  if (cmd->args->len != 2 || ((MsImapArg *) g_ptr_array_index (cmd->args, 0))->type != MS_IMAP_ARG_ATOM)
    {
      ms_imap_session_bad (self, cmd, "FETCH needs a message set and items.");
      return;
    }
  set = g_ptr_array_index (cmd->args, 0);
  items = ms_imap_fetch_items_parse (g_ptr_array_index (cmd->args, 1), &error);
  if (items == NULL)
    {
      ms_imap_session_bad (self, cmd, error);
      return;
    }
  if (!ms_imap_view_resolve_set (self, set->str, uid, indices, &error))
    {
      ms_imap_session_bad (self, cmd, error);
      return;
    }

  run = g_new0 (FetchRun, 1);
  run->indices = g_steal_pointer (&indices);
  run->items = g_steal_pointer (&items);
  run->uid = uid;
  for (guint i = 0; i < run->items->len; i++)
    {
      const MsImapFetchItem *item = g_ptr_array_index (run->items, i);

      run->want_seen |= sets_seen (item);
      run->has_flags |= item->kind == MS_IMAP_FETCH_FLAGS;
      run->has_uid |= item->kind == MS_IMAP_FETCH_UID;
    }
  run->r = ms_imap_response_new (self);
  if (run->want_seen && !self->read_only)
    mark_seen (self, run);

  /* 1:* may answer a million messages: a budget's worth now, the rest as
   * the client reads. */
  if (fetch_more (self, cmd, run))
    fetch_run_free (run);
  else
    ms_imap_session_suspend (self, cmd, fetch_more, run, (GDestroyNotify) fetch_run_free);
}

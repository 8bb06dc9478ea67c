/* SPDX-License-Identifier: GPL-3.0-or-later */
/* LIST and LSUB (RFC 3501 sections 6.3.8 and 6.3.9) with the parts of
 * LIST-EXTENDED (RFC 5258) that SPECIAL-USE (RFC 6154) and CHILDREN
 * (RFC 3348) clients send: selection options "(SPECIAL-USE)" and
 * "(SUBSCRIBED)", "RETURN (SPECIAL-USE CHILDREN SUBSCRIBED)", and several
 * patterns in parentheses. Patterns match the names as the client sees them
 * (modified UTF-7): '*' matches anything, '%' anything but the delimiter. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-imap-server-session-private.h"

/* Row j says whether the pattern read so far matches the first j bytes of
 * @name; one pass over the name per pattern character, so the time is
 * |pattern| x |name| however many wildcards there are. (Matching by
 * backtracking took 68 s for "*%%%...%MOVE", found by fuzzing: one LIST
 * could stall the whole server.) */
static gboolean
match (const char *pattern,
       const char *name)
{
  gsize n = strlen (name);
  g_autofree gboolean *row = g_new0 (gboolean, n + 1);

  row[0] = TRUE;
  for (const char *p = pattern; *p; p++)
    {
      if (*p == '*' || *p == '%')
        {
          gboolean reach = FALSE;

          /* Any run of characters, but '%' never crosses the delimiter. */
          for (gsize j = 0; j <= n; j++)
            {
              if (j > 0 && *p == '%' && name[j - 1] == '/')
                reach = FALSE;
              reach = reach || row[j];
              row[j] = reach;
            }
        }
      else
        {
          for (gsize j = n; j > 0; j--)
            row[j] = row[j - 1] && name[j - 1] == *p;
          row[0] = FALSE;
        }
    }
  return row[n];
}

static gboolean
name_matches (const char *pattern,
              const char *name)
{
  /* INBOX is case-insensitive, also as the first level of a longer name. */
  if (g_ascii_strncasecmp (pattern, "INBOX", 5) == 0 && g_ascii_strncasecmp (name, "INBOX", 5) == 0 &&
      (name[5] == '\0' || name[5] == '/'))
    return match (pattern + 5, name + 5);
  return match (pattern, name);
}

typedef struct
{
  gboolean lsub;
  gboolean sel_subscribed;
  gboolean sel_special_use;
  gboolean ret_special_use;
  gboolean ret_subscribed;
  gboolean extended;
} ListOptions;

static void
list_one (MsImapServerSession *self,
          const ListOptions   *opts,
          const char          *name,
          MsMailbox           *mailbox)
{
  g_autoptr(GString) line = g_string_new (opts->lsub ? "LSUB (" : "LIST (");
  g_autofree char *wire = ms_imap_wire_name (name);
  gboolean first = TRUE;

#define ATTR(a) G_STMT_START { g_string_append_printf (line, "%s%s", first ? "" : " ", a); first = FALSE; } G_STMT_END
  if (mailbox == NULL)
    ATTR ("\\Noselect");
  if (!opts->lsub)
    ATTR (ms_account_has_children (self->account, name) ? "\\HasChildren" : "\\HasNoChildren");
  if (opts->ret_subscribed && mailbox != NULL && ms_mailbox_get_subscribed (mailbox))
    ATTR ("\\Subscribed");
  if (!opts->lsub && mailbox != NULL && ms_mailbox_get_role (mailbox) != MS_MAILBOX_ROLE_NONE &&
      ms_mailbox_get_role (mailbox) != MS_MAILBOX_ROLE_INBOX)
    {
      const char *attr = ms_mailbox_role_to_attribute (ms_mailbox_get_role (mailbox));

      if (attr != NULL)
        ATTR (attr);
    }
#undef ATTR
  g_string_append (line, ") \"/\" ");
  ms_imap_append_astring (line, wire);
  ms_imap_session_untagged (self, "%s", line->str);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const char *x = *(const char * const *) a, *y = *(const char * const *) b;

  if (g_str_equal (x, "INBOX") != g_str_equal (y, "INBOX"))
    return g_str_equal (x, "INBOX") ? -1 : 1;
  return strcmp (x, y);
}

static gboolean
parse_options (const MsImapArg *list,
               gboolean        *a,
               const char      *a_name,
               gboolean        *b,
               const char      *b_name)
{
  for (guint i = 0; i < list->list->len; i++)
    {
      const MsImapArg *o = g_ptr_array_index (list->list, i);

      if (o->type != MS_IMAP_ARG_ATOM)
        return FALSE;
      if (g_ascii_strcasecmp (o->str, a_name) == 0)
        *a = TRUE;
      else if (b && g_ascii_strcasecmp (o->str, b_name) == 0)
        *b = TRUE;
      /* Others (CHILDREN, REMOTE, RECURSIVEMATCH) change nothing here. */
    }
  return TRUE;
}

void
ms_imap_cmd_list (MsImapServerSession *self,
                  MsImapCommand       *cmd,
                  gboolean             uid)
{
  ListOptions opts = { 0 };
  guint i = 0;
  const MsImapArg *ref, *patterns;
  g_autoptr(GPtrArray) pats = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *mailboxes = NULL;   /* owned by the account */
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) parents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GPtrArray *args = cmd->args;

  opts.lsub = g_str_equal (cmd->name, "LSUB");
  if (!opts.lsub && args->len > 0 && ((MsImapArg *) g_ptr_array_index (args, 0))->type == MS_IMAP_ARG_LIST)
    {
      if (!parse_options (g_ptr_array_index (args, 0), &opts.sel_subscribed, "SUBSCRIBED",
                          &opts.sel_special_use, "SPECIAL-USE"))
        goto bad;
      opts.extended = TRUE;
      i++;
    }
  if (args->len < i + 2)
    goto bad;
  ref = g_ptr_array_index (args, i);
  patterns = g_ptr_array_index (args, i + 1);
  i += 2;
  if (!opts.lsub && args->len == i + 2 && ms_imap_arg_is_atom (g_ptr_array_index (args, i), "RETURN") &&
      ((MsImapArg *) g_ptr_array_index (args, i + 1))->type == MS_IMAP_ARG_LIST)
    {
      if (!parse_options (g_ptr_array_index (args, i + 1), &opts.ret_special_use, "SPECIAL-USE",
                          &opts.ret_subscribed, "SUBSCRIBED"))
        goto bad;
      i += 2;
    }
  if (args->len != i || !ms_imap_arg_is_string (ref))
    goto bad;
  if (opts.sel_subscribed)
    opts.ret_subscribed = TRUE;

  if (patterns->type == MS_IMAP_ARG_LIST && !opts.lsub)
    {
      for (guint k = 0; k < patterns->list->len; k++)
        {
          const MsImapArg *p = g_ptr_array_index (patterns->list, k);
          if (!ms_imap_arg_is_string (p))
            goto bad;
          g_ptr_array_add (pats, g_strconcat (ref->str, p->str, NULL));
        }
    }
  else if (ms_imap_arg_is_string (patterns))
    {
      if (patterns->str[0] == '\0' && !opts.lsub)
        {
          /* An empty pattern asks for the delimiter and the root. */
          ms_imap_session_untagged (self, "LIST (\\Noselect) \"/\" \"\"");
          ms_imap_session_done (self, cmd, "OK", "List completed.");
          return;
        }
      g_ptr_array_add (pats, g_strconcat (ref->str, patterns->str, NULL));
    }
  else
    goto bad;

  mailboxes = ms_account_list_mailboxes (self->account);
  for (guint m = 0; m < mailboxes->len; m++)
    g_hash_table_add (names, (gpointer) ms_mailbox_get_name (g_ptr_array_index (mailboxes, m)));
  /* Parents that do not exist as mailboxes still show, as \Noselect. */
  for (guint m = 0; m < mailboxes->len; m++)
    {
      const char *name = ms_mailbox_get_name (g_ptr_array_index (mailboxes, m));

      for (const char *slash = strchr (name, '/'); slash; slash = strchr (slash + 1, '/'))
        {
          char *parent = g_strndup (name, slash - name);

          if (g_hash_table_contains (names, parent))
            g_free (parent);
          else
            {
              g_hash_table_add (names, parent);
              g_ptr_array_add (parents, parent);
            }
        }
    }

  /* Parents sort before their children, INBOX first. */
  for (guint m = 0; m < mailboxes->len; m++)
    g_ptr_array_add (all, (gpointer) ms_mailbox_get_name (g_ptr_array_index (mailboxes, m)));
  for (guint m = 0; m < parents->len; m++)
    g_ptr_array_add (all, g_ptr_array_index (parents, m));
  g_ptr_array_sort (all, compare_names);

  for (guint m = 0; m < all->len; m++)
    {
      const char *name = g_ptr_array_index (all, m);
      MsMailbox *mailbox = ms_account_lookup_mailbox (self->account, name);
      g_autofree char *wire = ms_imap_wire_name (name);
      gboolean hit = FALSE;

      for (guint k = 0; k < pats->len && !hit; k++)
        hit = name_matches (g_ptr_array_index (pats, k), wire);
      if (!hit)
        continue;
      if ((opts.lsub || opts.sel_subscribed) && (mailbox == NULL || !ms_mailbox_get_subscribed (mailbox)))
        continue;
      if (opts.sel_special_use &&
          (mailbox == NULL || ms_mailbox_role_to_attribute (ms_mailbox_get_role (mailbox)) == NULL))
        continue;
      list_one (self, &opts, name, mailbox);
    }
  ms_imap_session_done (self, cmd, "OK", "%s completed.", opts.lsub ? "Lsub" : "List");
  return;

bad:
  ms_imap_session_bad (self, cmd, "Invalid LIST arguments.");
}

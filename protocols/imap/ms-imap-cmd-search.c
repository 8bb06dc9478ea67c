/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SEARCH and UID SEARCH (RFC 3501 section 6.4.4): every search key, NOT, OR,
 * parenthesised groups and sequence sets. The search runs on the server
 * and only the matching numbers cross the wire. Header and body tests are
 * the mime module's (decoded, case-insensitive). */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>

#include "ms-limits.h"
#include "ms-mime.h"
#include "ms-imap-server-session-private.h"

typedef enum {
  KEY_AND, KEY_OR, KEY_NOT, KEY_ALL, KEY_FLAG, KEY_KEYWORD, KEY_RECENT, KEY_NEW,
  KEY_LARGER, KEY_SMALLER, KEY_HEADER, KEY_BODY, KEY_TEXT,
  KEY_BEFORE, KEY_ON, KEY_SINCE, KEY_SENTBEFORE, KEY_SENTON, KEY_SENTSINCE, KEY_SET,
} KeyType;

typedef struct _Key Key;
struct _Key
{
  KeyType    type;
  gboolean   want;       /* KEY_FLAG / KEY_KEYWORD: set or unset */
  MsFlags    flag;
  char      *field;
  char      *value;
  gint64     number;
  GArray    *ranges;     /* KEY_SET: MsImapRange of view indices */
  GPtrArray *children;
};

static void
key_free (Key *key)
{
  if (key == NULL)
    return;
  g_free (key->field);
  g_free (key->value);
  if (key->ranges)
    g_array_unref (key->ranges);
  if (key->children)
    g_ptr_array_unref (key->children);
  g_free (key);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Key, key_free)

static Key *
key_new (KeyType type)
{
  Key *key = g_new0 (Key, 1);

  key->type = type;
  key->want = TRUE;
  return key;
}

typedef struct
{
  MsImapServerSession *self;
  GPtrArray           *args;
  guint                pos;
  guint                n_keys;
  const char          *error;
  gboolean             over_limit;   /* error is a limit, not bad syntax */
} Parse;

static const MsImapArg *
next_arg (Parse *ps)
{
  return ps->pos < ps->args->len ? g_ptr_array_index (ps->args, ps->pos++) : NULL;
}

static const char *
next_string (Parse *ps)
{
  const MsImapArg *a = next_arg (ps);

  if (!ms_imap_arg_is_string (a))
    {
      ps->error = "Missing search argument";
      return NULL;
    }
  return a->str;
}

static Key *parse_key (Parse *ps, const MsImapArg *arg, guint depth);

static Key *
parse_group (Parse     *ps,
             GPtrArray *args,
             guint      depth)
{
  g_autoptr(Key) and = key_new (KEY_AND);
  GPtrArray *saved_args = ps->args;
  guint saved_pos = ps->pos;

  and->children = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
  ps->args = args;
  ps->pos = 0;
  while (ps->pos < args->len)
    {
      Key *k = parse_key (ps, next_arg (ps), depth + 1);

      if (k == NULL)
        return NULL;
      g_ptr_array_add (and->children, k);
    }
  ps->args = saved_args;
  ps->pos = saved_pos;
  if (and->children->len == 0)
    {
      ps->error = "Empty search group";
      return NULL;
    }
  return g_steal_pointer (&and);
}

static const struct { const char *name; MsFlags flag; gboolean want; } flag_keys[] = {
  { "ANSWERED", MS_FLAG_ANSWERED, TRUE },   { "UNANSWERED", MS_FLAG_ANSWERED, FALSE },
  { "DELETED", MS_FLAG_DELETED, TRUE },     { "UNDELETED", MS_FLAG_DELETED, FALSE },
  { "DRAFT", MS_FLAG_DRAFT, TRUE },         { "UNDRAFT", MS_FLAG_DRAFT, FALSE },
  { "FLAGGED", MS_FLAG_FLAGGED, TRUE },     { "UNFLAGGED", MS_FLAG_FLAGGED, FALSE },
  { "SEEN", MS_FLAG_SEEN, TRUE },           { "UNSEEN", MS_FLAG_SEEN, FALSE },
};

static const struct { const char *name; KeyType type; } date_keys[] = {
  { "BEFORE", KEY_BEFORE }, { "ON", KEY_ON }, { "SINCE", KEY_SINCE },
  { "SENTBEFORE", KEY_SENTBEFORE }, { "SENTON", KEY_SENTON }, { "SENTSINCE", KEY_SENTSINCE },
};

static const struct { const char *name; const char *field; } header_keys[] = {
  { "BCC", "Bcc" }, { "CC", "Cc" }, { "FROM", "From" }, { "SUBJECT", "Subject" }, { "TO", "To" },
};

static Key *
parse_set (Parse      *ps,
           const char *set,
           gboolean    uid)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (MsImapRange));
  Key *key;

  /* Ranges, not a byte per message: thousands of set keys in one SEARCH
   * over a big mailbox would otherwise hold thousands of mailbox-sized
   * arrays. */
  if (!ms_imap_view_resolve_ranges (ps->self, set, uid, ranges, &ps->error))
    return NULL;
  key = key_new (KEY_SET);
  key->ranges = g_steal_pointer (&ranges);
  return key;
}

static Key *
parse_key (Parse           *ps,
           const MsImapArg *arg,
           guint            depth)
{
  const char *name;
  const char *s;

  if (arg == NULL)
    {
      ps->error = "Missing search key";
      return NULL;
    }
  /* Counted as they are parsed, so that a search over the limit is
   * refused before it holds more than MS_LIMIT_IMAP_SEARCH_KEYS keys. */
  if (++ps->n_keys > MS_LIMIT_IMAP_SEARCH_KEYS)
    {
      ps->error = "Too many search keys";
      ps->over_limit = TRUE;
      return NULL;
    }
  if (depth > MS_LIMIT_IMAP_SEARCH_DEPTH)
    {
      ps->error = "Search nested too deeply";
      ps->over_limit = TRUE;
      return NULL;
    }
  if (arg->type == MS_IMAP_ARG_LIST)
    return parse_group (ps, arg->list, depth);
  if (arg->type != MS_IMAP_ARG_ATOM)
    {
      ps->error = "Invalid search key";
      return NULL;
    }
  name = arg->str;
  if (g_ascii_isdigit (name[0]) || name[0] == '*')
    return parse_set (ps, name, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (flag_keys); i++)
    if (g_ascii_strcasecmp (name, flag_keys[i].name) == 0)
      {
        Key *key = key_new (KEY_FLAG);
        key->flag = flag_keys[i].flag;
        key->want = flag_keys[i].want;
        return key;
      }
  for (guint i = 0; i < G_N_ELEMENTS (date_keys); i++)
    if (g_ascii_strcasecmp (name, date_keys[i].name) == 0)
      {
        Key *key;
        gint64 days;

        if ((s = next_string (ps)) == NULL)
          return NULL;
        if (!ms_imap_parse_date (s, &days))
          {
            ps->error = "Invalid search date";
            return NULL;
          }
        key = key_new (date_keys[i].type);
        key->number = days;
        return key;
      }
  for (guint i = 0; i < G_N_ELEMENTS (header_keys); i++)
    if (g_ascii_strcasecmp (name, header_keys[i].name) == 0)
      {
        Key *key;

        if ((s = next_string (ps)) == NULL)
          return NULL;
        key = key_new (KEY_HEADER);
        key->field = g_strdup (header_keys[i].field);
        key->value = g_strdup (s);
        return key;
      }

  if (g_ascii_strcasecmp (name, "ALL") == 0)
    return key_new (KEY_ALL);
  if (g_ascii_strcasecmp (name, "RECENT") == 0)
    return key_new (KEY_RECENT);
  if (g_ascii_strcasecmp (name, "OLD") == 0)
    {
      Key *key = key_new (KEY_RECENT);
      key->want = FALSE;
      return key;
    }
  if (g_ascii_strcasecmp (name, "NEW") == 0)
    return key_new (KEY_NEW);
  if (g_ascii_strcasecmp (name, "KEYWORD") == 0 || g_ascii_strcasecmp (name, "UNKEYWORD") == 0)
    {
      Key *key;

      if ((s = next_string (ps)) == NULL)
        return NULL;
      key = key_new (KEY_KEYWORD);
      key->want = g_ascii_strcasecmp (name, "KEYWORD") == 0;
      key->value = g_strdup (s);
      return key;
    }
  if (g_ascii_strcasecmp (name, "LARGER") == 0 || g_ascii_strcasecmp (name, "SMALLER") == 0)
    {
      Key *key;
      char *end = NULL;
      guint64 n;

      if ((s = next_string (ps)) == NULL)
        return NULL;
      n = g_ascii_strtoull (s, &end, 10);
      if (!g_ascii_isdigit (s[0]) || *end != '\0' || n > G_MAXUINT32)
        {
          ps->error = "Invalid size";
          return NULL;
        }
      key = key_new (g_ascii_strcasecmp (name, "LARGER") == 0 ? KEY_LARGER : KEY_SMALLER);
      key->number = (gint64) n;
      return key;
    }
  if (g_ascii_strcasecmp (name, "HEADER") == 0)
    {
      Key *key;
      const char *field;

      if ((field = next_string (ps)) == NULL || (s = next_string (ps)) == NULL)
        return NULL;
      key = key_new (KEY_HEADER);
      key->field = g_strdup (field);
      key->value = g_strdup (s);
      return key;
    }
  if (g_ascii_strcasecmp (name, "BODY") == 0 || g_ascii_strcasecmp (name, "TEXT") == 0)
    {
      Key *key;

      if ((s = next_string (ps)) == NULL)
        return NULL;
      key = key_new (g_ascii_strcasecmp (name, "BODY") == 0 ? KEY_BODY : KEY_TEXT);
      key->value = g_strdup (s);
      return key;
    }
  if (g_ascii_strcasecmp (name, "UID") == 0)
    {
      if ((s = next_string (ps)) == NULL)
        return NULL;
      return parse_set (ps, s, TRUE);
    }
  if (g_ascii_strcasecmp (name, "NOT") == 0)
    {
      Key *key, *child = parse_key (ps, next_arg (ps), depth + 1);

      if (child == NULL)
        return NULL;
      key = key_new (KEY_NOT);
      key->children = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
      g_ptr_array_add (key->children, child);
      return key;
    }
  if (g_ascii_strcasecmp (name, "OR") == 0)
    {
      g_autoptr(Key) key = key_new (KEY_OR);

      key->children = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
      for (guint i = 0; i < 2; i++)
        {
          Key *child = parse_key (ps, next_arg (ps), depth + 1);

          if (child == NULL)
            return NULL;
          g_ptr_array_add (key->children, child);
        }
      return g_steal_pointer (&key);
    }
  ps->error = "Unknown search key";
  return NULL;
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The day (since the epoch) a message was sent, in the time zone its Date:
 * header gives; without a readable Date: the internal date's day, as
 * Dovecot does. */
static gint64
sent_day (MsMessage *message)
{
  g_autofree char *date = ms_mime_get_header (message, "Date");
  g_autoptr(GDateTime) dt = NULL;
  gint64 t;

  if (date != NULL && (dt = g_mime_utils_header_decode_date (date)) != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_utc (g_date_time_get_year (dt),
                                                      g_date_time_get_month (dt),
                                                      g_date_time_get_day_of_month (dt), 0, 0, 0);
      if (utc)
        return g_date_time_to_unix (utc) / 86400;
    }
  t = ms_mime_get_sent_date (message);
  if (t >= 0)
    return t / 86400;
  return floor_div (ms_message_get_internal_date (message) +
                    (gint64) ms_message_get_internal_date_offset (message) * 60, 86400);
}

static gboolean
matches (MsImapServerSession *self,
         const Key           *key,
         MsMessage           *message,
         guint                index)
{
  gint64 day;

  switch (key->type)
    {
    case KEY_AND:
      for (guint i = 0; i < key->children->len; i++)
        if (!matches (self, g_ptr_array_index (key->children, i), message, index))
          return FALSE;
      return TRUE;
    case KEY_OR:
      return matches (self, g_ptr_array_index (key->children, 0), message, index) ||
             matches (self, g_ptr_array_index (key->children, 1), message, index);
    case KEY_NOT:
      return !matches (self, g_ptr_array_index (key->children, 0), message, index);
    case KEY_ALL:
      return TRUE;
    case KEY_FLAG:
      return ms_message_has_flag (message, key->flag) == key->want;
    case KEY_KEYWORD:
      return ms_message_has_keyword (message, key->value) == key->want;
    case KEY_RECENT:
      return g_hash_table_contains (self->recent, GUINT_TO_POINTER (ms_message_get_uid (message))) == key->want;
    case KEY_NEW:
      return g_hash_table_contains (self->recent, GUINT_TO_POINTER (ms_message_get_uid (message))) &&
             !ms_message_has_flag (message, MS_FLAG_SEEN);
    case KEY_LARGER:
      return (gint64) ms_message_get_size (message) > key->number;
    case KEY_SMALLER:
      return (gint64) ms_message_get_size (message) < key->number;
    case KEY_HEADER:
      return ms_mime_header_contains (message, key->field, key->value);
    case KEY_BODY:
      return ms_mime_body_contains (message, key->value);
    case KEY_TEXT:
      return ms_mime_text_contains (message, key->value);
    case KEY_BEFORE:
    case KEY_ON:
    case KEY_SINCE:
      /* The internal date's own day, in its own time zone. */
      day = floor_div (ms_message_get_internal_date (message) +
                       (gint64) ms_message_get_internal_date_offset (message) * 60, 86400);
      break;
    case KEY_SENTBEFORE:
    case KEY_SENTON:
    case KEY_SENTSINCE:
      day = sent_day (message);
      if (day < 0)
        return FALSE;
      break;
    case KEY_SET:
      return ms_imap_ranges_contain (key->ranges, index);
    default:
      g_assert_not_reached ();
    }
  switch (key->type)
    {
    case KEY_BEFORE: case KEY_SENTBEFORE: return day < key->number;
    case KEY_ON:     case KEY_SENTON:     return day == key->number;
    default:                              return day >= key->number;
    }
}

void
ms_imap_cmd_search (MsImapServerSession *self,
                    MsImapCommand       *cmd,
                    gboolean             uid)
{
  Parse ps = { self, cmd->args, 0, 0, NULL, FALSE };
  g_autoptr(Key) key = NULL;
  g_autoptr(GString) out = g_string_new ("SEARCH");

  if (cmd->args->len >= 2 && ms_imap_arg_is_atom (g_ptr_array_index (cmd->args, 0), "CHARSET"))
    {
      const MsImapArg *charset = g_ptr_array_index (cmd->args, 1);

      if (!ms_imap_arg_is_string (charset))
        {
          ms_imap_session_bad (self, cmd, "Invalid charset.");
          return;
        }
      if (g_ascii_strcasecmp (charset->str, "UTF-8") != 0 && g_ascii_strcasecmp (charset->str, "US-ASCII") != 0)
        {
          ms_imap_session_done (self, cmd, "NO", "[BADCHARSET (US-ASCII UTF-8)] Unsupported charset.");
          return;
        }
      ps.pos = 2;
    }
  if (ps.pos >= cmd->args->len)
    {
      ms_imap_session_bad (self, cmd, "SEARCH needs search keys.");
      return;
    }
  {
    g_autoptr(GPtrArray) rest = g_ptr_array_new ();

    for (guint i = ps.pos; i < cmd->args->len; i++)
      g_ptr_array_add (rest, g_ptr_array_index (cmd->args, i));
    ps.pos = 0;
    key = parse_group (&ps, rest, 0);
  }
  if (key == NULL && ps.over_limit)
    {
      ms_imap_session_done (self, cmd, "NO", "[LIMIT] %s (at most %u keys, nested %u deep).",
                            ps.error, MS_LIMIT_IMAP_SEARCH_KEYS, MS_LIMIT_IMAP_SEARCH_DEPTH);
      return;
    }
  if (key == NULL)
    {
      ms_imap_session_bad (self, cmd, ps.error ? ps.error : "Invalid search.");
      return;
    }
  for (guint i = 0; i < self->view->len; i++)
    {
      MsMessage *message = g_ptr_array_index (self->view, i);

      if (!ms_imap_view_is_live (self, i) || !matches (self, key, message, i))
        continue;
      g_string_append_printf (out, " %u", uid ? ms_message_get_uid (message) : i + 1);
    }
  ms_imap_session_untagged (self, "%s", out->str);
  ms_imap_session_done (self, cmd, "OK", "Search completed.");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-assertion"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-assertion.h"
#include "ms-device-private.h"
#include "ms-display-names.h"
#include "ms-sim-sessions.h"
#include "ms-transcript-entry-private.h"
#include "ms-world-private.h"

typedef enum {
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
} Op;

typedef enum {
  /* what              arguments (before the comparison, if any) */
  A_SERVER_COUNT,      /* MAILBOX OP N */
  A_DEVICE_COUNT,      /* DEVICE MAILBOX OP N */
  A_SERVER_HAS,        /* SUBJECT [MAILBOX] */
  A_SERVER_LACKS,
  A_DEVICE_HAS,        /* DEVICE SUBJECT [MAILBOX] */
  A_DEVICE_LACKS,
  A_SERVER_FLAG,       /* SUBJECT FLAG */
  A_SERVER_NOT_FLAG,
  A_DEVICE_FLAG,       /* DEVICE SUBJECT FLAG */
  A_DEVICE_NOT_FLAG,
  A_SERVER_FOLDER,     /* NAME */
  A_SERVER_NO_FOLDER,
  A_DEVICE_FOLDER,     /* DEVICE NAME */
  A_DEVICE_NO_FOLDER,
  A_TRANSCRIPT_CONTAINS, /* TEXT */
  A_TRANSCRIPT_LACKS,
  A_STEP_CONTAINS,     /* TEXT: in this step's entries only */
  A_STEP_LACKS,
  A_BYTES_DOWN,        /* DEVICE OP N */
  A_BYTES_UP,
  A_STEP_BYTES_DOWN,   /* DEVICE OP N: in this step only */
  A_STEP_TRAFFIC,      /* DEVICE OP N: bytes either way in this step */
  A_ROUND_TRIPS,
  A_CONNECTIONS,
  A_BYTES_DOWN_LESS,   /* DEVICE DEVICE: the first received fewer bytes */
  A_DEVICE_ONLINE,     /* DEVICE */
  A_DEVICE_OFFLINE,
  A_DEVICE_CONNECTED,
  A_DEVICE_DISCONNECTED,
  A_SERVER_STORAGE,    /* OP N */
  A_DEVICE_STORAGE,    /* DEVICE OP N */
} What;

static const struct {
  const char *name;
  What        what;
  guint       min_args;
  guint       max_args;
  gboolean    compares;
  gint        device_arg;   /* index of a device name, -1 none */
} table[] = {
  { "server-count",        A_SERVER_COUNT,        1, 1, TRUE,  -1 },
  { "device-count",        A_DEVICE_COUNT,        2, 2, TRUE,   0 },
  { "server-has",          A_SERVER_HAS,          1, 2, FALSE, -1 },
  { "server-lacks",        A_SERVER_LACKS,        1, 2, FALSE, -1 },
  { "device-has",          A_DEVICE_HAS,          2, 3, FALSE,  0 },
  { "device-lacks",        A_DEVICE_LACKS,        2, 3, FALSE,  0 },
  { "server-flag",         A_SERVER_FLAG,         2, 2, FALSE, -1 },
  { "server-not-flag",     A_SERVER_NOT_FLAG,     2, 2, FALSE, -1 },
  { "device-flag",         A_DEVICE_FLAG,         3, 3, FALSE,  0 },
  { "device-not-flag",     A_DEVICE_NOT_FLAG,     3, 3, FALSE,  0 },
  { "server-folder",       A_SERVER_FOLDER,       1, 1, FALSE, -1 },
  { "server-no-folder",    A_SERVER_NO_FOLDER,    1, 1, FALSE, -1 },
  { "device-folder",       A_DEVICE_FOLDER,       2, 2, FALSE,  0 },
  { "device-no-folder",    A_DEVICE_NO_FOLDER,    2, 2, FALSE,  0 },
  { "transcript-contains", A_TRANSCRIPT_CONTAINS, 1, 1, FALSE, -1 },
  { "transcript-lacks",    A_TRANSCRIPT_LACKS,    1, 1, FALSE, -1 },
  { "step-contains",       A_STEP_CONTAINS,       1, 1, FALSE, -1 },
  { "step-lacks",          A_STEP_LACKS,          1, 1, FALSE, -1 },
  { "bytes-down",          A_BYTES_DOWN,          1, 1, TRUE,   0 },
  { "bytes-up",            A_BYTES_UP,            1, 1, TRUE,   0 },
  { "step-bytes-down",     A_STEP_BYTES_DOWN,     1, 1, TRUE,   0 },
  { "step-traffic",        A_STEP_TRAFFIC,        1, 1, TRUE,   0 },
  { "round-trips",         A_ROUND_TRIPS,         1, 1, TRUE,   0 },
  { "connections",         A_CONNECTIONS,         1, 1, TRUE,   0 },
  { "bytes-down-less",     A_BYTES_DOWN_LESS,     2, 2, FALSE,  0 },
  { "device-online",       A_DEVICE_ONLINE,       1, 1, FALSE,  0 },
  { "device-offline",      A_DEVICE_OFFLINE,      1, 1, FALSE,  0 },
  { "device-connected",    A_DEVICE_CONNECTED,    1, 1, FALSE,  0 },
  { "device-disconnected", A_DEVICE_DISCONNECTED, 1, 1, FALSE,  0 },
  { "server-storage",      A_SERVER_STORAGE,      0, 0, TRUE,  -1 },
  { "device-storage",      A_DEVICE_STORAGE,      1, 1, TRUE,   0 },
};

static const char * const op_names[] = { "==", "!=", "<", "<=", ">", ">=" };

struct _MsAssertion
{
  char    *text;
  What     what;
  GStrv    args;
  GStrv    devices;
  Op       op;
  guint64  number;
};

void
ms_assertion_free (MsAssertion *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_strfreev (self->args);
  g_strfreev (self->devices);
  g_free (self);
}

/* Words separated by spaces; "double" or 'single' quotes group words. There are no
 * escapes, so that \Seen stays \Seen (a shell-like parser would eat the
 * backslash). */
static GStrv
split_words (const char  *text,
             GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      if (*p == '"' || *p == '\'')
        {
          const char *close = strchr (p + 1, *p);
          g_autofree char *word = NULL;

          if (close == NULL)
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, _("a quote is not closed"));
              return NULL;
            }
          word = g_strndup (p + 1, (gsize) (close - p - 1));
          g_strv_builder_add (builder, word);
          p = close + 1;
          continue;
        }
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
      {
        g_autofree char *word = g_strndup (start, (gsize) (p - start));

        g_strv_builder_add (builder, word);
      }
    }
  return g_strv_builder_end (builder);
}

MsAssertion *
ms_assertion_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(MsAssertion) self = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local = NULL;
  int argc = 0;
  guint n_args;

  g_return_val_if_fail (text != NULL, NULL);

  argv = split_words (text, &local);
  if (argv == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("cannot read the assertion “%s”: %s"), text, local->message);
      return NULL;
    }
  argc = (int) g_strv_length (argv);
  if (argc == 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, _("an empty assertion"));
      return NULL;
    }

  self = g_new0 (MsAssertion, 1);
  self->text = g_strdup (text);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (!g_str_equal (table[i].name, argv[0]))
        continue;

      n_args = (guint) argc - 1;
      self->what = table[i].what;
      if (table[i].compares)
        {
          /* "... OP N" or just "... N", which means "== N". */
          guint64 number;
          guint op_len = 0;

          if (n_args < 1 || !g_ascii_string_to_unsigned (argv[argc - 1], 10, 0, G_MAXUINT64, &number, NULL))
            goto bad;
          self->number = number;
          self->op = OP_EQ;
          if (n_args >= 2)
            for (guint o = 0; o < G_N_ELEMENTS (op_names); o++)
              if (g_str_equal (argv[argc - 2], op_names[o]))
                {
                  self->op = (Op) o;
                  op_len = 1;
                }
          n_args -= 1 + op_len;
        }
      if (n_args < table[i].min_args || n_args > table[i].max_args)
        goto bad;
      self->args = g_new0 (char *, n_args + 1);
      for (guint a = 0; a < n_args; a++)
        self->args[a] = g_strdup (argv[a + 1]);
      if (table[i].device_arg >= 0)
        {
          gboolean two = self->what == A_BYTES_DOWN_LESS;

          self->devices = g_new0 (char *, 3);
          self->devices[0] = g_strdup (self->args[0]);
          if (two)
            self->devices[1] = g_strdup (self->args[1]);
        }
      else
        self->devices = g_new0 (char *, 1);
      if ((self->what == A_SERVER_FLAG || self->what == A_SERVER_NOT_FLAG ||
           self->what == A_DEVICE_FLAG || self->what == A_DEVICE_NOT_FLAG))
        {
          const char *flag = self->args[n_args - 1];

          if (flag[0] == '\\' ? ms_flag_from_string (flag) == MS_FLAG_NONE : !ms_keyword_is_valid (flag))
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("“%s” is not a flag (\\Seen, \\Answered, \\Flagged, \\Deleted, \\Draft or a keyword)"),
                           flag);
              return NULL;
            }
        }
      return g_steal_pointer (&self);
    }

  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("unknown assertion “%s”"), argv[0]);
  return NULL;

bad:
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("wrong arguments in the assertion “%s”"), text);
  return NULL;
}

const char *
ms_assertion_get_text (MsAssertion *self)
{
  return self->text;
}

const char * const *
ms_assertion_get_devices (MsAssertion *self)
{
  return (const char * const *) self->devices;
}

static gboolean
compare (Op      op,
         guint64 a,
         guint64 b)
{
  switch (op)
    {
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    default: g_assert_not_reached ();
    }
}

static MsMessage *
find_message (MsAccount  *account,
              const char *subject,
              const char *mailbox_name)
{
  GPtrArray *boxes = NULL;

  if (account == NULL)
    return NULL;
  boxes = ms_account_list_mailboxes (account);
  for (guint b = 0; b < boxes->len; b++)
    {
      MsMailbox *box = g_ptr_array_index (boxes, b);
      guint n = ms_mailbox_get_n_messages (box);

      if (mailbox_name != NULL && g_ascii_strcasecmp (ms_mailbox_get_name (box), mailbox_name) != 0)
        continue;
      for (guint i = 0; i < n; i++)
        {
          MsMessage *message = ms_mailbox_get_message (box, i);
          g_autofree char *s = ms_world_raw_subject (ms_message_get_raw (message));

          if (strstr (s, subject) != NULL)
            return message;
        }
    }
  return NULL;
}

static MsAccount *
device_account (MsDevice *device)
{
  MsStore *store = ms_device_get_local_store (device);
  GPtrArray *accounts = NULL;

  if (store == NULL)
    return NULL;
  accounts = ms_store_list_accounts (store);
  return accounts->len > 0 ? g_ptr_array_index (accounts, 0) : NULL;
}

static gboolean
has_flag (MsMessage  *message,
          const char *flag)
{
  if (flag[0] == '\\')
    return ms_message_has_flag (message, ms_flag_from_string (flag));
  return ms_message_has_keyword (message, flag);
}

static guint64
step_bytes (MsWorld    *world,
            const char *device,
            guint       step,
            gboolean    both_ways)
{
  MsTranscript *transcript = ms_world_get_transcript (world);
  guint64 total = 0;

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *e = ms_transcript_get_entry (transcript, i);

      if (e->step == step && e->kind == MS_TRANSCRIPT_CHUNK &&
          (both_ways || e->direction == MS_DIRECTION_TO_CLIENT) && g_strcmp0 (e->device, device) == 0)
        total += e->wire_size;
    }
  return total;
}

static gboolean
step_contains (MsWorld    *world,
               guint       step,
               const char *needle)
{
  MsTranscript *transcript = ms_world_get_transcript (world);

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *e = ms_transcript_get_entry (transcript, i);

      if (e->step != step || e->kind == MS_TRANSCRIPT_NARRATION || e->kind == MS_TRANSCRIPT_STEP)
        continue;
      if (e->text != NULL && strstr (e->text, needle) != NULL)
        return TRUE;
      for (guint j = 0; e->lines != NULL && e->lines[j] != NULL; j++)
        if (strstr (e->lines[j], needle) != NULL)
          return TRUE;
    }
  return FALSE;
}

static guint64
account_size (MsAccount *account)
{
  return account != NULL ? ms_account_get_total_size (account) : 0;
}

gboolean
ms_assertion_check (MsAssertion  *self,
                    MsWorld      *world,
                    guint         step,
                    MsPhrase    **detail)
{
  MsAccount *server = ms_world_get_account (world);
  MsDevice *device = NULL;
  MsAccount *local = NULL;
  char **a = self->args;
  guint64 value = 0;
  gboolean ok = FALSE;
  g_autoptr(MsPhrase) found = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (MS_IS_WORLD (world), FALSE);

  if (self->devices[0] != NULL)
    {
      device = ms_world_lookup_device (world, self->devices[0]);
      if (device == NULL)
        {
          *detail = ms_phrase_new (NC_ ("transcript", "there is no device “%s”"),
                                   ms_phrase_device (self->devices[0]));
          return FALSE;
        }
      local = device_account (device);
    }

  switch (self->what)
    {
    case A_SERVER_COUNT:
    case A_DEVICE_COUNT:
      {
        MsAccount *account = self->what == A_SERVER_COUNT ? server : local;
        const char *name = self->what == A_SERVER_COUNT ? a[0] : a[1];
        MsMailbox *box = account != NULL ? ms_account_lookup_mailbox (account, name) : NULL;

        value = box != NULL ? ms_mailbox_get_n_messages (box) : 0;
        ok = compare (self->op, value, self->number);
        /* The English says "1 messages", as the golden transcripts do; the
         * plural is there for languages that tell one from several. */
        if (box == NULL)
          found = ms_phrase_new_plural (MS_NP ("transcript", "%s holds %u messages (there is no such folder)",
                                               "%s holds %u messages (there is no such folder)"),
                                        value, ms_phrase_text (name), ms_phrase_uint (value));
        else
          found = ms_phrase_new_plural (MS_NP ("transcript", "%s holds %u messages", "%s holds %u messages"),
                                        value, ms_phrase_text (name), ms_phrase_uint (value));
      }
      break;

    case A_SERVER_HAS:
    case A_SERVER_LACKS:
    case A_DEVICE_HAS:
    case A_DEVICE_LACKS:
      {
        gboolean on_server = self->what == A_SERVER_HAS || self->what == A_SERVER_LACKS;
        const char *subject = on_server ? a[0] : a[1];
        const char *box = on_server ? a[1] : (a[1] != NULL ? a[2] : NULL);
        MsMessage *m = find_message (on_server ? server : local, subject, box);
        gboolean want = self->what == A_SERVER_HAS || self->what == A_DEVICE_HAS;

        ok = (m != NULL) == want;
        if (m != NULL)
          found = ms_phrase_new (NC_ ("transcript", "“%s” is there"), ms_phrase_text (subject));
        else
          found = ms_phrase_new (NC_ ("transcript", "“%s” is not there"), ms_phrase_text (subject));
      }
      break;

    case A_SERVER_FLAG:
    case A_SERVER_NOT_FLAG:
    case A_DEVICE_FLAG:
    case A_DEVICE_NOT_FLAG:
      {
        gboolean on_server = self->what == A_SERVER_FLAG || self->what == A_SERVER_NOT_FLAG;
        const char *subject = on_server ? a[0] : a[1];
        const char *flag = on_server ? a[1] : a[2];
        MsMessage *m = find_message (on_server ? server : local, subject, NULL);
        gboolean want = self->what == A_SERVER_FLAG || self->what == A_DEVICE_FLAG;

        if (m == NULL)
          found = ms_phrase_new (NC_ ("transcript", "there is no message “%s”"), ms_phrase_text (subject));
        else
          {
            ok = has_flag (m, flag) == want;
            if (has_flag (m, flag))
              found = ms_phrase_new (NC_ ("transcript", "“%s” has %s"),
                                     ms_phrase_text (subject), ms_phrase_text (flag));
            else
              found = ms_phrase_new (NC_ ("transcript", "“%s” lacks %s"),
                                     ms_phrase_text (subject), ms_phrase_text (flag));
          }
      }
      break;

    case A_SERVER_FOLDER:
    case A_SERVER_NO_FOLDER:
    case A_DEVICE_FOLDER:
    case A_DEVICE_NO_FOLDER:
      {
        gboolean on_server = self->what == A_SERVER_FOLDER || self->what == A_SERVER_NO_FOLDER;
        const char *name = on_server ? a[0] : a[1];
        MsAccount *account = on_server ? server : local;
        gboolean exists = account != NULL && ms_account_lookup_mailbox (account, name) != NULL;
        gboolean want = self->what == A_SERVER_FOLDER || self->what == A_DEVICE_FOLDER;

        ok = exists == want;
        if (exists)
          found = ms_phrase_new (NC_ ("transcript", "folder “%s” exists"), ms_phrase_text (name));
        else
          found = ms_phrase_new (NC_ ("transcript", "folder “%s” does not exist"), ms_phrase_text (name));
      }
      break;

    case A_TRANSCRIPT_CONTAINS:
    case A_TRANSCRIPT_LACKS:
      {
        gboolean has = ms_transcript_contains (ms_world_get_transcript (world), a[0]);

        ok = has == (self->what == A_TRANSCRIPT_CONTAINS);
        if (has)
          found = ms_phrase_new (NC_ ("transcript", "the transcript contains “%s”"), ms_phrase_text (a[0]));
        else
          found = ms_phrase_new (NC_ ("transcript", "the transcript does not contain “%s”"),
                                 ms_phrase_text (a[0]));
      }
      break;

    case A_STEP_CONTAINS:
    case A_STEP_LACKS:
      {
        gboolean has = step_contains (world, step, a[0]);

        ok = has == (self->what == A_STEP_CONTAINS);
        if (has)
          found = ms_phrase_new (NC_ ("transcript", "this step contains “%s”"), ms_phrase_text (a[0]));
        else
          found = ms_phrase_new (NC_ ("transcript", "this step does not contain “%s”"),
                                 ms_phrase_text (a[0]));
      }
      break;

    case A_BYTES_DOWN:
    case A_BYTES_UP:
    case A_STEP_BYTES_DOWN:
    case A_STEP_TRAFFIC:
    case A_ROUND_TRIPS:
    case A_CONNECTIONS:
    case A_DEVICE_STORAGE:
      {
        const char *what = "";

        switch (self->what)
          {
          case A_BYTES_DOWN:
            value = ms_device_get_bytes_down (device);
            what = NC_ ("transcript", "%s: %u bytes from the server");
            break;
          case A_BYTES_UP:
            value = ms_device_get_bytes_up (device);
            what = NC_ ("transcript", "%s: %u bytes to the server");
            break;
          case A_STEP_BYTES_DOWN:
            value = step_bytes (world, a[0], step, FALSE);
            what = NC_ ("transcript", "%s: %u bytes from the server in this step");
            break;
          case A_STEP_TRAFFIC:
            value = step_bytes (world, a[0], step, TRUE);
            what = NC_ ("transcript", "%s: %u bytes on the network in this step");
            break;
          case A_ROUND_TRIPS:
            value = ms_device_get_round_trips (device);
            what = NC_ ("transcript", "%s: %u round trips");
            break;
          case A_CONNECTIONS:
            value = ms_device_get_connections (device);
            what = NC_ ("transcript", "%s: %u connections");
            break;
          case A_DEVICE_STORAGE:
            value = account_size (local);
            what = NC_ ("transcript", "%s: %u bytes stored on the device");
            break;
          default: g_assert_not_reached ();
          }
        ok = compare (self->op, value, self->number);
        found = ms_phrase_new (what, ms_phrase_device (a[0]), ms_phrase_uint (value));
      }
      break;

    case A_SERVER_STORAGE:
      value = account_size (server);
      ok = compare (self->op, value, self->number);
      found = ms_phrase_new (NC_ ("transcript", "the server stores %u bytes"), ms_phrase_uint (value));
      break;

    case A_BYTES_DOWN_LESS:
      {
        MsDevice *other = ms_world_lookup_device (world, a[1]);

        if (other == NULL)
          {
            *detail = ms_phrase_new (NC_ ("transcript", "there is no device “%s”"), ms_phrase_device (a[1]));
            return FALSE;
          }
        ok = ms_device_get_bytes_down (device) < ms_device_get_bytes_down (other);
        found = ms_phrase_new (NC_ ("transcript", "%s: %u bytes, %s: %u bytes"),
                               ms_phrase_device (a[0]), ms_phrase_uint (ms_device_get_bytes_down (device)),
                               ms_phrase_device (a[1]), ms_phrase_uint (ms_device_get_bytes_down (other)));
      }
      break;

    case A_DEVICE_ONLINE:
    case A_DEVICE_OFFLINE:
      ok = ms_device_get_online (device) == (self->what == A_DEVICE_ONLINE);
      if (ms_device_get_online (device))
        found = ms_phrase_new (NC_ ("transcript", "%s is online"), ms_phrase_device (a[0]));
      else
        found = ms_phrase_new (NC_ ("transcript", "%s is offline"), ms_phrase_device (a[0]));
      break;

    case A_DEVICE_CONNECTED:
    case A_DEVICE_DISCONNECTED:
      {
        gboolean connected = ms_device_get_connected (device);

        ok = connected == (self->what == A_DEVICE_CONNECTED);
        if (connected)
          found = ms_phrase_new (NC_ ("transcript", "%s is connected"), ms_phrase_device (a[0]));
        else
          found = ms_phrase_new (NC_ ("transcript", "%s is not connected"), ms_phrase_device (a[0]));
      }
      break;

    default:
      g_assert_not_reached ();
    }

  *detail = g_steal_pointer (&found);
  return ok;
}

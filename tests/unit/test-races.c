/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sessions racing on one store: three IMAP sessions interleave UID STORE,
 * EXPUNGE, UID MOVE, NOOP, APPEND and SELECT in an order drawn from a fixed
 * seed, so a failure replays exactly. After every step no message exists
 * twice and a message only ever disappears by EXPUNGE of a \Deleted one; at
 * the end each session, after a NOOP, reports the same UIDs and flags as the
 * store holds. */
#define G_LOG_DOMAIN "test-races"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ms-imap-server-session.h"
#include "ms-store.h"

#define N_SESSIONS 3
#define N_STEPS    4000
#define N_SEED     40

typedef struct
{
  MsStore             *store;
  MsAccount           *account;
  MsImapServerSession *sessions[N_SESSIONS];
  const char          *selected[N_SESSIONS];
  guint                tag;
  guint                next_id;
  GRand               *rand;
} Race;

static const char *const mailbox_names[] = { "INBOX", "Archive" };

static char *
drain (MsImapServerSession *session)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  for (;;)
    {
      if (ms_server_session_get_hold_ms (MS_SERVER_SESSION (session)) > 0)
        ms_server_session_release_hold (MS_SERVER_SESSION (session));
      if (ms_server_session_take_output (MS_SERVER_SESSION (session), out) == 0)
        break;
    }
  return g_strndup ((const char *) out->data, out->len);
}

/* Sends one command and returns everything the session answered; the tagged
 * answer must be OK or NO (never BAD: the commands are well formed). */
static char *
command (Race       *race,
         guint       who,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static char *
command (Race       *race,
         guint       who,
         const char *format,
         ...)
{
  MsImapServerSession *session = race->sessions[who];
  g_autofree char *body = NULL;
  g_autofree char *line = NULL;
  g_autofree char *tagged = NULL;
  char *answer;
  va_list args;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);
  race->tag++;
  line = g_strdup_printf ("t%u %s\r\n", race->tag, body);
  ms_server_session_feed (MS_SERVER_SESSION (session), (const guint8 *) line, strlen (line));
  answer = drain (session);
  tagged = g_strdup_printf ("t%u OK", race->tag);
  if (strstr (answer, tagged) == NULL)
    {
      g_autofree char *no = g_strdup_printf ("t%u NO", race->tag);

      if (strstr (answer, no) == NULL)
        g_error ("session %u: \"%s\" got:\n%s", who, body, answer);
    }
  g_assert_false (ms_server_session_is_finished (MS_SERVER_SESSION (session)));
  return answer;
}

static void
append_new (Race *race)
{
  MsMailbox *mailbox = ms_account_lookup_mailbox (race->account,
                                                  mailbox_names[g_rand_int_range (race->rand, 0, 2)]);
  g_autofree char *text = g_strdup_printf ("Subject: race\r\nX-Id: %u\r\n\r\nBody %u.\r\n",
                                           race->next_id, race->next_id);
  g_autoptr(GBytes) raw = g_bytes_new_take (g_steal_pointer (&text), strlen (text));

  race->next_id++;
  ms_mailbox_append (mailbox, raw, MS_FLAG_NONE, NULL, 0, 0);
}

static guint
message_id (MsMessage *message)
{
  gsize len;
  const char *raw = g_bytes_get_data (ms_message_get_raw (message), &len);
  const char *id = g_strstr_len (raw, len, "X-Id: ");

  g_assert_nonnull (id);
  return (guint) strtoul (id + 6, NULL, 10);
}

/* id -> flags of every message in the account; asserts each id is there once. */
static GHashTable *
snapshot (Race *race)
{
  GHashTable *ids = g_hash_table_new (NULL, NULL);

  for (guint m = 0; m < G_N_ELEMENTS (mailbox_names); m++)
    {
      MsMailbox *mailbox = ms_account_lookup_mailbox (race->account, mailbox_names[m]);

      for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
        {
          MsMessage *message = ms_mailbox_get_message (mailbox, i);
          guint id = message_id (message);

          if (g_hash_table_contains (ids, GUINT_TO_POINTER (id)))
            g_error ("message %u exists twice", id);
          g_hash_table_insert (ids, GUINT_TO_POINTER (id), GUINT_TO_POINTER (ms_message_get_flags (message) | 0x100));
        }
    }
  return ids;
}

/* A random UID of the mailbox @who has selected (or a stale one: racing
 * sessions do refer to messages another one just removed). */
static guint32
pick_uid (Race *race,
          guint who)
{
  MsMailbox *mailbox = ms_account_lookup_mailbox (race->account, race->selected[who]);
  guint n = ms_mailbox_get_n_messages (mailbox);

  if (n == 0 || g_rand_int_range (race->rand, 0, 10) == 0)
    return (guint32) g_rand_int_range (race->rand, 1, (gint32) ms_mailbox_get_uidnext (mailbox) + 1);
  return ms_message_get_uid (ms_mailbox_get_message (mailbox, (guint) g_rand_int_range (race->rand, 0, (gint32) n)));
}

static void
step (Race *race)
{
  static const char *const flags[] = { "\\Seen", "\\Flagged", "\\Deleted", "\\Answered" };
  guint who = (guint) g_rand_int_range (race->rand, 0, N_SESSIONS);
  guint op = (guint) g_rand_int_range (race->rand, 0, 100);
  g_autoptr(GHashTable) before = snapshot (race);
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *answer = NULL;
  gboolean expunge = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  if (op < 40)
    answer = command (race, who, "UID STORE %u %cFLAGS (%s)", pick_uid (race, who),
                      g_rand_boolean (race->rand) ? '+' : '-',
                      flags[g_rand_int_range (race->rand, 0, G_N_ELEMENTS (flags))]);
  else if (op < 50)
    {
      answer = command (race, who, "EXPUNGE");
      expunge = TRUE;
    }
  else if (op < 70)
    {
      guint32 uid = pick_uid (race, who);
      const char *to = strcmp (race->selected[who], "INBOX") == 0 ? "Archive" : "INBOX";

      answer = command (race, who, "UID MOVE %u:%u %s", uid, uid + (guint32) g_rand_int_range (race->rand, 0, 3), to);
    }
  else if (op < 90)
    answer = command (race, who, "NOOP");
  else if (op < 95)
    append_new (race);
  else
    {
      race->selected[who] = mailbox_names[g_rand_int_range (race->rand, 0, 2)];
      answer = command (race, who, "SELECT %s", race->selected[who]);
    }

  /* Nothing was doubled (snapshot() checks), and whatever vanished was an
   * expunged \Deleted message. */
  after = snapshot (race);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (after, key))
      {
        g_assert_true (expunge);
        g_assert_true (GPOINTER_TO_UINT (value) & MS_FLAG_DELETED);
      }
}

/* Parses the FETCH lines of @answer and compares them with the mailbox. */
static void
assert_view_agrees (MsMailbox  *mailbox,
                    const char *answer)
{
  g_auto(GStrv) lines = g_strsplit (answer, "\r\n", -1);
  guint seen = 0;

  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      guint seq;
      const char *uid_at, *flags_at, *end;
      MsMessage *message;
      MsFlags flags = MS_FLAG_NONE;
      g_auto(GStrv) names = NULL;
      g_autofree char *list = NULL;

      if (!g_str_has_prefix (line, "* ") || strstr (line, " FETCH (") == NULL)
        continue;
      seq = (guint) strtoul (line + 2, NULL, 10);
      uid_at = strstr (line, "UID ");
      flags_at = strstr (line, "FLAGS (");
      g_assert_nonnull (uid_at);
      g_assert_nonnull (flags_at);
      end = strchr (flags_at + 7, ')');
      g_assert_nonnull (end);
      g_assert_cmpuint (seq, >=, 1);
      g_assert_cmpuint (seq, <=, ms_mailbox_get_n_messages (mailbox));
      message = ms_mailbox_get_message (mailbox, seq - 1);
      g_assert_cmpuint (strtoul (uid_at + 4, NULL, 10), ==, ms_message_get_uid (message));
      list = g_strndup (flags_at + 7, (gsize) (end - flags_at - 7));
      names = g_strsplit (list, " ", -1);
      for (guint j = 0; names[j]; j++)
        if (*names[j] && g_ascii_strcasecmp (names[j], "\\Recent") != 0)
          flags |= ms_flag_from_string (names[j]);
      g_assert_cmpuint (flags, ==, ms_message_get_flags (message));
      seen++;
    }
  g_assert_cmpuint (seen, ==, ms_mailbox_get_n_messages (mailbox));
}

static void
test_races (gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data);
  Race race = { 0 };
  g_autoptr(GError) error = NULL;
  guint total = 0;

  race.store = ms_store_new ();
  race.account = ms_store_add_account (race.store, "alice", "wonderland", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ms_account_create_mailbox (race.account, "Archive", &error));
  race.rand = g_rand_new_with_seed (seed);
  race.next_id = 1;
  for (guint i = 0; i < N_SEED; i++)
    append_new (&race);

  for (guint s = 0; s < N_SESSIONS; s++)
    {
      race.sessions[s] = ms_imap_server_session_new (race.store);
      ms_server_session_start (MS_SERVER_SESSION (race.sessions[s]));
      g_free (drain (race.sessions[s]));
      g_free (command (&race, s, "LOGIN alice wonderland"));
      race.selected[s] = "INBOX";
      g_free (command (&race, s, "SELECT INBOX"));
    }

  for (guint i = 0; i < N_STEPS; i++)
    {
      step (&race);
      /* Keep the population from dying out so later steps still race. */
      if (ms_mailbox_get_n_messages (ms_account_get_inbox (race.account)) < 5)
        append_new (&race);
    }

  for (guint s = 0; s < N_SESSIONS; s++)
    {
      MsMailbox *mailbox = ms_account_lookup_mailbox (race.account, race.selected[s]);
      g_autofree char *noop = command (&race, s, "NOOP");
      g_autofree char *fetch = NULL;

      g_assert_nonnull (noop);
      /* "1:*" on an empty mailbox is not a valid set, so only ask when
       * there is something to see. */
      if (ms_mailbox_get_n_messages (mailbox) > 0)
        {
          fetch = command (&race, s, "FETCH 1:* (UID FLAGS)");
          assert_view_agrees (mailbox, fetch);
        }
    }
  {
    g_autoptr(GHashTable) all = snapshot (&race);
    total = g_hash_table_size (all);
  }
  g_test_message ("seed %u: %u steps, %u messages created, %u remain, last tag %u",
                  seed, N_STEPS, race.next_id - 1, total, race.tag);

  for (guint s = 0; s < N_SESSIONS; s++)
    g_clear_object (&race.sessions[s]);
  g_rand_free (race.rand);
  g_clear_object (&race.store);
}

int
main (int   argc,
      char *argv[])
{
  static const guint32 seeds[] = { 1, 20261123, 424242 };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/races/imap/store-expunge-move/%u", seeds[i]);
      g_test_add_data_func (path, GUINT_TO_POINTER (seeds[i]), test_races);
    }
  return g_test_run ();
}

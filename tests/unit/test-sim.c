/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sim"
#include "config.h"

#include <string.h>

#include "ms-clock.h"
#include "ms-device.h"
#include "ms-link.h"
#include "ms-player.h"
#include "ms-scenario.h"
#include "ms-store.h"

/* --- Clock ---------------------------------------------------------------- */

typedef struct { GString *log; char tag; } Mark;

static void
mark_cb (gpointer data)
{
  Mark *m = data;

  g_string_append_c (m->log, m->tag);
}

static void
test_clock_order (void)
{
  g_autoptr(MsClock) clock = ms_clock_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  /* Ties run in the order they were scheduled. */
  static const struct { gint64 at; char tag; } table[] = {
    { 300, 'd' }, { 100, 'a' }, { 200, 'b' }, { 200, 'c' }, { 300, 'e' }, { 0, '0' },
  };
  Mark marks[G_N_ELEMENTS (table)];
  guint64 cancelled;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      marks[i].log = log;
      marks[i].tag = table[i].tag;
      ms_clock_schedule (clock, table[i].at, mark_cb, &marks[i], NULL);
    }
  cancelled = ms_clock_schedule (clock, 250, mark_cb, &marks[0], NULL);
  g_assert_true (ms_clock_cancel (clock, cancelled));
  g_assert_false (ms_clock_cancel (clock, cancelled));
  g_assert_cmpuint (ms_clock_get_n_pending (clock), ==, 6);
  g_assert_cmpuint (ms_clock_run_until_idle (clock, 0), ==, 6);
  g_assert_cmpstr (log->str, ==, "0abcde");
  g_assert_cmpint (ms_clock_get_now_us (clock), ==, 300);

  /* The past cannot be scheduled: it becomes now. */
  ms_clock_schedule (clock, 10, mark_cb, &marks[0], NULL);
  ms_clock_run_one (clock);
  g_assert_cmpint (ms_clock_get_now_us (clock), ==, 300);
}

static void
test_clock_run_until (void)
{
  g_autoptr(MsClock) clock = ms_clock_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  Mark marks[3] = { { log, 'a' }, { log, 'b' }, { log, 'c' } };

  ms_clock_schedule (clock, 100, mark_cb, &marks[0], NULL);
  ms_clock_schedule (clock, 200, mark_cb, &marks[1], NULL);
  ms_clock_schedule (clock, 300, mark_cb, &marks[2], NULL);
  /* Due at or before the target runs; later stays queued. */
  g_assert_cmpuint (ms_clock_run_until (clock, 200), ==, 2);
  g_assert_cmpstr (log->str, ==, "ab");
  g_assert_cmpint (ms_clock_get_now_us (clock), ==, 200);
  g_assert_cmpuint (ms_clock_get_n_pending (clock), ==, 1);
  /* Time moves to the target even with nothing due. */
  g_assert_cmpuint (ms_clock_run_until (clock, 250), ==, 0);
  g_assert_cmpint (ms_clock_get_now_us (clock), ==, 250);
  g_assert_cmpuint (ms_clock_run_until (clock, 1000), ==, 1);
  g_assert_cmpstr (log->str, ==, "abc");
  g_assert_cmpint (ms_clock_get_now_us (clock), ==, 1000);
}

static void
test_clock_format (void)
{
  static const struct { gint64 us; const char *text; } table[] = {
    { 0, "00:00.000" }, { 999, "00:00.000" }, { 1000, "00:00.001" },
    { 61234000, "01:01.234" }, { G_GINT64_CONSTANT (6000000000), "100:00.000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *text = ms_clock_format_time (table[i].us);

      g_assert_cmpstr (text, ==, table[i].text);
    }
}

/* --- Links ---------------------------------------------------------------- */

static void
test_link_timing (void)
{
  static const struct {
    const char *preset;
    MsDirection direction;
    gsize bytes;
    gint64 us;
  } table[] = {
    /* latency + ceil(bytes * 8 / bandwidth) */
    { "modem-56k", MS_DIRECTION_TO_CLIENT, 1000, 100000 + 142858 },
    { "modem-56k", MS_DIRECTION_TO_SERVER, 1000, 100000 + 238096 },
    { "modem-56k", MS_DIRECTION_TO_CLIENT, 0, 100000 },
    { "modem-56k", MS_DIRECTION_TO_CLIENT, 1, 100000 + 143 },
    { "dsl-16m", MS_DIRECTION_TO_CLIENT, 1000, 20000 + 500 },
    { "dsl-16m", MS_DIRECTION_TO_SERVER, 1000, 20000 + 8000 },
    { "dsl-16m", MS_DIRECTION_TO_CLIENT, 1000000, 20000 + 500000 },
    { "fibre-1g", MS_DIRECTION_TO_CLIENT, 1000, 2000 + 8 },
    { "fibre-1g", MS_DIRECTION_TO_SERVER, 125000000, 2000 + 1000000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(MsLink) link = ms_link_new_preset (table[i].preset);

      g_assert_nonnull (link);
      g_assert_cmpint (ms_link_transfer_time_dir_us (link, table[i].direction, table[i].bytes), ==,
                       table[i].us);
    }

  {
    g_autoptr(MsLink) link = ms_link_new_preset ("modem-56k");

    g_assert_cmpint (ms_link_transfer_time_us (link, 1000), ==, 242858);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MsLink) custom = ms_link_parse ("custom:50:2000:500", &error);
    g_autoptr(MsLink) bad = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (ms_link_get_latency_us (custom), ==, 50000);
    g_assert_cmpuint (ms_link_get_down_bps (custom), ==, 2000000);
    g_assert_cmpuint (ms_link_get_up_bps (custom), ==, 500000);
    bad = ms_link_parse ("carrier-pigeon", &error);
    g_assert_null (bad);
    g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  }
}

/* --- Scenarios ------------------------------------------------------------ */

static const char pop_scenario[] =
  "[scenario]\n"
  "id=unit\n"
  "title=Unit test\n"
  "teaching=T10;T22\n"
  "mailbox=sample\n"
  "\n"
  "[device laptop]\n"
  "protocol=pop3\n"
  "\n"
  "[device phone]\n"
  "protocol=pop3\n"
  "leave-on-server=true\n"
  "link=modem-56k\n"
  "\n"
  "[step 1]\n"
  "actor=phone\n"
  "action=check\n"
  "narration=The phone looks first and leaves copies.\n"
  "assert=server-count INBOX 15\n"
  "\n"
  "[step 2]\n"
  "actor=server\n"
  "action=deliver\n"
  "subject=Lunch\n"
  "\n"
  "[step 3]\n"
  "actor=network\n"
  "action=drop\n"
  "device=laptop\n"
  "command=QUIT\n"
  "\n"
  "[step 4]\n"
  "actor=laptop\n"
  "action=check\n"
  "assert=server-count INBOX 16\n"
  "assert-2=transcript-contains \"DELE 16\"\n"
  "\n"
  "[step 5]\n"
  "actor=laptop\n"
  "action=check\n"
  "wait=5m\n"
  "assert=server-count INBOX == 0\n"
  "assert-2=bytes-down phone < 100000\n";

static MsScenario *
load_pop_scenario (void)
{
  g_autoptr(GError) error = NULL;
  MsScenario *scenario = ms_scenario_load_from_data (pop_scenario, strlen (pop_scenario),
                                                     "unit.scenario", &error);

  g_assert_no_error (error);
  return scenario;
}

static char *
run_text (MsPlayer *player)
{
  GString *out = g_string_new (NULL);

  ms_transcript_format_text (ms_world_get_transcript (ms_player_get_world (player)), out);
  ms_world_format_summary (ms_player_get_world (player), out);
  return g_string_free (out, FALSE);
}

static void
test_scenario_runs_deterministically (void)
{
  g_autoptr(MsScenario) scenario = load_pop_scenario ();
  g_autoptr(MsPlayer) a = ms_player_new (scenario);
  g_autoptr(MsPlayer) b = ms_player_new (scenario);
  g_autoptr(GError) error = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  g_assert_true (ms_player_run_to_end (a, &error));
  g_assert_no_error (error);
  g_assert_true (ms_player_run_to_end (b, &error));
  g_assert_no_error (error);
  g_assert_null (ms_player_get_first_failure (a));
  g_assert_cmpuint (ms_player_get_results (a)->len, ==, 5);

  text_a = run_text (a);
  text_b = run_text (b);
  g_assert_cmpstr (text_a, ==, text_b);
  /* The drop really cut QUIT, and the POP3 server kept the mail (T22). */
  g_assert_nonnull (strstr (text_a, "connection lost"));
}

static void
test_player_step_back (void)
{
  g_autoptr(MsScenario) scenario = load_pop_scenario ();
  g_autoptr(MsPlayer) straight = ms_player_new (scenario);
  g_autoptr(MsPlayer) back = ms_player_new (scenario);
  g_autoptr(GError) error = NULL;
  g_autofree char *text_straight = NULL;
  g_autofree char *text_back = NULL;

  for (guint i = 0; i < 3; i++)
    g_assert_true (ms_player_step_forward (straight, &error));
  for (guint i = 0; i < 4; i++)
    g_assert_true (ms_player_step_forward (back, &error));
  g_assert_true (ms_player_step_back (back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_player_get_position (back), ==, 3);

  text_straight = run_text (straight);
  text_back = run_text (back);
  g_assert_cmpstr (text_straight, ==, text_back);

  g_assert_true (ms_player_restart (back, &error));
  g_assert_cmpuint (ms_player_get_position (back), ==, 0);
  g_assert_true (ms_player_run_to_end (back, &error));
  g_assert_cmpuint (ms_player_get_position (back), ==, 5);
}

static void
test_player_compare_mode (void)
{
  g_autoptr(MsScenario) scenario = load_pop_scenario ();
  g_autoptr(MsPlayer) player = ms_player_new_with_protocol (scenario, "pop3");
  g_autoptr(GError) error = NULL;
  MsDevice *device;

  g_assert_true (ms_player_prepare (player, &error));
  g_assert_no_error (error);
  device = ms_world_lookup_device (ms_player_get_world (player), "laptop");
  g_assert_cmpstr (ms_device_get_protocol (device), ==, "pop3");
  g_assert_cmpstr (ms_player_get_protocol_override (player), ==, "pop3");
}

/* Runs a scenario given as text to its end; every assertion must hold. */
static MsPlayer *
run_inline (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load_from_data (text, strlen (text), "inline.scenario", &error);
  MsPlayer *player;
  const MsAssertionResult *failure;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_run_to_end (player, &error));
  g_assert_no_error (error);
  failure = ms_player_get_first_failure (player);
  if (failure != NULL)
    g_error ("step %u: %s failed: %s", failure->step, failure->text, failure->detail);
  return player;
}

/* When the first protocol line of @device holding @needle was sent; -1 if none. */
static gint64
line_time (MsPlayer   *player,
           const char *device,
           const char *needle)
{
  MsTranscript *transcript = ms_world_get_transcript (ms_player_get_world (player));

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *e = ms_transcript_get_entry (transcript, i);
      const char * const *lines = ms_transcript_entry_get_lines (e);

      if (g_strcmp0 (ms_transcript_entry_get_device (e), device) != 0)
        continue;
      for (guint j = 0; lines != NULL && lines[j] != NULL; j++)
        if (strstr (lines[j], needle) != NULL)
          return ms_transcript_entry_get_time_us (e);
    }
  return -1;
}

/* "until" leaves the laptop's download running; the phone's check in the
 * next step meets the real server's maildrop lock (RFC 1939 section 8,
 * RFC 2449 [IN-USE]) while the laptop is still in TRANSACTION. */
static void
test_world_two_pop3_sessions (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\nmailbox=sample\n"
    "[device laptop]\nprotocol=pop3\nleave-on-server=true\nlink=modem-56k\n"
    "[device phone]\nprotocol=pop3\nleave-on-server=true\n"
    "[step 1]\nactor=server\naction=deliver\nsubject=Photos\nattachment-size=200000\n"
    "[step 2]\nactor=laptop\naction=check\nuntil=RETR 16\n"
    "assert=device-connected laptop\nassert-2=step-lacks \"QUIT\"\n"
    "[step 3]\nactor=phone\naction=check\n"
    "assert=step-contains \"-ERR [IN-USE]\"\nassert-2=device-count phone INBOX 0\n"
    "assert-3=device-count laptop INBOX 16\nassert-4=device-disconnected laptop\n"
    "[step 4]\nactor=phone\naction=check\nwait=1m\n"
    "assert=step-lacks IN-USE\nassert-2=device-count phone INBOX 16\n";
  g_autoptr(MsPlayer) player = run_inline (text);
  gint64 in_use = line_time (player, "phone", "-ERR [IN-USE]");
  gint64 quit = line_time (player, "laptop", "QUIT");
  MsDevice *laptop = ms_world_lookup_device (ms_player_get_world (player), "laptop");

  g_assert_cmpint (in_use, >, 0);
  g_assert_cmpint (quit, >, 0);
  /* The refusal came while the laptop's session was still open. */
  g_assert_cmpint (in_use, <, quit);
  /* The laptop was busy for its whole download, not just until step 2 ended. */
  g_assert_cmpint (ms_device_get_busy_us (laptop), >=, quit);
}

/* Stop during a POP3 check: marks made in the session are taken back with
 * RSET before QUIT (T22); with no marks yet, the client just QUITs. IMAP
 * has nothing to take back. */
static void
test_world_stop (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\nmailbox=sample\n"
    "[device laptop]\nprotocol=pop3\n"
    "[device phone]\nprotocol=pop3\n"
    "[device tablet]\nprotocol=imap\n"
    "[step 1]\nactor=laptop\naction=check\nuntil=DELE 3\n"
    "[step 2]\nactor=laptop\naction=stop\n"
    "assert=step-contains RSET\nassert-2=step-contains \"Deletion marks removed\"\n"
    "assert-3=step-lacks \"DELE 4\"\nassert-4=server-count INBOX 15\nassert-5=device-count laptop INBOX 15\n"
    "assert-6=device-disconnected laptop\n"
    /* The setting still says delete after download: the next check does. */
    "[step 3]\nactor=laptop\naction=check\nassert=server-count INBOX 0\n"
    "[step 4]\nactor=server\naction=generate\ncount=5\n"
    "[step 5]\nactor=phone\naction=check\nuntil=RETR 2\n"
    "[step 6]\nactor=phone\naction=stop\n"
    "assert=step-lacks RSET\nassert-2=step-contains QUIT\nassert-3=device-count phone INBOX 2\n"
    "assert-4=server-count INBOX 5\n"
    "[step 7]\nactor=phone\naction=stop\nassert=step-contains \"not in the middle of a check\"\n"
    "[step 8]\nactor=tablet\naction=check\n"
    "[step 9]\nactor=tablet\naction=stop\nassert=step-contains \"IMAP has nothing to take back\"\n"
    "assert-2=device-connected tablet\n";
  g_autoptr(MsPlayer) player = run_inline (text);

  g_assert_cmpint (line_time (player, "laptop", "RSET"), >, line_time (player, "laptop", "DELE 3"));
}

/* "drop command=FETCH" cuts an IMAP client's UID FETCH too. */
static void
test_world_drop_uid_command (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\nmailbox=sample\n"
    "[device laptop]\nprotocol=imap\n"
    "[step 1]\nactor=laptop\naction=check\n"
    "[step 2]\nactor=network\naction=drop\ndevice=laptop\ncommand=FETCH\n"
    "[step 3]\nactor=laptop\naction=open\nmessage=Lunch\n"
    "assert=step-contains \"connection lost\"\nassert-2=device-disconnected laptop\n";
  g_autoptr(MsPlayer) player = run_inline (text);

  g_assert_nonnull (player);
}

/* The server's filter checks each message once, marks junk with $Junk on
 * the server, and IMAP devices see the mark (T82). */
static void
test_world_scan (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\nmailbox=sample\n"
    "[device tablet]\nprotocol=imap\n"
    "[step 1]\nactor=server\naction=deliver\nsubject=Cheap watches\n"
    "[step 2]\nactor=server\naction=deliver\nsubject=Choir rehearsal moved\n"
    "[step 3]\nactor=server\naction=scan\nmessage=Cheap\n"
    "assert=step-contains \"checks 2 new messages in INBOX\"\n"
    "assert-2=server-flag Cheap $Junk\nassert-3=server-not-flag Choir $Junk\n"
    "[step 4]\nactor=server\naction=scan\nmessage=Choir\n"
    "assert=step-contains \"checks 0 new messages\"\nassert-2=server-not-flag Choir $Junk\n"
    "[step 5]\nactor=tablet\naction=check\n"
    "assert=device-flag tablet Cheap $Junk\nassert-2=device-not-flag tablet Choir $Junk\n";
  g_autoptr(MsPlayer) player = run_inline (text);

  g_assert_nonnull (player);
}

/* "wait" moves an exchange left running by "until" on by exactly that
 * much; the next action that runs the clock finishes it. */
static void
test_world_wait_with_running_exchange (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\nmailbox=sample\n"
    "[device laptop]\nprotocol=pop3\nleave-on-server=true\nlink=modem-56k\n"
    "[step 1]\nactor=server\naction=deliver\nsubject=Photos\nattachment-size=200000\n"
    "[step 2]\nactor=laptop\naction=check\nuntil=RETR 16\n"
    "[step 3]\nactor=network\naction=set-link\ndevice=laptop\nlink=fibre-1g\nwait=10s\n"
    "assert=device-connected laptop\nassert-2=transcript-lacks QUIT\n"
    "[step 4]\nactor=server\naction=deliver\nsubject=Later\n"
    "assert=device-disconnected laptop\nassert-2=device-count laptop INBOX 16\n";
  g_autoptr(MsPlayer) player = run_inline (text);
  gint64 retr = line_time (player, "laptop", "RETR 16");
  gint64 quit = line_time (player, "laptop", "QUIT");

  /* 200 KB of base64 over 56 kbit/s takes far longer than 10 s. */
  g_assert_cmpint (quit - retr, >, 10 * G_USEC_PER_SEC);
}

static void
test_scenario_until_never (void)
{
  static const char text[] =
    "[scenario]\nid=u\ntitle=u\n[device laptop]\nprotocol=pop3\n"
    "[step 1]\nactor=laptop\naction=check\nuntil=NOSUCHCOMMAND\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load_from_data (text, strlen (text), "u.scenario", &error);
  g_autoptr(MsPlayer) player = NULL;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_false (ms_player_step_forward (player, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "until: no protocol line containing “NOSUCHCOMMAND”"));
}

static void
test_scenario_errors (void)
{
  static const struct {
    const char *text;
    const char *message;
  } table[] = {
    { "", "x.scenario:1: [scenario]: the group is missing" },
    { "[scenario]\nid=a\ntitle=b\n", "x.scenario: no [step 1]" },
    { "[scenario]\nid=a\n", "x.scenario:1: [scenario] title: is required" },
    { "[scenario]\nid=a\ntitle=b\nbogus=1\n", "x.scenario:4: [scenario] bogus: unknown key" },
    { "[scenario]\nid=a\ntitle=b\nteaching=T1x\n", "x.scenario:4: [scenario] teaching: “T1x” is not an id like T10" },
    { "[scenario]\nid=a\ntitle=b\n\nnot a key\n", "x.scenario:5: expected “key=value”, a [group] or a # comment" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=smtp\n",
      "x.scenario:5: [device laptop] protocol: “smtp” is not pop3 or imap" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\nlink=warp\n",
      "x.scenario:6: [device laptop] link: unknown link “warp”" },
    { "[scenario]\nid=a\ntitle=b\n[step 2]\nactor=server\naction=deliver\n",
      "x.scenario:4: [step 2]: expected [step 1] here" },
    { "[scenario]\nid=a\ntitle=b\n[step 1]\nactor=tablet\naction=check\n",
      "x.scenario:5: [step 1] actor: no device called “tablet”" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=fly\n",
      "x.scenario:8: [step 1] action: laptop cannot “fly”" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=check\nassert=server-count\n",
      "x.scenario:9: [step 1] assert: wrong arguments" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=check\nassert-2=device-count tablet INBOX 1\n",
      "x.scenario:9: [step 1] assert-2: no device called “tablet”" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=check\nwait=soon\n",
      "x.scenario:9: [step 1] wait: “soon” is not a duration" },
    { "[scenario]\nid=a\ntitle=b\nid=c\n", "x.scenario:4: [scenario] id: the key appears twice" },
    /* Only the text keys have translations (title[de]=… is fine). */
    { "[scenario]\nid=a\ntitle=b\ntitle[de]=c\nlink[de]=fibre-1g\n", "x.scenario:5: [scenario] link[de]: unknown key" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\nnarration[de]=x\n",
      "x.scenario:6: [device laptop] narration[de]: unknown key" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=check\nmessage[de]=x\n",
      "x.scenario:9: [step 1] message[de]: only title, description, intro and narration have translations" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=laptop\naction=check\nuntil=\n",
      "x.scenario:9: [step 1] until: must not be empty" },
    /* What the network acts on is checked when the file is opened, not at
     * that step (where `mailscope run` stopped with status 1). */
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=network\naction=set-link\nlink=fibre-1g\n",
      "x.scenario:6: [step 1]: the network's “set-link” needs device=" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=network\naction=drop\n",
      "x.scenario:6: [step 1]: the network's “drop” needs device=" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=network\naction=set-link\ndevice=laptop\n",
      "x.scenario:6: [step 1]: set-link needs link=" },
    { "[scenario]\nid=a\ntitle=b\n[device laptop]\nprotocol=pop3\n[step 1]\nactor=network\naction=set-link\ndevice=laptop\nlink=custom:-1:1:1\n",
      "x.scenario:10: [step 1] link: unknown link “custom:-1:1:1”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = ms_scenario_load_from_data (table[i].text, strlen (table[i].text),
                                                                   "x.scenario", &error);

      g_assert_null (scenario);
      g_assert_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, table[i].message))
        g_error ("case %u: got “%s”, want “%s…”", i, error->message, table[i].message);
    }
}

static void
test_scenario_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("no-such-scenario", &error);

  g_assert_null (scenario);
  g_assert_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_NOT_FOUND);
}

static void
count_expunge (MsMailbox *mailbox,
               guint      uid,
               guint      index,
               guint     *n)
{
  (*n)++;
}

static MsMessage *
find_subject (MsMailbox  *mailbox,
              const char *subject)
{
  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      g_autofree char *text = g_strndup (g_bytes_get_data (ms_message_get_raw (message), NULL),
                                         g_bytes_get_size (ms_message_get_raw (message)));

      if (strstr (text, subject) != NULL)
        return message;
    }
  return NULL;
}

/* Opening a message over IMAP fetches its text into the copy the laptop
 * already had (headers only): nothing on the device goes away, and the
 * copy keeps its place. The stage showed "14 messages deleted" when the
 * local copies were taken out and put back to make room for the text. */
static void
test_imap_open_keeps_local_copies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("first-check", &error);
  g_autoptr(MsPlayer) player = NULL;
  MsDevice *laptop;
  MsMailbox *inbox;
  MsMessage *before, *after;
  guint32 uid;
  gsize size;
  guint index, expunged = 0;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  laptop = ms_world_lookup_device (ms_player_get_world (player), "laptop");
  g_assert_cmpstr (ms_device_get_protocol (laptop), ==, "imap");
  inbox = ms_account_get_inbox (g_ptr_array_index (ms_store_list_accounts (ms_device_get_local_store (laptop)), 0));
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 15);
  before = find_subject (inbox, "Field trip");
  g_assert_nonnull (before);
  uid = ms_message_get_uid (before);
  size = ms_message_get_size (before);
  g_assert_nonnull (ms_mailbox_lookup_uid (inbox, uid, &index));

  g_signal_connect (inbox, "message-expunged", G_CALLBACK (count_expunge), &expunged);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  /* The world may rebuild the device for a step; look again. */
  laptop = ms_world_lookup_device (ms_player_get_world (player), "laptop");
  g_assert_true (inbox == ms_account_get_inbox (g_ptr_array_index (ms_store_list_accounts (ms_device_get_local_store (laptop)), 0)));

  g_assert_cmpuint (expunged, ==, 0);
  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, 15);
  after = ms_mailbox_get_message (inbox, index);
  g_assert_cmpuint (ms_message_get_uid (after), ==, uid);
  g_assert_true (after == find_subject (inbox, "Field trip"));
  /* Now the whole message, not the headers alone. */
  g_assert_cmpuint (ms_message_get_size (after), >, size);
  g_signal_handlers_disconnect_by_func (inbox, count_expunge, &expunged);
}

/* Stepping by exchange: every stop is a state a replay reaches exactly, in
 * order, and the last one ends the step as a straight run does. */
static void
test_player_exchanges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("first-check", &error);
  g_autoptr(MsPlayer) straight = NULL;
  g_autoptr(MsPlayer) player = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *whole = NULL;
  int n_stops;

  g_assert_no_error (error);
  straight = ms_player_new (scenario);
  for (guint i = 0; i < 3; i++)
    g_assert_true (ms_player_step_forward (straight, &error));
  whole = run_text (straight);

  player = ms_player_new (scenario);
  g_assert_true (ms_player_seek (player, 2, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ms_player_get_exchange (player), ==, 0);
  g_ptr_array_add (seen, run_text (player));
  /* Step 3 is the phone's POP3 check: STAT, UIDL, then RETR and DELE for
   * each of 15 messages, and QUIT. */
  g_assert_true (ms_player_exchange_forward (player, &error));
  g_assert_no_error (error);
  n_stops = ms_player_get_n_stops (player, 3);
  g_assert_cmpint (n_stops, >=, 30);
  g_assert_cmpuint (ms_player_get_exchange (player), ==, 1);
  g_assert_cmpuint (ms_player_get_position (player), ==, 2);
  g_ptr_array_add (seen, run_text (player));
  while (ms_player_get_position (player) < 3)
    {
      g_assert_true (ms_player_exchange_forward (player, &error));
      g_assert_no_error (error);
      g_ptr_array_add (seen, run_text (player));
    }
  g_assert_cmpuint (seen->len, ==, (guint) n_stops + 2);
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, whole);
  /* Each stop shows more than the one before it, and the first stop shows
   * a command and its answer. */
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpuint (strlen (g_ptr_array_index (seen, i)), >, strlen (g_ptr_array_index (seen, i - 1)));

  /* Back, stop by stop, gives each earlier state exactly. */
  for (guint i = seen->len - 1; i > 0; i--)
    {
      g_autofree char *text = NULL;

      g_assert_true (ms_player_exchange_back (player, &error));
      g_assert_no_error (error);
      text = run_text (player);
      g_assert_cmpstr (text, ==, g_ptr_array_index (seen, i - 1));
    }
  g_assert_cmpuint (ms_player_get_position (player), ==, 2);
  g_assert_cmpuint (ms_player_get_exchange (player), ==, 0);

  /* A step forward from inside a step ends that step. */
  g_assert_true (ms_player_seek (player, 2, 5, &error));
  g_assert_true (ms_player_step_forward (player, &error));
  {
    g_autofree char *text = run_text (player);
    g_assert_cmpstr (text, ==, whole);
  }
  /* And a step back from inside a step goes to its start. */
  g_assert_true (ms_player_seek (player, 2, 5, &error));
  g_assert_true (ms_player_step_back (player, &error));
  {
    g_autofree char *text = run_text (player);
    g_assert_cmpstr (text, ==, g_ptr_array_index (seen, 0));
  }
}

/* Every built-in scenario by exchange: from the last stop inside each step,
 * one more exchange gives exactly the state a straight run has after it
 * (steps with until= leave exchanges running into later steps too). */
static void
test_player_exchanges_all_scenarios (void)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsScenario) scenario = ms_scenario_load (ids[i], &error);
      g_autoptr(MsPlayer) straight = NULL;
      g_autoptr(MsPlayer) player = NULL;

      g_assert_no_error (error);
      straight = ms_player_new (scenario);
      player = ms_player_new (scenario);
      for (guint step = 1; step <= ms_player_get_n_steps (straight); step++)
        {
          g_autofree char *want = NULL;
          g_autofree char *got = NULL;
          int n_stops;

          g_assert_true (ms_player_step_forward (straight, &error));
          g_assert_no_error (error);
          want = run_text (straight);
          n_stops = ms_player_get_n_stops (straight, step);
          g_assert_cmpint (n_stops, >=, 0);
          if (n_stops == 0)
            continue;
          if (!ms_player_seek (player, step - 1, n_stops, &error))
            g_error ("%s step %u: %s", ids[i], step, error ? error->message : "no error");
          g_assert_no_error (error);
          g_assert_cmpuint (ms_player_get_exchange (player), ==, (guint) n_stops);
          g_assert_true (ms_player_exchange_forward (player, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (ms_player_get_position (player), ==, step);
          got = run_text (player);
          if (g_strcmp0 (want, got) != 0)
            g_error ("%s step %u: the last exchange does not end as a straight run", ids[i], step);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/clock/order", test_clock_order);
  g_test_add_func ("/sim/clock/run-until", test_clock_run_until);
  g_test_add_func ("/sim/clock/format", test_clock_format);
  g_test_add_func ("/sim/link/timing", test_link_timing);
  g_test_add_func ("/sim/scenario/deterministic", test_scenario_runs_deterministically);
  g_test_add_func ("/sim/player/step-back", test_player_step_back);
  g_test_add_func ("/sim/player/compare-mode", test_player_compare_mode);
  g_test_add_func ("/sim/player/imap-open-keeps-local-copies", test_imap_open_keeps_local_copies);
  g_test_add_func ("/sim/world/two-pop3-sessions", test_world_two_pop3_sessions);
  g_test_add_func ("/sim/world/stop", test_world_stop);
  g_test_add_func ("/sim/world/scan", test_world_scan);
  g_test_add_func ("/sim/world/wait-with-running-exchange", test_world_wait_with_running_exchange);
  g_test_add_func ("/sim/world/drop-uid-command", test_world_drop_uid_command);
  g_test_add_func ("/sim/scenario/until-never", test_scenario_until_never);
  g_test_add_func ("/sim/player/exchanges", test_player_exchanges);
  g_test_add_func ("/sim/player/exchanges-all-scenarios", test_player_exchanges_all_scenarios);
  g_test_add_func ("/sim/scenario/errors", test_scenario_errors);
  g_test_add_func ("/sim/scenario/not-found", test_scenario_not_found);
  return g_test_run ();
}

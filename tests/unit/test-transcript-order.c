/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transcript is in time order: every export (text, JSON, pcapng) and
 * the transcript pane follow it, so an entry with an earlier time after a
 * later one shows as time running backwards. TLS made that easy to get
 * wrong: the decrypted view of a record was written when the receiver
 * decrypted it, after what happened while the record was on the link. */
#define G_LOG_DOMAIN "test-transcript-order"
#include "config.h"

#include <string.h>

#include "ms-player.h"
#include "ms-scenario.h"
#include "ms-transcript.h"
#include "ms-transcript-entry.h"
#include "ms-world.h"

static MsPlayer *
run_builtin (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load (id, &error);
  MsPlayer *player;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_run_to_end (player, &error));
  g_assert_no_error (error);
  return player;
}

static void
test_every_scenario_in_time_order (void)
{
  g_auto(GStrv) ids = ms_scenario_list_builtin ();

  g_assert_nonnull (ids);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MsPlayer) player = run_builtin (ids[i]);
      MsTranscript *transcript = ms_world_get_transcript (ms_player_get_world (player));
      gint64 last = G_MININT64;

      for (guint n = 0; n < ms_transcript_get_n_entries (transcript); n++)
        {
          MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, n);
          gint64 t = ms_transcript_entry_get_time_us (entry);

          if (t < last)
            g_error ("%s: entry %u (%s) at %" G_GINT64_FORMAT " us after one at %" G_GINT64_FORMAT " us",
                     ids[i], n, ms_transcript_kind_to_string (ms_transcript_entry_get_kind (entry)), t, last);
          last = t;
        }
    }
}

/* Each decrypted chunk comes right after the records that carried it: the
 * last TLS record before it on its connection went the same way at the
 * same time. */
static void
test_decrypted_follows_its_records (void)
{
  g_autoptr(MsPlayer) player = run_builtin ("tls-eavesdropper");
  MsTranscript *transcript = ms_world_get_transcript (ms_player_get_world (player));
  g_autoptr(GHashTable) last_record = g_hash_table_new (NULL, NULL);
  guint checked = 0;

  for (guint n = 0; n < ms_transcript_get_n_entries (transcript); n++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, n);
      guint conn = ms_transcript_entry_get_connection (entry);
      MsTranscriptEntry *record;

      if (ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_TLS_RECORD)
        {
          g_hash_table_insert (last_record, GUINT_TO_POINTER (conn), entry);
          continue;
        }
      if (ms_transcript_entry_get_kind (entry) != MS_TRANSCRIPT_CHUNK ||
          !ms_transcript_entry_get_encrypted (entry))
        continue;
      record = g_hash_table_lookup (last_record, GUINT_TO_POINTER (conn));
      g_assert_nonnull (record);
      g_assert_cmpint (ms_transcript_entry_get_direction (record), ==, ms_transcript_entry_get_direction (entry));
      g_assert_cmpint (ms_transcript_entry_get_time_us (record), ==, ms_transcript_entry_get_time_us (entry));
      checked++;
    }
  /* The phone's STLS session and the laptop's port 993 session. */
  g_assert_cmpuint (checked, >, 20);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transcript/order/every-scenario", test_every_scenario_in_time_order);
  g_test_add_func ("/transcript/order/decrypted-follows-records", test_decrypted_follows_its_records);
  return g_test_run ();
}

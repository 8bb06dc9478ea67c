/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A device's "encrypted" state, which the stage draws on its link: a
 * STARTTLS connection is in clear (CAPA, STLS and the server's go-ahead)
 * until its TLS handshake is done; an implicit one (port 993) until its
 * handshake is done too; a plain one never. Played on the built-in
 * tls-eavesdropper scenario, checked at the moment the state changes. */
#define G_LOG_DOMAIN "test-device-tls"
#include "config.h"

#include <string.h>

#include "ms-device.h"
#include "ms-player.h"
#include "ms-scenario.h"
#include "ms-transcript-entry.h"

typedef struct
{
  MsWorld *world;
  guint    turned_on;
  guint    turned_off;
  guint    records_before;   /* the device's TLS records when it turned on */
  guint    sealed_before;    /* its chunks that travelled inside TLS by then */
  guint    plain_before;     /* its chunks in clear by then */
} Watch;

static void
on_encrypted (MsDevice   *device,
              GParamSpec *pspec,
              Watch      *watch)
{
  GListModel *transcript = G_LIST_MODEL (ms_world_get_transcript (watch->world));

  if (!ms_device_get_encrypted (device))
    {
      watch->turned_off++;
      return;
    }
  watch->turned_on++;
  g_assert_true (ms_device_get_connected (device));
  for (guint i = 0; i < g_list_model_get_n_items (transcript); i++)
    {
      g_autoptr(MsTranscriptEntry) entry = g_list_model_get_item (transcript, i);

      if (g_strcmp0 (ms_transcript_entry_get_device (entry), ms_device_get_name (device)) != 0)
        continue;
      if (ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_TLS_RECORD)
        watch->records_before++;
      else if (ms_transcript_entry_get_kind (entry) == MS_TRANSCRIPT_CHUNK)
        {
          if (ms_transcript_entry_get_encrypted (entry))
            watch->sealed_before++;
          else
            watch->plain_before++;
        }
    }
}

/* Plays the next step of @player, watching device @name. */
static void
watch_step (MsPlayer   *player,
            const char *name,
            Watch      *watch)
{
  g_autoptr(GError) error = NULL;
  MsDevice *device;
  gulong id;

  memset (watch, 0, sizeof *watch);
  watch->world = ms_player_get_world (player);
  device = ms_world_lookup_device (watch->world, name);
  g_assert_nonnull (device);
  g_assert_false (ms_device_get_encrypted (device));
  id = g_signal_connect (device, "notify::encrypted", G_CALLBACK (on_encrypted), watch);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (device, id);
  /* Encrypted while its connection is (an IMAP device may stay logged
   * in); never without one. */
  if (ms_device_get_connected (device))
    g_assert_true (ms_device_get_encrypted (device) == (watch->turned_on > watch->turned_off));
  else
    g_assert_false (ms_device_get_encrypted (device));
}

static void
test_encrypted_after_handshake (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("tls-eavesdropper", &error);
  g_autoptr(MsPlayer) player = NULL;
  Watch watch;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_prepare (player, &error));

  /* Step 1: the old phone, POP3 with no TLS at all. */
  watch_step (player, "oldphone", &watch);
  g_assert_cmpuint (watch.turned_on, ==, 0);

  /* Step 2: the old laptop, IMAP with no TLS. */
  watch_step (player, "oldlaptop", &watch);
  g_assert_cmpuint (watch.turned_on, ==, 0);

  /* Step 3: the phone, POP3 with STLS: greeting, CAPA and STLS in clear,
   * then the handshake's records, and only then encrypted. */
  watch_step (player, "phone", &watch);
  g_assert_cmpuint (watch.turned_on, ==, 1);
  g_assert_cmpuint (watch.plain_before, >=, 3);
  g_assert_cmpuint (watch.records_before, >=, 2);
  g_assert_cmpuint (watch.sealed_before, ==, 0);

  /* Step 4: the laptop, IMAP on 993: nothing in clear, and still not
   * encrypted before its handshake. */
  watch_step (player, "laptop", &watch);
  g_assert_cmpuint (watch.turned_on, ==, 1);
  g_assert_cmpuint (watch.plain_before, ==, 0);
  g_assert_cmpuint (watch.records_before, >=, 2);
  g_assert_cmpuint (watch.sealed_before, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/device/encrypted-after-handshake", test_encrypted_after_handshake);
  return g_test_run ();
}

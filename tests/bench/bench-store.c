/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How long the store takes to load a mailbox file, to write it to an empty
 * on-disk state, to restore it from there, and what one persisted change
 * costs. A program, not a test: it prints figures.
 *
 *   tests/bench/generate-mailbox --count 100000 --seed 1 --out /tmp/100k.mbox
 *   build/tests/bench/bench-store /tmp/100k.mbox [STATE-DIR]
 */
#define G_LOG_DOMAIN "bench-store"
#include "config.h"

#include <stdlib.h>

#include "ms-store.h"
#include "ms-store-loader.h"
#include "ms-store-state.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static MsStore *
new_store (MsMailbox **inbox)
{
  MsStore *store = ms_store_new ();

  *inbox = ms_account_get_inbox (ms_store_add_account (store, "alice", "wonderland", NULL));
  return store;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsStore) store = NULL;
  g_autofree char *state_dir = NULL;
  MsMailbox *inbox;
  gint64 start;

  if (argc < 2 || argc > 3)
    {
      g_printerr ("usage: %s MAILBOX [EMPTY-STATE-DIR]\n", argv[0]);
      return 2;
    }

  store = new_store (&inbox);
  start = g_get_monotonic_time ();
  if (!ms_store_loader_load (inbox, argv[1], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("load %s: %u messages, %" G_GUINT64_FORMAT " bytes, %.2f s\n", argv[1],
           ms_mailbox_get_n_messages (inbox), ms_mailbox_get_total_size (inbox), seconds_since (start));

  state_dir = argc == 3 ? g_strdup (argv[2]) : NULL;
  if (state_dir == NULL)
    return 0;

  {
    g_autoptr(MsStoreState) state = NULL;
    const guint n_changes = 200;

    start = g_get_monotonic_time ();
    state = ms_store_state_new (store, state_dir, &error);
    if (state == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    g_print ("state: first write to %s: %.2f s\n", state_dir, seconds_since (start));

    start = g_get_monotonic_time ();
    for (guint i = 0; i < n_changes; i++)
      ms_mailbox_store_flags (inbox, ms_mailbox_get_message (inbox, i % ms_mailbox_get_n_messages (inbox)),
                              i % 2 ? MS_FLAGS_REMOVE : MS_FLAGS_ADD, MS_FLAG_FLAGGED, NULL);
    g_print ("state: %u persisted flag changes: %.2f ms each\n", n_changes,
             seconds_since (start) * 1000 / n_changes);
  }
  g_clear_object (&store);

  {
    g_autoptr(MsStoreState) state = NULL;

    store = new_store (&inbox);
    start = g_get_monotonic_time ();
    state = ms_store_state_new (store, state_dir, &error);
    if (state == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    g_print ("state: restore: %u messages, %.2f s\n", ms_mailbox_get_n_messages (inbox), seconds_since (start));
  }
  return 0;
}

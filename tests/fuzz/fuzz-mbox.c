/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feeds arbitrary bytes to the mbox loader: it must either load messages
 * whose sizes add up, or fail with MS_STORE_ERROR and leave the mailbox
 * empty; never crash, leak or read out of bounds. Loaded mail is saved and
 * loaded again, which must give the same bytes. */
#define G_LOG_DOMAIN "fuzz-mbox"
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-store.h"
#include "ms-store-loader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_round_trip (MsMailbox *mailbox)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsMailbox *again = ms_account_get_inbox (ms_store_add_account (store, "fuzz", "fuzz", NULL));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("fuzz-mbox-XXXXXX", &path, NULL);

  g_assert (fd >= 0);
  close (fd);
  if (!ms_store_loader_save_mbox (mailbox, path, &error) ||
      !ms_store_loader_load (again, path, &error))
    g_error ("round trip failed: %s", error->message);
  g_unlink (path);

  g_assert (ms_mailbox_get_n_messages (again) == ms_mailbox_get_n_messages (mailbox));
  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      GBytes *a = ms_message_get_raw (ms_mailbox_get_message (mailbox, i));
      GBytes *b = ms_message_get_raw (ms_mailbox_get_message (again, i));

      g_assert (g_bytes_equal (a, b));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MsStore) store = ms_store_new ();
  MsMailbox *inbox = ms_account_get_inbox (ms_store_add_account (store, "fuzz", "fuzz", NULL));
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  if (!ms_store_loader_load_mbox_bytes (inbox, bytes, "input.mbox", &error))
    {
      g_assert (error != NULL && error->domain == MS_STORE_ERROR);
      g_assert (ms_mailbox_get_n_messages (inbox) == 0);
      return 0;
    }
  for (guint i = 0; i < ms_mailbox_get_n_messages (inbox); i++)
    total += ms_message_get_size (ms_mailbox_get_message (inbox, i));
  g_assert (total == ms_mailbox_get_total_size (inbox));
  g_assert (total <= (guint64) size * 2);
  check_round_trip (inbox);
  return 0;
}

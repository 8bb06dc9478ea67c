/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-data-path.h"
#include "ms-display-names.h"
#include "ms-sim-sessions.h"
#include "ms-store-loader.h"
#include "ms-world-private.h"

G_DEFINE_FINAL_TYPE (MsWorld, ms_world, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_TRANSCRIPT,
  N_PROPS
};

enum {
  DEVICE_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ms-world-error-quark, ms_world_error)

static void
ms_world_dispose (GObject *object)
{
  MsWorld *self = MS_WORLD (object);

  /* Close what is still open (an IDLE connection) so the sessions let go. */
  while (self->connections != NULL && self->connections->len > 0)
    {
      MsSimConnection *conn = g_ptr_array_index (self->connections, 0);

      conn->closed = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (conn->server_handlers); i++)
        g_clear_signal_handler (&conn->server_handlers[i], conn->server);
      for (guint i = 0; i < G_N_ELEMENTS (conn->client_handlers); i++)
        g_clear_signal_handler (&conn->client_handlers[i], conn->client);
      if (conn->is_mail && conn->device->connection == conn)
        conn->device->connection = NULL;
      g_ptr_array_remove_index (self->connections, 0);
    }
  if (self->devices != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MsDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

          if (device->client != NULL && device->finished_handler != 0)
            g_clear_signal_handler (&device->finished_handler, device->client);
        }
    }
  g_clear_object (&self->clock);
  g_clear_object (&self->devices);
  g_clear_object (&self->transcript);
  g_clear_object (&self->server_store);
  g_clear_pointer (&self->tls, ms_world_tls_free);
  G_OBJECT_CLASS (ms_world_parent_class)->dispose (object);
}

static void
ms_world_finalize (GObject *object)
{
  MsWorld *self = MS_WORLD (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->drops, g_ptr_array_unref);
  g_clear_pointer (&self->scanned, g_hash_table_unref);
  G_OBJECT_CLASS (ms_world_parent_class)->finalize (object);
}

static void
ms_world_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MsWorld *self = MS_WORLD (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_TRANSCRIPT:
      g_value_set_object (value, self->transcript);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_world_class_init (MsWorldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_world_dispose;
  object_class->finalize = ms_world_finalize;
  object_class->get_property = ms_world_get_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, MS_TYPE_CLOCK, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRANSCRIPT] =
    g_param_spec_object ("transcript", NULL, NULL, MS_TYPE_TRANSCRIPT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DEVICE_ADDED] =
    g_signal_new ("device-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_DEVICE);
}

static void
ms_world_init (MsWorld *self)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (2025, 3, 17, 8, 0, 0);
  g_autoptr(GError) error = NULL;

  self->clock = ms_clock_new ();
  self->server_store = ms_store_new ();
  self->account = ms_store_add_account (self->server_store, MS_SIM_USER, MS_SIM_PASSWORD, &error);
  g_assert_no_error (error);
  /* The folders a provider creates with every account (RFC 6154 roles), so
   * that "move to Trash" and "save to Sent" have somewhere to go. */
  {
    static const struct { const char *name; MsMailboxRole role; } folders[] = {
      { "Drafts", MS_MAILBOX_ROLE_DRAFTS },
      { "Sent", MS_MAILBOX_ROLE_SENT },
      { "Trash", MS_MAILBOX_ROLE_TRASH },
    };

    for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
      {
        MsMailbox *box = ms_account_create_mailbox (self->account, folders[i].name, &error);

        g_assert_no_error (error);
        ms_mailbox_set_role (box, folders[i].role);
      }
  }
  /* A second local user, so that mail Alice sends has somewhere to go:
   * the submission server delivers only to its own accounts. */
  ms_store_add_account (self->server_store, "bob", "builder", &error);
  g_assert_no_error (error);
  self->devices = g_list_store_new (MS_TYPE_DEVICE);
  self->transcript = ms_transcript_new ();
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_sim_connection_unref);
  self->drops = g_ptr_array_new_with_free_func (ms_world_free_drop_rule);
  self->scanned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->epoch = g_date_time_to_unix (epoch);
}

MsWorld *
ms_world_new (void)
{
  return g_object_new (MS_TYPE_WORLD, NULL);
}

MsClock *
ms_world_get_clock (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  return self->clock;
}

MsStore *
ms_world_get_server_store (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  return self->server_store;
}

MsAccount *
ms_world_get_account (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  return self->account;
}

GListModel *
ms_world_get_devices (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  return G_LIST_MODEL (self->devices);
}

MsTranscript *
ms_world_get_transcript (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  return self->transcript;
}

gint64
ms_world_get_epoch (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), 0);
  return self->epoch;
}

gint64
ms_world_get_unix_now (MsWorld *self)
{
  g_return_val_if_fail (MS_IS_WORLD (self), 0);
  return self->epoch + ms_clock_get_now_us (self->clock) / G_USEC_PER_SEC;
}

gboolean
ms_world_load_mailbox (MsWorld     *self,
                       const char  *what,
                       GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (MS_IS_WORLD (self), FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  if (g_str_equal (what, "empty"))
    return TRUE;
  if (g_str_equal (what, "sample"))
    {
      path = ms_data_path ("mail/sample");
      if (path == NULL)
        {
          g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                       "the sample mailbox (data/mail/sample) was not found");
          return FALSE;
        }
    }
  else
    path = g_strdup (what);
  if (!ms_store_loader_load (ms_account_get_inbox (self->account), path, error))
    return FALSE;
  /* The starting mail arrived before the story begins: the spam filter
   * checked it then, so a "scan" looks only at what arrives later. */
  g_hash_table_insert (self->scanned, g_strdup ("INBOX"),
                       GUINT_TO_POINTER (ms_mailbox_get_uidnext (ms_account_get_inbox (self->account))));
  return TRUE;
}

static void
on_action_finished (MsClientSession      *client,
                    const MsClientAction *action,
                    gboolean              success,
                    const MsPhrase       *summary,
                    MsDevice             *device)
{
  MsWorld *world = g_object_get_data (G_OBJECT (device), "ms-world");
  MsTranscriptEntry *entry;
  MsPhrase *what = ms_phrase_ref ((MsPhrase *) summary);

  /* Busy from the action's start to its end: not while another device's
   * exchange runs on, and not while the client only waits in IDLE. */
  if (device->action_running)
    ms_device_add_busy (device, ms_clock_get_now_us (world->clock) - device->action_started_us);
  device->action_running = FALSE;
  device->action_success = success;

  entry = ms_world_new_entry (world, MS_TRANSCRIPT_NOTICE,
                              device->connection, device->name);
  ms_transcript_entry_set_phrase (entry,
                                  success ? ms_phrase_new (NC_ ("transcript", "%s done: %s"),
                                                           ms_phrase_device (device->name), what)
                                          : ms_phrase_new (NC_ ("transcript", "%s failed: %s"),
                                                           ms_phrase_device (device->name), what));
  ms_world_add_entry (world, entry);
}

void
ms_world_set_device_client (MsWorld         *world,
                            MsDevice        *device,
                            MsClientSession *client)
{
  if (device->client != NULL && device->finished_handler != 0)
    g_clear_signal_handler (&device->finished_handler, device->client);
  ms_device_set_client (device, client);
  g_object_set_data (G_OBJECT (device), "ms-world", world);
  device->finished_handler = g_signal_connect (client, "action-finished",
                                               G_CALLBACK (on_action_finished), device);
}

MsDevice *
ms_world_add_device (MsWorld               *self,
                     const char            *name,
                     const char            *protocol,
                     MsClientTlsMode        tls_mode,
                     const MsClientPolicy  *policy,
                     MsLink                *link,
                     const char            *server_url,
                     GError               **error)
{
  g_autoptr(MsDevice) device = NULL;
  g_autoptr(MsStore) local = NULL;
  g_autoptr(MsClientSession) client = NULL;

  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  g_return_val_if_fail (name != NULL && protocol != NULL, NULL);

  if (ms_world_lookup_device (self, name) != NULL ||
      g_str_equal (name, "server") || g_str_equal (name, "network") || g_str_equal (name, "sender"))
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "there already is an actor called “%s”", name);
      return NULL;
    }
  if (!g_str_equal (protocol, "pop3") && !g_str_equal (protocol, "imap"))
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "a device speaks pop3 or imap, not “%s”", protocol);
      return NULL;
    }
  if (server_url != NULL && !g_str_has_prefix (server_url, protocol))
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "device “%s” speaks %s but its server is %s", name, protocol, server_url);
      return NULL;
    }

  local = ms_store_new ();
  client = ms_sim_new_client_session (protocol, local, policy, tls_mode, error);
  if (client == NULL)
    return NULL;

  device = ms_device_new (name, protocol, tls_mode, policy, link, server_url);
  ms_world_set_device_client (self, device, client);
  g_list_store_append (self->devices, device);
  g_signal_emit (self, signals[DEVICE_ADDED], 0, device);
  return device;
}

MsDevice *
ms_world_lookup_device (MsWorld    *self,
                        const char *name)
{
  guint n;

  g_return_val_if_fail (MS_IS_WORLD (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      if (g_str_equal (ms_device_get_name (device), name))
        return device;   /* the list store keeps it alive */
    }
  return NULL;
}

gboolean
ms_world_perform (MsWorld     *self,
                  const char  *actor,
                  const char  *action,
                  GHashTable  *args,
                  GError     **error)
{
  MsDevice *device;

  g_return_val_if_fail (MS_IS_WORLD (self), FALSE);
  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  if (g_str_equal (actor, "network"))
    return ms_world_perform_network (self, action, args, error);
  if (g_str_equal (actor, "server") || g_str_equal (actor, "sender"))
    return ms_world_perform_server (self, actor, action, args, error);

  device = ms_world_lookup_device (self, actor);
  if (device == NULL)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNKNOWN_ACTOR,
                   "no device called “%s”", actor);
      return FALSE;
    }
  return ms_world_perform_device (self, device, action, args, error);
}

gboolean
ms_world_perform_until (MsWorld     *self,
                        const char  *actor,
                        const char  *action,
                        GHashTable  *args,
                        const char  *until,
                        GError     **error)
{
  gboolean ok, met;

  g_return_val_if_fail (MS_IS_WORLD (self), FALSE);

  self->until = until;
  self->until_met = FALSE;
  self->until_from = ms_transcript_get_n_entries (self->transcript);
  ok = ms_world_perform (self, actor, action, args, error);
  met = self->until_met;
  self->until = NULL;
  if (ok && until != NULL && !met)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNTIL_NOT_MET,
                   "until: no protocol line containing “%s” crossed the wire", until);
      return FALSE;
    }
  return ok;
}

void
ms_world_advance (MsWorld *self,
                  gint64   us)
{
  g_return_if_fail (MS_IS_WORLD (self));
  g_return_if_fail (us >= 0);

  /* Only up to the target: an exchange still going on (a step that ended
   * with "until") goes on for just that long. */
  ms_clock_run_until (self->clock, ms_clock_get_now_us (self->clock) + us);
}

void
ms_world_add_external_entry (MsWorld           *self,
                             MsTranscriptEntry *entry)
{
  g_return_if_fail (MS_IS_WORLD (self));
  g_return_if_fail (MS_IS_TRANSCRIPT_ENTRY (entry));

  entry->time_us = ms_clock_get_now_us (self->clock);
  entry->arrival_us = entry->time_us;
  entry->step = self->step;
  ms_transcript_append (self->transcript, entry);
}

void
ms_world_begin_step (MsWorld    *self,
                     guint       step,
                     const char *title)
{
  MsTranscriptEntry *entry;

  g_return_if_fail (MS_IS_WORLD (self));

  self->step = step;
  entry = ms_world_new_entry (self, MS_TRANSCRIPT_STEP, NULL, NULL);
  entry->text = g_strdup (title);
  ms_world_add_entry (self, entry);
}

void
ms_world_narrate (MsWorld            *self,
                  const char         *text,
                  const char * const *teaching_ids,
                  const char * const *myth_ids)
{
  MsTranscriptEntry *entry;

  g_return_if_fail (MS_IS_WORLD (self));
  g_return_if_fail (text != NULL);

  entry = ms_world_new_entry (self, MS_TRANSCRIPT_NARRATION, NULL, NULL);
  entry->text = g_strdup (text);
  entry->teaching_ids = g_strdupv ((GStrv) teaching_ids);
  entry->myth_ids = g_strdupv ((GStrv) myth_ids);
  ms_world_add_entry (self, entry);
}

void
ms_world_add_notice_phrase (MsWorld    *self,
                            const char *device,
                            MsPhrase   *phrase)
{
  MsTranscriptEntry *entry;

  g_return_if_fail (MS_IS_WORLD (self));
  g_return_if_fail (phrase != NULL);

  entry = ms_world_new_entry (self, MS_TRANSCRIPT_NOTICE, NULL, device);
  ms_transcript_entry_set_phrase (entry, phrase);
  ms_world_add_entry (self, entry);
}

void
ms_world_format_summary (MsWorld *self,
                         GString *out)
{
  GPtrArray *boxes = NULL;
  guint n;

  g_return_if_fail (MS_IS_WORLD (self));

  g_string_append_printf (out, "\n== %s ==\n", _("Summary"));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MsDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);
      g_autofree char *busy = ms_clock_format_time (device->busy_us);
      g_autofree char *link = ms_link_describe (device->link);
      MsStore *local = ms_device_get_local_store (device);
      guint64 stored = 0;

      if (local != NULL)
        {
          GPtrArray *accounts = ms_store_list_accounts (local);

          for (guint j = 0; j < accounts->len; j++)
            stored += ms_account_get_total_size (g_ptr_array_index (accounts, j));
        }
      /* The counts that are often 1 take their plural form from the
       * catalogue, so that neither language reads "1 connections". */
      g_autofree char *trips = g_strdup_printf (ngettext ("%u round trip", "%u round trips",
                                                          device->round_trips),
                                                device->round_trips);
      g_autofree char *connections = g_strdup_printf (ngettext ("%u connection", "%u connections",
                                                                device->connections),
                                                      device->connections);

      /* TRANSLATORS: the summary line of one device at the end of a
       * transcript: name, protocol, link; then "3 round trips" and
       * "1 connection" (translated on their own); %llu are byte counts. */
      g_string_append_printf (out,
                              _("# %s (%s, %s): %llu bytes from the server, %llu bytes to it, "
                                "%s, %s, busy %s, %llu bytes stored on the device\n"),
                              ms_device_reader_name (device->name), device->protocol, link,
                              (unsigned long long) device->bytes_down,
                              (unsigned long long) device->bytes_up, trips,
                              connections, busy, (unsigned long long) stored);
    }

  boxes = ms_account_list_mailboxes (self->account);
  g_string_append_printf (out, _("# server: %llu bytes stored;"),
                          (unsigned long long) ms_account_get_total_size (self->account));
  for (guint i = 0; i < boxes->len; i++)
    {
      MsMailbox *box = g_ptr_array_index (boxes, i);

      g_string_append_printf (out, " %s %u", ms_mailbox_get_name (box), ms_mailbox_get_n_messages (box));
    }
  g_string_append_c (out, '\n');
  {
    g_autofree char *time = ms_clock_format_time (ms_clock_get_now_us (self->clock));

    g_string_append_printf (out, _("# virtual time at the end: %s\n"), time);
  }
}

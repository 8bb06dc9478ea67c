/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the actors of a world can do: devices act through their mail client
 * (or send through SMTP), the server gets new mail, the network cuts a
 * connection. Each action runs the clock until its exchange is over. */
#define G_LOG_DOMAIN "ms-world"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-data-path.h"
#include "ms-display-names.h"
#include "ms-pop3-client.h"
#include "ms-sim-sessions.h"
#include "ms-world-private.h"

/* The most messages one "generate" may add: a large mailbox, not a huge one. */
#define MAX_GENERATE 5000
/* The largest made-up attachment. */
#define MAX_ATTACHMENT (8u * 1024u * 1024u)

static const char *
arg (GHashTable *args,
     const char *name)
{
  return args != NULL ? g_hash_table_lookup (args, name) : NULL;
}

static const char *
arg_or (GHashTable *args,
        const char *name,
        const char *fallback)
{
  const char *value = arg (args, name);

  return value != NULL ? value : fallback;
}

static gboolean
arg_uint (GHashTable  *args,
          const char  *name,
          guint64      fallback,
          guint64      max,
          guint64     *out,
          GError     **error)
{
  const char *value = arg (args, name);
  g_autoptr(GError) local = NULL;

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 0, max, out, &local))
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "%s: %s", name, local->message);
      return FALSE;
    }
  return TRUE;
}

/* TRUE once a protocol line holding the step's "until" text was recorded. */
static gboolean
until_met (MsWorld *world)
{
  guint n = ms_transcript_get_n_entries (world->transcript);

  for (; !world->until_met && world->until_from < n; world->until_from++)
    {
      MsTranscriptEntry *e = ms_transcript_get_entry (world->transcript, world->until_from);

      if (e->kind != MS_TRANSCRIPT_CHUNK)
        continue;
      for (guint i = 0; e->lines != NULL && e->lines[i] != NULL; i++)
        if (strstr (e->lines[i], world->until) != NULL)
          world->until_met = TRUE;
    }
  return world->until_met;
}

/* Runs the clock until the exchange is over or, for a step with "until",
 * until the line it waits for; what is left runs during later steps. */
static void
run_exchange (MsWorld *world)
{
  ms_world_pump_all (world);
  if (world->until == NULL)
    {
      ms_clock_run_until_idle (world->clock, 0);
      return;
    }
  while (!until_met (world) && ms_clock_run_one (world->clock))
    ;
}

static gboolean
run_client_action (MsWorld         *world,
                   MsDevice        *device,
                   MsClientAction  *action,
                   GError         **error)
{
  action->now = ms_world_get_unix_now (world);
  device->action_running = TRUE;
  device->action_started_us = ms_clock_get_now_us (world->clock);
  device->offline_refused = FALSE;
  if (!ms_client_session_begin_action (device->client, action, error))
    {
      device->action_running = FALSE;
      return FALSE;
    }
  /* The action may go on after this (a step with "until"); its
   * "action-finished" ends it and counts the time it kept the device busy. */
  run_exchange (world);
  return TRUE;
}

static gboolean
do_crash (MsWorld   *world,
          MsDevice  *device,
          GError   **error)
{
  g_autoptr(MsStore) local = ms_store_new ();
  g_autoptr(MsClientSession) client = NULL;

  if (device->connection != NULL)
    ms_sim_connection_close (device->connection, TRUE,
                             ms_phrase_new (NC_ ("transcript", "the device crashed: its connection is gone")));

  /* An action the old client never finished dies with it. */
  device->action_running = FALSE;
  client = ms_sim_new_client_session (device->protocol, local, &device->policy,
                                      device->tls_mode, error);
  if (client == NULL)
    return FALSE;
  ms_world_set_device_client (world, device, client);
  ms_world_add_notice_phrase (world, device->name,
                              ms_phrase_new (NC_ ("transcript", "%s crashed and lost its local mail; a new %s with "
                                                  "the same account settings starts with an empty store"),
                                             ms_phrase_device (device->name), ms_phrase_device (device->name)));
  return TRUE;
}

static gboolean
do_send (MsWorld     *world,
         MsDevice    *device,
         GHashTable  *args,
         GError     **error)
{
  const char *to = arg_or (args, "to", "Bob Baker <bob@example.net>");
  const char *subject = arg_or (args, "subject", "Hello");
  const char *body = arg_or (args, "body", "Hello!");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(MsClientSession) smtp = NULL;
  g_autoptr(MsClientAction) save = NULL;
  g_autofree char *rcpt = NULL;
  const char *lt = strchr (to, '<');
  gint64 start = ms_clock_get_now_us (world->clock);

  rcpt = lt != NULL ? g_strndup (lt + 1, strcspn (lt + 1, ">")) : g_strdup (to);
  raw = ms_world_compose_message (world, "Alice Liddell <" MS_SIM_ADDRESS ">", to, subject, body, 0, NULL);

  if (!device->online)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_FAILED,
                   "%s is offline and cannot send", device->name);
      return FALSE;
    }

  smtp = ms_sim_new_smtp_client (raw, MS_SIM_ADDRESS, rcpt, error);
  if (smtp == NULL)
    return FALSE;
  if (ms_sim_connection_open (world, device, smtp, "smtp", FALSE, error) == NULL)
    return FALSE;
  run_exchange (world);
  ms_device_add_busy (device, ms_clock_get_now_us (world->clock) - start);

  /* Then the mail client files its copy: APPEND for IMAP, locally for POP3. */
  save = ms_client_action_new (MS_CLIENT_ACTION_SAVE_SENT);
  save->raw = g_bytes_ref (raw);
  return run_client_action (world, device, save, error);
}

/* The user presses Stop while the device is busy (a step with "until"
 * left its action running). */
static gboolean
do_stop (MsWorld  *world,
         MsDevice *device)
{
  if (MS_IS_POP3_CLIENT (device->client))
    {
      if (!ms_pop3_client_stop (MS_POP3_CLIENT (device->client)))
        ms_world_add_notice_phrase (world, device->name,
                                    ms_phrase_new (NC_ ("transcript", "Stop: the POP3 client is not in the middle "
                                                        "of a check")));
    }
  else
    ms_world_add_notice_phrase (world, device->name,
                                ms_phrase_new (NC_ ("transcript", "Stop: IMAP has nothing to take back, because "
                                                    "each command took effect on the server when the server "
                                                    "answered it; the client lets the work in progress finish")));
  run_exchange (world);
  return TRUE;
}

gboolean
ms_world_perform_device (MsWorld     *world,
                         MsDevice    *device,
                         const char  *action,
                         GHashTable  *args,
                         GError     **error)
{
  MsClientActionKind kind;
  g_autoptr(MsClientAction) client_action = NULL;

  if (g_str_equal (action, "crash"))
    return do_crash (world, device, error);
  if (g_str_equal (action, "send"))
    return do_send (world, device, args, error);
  if (g_str_equal (action, "stop"))
    return do_stop (world, device);
  if (g_str_equal (action, "go-offline"))
    {
      if (device->connection != NULL)
        ms_sim_connection_close (device->connection, TRUE,
                                 ms_phrase_new (NC_ ("transcript", "the device went offline: connection lost")));
      ms_device_set_online (device, FALSE);
      ms_world_add_notice_phrase (world, device->name, ms_phrase_new (NC_ ("transcript", "offline")));
      return TRUE;
    }
  if (g_str_equal (action, "go-online"))
    {
      ms_device_set_online (device, TRUE);
      ms_world_add_notice_phrase (world, device->name, ms_phrase_new (NC_ ("transcript", "back online")));
      client_action = ms_client_action_new (MS_CLIENT_ACTION_RESYNC);
      return run_client_action (world, device, client_action, error);
    }

  if (!ms_client_action_kind_from_string (action, &kind) || kind == MS_CLIENT_ACTION_SAVE_SENT)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNKNOWN_ACTION,
                   "a device cannot “%s”", action);
      return FALSE;
    }

  client_action = ms_client_action_new (kind);
  client_action->mailbox = g_strdup (arg_or (args, "mailbox", arg (args, "folder")));
  client_action->message = g_strdup (arg (args, "message"));
  client_action->argument = g_strdup (arg (args, "argument"));
  return run_client_action (world, device, client_action, error);
}

static gboolean
append_to_server (MsWorld     *world,
                  const char  *mailbox_name,
                  GBytes      *raw,
                  GError     **error)
{
  MsMailbox *box = ms_account_lookup_mailbox (world->account, mailbox_name);
  g_autoptr(GBytes) crlf = NULL;

  if (box == NULL)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "the server has no mailbox “%s”", mailbox_name);
      return FALSE;
    }
  crlf = ms_store_normalize_crlf (raw);
  ms_mailbox_append (box, crlf, MS_FLAG_NONE, NULL, ms_world_get_unix_now (world), 0);
  return TRUE;
}

static gboolean
do_deliver (MsWorld     *world,
            const char  *actor,
            GHashTable  *args,
            GError     **error)
{
  const char *file = arg (args, "file");
  const char *mailbox = arg_or (args, "mailbox", "INBOX");
  g_autoptr(GBytes) raw = NULL;
  MsPhrase *text;
  guint64 attachment = 0;

  if (file != NULL)
    {
      g_autofree char *dir = ms_data_path ("mail/sample");
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      if (strchr (file, '/') != NULL || dir == NULL)
        {
          g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                       "file: “%s” is not a file of the sample mailbox", file);
          return FALSE;
        }
      path = g_build_filename (dir, file, NULL);
      if (!g_file_get_contents (path, &contents, &len, error))
        return FALSE;
      raw = g_bytes_new_take (g_steal_pointer (&contents), len);
    }
  else
    {
      if (!arg_uint (args, "attachment-size", 0, MAX_ATTACHMENT, &attachment, error))
        return FALSE;
      raw = ms_world_compose_message (world,
                                      arg_or (args, "from", "Bob Baker <bob@example.net>"),
                                      "Alice Liddell <" MS_SIM_ADDRESS ">",
                                      arg_or (args, "subject", "New mail"),
                                      arg_or (args, "body", "Hello Alice!"),
                                      (gsize) attachment,
                                      arg_or (args, "attachment-name", "photo.jpg"));
    }

  if (!append_to_server (world, mailbox, raw, error))
    return FALSE;
  if (g_str_equal (actor, "sender"))
    text = ms_phrase_new (NC_ ("transcript", "new mail reaches the server's %s (%u bytes), relayed from the "
                               "sender's server"),
                          ms_phrase_text (mailbox), ms_phrase_uint (g_bytes_get_size (raw)));
  else
    text = ms_phrase_new (NC_ ("transcript", "new mail reaches the server's %s (%u bytes)"),
                          ms_phrase_text (mailbox), ms_phrase_uint (g_bytes_get_size (raw)));
  ms_world_add_notice_phrase (world, "server", text);
  run_exchange (world);
  return TRUE;
}

static gboolean
do_generate (MsWorld     *world,
             GHashTable  *args,
             GError     **error)
{
  static const char * const topics[] = {
    "Garden club news", "Bus timetable change", "Library reminder", "Football practice",
    "Choir rehearsal", "Book swap", "Recipe of the week", "Bike repair café",
  };
  guint64 count, every;
  const char *keyword = arg_or (args, "keyword", "volcano");
  const char *mailbox = arg_or (args, "mailbox", "INBOX");

  if (!arg_uint (args, "count", 100, MAX_GENERATE, &count, error) ||
      !arg_uint (args, "every", 50, MAX_GENERATE, &every, error))
    return FALSE;

  for (guint64 i = 1; i <= count; i++)
    {
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      g_autoptr(GBytes) raw = NULL;
      gboolean special = every > 0 && i % every == 0;

      subject = g_strdup_printf ("%s #%" G_GUINT64_FORMAT "%s%s", topics[i % G_N_ELEMENTS (topics)], i,
                                 special ? " - " : "", special ? keyword : "");
      body = g_strdup_printf ("Hello Alice,\n\nthis is newsletter number %" G_GUINT64_FORMAT
                              " of the year.%s%s\nThere is tea and cake on Saturday from 3 pm.\n"
                              "See you there!\n\nThe team\n",
                              i, special ? "\nThis one is about a " : "", special ? keyword : "");
      raw = ms_world_compose_message (world, "Neighbourhood News <news@example.com>",
                                      "Alice Liddell <" MS_SIM_ADDRESS ">", subject, body, 0, NULL);
      if (!append_to_server (world, mailbox, raw, error))
        return FALSE;
    }
  ms_world_add_notice_phrase (world, "server",
                              ms_phrase_new (NC_ ("transcript", "%u generated messages reach the server's %s"),
                                             ms_phrase_uint (count), ms_phrase_text (mailbox)));
  run_exchange (world);
  return TRUE;
}

/* The server's spam and virus filter: it checks each message of the
 * mailbox once (those that arrived since its last run) and marks the ones
 * whose subject holds `message` with the keyword $Junk (RFC 5788). The
 * mark lives on the server, so every IMAP session sees it; POP3 has no
 * way to carry it. */
static gboolean
do_scan (MsWorld     *world,
         GHashTable  *args,
         GError     **error)
{
  const char *mailbox = arg_or (args, "mailbox", "INBOX");
  const char *spam = arg (args, "message");
  static const char * const junk[] = { "$Junk", NULL };
  MsMailbox *box = ms_account_lookup_mailbox (world->account, mailbox);
  g_autoptr(GPtrArray) marked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MsPhrase) text = ms_phrase_list_new ("; ");
  guint32 from;
  guint checked = 0;

  if (box == NULL)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "the server has no mailbox “%s”", mailbox);
      return FALSE;
    }
  from = GPOINTER_TO_UINT (g_hash_table_lookup (world->scanned, ms_mailbox_get_name (box)));
  /* Collect first: storing flags emits signals that live sessions act on. */
  {
    g_autoptr(GPtrArray) junk_messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);

    for (guint i = 0; i < ms_mailbox_get_n_messages (box); i++)
      {
        MsMessage *message = ms_mailbox_get_message (box, i);
        g_autofree char *subject = NULL;

        if (ms_message_get_uid (message) < from)
          continue;
        checked++;
        subject = ms_world_raw_subject (ms_message_get_raw (message));
        if (spam != NULL && strstr (subject, spam) != NULL)
          {
            g_ptr_array_add (junk_messages, ms_message_ref (message));
            g_ptr_array_add (marked, g_steal_pointer (&subject));
          }
      }
    g_hash_table_insert (world->scanned, g_strdup (ms_mailbox_get_name (box)),
                         GUINT_TO_POINTER (ms_mailbox_get_uidnext (box)));
    for (guint i = 0; i < junk_messages->len; i++)
      ms_mailbox_store_flags (box, g_ptr_array_index (junk_messages, i), MS_FLAGS_ADD, MS_FLAG_NONE, junk);
  }

  ms_phrase_list_append (text, ms_phrase_new_plural (MS_NP ("transcript",
                                                            "the server's spam and virus filter checks %u new "
                                                            "message in %s, once for every device",
                                                            "the server's spam and virus filter checks %u new "
                                                            "messages in %s, once for every device"),
                                                     checked, ms_phrase_uint (checked), ms_phrase_text (mailbox)));
  if (marked->len == 0)
    ms_phrase_list_append (text, ms_phrase_new (NC_ ("transcript", "it finds nothing wrong")));
  else
    {
      /* The subjects are text: whatever they say, they are not translated. */
      g_autoptr(GString) subjects = g_string_new (NULL);

      for (guint i = 0; i < marked->len; i++)
        g_string_append_printf (subjects, "%s“%s”", i == 0 ? "" : ", ",
                                (const char *) g_ptr_array_index (marked, i));
      ms_phrase_list_append (text, ms_phrase_new (NC_ ("transcript", "it marks as junk (keyword $Junk): %s"),
                                                  ms_phrase_text (subjects->str)));
    }
  ms_world_add_notice_phrase (world, "server", g_steal_pointer (&text));
  run_exchange (world);
  return TRUE;
}

gboolean
ms_world_perform_server (MsWorld     *world,
                         const char  *actor,
                         const char  *action,
                         GHashTable  *args,
                         GError     **error)
{
  if (g_str_equal (action, "deliver"))
    return do_deliver (world, actor, args, error);
  if (g_str_equal (action, "generate"))
    return do_generate (world, args, error);
  if (g_str_equal (action, "scan") && g_str_equal (actor, "server"))
    return do_scan (world, args, error);
  if (g_str_equal (action, "create-folder"))
    {
      if (ms_account_create_mailbox (world->account, arg_or (args, "argument", ""), error) == NULL)
        return FALSE;
      run_exchange (world);
      return TRUE;
    }
  g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNKNOWN_ACTION,
               "the %s cannot “%s”", actor, action);
  return FALSE;
}

gboolean
ms_world_perform_network (MsWorld     *world,
                          const char  *action,
                          GHashTable  *args,
                          GError     **error)
{
  const char *device = arg (args, "device");

  if (device == NULL || ms_world_lookup_device (world, device) == NULL)
    {
      g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_BAD_ARGUMENT,
                   "device: the network needs the name of a device");
      return FALSE;
    }

  if (g_str_equal (action, "drop"))
    {
      MsDropRule *rule = g_new0 (MsDropRule, 1);
      guint64 after;
      MsPhrase *text;

      if (!arg_uint (args, "after-bytes", G_MAXINT64, G_MAXINT64, &after, error))
        {
          g_free (rule);
          return FALSE;
        }
      rule->device = g_strdup (device);
      rule->command = g_strdup (arg (args, "command"));
      rule->after_bytes = after == G_MAXINT64 ? -1 : (gint64) after;
      if (rule->command == NULL && rule->after_bytes < 0)
        rule->after_bytes = 0;
      g_ptr_array_add (world->drops, rule);
      text = rule->command != NULL
        ? ms_phrase_new (NC_ ("transcript", "the network will cut %s's connection in the middle of its next %s"),
                         ms_phrase_device (device), ms_phrase_text (rule->command))
        : ms_phrase_new (NC_ ("transcript", "the network will cut %s's connection after %u bytes"),
                         ms_phrase_device (device), ms_phrase_uint ((guint64) rule->after_bytes));
      ms_world_add_notice_phrase (world, "network", text);
      return TRUE;
    }
  if (g_str_equal (action, "set-link"))
    {
      MsDevice *dev = ms_world_lookup_device (world, device);
      g_autoptr(MsLink) link = ms_link_parse (arg_or (args, "link", ""), error);

      if (link == NULL)
        return FALSE;
      g_set_object (&dev->link, link);
      return TRUE;
    }
  g_set_error (error, MS_WORLD_ERROR, MS_WORLD_ERROR_UNKNOWN_ACTION,
               "the network cannot “%s”", action);
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's live server (net/ms-live-server.c) on real loopback sockets: a
 * busy port makes it take the next one and say why; a real POP3 client's
 * bytes land in the world's transcript as "real client N" and its deletion
 * in the world's store; a new world closes the old world's clients.
 *
 * The test is both ends: the client side uses blocking writes, which the
 * kernel buffers, and reads only once the server has closed; in between it
 * runs the main loop until a condition holds (never a fixed sleep). */
#define G_LOG_DOMAIN "test-live-server"
#include "config.h"

#include <string.h>

#include "ms-account.h"
#include "ms-export.h"
#include "ms-live-server.h"
#include "ms-mailbox.h"
#include "ms-player.h"
#include "ms-scenario.h"
#include "ms-test-wait.h"
#include "ms-transcript.h"
#include "ms-world.h"

#define WAIT_S 60

static void
wait_for (MsTestCondition  condition,
          gpointer         data,
          const char      *what)
{
  ms_test_wait_for (condition, data, WAIT_S, what);
}

static MsWorld *
new_world (void)
{
  g_autoptr(MsWorld) world = ms_world_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ms_world_load_mailbox (world, "sample", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&world);
}

static GSocketConnection *
connect_to (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  /* Connecting completes in the kernel's backlog: the server need not run. */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
send_text (GSocketConnection *connection,
           const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Everything the server sent, once it has closed. */
static char *
read_all (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (text, buffer, n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_client_added (MsLiveServer  *server,
                 MsLiveClient  *client,
                 GPtrArray     *clients)
{
  g_ptr_array_add (clients, g_object_ref (client));
}

/* Every listener on a port the kernel picks, serving @world; the clients
 * that connect are collected in @clients. */
static void
start_on_free_ports (MsLiveServer *server,
                     MsWorld      *world,
                     GPtrArray    *clients)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < MS_LIVE_SERVER_N_LISTENERS; i++)
    ms_live_server_set_wanted_port (server, ms_live_server_get_name (server, i), 0);
  ms_live_server_set_world (server, world);
  g_signal_connect (server, "client-added", G_CALLBACK (on_client_added), clients);
  g_assert_true (ms_live_server_start (server, &error));
  g_assert_no_error (error);
}

static gboolean
have_client (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

static gboolean
first_closed (gpointer data)
{
  GPtrArray *clients = data;

  return clients->len > 0 && !ms_live_client_get_open (g_ptr_array_index (clients, 0));
}

static gboolean
logged_in (gpointer data)
{
  return ms_live_client_get_user (data) != NULL;
}

static gboolean
has_program (gpointer data)
{
  return ms_live_client_get_program (data) != NULL;
}

static gboolean
second_closed (gpointer data)
{
  GPtrArray *clients = data;

  return clients->len > 1 && !ms_live_client_get_open (g_ptr_array_index (clients, 1));
}

static gboolean
transcript_has (MsTranscript *transcript,
                const char   *device,
                const char   *line)
{
  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);
      const char * const *lines = ms_transcript_entry_get_lines (entry);

      if (g_strcmp0 (ms_transcript_entry_get_device (entry), device) != 0)
        continue;
      for (guint j = 0; lines != NULL && lines[j] != NULL; j++)
        if (g_str_equal (lines[j], line))
          return TRUE;
    }
  return FALSE;
}

/* A port held by someone else: the server takes the next one and says so. */
static void
test_busy_port (void)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(MsLiveServer) server = ms_live_server_new ();
  g_autoptr(MsWorld) world = new_world ();
  g_autoptr(GError) error = NULL;
  guint16 busy;

  busy = g_socket_listener_add_any_inet_port (squatter, NULL, &error);
  g_assert_no_error (error);
  /* add_any_inet_port binds every address; 127.0.0.1 is among them. */
  ms_live_server_set_world (server, world);
  ms_live_server_set_wanted_port (server, "pop3", busy);
  ms_live_server_set_wanted_port (server, "imap", 0);
  ms_live_server_set_wanted_port (server, "pop3s", 0);
  ms_live_server_set_wanted_port (server, "imaps", 0);
  g_assert_true (ms_live_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_true (ms_live_server_get_running (server));

  g_assert_cmpstr (ms_live_server_get_name (server, 0), ==, "pop3");
  g_assert_cmpuint (ms_live_server_get_wanted_port (server, 0), ==, busy);
  g_assert_cmpuint (ms_live_server_get_port (server, 0), >, busy);
  g_assert_nonnull (ms_live_server_get_problem (server, 0));
  g_assert_cmpuint (ms_live_server_lookup_port (server, "imap"), >, 0);
  g_assert_null (ms_live_server_get_problem (server, 1));

  ms_live_server_stop (server);
  g_assert_false (ms_live_server_get_running (server));
  g_assert_cmpuint (ms_live_server_lookup_port (server, "pop3"), ==, 0);
}

/* A POP3 client deletes message 1: the world's store loses it at QUIT, and
 * the world's transcript holds every line as it crossed the wire. */
static void
test_pop3_client (void)
{
  g_autoptr(MsLiveServer) server = ms_live_server_new ();
  g_autoptr(MsWorld) world = new_world ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = NULL;
  MsMailbox *inbox = ms_account_get_inbox (ms_world_get_account (world));
  guint before = ms_mailbox_get_n_messages (inbox);
  MsTranscript *transcript = ms_world_get_transcript (world);
  MsLiveClient *client;

  g_assert_cmpuint (before, >, 1);
  start_on_free_ports (server, world, clients);

  connection = connect_to (ms_live_server_lookup_port (server, "pop3"));
  wait_for (have_client, clients, "the connection to be accepted");
  client = g_ptr_array_index (clients, 0);
  g_assert_cmpstr (ms_live_client_get_name (client), ==, "real client 1");
  g_assert_cmpstr (ms_live_client_get_protocol (client), ==, "pop3");
  g_assert_true (ms_live_client_get_open (client));
  g_assert_cmpuint (ms_live_server_get_n_open (server), ==, 1);
#ifdef __linux__
  {
    g_autofree char *comm = NULL;

    /* The program at the other end is this test itself. */
    wait_for (has_program, client, "the program look-up");
    g_assert_true (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
    g_assert_cmpstr (ms_live_client_get_program (client), ==, g_strstrip (comm));
  }
#endif

  send_text (connection, "USER alice\r\nPASS wonderland\r\nSTAT\r\nDELE 1\r\nQUIT\r\n");
  wait_for (first_closed, clients, "the session to end");
  answers = read_all (connection);
  g_assert_nonnull (strstr (answers, "+OK"));
  g_assert_null (strstr (answers, "-ERR"));

  g_assert_cmpuint (ms_mailbox_get_n_messages (inbox), ==, before - 1);
  g_assert_cmpstr (ms_live_client_get_user (client), ==, "alice");
  g_assert_cmpuint (ms_live_client_get_bytes_up (client), ==, strlen ("USER alice\r\nPASS wonderland\r\nSTAT\r\nDELE 1\r\nQUIT\r\n"));
  g_assert_cmpuint (ms_live_client_get_bytes_down (client), ==, strlen (answers));
  g_assert_nonnull (ms_live_client_get_close_reason (client));
  g_assert_cmpuint (ms_live_server_get_n_open (server), ==, 0);
  /* What really crossed the wire, password included: that is the lesson. */
  g_assert_true (transcript_has (transcript, "real client 1", "PASS wonderland"));
  g_assert_true (transcript_has (transcript, "real client 1", "DELE 1"));
  g_assert_true (ms_transcript_contains (transcript, "disconnected"));
  ms_live_server_stop (server);
}

/* Step back replays into a new world: the old world's clients are closed,
 * and the next client is served from the new world's store. */
static void
test_new_world (void)
{
  g_autoptr(MsLiveServer) server = ms_live_server_new ();
  g_autoptr(MsWorld) world = new_world ();
  g_autoptr(MsWorld) replayed = new_world ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnection) first = NULL;
  g_autoptr(GSocketConnection) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *reason = NULL;
  guint16 port;

  start_on_free_ports (server, world, clients);
  port = ms_live_server_lookup_port (server, "imap");

  first = connect_to (port);
  send_text (first, "a1 LOGIN alice wonderland\r\n");
  wait_for (have_client, clients, "the connection to be accepted");
  wait_for (logged_in, g_ptr_array_index (clients, 0), "the login");
  ms_live_server_set_world (server, replayed);
  wait_for (first_closed, clients, "the old world's client to be closed");
  reason = ms_phrase_to_english (ms_live_client_get_close_reason (g_ptr_array_index (clients, 0)));
  g_assert_nonnull (strstr (reason, "rebuilt"));
  answers = read_all (first);
  g_assert_nonnull (strstr (answers, "* OK"));

  second = connect_to (port);
  send_text (second, "a1 LOGIN alice wonderland\r\na2 SELECT INBOX\r\na3 LOGOUT\r\n");
  wait_for (second_closed, clients, "the second client to log out");
  g_assert_cmpstr (ms_live_client_get_name (g_ptr_array_index (clients, 1)), ==, "real client 2");
  g_assert_true (transcript_has (ms_world_get_transcript (replayed), "real client 2", "a2 SELECT INBOX"));
  g_assert_false (transcript_has (ms_world_get_transcript (world), "real client 2", "a2 SELECT INBOX"));
  ms_live_server_stop (server);
}

/* The timestamps of the Enhanced Packet Blocks of a pcapng (little-endian,
 * as MsPcapngWriter writes it, microseconds). */
static GArray *
packet_times (GBytes *pcapng)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gsize len, pos = 0;
  const guint8 *data = g_bytes_get_data (pcapng, &len);

  while (pos + 12 <= len)
    {
      guint32 type, size;

      memcpy (&type, data + pos, 4);
      memcpy (&size, data + pos + 4, 4);
      g_assert_cmpuint (size, >=, 12);
      g_assert_cmpuint (pos + size, <=, len);
      if (type == 6)
        {
          guint32 high, low;
          gint64 t;

          memcpy (&high, data + pos + 12, 4);
          memcpy (&low, data + pos + 16, 4);
          t = (gint64) (((guint64) high << 32) | low);
          g_array_append_val (times, t);
        }
      pos += size;
    }
  return times;
}

static gboolean
is_time_of_day (const char *text)
{
  /* "18:42:07.123" */
  return strlen (text) == 12 && g_ascii_isdigit (text[0]) && text[2] == ':' && text[5] == ':' &&
         text[8] == '.' && g_ascii_isdigit (text[11]);
}

/* A real client's lines carry the real time they happened, not the virtual
 * clock (which stands still while no scenario plays); the text shows it as
 * a time of day, and a capture of a world with both simulated and real
 * connections has its packets in time order, the real ones at real time. */
static void
test_real_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsScenario) scenario = ms_scenario_load ("first-check", &error);
  g_autoptr(MsPlayer) player = NULL;
  g_autoptr(MsLiveServer) server = ms_live_server_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GBytes) pcapng = NULL;
  g_autoptr(GArray) times = NULL;
  g_autofree char *answers = NULL;
  MsTranscript *transcript;
  gint64 before = g_get_real_time (), after, last = 0;
  guint real = 0;

  g_assert_no_error (error);
  player = ms_player_new (scenario);
  g_assert_true (ms_player_step_forward (player, &error));
  g_assert_no_error (error);
  transcript = ms_world_get_transcript (ms_player_get_world (player));

  start_on_free_ports (server, ms_player_get_world (player), clients);
  connection = connect_to (ms_live_server_lookup_port (server, "pop3"));
  send_text (connection, "CAPA\r\nUSER alice\r\nPASS wonderland\r\nSTAT\r\nQUIT\r\n");
  wait_for (have_client, clients, "the connection to be accepted");
  wait_for (first_closed, clients, "the session to end");
  answers = read_all (connection);
  g_assert_nonnull (strstr (answers, "+OK"));
  after = g_get_real_time ();

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);
      gint64 t = ms_transcript_entry_get_real_time_us (entry);
      g_autofree char *shown = ms_transcript_entry_format_time (entry);

      if (g_strcmp0 (ms_transcript_entry_get_device (entry), "real client 1") != 0)
        {
          g_assert_cmpint (t, ==, 0);
          g_assert_false (is_time_of_day (shown));
          continue;
        }
      g_assert_cmpint (t, >=, before);
      g_assert_cmpint (t, <=, after);
      g_assert_cmpint (t, >=, last);
      g_assert_true (is_time_of_day (shown));
      last = t;
      real++;
    }
  g_assert_cmpuint (real, >=, 10);

  pcapng = ms_export_to_bytes (player, MS_EXPORT_FORMAT_PCAPNG, MS_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  times = packet_times (pcapng);
  g_assert_cmpuint (times->len, >, 20);
  for (guint i = 1; i < times->len; i++)
    g_assert_cmpint (g_array_index (times, gint64, i), >=, g_array_index (times, gint64, i - 1));
  /* The simulated part at the scenario's pretended date, the real client's
   * packets last, at the time they crossed the loopback. */
  g_assert_cmpint (g_array_index (times, gint64, 0), >=,
                   ms_world_get_epoch (ms_player_get_world (player)) * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (times, gint64, 0), <, before);
  g_assert_cmpint (g_array_index (times, gint64, times->len - 1), >=, before);
  g_assert_cmpint (g_array_index (times, gint64, times->len - 1), <=, after);
  ms_live_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  const char *build = g_getenv ("MS_BUILD_DIR");
  g_autofree char *data_home = g_build_filename (build ? build : ".", "test-data-home", "live-server", NULL);

  /* The TLS listeners make a certificate in the user data folder: one in
   * the build folder, not the real home. (Not G_TEST_OPTION_ISOLATE_DIRS:
   * what GLib keeps for it shows as a leak under LeakSanitizer.) */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live-server/busy-port", test_busy_port);
  g_test_add_func ("/live-server/pop3-client", test_pop3_client);
  g_test_add_func ("/live-server/new-world", test_new_world);
  g_test_add_func ("/live-server/real-time", test_real_time);
  return g_test_run ();
}

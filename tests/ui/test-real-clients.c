/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Real clients" switch under Xvfb, with real curl as the client: the
 * switch opens the listeners, each curl run shows as a lane on the stage,
 * its RETR and FETCH lines are in the transcript pane (with their
 * explanations), and a deletion made by curl empties the server shown on
 * the stage. Screenshots at 1280x800 and 1920x1080 go to
 * $MS_BUILD_DIR/ui-screenshots/.
 *
 * No fixed sleeps: every wait is for a condition, with a generous deadline
 * for a loaded machine. curl runs as a subprocess whose end is awaited on
 * the main loop, which keeps serving it meanwhile. */
#define G_LOG_DOMAIN "test-real-clients"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "ms-application.h"
#include "ms-live-server.h"
#include "ms-real-clients-panel.h"
#include "ms-transcript.h"
#include "ms-window.h"
#include "ms-test-wait.h"
#include "ms-ui-test.h"

#define WAIT_S 120

static MsApplication *app;

static void
wait_for (MsTestCondition  condition,
          gpointer         data,
          const char      *what)
{
  ms_test_wait_for (condition, data, WAIT_S, what);
}

static MsRealClientsPanel *
panel_of (GtkWidget *window)
{
  return MS_REAL_CLIENTS_PANEL (ms_window_get_real_clients_panel (MS_WINDOW (window)));
}

static MsLiveServer *
server_of (GtkWidget *window)
{
  return ms_real_clients_panel_get_server (panel_of (window));
}

typedef struct
{
  GSubprocess *process;
  char        *out;
  gboolean     done;
} Run;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &out, NULL, &error);
  g_assert_no_error (error);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* Starts @argv (its output piped); finish_run() waits for its end while the
 * main loop keeps serving it. */
static Run *
start_run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  run->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (run->process, NULL, NULL, on_communicated, run);
  return run;
}

static char *
finish_run (Run *run)
{
  char *out;

  wait_for (run_done, run, "the client program to finish");
  g_assert_true (g_subprocess_get_successful (run->process));
  g_object_unref (run->process);
  out = run->out;
  g_free (run);
  return out;
}

/* Runs curl with @args to the end; returns what it printed. */
static char *
curl (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "curl");
  /* Never a proxy from the environment; a bounded run. */
  g_ptr_array_add (argv, (gpointer) "--noproxy");
  g_ptr_array_add (argv, (gpointer) "*");
  g_ptr_array_add (argv, (gpointer) "--max-time");
  g_ptr_array_add (argv, (gpointer) "60");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return finish_run (start_run ((const char * const *) argv->pdata));
}

typedef struct
{
  GtkWidget  *window;
  const char *protocol;
  const char *needle;
} Wanted;

/* A chunk of a real client speaking @protocol whose line holds @needle, in
 * the world on screen. */
static MsTranscriptEntry *
find_line (GtkWidget  *window,
           const char *protocol,
           const char *needle)
{
  MsTranscript *transcript = ms_world_get_transcript (ms_live_server_get_world (server_of (window)));

  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);
      const char * const *lines = ms_transcript_entry_get_lines (entry);

      if (ms_transcript_entry_get_kind (entry) != MS_TRANSCRIPT_CHUNK ||
          !g_str_has_prefix (ms_transcript_entry_get_device (entry), "real client ") ||
          g_strcmp0 (ms_transcript_entry_get_protocol (entry), protocol) != 0)
        continue;
      for (guint j = 0; lines != NULL && lines[j] != NULL; j++)
        if (strstr (lines[j], needle) != NULL)
          return entry;
    }
  return NULL;
}

static gboolean
line_seen (gpointer data)
{
  Wanted *wanted = data;

  return find_line (wanted->window, wanted->protocol, wanted->needle) != NULL;
}

static gboolean
lane_with_envelopes (gpointer data)
{
  MsRealClientsPanel *panel = panel_of (data);
  guint n = ms_real_clients_panel_get_n_lanes (panel);

  return n > 0 && ms_real_client_lane_get_n_envelopes (ms_real_clients_panel_get_lane (panel, n - 1)) > 0;
}

static gboolean
no_client_open (gpointer data)
{
  return ms_live_server_get_n_open (server_of (data)) == 0;
}

static GtkWidget *
new_window (int width,
            int height)
{
  return ms_ui_test_present (GTK_WIDGET (ms_window_new (GTK_APPLICATION (app))), width, height);
}

static void
switch_on (GtkWidget *window)
{
  gboolean on = FALSE;

  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  g_object_get (window, "real-clients", &on, NULL);
  g_assert_true (on);
  g_assert_nonnull (server_of (window));
  g_assert_true (ms_live_server_get_running (server_of (window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel_of (window))));
  g_assert_cmpuint (ms_live_server_lookup_port (server_of (window), "pop3"), >, 0);
  g_assert_cmpuint (ms_live_server_lookup_port (server_of (window), "imap"), >, 0);
}

/* Shows the selected real client's @entry in the transcript pane: only
 * that device's lines, and the row selected, so its explanation shows. */
static void
select_in_pane (GtkWidget         *window,
                MsTranscriptEntry *entry)
{
  MsTranscriptView *view = ms_window_get_transcript_view (MS_WINDOW (window));

  ms_transcript_view_set_device_filter (view, ms_transcript_entry_get_device (entry));
  for (guint i = 0; i < ms_transcript_view_get_n_shown (view); i++)
    {
      ms_transcript_view_select (view, i);
      if (ms_transcript_view_get_selected (view) == entry)
        {
          g_assert_nonnull (ms_transcript_view_get_explanation (view));
          g_assert_cmpuint (strlen (ms_transcript_view_get_explanation (view)), >, 20);
          return;
        }
    }
  g_error ("the line is not in the transcript pane");
}

static void
test_curl (void)
{
  GtkWidget *window = new_window (1280, 800);
  g_autofree char *pop3_url = NULL;
  g_autofree char *imap_url = NULL;
  g_autofree char *message = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *status = NULL;
  MsRealClientsPanel *panel;
  MsRealClientLane *lane;
  MsTranscriptEntry *retr;
  MsTranscriptEntry *fetch;
  guint before;
  Wanted wanted = { window, "pop3", "RETR 1" };

  switch_on (window);
  panel = panel_of (window);
  status = ms_real_clients_panel_dup_status (panel);
  g_test_message ("strip: %s", status);
  g_assert_nonnull (strstr (status, "alice"));
  g_assert_nonnull (strstr (status, "wonderland"));
  ms_ui_test_save_screenshot (window, "real-clients-on");

  pop3_url = g_strdup_printf ("pop3://127.0.0.1:%u/1", ms_live_server_lookup_port (server_of (window), "pop3"));
  imap_url = g_strdup_printf ("imap://127.0.0.1:%u/INBOX;UID=2", ms_live_server_lookup_port (server_of (window), "imap"));

  /* POP3: download message 1. */
  message = curl ((const char *[]) { "-s", pop3_url, "-u", "alice:wonderland", NULL });
  g_assert_cmpuint (strlen (message), >, 100);
  wait_for (line_seen, &wanted, "curl's RETR in the transcript");
  wait_for (lane_with_envelopes, window, "curl's lane and its envelopes");
  g_assert_cmpuint (ms_real_clients_panel_get_n_lanes (panel), ==, 1);
  lane = ms_real_clients_panel_get_lane (panel, 0);
  g_test_message ("lane: %s", ms_real_client_lane_get_title (lane));
  g_assert_nonnull (strstr (ms_real_client_lane_get_title (lane), "(127.0.0.1:"));
  g_assert_nonnull (strstr (ms_real_client_lane_get_title (lane), "POP3"));
  retr = find_line (window, "pop3", "RETR 1");
  g_assert_cmpstr (ms_transcript_entry_get_device (retr), ==, "real client 1");
  /* What crossed the wire, password included: curl logs in with SASL PLAIN
   * when the server offers it, so the password is there in base64 of
   * "\0alice\0wonderland" (not hidden: base64 is no encryption). */
  wanted.needle = "AGFsaWNlAHdvbmRlcmxhbmQ=";
  if (!line_seen (&wanted))
    wanted.needle = "PASS wonderland";
  g_assert_true (line_seen (&wanted));
  ms_ui_test_save_screenshot (window, "real-clients-pop3");

  /* IMAP: fetch message 2. */
  fetched = curl ((const char *[]) { "-s", imap_url, "-u", "alice:wonderland", NULL });
  g_assert_cmpuint (strlen (fetched), >, 100);
  wanted.protocol = "imap";
  wanted.needle = "FETCH";
  wait_for (line_seen, &wanted, "curl's FETCH in the transcript");
  fetch = find_line (window, "imap", "FETCH");
  g_assert_cmpstr (ms_transcript_entry_get_device (fetch), ==, "real client 2");
  wait_for (lane_with_envelopes, window, "the IMAP lane");
  /* The newest lane; the POP3 one may have gone already on a slow machine
   * (a finished lane stays 30 s). */
  lane = ms_real_clients_panel_get_lane (panel, ms_real_clients_panel_get_n_lanes (panel) - 1);
  g_assert_nonnull (strstr (ms_real_client_lane_get_title (lane), "IMAP"));

  select_in_pane (window, retr);
  ms_ui_test_save_screenshot (window, "real-clients-retr-explained");
  select_in_pane (window, fetch);
  ms_transcript_view_set_device_filter (ms_window_get_transcript_view (MS_WINDOW (window)), NULL);

  /* A deletion by a real client is a deletion on the stage's server: POP3
   * removes the message at QUIT. */
  before = ms_window_get_server_count (MS_WINDOW (window));
  deleted = curl ((const char *[]) { "-s", pop3_url, "-u", "alice:wonderland", "-X", "DELE", "-I", NULL });
  wait_for (no_client_open, window, "the deleting client to quit");
  g_assert_cmpuint (ms_window_get_server_count (MS_WINDOW (window)), ==, before - 1);
  ms_ui_test_save_screenshot (window, "real-clients-1280x800");

  /* Off: nothing listens, and the lanes go. */
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  g_assert_false (ms_live_server_get_running (server_of (window)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The big screen: one lane while its envelopes travel. */
static void
test_curl_1920 (void)
{
  GtkWidget *window = new_window (1920, 1080);
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;

  switch_on (window);
  url = g_strdup_printf ("pop3://127.0.0.1:%u/", ms_live_server_lookup_port (server_of (window), "pop3"));
  /* A listing: LIST and its answer. */
  out = curl ((const char *[]) { "-s", url, "-u", "alice:wonderland", NULL });
  g_assert_cmpuint (strlen (out), >, 0);
  wait_for (lane_with_envelopes, window, "the lane");
  ms_ui_test_save_screenshot (window, "real-clients");

  /* Over TLS (the certificate is self-signed: -k): the lane's envelopes
   * travel sealed, and the transcript has the plaintext, marked encrypted. */
  if (ms_live_server_lookup_port (server_of (window), "imaps") != 0)
    {
      g_autofree char *tls_url = g_strdup_printf ("imaps://127.0.0.1:%u/INBOX;UID=1",
                                                  ms_live_server_lookup_port (server_of (window), "imaps"));
      g_autofree char *tls_out = curl ((const char *[]) { "-s", "-k", tls_url, "-u", "alice:wonderland", NULL });
      Wanted wanted = { window, "imap", "FETCH" };
      MsTranscriptEntry *fetch;

      g_assert_cmpuint (strlen (tls_out), >, 100);
      wait_for (line_seen, &wanted, "the FETCH over TLS");
      fetch = find_line (window, "imap", "FETCH");
      g_assert_true (ms_transcript_entry_get_encrypted (fetch));
      ms_ui_test_save_screenshot (window, "real-clients-tls");
    }
  else
    g_test_message ("no TLS listener: %s", ms_live_server_get_problem (server_of (window), 3));
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Python's imaplib waits in IDLE; "Deliver new mail" on the stage's server
 * reaches it at once as "* N EXISTS", in its lane and in the transcript. */
static const char idle_script[] =
  "import imaplib, sys\n"
  "M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))\n"
  "M.login('alice', 'wonderland')\n"
  "M.select('INBOX')\n"
  "M.sock.settimeout(100)\n"
  "M.send(b'i1 IDLE\\r\\n')\n"
  "M.readline()\n"
  "print(M.readline().decode().strip())\n"
  "M.send(b'DONE\\r\\n')\n"
  "while not M.readline().startswith(b'i1 '): pass\n"
  "M.logout()\n";

static void
test_imaplib_idle (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *port = NULL;
  g_autofree char *pushed = NULL;
  GtkWidget *window;
  Run *run;
  Wanted idling;

  if (python == NULL)
    {
      g_test_skip ("no python3");
      return;
    }
  window = new_window (1920, 1080);
  switch_on (window);
  port = g_strdup_printf ("%u", ms_live_server_lookup_port (server_of (window), "imap"));
  run = start_run ((const char *[]) { python, "-c", idle_script, port, NULL });
  idling = (Wanted) { window, "imap", "+ idling" };
  wait_for (line_seen, &idling, "imaplib to wait in IDLE");

  g_assert_true (gtk_widget_activate_action (window, "world.perform", "(ss)", "server", "deliver"));
  pushed = finish_run (run);
  g_test_message ("imaplib got: %s", pushed);
  g_assert_nonnull (strstr (pushed, "EXISTS"));
  /* The very line imaplib got is in the transcript (SELECT's count is one
   * lower). */
  idling.needle = g_strstrip (pushed);
  g_assert_true (line_seen (&idling));
  ms_ui_test_save_screenshot (window, "real-clients-idle");
  g_assert_true (gtk_widget_activate_action (window, "win.real-clients", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_tests (void)
{
  g_autofree char *curl_path = g_find_program_in_path ("curl");

  if (curl_path == NULL)
    {
      g_test_skip ("no curl (build-aux/ensure-deps installs it)");
      return;
    }
  g_test_add_func ("/ui/real-clients/curl", test_curl);
  g_test_add_func ("/ui/real-clients/curl-1920x1080", test_curl_1920);
  g_test_add_func ("/ui/real-clients/imaplib-idle", test_imaplib_idle);
}

int
main (int    argc,
      char **argv)
{
  const char *build = g_getenv ("MS_BUILD_DIR");
  g_autofree char *data_home = g_build_filename (build ? build : ".", "test-data-home", "ui-real-clients", NULL);

  /* The TLS listeners make a certificate in the user data folder: one in
   * the build folder, not the real home. Not G_TEST_OPTION_ISOLATE_DIRS: it
   * also hides the system data folders, and with them the MIME database
   * that GTK needs to load its own icons. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  return ms_ui_test_main (&argc, &argv, &app, add_tests);
}

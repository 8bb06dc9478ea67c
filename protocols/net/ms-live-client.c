/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-live"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-chunk-decoder.h"
#include "ms-display-names.h"
#include "ms-live-client.h"
#include "ms-peer-process.h"
#include "ms-protocol-event.h"
#include "ms-tls-filter.h"

/* The longest a greeting waits for the program look-up. */
#define LOOKUP_WAIT_MS 400

struct _MsLiveClient
{
  GObject         parent_instance;

  MsConnection   *connection;
  MsWorld        *world;         /* where entries go, or NULL */
  GCancellable   *cancellable;   /* the program look-up */
  MsChunkDecoder  chunks;
  guint           number;
  guint16         server_port;
  char           *name;
  char           *program;
  char           *user;
  MsPhrase       *close_reason;
  const char     *shutdown_why;  /* a msgid, set by ms_live_client_shutdown() */
  guint           start_timeout;
  gboolean        open;
  gboolean        started;
  gboolean        tls;
  guint64         bytes_up;
  guint64         bytes_down;
};

G_DEFINE_FINAL_TYPE (MsLiveClient, ms_live_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRAM,
  PROP_USER,
  PROP_OPEN,
  PROP_TLS,
  PROP_BYTES,
  N_PROPS
};

enum {
  ENTRY_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
add_entry (MsLiveClient      *self,
           MsTranscriptEntry *entry)
{
  if (self->world != NULL)
    ms_world_add_external_entry (self->world, entry);
  g_signal_emit (self, signals[ENTRY_ADDED], 0, entry);
  g_object_unref (entry);
}

static void
add_phrase (MsLiveClient     *self,
            MsTranscriptKind  kind,
            MsPhrase         *phrase)
{
  add_entry (self, ms_transcript_entry_new_phrase (kind, self->name, ms_connection_get_protocol (self->connection),
                                                   MS_LIVE_CLIENT_CONNECTION_BASE +
                                                   ms_connection_get_id (self->connection),
                                                   phrase));
}

static void
on_plaintext (MsConnection *connection,
              gboolean      from_client,
              GBytes       *bytes,
              guint64       wire_size,
              gboolean      encrypted,
              MsLiveClient *self)
{
  MsDirection direction = from_client ? MS_DIRECTION_TO_SERVER : MS_DIRECTION_TO_CLIENT;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *command = from_client ? ms_chunk_decoder_command_of (self->chunks.protocol, data, len) : NULL;
  g_autofree char *belongs_to = NULL;
  GStrv lines = ms_chunk_decoder_feed (&self->chunks, direction, data, len, command, &belongs_to);

  if (from_client)
    self->bytes_up += wire_size;
  else
    self->bytes_down += wire_size;
  add_entry (self, ms_transcript_entry_new_chunk (self->name, self->chunks.protocol,
                                                  MS_LIVE_CLIENT_CONNECTION_BASE + ms_connection_get_id (connection),
                                                  self->server_port, direction, bytes, (gsize) wire_size,
                                                  lines, belongs_to, encrypted));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
}

static void
on_session_event (MsServerSession       *session,
                  const MsProtocolEvent *event,
                  MsLiveClient          *self)
{
  /* Commands and responses are in the chunks already. */
  if (event->kind != MS_PROTOCOL_EVENT_STATE && event->kind != MS_PROTOCOL_EVENT_NOTICE)
    return;
  if (event->kind == MS_PROTOCOL_EVENT_NOTICE && g_strcmp0 (event->name, "login") == 0 &&
      g_strcmp0 (self->user, event->text) != 0)
    {
      g_free (self->user);
      self->user = g_strdup (event->text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
  add_phrase (self, event->kind == MS_PROTOCOL_EVENT_STATE ? MS_TRANSCRIPT_STATE : MS_TRANSCRIPT_NOTICE,
              ms_protocol_event_describe (event, "server"));
}

static void
on_tls_established (MsConnection *connection,
                    MsLiveClient *self)
{
  MsTlsFilter *filter = ms_connection_get_tls_filter (connection);
  MsPhrase *notice = ms_phrase_list_new ("; ");

  ms_phrase_list_append (notice, ms_phrase_new (NC_ ("transcript", "TLS is up: %s, %s"),
                                                ms_phrase_text (ms_tls_filter_get_version_name (filter)),
                                                ms_phrase_text (ms_tls_filter_get_cipher_name (filter))));
  ms_phrase_list_append (notice, ms_phrase_new (NC_ ("transcript", "from now on only TLS records cross the wire")));
  self->tls = TRUE;
  add_phrase (self, MS_TRANSCRIPT_NOTICE, notice);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS]);
}

static void
on_closed (MsConnection *connection,
           int           reason,
           MsLiveClient *self)
{
  const char *why;

  if (!self->open)
    return;
  self->open = FALSE;
  switch ((MsConnectionCloseReason) reason)
    {
    case MS_CONNECTION_CLOSED_FINISHED:
      why = NC_ ("transcript", "the session ended (QUIT or LOGOUT)");
      break;
    case MS_CONNECTION_CLOSED_LOST:
      why = NC_ ("transcript", "the client closed the connection");
      break;
    case MS_CONNECTION_CLOSED_TIMEOUT:
      why = NC_ ("transcript", "the client was inactive too long");
      break;
    case MS_CONNECTION_CLOSED_SHUTDOWN:
    default:
      why = self->shutdown_why ? self->shutdown_why : NC_ ("transcript", "the server closed the connection");
      break;
    }
  g_clear_pointer (&self->close_reason, ms_phrase_unref);
  self->close_reason = ms_phrase_new (why);
  add_phrase (self, MS_TRANSCRIPT_NOTICE,
              ms_phrase_new (NC_ ("transcript", "disconnected: %s"), ms_phrase_ref (self->close_reason)));
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_timeout, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
}

static void
start_connection (MsLiveClient *self)
{
  g_clear_handle_id (&self->start_timeout, g_source_remove);
  if (self->connection != NULL && self->open && !self->started)
    {
      self->started = TRUE;
      ms_connection_start (self->connection);
    }
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  MsLiveClient *self = user_data;

  self->start_timeout = 0;
  start_connection (self);
  return G_SOURCE_REMOVE;
}

static void
on_program_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MsLiveClient) self = user_data;
  g_autofree char *program = ms_peer_process_lookup_finish (result, NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (program != NULL)
    {
      self->program = g_steal_pointer (&program);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM]);
    }
  start_connection (self);
}

static void
ms_live_client_dispose (GObject *object)
{
  MsLiveClient *self = MS_LIVE_CLIENT (object);

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->connection != NULL && ms_connection_get_session (self->connection) != NULL)
    g_signal_handlers_disconnect_by_data (ms_connection_get_session (self->connection), self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_timeout, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->world);

  G_OBJECT_CLASS (ms_live_client_parent_class)->dispose (object);
}

static void
ms_live_client_finalize (GObject *object)
{
  MsLiveClient *self = MS_LIVE_CLIENT (object);

  ms_chunk_decoder_clear (&self->chunks);
  g_free (self->name);
  g_free (self->program);
  g_free (self->user);
  g_clear_pointer (&self->close_reason, ms_phrase_unref);

  G_OBJECT_CLASS (ms_live_client_parent_class)->finalize (object);
}

static void
ms_live_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsLiveClient *self = MS_LIVE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_value_set_string (value, self->program);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;
    case PROP_TLS:
      g_value_set_boolean (value, self->tls);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes_up + self->bytes_down);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_live_client_class_init (MsLiveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_live_client_dispose;
  object_class->finalize = ms_live_client_finalize;
  object_class->get_property = ms_live_client_get_property;

  properties[PROP_PROGRAM] =
    g_param_spec_string ("program", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS] =
    g_param_spec_boolean ("tls", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Up and down together: notified on every chunk. */
  properties[PROP_BYTES] =
    g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsLiveClient::entry-added:
   * @entry: the MsTranscriptEntry just recorded
   */
  signals[ENTRY_ADDED] =
    g_signal_new ("entry-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MS_TYPE_TRANSCRIPT_ENTRY);
}

static void
ms_live_client_init (MsLiveClient *self)
{
  self->open = TRUE;
  self->cancellable = g_cancellable_new ();
}

static guint16
port_of (const char *address)
{
  const char *colon = address ? strrchr (address, ':') : NULL;

  return colon != NULL ? (guint16) g_ascii_strtoull (colon + 1, NULL, 10) : 0;
}

MsLiveClient *
ms_live_client_new (MsConnection *connection,
                    guint         number,
                    guint16       server_port,
                    MsWorld      *world)
{
  MsLiveClient *self;
  guint16 client_port;

  g_return_val_if_fail (MS_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (world == NULL || MS_IS_WORLD (world), NULL);

  self = g_object_new (MS_TYPE_LIVE_CLIENT, NULL);
  self->connection = g_object_ref (connection);
  self->world = world ? g_object_ref (world) : NULL;
  self->number = number;
  self->server_port = server_port;
  /* The id the transcript, its exports and filters use; a reader sees it
   * translated (ms_device_display_name(), ms_phrase_real_client()). */
  self->name = g_strdup_printf ("real client %u", number);
  ms_chunk_decoder_init (&self->chunks, ms_connection_get_protocol (connection));

  g_signal_connect_object (connection, "plaintext", G_CALLBACK (on_plaintext), self, 0);
  g_signal_connect_object (connection, "tls-established", G_CALLBACK (on_tls_established), self, 0);
  g_signal_connect_object (connection, "closed", G_CALLBACK (on_closed), self, 0);
  /* Commands and responses come from the plaintext chunks: only states and
   * notices are asked for, so the session need not describe every line. */
  g_signal_connect_object (ms_connection_get_session (connection), "protocol-event::state",
                           G_CALLBACK (on_session_event), self, 0);
  g_signal_connect_object (ms_connection_get_session (connection), "protocol-event::notice",
                           G_CALLBACK (on_session_event), self, 0);

  add_phrase (self, MS_TRANSCRIPT_NOTICE,
              ms_phrase_new (NC_ ("transcript", "%s connects from %s to port %u"), ms_phrase_real_client (number),
                             ms_phrase_text (ms_connection_get_peer (connection)), ms_phrase_uint (server_port)));

  /* The client waits for its greeting meanwhile, so it is still there to
   * be found; a slow look-up (a busy machine) gives up after a while. */
  client_port = port_of (ms_connection_get_peer (connection));
  if (client_port != 0)
    {
      ms_peer_process_lookup_async (client_port, server_port, self->cancellable,
                                    on_program_found, g_object_ref (self));
      self->start_timeout = g_timeout_add (LOOKUP_WAIT_MS, start_timeout_cb, self);
    }
  else
    start_connection (self);
  return self;
}

guint
ms_live_client_get_number (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), 0);
  return self->number;
}

const char *
ms_live_client_get_name (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->name;
}

const char *
ms_live_client_get_protocol (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->chunks.protocol;
}

const char *
ms_live_client_get_peer (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->connection ? ms_connection_get_peer (self->connection) : NULL;
}

guint16
ms_live_client_get_server_port (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), 0);
  return self->server_port;
}

const char *
ms_live_client_get_program (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->program;
}

const char *
ms_live_client_get_user (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->user;
}

gboolean
ms_live_client_get_open (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), FALSE);
  return self->open;
}

const MsPhrase *
ms_live_client_get_close_reason (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), NULL);
  return self->close_reason;
}

gboolean
ms_live_client_get_tls (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), FALSE);
  return self->tls;
}

guint64
ms_live_client_get_bytes_up (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), 0);
  return self->bytes_up;
}

guint64
ms_live_client_get_bytes_down (MsLiveClient *self)
{
  g_return_val_if_fail (MS_IS_LIVE_CLIENT (self), 0);
  return self->bytes_down;
}

void
ms_live_client_shutdown (MsLiveClient *self,
                         const char   *why)
{
  g_return_if_fail (MS_IS_LIVE_CLIENT (self));

  if (!self->open || self->connection == NULL)
    return;
  self->shutdown_why = why;
  ms_connection_shutdown (self->connection);
}

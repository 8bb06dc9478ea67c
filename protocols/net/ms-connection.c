/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-net"
#include "config.h"

#include "ms-connection.h"
#include "ms-tls-record-parser.h"

#define READ_CHUNK 16384
/* Input that counts as activity although nothing was answered yet: a big
 * literal arriving slowly makes progress; a client that sends a byte now
 * and then to keep a connection (and a listener slot) does not. */
#define PROGRESS_BYTES 4096

struct _MsConnection
{
  GObject            parent_instance;

  GSocketConnection *socket;
  MsServerSession   *session;
  char              *protocol;
  char              *peer;
  guint              id;

  GCancellable      *cancellable;
  guint8            *read_buffer;
  GByteArray        *out;          /* bytes being written; not touched while writing */
  gsize              max_out;      /* the most ever handed to the socket in one write */
  guint              hold_source;
  guint              timeout_source;
  guint              login_timeout_s;   /* 0: none */
  guint              idle_timeout_s;
  gsize              input_since_reset;
  gboolean           awaiting_answer;   /* input arrived that nothing answered yet */
  gboolean           started;
  gboolean           reading;
  gboolean           writing;
  gboolean           closed;

  /* TLS: the filter sits between the socket and the session once started. */
  MsTlsContext      *tls_context;
  MsTlsFilter       *tls;
  MsTlsRecordParser *observer[2];  /* 0: what the client sent, 1: what we sent */
  gboolean           tls_implicit;
  gboolean           tls_requested; /* STLS/STARTTLS accepted, answer not taken yet */
  gboolean           tls_announced; /* the session was told set_tls_active(TRUE) */
  gboolean           tls_up;        /* the handshake completed */
  gboolean           tls_closing;   /* our close_notify is queued */
};

G_DEFINE_FINAL_TYPE (MsConnection, ms_connection, G_TYPE_OBJECT)

enum {
  CLOSED,
  TLS_RECORD,
  TLS_ESTABLISHED,
  PLAINTEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (MsConnection *self);
static void write_cb (GObject *source, GAsyncResult *result, gpointer user_data);

const char *
ms_connection_close_reason_to_string (MsConnectionCloseReason reason)
{
  switch (reason)
    {
    case MS_CONNECTION_CLOSED_FINISHED: return "session ended";
    case MS_CONNECTION_CLOSED_LOST:     return "connection lost";
    case MS_CONNECTION_CLOSED_SHUTDOWN: return "server stopping";
    case MS_CONNECTION_CLOSED_TIMEOUT:  return "inactive too long";
    default:                            return "unknown";
    }
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MsConnection) self = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
}

static void
finish (MsConnection            *self,
        MsConnectionCloseReason  reason)
{
  if (self->closed)
    return;
  self->closed = TRUE;

  if (reason != MS_CONNECTION_CLOSED_FINISHED)
    ms_server_session_connection_lost (self->session);

  g_clear_handle_id (&self->hold_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  /* The socket itself at once: closing the stream would fail while a
   * write is pending (a client that does not read), and the connection
   * (and its listener slot) would stay open until that write gave up. */
  g_socket_close (g_socket_connection_get_socket (self->socket), NULL);
  g_io_stream_close_async (G_IO_STREAM (self->socket), G_PRIORITY_DEFAULT, NULL,
                           close_cb, g_object_ref (self));
  g_signal_emit (self, signals[CLOSED], 0, reason);
}

/* Reports the TLS records in @data as an eavesdropper on this direction
 * sees them. An observer that loses track (it cannot, for bytes OpenSSL made
 * or accepted, but a client may send garbage) just stops reporting. */
static void
observe (MsConnection *self,
         gboolean      from_client,
         const guint8 *data,
         gsize         len)
{
  MsTlsRecordParser **parser = &self->observer[from_client ? 0 : 1];
  g_autoptr(GError) error = NULL;
  MsTlsRecord *record;
  gboolean ok;

  if (*parser == NULL || len == 0)
    return;
  ok = ms_tls_record_parser_feed (*parser, data, len, &error);
  while ((record = ms_tls_record_parser_next (*parser)) != NULL)
    {
      g_signal_emit (self, signals[TLS_RECORD], 0, from_client, record);
      ms_tls_record_free (record);
    }
  if (!ok)
    {
      g_debug ("#%u: TLS observer: %s", self->id, error->message);
      g_clear_pointer (parser, ms_tls_record_parser_free);
    }
}

static void
start_tls (MsConnection *self)
{
  g_assert (self->tls == NULL);
  g_assert (self->tls_context != NULL);

  self->tls = ms_tls_filter_new_server (self->tls_context);
  self->observer[0] = ms_tls_record_parser_new ();
  self->observer[1] = ms_tls_record_parser_new ();
}

static void
on_tls_requested (MsServerSession *session,
                  MsConnection    *self)
{
  /* The session has queued its "go ahead" and dropped whatever followed the
   * command. That answer must still leave in plain text, so the filter is
   * made only after flush_output() took it. */
  if (self->tls_context != NULL && self->tls == NULL)
    self->tls_requested = TRUE;
}

/* Tells observers (the app's live transcript) what the endpoints see.
 * Only when someone listens: `mailscope serve` does not pay for a copy. */
static void
emit_plaintext (MsConnection *self,
                gboolean      from_client,
                const guint8 *data,
                gsize         len,
                gsize         wire_size)
{
  g_autoptr(GBytes) bytes = NULL;

  if (len == 0 || !g_signal_has_handler_pending (self, signals[PLAINTEXT], 0, FALSE))
    return;
  /* Under TLS the ciphertext that carries a chunk need not leave with it
   * (a greeting waits for the handshake); at least one TLS 1.3 record's
   * overhead (header, content type, tag: 22 bytes) rides on it. */
  if (self->tls != NULL)
    wire_size = MAX (wire_size, len + 22);
  bytes = g_bytes_new (data, len);
  g_signal_emit (self, signals[PLAINTEXT], 0, from_client, bytes, (guint64) wire_size, self->tls != NULL);
}

/* socket → session. With TLS the bytes are decrypted first; the session
 * learns that TLS is on before it sees the first decrypted byte. Observers
 * hear of a command before the session runs it, so that a transcript reads
 * command, then answer. */
static void
received (MsConnection *self,
          const guint8 *data,
          gsize         len)
{
  g_autoptr(GByteArray) plain = NULL;

  if (self->tls == NULL)
    {
      emit_plaintext (self, TRUE, data, len, len);
      ms_server_session_feed (self->session, data, len);
      return;
    }
  observe (self, TRUE, data, len);
  ms_tls_filter_feed_ciphertext (self->tls, data, len);
  if (ms_tls_filter_is_handshake_done (self->tls) && !self->tls_up)
    {
      self->tls_up = TRUE;
      g_debug ("#%u: TLS established: %s %s", self->id,
               ms_tls_filter_get_version_name (self->tls), ms_tls_filter_get_cipher_name (self->tls));
      if (!self->tls_announced)
        {
          self->tls_announced = TRUE;
          ms_server_session_set_tls_active (self->session, TRUE);
        }
      g_signal_emit (self, signals[TLS_ESTABLISHED], 0);
    }
  plain = g_byte_array_new ();
  if (ms_tls_filter_take_plaintext (self->tls, plain) > 0)
    {
      emit_plaintext (self, TRUE, plain->data, plain->len, len);
      ms_server_session_feed (self->session, plain->data, plain->len);
    }
}

/* session → socket. With TLS the session's bytes are encrypted first;
 * returns the bytes queued. */
static gsize
flush_output (MsConnection *self)
{
  g_autoptr(GByteArray) plain = NULL;
  gsize before = self->out->len;

  if (self->tls == NULL)
    {
      gsize n = ms_server_session_take_output (self->session, self->out);

      emit_plaintext (self, FALSE, self->out->data + before, n, n);
      if (self->tls_requested)
        {
          self->tls_requested = FALSE;
          start_tls (self);
        }
      return n;
    }
  plain = g_byte_array_new ();
  if (ms_server_session_take_output (self->session, plain) > 0)
    ms_tls_filter_write_plaintext (self->tls, plain->data, plain->len);
  ms_tls_filter_take_ciphertext (self->tls, self->out);
  emit_plaintext (self, FALSE, plain->data, plain->len, self->out->len - before);
  observe (self, FALSE, self->out->data + before, self->out->len - before);
  return self->out->len - before;
}

static gboolean timeout_cb (gpointer user_data);

/* (Re)starts the inactivity timer: the login timer until the session is
 * authenticated, then the idle one. */
static void
reset_timer (MsConnection *self)
{
  guint seconds = ms_server_session_is_authenticated (self->session) ? self->idle_timeout_s
                                                                     : self->login_timeout_s;

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  self->input_since_reset = 0;
  self->awaiting_answer = FALSE;
  if (seconds > 0 && !self->closed)
    self->timeout_source = g_timeout_add_seconds (seconds, timeout_cb, self);
}

/* Silent too long (or not reading what it asked for): the session says
 * goodbye if its protocol has a way to, that goodbye is sent if the socket
 * takes it at once (the client may be the one not reading), and the
 * connection closes. */
static gboolean
timeout_cb (gpointer user_data)
{
  MsConnection *self = user_data;

  self->timeout_source = 0;
  g_debug ("#%u: inactive too long", self->id);
  ms_server_session_timed_out (self->session);
  if (!self->writing && !self->tls_closing)
    {
      GOutputStream *stream = g_io_stream_get_output_stream (G_IO_STREAM (self->socket));

      if (self->tls != NULL)
        {
          self->tls_closing = TRUE;
          flush_output (self);
          ms_tls_filter_close_notify (self->tls);
        }
      flush_output (self);
      if (self->out->len > 0 && G_IS_POLLABLE_OUTPUT_STREAM (stream))
        g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (stream), self->out->data,
                                                    self->out->len, NULL, NULL);
    }
  finish (self, MS_CONNECTION_CLOSED_TIMEOUT);
  return G_SOURCE_REMOVE;
}

/* Starts writing what the session has queued, if nothing is being written.
 * This may run while a read is pending: a session can produce output on its
 * own (IMAP IDLE pushing "* 4 EXISTS"), and that must not wait for the
 * client to send something. Returns TRUE when a write was started. */
static gboolean
start_write (MsConnection *self)
{
  if (self->closed || self->writing || self->hold_source != 0)
    return FALSE;
  if (flush_output (self) == 0)
    return FALSE;
  /* An answer to what the client sent: it is active. Output the session
   * makes on its own (IDLE's EXISTS) does not count. */
  if (self->awaiting_answer)
    reset_timer (self);
  self->max_out = MAX (self->max_out, self->out->len);
  self->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (self->socket)),
                                   self->out->data, self->out->len, G_PRIORITY_DEFAULT,
                                   self->cancellable, write_cb, g_object_ref (self));
  return TRUE;
}

/* The session's "output-ready" signal: output queued outside feed(). */
static void
output_ready_cb (MsConnection *self)
{
  start_write (self);
}

static gboolean
hold_done_cb (gpointer user_data)
{
  MsConnection *self = user_data;

  self->hold_source = 0;
  ms_server_session_release_hold (self->session);
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MsConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("#%u: write failed: %s", self->id, error->message);
      finish (self, MS_CONNECTION_CLOSED_LOST);
      return;
    }
  g_byte_array_set_size (self->out, 0);
  /* More output may have been queued while writing, with a read pending. */
  if (start_write (self))
    return;
  pump (self);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MsConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  self->reading = FALSE;
  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (self->closed)
    return;
  if (n <= 0)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("#%u: read failed: %s", self->id, error->message);
      finish (self, MS_CONNECTION_CLOSED_LOST);
      return;
    }
  self->awaiting_answer = TRUE;
  self->input_since_reset += n;
  if (self->input_since_reset >= PROGRESS_BYTES)
    reset_timer (self);
  received (self, self->read_buffer, (gsize) n);
  pump (self);
}

/* The one place that decides what happens next: write what the session
 * said, wait out a hold, close when it is done, else read. */
static void
pump (MsConnection *self)
{
  guint hold;

  if (self->closed || self->writing || self->reading || self->hold_source != 0)
    return;

  if (start_write (self))
    return;

  /* Whatever was answered before a failed login has gone out; the answer
   * to the login itself waits here, and only this connection waits. */
  hold = ms_server_session_get_hold_ms (self->session);
  if (hold > 0)
    {
      self->hold_source = g_timeout_add (hold, hold_done_cb, self);
      return;
    }

  /* A failed handshake: the alert (if any) went out above; nothing more can
   * be said or read. */
  if (self->tls != NULL && ms_tls_filter_get_error (self->tls) != NULL)
    {
      g_debug ("#%u: TLS failed: %s", self->id, ms_tls_filter_get_error (self->tls)->message);
      finish (self, MS_CONNECTION_CLOSED_LOST);
      return;
    }

  if (ms_server_session_is_finished (self->session))
    {
      /* Under TLS, end with a close_notify so the client knows the data
       * ended on purpose (RFC 8446 6.1), then close. */
      if (self->tls != NULL && !self->tls_closing)
        {
          self->tls_closing = TRUE;
          ms_tls_filter_close_notify (self->tls);
          pump (self);
          return;
        }
      finish (self, MS_CONNECTION_CLOSED_FINISHED);
      return;
    }

  self->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (self->socket)),
                             self->read_buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             self->cancellable, read_cb, g_object_ref (self));
}

static void
ms_connection_dispose (GObject *object)
{
  MsConnection *self = MS_CONNECTION (object);

  g_clear_handle_id (&self->hold_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tls);
  g_clear_object (&self->tls_context);

  G_OBJECT_CLASS (ms_connection_parent_class)->dispose (object);
}

static void
ms_connection_finalize (GObject *object)
{
  MsConnection *self = MS_CONNECTION (object);

  g_free (self->protocol);
  g_free (self->peer);
  g_free (self->read_buffer);
  g_byte_array_unref (self->out);
  g_clear_pointer (&self->observer[0], ms_tls_record_parser_free);
  g_clear_pointer (&self->observer[1], ms_tls_record_parser_free);

  G_OBJECT_CLASS (ms_connection_parent_class)->finalize (object);
}

static void
ms_connection_class_init (MsConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_connection_dispose;
  object_class->finalize = ms_connection_finalize;

  /**
   * MsConnection::closed:
   * @reason: an MsConnectionCloseReason
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * MsConnection::tls-record:
   * @from_client: whether the client sent it
   * @record: (type gpointer): the MsTlsRecord; valid during emission only
   */
  signals[TLS_RECORD] =
    g_signal_new ("tls-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_POINTER);

  /**
   * MsConnection::tls-established:
   *
   * The handshake completed; ms_connection_get_tls_filter() tells the
   * version, cipher and key log.
   */
  signals[TLS_ESTABLISHED] =
    g_signal_new ("tls-established", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * MsConnection::plaintext:
   * @from_client: whether the client sent it
   * @bytes: what the endpoints see (decrypted under TLS)
   * @wire_size: the bytes that carried it on the wire (with TLS, the
   *   records', as far as they can be told apart)
   * @encrypted: whether it crossed the wire inside TLS
   */
  signals[PLAINTEXT] =
    g_signal_new ("plaintext", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_BOOLEAN, G_TYPE_BYTES, G_TYPE_UINT64, G_TYPE_BOOLEAN);
}

static void
ms_connection_init (MsConnection *self)
{
  self->cancellable = g_cancellable_new ();
  self->read_buffer = g_malloc (READ_CHUNK);
  self->out = g_byte_array_new ();
}

MsConnection *
ms_connection_new (GSocketConnection *socket,
                   MsServerSession   *session,
                   const char        *protocol,
                   guint              id)
{
  MsConnection *self;
  g_autoptr(GSocketAddress) remote = NULL;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (socket), NULL);
  g_return_val_if_fail (MS_IS_SERVER_SESSION (session), NULL);

  self = g_object_new (MS_TYPE_CONNECTION, NULL);
  self->socket = g_object_ref (socket);
  self->session = g_object_ref (session);
  self->protocol = g_strdup (protocol);
  self->id = id;
  /* Sessions that can speak unprompted (IMAP IDLE) say so with this signal. */
  if (g_signal_lookup ("output-ready", G_OBJECT_TYPE (session)) != 0)
    g_signal_connect_object (session, "output-ready", G_CALLBACK (output_ready_cb), self,
                             G_CONNECT_SWAPPED);

  remote = g_socket_connection_get_remote_address (socket, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      GInetAddress *address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
      g_autofree char *host = g_inet_address_to_string (address);
      guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));

      if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        self->peer = g_strdup_printf ("[%s]:%u", host, port);
      else
        self->peer = g_strdup_printf ("%s:%u", host, port);
    }
  else
    self->peer = g_strdup ("unknown");

  return self;
}

void
ms_connection_start (MsConnection *self)
{
  g_return_if_fail (MS_IS_CONNECTION (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  /* On an implicit-TLS port the session is protected from its first byte:
   * its greeting (IMAP's lists capabilities) must not offer STARTTLS or
   * LOGINDISABLED, and it can be fed nothing before the handshake ends. */
  if (self->tls_context != NULL && self->tls_implicit)
    {
      start_tls (self);
      self->tls_announced = TRUE;
      ms_server_session_set_tls_active (self->session, TRUE);
    }
  ms_server_session_start (self->session);
  reset_timer (self);
  pump (self);
}

void
ms_connection_set_timeouts (MsConnection *self,
                            guint         login_s,
                            guint         idle_s)
{
  g_return_if_fail (MS_IS_CONNECTION (self));

  self->login_timeout_s = login_s;
  self->idle_timeout_s = idle_s;
  if (self->started)
    reset_timer (self);
}

void
ms_connection_set_tls (MsConnection *self,
                       MsTlsContext *context,
                       gboolean      implicit)
{
  g_return_if_fail (MS_IS_CONNECTION (self));
  g_return_if_fail (MS_IS_TLS_CONTEXT (context));
  g_return_if_fail (ms_tls_context_is_server (context));
  g_return_if_fail (!self->started);

  g_set_object (&self->tls_context, context);
  self->tls_implicit = implicit;
  if (!implicit)
    g_signal_connect_object (self->session, "tls-requested", G_CALLBACK (on_tls_requested), self, 0);
}

MsTlsFilter *
ms_connection_get_tls_filter (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), NULL);
  return self->tls;
}

void
ms_connection_shutdown (MsConnection *self)
{
  g_return_if_fail (MS_IS_CONNECTION (self));

  finish (self, MS_CONNECTION_CLOSED_SHUTDOWN);
}

guint
ms_connection_get_id (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), 0);
  return self->id;
}

const char *
ms_connection_get_protocol (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), NULL);
  return self->protocol;
}

const char *
ms_connection_get_peer (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), NULL);
  return self->peer;
}

MsServerSession *
ms_connection_get_session (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), NULL);
  return self->session;
}

gboolean
ms_connection_is_closed (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), TRUE);
  return self->closed;
}

gsize
ms_connection_get_max_pending_write (MsConnection *self)
{
  g_return_val_if_fail (MS_IS_CONNECTION (self), 0);
  return self->max_out;
}

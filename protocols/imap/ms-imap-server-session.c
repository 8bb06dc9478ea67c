/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IMAP session's machinery: properties, the input loop around the
 * parser, command dispatch through the table of ms-imap-commands.c, events
 * and the MsServerSession interface. Responses are written in
 * ms-imap-response.c. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-limits.h"
#include "ms-protocol-event.h"
#include "ms-imap-server-session-private.h"

static void ms_imap_server_session_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsImapServerSession, ms_imap_server_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION,
                                                      ms_imap_server_session_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_TLS_AVAILABLE,
  PROP_REQUIRE_TLS,
  PROP_STATE,
  N_PROPS
};

enum {
  OUTPUT_READY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
ms_imap_state_to_string (MsImapState state)
{
  switch (state)
    {
    case MS_IMAP_STATE_NOT_AUTHENTICATED: return "NOT AUTHENTICATED";
    case MS_IMAP_STATE_AUTHENTICATED:     return "AUTHENTICATED";
    case MS_IMAP_STATE_SELECTED:          return "SELECTED";
    case MS_IMAP_STATE_LOGOUT:            return "LOGOUT";
    default:                              return "UNKNOWN";
    }
}

void
ms_imap_session_emit (MsImapServerSession *self,
                      MsProtocolEventKind  kind,
                      const char          *name,
                      const char          *tag,
                      const char          *text)
{
  /* Valid during emission only (the signal's contract), so the strings
   * are lent, not copied. */
  MsProtocolEvent event = {
    .kind = kind,
    .protocol = (char *) "imap",
    .name = (char *) name,
    .tag = (char *) tag,
    .text = (char *) text,
  };

  ms_server_session_emit_event (MS_SERVER_SESSION (self), &event);
}

void
ms_imap_session_notice (MsImapServerSession *self,
                        const char          *name,
                        const char          *text)
{
  ms_imap_session_emit (self, MS_PROTOCOL_EVENT_NOTICE, name, NULL, text);
}

void
ms_imap_session_set_state (MsImapServerSession *self,
                           MsImapState          state)
{
  MsImapState old = self->state;

  if (old == state)
    return;
  self->state = state;
  /* The account counts logged-in sessions; this one ends here. */
  if (state == MS_IMAP_STATE_LOGOUT && self->account != NULL)
    ms_account_close_session (self->account);
  if (state == MS_IMAP_STATE_AUTHENTICATED)
    ms_imap_parser_set_literal_limit (self->parser, MS_LIMIT_MESSAGE_SIZE);
  ms_imap_session_emit (self, MS_PROTOCOL_EVENT_STATE, ms_imap_state_to_string (state), NULL,
        ms_imap_state_to_string (old));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
ms_imap_session_emit_output_ready (MsImapServerSession *self)
{
  if (!self->in_feed && ms_imap_session_has_output (self))
    g_signal_emit (self, signals[OUTPUT_READY], 0);
}

char *
ms_imap_session_capabilities (MsImapServerSession *self)
{
  GString *s = g_string_new ("IMAP4rev1 SASL-IR LITERAL- ID ENABLE IDLE NAMESPACE UNSELECT "
                             "UIDPLUS MOVE CHILDREN SPECIAL-USE");

  if (self->state == MS_IMAP_STATE_NOT_AUTHENTICATED)
    {
      if (self->tls_available && !self->tls_active)
        g_string_append (s, " STARTTLS");
      if (self->require_tls && !self->tls_active)
        g_string_append (s, " LOGINDISABLED");
      else
        g_string_append (s, " AUTH=PLAIN");
    }
  return g_string_free (s, FALSE);
}

/* --- Input -------------------------------------------------------------- */

/* The server ends the session: BYE says why, input is dropped from now on
 * (closing the view also drops a suspended command). */
static void
say_bye (MsImapServerSession *self,
         const char          *bye,
         const char          *notice)
{
  ms_imap_session_untagged (self, "BYE %s", bye);
  ms_imap_session_notice (self, notice, NULL);
  ms_imap_view_close (self);
  ms_imap_session_set_state (self, MS_IMAP_STATE_LOGOUT);
  self->mode = MS_IMAP_INPUT_DISCARD;
  self->finished = TRUE;
}

static void
too_many_errors (MsImapServerSession *self)
{
  say_bye (self, "Too many invalid commands.", NC_ ("transcript", "too-many-errors"));
}

static void
dispatch (MsImapServerSession *self,
          MsImapCommand       *cmd)
{
  const MsImapCommandSpec *spec;
  g_autoptr(GError) error = NULL;
  gboolean uid = FALSE;

  if (g_str_equal (cmd->name, "UID"))
    {
      MsImapArg *sub = cmd->args->len > 0 ? g_ptr_array_index (cmd->args, 0) : NULL;
      g_autofree char *full = NULL;

      if (sub == NULL || sub->type != MS_IMAP_ARG_ATOM)
        {
          ms_imap_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, cmd->name, cmd->tag, cmd->text);
          ms_imap_session_bad (self, cmd, "UID needs a command.");
          return;
        }
      g_free (cmd->name);
      cmd->name = g_ascii_strup (sub->str, -1);
      g_ptr_array_remove_index (cmd->args, 0);
      uid = TRUE;
      /* The event names the whole command: "UID FETCH". */
      full = g_strconcat ("UID ", cmd->name, NULL);
      ms_imap_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, full, cmd->tag, cmd->text);
    }
  else
    ms_imap_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, cmd->name, cmd->tag, cmd->text);

  spec = ms_imap_command_lookup (cmd->name);
  if (spec == NULL || (uid && !spec->uid_form))
    {
      self->cur_expunge_ok = FALSE;
      ms_imap_session_bad (self, cmd, "Unknown command.");
      return;
    }
  self->cur_expunge_ok = spec->expunge_ok || uid;
  if ((spec->states & (1u << self->state)) == 0)
    {
      const char *why = "Not allowed in this state.";

      if (self->state == MS_IMAP_STATE_NOT_AUTHENTICATED && (spec->states & MS_IMAP_IN_AUTH))
        why = "Not logged in yet.";
      else if (self->state == MS_IMAP_STATE_AUTHENTICATED && (spec->states & MS_IMAP_IN_SELECTED))
        why = "No mailbox selected.";
      ms_imap_session_bad (self, cmd, why);
      return;
    }
  /* Changes that cannot be saved are refused before they are made; the
   * check also retries the writes that failed, so the server recovers by
   * itself once there is room again. */
  if (spec->changes && !ms_store_check_persist (self->store, &error))
    {
      ms_imap_session_done (self, cmd, "NO", "[%s] Refused: %s; try again later.",
                            ms_imap_persist_code (error), ms_store_describe_persist_error (error));
      return;
    }
  self->persist_failures = ms_store_get_persist_failures (self->store);
  self->in_handler = TRUE;
  spec->handler (self, cmd, uid);
  self->in_handler = FALSE;
}

static void
parser_error (MsImapServerSession *self)
{
  const char *tag = ms_imap_parser_get_error_tag (self->parser);
  const char *code = ms_imap_parser_get_error_code (self->parser);
  const char *error = ms_imap_parser_get_error (self->parser);
  g_autofree char *line = g_strdup_printf ("%s BAD %s%s%s%s", tag ? tag : "*",
                                           code ? "[" : "", code ? code : "", code ? "] " : "",
                                           error);

  ms_imap_session_emit (self, MS_PROTOCOL_EVENT_NOTICE, NC_ ("transcript", "bad-input"), tag, error);
  ms_imap_session_send_line (self, line);
  self->n_bad++;
  if (ms_imap_parser_get_error_fatal (self->parser))
    {
      ms_imap_session_untagged (self, "BYE Cannot continue after that.");
      ms_imap_view_close (self);
      ms_imap_session_set_state (self, MS_IMAP_STATE_LOGOUT);
      self->mode = MS_IMAP_INPUT_DISCARD;
      self->finished = TRUE;
    }
}

/* Reads one raw line (AUTHENTICATE answer, DONE); returns how much it used. */
static gsize
feed_raw_line (MsImapServerSession *self,
               const guint8        *data,
               gsize                len)
{
  const guint8 *lf = memchr (data, '\n', len);
  gsize used = lf ? (gsize) (lf - data) + 1 : len;
  g_autofree char *line = NULL;
  MsImapInputMode mode = self->mode;
  const char *refusal = NULL;

  if (self->raw_line->len + used <= MS_IMAP_LIMIT_RAW_LINE)
    g_byte_array_append (self->raw_line, data, used);
  else
    self->raw_line_too_long = TRUE;
  if (lf == NULL)
    return used;

  /* A line cut at the limit, or at a NUL by the C string below, is not
   * what the client sent: neither may pass for a password or for DONE. */
  if (self->raw_line_too_long)
    refusal = "[TOOBIG] Line too long.";
  else if (memchr (self->raw_line->data, '\0', self->raw_line->len) != NULL)
    refusal = "NUL in the line.";
  self->raw_line_too_long = FALSE;
  line = g_strndup ((const char *) self->raw_line->data, self->raw_line->len);
  g_byte_array_set_size (self->raw_line, 0);
  g_strchomp (line);
  self->mode = MS_IMAP_INPUT_COMMANDS;
  /* These lines are commands too, for the transcript: DONE ends IDLE, and
   * the SASL answer carries the password (named AUTHENTICATE, so that
   * whoever prints events knows to mask it). */
  if (mode == MS_IMAP_INPUT_AUTHENTICATE)
    {
      ms_imap_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, "AUTHENTICATE", NULL, line);
      ms_imap_cmd_authenticate_answer (self, line, refusal);
    }
  else
    {
      ms_imap_session_emit (self, MS_PROTOCOL_EVENT_COMMAND, "DONE", NULL, line);
      ms_imap_cmd_idle_line (self, line, refusal);
    }
  return used;
}

/* Runs the commands in @data until it is used up or a command suspends
 * itself; what is left then waits in unread. */
static void
process_input (MsImapServerSession *self,
               const guint8        *data,
               gsize                len)
{
  gsize pos = 0;

  while (pos < len && !self->finished && self->mode != MS_IMAP_INPUT_DISCARD &&
         self->suspended == NULL)
    {
      gsize used = 0;
      MsImapParseResult result;

      if (self->mode != MS_IMAP_INPUT_COMMANDS)
        {
          pos += feed_raw_line (self, data + pos, len - pos);
          continue;
        }

      result = ms_imap_parser_feed (self->parser, data + pos, len - pos, &used);
      pos += used;
      switch (result)
        {
        case MS_IMAP_PARSE_NEED_MORE:
          break;
        case MS_IMAP_PARSE_CONTINUE:
          ms_imap_session_continuation (self, "Ready for literal data");
          break;
        case MS_IMAP_PARSE_ERROR:
          parser_error (self);
          break;
        case MS_IMAP_PARSE_READY:
          {
            g_autoptr(MsImapCommand) cmd = ms_imap_parser_take_command (self->parser);

            dispatch (self, cmd);
            /* A suspended command is the session's now. */
            if (self->suspended == cmd)
              g_steal_pointer (&cmd);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      if (!self->finished && self->n_bad >= MS_IMAP_LIMIT_BAD_COMMANDS)
        too_many_errors (self);
    }
  if (pos < len && self->suspended != NULL)
    g_byte_array_append (self->unread, data + pos, len - pos);
}

static void
ms_imap_server_session_feed (MsServerSession *session,
                             const guint8    *data,
                             gsize            len)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);

  if (self->finished || self->mode == MS_IMAP_INPUT_DISCARD)
    return;
  /* A command is still answering: RFC 9051 section 5.5 lets the client
   * send more, and we run it once the answer has been taken. Not without
   * end, though. */
  if (self->suspended != NULL || self->unread->len > 0)
    {
      if (self->unread->len + len > MS_LIMIT_IMAP_PENDING_INPUT)
        {
          ms_imap_session_drop_suspended (self);
          say_bye (self, "Too much input without reading the answers.", NC_ ("transcript", "too-much-input"));
          return;
        }
      g_byte_array_append (self->unread, data, len);
      return;
    }
  g_object_ref (self);
  self->in_feed = TRUE;
  process_input (self, data, len);
  self->in_feed = FALSE;
  g_object_unref (self);
}

void
ms_imap_session_suspend (MsImapServerSession *self,
                         MsImapCommand       *cmd,
                         MsImapResumeFunc     resume,
                         gpointer             state,
                         GDestroyNotify       state_free)
{
  g_assert (self->suspended == NULL);
  self->suspended = cmd;
  self->resume = resume;
  self->resume_state = state;
  self->resume_state_free = state_free;
}

void
ms_imap_session_drop_suspended (MsImapServerSession *self)
{
  gpointer state = g_steal_pointer (&self->resume_state);

  g_clear_pointer (&self->suspended, ms_imap_command_free);
  self->resume = NULL;
  if (state != NULL && self->resume_state_free != NULL)
    self->resume_state_free (state);
  self->resume_state_free = NULL;
}

/* Goes on with the suspended command, or, once it ended, with the input
 * that waited behind it. FALSE when there was nothing to do. */
static gboolean
resume (MsImapServerSession *self)
{
  if (self->suspended != NULL)
    {
      gboolean ended;

      self->in_handler = TRUE;
      ended = self->resume (self, self->suspended, self->resume_state);
      self->in_handler = FALSE;
      /* The input that waited runs at the next call. */
      if (ended)
        ms_imap_session_drop_suspended (self);
      return TRUE;
    }
  if (self->unread->len > 0 && !self->finished && self->mode != MS_IMAP_INPUT_DISCARD)
    {
      g_autoptr(GByteArray) unread = g_steal_pointer (&self->unread);

      self->unread = g_byte_array_new ();
      process_input (self, unread->data, unread->len);
      return TRUE;
    }
  return FALSE;
}

/* --- MsServerSession ---------------------------------------------------- */

static void
ms_imap_server_session_start (MsServerSession *session)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);
  g_autofree char *caps = ms_imap_session_capabilities (self);

  ms_imap_session_emit (self, MS_PROTOCOL_EVENT_STATE, ms_imap_state_to_string (self->state), NULL, NULL);
  ms_imap_session_untagged (self, "OK [CAPABILITY %s] Mailscope IMAP server ready.", caps);
}

/* Moves at most @room queued bytes to @dest, in order; returns how many. */
static gsize
move_output (MsImapServerSession *self,
             GByteArray          *dest,
             gsize                room)
{
  gsize n = 0;
  GBytes *chunk;

  while (n < room && (chunk = g_queue_pop_head (&self->out_chunks)) != NULL)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (chunk, &len);
      gsize part = MIN (len, room - n);

      g_byte_array_append (dest, data, part);
      n += part;
      self->chunk_bytes -= part;
      /* A message lent by reference leaves a piece at a time. */
      if (part < len)
        g_queue_push_head (&self->out_chunks, g_bytes_new_from_bytes (chunk, part, len - part));
      g_bytes_unref (chunk);
    }
  if (n < room && self->output->len > 0)
    {
      gsize part = MIN (self->output->len, room - n);

      g_byte_array_append (dest, (const guint8 *) self->output->str, part);
      g_string_erase (self->output, 0, part);
      n += part;
    }
  return n;
}

/* Hands out at most the output budget per call, and only then lets a
 * suspended command write more: a client that does not read costs one
 * budget in the session and one in the driver, not its whole answer. */
static gsize
ms_imap_server_session_take_output (MsServerSession *session,
                                    GByteArray      *dest)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);
  gsize taken = 0;
  gboolean in_feed = self->in_feed;

  g_object_ref (self);
  /* Output made here is being taken: no "output-ready" for it. */
  self->in_feed = TRUE;
  for (;;)
    {
      self->max_queued = MAX (self->max_queued, ms_imap_session_queued (self));
      taken += move_output (self, dest, self->output_budget - taken);
      if (taken >= self->output_budget || ms_imap_session_has_output (self))
        break;
      if (!resume (self))
        break;
    }
  /* The changes that waited in IDLE for this output to be taken. */
  if (taken < self->output_budget && self->mode == MS_IMAP_INPUT_IDLE && !ms_imap_session_has_output (self))
    {
      ms_imap_view_flush (self, TRUE);
      taken += move_output (self, dest, self->output_budget - taken);
    }
  self->in_feed = in_feed;
  g_object_unref (self);
  return taken;
}

static gboolean
ms_imap_server_session_is_finished (MsServerSession *session)
{
  return MS_IMAP_SERVER_SESSION (session)->finished;
}

static void
ms_imap_server_session_connection_lost (MsServerSession *session)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);

  if (self->finished)
    return;
  ms_imap_session_notice (self, NC_ ("transcript", "connection-lost"), NULL);
  ms_imap_view_close (self);
  ms_imap_session_set_state (self, MS_IMAP_STATE_LOGOUT);
  self->mode = MS_IMAP_INPUT_DISCARD;
  self->finished = TRUE;
}

static gboolean
ms_imap_server_session_is_authenticated (MsServerSession *session)
{
  MsImapState state = MS_IMAP_SERVER_SESSION (session)->state;

  return state == MS_IMAP_STATE_AUTHENTICATED || state == MS_IMAP_STATE_SELECTED;
}

/* RFC 9051 section 7.1.5: the BYE says why before the server closes. */
static void
ms_imap_server_session_timed_out (MsServerSession *session)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);

  if (self->finished)
    return;
  ms_imap_session_untagged (self, "BYE Autologout; idle for too long.");
  ms_imap_session_notice (self, "timed-out", NULL);
  ms_imap_view_close (self);
  ms_imap_session_set_state (self, MS_IMAP_STATE_LOGOUT);
  self->mode = MS_IMAP_INPUT_DISCARD;
  self->finished = TRUE;
}

static guint
ms_imap_server_session_get_hold_ms (MsServerSession *session)
{
  return MS_IMAP_SERVER_SESSION (session)->hold_ms;
}

static void
ms_imap_server_session_release_hold (MsServerSession *session)
{
  MS_IMAP_SERVER_SESSION (session)->hold_ms = 0;
}

static void
ms_imap_server_session_set_tls_active (MsServerSession *session,
                                       gboolean         active)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (session);

  active = !!active;
  if (self->tls_active == active)
    return;
  self->tls_active = active;
  if (active)
    {
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "imap", "tls",
                                            ms_phrase_new (NC_ ("transcript", "active")));
      /* Input sent before the handshake was dropped; read afresh. */
      if (self->mode == MS_IMAP_INPUT_DISCARD && !self->finished)
        self->mode = MS_IMAP_INPUT_COMMANDS;
      ms_imap_parser_reset (self->parser);
    }
}

static gboolean
ms_imap_server_session_get_tls_active (MsServerSession *session)
{
  return MS_IMAP_SERVER_SESSION (session)->tls_active;
}

static void
ms_imap_server_session_iface_init (MsServerSessionInterface *iface)
{
  iface->start = ms_imap_server_session_start;
  iface->feed = ms_imap_server_session_feed;
  iface->take_output = ms_imap_server_session_take_output;
  iface->is_finished = ms_imap_server_session_is_finished;
  iface->connection_lost = ms_imap_server_session_connection_lost;
  iface->get_hold_ms = ms_imap_server_session_get_hold_ms;
  iface->release_hold = ms_imap_server_session_release_hold;
  iface->set_tls_active = ms_imap_server_session_set_tls_active;
  iface->get_tls_active = ms_imap_server_session_get_tls_active;
  iface->is_authenticated = ms_imap_server_session_is_authenticated;
  iface->timed_out = ms_imap_server_session_timed_out;
}

/* --- GObject ------------------------------------------------------------ */

static void
ms_imap_server_session_dispose (GObject *object)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (object);

  ms_imap_view_close (self);
  /* A session dropped without LOGOUT or a lost connection still counted. */
  if (self->account != NULL && self->state != MS_IMAP_STATE_LOGOUT)
    ms_account_close_session (self->account);
  g_clear_object (&self->account);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ms_imap_server_session_parent_class)->dispose (object);
}

static void
ms_imap_server_session_finalize (GObject *object)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (object);

  ms_imap_parser_free (self->parser);
  ms_imap_session_drop_suspended (self);
  g_byte_array_unref (self->unread);
  g_queue_clear_full (&self->out_chunks, (GDestroyNotify) g_bytes_unref);
  g_string_free (self->output, TRUE);
  g_byte_array_unref (self->raw_line);
  g_clear_pointer (&self->pending, ms_imap_command_free);
  g_ptr_array_unref (self->view);
  g_hash_table_unref (self->recent);
  g_hash_table_unref (self->pending_expunges);
  g_hash_table_unref (self->pending_flags);
  G_OBJECT_CLASS (ms_imap_server_session_parent_class)->finalize (object);
}

static void
ms_imap_server_session_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TLS_AVAILABLE:
      g_value_set_boolean (value, self->tls_available);
      break;
    case PROP_REQUIRE_TLS:
      g_value_set_boolean (value, self->require_tls);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_imap_server_session_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MsImapServerSession *self = MS_IMAP_SERVER_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TLS_AVAILABLE:
      if (self->tls_available != g_value_get_boolean (value))
        {
          self->tls_available = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_REQUIRE_TLS:
      if (self->require_tls != g_value_get_boolean (value))
        {
          self->require_tls = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_imap_server_session_class_init (MsImapServerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_imap_server_session_dispose;
  object_class->finalize = ms_imap_server_session_finalize;
  object_class->get_property = ms_imap_server_session_get_property;
  object_class->set_property = ms_imap_server_session_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_AVAILABLE] =
    g_param_spec_boolean ("tls-available", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRE_TLS] =
    g_param_spec_boolean ("require-tls", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, MS_IMAP_STATE_LOGOUT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsImapServerSession::output-ready:
   *
   * Output was queued outside feed() (untagged updates during IDLE); the
   * driver should call take_output() and send it.
   */
  signals[OUTPUT_READY] =
    g_signal_new ("output-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ms_imap_server_session_init (MsImapServerSession *self)
{
  self->parser = ms_imap_parser_new ();
  ms_imap_parser_set_literal_limit (self->parser, MS_LIMIT_IMAP_PREAUTH_LITERAL);
  g_queue_init (&self->out_chunks);
  self->output = g_string_new (NULL);
  self->output_budget = MS_LIMIT_IMAP_OUTPUT_BUDGET;
  self->unread = g_byte_array_new ();
  self->raw_line = g_byte_array_new ();
  self->view = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);
  self->recent = g_hash_table_new (NULL, NULL);
  self->pending_expunges = g_hash_table_new (NULL, NULL);
  self->pending_flags = g_hash_table_new (NULL, NULL);
}

MsImapServerSession *
ms_imap_server_session_new (MsStore *store)
{
  g_return_val_if_fail (MS_IS_STORE (store), NULL);
  return g_object_new (MS_TYPE_IMAP_SERVER_SESSION, "store", store, NULL);
}

MsImapState
ms_imap_server_session_get_state (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), MS_IMAP_STATE_LOGOUT);
  return self->state;
}

const char *
ms_imap_server_session_get_user (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), NULL);
  return self->account ? ms_account_get_name (self->account) : NULL;
}

void
ms_imap_server_session_set_output_budget (MsImapServerSession *self,
                                          gsize                budget)
{
  g_return_if_fail (MS_IS_IMAP_SERVER_SESSION (self));
  g_return_if_fail (budget > 0);
  self->output_budget = budget;
}

gsize
ms_imap_server_session_get_output_budget (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), 0);
  return self->output_budget;
}

gsize
ms_imap_server_session_get_queued (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), 0);
  return ms_imap_session_queued (self);
}

gsize
ms_imap_server_session_get_max_queued (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), 0);
  return MAX (self->max_queued, ms_imap_session_queued (self));
}

gboolean
ms_imap_server_session_is_answering (MsImapServerSession *self)
{
  g_return_val_if_fail (MS_IS_IMAP_SERVER_SESSION (self), FALSE);
  return self->suspended != NULL;
}

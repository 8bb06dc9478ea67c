/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The POP3 session's machinery: properties, the line reader with its limits,
 * command dispatch through the tables of ms-pop3-auth.c and
 * ms-pop3-commands.c, output, events and the MsServerSession interface. */
#define G_LOG_DOMAIN "ms-pop3"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "ms-limits.h"
#include "ms-protocol-event.h"
#include "ms-pop3-server-session-private.h"

static void ms_pop3_server_session_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsPop3ServerSession, ms_pop3_server_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION,
                                                      ms_pop3_server_session_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_GREETING_HOST,
  PROP_APOP_TIMESTAMP,
  PROP_TLS_AVAILABLE,
  PROP_REQUIRE_TLS,
  PROP_STATE,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void process_input (MsPop3ServerSession *self);

const char *
ms_pop3_state_to_string (MsPop3State state)
{
  switch (state)
    {
    case MS_POP3_STATE_AUTHORIZATION: return "AUTHORIZATION";
    case MS_POP3_STATE_TRANSACTION:   return "TRANSACTION";
    case MS_POP3_STATE_UPDATE:        return "UPDATE";
    default:                          return "UNKNOWN";
    }
}

static void
emit (MsPop3ServerSession *self,
      MsProtocolEventKind  kind,
      const char          *name,
      const char          *text)
{
  /* Valid during emission only (the signal's contract): lent, not copied. */
  MsProtocolEvent event = {
    .kind = kind,
    .protocol = (char *) "pop3",
    .name = (char *) name,
    .text = (char *) text,
  };

  ms_server_session_emit_event (MS_SERVER_SESSION (self), &event);
}

void
ms_pop3_session_set_state (MsPop3ServerSession *self,
                           MsPop3State          state)
{
  MsPop3State old = self->state;

  g_assert (MS_IS_POP3_SERVER_SESSION (self));

  if (old == state)
    return;
  self->state = state;
  emit (self, MS_PROTOCOL_EVENT_STATE, ms_pop3_state_to_string (state), ms_pop3_state_to_string (old));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
ms_pop3_session_write (MsPop3ServerSession *self,
                       const char          *data,
                       gsize                len)
{
  g_byte_array_append (self->output, (const guint8 *) data, len);
}

static void
write_line (MsPop3ServerSession *self,
            MsProtocolEventKind  kind,
            const char          *name,
            const char          *line)
{
  ms_pop3_session_write (self, line, strlen (line));
  ms_pop3_session_write (self, "\r\n", 2);
  /* UIDL and LIST answer a line per message: described only when observed. */
  if (ms_server_session_wants_events (MS_SERVER_SESSION (self), kind))
    emit (self, kind, name, line);
}

gboolean
ms_pop3_is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

void
ms_pop3_session_reply (MsPop3ServerSession *self,
                       gboolean             ok,
                       const char          *format,
                       ...)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* The handlers echo only what ms_pop3_is_printable_ascii() allows; should
   * one forget, an 8-bit byte becomes '?' here rather than reach a client
   * that expects 7-bit responses. */
  for (char *p = text; *p != '\0'; p++)
    if ((guint8) *p > 0x7e)
      *p = '?';
  line = g_strconcat (ok ? "+OK" : "-ERR", text[0] ? " " : "", text, NULL);
  write_line (self, MS_PROTOCOL_EVENT_RESPONSE, ok ? "+OK" : "-ERR", line);
}

void
ms_pop3_session_data_line (MsPop3ServerSession *self,
                           const char          *format,
                           ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  /* Listing lines (numbers, capability names) never begin with '.', so they
   * need no byte-stuffing; the assertion keeps it that way. */
  g_assert (line[0] != '.');
  write_line (self, MS_PROTOCOL_EVENT_RESPONSE, "data", line);
}

void
ms_pop3_session_continue (MsPop3ServerSession *self)
{
  write_line (self, MS_PROTOCOL_EVENT_RESPONSE, "+", "+ ");
}

void
ms_pop3_session_end_data (MsPop3ServerSession *self)
{
  write_line (self, MS_PROTOCOL_EVENT_RESPONSE, ".", ".");
}

void
ms_pop3_session_notice (MsPop3ServerSession *self,
                        const char          *name,
                        const char          *text)
{
  emit (self, MS_PROTOCOL_EVENT_NOTICE, name, text);
}

void
ms_pop3_session_finish (MsPop3ServerSession *self)
{
  self->finished = TRUE;
  self->in_auth_plain = FALSE;
  g_byte_array_set_size (self->input, 0);
  ms_pop3_session_logout (self);
}

void
ms_pop3_session_bad_command (MsPop3ServerSession *self,
                             const char          *format,
                             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  self->bad_commands++;
  if (self->bad_commands >= MS_LIMIT_POP3_BAD_COMMANDS)
    {
      ms_pop3_session_reply (self, FALSE, "%s; too many bad commands, closing the connection", text);
      ms_pop3_session_finish (self);
      return;
    }
  ms_pop3_session_reply (self, FALSE, "%s", text);
}

/* Why a command is refused in the current state, in words a student follows. */
static void
refuse_state (MsPop3ServerSession *self,
              const MsPop3Command *command)
{
  if (self->state == MS_POP3_STATE_AUTHORIZATION)
    ms_pop3_session_bad_command (self, "%s is only valid after login (TRANSACTION state); "
                                 "log in with USER/PASS, APOP or AUTH first", command->name);
  else
    ms_pop3_session_bad_command (self, "%s is only valid before login (AUTHORIZATION state); "
                                 "you are already logged in", command->name);
}

static const MsPop3Command *
lookup_command (const char *name)
{
  for (guint i = 0; i < ms_pop3_n_auth_commands; i++)
    if (g_ascii_strcasecmp (ms_pop3_auth_commands[i].name, name) == 0)
      return &ms_pop3_auth_commands[i];
  for (guint i = 0; i < ms_pop3_n_mail_commands; i++)
    if (g_ascii_strcasecmp (ms_pop3_mail_commands[i].name, name) == 0)
      return &ms_pop3_mail_commands[i];
  return NULL;
}

/* @line has no CRLF and, after the control-character check, no NUL. */
static void
execute_line (MsPop3ServerSession *self,
              const char          *line)
{
  const MsPop3Command *command;
  g_autofree char *keyword = NULL;
  const char *space = strchr (line, ' ');
  const char *args = space ? space + 1 : "";

  if (self->in_auth_plain)
    {
      emit (self, MS_PROTOCOL_EVENT_COMMAND, "AUTH", line);
      ms_pop3_auth_continue (self, line);
      return;
    }

  keyword = g_ascii_strup (line, space ? (gssize) (space - line) : -1);
  /* Keywords are 3 or 4 characters (RFC 1939 section 3); a longer word is
   * narrated shortened so that a junk line cannot flood the event name. */
  if (strlen (keyword) > 16)
    keyword[16] = '\0';
  emit (self, MS_PROTOCOL_EVENT_COMMAND, keyword, line);

  if (line[0] == '\0')
    {
      ms_pop3_session_bad_command (self, "Empty command");
      return;
    }

  command = lookup_command (keyword);
  /* RFC 1939 section 7: PASS is valid only immediately after USER. */
  if (command == NULL || strcmp (command->name, "PASS") != 0)
    g_clear_pointer (&self->pending_user, g_free);
  if (command == NULL)
    {
      /* The keyword is echoed only when printable ASCII (see
       * ms_pop3_is_printable_ascii()): a client typing a word in its own
       * language gets a 7-bit answer it can show. */
      if (ms_pop3_is_printable_ascii (keyword))
        ms_pop3_session_bad_command (self, "Unknown command %s", keyword);
      else
        ms_pop3_session_bad_command (self, "Unknown command (not a POP3 keyword: those are ASCII)");
      return;
    }
  if ((command->states & (1u << self->state)) == 0)
    {
      refuse_state (self, command);
      return;
    }
  command->handler (self, args);
}

static void
line_too_long (MsPop3ServerSession *self)
{
  ms_pop3_session_reply (self, FALSE, "Line too long (the limit is %u octets); closing the connection",
                         MS_LIMIT_POP3_LINE);
  ms_pop3_session_finish (self);
}

static void
process_input (MsPop3ServerSession *self)
{
  while (!self->finished && self->hold_ms == 0 && self->input->len > 0 &&
         self->output->len < MS_LIMIT_POP3_OUTPUT_HIGH)
    {
      const guint8 *data = self->input->data;
      const guint8 *lf = memchr (data, '\n', self->input->len);
      g_autofree char *line = NULL;
      gsize line_len;
      gboolean control = FALSE;

      if (lf == NULL)
        {
          if (self->input->len > MS_LIMIT_POP3_LINE)
            line_too_long (self);
          return;
        }

      line_len = (gsize) (lf - data);
      if (line_len + 1 > MS_LIMIT_POP3_LINE)
        {
          line_too_long (self);
          return;
        }
      /* CRLF is the line end; a bare LF is accepted as one too, as most
       * servers do, because it cannot be confused with anything else. */
      if (line_len > 0 && data[line_len - 1] == '\r')
        line_len--;

      line = g_strndup ((const char *) data, line_len);
      for (gsize i = 0; i < line_len; i++)
        if ((guint8) line[i] < 0x20 || (guint8) line[i] == 0x7f)
          {
            /* NUL would cut the C string short and a CR or ESC in a command
             * is never legitimate: narrate it visibly and refuse it. */
            line[i] = '?';
            control = TRUE;
          }
      g_byte_array_remove_range (self->input, 0, (guint) (lf - data) + 1);

      if (control)
        {
          emit (self, MS_PROTOCOL_EVENT_COMMAND, NULL, line);
          if (self->in_auth_plain)
            {
              self->in_auth_plain = FALSE;
              ms_pop3_session_reply (self, FALSE, "Control characters are not allowed; authentication cancelled");
              self->bad_commands++;
            }
          else
            ms_pop3_session_bad_command (self, "Control characters are not allowed in a command");
          continue;
        }

      execute_line (self, line);
    }
}

/* MsServerSession */

static void
ms_pop3_server_session_start (MsServerSession *session)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);

  g_return_if_fail (!self->started);

  self->started = TRUE;
  emit (self, MS_PROTOCOL_EVENT_STATE, ms_pop3_state_to_string (self->state), NULL);
  ms_pop3_session_reply (self, TRUE, "Mailscope POP3 server ready %s", self->apop_timestamp);
}

static void
ms_pop3_server_session_feed (MsServerSession *session,
                             const guint8    *data,
                             gsize            len)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);

  if (self->finished || len == 0)
    return;

  if (self->input->len + len > MS_LIMIT_POP3_PENDING_INPUT)
    {
      ms_pop3_session_reply (self, FALSE, "Too much input without reading the answers; closing the connection");
      ms_pop3_session_finish (self);
      return;
    }
  g_byte_array_append (self->input, data, (guint) len);
  process_input (self);
}

static gsize
ms_pop3_server_session_take_output (MsServerSession *session,
                                    GByteArray      *dest)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);
  gsize taken = 0;

  /* While held, what was said before the failed login may still go out
   * (the -ERR itself waits in held_response), but nothing new is executed:
   * process_input() does nothing until release_hold(). */
  while (self->output->len > 0 && taken < MS_LIMIT_POP3_OUTPUT_HIGH)
    {
      taken += self->output->len;
      g_byte_array_append (dest, self->output->data, self->output->len);
      g_byte_array_set_size (self->output, 0);
      /* Commands queued behind a full output buffer run now. */
      process_input (self);
    }
  return taken;
}

/* The same as take_output(), but the first buffer of output goes out as it
 * is instead of being copied: the answer to RETR holds the whole message. */
static GBytes *
ms_pop3_server_session_take_output_bytes (MsServerSession *session)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);
  GByteArray *out = NULL;
  gsize taken = 0;

  while (self->output->len > 0 && taken < MS_LIMIT_POP3_OUTPUT_HIGH)
    {
      taken += self->output->len;
      if (out == NULL)
        {
          out = self->output;
          self->output = g_byte_array_new ();
        }
      else
        {
          g_byte_array_append (out, self->output->data, self->output->len);
          g_byte_array_set_size (self->output, 0);
        }
      process_input (self);
    }
  return out != NULL ? g_byte_array_free_to_bytes (out) : NULL;
}

static gboolean
ms_pop3_server_session_is_finished (MsServerSession *session)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);

  return self->finished && self->output->len == 0 && self->hold_ms == 0;
}

static void
ms_pop3_server_session_connection_lost (MsServerSession *session)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);
  guint marked = 0;

  if (self->finished && self->account == NULL)
    return;

  if (self->deleted != NULL)
    for (guint i = 0; i < self->deleted->len; i++)
      marked += g_array_index (self->deleted, gboolean, i);

  if (self->state == MS_POP3_STATE_TRANSACTION && marked > 0)
    {
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "pop3", NC_ ("transcript", "connection-lost"),
                                            ms_phrase_new_plural (MS_NP ("transcript",
                                                                         "connection lost before QUIT: %u message "
                                                                         "marked for deletion stay on the server",
                                                                         "connection lost before QUIT: %u messages "
                                                                         "marked for deletion stay on the server"),
                                                                  marked, ms_phrase_uint (marked)));
    }
  else
    {
      MsPhrase *what = ms_phrase_list_new ("; ");

      ms_phrase_list_append (what, ms_phrase_new (NC_ ("transcript", "connection lost")));
      ms_phrase_list_append (what, ms_phrase_new (NC_ ("transcript", "nothing was removed")));
      ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "pop3", NC_ ("transcript", "connection-lost"),
                                            what);
    }

  ms_pop3_session_finish (self);
  self->hold_ms = 0;
  g_clear_pointer (&self->held_response, g_free);
  g_byte_array_set_size (self->output, 0);
}

static guint
ms_pop3_server_session_get_hold_ms (MsServerSession *session)
{
  return MS_POP3_SERVER_SESSION (session)->hold_ms;
}

static void
ms_pop3_server_session_release_hold (MsServerSession *session)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);
  g_autofree char *response = NULL;

  if (self->hold_ms == 0)
    return;
  self->hold_ms = 0;
  response = g_steal_pointer (&self->held_response);
  if (response != NULL)
    write_line (self, MS_PROTOCOL_EVENT_RESPONSE, "-ERR", response);
  if (self->auth_failures >= MS_LIMIT_POP3_AUTH_FAILURES)
    ms_pop3_session_finish (self);
  process_input (self);
}

static void
ms_pop3_server_session_set_tls_active (MsServerSession *session,
                                       gboolean         active)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (session);

  active = !!active;
  if (self->tls_active == active)
    return;
  self->tls_active = active;
  /* RFC 2595 section 4: whatever the client said before TLS is forgotten. */
  g_clear_pointer (&self->pending_user, g_free);
  if (active)
    ms_server_session_emit_notice_phrase (MS_SERVER_SESSION (self), "pop3", "tls",
                                          ms_phrase_new (NC_ ("transcript", "TLS is active: from here on "
                                                              "everything is encrypted")));
}

static gboolean
ms_pop3_server_session_get_tls_active (MsServerSession *session)
{
  return MS_POP3_SERVER_SESSION (session)->tls_active;
}

/* No timed_out(): RFC 1939 section 3 closes without a word and without
 * UPDATE, which is what connection_lost() does. */
static gboolean
ms_pop3_server_session_is_authenticated (MsServerSession *session)
{
  return MS_POP3_SERVER_SESSION (session)->state == MS_POP3_STATE_TRANSACTION;
}

static void
ms_pop3_server_session_iface_init (MsServerSessionInterface *iface)
{
  iface->start = ms_pop3_server_session_start;
  iface->feed = ms_pop3_server_session_feed;
  iface->take_output = ms_pop3_server_session_take_output;
  iface->take_output_bytes = ms_pop3_server_session_take_output_bytes;
  iface->is_finished = ms_pop3_server_session_is_finished;
  iface->connection_lost = ms_pop3_server_session_connection_lost;
  iface->get_hold_ms = ms_pop3_server_session_get_hold_ms;
  iface->release_hold = ms_pop3_server_session_release_hold;
  iface->set_tls_active = ms_pop3_server_session_set_tls_active;
  iface->get_tls_active = ms_pop3_server_session_get_tls_active;
  iface->is_authenticated = ms_pop3_server_session_is_authenticated;
}

/* GObject */

static void
ms_pop3_server_session_constructed (GObject *object)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (object);
  static guint counter;

  G_OBJECT_CLASS (ms_pop3_server_session_parent_class)->constructed (object);

  if (self->greeting_host == NULL)
    self->greeting_host = g_strdup ("localhost");
  /* RFC 1939 section 7: the timestamp must differ for every greeting; the
   * process id and a counter make it so on this host. */
  if (self->apop_timestamp == NULL)
    self->apop_timestamp = g_strdup_printf ("<%d.%u@%s>", (int) getpid (),
                                            g_atomic_int_add (&counter, 1) + 1u,
                                            self->greeting_host);
}

static void
ms_pop3_server_session_dispose (GObject *object)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (object);

  ms_pop3_session_logout (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ms_pop3_server_session_parent_class)->dispose (object);
}

static void
ms_pop3_server_session_finalize (GObject *object)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (object);

  g_free (self->greeting_host);
  g_free (self->apop_timestamp);
  g_free (self->held_response);
  g_free (self->pending_user);
  g_free (self->user);
  g_byte_array_unref (self->input);
  g_byte_array_unref (self->output);

  G_OBJECT_CLASS (ms_pop3_server_session_parent_class)->finalize (object);
}

static void
ms_pop3_server_session_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:          g_value_set_object (value, self->store); break;
    case PROP_GREETING_HOST:  g_value_set_string (value, self->greeting_host); break;
    case PROP_APOP_TIMESTAMP: g_value_set_string (value, self->apop_timestamp); break;
    case PROP_TLS_AVAILABLE:  g_value_set_boolean (value, self->tls_available); break;
    case PROP_REQUIRE_TLS:    g_value_set_boolean (value, self->require_tls); break;
    case PROP_STATE:          g_value_set_int (value, self->state); break;
    case PROP_USER:           g_value_set_string (value, self->user); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_pop3_server_session_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MsPop3ServerSession *self = MS_POP3_SERVER_SESSION (object);
  gboolean b;

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_GREETING_HOST:
      self->greeting_host = g_value_dup_string (value);
      break;
    case PROP_APOP_TIMESTAMP:
      self->apop_timestamp = g_value_dup_string (value);
      break;
    case PROP_TLS_AVAILABLE:
      b = g_value_get_boolean (value);
      if (b != self->tls_available)
        {
          self->tls_available = b;
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_REQUIRE_TLS:
      b = g_value_get_boolean (value);
      if (b != self->require_tls)
        {
          self->require_tls = b;
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_pop3_server_session_class_init (MsPop3ServerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ms_pop3_server_session_constructed;
  object_class->dispose = ms_pop3_server_session_dispose;
  object_class->finalize = ms_pop3_server_session_finalize;
  object_class->get_property = ms_pop3_server_session_get_property;
  object_class->set_property = ms_pop3_server_session_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GREETING_HOST] =
    g_param_spec_string ("greeting-host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APOP_TIMESTAMP] =
    g_param_spec_string ("apop-timestamp", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_AVAILABLE] =
    g_param_spec_boolean ("tls-available", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRE_TLS] =
    g_param_spec_boolean ("require-tls", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, MS_POP3_STATE_AUTHORIZATION, MS_POP3_STATE_UPDATE,
                      MS_POP3_STATE_AUTHORIZATION, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ms_pop3_server_session_init (MsPop3ServerSession *self)
{
  self->state = MS_POP3_STATE_AUTHORIZATION;
  self->input = g_byte_array_new ();
  self->output = g_byte_array_new ();
}

MsPop3ServerSession *
ms_pop3_server_session_new (MsStore    *store,
                            const char *greeting_host)
{
  g_return_val_if_fail (MS_IS_STORE (store), NULL);

  return g_object_new (MS_TYPE_POP3_SERVER_SESSION,
                       "store", store,
                       "greeting-host", greeting_host,
                       NULL);
}

MsPop3State
ms_pop3_server_session_get_state (MsPop3ServerSession *self)
{
  g_return_val_if_fail (MS_IS_POP3_SERVER_SESSION (self), MS_POP3_STATE_AUTHORIZATION);
  return self->state;
}

const char *
ms_pop3_server_session_get_user (MsPop3ServerSession *self)
{
  g_return_val_if_fail (MS_IS_POP3_SERVER_SESSION (self), NULL);
  return self->user;
}

const char *
ms_pop3_server_session_get_apop_timestamp (MsPop3ServerSession *self)
{
  g_return_val_if_fail (MS_IS_POP3_SERVER_SESSION (self), NULL);
  return self->apop_timestamp;
}

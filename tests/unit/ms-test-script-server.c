/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-test-script-server"
#include "config.h"

#include <string.h>

#include "ms-test-script-server.h"

struct _MsTestScriptServer
{
  GObject                 parent_instance;
  char                   *greeting;
  const MsTestScriptStep *steps;
  guint                   n_steps;
  guint                   next;
  GString                *in;
  GByteArray             *out;
  gsize                   literal;   /* bytes of a client literal still to skip */
  gboolean                finished;
};

static void iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsTestScriptServer, ms_test_script_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION, iface_init))

/* Only a "$" that starts a line stands for the tag ($Forwarded stays). */
static char *
substitute (const char *text, const char *tag)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] == '$')
      {
        char *line = g_strconcat (tag, lines[i] + 1, NULL);

        g_free (lines[i]);
        lines[i] = line;
      }
  return g_strjoinv ("\r\n", lines);
}

void
ms_test_script_server_push (MsTestScriptServer *self, const char *text)
{
  g_byte_array_append (self->out, (const guint8 *) text, strlen (text));
}

static void
handle_line (MsTestScriptServer *self, const char *line)
{
  const MsTestScriptStep *step;
  g_autofree char *tag = NULL;
  g_autofree char *expect = NULL;
  const char *space = strchr (line, ' ');

  if (self->next >= self->n_steps)
    g_error ("script ended but the client sent: %s", line);
  step = &self->steps[self->next++];
  tag = space ? g_strndup (line, space - line) : g_strdup (line);
  expect = substitute (step->expect, tag);
  if (strcmp (expect, line) != 0)
    g_error ("script step %u: expected\n  %s\nbut the client sent\n  %s", self->next, expect, line);
  if (step->reply)
    {
      g_autofree char *reply = substitute (step->reply, tag);

      ms_test_script_server_push (self, reply);
    }
  if (g_str_has_suffix (line, "LOGOUT"))
    self->finished = TRUE;
}

static void
server_start (MsServerSession *session)
{
  MsTestScriptServer *self = MS_TEST_SCRIPT_SERVER (session);

  ms_test_script_server_push (self, self->greeting);
}

static void
server_feed (MsServerSession *session, const guint8 *data, gsize len)
{
  MsTestScriptServer *self = MS_TEST_SCRIPT_SERVER (session);
  char *eol;

  g_string_append_len (self->in, (const char *) data, len);
  while (TRUE)
    {
      if (self->literal > 0)
        {
          gsize take = MIN (self->literal, self->in->len);

          g_string_erase (self->in, 0, take);
          self->literal -= take;
          if (self->literal > 0)
            return;
        }
      eol = strstr (self->in->str, "\r\n");
      if (eol == NULL)
        return;
      {
        g_autofree char *line = g_strndup (self->in->str, eol - self->in->str);
        const char *brace = strrchr (line, '{');

        g_string_erase (self->in, 0, eol - self->in->str + 2);
        handle_line (self, line);
        if (brace && g_str_has_suffix (line, "}"))
          self->literal = g_ascii_strtoull (brace + 1, NULL, 10);
      }
    }
}

static gsize
server_take_output (MsServerSession *session, GByteArray *dest)
{
  MsTestScriptServer *self = MS_TEST_SCRIPT_SERVER (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static gboolean server_is_finished (MsServerSession *s) { return MS_TEST_SCRIPT_SERVER (s)->finished; }
static void server_connection_lost (MsServerSession *s) { MS_TEST_SCRIPT_SERVER (s)->finished = TRUE; }
static guint server_get_hold_ms (MsServerSession *s) { return 0; }
static void server_release_hold (MsServerSession *s) { }
static void server_set_tls_active (MsServerSession *s, gboolean a) { }
static gboolean server_get_tls_active (MsServerSession *s) { return FALSE; }

static void
iface_init (MsServerSessionInterface *iface)
{
  iface->start = server_start;
  iface->feed = server_feed;
  iface->take_output = server_take_output;
  iface->is_finished = server_is_finished;
  iface->connection_lost = server_connection_lost;
  iface->get_hold_ms = server_get_hold_ms;
  iface->release_hold = server_release_hold;
  iface->set_tls_active = server_set_tls_active;
  iface->get_tls_active = server_get_tls_active;
}

static void
ms_test_script_server_finalize (GObject *object)
{
  MsTestScriptServer *self = MS_TEST_SCRIPT_SERVER (object);

  g_free (self->greeting);
  g_string_free (self->in, TRUE);
  g_byte_array_unref (self->out);
  G_OBJECT_CLASS (ms_test_script_server_parent_class)->finalize (object);
}

static void
ms_test_script_server_class_init (MsTestScriptServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_test_script_server_finalize;
}

static void
ms_test_script_server_init (MsTestScriptServer *self)
{
  self->in = g_string_new (NULL);
  self->out = g_byte_array_new ();
}

MsTestScriptServer *
ms_test_script_server_new (const char *greeting, const MsTestScriptStep *steps, guint n_steps)
{
  MsTestScriptServer *self = g_object_new (MS_TYPE_TEST_SCRIPT_SERVER, NULL);

  self->greeting = g_strdup (greeting);
  self->steps = steps;
  self->n_steps = n_steps;
  return self;
}

guint
ms_test_script_server_remaining (MsTestScriptServer *self)
{
  return self->n_steps - self->next;
}

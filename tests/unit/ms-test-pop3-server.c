/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-test-pop3-server"
#include "config.h"

#include <string.h>

#include "ms-test-pop3-server.h"

struct _MsTestPop3Server
{
  GObject     parent_instance;
  MsStore    *store;
  MsAccount  *account;
  char       *user;
  char       *refuse;
  GString    *in;
  GByteArray *out;
  GPtrArray  *drop;      /* MsMessage snapshot */
  GArray     *deleted;   /* gboolean per message */
  gboolean    transaction;
  gboolean    finished;
};

static void server_iface_init (MsServerSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsTestPop3Server, ms_test_pop3_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_SERVER_SESSION, server_iface_init))

static void
reply (MsTestPop3Server *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
reply (MsTestPop3Server *self, const char *format, ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_byte_array_append (self->out, (const guint8 *) line, strlen (line));
  g_byte_array_append (self->out, (const guint8 *) "\r\n", 2);
}

static MsMessage *
message_arg (MsTestPop3Server *self, const char *arg, guint *n_out)
{
  guint64 n;

  if (arg == NULL || !g_ascii_string_to_unsigned (arg, 10, 1, self->drop->len ? self->drop->len : 1, &n, NULL) ||
      n > self->drop->len || g_array_index (self->deleted, gboolean, n - 1))
    return NULL;
  *n_out = n;
  return g_ptr_array_index (self->drop, n - 1);
}

static void
command (MsTestPop3Server *self, const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, " ", 2);
  const char *verb = parts[0];
  const char *arg = parts[0] ? parts[1] : NULL;
  MsMessage *message;
  guint n = 0;

  if (self->refuse && g_ascii_strcasecmp (self->refuse, line) == 0)
    {
      reply (self, "-ERR refused by the test");
      return;
    }
  if (g_ascii_strcasecmp (verb, "CAPA") == 0)
    {
      reply (self, "+OK");
      reply (self, "USER");
      reply (self, "UIDL");
      reply (self, "STLS");
      reply (self, ".");
    }
  else if (g_ascii_strcasecmp (verb, "STLS") == 0)
    reply (self, "+OK Begin TLS");
  else if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      if (self->transaction)
        {
          g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

          for (guint i = 0; i < self->drop->len; i++)
            if (g_array_index (self->deleted, gboolean, i))
              {
                guint32 uid = ms_message_get_uid (g_ptr_array_index (self->drop, i));
                g_array_append_val (uids, uid);
              }
          ms_mailbox_expunge_uids (ms_account_get_inbox (self->account), (guint32 *) uids->data, uids->len);
        }
      reply (self, "+OK bye");
      self->finished = TRUE;
    }
  else if (!self->transaction && g_ascii_strcasecmp (verb, "USER") == 0 && arg)
    {
      g_free (self->user);
      self->user = g_strdup (arg);
      reply (self, "+OK");
    }
  else if (!self->transaction && g_ascii_strcasecmp (verb, "PASS") == 0 && arg && self->user)
    {
      MsAccount *account = ms_store_lookup_account (self->store, self->user);
      MsMailbox *inbox;

      if (account == NULL || !ms_account_check_password (account, arg))
        {
          reply (self, "-ERR [AUTH] wrong");
          return;
        }
      self->account = account;
      inbox = ms_account_get_inbox (account);
      for (guint i = 0; i < ms_mailbox_get_n_messages (inbox); i++)
        g_ptr_array_add (self->drop, ms_message_ref (ms_mailbox_get_message (inbox, i)));
      g_array_set_size (self->deleted, self->drop->len);
      self->transaction = TRUE;
      reply (self, "+OK maildrop ready");
    }
  else if (self->transaction && g_ascii_strcasecmp (verb, "STAT") == 0)
    {
      guint count = 0;
      gsize size = 0;

      for (guint i = 0; i < self->drop->len; i++)
        if (!g_array_index (self->deleted, gboolean, i))
          {
            count++;
            size += ms_message_get_size (g_ptr_array_index (self->drop, i));
          }
      reply (self, "+OK %u %" G_GSIZE_FORMAT, count, size);
    }
  else if (self->transaction && g_ascii_strcasecmp (verb, "UIDL") == 0 && arg == NULL)
    {
      reply (self, "+OK");
      for (guint i = 0; i < self->drop->len; i++)
        if (!g_array_index (self->deleted, gboolean, i))
          reply (self, "%u %08x%08x", i + 1, ms_mailbox_get_uidvalidity (ms_account_get_inbox (self->account)),
                 ms_message_get_uid (g_ptr_array_index (self->drop, i)));
      reply (self, ".");
    }
  else if (self->transaction && g_ascii_strcasecmp (verb, "RETR") == 0 && (message = message_arg (self, arg, &n)))
    {
      gsize len;
      const char *data = g_bytes_get_data (ms_message_get_raw (message), &len);
      gsize pos = 0;

      reply (self, "+OK %" G_GSIZE_FORMAT " octets", len);
      while (pos < len)
        {
          const char *eol = memchr (data + pos, '\n', len - pos);
          gsize line_len = eol ? (gsize) (eol - data - pos + 1) : len - pos;

          if (data[pos] == '.')
            g_byte_array_append (self->out, (const guint8 *) ".", 1);
          g_byte_array_append (self->out, (const guint8 *) data + pos, line_len);
          pos += line_len;
        }
      reply (self, ".");
    }
  else if (self->transaction && g_ascii_strcasecmp (verb, "DELE") == 0 && (message = message_arg (self, arg, &n)))
    {
      g_array_index (self->deleted, gboolean, n - 1) = TRUE;
      reply (self, "+OK deleted");
    }
  else
    reply (self, "-ERR no");
}

static void
server_start (MsServerSession *session)
{
  reply (MS_TEST_POP3_SERVER (session), "+OK test POP3 ready");
}

static void
server_feed (MsServerSession *session, const guint8 *data, gsize len)
{
  MsTestPop3Server *self = MS_TEST_POP3_SERVER (session);
  char *eol;

  g_string_append_len (self->in, (const char *) data, len);
  while (!self->finished && (eol = strstr (self->in->str, "\r\n")) != NULL)
    {
      g_autofree char *line = g_strndup (self->in->str, eol - self->in->str);

      g_string_erase (self->in, 0, eol - self->in->str + 2);
      command (self, line);
    }
}

static gsize
server_take_output (MsServerSession *session, GByteArray *dest)
{
  MsTestPop3Server *self = MS_TEST_POP3_SERVER (session);
  gsize n = self->out->len;

  g_byte_array_append (dest, self->out->data, n);
  g_byte_array_set_size (self->out, 0);
  return n;
}

static gboolean server_is_finished (MsServerSession *s) { return MS_TEST_POP3_SERVER (s)->finished; }
static void server_connection_lost (MsServerSession *s) { MS_TEST_POP3_SERVER (s)->finished = TRUE; }
static guint server_get_hold_ms (MsServerSession *s) { return 0; }
static void server_release_hold (MsServerSession *s) { }
static void server_set_tls_active (MsServerSession *s, gboolean active) { }
static gboolean server_get_tls_active (MsServerSession *s) { return FALSE; }

static void
server_iface_init (MsServerSessionInterface *iface)
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
ms_test_pop3_server_finalize (GObject *object)
{
  MsTestPop3Server *self = MS_TEST_POP3_SERVER (object);

  g_object_unref (self->store);
  g_free (self->user);
  g_free (self->refuse);
  g_string_free (self->in, TRUE);
  g_byte_array_unref (self->out);
  g_ptr_array_unref (self->drop);
  g_array_unref (self->deleted);
  G_OBJECT_CLASS (ms_test_pop3_server_parent_class)->finalize (object);
}

static void
ms_test_pop3_server_class_init (MsTestPop3ServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_test_pop3_server_finalize;
}

static void
ms_test_pop3_server_init (MsTestPop3Server *self)
{
  self->in = g_string_new (NULL);
  self->out = g_byte_array_new ();
  self->drop = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_message_unref);
  self->deleted = g_array_new (FALSE, TRUE, sizeof (gboolean));
}

MsTestPop3Server *
ms_test_pop3_server_new (MsStore *store, const char *refuse)
{
  MsTestPop3Server *self = g_object_new (MS_TYPE_TEST_POP3_SERVER, NULL);

  self->store = g_object_ref (store);
  self->refuse = g_strdup (refuse);
  return self;
}

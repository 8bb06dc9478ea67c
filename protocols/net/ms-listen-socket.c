/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-net"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ms-listen-socket.h"

/* Clients accepted per wake-up at most, so that a flood of connections on
 * one listener does not starve the others and the open sessions. */
#define ACCEPTS_PER_TURN 32

/* How long accepting pauses when even the reserve descriptor is gone. */
#define PAUSE_MS 1000

struct _MsListenSocket
{
  GSocket            *socket;
  GSocketAddress     *address;
  GSource            *source;
  guint               resume_id;
  MsAcceptFunc        accepted;
  MsAcceptRefuseFunc  refuse;
  gpointer            user_data;
};

/* One descriptor for the whole process, shared by every listener: it only
 * needs to be there at the moment one of them runs out. */
static int reserve_fd = -1;

static void
take_reserve (void)
{
  if (reserve_fd < 0)
    reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

static gboolean on_readable (GSocket *socket, GIOCondition condition, gpointer data);

static void
watch (MsListenSocket *self)
{
  self->source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->source, (GSourceFunc) (void (*) (void)) on_readable, self, NULL);
  g_source_attach (self->source, g_main_context_get_thread_default ());
}

static gboolean
resume (gpointer data)
{
  MsListenSocket *self = data;

  self->resume_id = 0;
  take_reserve ();
  watch (self);
  return G_SOURCE_REMOVE;
}

static void
pause_accepting (MsListenSocket *self,
                 const GError   *error)
{
  g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  self->resume_id = g_timeout_add (PAUSE_MS, resume, self);
  self->refuse (NULL, error, self->user_data);
}

/* Out of descriptors: accept the waiting client on the reserve one and
 * refuse it, so that it hears why rather than hanging in the backlog.
 * FALSE when that is not possible either. */
static gboolean
refuse_with_reserve (MsListenSocket *self,
                     const GError   *error)
{
  g_autoptr(GSocket) client = NULL;

  if (reserve_fd < 0)
    return FALSE;
  close (reserve_fd);
  reserve_fd = -1;
  client = g_socket_accept (self->socket, NULL, NULL);
  if (client != NULL)
    {
      g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (client);

      self->refuse (connection, error, self->user_data);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  g_clear_object (&client);
  take_reserve ();
  return TRUE;
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  MsListenSocket *self = data;

  for (guint i = 0; i < ACCEPTS_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->socket, NULL, &error);

      if (client != NULL)
        {
          g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (client);

          self->accepted (connection, self->user_data);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) &&
          refuse_with_reserve (self, error))
        continue;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        continue;   /* the client gave up before we took it: nothing to do */
      /* No descriptor even in reserve, or the kernel is short of memory:
       * trying again at once would fail the same way. */
      pause_accepting (self, error);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

MsListenSocket *
ms_listen_socket_new (GInetSocketAddress  *address,
                      int                  backlog,
                      MsAcceptFunc         accepted,
                      MsAcceptRefuseFunc   refuse,
                      gpointer             user_data,
                      GError             **error)
{
  g_autoptr(GSocket) socket = NULL;
  MsListenSocket *self;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (accepted != NULL && refuse != NULL, NULL);

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, backlog);
  /* allow_reuse: a restarted server binds its port again at once, as
   * GSocketListener does. */
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error) || !g_socket_listen (socket, error))
    return NULL;

  self = g_new0 (MsListenSocket, 1);
  self->socket = g_steal_pointer (&socket);
  self->address = g_socket_get_local_address (self->socket, error);
  self->accepted = accepted;
  self->refuse = refuse;
  self->user_data = user_data;
  if (self->address == NULL)
    {
      ms_listen_socket_free (self);
      return NULL;
    }
  take_reserve ();
  watch (self);
  return self;
}

GSocketAddress *
ms_listen_socket_get_address (MsListenSocket *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->address;
}

void
ms_listen_socket_free (MsListenSocket *self)
{
  if (self == NULL)
    return;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_source_unref (self->source);
    }
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_socket_close (self->socket, NULL);
  g_object_unref (self->socket);
  g_clear_object (&self->address);
  g_free (self);
}

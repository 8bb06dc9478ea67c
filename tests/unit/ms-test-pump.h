/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A tiny driver for client tests: it plays the simulated device's part,
 * connecting a client session to a server session it makes on demand and
 * moving the bytes between them (optionally one byte at a time, so the
 * client's parser is fed in every possible split). TLS is pretended: when
 * the client asks for it both sides are told it is active. */
#pragma once

#include "ms-client-session.h"
#include "ms-server-session.h"

G_BEGIN_DECLS

typedef MsServerSession *(*MsTestServerFactory) (gpointer user_data);

typedef struct
{
  MsClientSession     *client;
  MsTestServerFactory  factory;
  gpointer             factory_data;
  MsServerSession     *server;       /* the current connection's, or NULL */
  gboolean             byte_at_a_time;
  gssize               drop_after;   /* lose the connection once this many server bytes went by; -1 never */
  gsize                server_bytes; /* server → client bytes on this connection */
  GString             *wire;         /* both directions, "C: " / "S: " prefixed, for assertions */
  guint                n_connections;
  /* The last action-finished. */
  gboolean             finished;
  gboolean             success;
  char                *summary;
  GPtrArray           *events;       /* "KIND name text" strings from the client */
  gboolean             tls_pending;
} MsTestPump;

void     ms_test_pump_init    (MsTestPump          *pump,
                               MsClientSession     *client,
                               MsTestServerFactory  factory,
                               gpointer             factory_data);
void     ms_test_pump_clear   (MsTestPump          *pump);
/* Begins the action and moves bytes until it finished and nothing moves. */
gboolean ms_test_pump_run     (MsTestPump          *pump,
                               const MsClientAction *action);
/* Moves bytes until nothing moves (for IDLE pushes after a server change). */
void     ms_test_pump_settle  (MsTestPump          *pump);
/* Counts occurrences of needle in the wire log. */
guint    ms_test_pump_count   (MsTestPump          *pump,
                               const char          *needle);

G_END_DECLS

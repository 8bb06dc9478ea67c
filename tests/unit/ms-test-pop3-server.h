/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal RFC 1939 server session for the POP3 client's tests, used
 * until the real MsPop3ServerSession is on main. It keeps the rules that
 * matter to a client: a maildrop snapshot at login, DELE only marks, and
 * only QUIT (UPDATE state) removes; a lost connection removes nothing. */
#pragma once

#include "ms-server-session.h"
#include "ms-store.h"

G_BEGIN_DECLS

#define MS_TYPE_TEST_POP3_SERVER (ms_test_pop3_server_get_type ())
G_DECLARE_FINAL_TYPE (MsTestPop3Server, ms_test_pop3_server, MS, TEST_POP3_SERVER, GObject)

MsTestPop3Server *ms_test_pop3_server_new (MsStore    *store,
                                           const char *refuse);  /* e.g. "UIDL" or "RETR 2"; NULL */

G_END_DECLS

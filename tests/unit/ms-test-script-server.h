/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scripted server session for client tests: it sends a greeting, then
 * for each line the client sends checks it against the next expected line
 * and answers with the scripted reply. A "$" that starts a line stands for the
 * command's tag. A mismatch fails the test with both lines shown. Used for
 * the IMAP client until the real MsImapServerSession is on main, and for
 * exact wire checks. */
#pragma once

#include "ms-server-session.h"

G_BEGIN_DECLS

typedef struct
{
  const char *expect;   /* the client's line without CRLF; "$" = its tag */
  const char *reply;    /* CRLF-separated lines to send back; "$" = the tag; may be NULL */
} MsTestScriptStep;

#define MS_TYPE_TEST_SCRIPT_SERVER (ms_test_script_server_get_type ())
G_DECLARE_FINAL_TYPE (MsTestScriptServer, ms_test_script_server, MS, TEST_SCRIPT_SERVER, GObject)

MsTestScriptServer *ms_test_script_server_new       (const char             *greeting,
                                                     const MsTestScriptStep *steps,
                                                     guint                   n_steps);
/* Sends text now (an unsolicited push). */
void                ms_test_script_server_push      (MsTestScriptServer     *self,
                                                     const char             *text);
/* Steps not yet reached. */
guint               ms_test_script_server_remaining (MsTestScriptServer     *self);

G_END_DECLS

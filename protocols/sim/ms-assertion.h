/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What must be true after a scenario step: "server-count INBOX == 0",
 * "device-flag phone \"Field trip\" \\Seen", "transcript-contains \"DELE 1\"",
 * "bytes-down laptop < 2000". The grammar is in docs/scenario-format.md. */
#pragma once

#include <glib.h>
#include "ms-phrase.h"
#include "ms-world.h"

G_BEGIN_DECLS

typedef struct _MsAssertion MsAssertion;

MsAssertion *ms_assertion_parse      (const char   *text,
                                      GError      **error);
void         ms_assertion_free       (MsAssertion  *self);
const char  *ms_assertion_get_text   (MsAssertion  *self);
/* The device names the assertion refers to (for validation). */
const char * const *ms_assertion_get_devices (MsAssertion *self);
/* TRUE when it holds in @world after step @step; @detail says what was
 * found either way ("INBOX holds 2 messages"), as a phrase (ms-phrase.h). */
gboolean     ms_assertion_check      (MsAssertion  *self,
                                      MsWorld      *world,
                                      guint         step,
                                      MsPhrase    **detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsAssertion, ms_assertion_free)

G_END_DECLS

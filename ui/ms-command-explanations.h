/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain-words explanations of every POP3, IMAP and SMTP command, response
 * and response code the app can show, for the transcript's explanation
 * pane. No GTK here: `mailscope run` may use it as well. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @protocol is "pop3", "imap" or "smtp"; names are case-insensitive.
 * Each returns NULL when the name is unknown. */
const char *ms_explain_command       (const char *protocol,
                                      const char *name);
/* POP3 "+OK"/"-ERR", IMAP "OK"/"NO"/"BAD"/"BYE"/"PREAUTH" and untagged data
 * names ("EXISTS", "FETCH"), SMTP three-digit reply codes ("250"). */
const char *ms_explain_response      (const char *protocol,
                                      const char *name);
/* The bracketed codes: POP3 "[IN-USE]", IMAP "[UIDVALIDITY 3]" (pass the
 * atom without brackets and arguments, "UIDVALIDITY"). */
const char *ms_explain_response_code (const char *protocol,
                                      const char *code);

/* Explains one transcript line: a command when @to_server, else a
 * response; adds the bracketed code's explanation when there is one.
 * Returns a newly allocated string, or NULL when nothing is known. */
char       *ms_explain_line          (const char *protocol,
                                      gboolean    to_server,
                                      const char *line);

/* Every name in one table, for tests that check nothing is left out. */
const char * const *ms_explain_list_commands  (const char *protocol);
const char * const *ms_explain_list_responses (const char *protocol);
const char * const *ms_explain_list_codes     (const char *protocol);

G_END_DECLS

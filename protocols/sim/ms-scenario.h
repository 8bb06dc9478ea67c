/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scenario: a GKeyFile .scenario file (data/scenarios/) that sets up a
 * world (mailbox, devices, links) and lists the steps that teach something,
 * each with its narration and the assertions that must hold after it. The
 * format is described exactly in docs/scenario-format.md. Errors name the
 * file, the line and the key. */
#pragma once

#include <glib-object.h>
#include "ms-assertion.h"
#include "ms-client-session.h"

G_BEGIN_DECLS

#define MS_SCENARIO_ERROR (ms_scenario_error_quark ())

typedef enum {
  MS_SCENARIO_ERROR_NOT_FOUND,
  MS_SCENARIO_ERROR_INVALID,
} MsScenarioError;

typedef struct
{
  char            *name;
  char            *protocol;       /* "pop3" or "imap" */
  MsClientTlsMode  tls_mode;
  char            *link;           /* a link spelling for ms_link_parse(), or NULL: the scenario's */
  char            *server_url;     /* or NULL: the in-process server */
  MsClientPolicy   policy;
} MsScenarioDevice;

typedef struct
{
  char       *actor;
  char       *action;
  GHashTable *args;          /* char* -> char* */
  GStrv       arg_names;     /* the argument names in file order */
  gint64      wait_us;       /* virtual time to let pass before the step */
  char       *until;         /* or NULL: end the step at the first protocol line holding this */
  char       *narration;
  GStrv       teaching_ids;
  GStrv       myth_ids;
  GPtrArray  *assertions;    /* MsAssertion* */
  GPtrArray  *assertion_keys;/* char*: "assert", "assert-2" … for error messages */
  guint       line;          /* the line of the [step N] header */
} MsScenarioStep;

#define MS_TYPE_SCENARIO (ms_scenario_get_type ())

G_DECLARE_FINAL_TYPE (MsScenario, ms_scenario, MS, SCENARIO, GObject)

GQuark                  ms_scenario_error_quark      (void);
/* @id_or_path: a built-in id ("first-check") or a path to a .scenario file. */
MsScenario             *ms_scenario_load             (const char   *id_or_path,
                                                      GError      **error);
/* @name is used in error messages as the file name. */
MsScenario             *ms_scenario_load_from_data   (const char   *data,
                                                      gsize         len,
                                                      const char   *name,
                                                      GError      **error);
/* The ids of the built-in scenarios in their teaching order (by file name). */
GStrv                   ms_scenario_list_builtin     (void);

const char             *ms_scenario_get_id           (MsScenario   *self);
const char             *ms_scenario_get_title        (MsScenario   *self);
const char             *ms_scenario_get_description  (MsScenario   *self);
const char             *ms_scenario_get_file         (MsScenario   *self);
const char * const     *ms_scenario_get_teaching_ids (MsScenario   *self);
const char * const     *ms_scenario_get_myth_ids     (MsScenario   *self);
const char             *ms_scenario_get_mailbox      (MsScenario   *self);
/* The link every device has unless it names its own; "dsl-16m" when the
 * file does not choose one (then has_own_link() is FALSE). */
const char             *ms_scenario_get_link         (MsScenario   *self);
gboolean                ms_scenario_has_own_link     (MsScenario   *self);
const char             *ms_scenario_get_intro        (MsScenario   *self);
guint                   ms_scenario_get_n_devices    (MsScenario   *self);
const MsScenarioDevice *ms_scenario_get_device       (MsScenario   *self,
                                                      guint         index);
guint                   ms_scenario_get_n_steps      (MsScenario   *self);
const MsScenarioStep   *ms_scenario_get_step         (MsScenario   *self,
                                                      guint         index);
/* "laptop: check", "server: deliver (subject=Lunch)": a one-line title. */
char                   *ms_scenario_step_describe    (const MsScenarioStep *step);
/* Points every device that speaks the URL's protocol at @url
 * (`mailscope run --server URL`); the others keep the in-process server. */
gboolean                ms_scenario_set_server_url   (MsScenario   *self,
                                                      const char   *url,
                                                      GError      **error);

G_END_DECLS

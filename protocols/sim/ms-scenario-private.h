/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the scenario's files share: the object's fields, the key-file
 * reading with file-and-line errors (ms-scenario-keyfile.c) and the
 * checking of [device] and [step] groups (ms-scenario-groups.c). */
#pragma once

#include "ms-scenario.h"

G_BEGIN_DECLS

/* A scenario is a teaching script, not a data set: these bounds keep a
 * broken or hostile file from costing much. */
#define MS_SCENARIO_MAX_FILE_SIZE   (1024 * 1024)
#define MS_SCENARIO_MAX_STEPS       500
#define MS_SCENARIO_MAX_DEVICES     16
#define MS_SCENARIO_MAX_ASSERTIONS  32
#define MS_SCENARIO_MAX_WAIT_US     (G_GINT64_CONSTANT (366) * 24 * 3600 * G_USEC_PER_SEC)

struct _MsScenario
{
  GObject    parent_instance;
  char      *file;
  char      *id;
  char      *title;
  char      *description;
  char      *intro;
  GStrv      teaching_ids;
  GStrv      myth_ids;
  char      *mailbox;
  char      *link;
  gboolean   own_link;   /* the file has a link= key */
  GPtrArray *devices;   /* MsScenarioDevice* */
  GPtrArray *steps;     /* MsScenarioStep* */
};

/* Where things are in the file, for error messages. */
typedef struct
{
  const char *file;
  GHashTable *lines;   /* "group\nkey" (key "" for the header) -> line */
} MsScenarioLocator;

/* ms-scenario-keyfile.c */
guint    ms_scenario_locate         (MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key);
/* Sets "FILE:LINE: [GROUP] KEY: message" and returns FALSE. */
gboolean ms_scenario_fail           (GError            **error,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key,
                                     const char         *format,
                                     ...) G_GNUC_PRINTF (5, 6);
gboolean ms_scenario_scan_lines     (MsScenarioLocator  *loc,
                                     const char         *data,
                                     gsize               len,
                                     GError            **error);
gboolean ms_scenario_key_string     (GKeyFile           *kf,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key,
                                     gboolean            required,
                                     char              **out,
                                     GError            **error);
/* title, description, intro, narration: the reader's language's locale key
 * (title[de]) when there is one, else the plain key. */
gboolean ms_scenario_key_text       (GKeyFile           *kf,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key,
                                     gboolean            required,
                                     char              **out,
                                     GError            **error);
/* TRUE for "narration[de]" when "narration" is in @allowed and a text key. */
gboolean ms_scenario_is_locale_key  (const char         *key,
                                     const char * const *allowed);
gboolean ms_scenario_key_bool       (GKeyFile           *kf,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key,
                                     gboolean           *out,
                                     GError            **error);
gboolean ms_scenario_key_ids        (GKeyFile           *kf,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char         *key,
                                     char                letter,
                                     GStrv              *out,
                                     GError            **error);
gboolean ms_scenario_parse_duration (const char         *text,
                                     gint64             *us);
gboolean ms_scenario_check_keys     (GKeyFile           *kf,
                                     MsScenarioLocator  *loc,
                                     const char         *group,
                                     const char * const *allowed,
                                     GError            **error);

/* ms-scenario-groups.c */
const MsScenarioDevice *ms_scenario_find_device  (MsScenario         *self,
                                                  const char         *name);
gboolean                ms_scenario_parse_device (MsScenario         *self,
                                                  GKeyFile           *kf,
                                                  MsScenarioLocator  *loc,
                                                  const char         *group,
                                                  GError            **error);
gboolean                ms_scenario_parse_step   (MsScenario         *self,
                                                  GKeyFile           *kf,
                                                  MsScenarioLocator  *loc,
                                                  const char         *group,
                                                  GError            **error);

G_END_DECLS

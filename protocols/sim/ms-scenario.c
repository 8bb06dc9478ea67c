/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-scenario"
#include "config.h"

#include <string.h>

#include "ms-data-path.h"
#include "ms-link.h"
#include "ms-scenario.h"

/* A scenario is a teaching script, not a data set: these bounds keep a
 * broken or hostile file from costing much. */
#define MAX_FILE_SIZE   (1024 * 1024)
#define MAX_STEPS       500
#define MAX_DEVICES     16
#define MAX_ASSERTIONS  32
#define MAX_WAIT_US     (G_GINT64_CONSTANT (366) * 24 * 3600 * G_USEC_PER_SEC)

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
  GPtrArray *devices;   /* MsScenarioDevice* */
  GPtrArray *steps;     /* MsScenarioStep* */
};

G_DEFINE_FINAL_TYPE (MsScenario, ms_scenario, G_TYPE_OBJECT)
G_DEFINE_QUARK (ms-scenario-error-quark, ms_scenario_error)

static const char * const step_keys[] = {
  "actor", "action", "narration", "teaching", "myths", "wait", NULL
};
static const char * const scenario_keys[] = {
  "id", "title", "description", "teaching", "myths", "mailbox", "link", "intro", NULL
};
static const char * const device_keys[] = {
  "protocol", "tls", "link", "server", "leave-on-server", "delete-after-days",
  "delete-when-deleted-here", "idle", "peek", "fetch-attachments-on-open", "delete-mode", NULL
};
static const char * const device_actions[] = {
  "check", "open", "open-part", "delete", "mark-read", "mark-unread", "flag", "unflag", "reply",
  "forward", "search", "create-folder", "rename-folder", "delete-folder", "move", "idle",
  "disconnect", "resync", "send", "go-offline", "go-online", "crash", NULL
};
static const char * const server_actions[] = { "deliver", "generate", "create-folder", NULL };
static const char * const network_actions[] = { "drop", "set-link", NULL };

static void
device_free (gpointer data)
{
  MsScenarioDevice *d = data;

  g_free (d->name);
  g_free (d->protocol);
  g_free (d->link);
  g_free (d->server_url);
  g_free (d);
}

static void
step_free (gpointer data)
{
  MsScenarioStep *s = data;

  g_free (s->actor);
  g_free (s->action);
  g_clear_pointer (&s->args, g_hash_table_unref);
  g_strfreev (s->arg_names);
  g_free (s->narration);
  g_strfreev (s->teaching_ids);
  g_strfreev (s->myth_ids);
  g_clear_pointer (&s->assertions, g_ptr_array_unref);
  g_clear_pointer (&s->assertion_keys, g_ptr_array_unref);
  g_free (s);
}

static void
ms_scenario_finalize (GObject *object)
{
  MsScenario *self = MS_SCENARIO (object);

  g_free (self->file);
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->intro);
  g_strfreev (self->teaching_ids);
  g_strfreev (self->myth_ids);
  g_free (self->mailbox);
  g_free (self->link);
  g_ptr_array_unref (self->devices);
  g_ptr_array_unref (self->steps);
  G_OBJECT_CLASS (ms_scenario_parent_class)->finalize (object);
}

static void
ms_scenario_class_init (MsScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ms_scenario_finalize;
}

static void
ms_scenario_init (MsScenario *self)
{
  self->devices = g_ptr_array_new_with_free_func (device_free);
  self->steps = g_ptr_array_new_with_free_func (step_free);
}

/* --- Where things are in the file, for error messages ------------------ */

typedef struct
{
  const char *file;
  GHashTable *lines;   /* "group\nkey" (key "" for the header) -> line */
} Locator;

static guint
locate (Locator    *loc,
        const char *group,
        const char *key)
{
  g_autofree char *k = g_strdup_printf ("%s\n%s", group, key != NULL ? key : "");

  return GPOINTER_TO_UINT (g_hash_table_lookup (loc->lines, k));
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (GError     **error,
      Locator     *loc,
      const char  *group,
      const char  *key,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;
  guint line = locate (loc, group, key);

  if (line == 0 && key != NULL)
    line = locate (loc, group, NULL);
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (key != NULL)
    g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s:%u: [%s] %s: %s",
                 loc->file, line, group, key, message);
  else
    g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s:%u: [%s]: %s",
                 loc->file, line, group, message);
  return FALSE;
}

/* GKeyFile says what is wrong but not where: a first pass over the lines
 * finds every group and key, and the first line GKeyFile would refuse. */
static gboolean
scan_lines (Locator     *loc,
            const char  *data,
            gsize        len,
            GError     **error)
{
  g_autofree char *copy = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autofree char *group = NULL;

  if (strlen (copy) != len)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s:1: the file contains a NUL byte", loc->file);
      return FALSE;
    }
  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s:1: the file is not UTF-8", loc->file);
      return FALSE;
    }

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint number = i + 1;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (line[0] == '[')
        {
          char *close = strchr (line, ']');
          g_autofree char *k = NULL;

          if (close == NULL || close[1] != '\0' || close == line + 1)
            {
              g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                           "%s:%u: a group header must look like [name]", loc->file, number);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, (gsize) (close - line - 1));
          k = g_strdup_printf ("%s\n", group);
          if (g_hash_table_contains (loc->lines, k))
            {
              g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                           "%s:%u: [%s] appears twice", loc->file, number, group);
              return FALSE;
            }
          g_hash_table_insert (loc->lines, g_steal_pointer (&k), GUINT_TO_POINTER (number));
          continue;
        }
      {
        char *eq = strchr (line, '=');
        g_autofree char *key = NULL;
        g_autofree char *k = NULL;

        if (eq == NULL || eq == line)
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: expected “key=value”, a [group] or a # comment", loc->file, number);
            return FALSE;
          }
        if (group == NULL)
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: a key before the first [group]", loc->file, number);
            return FALSE;
          }
        key = g_strstrip (g_strndup (line, (gsize) (eq - line)));
        k = g_strdup_printf ("%s\n%s", group, key);
        if (g_hash_table_contains (loc->lines, k))
          {
            g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                         "%s:%u: [%s] %s: the key appears twice", loc->file, number, group, key);
            return FALSE;
          }
        g_hash_table_insert (loc->lines, g_steal_pointer (&k), GUINT_TO_POINTER (number));
      }
    }
  return TRUE;
}

/* --- Values ------------------------------------------------------------- */

static gboolean
get_string (GKeyFile    *kf,
            Locator     *loc,
            const char  *group,
            const char  *key,
            gboolean     required,
            char       **out,
            GError     **error)
{
  g_autoptr(GError) local = NULL;

  *out = NULL;
  if (!g_key_file_has_key (kf, group, key, NULL))
    {
      if (required)
        return fail (error, loc, group, key, "is required");
      return TRUE;
    }
  *out = g_key_file_get_string (kf, group, key, &local);
  if (*out == NULL)
    return fail (error, loc, group, key, "%s", local->message);
  g_strstrip (*out);
  if (required && **out == '\0')
    return fail (error, loc, group, key, "must not be empty");
  return TRUE;
}

static gboolean
get_bool (GKeyFile    *kf,
          Locator     *loc,
          const char  *group,
          const char  *key,
          gboolean    *out,
          GError     **error)
{
  g_autofree char *value = NULL;

  if (!get_string (kf, loc, group, key, FALSE, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "true") || g_str_equal (value, "yes"))
    *out = TRUE;
  else if (g_str_equal (value, "false") || g_str_equal (value, "no"))
    *out = FALSE;
  else
    return fail (error, loc, group, key, "“%s” is not true or false", value);
  return TRUE;
}

static gboolean
get_ids (GKeyFile    *kf,
         Locator     *loc,
         const char  *group,
         const char  *key,
         char         letter,
         GStrv       *out,
         GError     **error)
{
  g_autofree char *value = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!get_string (kf, loc, group, key, FALSE, &value, error))
    return FALSE;
  parts = g_strsplit_set (value != NULL ? value : "", ";, ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = parts[i];
      gsize n = strlen (id);

      if (n == 0)
        continue;
      if (id[0] != letter || n < 2 || n > 3 || !g_ascii_isdigit (id[1]) ||
          (n == 3 && !g_ascii_isdigit (id[2])))
        return fail (error, loc, group, key, "“%s” is not an id like %s", id,
                     letter == 'T' ? "T10" : "M2");
      g_strv_builder_add (builder, id);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_duration (const char *text,
                gint64     *us)
{
  static const struct { const char *suffix; gint64 factor; } units[] = {
    { "ms", 1000 }, { "s", G_USEC_PER_SEC }, { "m", 60 * G_USEC_PER_SEC },
    { "h", G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC },
    { "d", G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_has_suffix (text, units[i].suffix))
      {
        g_autofree char *digits = g_strndup (text, strlen (text) - strlen (units[i].suffix));
        guint64 n;

        if (!g_ascii_string_to_unsigned (digits, 10, 0, 1000000, &n, NULL))
          return FALSE;
        if ((gint64) n > MAX_WAIT_US / units[i].factor)
          return FALSE;
        *us = (gint64) n * units[i].factor;
        return TRUE;
      }
  return FALSE;
}

/* --- Groups -------------------------------------------------------------- */

static gboolean
check_keys (GKeyFile           *kf,
            Locator            *loc,
            const char         *group,
            const char * const *allowed,
            GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]) && strchr (keys[i], '[') == NULL)
      return fail (error, loc, group, keys[i], "unknown key");
  return TRUE;
}

static gboolean
parse_device (MsScenario  *self,
              GKeyFile    *kf,
              Locator     *loc,
              const char  *group,
              GError     **error)
{
  g_autofree char *tls = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *days = NULL;
  MsScenarioDevice *d;
  const char *name = group + strlen ("device ");

  if (!check_keys (kf, loc, group, device_keys, error))
    return FALSE;
  if (*name == '\0' || strchr (name, ' ') != NULL || g_str_equal (name, "server") ||
      g_str_equal (name, "network") || g_str_equal (name, "sender"))
    return fail (error, loc, group, NULL, "a device name is one word, not server, sender or network");
  if (self->devices->len >= MAX_DEVICES)
    return fail (error, loc, group, NULL, "at most %d devices", MAX_DEVICES);

  d = g_new0 (MsScenarioDevice, 1);
  g_ptr_array_add (self->devices, d);
  d->name = g_strdup (name);
  ms_client_policy_init_defaults (&d->policy);

  if (!get_string (kf, loc, group, "protocol", TRUE, &d->protocol, error))
    return FALSE;
  if (!g_str_equal (d->protocol, "pop3") && !g_str_equal (d->protocol, "imap"))
    return fail (error, loc, group, "protocol", "“%s” is not pop3 or imap", d->protocol);

  if (!get_string (kf, loc, group, "tls", FALSE, &tls, error))
    return FALSE;
  if (tls != NULL && !ms_client_tls_mode_from_string (tls, &d->tls_mode))
    return fail (error, loc, group, "tls", "“%s” is not off, starttls or implicit", tls);

  if (!get_string (kf, loc, group, "link", FALSE, &d->link, error))
    return FALSE;
  if (d->link != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(MsLink) link = ms_link_parse (d->link, &local);

      if (link == NULL)
        return fail (error, loc, group, "link", "%s", local->message);
    }

  if (!get_string (kf, loc, group, "server", FALSE, &d->server_url, error))
    return FALSE;
  if (d->server_url != NULL && !g_str_has_prefix (d->server_url, "imap://") &&
      !g_str_has_prefix (d->server_url, "pop3://"))
    return fail (error, loc, group, "server", "“%s” is not imap://HOST:PORT or pop3://HOST:PORT",
                 d->server_url);

  if (!get_bool (kf, loc, group, "leave-on-server", &d->policy.leave_on_server, error) ||
      !get_bool (kf, loc, group, "delete-when-deleted-here", &d->policy.delete_when_deleted_here, error) ||
      !get_bool (kf, loc, group, "idle", &d->policy.use_idle, error) ||
      !get_bool (kf, loc, group, "peek", &d->policy.peek, error) ||
      !get_bool (kf, loc, group, "fetch-attachments-on-open", &d->policy.fetch_attachments_on_open, error))
    return FALSE;

  if (!get_string (kf, loc, group, "delete-after-days", FALSE, &days, error))
    return FALSE;
  if (days != NULL)
    {
      gint64 n;

      if (!g_ascii_string_to_signed (days, 10, -1, 36500, &n, NULL))
        return fail (error, loc, group, "delete-after-days", "“%s” is not a number of days (-1 for never)", days);
      d->policy.delete_after_days = (int) n;
    }

  if (!get_string (kf, loc, group, "delete-mode", FALSE, &mode, error))
    return FALSE;
  if (mode != NULL)
    {
      if (g_str_equal (mode, "flag-expunge"))
        d->policy.delete_mode = MS_DELETE_MODE_FLAG_EXPUNGE;
      else if (g_str_equal (mode, "move-to-trash"))
        d->policy.delete_mode = MS_DELETE_MODE_MOVE_TO_TRASH;
      else if (g_str_equal (mode, "flag-only"))
        d->policy.delete_mode = MS_DELETE_MODE_FLAG_ONLY;
      else
        return fail (error, loc, group, "delete-mode", "“%s” is not flag-expunge, move-to-trash or flag-only", mode);
    }
  return TRUE;
}

static const MsScenarioDevice *
find_device (MsScenario *self,
             const char *name)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      const MsScenarioDevice *d = g_ptr_array_index (self->devices, i);

      if (g_str_equal (d->name, name))
        return d;
    }
  return NULL;
}

static gboolean
parse_step (MsScenario  *self,
            GKeyFile    *kf,
            Locator     *loc,
            const char  *group,
            GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *wait = NULL;
  const char * const *actions;
  MsScenarioStep *s;
  guint64 number;

  if (!g_ascii_string_to_unsigned (group + strlen ("step "), 10, 1, MAX_STEPS, &number, NULL))
    return fail (error, loc, group, NULL, "a step is named [step N], N from 1 to %d", MAX_STEPS);
  if (number != self->steps->len + 1)
    return fail (error, loc, group, NULL, "expected [step %u] here: steps are numbered 1, 2, 3… in order",
                 self->steps->len + 1);

  s = g_new0 (MsScenarioStep, 1);
  g_ptr_array_add (self->steps, s);
  s->line = locate (loc, group, NULL);
  s->args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->assertions = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_assertion_free);
  s->assertion_keys = g_ptr_array_new_with_free_func (g_free);

  if (!get_string (kf, loc, group, "actor", TRUE, &s->actor, error) ||
      !get_string (kf, loc, group, "action", TRUE, &s->action, error) ||
      !get_string (kf, loc, group, "narration", FALSE, &s->narration, error) ||
      !get_ids (kf, loc, group, "teaching", 'T', &s->teaching_ids, error) ||
      !get_ids (kf, loc, group, "myths", 'M', &s->myth_ids, error) ||
      !get_string (kf, loc, group, "wait", FALSE, &wait, error))
    return FALSE;

  if (wait != NULL && !parse_duration (wait, &s->wait_us))
    return fail (error, loc, group, "wait", "“%s” is not a duration like 500ms, 30s, 5m, 2h or 3d", wait);

  if (g_str_equal (s->actor, "server") || g_str_equal (s->actor, "sender"))
    actions = server_actions;
  else if (g_str_equal (s->actor, "network"))
    actions = network_actions;
  else if (find_device (self, s->actor) != NULL)
    actions = device_actions;
  else
    return fail (error, loc, group, "actor", "no device called “%s” (and not server, sender or network)",
                 s->actor);
  if (!g_strv_contains (actions, s->action))
    return fail (error, loc, group, "action", "%s cannot “%s”", s->actor, s->action);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *key = keys[i];
      g_autofree char *value = NULL;

      if (g_strv_contains (step_keys, key) || strchr (key, '[') != NULL)
        continue;
      if (!get_string (kf, loc, group, key, FALSE, &value, error))
        return FALSE;
      if (g_str_has_prefix (key, "assert"))
        {
          g_autoptr(GError) local = NULL;
          MsAssertion *assertion;

          if (s->assertions->len >= MAX_ASSERTIONS)
            return fail (error, loc, group, key, "at most %d assertions per step", MAX_ASSERTIONS);
          assertion = ms_assertion_parse (value, &local);
          if (assertion == NULL)
            return fail (error, loc, group, key, "%s", local->message);
          g_ptr_array_add (s->assertions, assertion);
          g_ptr_array_add (s->assertion_keys, g_strdup (key));
          for (const char * const *dev = ms_assertion_get_devices (assertion); *dev != NULL; dev++)
            if (find_device (self, *dev) == NULL)
              return fail (error, loc, group, key, "no device called “%s”", *dev);
          continue;
        }
      if (g_str_equal (key, "device") && find_device (self, value) == NULL)
        return fail (error, loc, group, key, "no device called “%s”", value);
      g_strv_builder_add (names, key);
      g_hash_table_insert (s->args, g_strdup (key), g_steal_pointer (&value));
    }
  s->arg_names = g_strv_builder_end (names);
  return TRUE;
}

MsScenario *
ms_scenario_load_from_data (const char  *data,
                            gsize        len,
                            const char  *name,
                            GError     **error)
{
  g_autoptr(MsScenario) self = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *basename = NULL;
  Locator loc = { name, NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s: larger than %d bytes", name, MAX_FILE_SIZE);
      return NULL;
    }

  loc.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!scan_lines (&loc, data != NULL ? data : "", len, error))
    goto out;
  if (!g_key_file_load_from_data (kf, data != NULL ? data : "", len, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s: %s", name, local->message);
      goto out;
    }

  self = g_object_new (MS_TYPE_SCENARIO, NULL);
  self->file = g_strdup (name);

  if (!g_key_file_has_group (kf, "scenario"))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "%s:1: [scenario]: the group is missing", name);
      goto out;
    }
  if (!check_keys (kf, &loc, "scenario", scenario_keys, error) ||
      !get_string (kf, &loc, "scenario", "id", TRUE, &self->id, error) ||
      !get_string (kf, &loc, "scenario", "title", TRUE, &self->title, error) ||
      !get_string (kf, &loc, "scenario", "description", FALSE, &self->description, error) ||
      !get_string (kf, &loc, "scenario", "intro", FALSE, &self->intro, error) ||
      !get_ids (kf, &loc, "scenario", "teaching", 'T', &self->teaching_ids, error) ||
      !get_ids (kf, &loc, "scenario", "myths", 'M', &self->myth_ids, error) ||
      !get_string (kf, &loc, "scenario", "mailbox", FALSE, &self->mailbox, error) ||
      !get_string (kf, &loc, "scenario", "link", FALSE, &self->link, error))
    goto out;

  for (const char *p = self->id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        fail (error, &loc, "scenario", "id", "“%s”: use letters, digits and '-'", self->id);
        goto out;
      }
  if (self->mailbox == NULL)
    self->mailbox = g_strdup ("sample");
  if (self->link == NULL)
    self->link = g_strdup ("dsl-16m");
  else
    {
      g_autoptr(GError) link_error = NULL;
      g_autoptr(MsLink) link = ms_link_parse (self->link, &link_error);

      if (link == NULL)
        {
          fail (error, &loc, "scenario", "link", "%s", link_error->message);
          goto out;
        }
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (g_str_equal (group, "scenario"))
        continue;
      if (g_str_has_prefix (group, "device "))
        {
          if (self->steps->len > 0)
            {
              fail (error, &loc, group, NULL, "devices come before the steps");
              goto out;
            }
          if (find_device (self, group + strlen ("device ")) != NULL)
            {
              fail (error, &loc, group, NULL, "a second device of that name");
              goto out;
            }
          if (!parse_device (self, kf, &loc, group, error))
            goto out;
        }
      else if (g_str_has_prefix (group, "step "))
        {
          if (!parse_step (self, kf, &loc, group, error))
            goto out;
        }
      else
        {
          fail (error, &loc, group, NULL, "unknown group (scenario, device NAME or step N)");
          goto out;
        }
    }

  if (self->steps->len == 0)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s: no [step 1]", name);
      goto out;
    }
  ok = TRUE;

out:
  g_hash_table_unref (loc.lines);
  return ok ? g_steal_pointer (&self) : NULL;
}

static char *
builtin_dir (void)
{
  return ms_data_path ("scenarios");
}

/* "01-first-check.scenario" -> "first-check" */
static char *
id_of_file (const char *file)
{
  const char *start = file;
  const char *dash = strchr (file, '-');

  if (dash != NULL && dash > file)
    {
      const char *p = file;

      while (p < dash && g_ascii_isdigit (*p))
        p++;
      if (p == dash)
        start = dash + 1;
    }
  return g_strndup (start, strlen (start) - strlen (".scenario"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
builtin_files (void)
{
  g_autofree char *dir = builtin_dir ();
  g_autoptr(GDir) d = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL || (d = g_dir_open (dir, 0, NULL)) == NULL)
    return files;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".scenario"))
      g_ptr_array_add (files, g_strdup (name));
  /* Directory order is the file system's whim; the teaching order is the name's. */
  g_ptr_array_sort (files, compare_names);
  return files;
}

GStrv
ms_scenario_list_builtin (void)
{
  g_autoptr(GPtrArray) files = builtin_files ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *id = id_of_file (g_ptr_array_index (files, i));

      g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

MsScenario *
ms_scenario_load (const char  *id_or_path,
                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local = NULL;
  gsize len;

  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (strchr (id_or_path, '/') != NULL || g_str_has_suffix (id_or_path, ".scenario"))
    path = g_strdup (id_or_path);
  else
    {
      g_autoptr(GPtrArray) files = builtin_files ();
      g_autofree char *dir = builtin_dir ();

      for (guint i = 0; i < files->len && path == NULL; i++)
        {
          g_autofree char *id = id_of_file (g_ptr_array_index (files, i));

          if (g_str_equal (id, id_or_path))
            path = g_build_filename (dir, g_ptr_array_index (files, i), NULL);
        }
      if (path == NULL)
        {
          g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_NOT_FOUND,
                       "no scenario “%s” (see mailscope scenarios)", id_or_path);
          return NULL;
        }
    }

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_NOT_FOUND, "%s", local->message);
      return NULL;
    }
  display = g_path_get_basename (path);
  return ms_scenario_load_from_data (contents, len, display, error);
}

const char *ms_scenario_get_id (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->id; }
const char *ms_scenario_get_title (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->title; }
const char *ms_scenario_get_description (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->description; }
const char *ms_scenario_get_file (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->file; }
const char *ms_scenario_get_mailbox (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->mailbox; }
const char *ms_scenario_get_link (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->link; }
const char *ms_scenario_get_intro (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), NULL); return self->intro; }

const char * const *
ms_scenario_get_teaching_ids (MsScenario *self)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), NULL);
  return (const char * const *) self->teaching_ids;
}

const char * const *
ms_scenario_get_myth_ids (MsScenario *self)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), NULL);
  return (const char * const *) self->myth_ids;
}

guint
ms_scenario_get_n_devices (MsScenario *self)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), 0);
  return self->devices->len;
}

const MsScenarioDevice *
ms_scenario_get_device (MsScenario *self,
                        guint       index)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), NULL);
  g_return_val_if_fail (index < self->devices->len, NULL);
  return g_ptr_array_index (self->devices, index);
}

guint
ms_scenario_get_n_steps (MsScenario *self)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), 0);
  return self->steps->len;
}

const MsScenarioStep *
ms_scenario_get_step (MsScenario *self,
                      guint       index)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

char *
ms_scenario_step_describe (const MsScenarioStep *step)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (step != NULL, NULL);

  g_string_append_printf (out, "%s: %s", step->actor, step->action);
  if (step->arg_names != NULL && step->arg_names[0] != NULL)
    {
      gboolean first = TRUE;

      for (guint i = 0; step->arg_names[i] != NULL; i++)
        {
          const char *value = g_hash_table_lookup (step->args, step->arg_names[i]);

          /* Message bodies are narration's business, not the title's. */
          if (g_str_equal (step->arg_names[i], "body"))
            continue;
          g_string_append (out, first ? " (" : ", ");
          first = FALSE;
          g_string_append_printf (out, "%s=%s", step->arg_names[i], value);
        }
      if (!first)
        g_string_append_c (out, ')');
    }
  return g_string_free (out, FALSE);
}

gboolean
ms_scenario_set_server_url (MsScenario  *self,
                            const char  *url,
                            GError     **error)
{
  g_return_val_if_fail (MS_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (!g_str_has_prefix (url, "imap://") && !g_str_has_prefix (url, "pop3://"))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   "--server: “%s” is not imap://HOST:PORT or pop3://HOST:PORT", url);
      return FALSE;
    }
  /* Only the devices that speak the URL's protocol go there; the others
   * keep the in-process server. */
  for (guint i = 0; i < self->devices->len; i++)
    {
      MsScenarioDevice *d = g_ptr_array_index (self->devices, i);

      if (!g_str_has_prefix (url, d->protocol))
        continue;
      g_free (d->server_url);
      d->server_url = g_strdup (url);
    }
  return TRUE;
}

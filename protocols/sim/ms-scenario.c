/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-scenario"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-data-path.h"
#include "ms-link.h"
#include "ms-scenario-private.h"

G_DEFINE_FINAL_TYPE (MsScenario, ms_scenario, G_TYPE_OBJECT)
G_DEFINE_QUARK (ms-scenario-error-quark, ms_scenario_error)

static const char * const scenario_keys[] = {
  "id", "title", "description", "teaching", "myths", "mailbox", "link", "intro", NULL
};

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
  g_free (s->until);
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
  MsScenarioLocator loc = { name, NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (len > MS_SCENARIO_MAX_FILE_SIZE)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   _("%s: larger than %d bytes"), name, MS_SCENARIO_MAX_FILE_SIZE);
      return NULL;
    }

  loc.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!ms_scenario_scan_lines (&loc, data != NULL ? data : "", len, error))
    goto out;
  /* KEEP_TRANSLATIONS: otherwise GKeyFile drops every locale key but the
   * reader's, and a typo in title[fr] would pass unseen on a German machine. */
  if (!g_key_file_load_from_data (kf, data != NULL ? data : "", len, G_KEY_FILE_KEEP_TRANSLATIONS, &local))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, "%s: %s", name, local->message);
      goto out;
    }

  self = g_object_new (MS_TYPE_SCENARIO, NULL);
  self->file = g_strdup (name);

  if (!g_key_file_has_group (kf, "scenario"))
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID,
                   _("%s:1: [scenario]: the group is missing"), name);
      goto out;
    }
  if (!ms_scenario_check_keys (kf, &loc, "scenario", scenario_keys, error) ||
      !ms_scenario_key_string (kf, &loc, "scenario", "id", TRUE, &self->id, error) ||
      !ms_scenario_key_text (kf, &loc, "scenario", "title", TRUE, &self->title, error) ||
      !ms_scenario_key_text (kf, &loc, "scenario", "description", FALSE, &self->description, error) ||
      !ms_scenario_key_text (kf, &loc, "scenario", "intro", FALSE, &self->intro, error) ||
      !ms_scenario_key_ids (kf, &loc, "scenario", "teaching", 'T', &self->teaching_ids, error) ||
      !ms_scenario_key_ids (kf, &loc, "scenario", "myths", 'M', &self->myth_ids, error) ||
      !ms_scenario_key_string (kf, &loc, "scenario", "mailbox", FALSE, &self->mailbox, error) ||
      !ms_scenario_key_string (kf, &loc, "scenario", "link", FALSE, &self->link, error))
    goto out;

  for (const char *p = self->id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        ms_scenario_fail (error, &loc, "scenario", "id", "“%s”: use letters, digits and '-'", self->id);
        goto out;
      }
  if (self->mailbox == NULL)
    self->mailbox = g_strdup ("sample");
  self->own_link = self->link != NULL;
  if (self->link == NULL)
    self->link = g_strdup ("dsl-16m");
  else
    {
      g_autoptr(GError) link_error = NULL;
      g_autoptr(MsLink) link = ms_link_parse (self->link, &link_error);

      if (link == NULL)
        {
          ms_scenario_fail (error, &loc, "scenario", "link", "%s", link_error->message);
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
              ms_scenario_fail (error, &loc, group, NULL, "devices come before the steps");
              goto out;
            }
          if (ms_scenario_find_device (self, group + strlen ("device ")) != NULL)
            {
              ms_scenario_fail (error, &loc, group, NULL, "a second device of that name");
              goto out;
            }
          if (!ms_scenario_parse_device (self, kf, &loc, group, error))
            goto out;
        }
      else if (g_str_has_prefix (group, "step "))
        {
          if (!ms_scenario_parse_step (self, kf, &loc, group, error))
            goto out;
        }
      else
        {
          ms_scenario_fail (error, &loc, group, NULL, "unknown group (scenario, device NAME or step N)");
          goto out;
        }
    }

  if (self->steps->len == 0)
    {
      g_set_error (error, MS_SCENARIO_ERROR, MS_SCENARIO_ERROR_INVALID, _("%s: no [step 1]"), name);
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
                       _("no scenario “%s” (see mailscope scenarios)"), id_or_path);
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
gboolean ms_scenario_has_own_link (MsScenario *self) { g_return_val_if_fail (MS_IS_SCENARIO (self), FALSE); return self->own_link; }
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
                   _("--server: “%s” is not imap://HOST:PORT or pop3://HOST:PORT"), url);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The [device NAME] and [step N] groups of a scenario: which keys, actors
 * and actions exist, and what each value must look like. */
#define G_LOG_DOMAIN "ms-scenario"
#include "config.h"

#include <string.h>

#include "ms-link.h"
#include "ms-scenario-private.h"

static const char * const step_keys[] = {
  "actor", "action", "narration", "teaching", "myths", "wait", "until", NULL
};
static const char * const device_keys[] = {
  "protocol", "tls", "link", "server", "leave-on-server", "delete-after-days",
  "delete-when-deleted-here", "idle", "peek", "fetch-attachments-on-open", "delete-mode", NULL
};
static const char * const device_actions[] = {
  "check", "open", "open-part", "delete", "mark-read", "mark-unread", "flag", "unflag", "reply",
  "forward", "search", "create-folder", "rename-folder", "delete-folder", "move", "idle",
  "disconnect", "resync", "send", "go-offline", "go-online", "crash", "stop", NULL
};
static const char * const server_actions[] = { "deliver", "generate", "create-folder", "scan", NULL };
static const char * const network_actions[] = { "drop", "set-link", NULL };

static gboolean
check_link (const char         *value,
            MsScenarioLocator  *loc,
            const char         *group,
            GError            **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(MsLink) link = ms_link_parse (value, &local);

  if (link == NULL)
    return ms_scenario_fail (error, loc, group, "link", "%s", local->message);
  return TRUE;
}

gboolean
ms_scenario_parse_device (MsScenario         *self,
                          GKeyFile           *kf,
                          MsScenarioLocator  *loc,
                          const char         *group,
                          GError            **error)
{
  g_autofree char *tls = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *days = NULL;
  MsScenarioDevice *d;
  const char *name = group + strlen ("device ");

  if (!ms_scenario_check_keys (kf, loc, group, device_keys, error))
    return FALSE;
  if (*name == '\0' || strchr (name, ' ') != NULL || g_str_equal (name, "server") ||
      g_str_equal (name, "network") || g_str_equal (name, "sender"))
    return ms_scenario_fail (error, loc, group, NULL, "a device name is one word, not server, sender or network");
  if (self->devices->len >= MS_SCENARIO_MAX_DEVICES)
    return ms_scenario_fail (error, loc, group, NULL, "at most %d devices", MS_SCENARIO_MAX_DEVICES);

  d = g_new0 (MsScenarioDevice, 1);
  g_ptr_array_add (self->devices, d);
  d->name = g_strdup (name);
  ms_client_policy_init_defaults (&d->policy);

  if (!ms_scenario_key_string (kf, loc, group, "protocol", TRUE, &d->protocol, error))
    return FALSE;
  if (!g_str_equal (d->protocol, "pop3") && !g_str_equal (d->protocol, "imap"))
    return ms_scenario_fail (error, loc, group, "protocol", "“%s” is not pop3 or imap", d->protocol);

  if (!ms_scenario_key_string (kf, loc, group, "tls", FALSE, &tls, error))
    return FALSE;
  if (tls != NULL && !ms_client_tls_mode_from_string (tls, &d->tls_mode))
    return ms_scenario_fail (error, loc, group, "tls", "“%s” is not off, starttls or implicit", tls);

  if (!ms_scenario_key_string (kf, loc, group, "link", FALSE, &d->link, error))
    return FALSE;
  if (d->link != NULL && !check_link (d->link, loc, group, error))
    return FALSE;

  if (!ms_scenario_key_string (kf, loc, group, "server", FALSE, &d->server_url, error))
    return FALSE;
  if (d->server_url != NULL && !g_str_has_prefix (d->server_url, "imap://") &&
      !g_str_has_prefix (d->server_url, "pop3://"))
    return ms_scenario_fail (error, loc, group, "server", "“%s” is not imap://HOST:PORT or pop3://HOST:PORT",
                             d->server_url);

  if (!ms_scenario_key_bool (kf, loc, group, "leave-on-server", &d->policy.leave_on_server, error) ||
      !ms_scenario_key_bool (kf, loc, group, "delete-when-deleted-here", &d->policy.delete_when_deleted_here, error) ||
      !ms_scenario_key_bool (kf, loc, group, "idle", &d->policy.use_idle, error) ||
      !ms_scenario_key_bool (kf, loc, group, "peek", &d->policy.peek, error) ||
      !ms_scenario_key_bool (kf, loc, group, "fetch-attachments-on-open", &d->policy.fetch_attachments_on_open, error))
    return FALSE;

  if (!ms_scenario_key_string (kf, loc, group, "delete-after-days", FALSE, &days, error))
    return FALSE;
  if (days != NULL)
    {
      gint64 n;

      if (!g_ascii_string_to_signed (days, 10, -1, 36500, &n, NULL))
        return ms_scenario_fail (error, loc, group, "delete-after-days", "“%s” is not a number of days (-1 for never)", days);
      d->policy.delete_after_days = (int) n;
    }

  if (!ms_scenario_key_string (kf, loc, group, "delete-mode", FALSE, &mode, error))
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
        return ms_scenario_fail (error, loc, group, "delete-mode", "“%s” is not flag-expunge, move-to-trash or flag-only", mode);
    }
  return TRUE;
}

const MsScenarioDevice *
ms_scenario_find_device (MsScenario *self,
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

gboolean
ms_scenario_parse_step (MsScenario         *self,
                        GKeyFile           *kf,
                        MsScenarioLocator  *loc,
                        const char         *group,
                        GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *wait = NULL;
  const char * const *actions;
  MsScenarioStep *s;
  guint64 number;

  if (!g_ascii_string_to_unsigned (group + strlen ("step "), 10, 1, MS_SCENARIO_MAX_STEPS, &number, NULL))
    return ms_scenario_fail (error, loc, group, NULL, "a step is named [step N], N from 1 to %d", MS_SCENARIO_MAX_STEPS);
  if (number != self->steps->len + 1)
    return ms_scenario_fail (error, loc, group, NULL, "expected [step %u] here: steps are numbered 1, 2, 3… in order",
                             self->steps->len + 1);

  s = g_new0 (MsScenarioStep, 1);
  g_ptr_array_add (self->steps, s);
  s->line = ms_scenario_locate (loc, group, NULL);
  s->args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->assertions = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_assertion_free);
  s->assertion_keys = g_ptr_array_new_with_free_func (g_free);

  if (!ms_scenario_key_string (kf, loc, group, "actor", TRUE, &s->actor, error) ||
      !ms_scenario_key_string (kf, loc, group, "action", TRUE, &s->action, error) ||
      !ms_scenario_key_text (kf, loc, group, "narration", FALSE, &s->narration, error) ||
      !ms_scenario_key_ids (kf, loc, group, "teaching", 'T', &s->teaching_ids, error) ||
      !ms_scenario_key_ids (kf, loc, group, "myths", 'M', &s->myth_ids, error) ||
      !ms_scenario_key_string (kf, loc, group, "wait", FALSE, &wait, error) ||
      !ms_scenario_key_string (kf, loc, group, "until", FALSE, &s->until, error))
    return FALSE;

  if (wait != NULL && !ms_scenario_parse_duration (wait, &s->wait_us))
    return ms_scenario_fail (error, loc, group, "wait", "“%s” is not a duration like 500ms, 30s, 5m, 2h or 3d", wait);
  if (s->until != NULL && s->until[0] == '\0')
    return ms_scenario_fail (error, loc, group, "until", "must not be empty");

  if (g_str_equal (s->actor, "server") || g_str_equal (s->actor, "sender"))
    actions = server_actions;
  else if (g_str_equal (s->actor, "network"))
    actions = network_actions;
  else if (ms_scenario_find_device (self, s->actor) != NULL)
    actions = device_actions;
  else
    return ms_scenario_fail (error, loc, group, "actor", "no device called “%s” (and not server, sender or network)",
                             s->actor);
  if (!g_strv_contains (actions, s->action))
    return ms_scenario_fail (error, loc, group, "action", "%s cannot “%s”", s->actor, s->action);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *key = keys[i];
      g_autofree char *value = NULL;

      if (g_strv_contains (step_keys, key) || ms_scenario_is_locale_key (key, step_keys))
        continue;
      if (strchr (key, '[') != NULL)
        return ms_scenario_fail (error, loc, group, key,
                                 "only title, description, intro and narration have translations");
      if (!ms_scenario_key_string (kf, loc, group, key, FALSE, &value, error))
        return FALSE;
      if (g_str_has_prefix (key, "assert"))
        {
          g_autoptr(GError) local = NULL;
          MsAssertion *assertion;

          if (s->assertions->len >= MS_SCENARIO_MAX_ASSERTIONS)
            return ms_scenario_fail (error, loc, group, key, "at most %d assertions per step", MS_SCENARIO_MAX_ASSERTIONS);
          assertion = ms_assertion_parse (value, &local);
          if (assertion == NULL)
            return ms_scenario_fail (error, loc, group, key, "%s", local->message);
          g_ptr_array_add (s->assertions, assertion);
          g_ptr_array_add (s->assertion_keys, g_strdup (key));
          for (const char * const *dev = ms_assertion_get_devices (assertion); *dev != NULL; dev++)
            if (ms_scenario_find_device (self, *dev) == NULL)
              return ms_scenario_fail (error, loc, group, key, "no device called “%s”", *dev);
          continue;
        }
      if (g_str_equal (key, "device") && ms_scenario_find_device (self, value) == NULL)
        return ms_scenario_fail (error, loc, group, key, "no device called “%s”", value);
      if (g_str_equal (key, "link") && !check_link (value, loc, group, error))
        return FALSE;
      g_strv_builder_add (names, key);
      g_hash_table_insert (s->args, g_strdup (key), g_steal_pointer (&value));
    }
  s->arg_names = g_strv_builder_end (names);
  /* What the network acts on is known from the file: without it the
   * scenario would stop at this step, in front of the class, instead of
   * being refused when it is opened. */
  if (actions == network_actions && !g_hash_table_contains (s->args, "device"))
    return ms_scenario_fail (error, loc, group, NULL, "the network's “%s” needs device=", s->action);
  if (g_str_equal (s->action, "set-link") && !g_hash_table_contains (s->args, "link"))
    return ms_scenario_fail (error, loc, group, NULL, "set-link needs link=");
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-display-names"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "ms-display-names.h"
#include "ms-transcript-display.h"

/* The untranslated display name (context "actor") of a name of the
 * built-in scenarios, or NULL. */
static const char *
display_msgid (const char *name)
{
  /* The names the built-in scenarios use. A teacher's own device names are
   * shown as written: they are the teacher's words already. */
  static const struct { const char *name; const char *shown; } names[] = {
    { "laptop",    NC_("actor", "Laptop") },
    { "phone",     NC_("actor", "Phone") },
    { "tablet",    NC_("actor", "Tablet") },
    { "netbook",   NC_("actor", "Netbook") },
    { "oldpc",     NC_("actor", "Old PC") },
    { "oldphone",  NC_("actor", "Old phone") },
    { "oldlaptop", NC_("actor", "Old laptop") },
    { "webmail",   NC_("actor", "Webmail") },
    { "desktop",   NC_("actor", "Desktop PC") },
    { "pc",        NC_("actor", "PC") },
    { "server",    NC_("actor", "Server") },
    /* The transcript's other actors: assertion results, the network's
     * cuts, mail from elsewhere. A context, as "Check" is also a button. */
    { "check",     NC_("actor", "Check") },
    { "network",   NC_("actor", "Network") },
    { "sender",    NC_("actor", "Sender") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].name, name))
      return names[i].shown;
  return NULL;
}

/* A real client's device name (ms-live-client.c), numbered from 1. */
static const char real_client_msgid[] = NC_ ("transcript", "real client %u");
#define REAL_CLIENT_PREFIX "real client "

/* The number of a real client's name, or 0 for any other name. */
static guint
real_client_number (const char *name)
{
  guint64 number = 0;

  if (!g_str_has_prefix (name, REAL_CLIENT_PREFIX) ||
      !g_ascii_string_to_unsigned (name + strlen (REAL_CLIENT_PREFIX), 10, 1, G_MAXUINT, &number, NULL))
    return 0;
  return (guint) number;
}

const char *
ms_device_display_name (const char *name)
{
  const char *msgid;
  guint number;

  g_return_val_if_fail (name != NULL, NULL);

  msgid = display_msgid (name);
  if (msgid != NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, "actor", msgid);
  number = real_client_number (name);
  if (number != 0)
    {
      /* Interned, as the other names are static: one string per language
       * and real client that a window has shown, a few bytes each. */
      g_autofree char *shown = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, MS_PHRASE_CONTEXT, real_client_msgid),
                                                number);

      return g_intern_string (shown);
    }
  return name;
}

MsPhrase *
ms_phrase_device (const char *name)
{
  const char *msgid;
  guint number;

  g_return_val_if_fail (name != NULL, NULL);

  msgid = display_msgid (name);
  if (msgid != NULL)
    return ms_phrase_name (name, "actor", msgid);
  number = real_client_number (name);
  if (number != 0)
    return ms_phrase_real_client (number);
  return ms_phrase_text (name);
}

MsPhrase *
ms_phrase_real_client (guint number)
{
  return ms_phrase_new (real_client_msgid, ms_phrase_uint (number));
}

const char *
ms_action_display_name (const char *action)
{
  /* Every action of docs/scenario-format.md, as the step line names it. */
  static const struct { const char *action; const char *shown; } actions[] = {
    { "check",         NC_("step", "check") },
    { "open",          NC_("step", "open") },
    { "open-part",     NC_("step", "open a part") },
    { "delete",        NC_("step", "delete") },
    { "mark-read",     NC_("step", "mark read") },
    { "mark-unread",   NC_("step", "mark unread") },
    { "flag",          NC_("step", "flag") },
    { "unflag",        NC_("step", "unflag") },
    { "reply",         NC_("step", "reply") },
    { "forward",       NC_("step", "forward") },
    { "search",        NC_("step", "search") },
    { "create-folder", NC_("step", "create a folder") },
    { "delete-folder", NC_("step", "delete a folder") },
    { "rename-folder", NC_("step", "rename a folder") },
    { "move",          NC_("step", "move") },
    { "idle",          NC_("step", "wait in IDLE") },
    { "disconnect",    NC_("step", "log out") },
    { "resync",        NC_("step", "resynchronise") },
    { "send",          NC_("step", "send") },
    { "go-offline",    NC_("step", "go offline") },
    { "go-online",     NC_("step", "go online") },
    { "crash",         NC_("step", "crash") },
    { "stop",          NC_("step", "stop") },
    { "scan",          NC_("step", "scan for spam") },
    { "deliver",       NC_("step", "deliver") },
    { "generate",      NC_("step", "generate newsletters") },
    { "drop",          NC_("step", "cut a connection") },
    { "set-link",      NC_("step", "change the link") },
  };

  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].action, action))
      return g_dpgettext2 (GETTEXT_PACKAGE, "step", actions[i].shown);
  return action;
}

char *
ms_step_display_describe (const MsScenarioStep *step)
{
  g_autofree char *raw = NULL;
  g_autofree char *prefix = NULL;

  g_return_val_if_fail (step != NULL, NULL);

  /* "actor: action (arguments)": the actor and the action in the reader's
   * words, the arguments as the scenario wrote them. */
  raw = ms_scenario_step_describe (step);
  prefix = g_strdup_printf ("%s: %s", step->actor, step->action);
  return g_strdup_printf ("%s: %s%s", ms_device_display_name (step->actor),
                          ms_action_display_name (step->action),
                          g_str_has_prefix (raw, prefix) ? raw + strlen (prefix) : "");
}

const char *
ms_device_reader_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return ms_transcript_display_active () ? ms_device_display_name (name) : name;
}

const char *
ms_client_tls_mode_display_name (MsClientTlsMode mode)
{
  switch (mode)
    {
    /* TRANSLATORS: how a device uses TLS, in the devices table of an
     * export: not at all; upgraded with STARTTLS (STLS for POP3) after the
     * greeting; from the connection's first byte (ports 995, 993). */
    case MS_CLIENT_TLS_OFF: return C_("tls mode", "none");
    case MS_CLIENT_TLS_STARTTLS: return C_("tls mode", "STARTTLS (upgraded)");
    case MS_CLIENT_TLS_IMPLICIT: return C_("tls mode", "implicit (from the start)");
    default: return ms_client_tls_mode_to_string (mode);
    }
}

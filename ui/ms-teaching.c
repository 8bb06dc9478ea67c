/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-teaching"
#include "config.h"

#include <glib/gi18n.h>

#include "ms-teaching.h"

static const struct { const char *id; const char *title; } points[] = {
  { "T01", N_("Sending (SMTP) and reading (POP3, IMAP) are different protocols") },
  { "T02", N_("A mail program talks POP3 or IMAP to the server; webmail reads the same mailbox on the server") },
  { "T03", N_("POP3 comes from the dial-up age, IMAP was made for mail that stays on the server") },
  { "T10", N_("POP3 lists, downloads whole messages, and deletes only at QUIT") },
  { "T11", N_("Deleting after download is the mail program's setting, not POP3's rule") },
  { "T12", N_("IMAP fetches the list and headers first, a body only when opened") },
  { "T13", N_("IMAP can fetch part of a message; POP3 only whole ones") },
  { "T14", N_("On a slow link the difference is time: count the bytes") },
  { "T20", N_("After a POP3 download-and-delete, the only copy is on one device") },
  { "T21", N_("IMAP deletes on the server, and every device sees it go") },
  { "T22", N_("A POP3 deletion happens only at QUIT; a dropped connection deletes nothing") },
  { "T30", N_("IMAP keeps read, flagged and answered on the server for every device") },
  { "T31", N_("POP3 has no flags: read state lives in one mail program") },
  { "T32", N_("BODY[] marks a message read, BODY.PEEK[] does not") },
  { "T40", N_("IMAP SEARCH runs on the server and sends back only the matches") },
  { "T41", N_("With POP3 you can only search what you downloaded") },
  { "T50", N_("IMAP folders live on the server, the same on every device") },
  { "T51", N_("POP3 sees only the inbox; folders exist in one mail program") },
  { "T52", N_("Sent mail: IMAP saves a copy on the server, POP3 keeps it on one device") },
  { "T60", N_("A POP3 client connects, downloads, disconnects, and polls again later") },
  { "T61", N_("An IMAP client can stay connected and hear about new mail at once (IDLE)") },
  { "T62", N_("IMAP lets several devices open a mailbox at once; POP3 locks it") },
  { "T70", N_("An IMAP client that was offline catches up when it reconnects") },
  { "T71", N_("UIDs and UIDVALIDITY tell a client whether its copy still matches") },
  { "T80", N_("Lose a POP3 device and you lose its mail; with IMAP a new device gets it all") },
  { "T81", N_("The cost of IMAP: the server stores everything") },
  { "T82", N_("Virus and spam scanning happens once, on the server") },
  { "T90", N_("Ports: POP3 110 and 995, IMAP 143 and 993, submission 587") },
  { "T91", N_("Without TLS passwords cross the network in plain text, with either protocol") },
  { "T92", N_("STLS and STARTTLS upgrade a connection; ports 995 and 993 start encrypted") },
};

static const struct { const char *prefix; const char *topic; } topics[] = {
  { "T0", N_("Roles and history") },
  { "T1", N_("Downloading") },
  { "T2", N_("Deleting") },
  { "T3", N_("Read state and flags") },
  { "T4", N_("Searching") },
  { "T5", N_("Folders and sent mail") },
  { "T6", N_("Staying connected") },
  { "T7", N_("Offline and synchronising") },
  { "T8", N_("Keeping mail safe") },
  { "T9", N_("Security and ports") },
};

static const struct { const char *id; const char *claim; const char *truth; } myths[] = {
  { "M1", N_("“POP3 runs over TCP and UDP.”"),
    N_("POP3 uses TCP only: one reliable connection, port 110 (or 995 with TLS).") },
  { "M2", N_("“POP always deletes mail from the server.”"),
    N_("The mail program decides. POP3 deletes only what the client marks with DELE, and many clients leave copies.") },
  { "M3", N_("“POP is insecure, IMAP is secure.”"),
    N_("Without TLS both send the password in plain text; with TLS both are protected.") },
  { "M4", N_("“IMAP sends a copy, POP sends the entire email.”"),
    N_("Both send copies. IMAP can send less (headers, one part); POP's copy may become the only one left.") },
  { "M5", N_("“POP is faster.”"),
    N_("One POP3 check needs fewer round trips, but over a day on two devices, or with big attachments on a slow link, IMAP often moves fewer bytes. Count them.") },
  { "M6", N_("“Big webmail providers can't do POP (or IMAP).”"),
    N_("Most offer both; it is a setting in the account.") },
};

const char *
ms_teaching_title (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    if (g_str_equal (points[i].id, id))
      return _(points[i].title);
  return NULL;
}

const char *
ms_teaching_topic (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    if (g_str_has_prefix (id, topics[i].prefix))
      return _(topics[i].topic);
  return NULL;
}

const char *
ms_myth_claim (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (myths); i++)
    if (g_str_equal (myths[i].id, id))
      return _(myths[i].claim);
  return NULL;
}

const char *
ms_myth_truth (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (myths); i++)
    if (g_str_equal (myths[i].id, id))
      return _(myths[i].truth);
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-teaching"
#include "config.h"

#include "ms-teaching.h"

static const struct { const char *id; const char *title; } points[] = {
  { "T01", "Sending (SMTP) and reading (POP3, IMAP) are different protocols" },
  { "T02", "A mail program talks POP3 or IMAP to the server; webmail reads the same mailbox on the server" },
  { "T03", "POP3 comes from the dial-up age, IMAP was made for mail that stays on the server" },
  { "T10", "POP3 lists, downloads whole messages, and deletes only at QUIT" },
  { "T11", "Deleting after download is the mail program's setting, not POP3's rule" },
  { "T12", "IMAP fetches the list and headers first, a body only when opened" },
  { "T13", "IMAP can fetch part of a message; POP3 only whole ones" },
  { "T14", "On a slow link the difference is time: count the bytes" },
  { "T20", "After a POP3 download-and-delete, the only copy is on one device" },
  { "T21", "IMAP deletes on the server, and every device sees it go" },
  { "T22", "A POP3 deletion happens only at QUIT; a dropped connection deletes nothing" },
  { "T30", "IMAP keeps read, flagged and answered on the server for every device" },
  { "T31", "POP3 has no flags: read state lives in one mail program" },
  { "T32", "BODY[] marks a message read, BODY.PEEK[] does not" },
  { "T40", "IMAP SEARCH runs on the server and sends back only the matches" },
  { "T41", "With POP3 you can only search what you downloaded" },
  { "T50", "IMAP folders live on the server, the same on every device" },
  { "T51", "POP3 sees only the inbox; folders exist in one mail program" },
  { "T52", "Sent mail: IMAP saves a copy on the server, POP3 keeps it on one device" },
  { "T60", "A POP3 client connects, downloads, disconnects, and polls again later" },
  { "T61", "An IMAP client can stay connected and hear about new mail at once (IDLE)" },
  { "T62", "IMAP lets several devices open a mailbox at once; POP3 locks it" },
  { "T70", "An IMAP client that was offline catches up when it reconnects" },
  { "T71", "UIDs and UIDVALIDITY tell a client whether its copy still matches" },
  { "T80", "Lose a POP3 device and you lose its mail; with IMAP a new device gets it all" },
  { "T81", "The cost of IMAP: the server stores everything" },
  { "T82", "Virus and spam scanning happens once, on the server" },
  { "T90", "Ports: POP3 110 and 995, IMAP 143 and 993, submission 587" },
  { "T91", "Without TLS passwords cross the network in plain text, with either protocol" },
  { "T92", "STLS and STARTTLS upgrade a connection; ports 995 and 993 start encrypted" },
};

static const struct { const char *prefix; const char *topic; } topics[] = {
  { "T0", "Roles and history" },
  { "T1", "Downloading" },
  { "T2", "Deleting" },
  { "T3", "Read state and flags" },
  { "T4", "Searching" },
  { "T5", "Folders and sent mail" },
  { "T6", "Staying connected" },
  { "T7", "Offline and synchronising" },
  { "T8", "Keeping mail safe" },
  { "T9", "Security and ports" },
};

static const struct { const char *id; const char *claim; const char *truth; } myths[] = {
  { "M1", "“POP3 runs over TCP and UDP.”",
    "POP3 uses TCP only: one reliable connection, port 110 (or 995 with TLS)." },
  { "M2", "“POP always deletes mail from the server.”",
    "The mail program decides. POP3 deletes only what the client marks with DELE, and many clients leave copies." },
  { "M3", "“POP is insecure, IMAP is secure.”",
    "Without TLS both send the password in plain text; with TLS both are protected." },
  { "M4", "“IMAP sends a copy, POP sends the entire email.”",
    "Both send copies. IMAP can send less (headers, one part); POP's copy may become the only one left." },
  { "M5", "“POP is faster.”",
    "One POP3 check needs fewer round trips, but over a day on two devices, or with big attachments on a slow link, IMAP often moves fewer bytes. Count them." },
  { "M6", "“Big webmail providers can't do POP (or IMAP).”",
    "Most offer both; it is a setting in the account." },
};

const char *
ms_teaching_title (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    if (g_str_equal (points[i].id, id))
      return points[i].title;
  return NULL;
}

const char *
ms_teaching_topic (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    if (g_str_has_prefix (id, topics[i].prefix))
      return topics[i].topic;
  return NULL;
}

const char *
ms_myth_claim (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (myths); i++)
    if (g_str_equal (myths[i].id, id))
      return myths[i].claim;
  return NULL;
}

const char *
ms_myth_truth (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (myths); i++)
    if (g_str_equal (myths[i].id, id))
      return myths[i].truth;
  return NULL;
}

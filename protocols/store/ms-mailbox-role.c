/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mailbox roles by name (the on-disk state, --mail folders) and as IMAP
 * SPECIAL-USE attributes (RFC 6154). */
#define G_LOG_DOMAIN "ms-mailbox"
#include "config.h"

#include "ms-mailbox.h"

static const char *role_names[] = {
  [MS_MAILBOX_ROLE_NONE]    = "none",
  [MS_MAILBOX_ROLE_INBOX]   = "inbox",
  [MS_MAILBOX_ROLE_SENT]    = "sent",
  [MS_MAILBOX_ROLE_DRAFTS]  = "drafts",
  [MS_MAILBOX_ROLE_TRASH]   = "trash",
  [MS_MAILBOX_ROLE_JUNK]    = "junk",
  [MS_MAILBOX_ROLE_ARCHIVE] = "archive",
};

static const char *role_attributes[] = {
  [MS_MAILBOX_ROLE_NONE]    = NULL,
  [MS_MAILBOX_ROLE_INBOX]   = NULL,
  [MS_MAILBOX_ROLE_SENT]    = "\\Sent",
  [MS_MAILBOX_ROLE_DRAFTS]  = "\\Drafts",
  [MS_MAILBOX_ROLE_TRASH]   = "\\Trash",
  [MS_MAILBOX_ROLE_JUNK]    = "\\Junk",
  [MS_MAILBOX_ROLE_ARCHIVE] = "\\Archive",
};

const char *
ms_mailbox_role_to_string (MsMailboxRole role)
{
  g_return_val_if_fail (role <= MS_MAILBOX_ROLE_ARCHIVE, "none");
  return role_names[role];
}

MsMailboxRole
ms_mailbox_role_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, MS_MAILBOX_ROLE_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (role_names[i], name) == 0)
      return i;
  return MS_MAILBOX_ROLE_NONE;
}

const char *
ms_mailbox_role_to_attribute (MsMailboxRole role)
{
  g_return_val_if_fail (role <= MS_MAILBOX_ROLE_ARCHIVE, NULL);
  return role_attributes[role];
}

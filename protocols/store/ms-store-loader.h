/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads mail from files into a mailbox, and writes a mailbox back out, in the
 * three layouts people actually have:
 *
 *  - a folder of .eml files (one RFC 5322 message each), taken in file-name
 *    order; the internal date is the Date: header, else the file's mtime;
 *  - an mbox file in the mboxrd dialect: a "From " line opens each message,
 *    a blank line closes it, and body lines matching ^>*From  carry one extra
 *    '>' that the loader removes; the From_ line's date is the internal date;
 *  - a Maildir (cur/ and new/): one file per message, flags in the name's
 *    ":2," suffix (D Draft, F Flagged, P Passed = $Forwarded, R Answered,
 *    S Seen, T Deleted); the internal date is the name's leading timestamp,
 *    else the file's mtime.
 *
 * Loading is all or nothing: the file is parsed completely before the first
 * message is appended, so an error leaves the mailbox as it was. Messages are
 * stored with CRLF line ends; the writers write LF, so that loading an LF file
 * and saving it again gives the same bytes. Errors are MS_STORE_ERROR_IO (the
 * file cannot be read or written) or MS_STORE_ERROR_BAD_FILE (it is not what
 * it should be, or breaks a limit of ms-limits.h), and name the file (and for
 * an mbox, the line). */
#pragma once

#include <glib.h>
#include "ms-mailbox.h"

G_BEGIN_DECLS

/* Detects the layout of @path (a directory with cur/ or new/ is a Maildir,
 * another directory a folder of .eml files, a file starting "From " an mbox)
 * and appends its messages to @mailbox. */
gboolean ms_store_loader_load             (MsMailbox   *mailbox,
                                           const char  *path,
                                           GError     **error);
/* Parses @bytes as an mbox file; @name names it in error messages. */
gboolean ms_store_loader_load_mbox_bytes  (MsMailbox   *mailbox,
                                           GBytes      *bytes,
                                           const char  *name,
                                           GError     **error);

/* The From_ line is "From <Return-Path address or MAILER-DAEMON> <asctime in
 * UTC>"; the file is written to a temporary name and renamed into place. */
gboolean ms_store_loader_save_mbox        (MsMailbox   *mailbox,
                                           const char  *path,
                                           GError     **error);
/* Creates @path/cur, new and tmp; every message goes to cur/ as
 * "<internal date>.<uid>.mailscope:2,<flags>" with that mtime. */
gboolean ms_store_loader_save_maildir     (MsMailbox   *mailbox,
                                           const char  *path,
                                           GError     **error);
/* Creates @path and writes each message as "<uid, 6 digits>.eml". */
gboolean ms_store_loader_save_eml_folder  (MsMailbox   *mailbox,
                                           const char  *path,
                                           GError     **error);

G_END_DECLS

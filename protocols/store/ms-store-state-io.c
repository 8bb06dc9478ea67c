/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-store-state"
#define _GNU_SOURCE   /* syncfs() */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ms-limits.h"
#include "ms-store-state-private.h"

#define TEMP_MARK ".tmp-"

int
ms_state_errno_code (int errnum)
{
  /* A full disk and a full quota are the ones a server answers differently
   * (IMAP [OVERQUOTA], SMTP 452): they are not bugs and pass by themselves. */
  if (errnum == ENOSPC || errnum == EDQUOT)
    return MS_STORE_ERROR_NO_SPACE;
  if (errnum == EFBIG)
    return MS_STORE_ERROR_LIMIT;
  return MS_STORE_ERROR_IO;
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, MS_STORE_ERROR, ms_state_errno_code (saved_errno), "%s: %s: %s",
               display, what, g_strerror (saved_errno));
}

gboolean
ms_state_mkdir (const char  *path,
                GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      set_errno_error (error, errno, "cannot create the folder", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
ms_state_fsync_dir (const char  *path,
                    GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot open the folder", path);
      return FALSE;
    }
  /* Makes the rename itself durable: without it a crash can bring back the
   * old name even though the new file's data reached the disk. */
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      set_errno_error (error, saved, "cannot flush the folder", path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

gboolean
ms_state_write_atomic (const char  *path,
                       const char  *data,
                       gsize        len,
                       GError     **error)
{
  return ms_state_write_atomic_full (path, data, len, TRUE, error);
}

gboolean
ms_state_sync_fs (const char  *path,
                  GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || syncfs (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      set_errno_error (error, saved, "cannot flush the file system of", path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
ms_state_write_atomic_full (const char  *path,
                            const char  *data,
                            gsize        len,
                            gboolean     durable,
                            GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, TEMP_MARK "XXXXXX", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot create a temporary file for", path);
      return FALSE;
    }
  if (!write_all (fd, data, len) || (durable && fsync (fd) != 0))
    {
      int saved = errno;

      close (fd);
      g_unlink (tmp);
      set_errno_error (error, saved, "cannot write", path);
      return FALSE;
    }
  if (close (fd) != 0 || g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      set_errno_error (error, saved, "cannot replace", path);
      return FALSE;
    }
  return !durable || ms_state_fsync_dir (dir, error);
}

/* Two processes on one DIR would each rewrite the journals at start and
 * then append to their own copies: the first one's later changes would go
 * to files the second had already replaced, and be lost at the next start.
 * A POSIX record lock (what Dovecot's lock_method=fcntl takes) is released
 * by the kernel when its holder dies, even by SIGKILL, so a crash never
 * leaves DIR locked; it works on NFS too. It is per process: a second
 * state object of the same process (the unit tests read DIR back while the
 * first is open) is not refused, and must not close the file itself. */
int
ms_state_lock_dir (const char  *dir,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "lock", NULL);
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot open", path);
      return -1;
    }
  while (fcntl (fd, F_SETLK, &lock) != 0)
    {
      int saved = errno;

      if (saved == EINTR)
        continue;
      if ((saved == EACCES || saved == EAGAIN) && fcntl (fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK)
        {
          g_autofree char *display = g_filename_display_name (dir);

          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO,
                       "%s: in use by another process (%ld); one state folder serves one server at a time",
                       display, (long) lock.l_pid);
        }
      else
        set_errno_error (error, saved, "cannot lock", path);
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
ms_state_is_temp_name (const char *name)
{
  return strstr (name, TEMP_MARK) != NULL;
}

void
ms_state_remove_temp_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (ms_state_is_temp_name (name))
        g_unlink (child);
      else if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ms_state_remove_temp_files (child);
    }
}

char *
ms_state_digest (GBytes *raw)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, raw);
}

char *
ms_state_body_path (const char *root,
                    const char *digest)
{
  char prefix[3] = { digest[0], digest[1], '\0' };

  return g_build_filename (root, "messages", prefix, digest, NULL);
}

gboolean
ms_state_write_body (const char  *root,
                     GBytes      *raw,
                     const char  *digest,
                     gboolean     durable,
                     GError     **error)
{
  g_autofree char *path = ms_state_body_path (root, digest);
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  /* Content-addressed: the same bytes are written once, however many
   * mailboxes hold a copy. A complete file is only ever there by rename. */
  if (g_stat (path, &st) == 0 && (gsize) st.st_size == g_bytes_get_size (raw))
    return TRUE;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (dir);

      if (!ms_state_mkdir (dir, error) || (durable && !ms_state_fsync_dir (parent, error)))
        return FALSE;
    }
  return ms_state_write_atomic_full (path, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                                     durable, error);
}

GBytes *
ms_state_read_body (const char  *root,
                    const char  *digest,
                    gsize        size,
                    GError     **error)
{
  g_autofree char *path = ms_state_body_path (root, digest);
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE, "%s", local_error->message);
      return NULL;
    }
  if (len != size)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_free (contents);
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: has %" G_GSIZE_FORMAT " bytes, the journal says %" G_GSIZE_FORMAT,
                   display, len, size);
      return NULL;
    }
  return g_bytes_new_take (contents, len);
}

static const struct {
  char    letter;
  MsFlags flag;
} flag_letters[] = {
  { 'D', MS_FLAG_DRAFT },
  { 'F', MS_FLAG_FLAGGED },
  { 'R', MS_FLAG_ANSWERED },
  { 'S', MS_FLAG_SEEN },
  { 'T', MS_FLAG_DELETED },
};

void
ms_state_append_flags (GString            *line,
                       MsFlags             flags,
                       const char * const *keywords)
{
  gsize before = line->len;

  for (guint i = 0; i < G_N_ELEMENTS (flag_letters); i++)
    if (flags & flag_letters[i].flag)
      g_string_append_c (line, flag_letters[i].letter);
  if (line->len == before)
    g_string_append_c (line, '-');
  for (guint i = 0; keywords && keywords[i]; i++)
    g_string_append_printf (line, " %s", keywords[i]);
}

static gboolean
parse_flags (const char *word,
             MsFlags    *flags)
{
  *flags = MS_FLAG_NONE;
  if (strcmp (word, "-") == 0)
    return TRUE;
  for (const char *p = word; *p; p++)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (flag_letters); i++)
        if (*p == flag_letters[i].letter)
          {
            *flags |= flag_letters[i].flag;
            known = TRUE;
          }
      if (!known)
        return FALSE;
    }
  return TRUE;
}

static void
record_free (gpointer data)
{
  MsStateRecord *record = data;

  g_strfreev (record->keywords);
  g_free (record);
}

void
ms_state_log_free (MsStateLog *log)
{
  g_clear_pointer (&log->records, g_ptr_array_unref);
  g_clear_pointer (&log->moves, g_array_unref);
  g_free (log);
}

static gboolean
parse_number (const char *word,
              guint64     max,
              guint64    *out)
{
  return word != NULL && g_ascii_string_to_unsigned (word, 10, 0, max, out, NULL);
}

/* The keywords from words[first] on; FALSE when one is not a keyword the
 * server could have accepted (an IMAP client would get it back verbatim
 * inside FLAGS, so a control character or a parenthesis here must not
 * pass). */
static gboolean
parse_keywords (char   **words,
                guint    first,
                char  ***keywords)
{
  guint n = g_strv_length (words);

  *keywords = NULL;
  if (n <= first)
    return TRUE;
  for (guint i = first; i < n; i++)
    if (!ms_keyword_is_valid (words[i]))
      return FALSE;
  *keywords = g_new0 (char *, n - first + 1);
  for (guint i = first; i < n; i++)
    (*keywords)[i - first] = g_strdup (words[i]);
  return TRUE;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const MsStateRecord *x = *(MsStateRecord * const *) a;
  const MsStateRecord *y = *(MsStateRecord * const *) b;

  return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* One journal line; FALSE when it is malformed. */
static gboolean
apply_line (MsStateLog *log,
            GHashTable *by_uid,
            char       *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);
  guint n = g_strv_length (words);
  guint64 uidnext, hms, uid;

  if (n == 2 && strcmp (words[0], "V") == 0)
    {
      guint64 uidvalidity;

      if (!parse_number (words[1], G_MAXUINT32, &uidvalidity) || uidvalidity == 0)
        return FALSE;
      log->uidvalidity = uidvalidity;
      return TRUE;
    }
  if (n < 3 || strlen (words[0]) != 1 || log->uidvalidity == 0 ||
      !parse_number (words[1], G_MAXUINT32, &uidnext) ||
      !parse_number (words[2], G_MAXUINT64, &hms))
    return FALSE;
  log->uidnext = MAX (log->uidnext, (guint32) uidnext);
  log->highest_modseq = MAX (log->highest_modseq, hms);

  switch (words[0][0])
    {
    case 'C':
      return n == 3;

    case 'M':
    case 'A':
      {
        MsStateRecord *record;
        guint64 date, size;
        gint64 tz;
        char **w = words;
        guint m = n;

        if (words[0][0] == 'M')
          {
            guint64 source_id, source_uid;
            MsStateMove move;

            /* The message moved here; its original is gone (ms-store-state.h). */
            if (!parse_number (words[3], G_MAXUINT - 1, &source_id) || source_id == 0 ||
                !parse_number (words[4], G_MAXUINT32 - 1, &source_uid) || source_uid == 0)
              return FALSE;
            move.source_id = source_id;
            move.source_uid = source_uid;
            g_array_append_val (log->moves, move);
            w += 2;
            m -= 2;
          }
        if (m < 9 || !parse_number (w[3], G_MAXUINT32 - 1, &uid) || uid == 0 ||
            !g_ascii_string_to_unsigned (w[4], 10, 0, G_MAXINT64, &date, NULL) ||
            !g_ascii_string_to_signed (w[5], 10, -24 * 60, 24 * 60, &tz, NULL) ||
            !parse_number (w[6], MS_LIMIT_MESSAGE_SIZE, &size) ||
            strlen (w[7]) != MS_STATE_DIGEST_LEN ||
            m - 9 > MS_LIMIT_MESSAGE_KEYWORDS)
          return FALSE;
        for (const char *p = w[7]; *p; p++)
          if (!g_ascii_isxdigit (*p))
            return FALSE;
        record = g_new0 (MsStateRecord, 1);
        record->uid = uid;
        record->date = date;
        record->tz_offset = tz;
        record->size = size;
        memcpy (record->digest, w[7], MS_STATE_DIGEST_LEN + 1);
        if (!parse_flags (w[8], &record->flags) || !parse_keywords (w, 9, &record->keywords))
          {
            record_free (record);
            return FALSE;
          }
        g_hash_table_replace (by_uid, GUINT_TO_POINTER (record->uid), record);
        return TRUE;
      }

    case 'F':
      {
        MsStateRecord *record;
        MsFlags flags;
        char **keywords;

        if (n < 5 || !parse_number (words[3], G_MAXUINT32, &uid) || !parse_flags (words[4], &flags) ||
            n - 5 > MS_LIMIT_MESSAGE_KEYWORDS)
          return FALSE;
        record = g_hash_table_lookup (by_uid, GUINT_TO_POINTER ((guint) uid));
        if (record == NULL || !parse_keywords (words, 5, &keywords))
          return FALSE;
        record->flags = flags;
        g_strfreev (record->keywords);
        record->keywords = keywords;
        return TRUE;
      }

    case 'X':
      if (n != 4 || !parse_number (words[3], G_MAXUINT32, &uid))
        return FALSE;
      g_hash_table_remove (by_uid, GUINT_TO_POINTER ((guint) uid));
      return TRUE;

    default:
      return FALSE;
    }
}

MsStateLog *
ms_state_log_read (const char  *path,
                   GError     **error)
{
  g_autoptr(MsStateLog) log = g_new0 (MsStateLog, 1);
  g_autoptr(GHashTable) by_uid = g_hash_table_new_full (NULL, NULL, NULL, record_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_name (path);
  GHashTableIter iter;
  gpointer value;
  gsize len = 0, pos = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE, "%s", local_error->message);
      return NULL;
    }
  log->uidnext = 1;
  log->highest_modseq = 1;
  log->moves = g_array_new (FALSE, FALSE, sizeof (MsStateMove));

  while (pos < len)
    {
      char *line = contents + pos;
      char *eol = memchr (line, '\n', len - pos);

      /* A line without its newline is a write that a crash cut short: the
       * change was never acknowledged, so it is not part of the state. */
      if (eol == NULL)
        break;
      *eol = '\0';
      log->n_lines++;
      if ((gsize) (eol - line) > MS_LIMIT_STATE_LINE || memchr (line, '\0', eol - line) != NULL ||
          !apply_line (log, by_uid, line))
        {
          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                       "%s: line %u: not a valid journal record", display, log->n_lines);
          return NULL;
        }
      pos = eol - contents + 1;
    }
  if (log->uidvalidity == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: the journal has no UIDVALIDITY line", display);
      return NULL;
    }
  if (g_hash_table_size (by_uid) > MS_LIMIT_MAILBOX_MESSAGES)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: more than %u messages", display, MS_LIMIT_MAILBOX_MESSAGES);
      return NULL;
    }

  log->records = g_ptr_array_new_full (g_hash_table_size (by_uid), record_free);
  g_hash_table_iter_init (&iter, by_uid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (log->records, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (log->records, compare_records);
  if (log->records->len > 0)
    {
      MsStateRecord *last = g_ptr_array_index (log->records, log->records->len - 1);

      log->uidnext = MAX (log->uidnext, last->uid + 1);
    }
  return g_steal_pointer (&log);
}

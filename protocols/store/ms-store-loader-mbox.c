/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mboxrd dialect (the one that survives round trips): a message starts
 * at a "From " line that opens the file or follows a blank line, and ends
 * with a blank line that belongs to the file, not to the message. A body line
 * matching ^>*From  is written with one more '>' and read with one fewer, so
 * ">From " in a message stays ">From " after a save and a load. */
#define G_LOG_DOMAIN "ms-store-loader"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "ms-limits.h"
#include "ms-store.h"
#include "ms-store-loader-private.h"

static const char *month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static gboolean
is_from_quoted (const char *line,
                gsize       len)
{
  gsize i = 0;

  while (i < len && line[i] == '>')
    i++;
  return i > 0 && len - i >= 5 && memcmp (line + i, "From ", 5) == 0;
}

/* "From sender Tue Jan 14 09:30:12 2025" (asctime, possibly with a zone
 * before or after the year). Returns FALSE when no date is found; the
 * caller then falls back to the Date: header. */
static gboolean
parse_from_line_date (const char *line,
                      gsize       len,
                      gint64     *date)
{
  g_autofree char *copy = g_strndup (line, len);
  g_auto(GStrv) tokens = g_strsplit_set (copy, " \t", -1);
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  g_autoptr(GDateTime) when = NULL;
  int month = 0, day, hour, minute, second, year = 0;
  guint i;

  for (i = 0; tokens[i]; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (words, tokens[i]);
  /* words[0] is "From", words[1] the sender; look for the month after it. */
  for (i = 2; i < words->len && month == 0; i++)
    for (guint m = 0; m < G_N_ELEMENTS (month_names); m++)
      if (g_ascii_strcasecmp (g_ptr_array_index (words, i), month_names[m]) == 0)
        month = m + 1;
  if (month == 0 || i + 1 >= words->len)
    return FALSE;
  day = atoi (g_ptr_array_index (words, i));
  if (sscanf (g_ptr_array_index (words, i + 1), "%d:%d:%d", &hour, &minute, &second) != 3)
    {
      second = 0;
      if (sscanf (g_ptr_array_index (words, i + 1), "%d:%d", &hour, &minute) != 2)
        return FALSE;
    }
  for (guint j = i + 2; j < words->len && year == 0; j++)
    {
      const char *word = g_ptr_array_index (words, j);

      if (strlen (word) == 4 && g_ascii_isdigit (word[0]) && g_ascii_isdigit (word[3]))
        year = atoi (word);
    }
  if (year == 0)
    return FALSE;
  when = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (when == NULL)
    return FALSE;
  *date = g_date_time_to_unix (when);
  return TRUE;
}

typedef struct {
  MsMailbox  *mailbox;
  GPtrArray  *pending;
  const char *name;
  MsLoaderArena *current;  /* holds the message being collected, CRLF */
  gboolean    collecting;  /* a From_ line has opened a message */
  const char *source;      /* where its lines start in the file */
  gboolean    have_date;
  gint64      from_date;
  gsize       from_line;   /* line number of its From_ line */
  gsize       n_lines;     /* lines in the current message */
  gboolean    blank_pending;
} MboxParser;

static gboolean
finish_message (MboxParser  *parser,
                const char  *source_end,
                GError     **error)
{
  GBytes *raw;
  gint64 date = 0;
  int tz_offset = 0;
  g_autofree char *where = NULL;

  if (!parser->collecting)
    return TRUE;
  parser->collecting = FALSE;
  if (parser->n_lines == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": a \"From \" line with no message after it",
                   parser->name, parser->from_line);
      return FALSE;
    }
  raw = ms_loader_arena_finish (parser->current);
  /* Every line now ends in CRLF. A CR inside a line (only possible when the
   * file has one) is turned into a line end, since the store promises CRLF
   * and nothing else; most files have no CR at all, and then the copy is
   * already clean. */
  if (memchr (parser->source, '\r', source_end - parser->source) != NULL)
    {
      GBytes *clean = ms_store_normalize_crlf (raw);

      g_bytes_unref (raw);
      raw = clean;
    }
  if (parser->have_date)
    date = parser->from_date;
  else if (!ms_loader_date_from_header (raw, &date, &tz_offset))
    date = 0;
  where = g_strdup_printf ("%s: line %" G_GSIZE_FORMAT, parser->name, parser->from_line);
  return ms_loader_pending_add (parser->pending, parser->mailbox, raw, MS_FLAG_NONE, NULL,
                                date, parser->have_date ? 0 : tz_offset, where, error);
}

/* How a mapped file is read: its page table entries are filled 16 MiB at a
 * time just ahead of the parse (one call instead of a fault per 64 KiB),
 * and the pages behind it are given back, so that a large mbox does not
 * count twice in the process's memory (once mapped, once as the messages
 * copied out of it). Both are hints: without them the file reads the same. */
#define WINDOW (16u * 1024u * 1024u)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22   /* Linux 5.14 */
#endif

typedef struct {
  gsize populated;   /* offsets below this have been populated */
  gsize released;    /* offsets below this have been given back */
} MboxWindow;

static void
follow_mapping (const char *data,
                gsize       len,
                gsize       pos,
                MboxWindow *window)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);

  if (pos + WINDOW / 2 > window->populated && window->populated < len)
    {
      gsize from = window->populated / page * page;
      gsize to = MIN (len, pos + WINDOW);

      madvise ((void *) (data + from), to - from, MADV_POPULATE_READ);
      window->populated = to;
    }
  if (pos / page * page >= window->released + WINDOW)
    {
      gsize to = pos / page * page;

      madvise ((void *) (data + window->released), to - window->released, MADV_DONTNEED);
      window->released = to;
    }
}

gboolean
ms_loader_load_mbox_data (MsMailbox   *mailbox,
                          const char  *data,
                          gsize        len,
                          const char  *name,
                          gboolean     mapped,
                          GError     **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  MboxParser parser = { 0 };
  MboxWindow window = { 0 };
  gsize pos = 0, line_no = 0;
  gboolean ok = TRUE;

  if (len == 0)
    return TRUE;
  if (len < 5 || memcmp (data, "From ", 5) != 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line 1: not an mbox file (it does not start with \"From \")", name);
      return FALSE;
    }
  if (data[len - 1] != '\n')
    {
      gsize lines = 1;

      for (gsize i = 0; i < len; i++)
        lines += data[i] == '\n';
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": the file ends in the middle of a line (truncated?)",
                   name, lines);
      return FALSE;
    }

  pending = ms_loader_pending_new ();
  parser.mailbox = mailbox;
  parser.pending = pending;
  parser.name = name;
  parser.current = ms_loader_arena_new (len);

  while (ok && pos < len)
    {
      const char *line = data + pos;
      const char *eol = memchr (line, '\n', len - pos);
      gsize line_len = eol - line;
      gboolean starts_message;

      g_assert (eol != NULL);   /* the file ends with '\n' */
      pos += line_len + 1;
      line_no++;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      starts_message = line_len >= 5 && memcmp (line, "From ", 5) == 0 &&
                       (!parser.collecting || parser.blank_pending);
      if (starts_message)
        {
          /* The blank line before a From_ line separates; it is not content. */
          if (parser.blank_pending)
            parser.n_lines--;
          parser.blank_pending = FALSE;
          ok = finish_message (&parser, line, error);
          if (mapped)
            follow_mapping (data, len, line - data, &window);
          parser.collecting = TRUE;
          ms_loader_arena_discard (parser.current);
          parser.source = data + pos;
          parser.from_line = line_no;
          parser.n_lines = 0;
          parser.have_date = parse_from_line_date (line, line_len, &parser.from_date);
          continue;
        }

      if (parser.blank_pending)
        {
          ms_loader_arena_append_line (parser.current, "", 0);
          parser.blank_pending = FALSE;
        }
      parser.n_lines++;
      if (line_len == 0)
        {
          parser.blank_pending = TRUE;
          continue;
        }
      if (line[0] == '>' && is_from_quoted (line, line_len))
        ms_loader_arena_append_line (parser.current, line + 1, line_len - 1);
      else
        ms_loader_arena_append_line (parser.current, line, line_len);

      if (ms_loader_arena_get_length (parser.current) > MS_LIMIT_MESSAGE_SIZE + 2)
        {
          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                       "%s: line %" G_GSIZE_FORMAT ": the message is larger than the limit of %u MiB",
                       name, parser.from_line, MS_LIMIT_MESSAGE_SIZE / (1024 * 1024));
          ok = FALSE;
        }
    }

  if (ok && !parser.blank_pending)
    {
      /* Every mboxrd writer closes a message with a blank line; a file that
       * stops without one was cut short. */
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": the last message is not closed by a blank line (truncated?)",
                   name, line_no);
      ok = FALSE;
    }
  if (ok)
    {
      /* The closing blank line counted as a line of the message; it is not one. */
      parser.n_lines--;
      ok = finish_message (&parser, data + len, error);
    }
  ms_loader_arena_free (parser.current);
  if (!ok)
    return FALSE;

  ms_loader_pending_commit (pending, mailbox);
  return TRUE;
}

gboolean
ms_store_loader_load_mbox_bytes (MsMailbox   *mailbox,
                                 GBytes      *bytes,
                                 const char  *name,
                                 GError     **error)
{
  const char *data;
  gsize len;

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  return ms_loader_load_mbox_data (mailbox, data, len, name, FALSE, error);
}

/* The address in Return-Path, which is where the envelope sender of a
 * delivered message is kept; MAILER-DAEMON when there is none. */
static char *
envelope_sender (GBytes *raw)
{
  const char *data;
  gsize len, pos = 0;

  data = g_bytes_get_data (raw, &len);
  while (pos < len)
    {
      const char *eol = memchr (data + pos, '\n', len - pos);
      gsize end = eol ? (gsize) (eol - data) : len;

      if (end == pos || (end == pos + 1 && data[pos] == '\r'))
        break;
      if (end - pos > 12 && g_ascii_strncasecmp (data + pos, "Return-Path:", 12) == 0)
        {
          const char *open = memchr (data + pos, '<', end - pos);
          const char *close = open ? memchr (open, '>', data + end - open) : NULL;

          if (open && close && close > open + 1)
            {
              g_autofree char *address = g_strndup (open + 1, close - open - 1);

              if (strpbrk (address, " \t\r\n") == NULL)
                return g_steal_pointer (&address);
            }
          break;
        }
      pos = end + 1;
    }
  return g_strdup ("MAILER-DAEMON");
}

static void
append_from_line (GString   *out,
                  MsMessage *message)
{
  g_autofree char *sender = envelope_sender (ms_message_get_raw (message));
  time_t when = (time_t) ms_message_get_internal_date (message);
  struct tm tm;

  if (gmtime_r (&when, &tm) == NULL)
    memset (&tm, 0, sizeof tm);
  /* asctime's layout, written out by hand so that the locale cannot change it. */
  g_string_append_printf (out, "From %s %s %s %2d %02d:%02d:%02d %d\n", sender,
                          day_names[tm.tm_wday % 7], month_names[tm.tm_mon % 12], tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

gboolean
ms_store_loader_save_mbox (MsMailbox   *mailbox,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < ms_mailbox_get_n_messages (mailbox); i++)
    {
      MsMessage *message = ms_mailbox_get_message (mailbox, i);
      gsize len, pos = 0;
      const char *data = g_bytes_get_data (ms_message_get_raw (message), &len);

      append_from_line (out, message);
      while (pos < len)
        {
          const char *eol = memchr (data + pos, '\n', len - pos);
          gsize end = eol ? (gsize) (eol - data) : len;
          gsize line_end = end;

          if (eol && line_end > pos && data[line_end - 1] == '\r')
            line_end--;
          if (is_from_quoted (data + pos, line_end - pos) ||
              (line_end - pos >= 5 && memcmp (data + pos, "From ", 5) == 0))
            g_string_append_c (out, '>');
          g_string_append_len (out, data + pos, line_end - pos);
          g_string_append_c (out, '\n');
          pos = end + 1;
        }
      /* The blank line that closes the message in the file. */
      g_string_append_c (out, '\n');
    }
  return ms_loader_write_file (path, out->str, out->len, error);
}

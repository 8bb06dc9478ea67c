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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ms-limits.h"
#include "ms-store.h"
#include "ms-store-loader-private.h"

static const char *month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

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

/* The scan of a message's lines. A 2 GB mbox has 28 million lines, and
 * looking at each of them in turn (a memchr() or a bit of a mask per line)
 * was most of the load. Of a line only its start can matter: "From " after
 * a blank line ends the message, and ">From " is unquoted; the rest are
 * counted (every LF is a line, every CR before an LF a CRLF line end). So
 * the file is read 64 bytes at a time as bit masks of its LFs, CRs, '>'s
 * and 'F's: the counts are popcounts of whole masks, and only lines that
 * start with '>' or 'F' are looked at, each on its own. */
typedef struct {
  guint64 lf;
  guint64 cr;
  guint64 gt;   /* '>' */
  guint64 f;    /* 'F' */
} BlockMasks;

static inline void
block_masks (const char *p,
             BlockMasks *m)
{
#ifdef __SSE2__
  const __m128i lf = _mm_set1_epi8 ('\n'), cr = _mm_set1_epi8 ('\r');
  const __m128i gt = _mm_set1_epi8 ('>'), f = _mm_set1_epi8 ('F');

  m->lf = m->cr = m->gt = m->f = 0;
  for (guint i = 0; i < 4; i++)
    {
      __m128i chunk = _mm_loadu_si128 ((const __m128i *) (p + 16 * i));

      m->lf |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (chunk, lf)) << (16 * i);
      m->cr |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (chunk, cr)) << (16 * i);
      m->gt |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (chunk, gt)) << (16 * i);
      m->f |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (chunk, f)) << (16 * i);
    }
#else
  m->lf = m->cr = m->gt = m->f = 0;
  for (guint i = 0; i < 64; i++)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << i;

      m->lf |= p[i] == '\n' ? bit : 0;
      m->cr |= p[i] == '\r' ? bit : 0;
      m->gt |= p[i] == '>' ? bit : 0;
      m->f |= p[i] == 'F' ? bit : 0;
    }
#endif
}

/* One message's lines in the file, as the scan finds them. */
typedef struct {
  gsize    from_line;   /* line number of its From_ line */
  gsize    offset;      /* its first line */
  gsize    end;         /* where its closing blank line starts */
  gsize    n_lines;
  gsize    n_crlf;      /* lines that end in CRLF */
  gsize    n_cr;        /* CRs anywhere in it */
  gsize    n_quoted;    /* lines that match ^>+From  and lose a '>' */
  gboolean have_date;
  gint64   from_date;
} MboxMessage;

/* Where the blank line ("\n" or "\r\n") that ends just before @next (a
 * line start, or the end of the file) starts, if it starts at or after
 * @first; else G_MAXSIZE. (@first > 0: a From_ line comes before it.) */
static inline gsize
blank_line_before (const char *data,
                   gsize       first,
                   gsize       next)
{
  if (next >= first + 1 && data[next - 2] == '\n')
    return next - 1;
  if (next >= first + 2 && data[next - 2] == '\r' && data[next - 3] == '\n')
    return next - 2;
  return G_MAXSIZE;
}

/* The counts are popcounts, three per 64 bytes: x86-64's baseline has no
 * POPCNT instruction, so GCC calls a library function for each (a sixth of
 * the load of a 2 GB mbox in perf); a second copy of the scan that uses the
 * instruction is chosen at start-up where the processor has it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#define SCAN_CLONES __attribute__ ((target_clones ("popcnt", "default")))
#else
#define SCAN_CLONES
#endif

/* Counts the lines of the message that starts at m->offset, up to the next
 * From_ line that follows a blank line (where it returns), or to the end
 * of the file (len); the blank line before it is counted too. */
SCAN_CLONES static gsize
scan_message (const char  *data,
              gsize        len,
              MboxMessage *m)
{
  gsize block = m->offset;
  guint64 line_start = 1;   /* the byte at block starts a line */

  while (block < len)
    {
      gsize n = MIN (64, len - block);
      guint64 valid = n == 64 ? ~G_GUINT64_CONSTANT (0) : (G_GUINT64_CONSTANT (1) << n) - 1;
      guint64 candidates, crs, counted = valid;
      gsize next = G_MAXSIZE;
      BlockMasks b;

      if (n == 64)
        block_masks (data + block, &b);
      else
        {
          char tail[64] = { 0 };

          memcpy (tail, data + block, n);
          block_masks (tail, &b);
        }
      candidates = ((b.lf << 1) | line_start) & valid & (b.gt | b.f);
      while (candidates != 0)
        {
          guint i = __builtin_ctzll (candidates);
          gsize at = block + i;

          candidates &= candidates - 1;
          if (data[at] == 'F')
            {
              if (len - at >= 5 && memcmp (data + at, "From ", 5) == 0 &&
                  blank_line_before (data, m->offset, at) != G_MAXSIZE)
                {
                  next = at;
                  counted = (G_GUINT64_CONSTANT (1) << i) - 1;
                  break;
                }
            }
          else
            {
              /* ^>+From : the '>'s, then "From " (which holds no line end,
               * so it is in this line if it is there at all). */
              gsize q = at;

              while (q < len && data[q] == '>')
                q++;
              if (len - q >= 5 && memcmp (data + q, "From ", 5) == 0)
                m->n_quoted++;
            }
        }
      crs = b.cr & counted;
      m->n_lines += __builtin_popcountll (b.lf & counted);
      m->n_cr += __builtin_popcountll (crs);
      m->n_crlf += __builtin_popcountll (crs & (b.lf >> 1));
      /* A CR at the block's last byte, with its LF in the next block. */
      if ((crs >> 63) != 0 && block + 64 < len && data[block + 64] == '\n')
        m->n_crlf++;
      if (next != G_MAXSIZE)
        return next;
      line_start = b.lf >> 63;
      block += 64;
    }
  return len;
}

/* The rare message whose line ends are not all LF or all CRLF (a CR that
 * does not end a line, LF and CRLF lines mixed) is copied out now, a line at
 * a time. */
static GBytes *
copy_lines (const char *data,
            gsize       length)
{
  GByteArray *out = g_byte_array_sized_new (length + length / 16 + 2);
  gsize pos = 0;
  GBytes *raw;

  while (pos < length)
    {
      const char *line = data + pos;
      const char *eol = memchr (line, '\n', length - pos);
      gsize line_len = eol - line;

      g_assert (eol != NULL);   /* the message's lines all end with '\n' */
      pos += line_len + 1;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len > 0 && line[0] == '>' && ms_raw_line_is_from_quoted (line, line_len))
        g_byte_array_append (out, (const guint8 *) line + 1, line_len - 1);
      else
        g_byte_array_append (out, (const guint8 *) line, line_len);
      g_byte_array_append (out, (const guint8 *) "\r\n", 2);
    }
  raw = g_byte_array_free_to_bytes (out);
  /* A CR inside a line (only possible when the file has one) is turned
   * into a line end, since the store promises CRLF and nothing else. */
  if (memchr (data, '\r', length) != NULL)
    {
      GBytes *clean = ms_store_normalize_crlf (raw);

      g_bytes_unref (raw);
      raw = clean;
    }
  return raw;
}

static gboolean
finish_message (MsMailbox          *mailbox,
                GPtrArray          *pending,
                MsRawFile          *file,
                const char         *name,
                const MboxMessage  *m,
                const char         *lines,
                GError            **error)
{
  gsize length = m->end - m->offset;
  MsRawSpan span = { file, m->offset, length, 0, FALSE, m->n_quoted > 0 };
  g_autoptr(GBytes) raw = NULL;
  gint64 date = 0;
  int tz_offset = 0;
  g_autofree char *where = NULL;

  if (length == 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": a \"From \" line with no message after it",
                   name, m->from_line);
      return FALSE;
    }

  /* Messages whose lines all end in LF, or all in CRLF, stay in the file
   * until they are read (ms-raw-file.c). */
  if (m->n_cr == 0)
    span.size = length + m->n_lines - m->n_quoted;
  else if (m->n_crlf == m->n_lines && m->n_cr == m->n_crlf)
    {
      span.size = length - m->n_quoted;
      span.crlf = TRUE;
    }
  else
    raw = copy_lines (lines, length);

  if ((raw ? g_bytes_get_size (raw) : span.size) > MS_LIMIT_MESSAGE_SIZE)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": the message is larger than the limit of %u MiB",
                   name, m->from_line, MS_LIMIT_MESSAGE_SIZE / (1024 * 1024));
      return FALSE;
    }

  if (m->have_date)
    date = m->from_date;
  else
    {
      /* The header reads the same with LF or CRLF line ends. */
      g_autoptr(GBytes) header = raw ? g_bytes_ref (raw) : g_bytes_new_static (lines, length);

      if (!ms_loader_date_from_header (header, &date, &tz_offset))
        date = 0;
    }
  where = g_strdup_printf ("%s: line %" G_GSIZE_FORMAT, name, m->from_line);
  if (raw != NULL)
    return ms_loader_pending_add (pending, mailbox, g_steal_pointer (&raw), MS_FLAG_NONE, NULL,
                                  date, m->have_date ? 0 : tz_offset, where, error);
  return ms_loader_pending_add_span (pending, mailbox, &span, date, m->have_date ? 0 : tz_offset,
                                     where, error);
}

/* How a file is read for the scan: with read() into a window of memory
 * that is used again and again, not through its mapping. On a virtual
 * machine every page of a mapping costs a trap the first time it is
 * touched, and scanning a 2 GB mbox through its mapping took 2.0 s of CPU
 * where read() into a buffer took 0.7 s (the development machine, perf).
 * The mapping is touched later only where a message is read in place. A
 * message longer than what is left of the window is read again from its
 * start, in a window twice as large if need be. */
#define WINDOW (1024u * 1024u)

typedef struct {
  MsRawFile  *file;
  GByteArray *buffer;     /* NULL: the whole file is in memory at data */
  const char *data;       /* the file's bytes [base, base + len) */
  gsize       base;
  gsize       len;
  gsize       file_len;
} MboxReader;

/* The window from @from on, @want bytes of it or up to the end. */
static gboolean
reader_fill (MboxReader  *r,
             gsize        from,
             gsize        want,
             const char  *name,
             GError     **error)
{
  gsize n = MIN (want, r->file_len - from);

  if (r->buffer == NULL)
    return TRUE;
  g_byte_array_set_size (r->buffer, MAX (n, 1));
  if (!ms_raw_file_read (r->file, from, r->buffer->data, n))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_IO,
                   "%s: cannot read the file (was it changed while loading?)", name);
      return FALSE;
    }
  r->data = (const char *) r->buffer->data;
  r->base = from;
  r->len = n;
  return TRUE;
}

/* The window again from the From_ line at @pos, twice as large: the
 * message there does not fit. A message past the limit is refused once it
 * has been read whole, but until then the window grew with it: a 3 GB
 * message took 3 GB of memory and 100 s before the refusal. A window of
 * twice the limit that still ends inside the message is proof enough: an
 * mboxrd reader drops at most one '>' from a line of at least 7 octets
 * (">From \n"), so no message that long in the file is under the limit. */
static gboolean
reader_grow (MboxReader  *r,
             gsize        pos,
             gsize        line_no,
             const char  *name,
             GError     **error)
{
  gsize have = r->base + r->len - pos;

  if (have >= 2 * (gsize) MS_LIMIT_MESSAGE_SIZE)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line %" G_GSIZE_FORMAT ": the message is larger than the limit of %u MiB",
                   name, line_no, MS_LIMIT_MESSAGE_SIZE / (1024 * 1024));
      return FALSE;
    }
  return reader_fill (r, pos, MIN (MAX (WINDOW, 2 * have), 2 * (gsize) MS_LIMIT_MESSAGE_SIZE), name, error);
}

/* A file whose lines end in CR alone (classic Mac OS, some old exports) is
 * one line to an mbox reader, so it would be refused as cut short in its
 * first line: the wrong cause. Looking at the From_ line is enough: it is
 * short, and the writer used one line end for the whole file. */
static gboolean
from_line_ends_in_cr (const char *data,
                      gsize       len)
{
  const char *lf = memchr (data, '\n', len);
  const char *cr = memchr (data, '\r', lf != NULL ? (gsize) (lf - data) : len);

  return cr != NULL && cr + 1 != lf;
}

gboolean
ms_loader_load_mbox_data (MsMailbox   *mailbox,
                          MsRawFile   *file,
                          const char  *name,
                          gboolean     mapped,
                          GError     **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  MboxReader r = { file, NULL, NULL, 0, 0, 0 };
  const char *data;
  gsize len, pos = 0, line_no = 1;
  gboolean ok = TRUE;

  data = ms_raw_file_get_data (file, &len);
  if (len == 0)
    return TRUE;
  if (len < 5 || memcmp (data, "From ", 5) != 0)
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line 1: not an mbox file (it does not start with \"From \")", name);
      return FALSE;
    }
  if (from_line_ends_in_cr (data, len))
    {
      g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                   "%s: line 1: lines end in CR alone (classic Mac OS); an mbox has LF or CRLF line ends",
                   name);
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

  r.file_len = len;
  if (mapped)
    r.buffer = buffer = g_byte_array_new ();
  else
    {
      r.data = data;
      r.len = len;
    }
  if (!reader_fill (&r, 0, WINDOW, name, error))
    return FALSE;

  pending = ms_loader_pending_new ();
  /* pos is always at a From_ line here: the file starts with one, and a
   * message ends at the next one that follows a blank line. Offsets in m
   * are in the window until the message is finished. */
  while (ok && pos < len)
    {
      MboxMessage m = { 0 };
      const char *line = r.data + (pos - r.base);
      const char *eol = memchr (line, '\n', r.len - (pos - r.base));
      gsize line_len, next;

      if (eol == NULL || (pos - r.base) + (eol - line) + 1 >= r.len)
        {
          /* The window ends in the From_ line, or right after it. */
          if (r.base + r.len < len)
            {
              if (!reader_grow (&r, pos, line_no, name, error))
                return FALSE;
              continue;
            }
          g_assert (eol != NULL);   /* the file ends with '\n' */
        }
      line_len = eol - line;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      m.from_line = line_no;
      m.have_date = parse_from_line_date (line, line_len, &m.from_date);
      m.offset = eol - r.data + 1;
      next = scan_message (r.data, r.len, &m);
      if (next == r.len && r.base + r.len < len)
        {
          /* The message may go on past the window: read it again. */
          if (!reader_grow (&r, pos, line_no, name, error))
            return FALSE;
          continue;
        }
      line_no += 1 + m.n_lines;
      m.end = blank_line_before (r.data, m.offset, next);
      if (m.end == G_MAXSIZE)
        {
          /* Every mboxrd writer closes a message with a blank line; a file
           * that stops without one was cut short. */
          g_set_error (error, MS_STORE_ERROR, MS_STORE_ERROR_BAD_FILE,
                       "%s: line %" G_GSIZE_FORMAT ": the last message is not closed by a blank line (truncated?)",
                       name, line_no - 1);
          return FALSE;
        }
      /* The blank line before the next From_ line (or the end) separates;
       * it is not content. */
      m.n_lines--;
      if (r.data[m.end] == '\r')
        {
          m.n_crlf--;
          m.n_cr--;
        }
      line = r.data + m.offset;
      m.offset += r.base;
      m.end += r.base;
      ok = finish_message (mailbox, pending, file, name, &m, line, error);
      pos = r.base + next;
    }
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
  g_autoptr(MsRawFile) file = NULL;

  g_return_val_if_fail (MS_IS_MAILBOX (mailbox), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  file = ms_raw_file_new (g_bytes_ref (bytes), -1, name);
  return ms_loader_load_mbox_data (mailbox, file, name, FALSE, error);
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
          if (ms_raw_line_is_from_quoted (data + pos, line_end - pos) ||
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-export"
#include "config.h"

#include "ms-clock.h"
#include "ms-export-private.h"

/* One line per teaching point and myth (the ids of docs/teaching-points),
 * in our own short words, for the handouts' list of what a scenario teaches. */
static const struct {
  const char *id;
  const char *summary;
} teaching[] = {
  { "T01", N_("Sending (SMTP) and reading (POP3, IMAP) are different protocols.") },
  { "T02", N_("A mail client is a program on the device; webmail is one more server-side client.") },
  { "T03", N_("POP3 (RFC 1939) comes from dial-up days; IMAP (RFC 3501, RFC 9051) keeps mail on the server.") },
  { "T10", N_("POP3 lists (STAT, LIST, UIDL), downloads whole messages (RETR), marks them (DELE).") },
  { "T11", N_("Deleting after download is the client's policy; UIDL lets a client leave copies.") },
  { "T12", N_("IMAP fetches the list and headers first and a body only when it is opened.") },
  { "T13", N_("IMAP can fetch one part of a message; POP3 has only whole messages (and TOP).") },
  { "T14", N_("On a slow link the difference is time: bytes on the wire at each link speed.") },
  { "T20", N_("After a POP3 download and delete, the only copy is on that one device.") },
  { "T21", N_("IMAP deletes with \\Deleted and EXPUNGE; every connected client sees it go.") },
  { "T22", N_("A POP3 deletion happens only at QUIT; a dropped connection deletes nothing.") },
  { "T30", N_("IMAP keeps flags such as \\Seen on the server, so every device agrees.") },
  { "T31", N_("POP3 has no flags: read and flagged live in one client's own records.") },
  { "T32", N_("BODY[] marks a message \\Seen; BODY.PEEK[] does not.") },
  { "T40", N_("IMAP SEARCH runs on the server and sends back only the matching numbers.") },
  { "T41", N_("A POP3 client can search only what it has already downloaded.") },
  { "T50", N_("IMAP folders live on the server and every device sees the same ones.") },
  { "T51", N_("POP3 sees one mailbox, the inbox; folders exist only inside one client.") },
  { "T52", N_("An IMAP client saves sent mail to the server (APPEND); a POP3 client keeps it locally.") },
  { "T60", N_("A POP3 client connects, downloads and disconnects; new mail waits for the next poll.") },
  { "T61", N_("An IMAP client can stay connected; with IDLE the server announces new mail at once.") },
  { "T62", N_("IMAP allows several clients on one mailbox at once; POP3 locks it for one session.") },
  { "T70", N_("An IMAP client that was offline asks what changed and sends its own changes.") },
  { "T71", N_("UIDVALIDITY and UIDs tell a client whether its cached copy still matches.") },
  { "T80", N_("With POP3 delete-after-download, losing the device loses the mail.") },
  { "T81", N_("IMAP's cost: the server stores everything.") },
  { "T82", N_("With IMAP, spam and virus scanning happens once, on the server.") },
  { "T90", N_("Ports: POP3 110 and 995 (TLS), IMAP 143 and 993 (TLS), submission 587.") },
  { "T91", N_("Without TLS, passwords cross the wire in plain text; with TLS only sizes show.") },
  { "T92", N_("STLS and STARTTLS upgrade a plain connection; 995 and 993 start with TLS.") },
  { "M1", N_("Myth: POP3 uses UDP. It runs over TCP only.") },
  { "M2", N_("Myth: POP always deletes mail from the server. The client decides.") },
  { "M3", N_("Myth: POP is insecure and IMAP secure. Both need TLS to hide the password.") },
  { "M4", N_("Myth: IMAP sends a copy, POP the whole mail. Both copy; IMAP can copy less.") },
  { "M5", N_("Myth: POP is faster. Measure bytes and round trips over a day on two devices.") },
  { "M6", N_("Myth: big providers cannot do POP, or IMAP. Most offer both.") },
};

const char *
ms_export_teaching_summary (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (teaching); i++)
    if (g_str_equal (teaching[i].id, id))
      return _(teaching[i].summary);
  return NULL;
}

/* The GNOME palette's strong colours, in the order devices are added; the
 * server is the dark grey the stage draws it in. */
static const char * const device_colours[] = {
  "#1c71d8", "#26a269", "#c64600", "#813d9c", "#a51d2d", "#986a44",
};

const char *
ms_export_device_colour (MsWorld    *world,
                         const char *device)
{
  GListModel *devices;

  g_return_val_if_fail (MS_IS_WORLD (world), NULL);

  if (device == NULL || g_str_equal (device, "server"))
    return "#3d3846";
  devices = ms_world_get_devices (world);
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(MsDevice) d = g_list_model_get_item (devices, i);

      if (g_str_equal (ms_device_get_name (d), device))
        return device_colours[i % G_N_ELEMENTS (device_colours)];
    }
  return "#5e5c64";
}

char *
ms_export_format_size (guint64 bytes)
{
  if (bytes < 10000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " B", bytes);
  if (bytes < 10000000)
    return g_strdup_printf ("%.1f KB", bytes / 1000.0);
  return g_strdup_printf ("%.1f MB", bytes / 1000000.0);
}

static void
export_step_free (gpointer data)
{
  MsExportStep *step = data;

  g_free (step->title);
  g_ptr_array_unref (step->narrations);
  g_ptr_array_unref (step->entries);
  g_free (step);
}

GPtrArray *
ms_export_collect_steps (MsTranscript *transcript)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (export_step_free);
  guint n;

  g_return_val_if_fail (MS_IS_TRANSCRIPT (transcript), NULL);

  n = ms_transcript_get_n_entries (transcript);
  for (guint i = 0; i < n; i++)
    {
      MsTranscriptEntry *entry = ms_transcript_get_entry (transcript, i);
      guint index = ms_transcript_entry_get_step (entry);
      MsExportStep *step;

      /* Steps are numbered in order; an index never comes back. */
      while (steps->len <= index)
        {
          step = g_new0 (MsExportStep, 1);
          step->index = steps->len;
          step->narrations = g_ptr_array_new ();
          step->entries = g_ptr_array_new ();
          step->start_us = -1;
          g_ptr_array_add (steps, step);
        }
      step = g_ptr_array_index (steps, index);

      switch (ms_transcript_entry_get_kind (entry))
        {
        case MS_TRANSCRIPT_STEP:
          if (step->title == NULL)
            step->title = g_strdup (ms_transcript_entry_get_text (entry));
          break;
        case MS_TRANSCRIPT_NARRATION:
          g_ptr_array_add (step->narrations, entry);
          break;
        case MS_TRANSCRIPT_CHUNK:
          if (ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER)
            step->bytes_up += ms_transcript_entry_get_wire_size (entry);
          else
            step->bytes_down += ms_transcript_entry_get_wire_size (entry);
          step->n_chunks++;
          G_GNUC_FALLTHROUGH;
        default:
          g_ptr_array_add (step->entries, entry);
          if (step->start_us < 0)
            step->start_us = ms_transcript_entry_get_time_us (entry);
          step->end_us = MAX (step->end_us, ms_transcript_entry_get_arrival_us (entry));
          break;
        }
    }
  for (guint i = 0; i < steps->len; i++)
    {
      MsExportStep *step = g_ptr_array_index (steps, i);

      if (step->start_us < 0)
        step->start_us = step->end_us = 0;
    }
  return g_steal_pointer (&steps);
}

static void
export_row_free (gpointer data)
{
  MsExportRow *row = data;

  g_free (row->time);
  g_free (row->where);
  g_free (row->text);
  g_free (row);
}

gboolean
ms_export_has_tls_records (MsTranscript *transcript)
{
  for (guint i = 0; i < ms_transcript_get_n_entries (transcript); i++)
    if (ms_transcript_entry_get_kind (ms_transcript_get_entry (transcript, i)) == MS_TRANSCRIPT_TLS_RECORD)
      return TRUE;
  return FALSE;
}

GPtrArray *
ms_export_rows_new (void)
{
  return g_ptr_array_new_with_free_func (export_row_free);
}

static MsExportRow *
row_new (MsTranscriptEntry *entry,
         const char        *marker,
         char              *text)
{
  MsExportRow *row = g_new0 (MsExportRow, 1);
  guint connection = ms_transcript_entry_get_connection (entry);

  row->time_us = ms_transcript_entry_get_time_us (entry);
  row->arrival_us = ms_transcript_entry_get_arrival_us (entry);
  row->time = ms_transcript_entry_format_time (entry);
  row->device = ms_transcript_entry_get_device (entry) != NULL ? ms_transcript_entry_get_device (entry) : "-";
  row->where = connection != 0
    ? g_strdup_printf ("%s#%u", ms_transcript_entry_get_protocol (entry), connection)
    : g_strdup ("");
  row->marker = marker;
  row->text = text;
  row->direction = ms_transcript_entry_get_direction (entry);
  row->connection = connection;
  return row;
}

void
ms_export_entry_rows (MsRedactor        *redactor,
                      MsTranscriptEntry *entry,
                      GPtrArray         *rows)
{
  gboolean up = ms_transcript_entry_get_direction (entry) == MS_DIRECTION_TO_SERVER;

  switch (ms_transcript_entry_get_kind (entry))
    {
    case MS_TRANSCRIPT_CHUNK:
      {
        g_auto(GStrv) lines = ms_redactor_entry_lines (redactor, entry);

        if (lines[0] == NULL)
          {
            gsize len = 0;
            GBytes *bytes = ms_transcript_entry_get_bytes (entry);

            if (bytes != NULL)
              len = g_bytes_get_size (bytes);
            g_ptr_array_add (rows, row_new (entry, up ? "C:" : "S:",
                                            g_strdup_printf (_("(part of a line: %zu bytes, cut)"), len)));
          }
        for (guint i = 0; lines[i] != NULL; i++)
          {
            MsExportRow *row = row_new (entry, up ? "C:" : "S:", g_strdup (lines[i]));

            row->index = i;
            g_ptr_array_add (rows, row);
          }
      }
      break;
    case MS_TRANSCRIPT_NOTICE:
      /* Exports are read by people: the notice in their language. */
      g_ptr_array_add (rows, row_new (entry, "!!", g_strdup (ms_transcript_entry_get_display_text (entry))));
      break;
    case MS_TRANSCRIPT_TLS_RECORD:
      {
        const char *handshake = ms_transcript_entry_get_tls_handshake (entry);

        MsExportRow *row;

        /* The same markers as the text transcript: C> and S> are records
         * going up and down, which an eavesdropper sees as type and size. */
        row = row_new (entry, up ? "C>" : "S>",
                       g_strdup_printf (_("TLS %s%s%s, %zu bytes on the wire"),
                                        ms_transcript_entry_get_tls_record_type (entry),
                                        handshake != NULL ? " " : "",
                                        handshake != NULL ? handshake : "",
                                        ms_transcript_entry_get_wire_size (entry)));
        row->tls = TRUE;
        g_ptr_array_add (rows, row);
      }
      break;
    case MS_TRANSCRIPT_STATE:
    case MS_TRANSCRIPT_STEP:
    case MS_TRANSCRIPT_NARRATION:
    default:
      break;
    }
}

char *
ms_export_step_counters (const MsExportStep *step)
{
  g_autofree char *up = ms_export_format_size (step->bytes_up);
  g_autofree char *down = ms_export_format_size (step->bytes_down);
  g_autofree char *start = ms_clock_format_time (step->start_us);
  g_autofree char *end = ms_clock_format_time (step->end_us);
  gint64 span = step->end_us - step->start_us;

  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT,
                                              span / 1000000, (span / 1000) % 1000);

  /* TRANSLATORS: a step's counters in an export: chunks, bytes up and
   * down, from and to (mm:ss.mmm), and how long in seconds. */
  return g_strdup_printf (ngettext ("%u chunk, %s up, %s down, %s to %s (%s s)",
                                    "%u chunks, %s up, %s down, %s to %s (%s s)", step->n_chunks),
                          step->n_chunks, up, down, start, end, seconds);
}

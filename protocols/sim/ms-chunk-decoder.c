/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-chunk-decoder"
#include "config.h"

#include <string.h>

#include "ms-chunk-decoder.h"

void
ms_chunk_decoder_init (MsChunkDecoder *self,
                       const char     *protocol)
{
  memset (self, 0, sizeof *self);
  self->protocol = g_strdup (protocol);
  for (guint i = 0; i < G_N_ELEMENTS (self->decoders); i++)
    ms_line_decoder_init (&self->decoders[i]);
}

void
ms_chunk_decoder_clear (MsChunkDecoder *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->decoders); i++)
    ms_line_decoder_clear (&self->decoders[i]);
  g_clear_pointer (&self->protocol, g_free);
  g_clear_pointer (&self->last_command, g_free);
}

char *
ms_chunk_decoder_command_of (const char   *protocol,
                             const guint8 *data,
                             gsize         len)
{
  const guint8 *nl = memchr (data, '\n', len);
  g_autofree char *first = g_strndup ((const char *) data, nl != NULL ? (gsize) (nl - data) : len);
  g_auto(GStrv) words = NULL;
  guint n;

  g_strchomp (first);
  words = g_strsplit (first, " ", 4);
  n = g_strv_length (words);
  if (n == 0 || words[0][0] == '\0')
    return NULL;
  if (g_strcmp0 (protocol, "imap") == 0)
    {
      if (n < 2)
        return g_strdup (words[0]);
      if (n >= 3 && g_ascii_strcasecmp (words[1], "UID") == 0)
        return g_strdup_printf ("%s UID %s", words[0], words[2]);
      return g_strdup_printf ("%s %s", words[0], words[1]);
    }
  return g_ascii_strup (words[0], -1);
}

GStrv
ms_chunk_decoder_feed (MsChunkDecoder *self,
                       MsDirection     direction,
                       const guint8   *data,
                       gsize           len,
                       const char     *command,
                       char          **command_out)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (direction == MS_DIRECTION_TO_SERVER || direction == MS_DIRECTION_TO_CLIENT, NULL);

  /* Message data a client sends (SMTP DATA) is not a command. */
  if (direction == MS_DIRECTION_TO_SERVER && command != NULL &&
      !self->decoders[MS_DIRECTION_TO_SERVER].in_dot_data)
    {
      g_free (self->last_command);
      self->last_command = g_strdup (command);
      /* Only the command tells that the answer carries message data. */
      if (g_strcmp0 (self->protocol, "pop3") == 0 &&
          (g_str_equal (command, "RETR") || g_str_equal (command, "TOP")))
        ms_line_decoder_expect_data (&self->decoders[MS_DIRECTION_TO_CLIENT]);
    }

  ms_line_decoder_feed (&self->decoders[direction], self->protocol, data, len, lines);
  if (direction == MS_DIRECTION_TO_CLIENT && g_strcmp0 (self->protocol, "smtp") == 0)
    for (guint i = 0; i < lines->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (lines, i), "354"))
        self->decoders[MS_DIRECTION_TO_SERVER].in_dot_data = TRUE;
  g_ptr_array_add (lines, NULL);

  if (command_out != NULL)
    *command_out = g_strdup (direction == MS_DIRECTION_TO_SERVER && command != NULL
                             ? command : self->last_command);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

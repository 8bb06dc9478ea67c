/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Turns the bytes of one direction of a connection into transcript lines.
 * It keeps state across chunks (a line or a literal may be split between
 * two chunks) and elides message data, which a reader does not want to see
 * line by line: an IMAP literal {N} becomes "{N bytes}", and the dot-stuffed
 * data of a POP3 RETR/TOP answer or an SMTP DATA body becomes
 * "{N bytes of message data}", N counted without the byte-stuffing (as RFC
 * 1939 counts it in "+OK N octets"); stuffed lines add how many went on the
 * wire. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GString *partial;        /* an incomplete line carried to the next chunk */
  guint64  literal_left;   /* IMAP: bytes of literal still to skip */
  guint64  literal_total;
  gboolean after_literal;  /* the partial line is what follows a literal */
  gboolean in_dot_data;    /* POP3/SMTP: inside dot-terminated data */
  guint64  dot_bytes;       /* the message's octets, stuffing removed */
  guint64  dot_stuffed;     /* lines that arrived with a doubled leading dot */
  gboolean dot_next;       /* the next status line opens dot-terminated data if positive */
} MsLineDecoder;

void   ms_line_decoder_init    (MsLineDecoder *self);
void   ms_line_decoder_clear   (MsLineDecoder *self);
/* Appends the complete lines found in @data to @lines (char*, owned). */
void   ms_line_decoder_feed    (MsLineDecoder *self,
                                const char    *protocol,
                                const guint8  *data,
                                gsize          len,
                                GPtrArray     *lines);
/* The first line of a command decides what its answer looks like: POP3 RETR
 * and TOP answers carry message data, as does what an SMTP client sends after
 * DATA was accepted with 354. */
void   ms_line_decoder_expect_data (MsLineDecoder *self);

G_END_DECLS

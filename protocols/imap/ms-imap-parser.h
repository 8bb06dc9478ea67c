/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IMAP command parser, apart from any session: it is fed bytes and says
 * whether a command is READY, whether it NEEDs MORE input, whether the client
 * waits for a "+" continuation before sending a synchronizing literal
 * (CONTINUE), or whether the input was bad (ERROR). A ready command is a
 * small tree: a tag, a command name and arguments that are atoms, quoted
 * strings, literals, NIL and parenthesised lists.
 *
 * Limits (Dovecot's manner: every bound explicit and tested):
 *  - a command's text outside literals: at most MS_IMAP_LIMIT_LINE octets;
 *  - a literal: at most the parser's literal limit (MS_LIMIT_MESSAGE_SIZE by
 *    default), refused with BAD [TOOBIG] before any "+" is sent;
 *  - a non-synchronizing literal {n+}: at most MS_IMAP_LIMIT_NONSYNC_LITERAL
 *    octets (RFC 7888 LITERAL-);
 *  - lists nested at most MS_IMAP_LIMIT_NESTING deep;
 *  - NUL and other control characters in the command text are refused.
 * Atoms that carry a bracketed section (BODY[HEADER.FIELDS (A B)]<0.10>) are
 * kept whole, spaces and parentheses included, for FETCH to parse. */
#pragma once

#include <glib.h>
#include "ms-limits.h"

G_BEGIN_DECLS

/* The limits themselves live in ms-limits.h, with the reasons. */
#define MS_IMAP_LIMIT_LINE            MS_LIMIT_IMAP_LINE
#define MS_IMAP_LIMIT_NONSYNC_LITERAL MS_LIMIT_IMAP_NONSYNC_LITERAL
#define MS_IMAP_LIMIT_NESTING         MS_LIMIT_IMAP_NESTING
#define MS_IMAP_LIMIT_ARGS            MS_LIMIT_IMAP_ARGS

typedef enum {
  MS_IMAP_ARG_ATOM,
  MS_IMAP_ARG_STRING,   /* quoted */
  MS_IMAP_ARG_LITERAL,
  MS_IMAP_ARG_NIL,
  MS_IMAP_ARG_LIST,
} MsImapArgType;

typedef struct _MsImapArg MsImapArg;

struct _MsImapArg
{
  MsImapArgType type;
  char         *str;    /* NUL-terminated; literals may be longer than strlen() says: use len */
  gsize         len;
  GPtrArray    *list;   /* of MsImapArg, for MS_IMAP_ARG_LIST */
};

typedef struct
{
  char      *tag;
  char      *name;      /* upper case */
  GPtrArray *args;      /* of MsImapArg */
  char      *text;      /* the command as received, literal data elided as {n} */
} MsImapCommand;

typedef enum {
  MS_IMAP_PARSE_NEED_MORE,
  MS_IMAP_PARSE_READY,
  MS_IMAP_PARSE_CONTINUE,
  MS_IMAP_PARSE_ERROR,
} MsImapParseResult;

typedef struct _MsImapParser MsImapParser;

MsImapParser     *ms_imap_parser_new               (void);
void              ms_imap_parser_free              (MsImapParser  *self);
void              ms_imap_parser_set_literal_limit (MsImapParser  *self,
                                                    gsize          limit);
/* Consumes input until it has a result other than NEED_MORE, or until all of
 * it is used; *consumed says how much was used. After READY, take the
 * command; after ERROR, read the error; either way the parser then starts on
 * the next command. */
MsImapParseResult ms_imap_parser_feed              (MsImapParser  *self,
                                                    const guint8  *data,
                                                    gsize          len,
                                                    gsize         *consumed);
MsImapCommand    *ms_imap_parser_take_command      (MsImapParser  *self);
/* After ERROR: the tag if one was read (or NULL), a message for a BAD reply,
 * a response code such as "TOOBIG" (or NULL), and whether the connection
 * should be closed because the input cannot be resynchronised. */
const char       *ms_imap_parser_get_error_tag     (MsImapParser  *self);
const char       *ms_imap_parser_get_error         (MsImapParser  *self);
const char       *ms_imap_parser_get_error_code    (MsImapParser  *self);
gboolean          ms_imap_parser_get_error_fatal   (MsImapParser  *self);
void              ms_imap_parser_reset             (MsImapParser  *self);

void              ms_imap_command_free             (MsImapCommand *command);
void              ms_imap_arg_free                 (MsImapArg     *arg);

/* Argument helpers: an atom, quoted string or literal as a string. */
gboolean          ms_imap_arg_is_string            (const MsImapArg *arg);
gboolean          ms_imap_arg_is_atom              (const MsImapArg *arg,
                                                    const char      *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsImapCommand, ms_imap_command_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resumable parser for IMAP4rev1 server responses (RFC 3501 section 7),
 * for the simulated client. The server's parser reads commands; this one
 * reads what servers send back: tagged and untagged status responses,
 * untagged data (FETCH, LIST, SEARCH, CAPABILITY…) with nested lists,
 * quoted strings and literals, and "+" continuation requests.
 *
 * Feed it bytes in any split; take complete responses with next(). Every
 * dimension has an explicit limit, and exceeding one is an error rather than
 * unbounded growth. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MS_IMAP_CLIENT_MAX_LINE        (64 * 1024)          /* text outside literals */
#define MS_IMAP_CLIENT_MAX_LITERAL     (64 * 1024 * 1024)
#define MS_IMAP_CLIENT_MAX_RESPONSE    (80 * 1024 * 1024)
#define MS_IMAP_CLIENT_MAX_DEPTH       16
#define MS_IMAP_CLIENT_MAX_ITEMS       100000

typedef enum {
  MS_IMAP_CLIENT_ITEM_ATOM,     /* also numbers, flags and section specs like BODY[1]<0> */
  MS_IMAP_CLIENT_ITEM_STRING,   /* quoted or literal */
  MS_IMAP_CLIENT_ITEM_NIL,
  MS_IMAP_CLIENT_ITEM_LIST,
} MsImapClientItemKind;

typedef struct _MsImapClientItem MsImapClientItem;

struct _MsImapClientItem
{
  MsImapClientItemKind  kind;
  char           *data;      /* ATOM/STRING: the bytes, NUL-terminated (may hold NULs if a literal) */
  gsize           len;
  gboolean        literal;
  GPtrArray      *children;  /* LIST: MsImapClientItem* */
};

typedef enum {
  MS_IMAP_CLIENT_RESPONSE_TAGGED,
  MS_IMAP_CLIENT_RESPONSE_UNTAGGED,
  MS_IMAP_CLIENT_RESPONSE_CONTINUATION,
} MsImapClientResponseKind;

typedef struct
{
  MsImapClientResponseKind  kind;
  char               *tag;     /* TAGGED only */
  char               *status;  /* "OK", "NO", "BAD", "BYE", "PREAUTH", or NULL for data */
  char               *code;    /* the response code inside [ ] without brackets, or NULL */
  char               *text;    /* status text / continuation text */
  guint32             number;  /* "* 12 EXISTS": 12 (has_number) */
  gboolean            has_number;
  char               *name;    /* data name, upper case: "EXISTS", "FETCH", "LIST", "CAPABILITY"… */
  MsImapClientItem         *items;   /* LIST of the data after the name (never NULL) */
  char               *line;    /* the response as text, literal data elided as {N bytes} */
  gsize               wire_size;
} MsImapClientResponse;

typedef enum {
  MS_IMAP_CLIENT_PARSE_READY,
  MS_IMAP_CLIENT_PARSE_NEED_MORE,
  MS_IMAP_CLIENT_PARSE_ERROR,
} MsImapClientParseResult;

typedef struct _MsImapClientParser MsImapClientParser;

MsImapClientParser *ms_imap_client_parser_new   (void);
void                ms_imap_client_parser_free  (MsImapClientParser *parser);
void                ms_imap_client_parser_reset (MsImapClientParser *parser);
void                ms_imap_client_parser_feed  (MsImapClientParser *parser,
                                                 const guint8       *data,
                                                 gsize               len);
/* READY: *response is set (free with ms_imap_client_response_free). ERROR: *error
 * says why; the parser is then unusable until reset. */
MsImapClientParseResult   ms_imap_client_parser_next  (MsImapClientParser *parser,
                                                 MsImapClientResponse    **response,
                                                 char              **error);

void                ms_imap_client_response_free       (MsImapClientResponse     *response);

/* Helpers for reading items. */
MsImapClientItem         *ms_imap_client_item_child          (const MsImapClientItem   *list,
                                                 guint               index);
guint               ms_imap_client_item_n_children     (const MsImapClientItem   *list);
gboolean            ms_imap_client_item_is             (const MsImapClientItem   *item,
                                                 const char         *atom);
/* ATOM or STRING as text; NULL for NIL or a list. */
const char         *ms_imap_client_item_text           (const MsImapClientItem   *item);
gboolean            ms_imap_client_item_uint32         (const MsImapClientItem   *item,
                                                 guint32            *value);
/* In a FETCH list (name value name value…), the value after name (case-insensitive). */
MsImapClientItem         *ms_imap_client_item_lookup         (const MsImapClientItem   *list,
                                                 const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsImapClientResponse, ms_imap_client_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsImapClientParser, ms_imap_client_parser_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the POP3 client's files share. Only ms-pop3-client*.c include this. */
#pragma once

#include "ms-pop3-client.h"
#include "ms-protocol-event.h"

G_BEGIN_DECLS

/* RFC 2449 allows 512 octets for a response line; message lines are at most
 * 998 octets by RFC 5322 but real mail breaks that, so data lines get more
 * room. A message larger than MAX_MESSAGE is refused rather than buffered. */
#define MAX_STATUS_LINE  8192
#define MAX_DATA_LINE    (64 * 1024)
#define MAX_MESSAGE      (64 * 1024 * 1024)
#define MAX_LISTING      100000

struct _MsPop3Client
{
  GObject            parent_instance;

  MsStore           *store;
  char              *user;
  char              *password;
  MsClientPolicy     policy;
  MsClientTlsMode    tls;

  MsPop3ClientState  state;
  gboolean           tls_active;
  MsClientAction    *action;        /* the action in progress (a check), or NULL */

  GByteArray        *in;
  GByteArray        *out;
  gboolean           multiline;     /* reading a dot-terminated block */
  GByteArray        *body;          /* RETR data being collected */

  /* This check's listing and plan. */
  GPtrArray         *uidls;         /* index msgnum-1: char* or NULL */
  gboolean           have_uidl;
  guint              n_listed;
  GArray            *to_retr;       /* msgnums */
  GArray            *to_dele;       /* msgnums */
  guint              step;          /* index in to_retr or to_dele */
  guint              current;       /* msgnum of the RETR/DELE in flight */
  GPtrArray         *deleted_uidls; /* DELE accepted, effective at QUIT */
  gboolean           stopping;      /* the user pressed Stop: RSET if needed, then QUIT */
  guint              n_unmarked;    /* DELE marks that RSET took back */

  /* Results for the summary. */
  guint              n_downloaded;
  guint64            bytes_downloaded;
  guint              n_failed;
  MsPhrase          *failure;       /* the first failure, for the summary */
};

void ms_pop3_client_emit              (MsPop3Client        *self,
                                       MsProtocolEventKind  kind,
                                       const char          *name,
                                       const char          *text);
void ms_pop3_client_set_state         (MsPop3Client        *self,
                                       MsPop3ClientState    state);
void ms_pop3_client_send_command      (MsPop3Client        *self,
                                       MsPop3ClientState    waiting,
                                       const char          *verb,
                                       const char          *format,
                                       ...) G_GNUC_PRINTF (4, 5);
/* Counts a failure; the first one's sentence (@what, taken over) ends the
 * summary. */
void ms_pop3_client_note_failure      (MsPop3Client        *self,
                                       MsPhrase            *what);
/* @why is a sentence's msgid, a literal marked NC_ ("transcript", …). */
void ms_pop3_client_abort_with_quit   (MsPop3Client        *self,
                                       const char          *why);
void ms_pop3_client_protocol_error    (MsPop3Client        *self,
                                       const char          *why);

/* ms-pop3-client-responses.c */
void ms_pop3_client_handle_status        (MsPop3Client *self,
                                          const char   *line,
                                          gsize         len);
void ms_pop3_client_handle_data_line     (MsPop3Client *self,
                                          const char   *line,
                                          gsize         len);
void ms_pop3_client_handle_multiline_end (MsPop3Client *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every explicit limit of libmailscope in one place, so that a reader sees at
 * a glance what the servers and loaders refuse and why. Each module adds its
 * own section; a value here is a promise the tests check. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* --- The mail store and its loaders ------------------------------------ */

/* The largest message a loader or the on-disk state accepts (64 MiB). A
 * teaching server never needs more, and the bound keeps a corrupt or
 * hostile file from making us allocate without end. */
#define MS_LIMIT_MESSAGE_SIZE        (64u * 1024u * 1024u)

/* The most messages one mailbox may hold when loaded from a file or from the
 * on-disk state. A million keeps a 100k-message benchmark comfortably inside. */
#define MS_LIMIT_MAILBOX_MESSAGES    1000000u

/* A server refuses to add a message to a mailbox that holds this many
 * already (IMAP APPEND/COPY/MOVE NO [LIMIT], SMTP 452 4.2.2). Tests lower it
 * with ms_mailbox_set_message_limit(). */
#define MS_LIMIT_MAILBOX_MESSAGES_LIVE  MS_LIMIT_MAILBOX_MESSAGES

/* Mailboxes one account may have, INBOX included: a thousand is far more
 * than a class needs and bounds the linear lookups by name. CREATE beyond it
 * is refused with NO [LIMIT]. */
#define MS_LIMIT_ACCOUNT_MAILBOXES   1000u

/* Sessions logged in to one account at once, POP3 and IMAP together. Every
 * session of an account is woken for each change to it, so the bound keeps
 * one account from costing the server without end. The next login is
 * refused: IMAP NO [LIMIT], POP3 -ERR [IN-USE]. The load test runs about ten
 * per account. */
#define MS_LIMIT_ACCOUNT_SESSIONS    100u

/* The longest line the on-disk state's index files may hold: an index line
 * carries a UID, flags, a date and keywords, never message text. */
#define MS_LIMIT_STATE_LINE          (64u * 1024u)

/* The most keywords one message may carry, and the longest keyword. IMAP
 * STORE and APPEND that would pass them answer NO [LIMIT]. Together they
 * keep a message's index line (256 keywords of 200 octets and a space
 * each, 51,456 octets, plus its UID, date, size and digest) inside
 * MS_LIMIT_STATE_LINE, so that what the server accepts it can read back. */
#define MS_LIMIT_MESSAGE_KEYWORDS    256u
#define MS_LIMIT_KEYWORD_LENGTH      200u

/* --- POP3 server sessions ---------------------------------------------- */

/* RFC 1939 section 3 allows 512 octets per command line, CRLF included, and
 * RFC 2449 section 4 the same for responses. Real clients stay far below;
 * AUTH with an initial response (RFC 5034) may be longer, so we accept twice
 * the RFC figure and refuse more: the rest of the line is discarded, the
 * client gets -ERR and the connection closes. */
#define MS_LIMIT_POP3_LINE           1024u

/* Input that arrived but was not processed yet (a pipelining client, or a
 * session held after a failed login). Beyond this the client is not
 * behaving like a POP3 client and is disconnected. */
#define MS_LIMIT_POP3_PENDING_INPUT  (64u * 1024u)

/* A session stops executing queued commands while this much output waits to
 * be taken, so a client that pipelines RETRs without reading cannot make us
 * buffer the whole mailbox. */
#define MS_LIMIT_POP3_OUTPUT_HIGH    (256u * 1024u)

/* Unknown commands, syntax errors and commands in the wrong state: after
 * this many the session says goodbye. */
#define MS_LIMIT_POP3_BAD_COMMANDS   10u

/* Failed logins are answered after 1 s, 2 s, 4 s, ... at most this long
 * (only this session waits; see ms_server_session_get_hold_ms()) and the
 * session is closed after MS_LIMIT_POP3_AUTH_FAILURES of them. */
#define MS_LIMIT_POP3_AUTH_DELAY_MS      1000u
#define MS_LIMIT_POP3_AUTH_DELAY_MAX_MS  8000u
#define MS_LIMIT_POP3_AUTH_FAILURES      5u

/* --- SMTP server sessions (protocols/smtp/) ---------------------------- */

/* RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets, CRLF
 * included. Longer: 500 5.5.2, the line is dropped. */
#define MS_LIMIT_SMTP_COMMAND_LINE   512u

/* A line of message text: RFC 5321 says 1000 octets; real mail breaks that
 * often enough that we take 64 times more before answering 500. */
#define MS_LIMIT_SMTP_DATA_LINE      (64u * 1024u)

/* The message size announced with SIZE (RFC 1870); larger: 552 5.3.4. */
#define MS_LIMIT_SMTP_MESSAGE_SIZE   (10u * 1024u * 1024u)

/* RCPT TO per message (RFC 5321 section 4.5.3.1.8 asks for at least 100). */
#define MS_LIMIT_SMTP_RECIPIENTS     100u

/* Bad commands after which the session answers 421 and closes. */
#define MS_LIMIT_SMTP_BAD_COMMANDS   10u

/* --- Network listeners (protocols/net/) --------------------------------- */

/* Open connections one listener accepts at once. The load test runs 200;
 * a thousand leaves room for a classroom, while staying under the usual
 * 1024 file descriptors per process so that the server itself never runs
 * out of them. The next client gets the protocol's refusal (POP3 "-ERR
 * [SYS/TEMP]", IMAP "* BYE") and is closed. */
#define MS_LIMIT_LISTENER_CONNECTIONS        1000u

/* Four listeners of a thousand connections need more file descriptors
 * than the usual soft limit of 1024: `serve` raises its soft limit to
 * listeners x connections + this many (stdio, listening sockets, the
 * reserve descriptor, GLib's pipes, --state journals), as far as the hard
 * limit allows. Past the limit a client is refused like one over
 * MS_LIMIT_LISTENER_CONNECTIONS (ms-listen-socket.h says how). */
#define MS_LIMIT_SPARE_FILE_DESCRIPTORS      64u

/* Inactivity timers of `serve` (seconds; --login-timeout, --idle-timeout).
 * Before login a client has one minute of silence: enough for a person
 * typing at telnet, short enough that clients which connect and say
 * nothing (or half a TLS ClientHello, or a line never finished) do not
 * hold listener slots for long. After login the RFC minimums: IMAP's
 * autologout timer at least 30 minutes (RFC 9051 section 5.4, RFC 3501),
 * POP3's at least 10 minutes (RFC 1939 section 3). IMAP says "* BYE
 * Autologout" first; POP3 closes without a word and without UPDATE, so
 * nothing marked for deletion is deleted. */
#define MS_LIMIT_LOGIN_TIMEOUT_S             60u
#define MS_LIMIT_IMAP_IDLE_TIMEOUT_S         (30u * 60u)
#define MS_LIMIT_POP3_IDLE_TIMEOUT_S         (10u * 60u)

/* After failed logins from one client address, every new connection from
 * that address waits before its greeting: this long after the first
 * failure beyond MS_LIMIT_ADDRESS_LOGIN_FREE, doubling with each further one up to the maximum. The wait is a
 * timer, not a sleep, so other clients are served meanwhile. It adds to the
 * per-session hold (MS_LIMIT_POP3_AUTH_DELAY_MS) because a password guesser
 * simply opens a new connection instead of waiting inside one. */
#define MS_LIMIT_ADDRESS_LOGIN_DELAY_MS      1000u
#define MS_LIMIT_ADDRESS_LOGIN_DELAY_MAX_MS  30000u

/* The first failures from an address cost nothing beyond the session's own
 * hold: a user who mistypes a password once or twice, or two mail clients
 * on one machine sharing an old password, should not find every new
 * connection slowed down. The delay starts with the next failure. */
#define MS_LIMIT_ADDRESS_LOGIN_FREE          2u

/* Failures are forgotten this long after the last one, so that a user who
 * mistyped is not slowed down for ever. */
#define MS_LIMIT_ADDRESS_LOGIN_MEMORY_S      600u

/* How many client addresses the failure record holds. Beyond this,
 * forgotten entries are purged first and then new addresses are not
 * recorded, so that a flood of spoofed sources cannot grow memory. */
#define MS_LIMIT_ADDRESS_LOGIN_RECORDS       10000u

/* --- MIME structure (protocols/mime/) ----------------------------------- */

/* How deep multiparts and attached messages may nest before a part is taken
 * as a leaf: Dovecot's default max_nested_mime_parts, so that BODYSTRUCTURE
 * answers agree, and it bounds the parser's recursion. */
#define MS_LIMIT_MIME_DEPTH          100u

/* The most parts one message is split into; further boundaries are read as
 * body text (Dovecot's default max_total_mime_parts). */
#define MS_LIMIT_MIME_PARTS          10000u

/* The most bytes of one part's header that are read for Content-* fields and
 * the ENVELOPE; a header block may be longer (it is still returned whole by
 * BODY[HEADER]) but nothing past this is interpreted. */
#define MS_LIMIT_MIME_HEADER_SIZE    (1024u * 1024u)

/* Boundary parameters are cut to this length (RFC 2046 allows 70
 * characters; Dovecot keeps 80, and cutting the same way splits the same). */
#define MS_LIMIT_MIME_BOUNDARY       80u

/* --- TLS (protocols/tls/) ----------------------------------------------- */

/* The largest TLSPlaintext fragment a record may carry (RFC 8446 5.1,
 * RFC 5246 6.2.1): 2^14 bytes. An unencrypted record longer than this is an
 * error, not something to buffer. */
#define MS_LIMIT_TLS_PLAINTEXT_RECORD   16384u

/* The largest protected record: TLS 1.2 allows 2^14 + 2048 (RFC 5246 6.2.3),
 * TLS 1.3 only 2^14 + 256 (RFC 8446 5.2). An observer of one direction does
 * not always know the version, so it applies the 1.3 bound once it saw a
 * 1.3 ServerHello and the 1.2 bound otherwise. */
#define MS_LIMIT_TLS_CIPHERTEXT_RECORD  (16384u + 2048u)
#define MS_LIMIT_TLS13_CIPHERTEXT_RECORD (16384u + 256u)

/* The longest handshake message whose body the observer keeps to look
 * inside (only ServerHello, for supported_versions). Other messages are
 * counted and skipped, never buffered. */
#define MS_LIMIT_TLS_SERVER_HELLO       4096u

/* The longest handshake message the observer accepts at all (a certificate
 * chain is the largest; OpenSSL's own default cap is 100 KiB). */
#define MS_LIMIT_TLS_HANDSHAKE_MESSAGE  (256u * 1024u)

/* Plaintext a TLS filter holds decrypted and not yet taken by its driver:
 * past this the filter stops reading records until the driver drains it. */
#define MS_LIMIT_TLS_PLAINTEXT_BACKLOG  (1024u * 1024u)

/* Key-log text kept per connection: a TLS 1.3 handshake writes five lines of
 * roughly 170 bytes; the cap only guards against a runaway peer forcing key
 * updates. */
#define MS_LIMIT_TLS_KEYLOG             (64u * 1024u)

/* --- The IMAP server (protocols/imap/) -------------------------------- */

/* A command's text outside literals. RFC 7162 section 4 asks servers to take
 * lines of at least 8192 octets; 64 KiB is eight times that and still bounds
 * what one client makes us hold. Longer: BAD [TOOBIG], the line is skipped. */
#define MS_LIMIT_IMAP_LINE              (64u * 1024u)

/* A non-synchronizing literal {n+}: the server advertises LITERAL- (RFC 7888
 * section 4), so larger ones get BAD [TOOBIG] and are skipped unread. A
 * synchronizing literal may be as large as a message (MS_LIMIT_MESSAGE_SIZE)
 * and is refused before the "+" when larger. */
#define MS_LIMIT_IMAP_NONSYNC_LITERAL   4096u

/* How deep parenthesised lists may nest in one command: SEARCH groups and
 * FETCH lists need a few levels; the bound keeps recursion shallow. */
#define MS_LIMIT_IMAP_NESTING           16u

/* A literal before login: a user name or password, never a message, so an
 * unauthenticated client cannot make the server hold 64 MiB. After login
 * literals may be as large as MS_LIMIT_MESSAGE_SIZE (APPEND). */
#define MS_LIMIT_IMAP_PREAUTH_LITERAL   8192u

/* Search keys in one SEARCH, counting every key, NOT, OR and parenthesised
 * group (the search-key rule of RFC 9051 section 9). Every key is tested
 * against every message, and BODY or TEXT decodes the message to do it, so
 * the number of keys multiplies what one search over a big mailbox costs.
 * Clients send a few to a few dozen: a quick filter ORs a handful of header
 * keys, a saved search rarely has twenty conditions, and a set of UIDs is
 * one key however many ranges it holds. A thousand leaves ample room and is
 * a tenth of what MS_LIMIT_IMAP_ARGS alone lets through. More is answered
 * NO [LIMIT], not BAD: the command is well formed, the server declines the
 * work (RFC 9051 section 7.1, the LIMIT code taken over from RFC 5530), and
 * a refusal for size is no reason to count toward MS_LIMIT_IMAP_BAD_COMMANDS. */
#define MS_LIMIT_IMAP_SEARCH_KEYS       1000u

/* How deep NOT, OR and groups may nest in a SEARCH. A client ORs N terms as
 * "OR OR ... a b c", N-1 levels deep; the test of a message recurses once per
 * level. Deeper: NO [LIMIT], like MS_LIMIT_IMAP_SEARCH_KEYS. */
#define MS_LIMIT_IMAP_SEARCH_DEPTH      32u

/* Arguments in one command, counting list members. */
#define MS_LIMIT_IMAP_ARGS              10000u

/* BAD replies after which the session says BYE and closes. */
#define MS_LIMIT_IMAP_BAD_COMMANDS      20u

/* The longest AUTHENTICATE answer or IDLE "DONE" line (read outside the
 * command parser). */
#define MS_LIMIT_IMAP_RAW_LINE          8192u

/* Output one session queues before the command that makes it stops and
 * waits for the driver to take it (take_output() also hands out at most
 * this much per call). A FETCH 1:* on a 100k-message mailbox, a few MB of
 * FLAGS or gigabytes of BODY[], therefore costs a connection this much at
 * a time, however slowly its client reads. 128 KiB is eight full TLS
 * records and about 3,000 FETCH FLAGS lines: large enough that a batch
 * pays for one trip through the main loop and keeps a loopback socket's
 * send buffer busy, small enough that a full listener of clients that do
 * not read (MS_LIMIT_LISTENER_CONNECTIONS) holds at most 128 MiB. One
 * response is never cut, so a batch may end up to one response past the
 * budget (messages from MS_IMAP_LITERAL_BY_REFERENCE on are lent by
 * reference then, not copied). */
#define MS_LIMIT_IMAP_OUTPUT_BUDGET     (128u * 1024u)

/* Input that arrived while a command was still answering (a client that
 * pipelines behind a long FETCH): it is kept, unexecuted, in order, until
 * the answer has been taken. Twice the longest command line; a client
 * that sends more without reading is not behaving like an IMAP client
 * (its next synchronizing literal would wait for our "+" anyway) and gets
 * BYE. A TCP connection never feeds this much: it reads only when all
 * output is written. */
#define MS_LIMIT_IMAP_PENDING_INPUT     (2u * MS_LIMIT_IMAP_LINE)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ms-explain"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-command-explanations.h"

/* The texts are marked with N_() and translated when looked up: the names
 * are protocol words and stay as they are on the wire. */
typedef struct
{
  const char *name;
  const char *text;
} Entry;

/* ---- POP3: RFC 1939, extensions RFC 2449 (CAPA, codes), RFC 2595 (STLS),
 * RFC 5034 (AUTH) ---- */
static const Entry pop3_commands[] = {
  { "USER", N_("Names the mailbox (the user) the client wants to open. Without TLS the name crosses the wire as plain text. The password follows with PASS.") },
  { "PASS", N_("Sends the password for the user named with USER. Without TLS anyone on the path can read it. If it is right, the server locks the mailbox and the session enters the TRANSACTION state.") },
  { "APOP", N_("Logs in without sending the password: the client sends an MD5 digest of the server's greeting timestamp plus the shared secret. Old and weak (MD5); TLS is the real protection.") },
  { "AUTH", N_("Logs in with a SASL mechanism (for example PLAIN), possibly over several lines answered with \"+ \" challenges (RFC 5034).") },
  { "STAT", N_("Asks how many messages are in the mailbox and their total size in octets. Messages marked for deletion in this session are not counted.") },
  { "LIST", N_("Asks for the size of each message (or of one, given its number). Message numbers are only valid for this session.") },
  { "RETR", N_("Downloads one whole message: every header, the text and all attachments. POP3 cannot fetch only a part. Lines starting with a dot get an extra dot, and a line with a single dot ends the message.") },
  { "DELE", N_("Marks one message for deletion. Nothing is deleted yet: the server removes marked messages only when the client sends QUIT. If the connection drops first, nothing is deleted.") },
  { "NOOP", N_("Does nothing; the server answers +OK. Used to keep the connection alive.") },
  { "RSET", N_("Takes back every deletion mark made in this session.") },
  { "QUIT", N_("Ends the session. In the TRANSACTION state this enters UPDATE: the server now removes the messages marked with DELE, unlocks the mailbox and closes the connection.") },
  { "TOP",  N_("Downloads the headers of one message and the first N lines of its text. The closest POP3 comes to fetching less than the whole message.") },
  { "UIDL", N_("Asks for each message's unique id, a string that stays the same across sessions. A client that leaves mail on the server uses it to know which messages it already has.") },
  { "CAPA", N_("Asks which optional commands and extensions the server supports (RFC 2449), such as UIDL, TOP, STLS or SASL.") },
  { "STLS", N_("Asks to switch this connection to TLS before logging in (RFC 2595). After +OK both sides start the TLS handshake; from then on an eavesdropper sees only encrypted records.") },
};

static const Entry pop3_responses[] = {
  { "+OK",  N_("The command worked. What follows on the line (or on the next lines, ended by a lone dot) is the answer.") },
  { "-ERR", N_("The command failed. The text after it is meant for people; a bracketed code, if any, says why in a form a program can use.") },
  { "+",    N_("A SASL challenge during AUTH: the server waits for the client's next line.") },
  { "GREETING", N_("The first line the server sends when a client connects: +OK and a greeting. The session is in the AUTHORIZATION state.") },
};

static const Entry pop3_codes[] = {
  { "IN-USE",      N_("The mailbox is locked by another POP3 session. POP3 allows only one session per mailbox at a time (RFC 2449).") },
  { "LOGIN-DELAY", N_("The user logged in too recently; the server asks clients to wait between checks (RFC 2449).") },
  { "SYS/TEMP",    N_("A temporary problem on the server; trying again later may work (RFC 3206).") },
  { "SYS/PERM",    N_("A lasting problem on the server; trying again will not help without someone fixing it (RFC 3206).") },
  { "AUTH",        N_("The name or password was wrong, or the login method is not allowed (RFC 3206).") },
};

/* ---- IMAP: RFC 3501 (IMAP4rev1), RFC 9051 (IMAP4rev2), RFC 2177 (IDLE),
 * RFC 6851 (MOVE), RFC 3691 (UNSELECT), RFC 2971 (ID), RFC 5161 (ENABLE),
 * RFC 4315 (UIDPLUS), RFC 5530 (response codes), RFC 7162 (CONDSTORE) ---- */
static const Entry imap_commands[] = {
  { "CAPABILITY",   N_("Asks what this server can do: the IMAP version, extensions such as IDLE or MOVE, and the allowed login methods.") },
  { "NOOP",         N_("Does nothing, but gives the server a chance to report changes (new mail, flags, expunges) as untagged responses.") },
  { "LOGOUT",       N_("Ends the session. The server answers with * BYE, then the tagged OK, and closes the connection. Messages stay on the server.") },
  { "STARTTLS",     N_("Asks to switch this connection to TLS before logging in. After OK both sides start the TLS handshake.") },
  { "AUTHENTICATE", N_("Logs in with a SASL mechanism (for example PLAIN); the server sends \"+\" challenges and the client answers each on its own line.") },
  { "LOGIN",        N_("Logs in with a user name and password. Without TLS both cross the wire as plain text, exactly as with POP3.") },
  { "SELECT",       N_("Opens a mailbox (a folder) for reading and changing. The server answers with how many messages exist, the flags, UIDVALIDITY and UIDNEXT.") },
  { "EXAMINE",      N_("Opens a mailbox read-only: like SELECT, but nothing can change and reading does not set \\Seen.") },
  { "CREATE",       N_("Creates a new folder on the server. Every device that uses IMAP sees it.") },
  { "DELETE",       N_("Deletes a folder on the server (not a message: messages are deleted with flags and EXPUNGE).") },
  { "RENAME",       N_("Renames a folder on the server. Renaming INBOX moves its messages to the new folder and leaves INBOX empty.") },
  { "SUBSCRIBE",    N_("Adds a folder to the list the user wants to see in the client.") },
  { "UNSUBSCRIBE",  N_("Removes a folder from the list the user wants to see; the folder itself stays.") },
  /* xgettext:no-c-format */
  { "LIST",         N_("Asks for the folders whose names match a pattern (* matches everything, % one level). Each answer line names one folder.") },
  { "LSUB",         N_("Like LIST, but only the subscribed folders (IMAP4rev1; IMAP4rev2 uses LIST with options).") },
  { "NAMESPACE",    N_("Asks where personal, other users' and shared folders are in the folder tree (RFC 2342).") },
  { "STATUS",       N_("Asks about a folder without opening it: number of messages, unseen messages, UIDNEXT, UIDVALIDITY, size.") },
  { "APPEND",       N_("Uploads a whole message into a folder on the server, for example a copy of a sent message into Sent, so every device has it.") },
  { "CHECK",        N_("Asks the server to save the folder's state to disk (IMAP4rev1; removed in IMAP4rev2).") },
  { "CLOSE",        N_("Closes the open folder and silently removes every message marked \\Deleted in it (no EXPUNGE responses are sent).") },
  { "UNSELECT",     N_("Closes the open folder without removing the messages marked \\Deleted (RFC 3691).") },
  { "EXPUNGE",      N_("Permanently removes every message marked \\Deleted in the open folder. The server sends * N EXPUNGE for each, to this and to every other client that has the folder open.") },
  { "SEARCH",       N_("The server searches the folder and returns only the numbers of the matching messages: a few bytes, however large the folder is.") },
  { "FETCH",        N_("Asks for data about messages: FLAGS, ENVELOPE (sender, subject, date), sizes, the structure (BODYSTRUCTURE) or a body part. BODY[] fetches the whole message and sets \\Seen; BODY.PEEK[] does not.") },
  { "STORE",        N_("Changes the flags of messages on the server: +FLAGS adds, -FLAGS removes, FLAGS replaces. \\Seen is read, \\Flagged is starred, \\Deleted is marked for removal. Every device sees the change.") },
  { "COPY",         N_("Copies messages to another folder on the server; nothing crosses the network but the command.") },
  { "MOVE",         N_("Moves messages to another folder on the server (RFC 6851): a copy plus an expunge in one step.") },
  { "UID",          N_("Prefix for COPY, MOVE, FETCH, SEARCH, STORE and EXPUNGE that uses unique identifiers instead of message numbers. UIDs do not change while UIDVALIDITY stays the same, so a client can remember them.") },
  { "IDLE",         N_("The client says it is waiting: while idle, the server pushes news the moment it happens (* N EXISTS for new mail) instead of the client asking again and again (RFC 2177).") },
  { "DONE",         N_("Ends IDLE; the server then answers the IDLE command with its tagged OK.") },
  { "ENABLE",       N_("Turns on an extension that changes how the server talks, such as CONDSTORE or UTF8=ACCEPT (RFC 5161).") },
  { "ID",           N_("Tells the server the client's name and version and asks for the server's (RFC 2971).") },
};

static const Entry imap_responses[] = {
  { "OK",         N_("Tagged: the command with this tag worked. Untagged (*): information, often with a bracketed code.") },
  { "NO",         N_("Tagged: the command was understood but failed (wrong password, no such folder…).") },
  { "BAD",        N_("The command was not understood: a syntax error or a command not allowed in this state.") },
  { "PREAUTH",    N_("Greeting that says the client is already logged in (for example by the connection itself).") },
  { "BYE",        N_("The server is about to close the connection: after LOGOUT, or because it is shutting down or the client was idle too long.") },
  { "CAPABILITY", N_("The list of what the server can do.") },
  { "LIST",       N_("One folder: its attributes (such as \\HasChildren or \\Sent), the hierarchy delimiter and its name.") },
  { "LSUB",       N_("One subscribed folder.") },
  { "STATUS",     N_("The figures asked for with STATUS, for one folder.") },
  { "SEARCH",     N_("The numbers (or UIDs) of the messages that matched. Only these few bytes cross the network.") },
  { "ESEARCH",    N_("Search results in the compact form of IMAP4rev2 (RFC 4731).") },
  { "FLAGS",      N_("The flags this folder uses.") },
  { "EXISTS",     N_("How many messages the folder holds now. When this number grows, new mail has arrived; with IDLE the server pushes it at once.") },
  { "RECENT",     N_("How many messages arrived since the last session looked (IMAP4rev1 only; dropped in IMAP4rev2).") },
  { "EXPUNGE",    N_("The message with this number is gone from the folder for good; every higher number moves down by one.") },
  { "FETCH",      N_("Data about one message: the items the client asked for, and also flags that changed, for example because another device read the message.") },
  { "ENABLED",    N_("The extensions that ENABLE turned on.") },
  { "NAMESPACE",  N_("Where personal, other users' and shared folders live.") },
  { "ID",         N_("The server's name and version.") },
  { "+",          N_("Continuation: the server is ready for more from the client (the bytes of a literal, the next SASL step, or \"idling\" during IDLE).") },
};

static const Entry imap_codes[] = {
  { "ALERT",          N_("A message the client must show to the user.") },
  { "BADCHARSET",     N_("SEARCH used a character set the server does not support.") },
  { "CAPABILITY",     N_("The server's capabilities, sent along so the client need not ask.") },
  { "PARSE",          N_("A message on the server could not be parsed correctly.") },
  { "PERMANENTFLAGS", N_("The flags a client can change and that are kept after the session ends. \\* means the client may invent keywords.") },
  { "READ-ONLY",      N_("The folder is open read-only: flags cannot change and nothing can be expunged.") },
  { "READ-WRITE",     N_("The folder is open for changes.") },
  { "TRYCREATE",      N_("The target folder does not exist; the client could CREATE it and try again.") },
  { "UIDNEXT",        N_("The UID the next new message will get. If it grew since last time, there is new mail.") },
  { "UIDVALIDITY",    N_("A number that must match the one the client saw before; if it changed, every UID the client remembered is void and it must download the list again.") },
  { "UNSEEN",         N_("The number of the first message without \\Seen (IMAP4rev1).") },
  { "APPENDUID",      N_("The UIDVALIDITY and the UID the server gave the message just appended (RFC 4315).") },
  { "COPYUID",        N_("Which new UIDs the copied or moved messages got in the target folder (RFC 4315).") },
  { "UIDNOTSTICKY",   N_("This folder cannot keep UIDs from one session to the next.") },
  { "CLOSED",         N_("The previously open folder is now closed (sent when a new SELECT replaces it).") },
  { "HIGHESTMODSEQ",  N_("The folder's modification counter (RFC 7162): a client that remembers it can ask for only what changed since.") },
  { "NOMODSEQ",       N_("This folder does not keep modification counters.") },
  { "ALREADYEXISTS",  N_("A folder with that name already exists (RFC 5530).") },
  { "NONEXISTENT",    N_("The folder or message does not exist (RFC 5530).") },
  { "AUTHENTICATIONFAILED", N_("Wrong name or password (RFC 5530).") },
  { "AUTHORIZATIONFAILED",  N_("The login worked but this user may not act as the requested identity (RFC 5530).") },
  { "EXPIRED",        N_("The password or account has expired (RFC 5530).") },
  { "PRIVACYREQUIRED",N_("The server refuses this without TLS (RFC 5530).") },
  { "CONTACTADMIN",   N_("The user should contact the administrator (RFC 5530).") },
  { "NOPERM",         N_("The user has no permission for this folder or action (RFC 5530).") },
  { "INUSE",          N_("Someone else is using the resource; try again later (RFC 5530).") },
  { "EXPUNGEISSUED",  N_("Another session removed messages while this command ran (RFC 5530).") },
  { "CORRUPTION",     N_("The server found damaged data (RFC 5530).") },
  { "SERVERBUG",      N_("The server hit an internal error (RFC 5530).") },
  { "CLIENTBUG",      N_("The server thinks the client did something wrong, though the command worked (RFC 5530).") },
  { "CANNOT",         N_("The server can never do this, for example a forbidden folder name (RFC 5530).") },
  { "LIMIT",          N_("A server limit was reached, such as too many messages in one command (RFC 5530).") },
  { "OVERQUOTA",      N_("The user's storage quota is full (RFC 5530).") },
  { "UNAVAILABLE",    N_("A resource the server needs is temporarily unavailable (RFC 5530).") },
};

/* ---- SMTP: RFC 5321, submission RFC 6409, STARTTLS RFC 3207, AUTH RFC
 * 4954, CHUNKING RFC 3030 ---- */
static const Entry smtp_commands[] = {
  { "HELO", N_("Says hello and names the client's host. The old greeting, without extensions.") },
  { "EHLO", N_("Says hello and asks for the server's extensions (STARTTLS, AUTH, SIZE…), one per reply line.") },
  { "MAIL", N_("MAIL FROM: starts a new message and gives the return address, where bounces go.") },
  { "RCPT", N_("RCPT TO: names one recipient. Repeated for each recipient.") },
  { "DATA", N_("Announces the message itself. After reply 354 the client sends headers and body, ending with a line holding a single dot.") },
  { "BDAT", N_("Sends the message in chunks of a stated size instead of DATA (RFC 3030).") },
  { "RSET", N_("Abandons the message being sent; the connection stays open.") },
  { "NOOP", N_("Does nothing; the server answers 250.") },
  { "QUIT", N_("Ends the session; the server answers 221 and closes the connection.") },
  { "VRFY", N_("Asks whether an address exists. Most servers do not say, to keep addresses private.") },
  { "EXPN", N_("Asks for the members of a mailing list. Usually refused for privacy.") },
  { "HELP", N_("Asks the server for help text.") },
  { "STARTTLS", N_("Asks to switch this connection to TLS (RFC 3207); after 220 the TLS handshake starts.") },
  { "AUTH", N_("Logs in with a SASL mechanism, which mail submission (port 587) requires before accepting mail (RFC 4954).") },
};

static const Entry smtp_responses[] = {
  { "211", N_("System status.") },
  { "214", N_("Help text.") },
  { "220", N_("The server is ready (the greeting), or ready to start TLS after STARTTLS.") },
  { "221", N_("The server is closing the connection.") },
  { "235", N_("Login succeeded (RFC 4954).") },
  { "250", N_("The command worked. After the final dot of DATA it means the server has taken responsibility for delivering the message.") },
  { "251", N_("The user is not local; the server will forward the message.") },
  { "252", N_("The server cannot check the address but will try to deliver.") },
  { "334", N_("A SASL challenge during AUTH: the server waits for the next line.") },
  { "354", N_("Go ahead: send the message, ending with a line holding a single dot.") },
  { "421", N_("The service is not available and the connection is closing; try later.") },
  { "450", N_("The mailbox is busy or unavailable for now; try later.") },
  { "451", N_("Local error while processing; try later.") },
  { "452", N_("Not enough storage, or too many recipients; try later.") },
  { "454", N_("TLS or authentication is temporarily unavailable.") },
  { "455", N_("The server cannot accept these parameters right now.") },
  { "500", N_("Command not recognised (syntax error).") },
  { "501", N_("Syntax error in the arguments.") },
  { "502", N_("Command not implemented.") },
  { "503", N_("Bad sequence of commands, for example RCPT before MAIL.") },
  { "504", N_("Command parameter not implemented.") },
  { "530", N_("Login (or TLS) is required first.") },
  { "534", N_("The chosen login method is too weak.") },
  { "535", N_("Login failed: wrong name or password.") },
  { "538", N_("This login method needs TLS first.") },
  { "550", N_("Refused: the mailbox does not exist or is not allowed; do not retry.") },
  { "551", N_("The user is not local; the reply says where to try.") },
  { "552", N_("Refused: storage allocation exceeded (message too big).") },
  { "553", N_("Refused: the mailbox name is not allowed.") },
  { "554", N_("The transaction failed (often: refused as spam or by policy).") },
  { "555", N_("MAIL FROM or RCPT TO parameters not recognised.") },
};

typedef struct
{
  const char  *protocol;
  const Entry *commands;
  gsize        n_commands;
  const Entry *responses;
  gsize        n_responses;
  const Entry *codes;
  gsize        n_codes;
} Protocol;

static const Protocol protocols[] = {
  { "pop3", pop3_commands, G_N_ELEMENTS (pop3_commands), pop3_responses, G_N_ELEMENTS (pop3_responses), pop3_codes, G_N_ELEMENTS (pop3_codes) },
  { "imap", imap_commands, G_N_ELEMENTS (imap_commands), imap_responses, G_N_ELEMENTS (imap_responses), imap_codes, G_N_ELEMENTS (imap_codes) },
  { "smtp", smtp_commands, G_N_ELEMENTS (smtp_commands), smtp_responses, G_N_ELEMENTS (smtp_responses), NULL, 0 },
};

static const Protocol *
find_protocol (const char *protocol)
{
  if (protocol == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (g_ascii_strcasecmp (protocols[i].protocol, protocol) == 0)
      return &protocols[i];
  return NULL;
}

static const char *
lookup (const Entry *table,
        gsize        n,
        const char  *name)
{
  if (table == NULL || name == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (table[i].name, name) == 0)
      return _(table[i].text);
  return NULL;
}

const char *
ms_explain_command (const char *protocol,
                    const char *name)
{
  const Protocol *p = find_protocol (protocol);

  g_return_val_if_fail (name != NULL, NULL);
  return p ? lookup (p->commands, p->n_commands, name) : NULL;
}

const char *
ms_explain_response (const char *protocol,
                     const char *name)
{
  const Protocol *p = find_protocol (protocol);

  g_return_val_if_fail (name != NULL, NULL);
  return p ? lookup (p->responses, p->n_responses, name) : NULL;
}

const char *
ms_explain_response_code (const char *protocol,
                          const char *code)
{
  const Protocol *p = find_protocol (protocol);

  g_return_val_if_fail (code != NULL, NULL);
  return p ? lookup (p->codes, p->n_codes, code) : NULL;
}

static const char * const *
list_names (const Entry *table,
            gsize        n)
{
  /* Built once per table and kept: the tables never change. */
  const char **names = g_new0 (const char *, n + 1);

  for (gsize i = 0; i < n; i++)
    names[i] = table[i].name;
  return names;
}

#define DEFINE_LISTER(func, field, n_field)                                  \
const char * const *                                                         \
func (const char *protocol)                                                  \
{                                                                            \
  static const char * const *cache[G_N_ELEMENTS (protocols)];               \
  const Protocol *p = find_protocol (protocol);                              \
  guint i;                                                                   \
  if (p == NULL)                                                             \
    return NULL;                                                             \
  i = p - protocols;                                                         \
  if (g_once_init_enter (&cache[i]))                                         \
    g_once_init_leave (&cache[i], list_names (p->field, p->n_field));        \
  return cache[i];                                                           \
}

DEFINE_LISTER (ms_explain_list_commands, commands, n_commands)
DEFINE_LISTER (ms_explain_list_responses, responses, n_responses)
DEFINE_LISTER (ms_explain_list_codes, codes, n_codes)

/* The first word of @s, upper-cased, into a new string. */
static char *
first_word (const char *s)
{
  const char *end = s;

  while (*end != '\0' && *end != ' ' && *end != '\r' && *end != '\n')
    end++;
  return g_ascii_strup (s, end - s);
}

static char *
bracket_code (const char *line)
{
  const char *open = strchr (line, '[');
  const char *end;

  if (open == NULL)
    return NULL;
  end = open + 1;
  while (*end != '\0' && *end != ']' && *end != ' ')
    end++;
  return g_ascii_strup (open + 1, end - open - 1);
}

static void
append (GString    *out,
        const char *text)
{
  if (text == NULL)
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
}

char *
ms_explain_line (const char *protocol,
                 gboolean    to_server,
                 const char *line)
{
  const Protocol *p = find_protocol (protocol);
  g_autoptr(GString) out = NULL;
  g_autofree char *word = NULL;
  g_autofree char *code = NULL;
  const char *rest = line;

  g_return_val_if_fail (line != NULL, NULL);

  if (p == NULL)
    return NULL;
  out = g_string_new (NULL);

  if (g_str_equal (p->protocol, "imap"))
    {
      /* Skip the tag (or "*"); "+" is a continuation. */
      if (rest[0] != '+')
        {
          const char *space = strchr (rest, ' ');
          gboolean untagged = rest[0] == '*';

          rest = space ? space + 1 : rest + strlen (rest);
          /* "* 3 EXISTS": the number comes first. */
          if (!to_server && untagged && g_ascii_isdigit (rest[0]))
            {
              while (g_ascii_isdigit (*rest))
                rest++;
              while (*rest == ' ')
                rest++;
            }
        }
      word = first_word (rest);
      if (to_server && g_str_equal (word, "UID"))
        {
          const char *space = strchr (rest, ' ');
          g_autofree char *sub = space ? first_word (space + 1) : NULL;

          append (out, ms_explain_command ("imap", "UID"));
          if (sub != NULL)
            append (out, ms_explain_command ("imap", sub));
        }
      else if (to_server)
        append (out, ms_explain_command ("imap", word));
      else
        append (out, ms_explain_response ("imap", word));
    }
  else if (g_str_equal (p->protocol, "smtp") && !to_server)
    {
      g_autofree char *three = g_strndup (rest, 3);
      append (out, ms_explain_response ("smtp", three));
    }
  else
    {
      word = first_word (rest);
      if (to_server)
        append (out, ms_explain_command (p->protocol, word));
      else
        append (out, ms_explain_response (p->protocol, word));
    }

  code = !to_server ? bracket_code (line) : NULL;
  if (code != NULL)
    append (out, ms_explain_response_code (p->protocol, code));

  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parser works in two phases. Framing, fed byte by byte and resumable at
 * any byte, finds where a command ends: lines end at LF, a line that ends in
 * {n} or {n+} announces a literal of n octets that is copied aside, and the
 * command goes on after it. Only framing needs to know about limits on input
 * that has not arrived yet, and only framing decides when the client waits
 * for "+". Once a whole command is framed, a plain recursive pass turns the
 * text and the literals into the argument tree. */
#define G_LOG_DOMAIN "ms-imap"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-imap-parser.h"

typedef enum {
  FRAME_LINE,
  FRAME_LITERAL,
  FRAME_SKIP_LITERAL,
  FRAME_SKIP_LINE,
} FrameState;

struct _MsImapParser
{
  FrameState  state;
  GByteArray *text;          /* the command outside literals; "{n}\r\n" marks a literal */
  gsize       segment_start; /* where the current line began inside text */
  GPtrArray  *literals;      /* of GByteArray */
  gsize       literal_remaining;
  gsize       literal_limit;
  gboolean    bad_char;
  gboolean    too_long;
  gboolean    bad_literal;

  MsImapCommand *command;
  char       *error_tag;
  char       *error;
  char       *error_code;
  gboolean    error_fatal;
};

MsImapParser *
ms_imap_parser_new (void)
{
  MsImapParser *self = g_new0 (MsImapParser, 1);

  self->text = g_byte_array_new ();
  self->literals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  self->literal_limit = MS_LIMIT_MESSAGE_SIZE;
  return self;
}

static void
clear_error (MsImapParser *self)
{
  g_clear_pointer (&self->error_tag, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->error_code, g_free);
  self->error_fatal = FALSE;
}

static void
start_command (MsImapParser *self)
{
  g_byte_array_set_size (self->text, 0);
  g_ptr_array_set_size (self->literals, 0);
  self->segment_start = 0;
  self->literal_remaining = 0;
  self->bad_char = FALSE;
  self->too_long = FALSE;
  self->bad_literal = FALSE;
}

void
ms_imap_parser_reset (MsImapParser *self)
{
  g_return_if_fail (self != NULL);
  start_command (self);
  clear_error (self);
  g_clear_pointer (&self->command, ms_imap_command_free);
  self->state = FRAME_LINE;
}

void
ms_imap_parser_free (MsImapParser *self)
{
  if (self == NULL)
    return;
  ms_imap_parser_reset (self);
  g_byte_array_unref (self->text);
  g_ptr_array_unref (self->literals);
  g_free (self);
}

void
ms_imap_parser_set_literal_limit (MsImapParser *self,
                                  gsize         limit)
{
  g_return_if_fail (self != NULL);
  self->literal_limit = limit;
}

void
ms_imap_arg_free (MsImapArg *arg)
{
  if (arg == NULL)
    return;
  g_free (arg->str);
  if (arg->list)
    g_ptr_array_unref (arg->list);
  g_free (arg);
}

void
ms_imap_command_free (MsImapCommand *command)
{
  if (command == NULL)
    return;
  g_free (command->tag);
  g_free (command->name);
  g_free (command->text);
  if (command->args)
    g_ptr_array_unref (command->args);
  g_free (command);
}

gboolean
ms_imap_arg_is_string (const MsImapArg *arg)
{
  return arg != NULL && arg->type != MS_IMAP_ARG_LIST;
}

gboolean
ms_imap_arg_is_atom (const MsImapArg *arg,
                     const char      *word)
{
  return arg != NULL && (arg->type == MS_IMAP_ARG_ATOM || arg->type == MS_IMAP_ARG_NIL) &&
         g_ascii_strcasecmp (arg->str, word) == 0;
}

/* The tag is what comes before the first space, if it looks like a tag. */
static char *
peek_tag (MsImapParser *self)
{
  gsize n = 0;

  while (n < self->text->len && n < 64 && self->text->data[n] != ' ' &&
         self->text->data[n] > 0x20 && self->text->data[n] < 0x7f &&
         strchr ("(){%*\"\\+", self->text->data[n]) == NULL)
    n++;
  if (n == 0 || n >= self->text->len || self->text->data[n] != ' ')
    return NULL;
  return g_strndup ((const char *) self->text->data, n);
}

static MsImapParseResult
set_error (MsImapParser *self,
           const char   *code,
           gboolean      fatal,
           const char   *message)
{
  clear_error (self);
  self->error_tag = peek_tag (self);
  self->error = g_strdup (message);
  self->error_code = g_strdup (code);
  self->error_fatal = fatal;
  return MS_IMAP_PARSE_ERROR;
}

/* --- Phase two: the argument tree ------------------------------------- */

typedef struct
{
  const char *p;
  const char *end;
  GPtrArray  *literals;
  guint       next_literal;
  guint       n_args;
  const char *error;
} Lexer;

static MsImapArg *
new_arg (MsImapArgType type,
         const char   *str,
         gsize         len)
{
  MsImapArg *arg = g_new0 (MsImapArg, 1);

  arg->type = type;
  arg->str = g_strndup (str ? str : "", len);
  arg->len = len;
  return arg;
}

static gboolean
is_atom_stop (char c)
{
  return c == ' ' || c == '(' || c == ')' || c == '"' || c == '{' || c == '\r';
}

static MsImapArg *
lex_atom (Lexer *lx)
{
  const char *start = lx->p;
  MsImapArg *arg;

  while (lx->p < lx->end && !is_atom_stop (*lx->p))
    {
      if (*lx->p == '[')
        {
          /* A section: keep everything up to the closing bracket. */
          const char *close = memchr (lx->p, ']', lx->end - lx->p);

          if (close == NULL)
            {
              lx->error = "Missing ']' in a section";
              return NULL;
            }
          lx->p = close + 1;
          continue;
        }
      if ((guchar) *lx->p >= 0x80)
        {
          /* ATOM-CHAR is 7-bit; 8-bit text belongs in a quoted string or literal. */
          lx->error = "8-bit characters are not allowed in atoms";
          return NULL;
        }
      lx->p++;
    }
  if (lx->p == start)
    {
      lx->error = "Unexpected character";
      return NULL;
    }
  if ((gsize) (lx->p - start) == 3 && g_ascii_strncasecmp (start, "NIL", 3) == 0)
    return new_arg (MS_IMAP_ARG_NIL, start, 3);
  arg = new_arg (MS_IMAP_ARG_ATOM, start, lx->p - start);
  return arg;
}

static MsImapArg *
lex_quoted (Lexer *lx)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_assert (*lx->p == '"');
  lx->p++;
  while (lx->p < lx->end && *lx->p != '"')
    {
      if (*lx->p == '\r' || *lx->p == '\n')
        break;
      if (*lx->p == '\\')
        {
          lx->p++;
          if (lx->p >= lx->end || (*lx->p != '\\' && *lx->p != '"'))
            {
              lx->error = "Bad escape in a quoted string";
              return NULL;
            }
        }
      g_string_append_c (s, *lx->p);
      lx->p++;
    }
  if (lx->p >= lx->end || *lx->p != '"')
    {
      lx->error = "Missing '\"'";
      return NULL;
    }
  lx->p++;
  return new_arg (MS_IMAP_ARG_STRING, s->str, s->len);
}

static MsImapArg *
lex_literal (Lexer *lx)
{
  GByteArray *data;
  MsImapArg *arg;

  const char *q = lx->p + 1;

  /* Framing put "{n}\r\n" or "{n+}\r\n" where a literal was; a '{'
   * anywhere else is a syntax error. */
  while (q < lx->end && g_ascii_isdigit (*q))
    q++;
  if (q < lx->end && *q == '+')
    q++;
  if (q == lx->p + 1 || lx->end - q < 3 || memcmp (q, "}\r\n", 3) != 0 ||
      lx->next_literal >= lx->literals->len)
    {
      lx->error = "Bad literal";
      return NULL;
    }
  lx->p = q + 3;
  data = g_ptr_array_index (lx->literals, lx->next_literal++);
  arg = new_arg (MS_IMAP_ARG_LITERAL, (const char *) data->data, data->len);
  return arg;
}

static gboolean
lex_args (Lexer     *lx,
          GPtrArray *into,
          guint      depth)
{
  while (lx->p < lx->end)
    {
      MsImapArg *arg = NULL;

      if (*lx->p == ' ')
        {
          lx->p++;
          continue;
        }
      if (++lx->n_args > MS_IMAP_LIMIT_ARGS)
        {
          lx->error = "Too many arguments";
          return FALSE;
        }
      switch (*lx->p)
        {
        case ')':
          if (depth == 0)
            {
              lx->error = "Unexpected ')'";
              return FALSE;
            }
          lx->p++;
          return TRUE;
        case '(':
          if (depth + 1 > MS_IMAP_LIMIT_NESTING)
            {
              lx->error = "Lists nested too deeply";
              return FALSE;
            }
          lx->p++;
          arg = new_arg (MS_IMAP_ARG_LIST, NULL, 0);
          arg->list = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_imap_arg_free);
          g_ptr_array_add (into, arg);
          if (!lex_args (lx, arg->list, depth + 1))
            return FALSE;
          continue;
        case '"':
          arg = lex_quoted (lx);
          break;
        case '{':
          arg = lex_literal (lx);
          break;
        default:
          arg = lex_atom (lx);
          break;
        }
      if (arg == NULL)
        return FALSE;
      g_ptr_array_add (into, arg);
    }
  if (depth > 0)
    {
      lx->error = "Missing ')'";
      return FALSE;
    }
  return TRUE;
}

static char *
command_text (MsImapParser *self)
{
  GString *s = g_string_sized_new (self->text->len);

  for (gsize i = 0; i < self->text->len; i++)
    {
      char c = self->text->data[i];

      if (c == '\r' && i + 1 < self->text->len && self->text->data[i + 1] == '\n')
        {
          g_string_append (s, "...");
          i++;
          continue;
        }
      g_string_append_c (s, c);
    }
  return g_string_free (s, FALSE);
}

static MsImapParseResult
finish_command (MsImapParser *self)
{
  const char *data = (const char *) self->text->data;
  gsize len = self->text->len;
  const char *sp, *name_end;
  Lexer lx = { 0 };
  g_autoptr(MsImapCommand) command = g_new0 (MsImapCommand, 1);

  if (self->too_long)
    return set_error (self, "TOOBIG", FALSE, "Command line too long");
  if (self->bad_char)
    return set_error (self, NULL, FALSE, "Control characters are not allowed in commands");
  if (self->bad_literal)
    return set_error (self, NULL, FALSE, "NUL octets are not allowed in literals");

  command->tag = peek_tag (self);
  if (command->tag == NULL)
    return set_error (self, NULL, FALSE, "Missing or invalid tag");
  sp = data + strlen (command->tag);
  g_assert (*sp == ' ');
  sp++;
  name_end = sp;
  while (name_end < data + len && g_ascii_isalnum (*name_end))
    name_end++;
  if (name_end == sp || (name_end < data + len && *name_end != ' '))
    return set_error (self, NULL, FALSE, "Missing or invalid command name");
  command->name = g_ascii_strup (sp, name_end - sp);
  command->args = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_imap_arg_free);

  lx.p = name_end;
  lx.end = data + len;
  lx.literals = self->literals;
  if (!lex_args (&lx, command->args, 0))
    return set_error (self, NULL, FALSE, lx.error);

  command->text = command_text (self);
  g_clear_pointer (&self->command, ms_imap_command_free);
  self->command = g_steal_pointer (&command);
  return MS_IMAP_PARSE_READY;
}

/* --- Phase one: framing ------------------------------------------------ */

/* Does the current line end in {n} or {n+}? */
static gboolean
line_literal (MsImapParser *self,
              guint64      *size,
              gboolean     *nonsync)
{
  gsize len = self->text->len - self->segment_start;
  const guint8 *seg;
  gsize i;
  guint64 n = 0;

  /* Test the length before touching the data: an empty GByteArray may have
   * no buffer at all, and NULL + 0 is undefined behaviour. */
  if (len < 3)
    return FALSE;
  seg = self->text->data + self->segment_start;
  if (seg[len - 1] != '}')
    return FALSE;
  i = len - 1;
  *nonsync = seg[i - 1] == '+';
  if (*nonsync)
    i--;
  if (i == 0)
    return FALSE;
  gsize digits_end = i;
  while (i > 0 && g_ascii_isdigit (seg[i - 1]))
    i--;
  if (i == digits_end || i == 0 || seg[i - 1] != '{')
    return FALSE;
  /* A size past 64 bits is still a literal, just one too big for any
   * limit: taking it for plain text would let the client's literal data
   * run as commands. */
  for (gsize k = i; k < digits_end; k++)
    n = n > (G_MAXUINT64 - 9) / 10 ? G_MAXUINT64 : n * 10 + (guint64) (seg[k] - '0');
  *size = n;
  return TRUE;
}

static MsImapParseResult
end_of_line (MsImapParser *self)
{
  guint64 size;
  gboolean nonsync;

  if (self->text->len > self->segment_start && self->text->data[self->text->len - 1] == '\r')
    g_byte_array_set_size (self->text, self->text->len - 1);

  if (!self->too_long && !self->bad_char && line_literal (self, &size, &nonsync))
    {
      if (nonsync && size > MS_IMAP_LIMIT_NONSYNC_LITERAL)
        {
          MsImapParseResult r;

          if (size > self->literal_limit)
            return set_error (self, "TOOBIG", TRUE, "Literal too big");
          r = set_error (self, "TOOBIG", FALSE,
                         "Non-synchronizing literals are limited to 4096 octets (LITERAL-)");
          self->literal_remaining = size;
          self->state = FRAME_SKIP_LITERAL;
          return r;
        }
      if (size > self->literal_limit)
        {
          /* No "+" was sent, so the client sends no literal: start afresh. */
          MsImapParseResult r = set_error (self, "TOOBIG", FALSE, "Literal too big");
          start_command (self);
          return r;
        }
      g_byte_array_append (self->text, (const guint8 *) "\r\n", 2);
      g_ptr_array_add (self->literals, g_byte_array_sized_new (MIN (size, 65536)));
      self->literal_remaining = size;
      self->state = FRAME_LITERAL;
      return nonsync ? MS_IMAP_PARSE_NEED_MORE : MS_IMAP_PARSE_CONTINUE;
    }

  if (self->text->len == 0 && !self->too_long && !self->bad_char)
    return MS_IMAP_PARSE_NEED_MORE;   /* an empty line: nothing to do */
  {
    MsImapParseResult r = finish_command (self);
    start_command (self);
    return r;
  }
}

MsImapParseResult
ms_imap_parser_feed (MsImapParser *self,
                     const guint8 *data,
                     gsize         len,
                     gsize        *consumed)
{
  gsize i = 0;
  MsImapParseResult result = MS_IMAP_PARSE_NEED_MORE;

  g_return_val_if_fail (self != NULL, MS_IMAP_PARSE_ERROR);
  g_return_val_if_fail (data != NULL || len == 0, MS_IMAP_PARSE_ERROR);

  if (self->state == FRAME_LINE && self->text->len == 0)
    clear_error (self);

  while (i < len && result == MS_IMAP_PARSE_NEED_MORE)
    {
      switch (self->state)
        {
        case FRAME_LITERAL:
          {
            gsize n = MIN (len - i, self->literal_remaining);
            GByteArray *lit = g_ptr_array_index (self->literals, self->literals->len - 1);

            if (memchr (data + i, '\0', n) != NULL)
              self->bad_literal = TRUE;
            g_byte_array_append (lit, data + i, n);
            i += n;
            self->literal_remaining -= n;
            if (self->literal_remaining == 0)
              {
                self->state = FRAME_LINE;
                self->segment_start = self->text->len;
              }
          }
          break;

        case FRAME_SKIP_LITERAL:
          {
            gsize n = MIN (len - i, self->literal_remaining);

            i += n;
            self->literal_remaining -= n;
            if (self->literal_remaining == 0)
              self->state = FRAME_SKIP_LINE;
          }
          break;

        case FRAME_SKIP_LINE:
          {
            const guint8 *lf = memchr (data + i, '\n', len - i);

            if (lf == NULL)
              i = len;
            else
              {
                i = lf - data + 1;
                start_command (self);
                self->state = FRAME_LINE;
              }
          }
          break;

        case FRAME_LINE:
          {
            guint8 c = data[i++];

            if (c == '\n')
              {
                result = end_of_line (self);
                break;
              }
            if (self->text->len > self->segment_start &&
                self->text->data[self->text->len - 1] == '\r')
              self->bad_char = TRUE;   /* a CR not followed by LF */
            if ((c < 0x20 && c != '\r') || c == 0x7f)
              {
                self->bad_char = TRUE;
                continue;
              }
            if (self->text->len >= MS_IMAP_LIMIT_LINE)
              {
                self->too_long = TRUE;
                continue;
              }
            g_byte_array_append (self->text, &c, 1);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (consumed)
    *consumed = i;
  return result;
}

MsImapCommand *
ms_imap_parser_take_command (MsImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_steal_pointer (&self->command);
}

const char *
ms_imap_parser_get_error_tag (MsImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error_tag;
}

const char *
ms_imap_parser_get_error (MsImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error;
}

const char *
ms_imap_parser_get_error_code (MsImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error_code;
}

gboolean
ms_imap_parser_get_error_fatal (MsImapParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->error_fatal;
}

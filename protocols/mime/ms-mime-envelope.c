/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ENVELOPE (RFC 3501 section 7.4.2). Values are the raw header values, not
 * RFC 2047 decoded (a client decodes them), exactly as Dovecot gives them:
 * for Date, Subject, In-Reply-To and Message-ID the last such field counts,
 * address fields of the same name are joined into one list, and addresses
 * that do not parse are kept with MISSING_MAILBOX / MISSING_DOMAIN, so a
 * client sees that something was there. */
#define G_LOG_DOMAIN "ms-mime"
#include "config.h"

#include <string.h>

#include "ms-limits.h"
#include "ms-mime-private.h"

typedef struct {
  char *name;      /* NULL: NIL */
  char *route;
  char *mailbox;
  char *domain;    /* NULL with mailbox set: start of a group; all NULL: its end */
} Address;

typedef struct {
  MsRfc822  ctx;
  GString  *str;
  GString  *comment;
  GArray   *out;    /* Address */
  Address   addr;
  gboolean  invalid;
} AddressParser;

static void
address_clear (gpointer data)
{
  Address *a = data;

  g_free (a->name);
  g_free (a->route);
  g_free (a->mailbox);
  g_free (a->domain);
}

static void
push (AddressParser *ap)
{
  g_array_append_val (ap->out, ap->addr);
  memset (&ap->addr, 0, sizeof ap->addr);
}

static void
push_fixed (AddressParser *ap)
{
  if (ap->addr.mailbox == NULL)
    ap->addr.mailbox = g_strdup ("MISSING_MAILBOX");
  if (ap->addr.domain == NULL || ap->addr.domain[0] == '\0')
    {
      g_free (ap->addr.domain);
      ap->addr.domain = g_strdup ("MISSING_DOMAIN");
    }
  push (ap);
}

static int
local_part (AddressParser *ap)
{
  int ret;

  g_string_truncate (ap->str, 0);
  if (*ap->ctx.data == '"')
    ret = ms_rfc822_quoted_string (&ap->ctx, ap->str);
  else
    ret = ms_rfc822_dot_atom (&ap->ctx, ap->str);
  if (ret < 0)
    return -1;
  g_free (ap->addr.mailbox);
  ap->addr.mailbox = g_strdup (ap->str->str);
  return ret;
}

static int
domain (AddressParser *ap)
{
  int ret;

  g_string_truncate (ap->str, 0);
  if ((ret = ms_rfc822_domain (&ap->ctx, ap->str)) < 0)
    return -1;
  g_free (ap->addr.domain);
  ap->addr.domain = g_strdup (ap->str->str);
  return ret;
}

/* obs-route: "@a,@b:" before the mailbox inside angle brackets. */
static int
domain_list (AddressParser *ap)
{
  int ret;
  g_autoptr(GString) route = g_string_new (NULL);

  for (;;)
    {
      if (ap->ctx.data >= ap->ctx.end)
        return 0;
      if (*ap->ctx.data != '@')
        break;
      if (route->len > 0)
        g_string_append_c (route, ',');
      g_string_append_c (route, '@');
      if ((ret = ms_rfc822_domain (&ap->ctx, route)) <= 0)
        return ret;
      while (ms_rfc822_skip_lwsp (&ap->ctx) > 0 && *ap->ctx.data == ',')
        ap->ctx.data++;
    }
  g_free (ap->addr.route);
  ap->addr.route = g_string_free (g_steal_pointer (&route), FALSE);
  return 1;
}

static int
angle_addr (AddressParser *ap)
{
  g_assert (*ap->ctx.data == '<');
  ap->ctx.data++;
  if (ms_rfc822_skip_lwsp (&ap->ctx) <= 0)
    return -1;
  if (*ap->ctx.data == '@')
    {
      if (domain_list (ap) > 0 && *ap->ctx.data == ':')
        ap->ctx.data++;
      else
        {
          /* A broken route is marked, and the address read anyway. */
          g_free (ap->addr.route);
          ap->addr.route = g_strdup ("INVALID_ROUTE");
          if (ap->ctx.data >= ap->ctx.end)
            return -1;
        }
      if (ms_rfc822_skip_lwsp (&ap->ctx) <= 0)
        return -1;
    }
  if (*ap->ctx.data != '>')
    {
      /* (<> has no mailbox: it is shown as MISSING_MAILBOX.) */
      if (local_part (ap) <= 0)
        return -1;
      if (*ap->ctx.data == '@')
        {
          if (domain (ap) <= 0)
            return -1;
        }
    }
  if (*ap->ctx.data != '>')
    return -1;
  ap->ctx.data++;
  return ms_rfc822_skip_lwsp (&ap->ctx);
}

static int
name_addr (AddressParser *ap)
{
  g_string_truncate (ap->str, 0);
  if (ms_rfc822_phrase (&ap->ctx, ap->str) <= 0 || *ap->ctx.data != '<')
    return -1;
  g_free (ap->addr.name);
  /* "<address>" with no display name, or "" as the name: NIL. */
  ap->addr.name = ap->str->len > 0 ? g_strdup (ap->str->str) : NULL;
  if (angle_addr (ap) < 0)
    {
      g_free (ap->addr.domain);
      ap->addr.domain = g_strdup ("SYNTAX_ERROR");
    }
  return ap->ctx.data < ap->ctx.end ? 1 : 0;
}

static int
addr_spec (AddressParser *ap)
{
  gboolean quoted;
  gboolean tried_domain = FALSE;
  int ret, ret2;

  g_string_truncate (ap->comment, 0);
  if (ap->ctx.data >= ap->ctx.end)
    {
      ap->invalid = TRUE;
      return 0;
    }
  quoted = *ap->ctx.data == '"';
  ret = local_part (ap);
  if (ret <= 0)
    ap->invalid = TRUE;
  if (ret != 0 && ap->ctx.data < ap->ctx.end && *ap->ctx.data == '@')
    {
      tried_domain = TRUE;
      ret2 = domain (ap);
      if (ret2 <= 0)
        ret = ret2;
    }
  if (ap->comment->len > 0)
    {
      /* "user@host (Real Name)": the comment serves as the name. */
      g_free (ap->addr.name);
      ap->addr.name = g_strdup (ap->comment->str);
    }
  else if (!tried_domain)
    {
      /* A lone word is a mailbox without a domain; words after it make
       * the whole a display name without an address. */
      gsize before;

      g_string_append_c (ap->str, ' ');
      before = ap->str->len;
      if (ap->ctx.data < ap->ctx.end)
        ms_rfc822_phrase (&ap->ctx, ap->str);
      if (ap->str->len != before)
        {
          g_clear_pointer (&ap->addr.mailbox, g_free);
          g_free (ap->addr.name);
          ap->addr.name = g_strdup (ap->str->str);
        }
      else if (!quoted)
        {
          g_free (ap->addr.domain);
          ap->addr.domain = g_strdup ("");
        }
      ap->invalid = TRUE;
      ret = -1;
    }
  return ret;
}

static int
mailbox (AddressParser *ap)
{
  const guint8 *start = ap->ctx.data;
  int ret;

  if ((ret = name_addr (ap)) < 0)
    {
      address_clear (&ap->addr);
      memset (&ap->addr, 0, sizeof ap->addr);
      ap->ctx.data = start;
      ap->invalid = FALSE;
      ret = addr_spec (ap);
      /* A quoted word alone is taken as a name. */
      if (ap->invalid && ap->addr.name == NULL && ap->addr.mailbox != NULL && ap->addr.domain == NULL)
        {
          ap->addr.name = ap->addr.mailbox;
          ap->addr.mailbox = NULL;
        }
    }
  push_fixed (ap);
  return ret;
}

static int
group (AddressParser *ap)
{
  int ret;

  g_string_truncate (ap->str, 0);
  if (ms_rfc822_phrase (&ap->ctx, ap->str) <= 0 || *ap->ctx.data != ':')
    return -1;
  /* From here on it is a group, whatever follows. */
  ap->ctx.data++;
  ret = ms_rfc822_skip_lwsp (&ap->ctx);
  ap->addr.mailbox = g_strdup (ap->str->str);
  push (ap);

  if (ret > 0 && *ap->ctx.data != ';')
    {
      for (;;)
        {
          /* A broken mailbox does not end the group. */
          mailbox (ap);
          if (ap->ctx.data >= ap->ctx.end || *ap->ctx.data != ',')
            break;
          ap->ctx.data++;
          if (ms_rfc822_skip_lwsp (&ap->ctx) <= 0)
            {
              ret = -1;
              break;
            }
        }
    }
  if (ret >= 0)
    {
      if (ap->ctx.data >= ap->ctx.end || *ap->ctx.data != ';')
        ret = -1;
      else
        {
          ap->ctx.data++;
          ret = ms_rfc822_skip_lwsp (&ap->ctx);
        }
    }
  push (ap);   /* the end of the group: all NIL */
  return ret == 0 ? 0 : 1;
}

static int
address (AddressParser *ap)
{
  const guint8 *start = ap->ctx.data;
  int ret;

  if ((ret = group (ap)) < 0)
    {
      address_clear (&ap->addr);
      memset (&ap->addr, 0, sizeof ap->addr);
      ap->ctx.data = start;
      ret = mailbox (ap);
    }
  return ret;
}

static void
parse_address_list (GArray     *out,
                    const char *value,
                    gsize       len)
{
  AddressParser ap = { 0 };
  int ret;

  ap.str = g_string_new (NULL);
  ap.comment = g_string_new (NULL);
  ap.out = out;
  ms_rfc822_init (&ap.ctx, (const guint8 *) value, len, ap.comment);
  if (ms_rfc822_skip_lwsp (&ap.ctx) > 0)
    {
      for (;;)
        {
          if (address (&ap) == 0)
            break;
          if (ap.ctx.data >= ap.ctx.end || *ap.ctx.data != ',')
            break;
          ap.ctx.data++;
          if ((ret = ms_rfc822_skip_lwsp (&ap.ctx)) <= 0)
            {
              if (ret < 0)
                push_fixed (&ap);   /* trailing garbage */
              break;
            }
        }
    }
  address_clear (&ap.addr);
  g_string_free (ap.str, TRUE);
  g_string_free (ap.comment, TRUE);
}

static void
write_addresses (GString *out,
                 GArray  *list)
{
  if (list == NULL || list->len == 0)
    {
      g_string_append (out, "NIL");
      return;
    }
  g_string_append_c (out, '(');
  for (guint i = 0; i < list->len; i++)
    {
      Address *a = &g_array_index (list, Address, i);

      g_string_append_c (out, '(');
      if (a->name == NULL)
        g_string_append (out, "NIL");
      else
        ms_imap_append_for_humans (out, a->name, strlen (a->name));
      g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, a->route, a->route ? strlen (a->route) : 0);
      g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, a->mailbox, a->mailbox ? strlen (a->mailbox) : 0);
      g_string_append_c (out, ' ');
      ms_imap_append_nstring (out, a->domain, a->domain ? strlen (a->domain) : 0);
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
}

enum { F_DATE, F_SUBJECT, F_FROM, F_SENDER, F_REPLY_TO, F_TO, F_CC, F_BCC, F_IN_REPLY_TO, F_MESSAGE_ID, N_FIELDS };

static const char * const field_names[N_FIELDS] = {
  "Date", "Subject", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "In-Reply-To", "Message-ID",
};

void
ms_mime_write_envelope (GString      *out,
                        const guint8 *data,
                        gsize         hdr_start,
                        gsize         hdr_end)
{
  MsMimeHeaderIter iter;
  GString *strings[N_FIELDS] = { NULL };
  GArray *lists[N_FIELDS] = { NULL };
  g_autoptr(GString) value = g_string_new (NULL);

  ms_mime_header_iter_init (&iter, data, hdr_start, MIN (hdr_end, hdr_start + MS_LIMIT_MIME_HEADER_SIZE));
  while (ms_mime_header_iter_next (&iter))
    {
      guint f;

      for (f = 0; f < N_FIELDS; f++)
        if (ms_mime_header_iter_is (&iter, field_names[f]))
          break;
      if (f == N_FIELDS)
        continue;
      g_string_truncate (value, 0);
      ms_mime_header_iter_value (&iter, value);
      switch (f)
        {
        case F_DATE:
        case F_SUBJECT:
        case F_IN_REPLY_TO:
        case F_MESSAGE_ID:
          if (strings[f] == NULL)
            strings[f] = g_string_new (NULL);
          g_string_truncate (strings[f], 0);
          if (f == F_SUBJECT)
            ms_imap_append_for_humans (strings[f], value->str, value->len);
          else
            ms_imap_append_nstring (strings[f], value->str, value->len);
          break;
        default:
          if (lists[f] == NULL)
            {
              lists[f] = g_array_new (FALSE, TRUE, sizeof (Address));
              g_array_set_clear_func (lists[f], address_clear);
            }
          parse_address_list (lists[f], value->str, value->len);
          break;
        }
    }

  /* Sender and Reply-To default to From (RFC 3501). */
  g_string_append (out, strings[F_DATE] ? strings[F_DATE]->str : "NIL");
  g_string_append_c (out, ' ');
  g_string_append (out, strings[F_SUBJECT] ? strings[F_SUBJECT]->str : "NIL");
  g_string_append_c (out, ' ');
  write_addresses (out, lists[F_FROM]);
  g_string_append_c (out, ' ');
  write_addresses (out, lists[F_SENDER] && lists[F_SENDER]->len ? lists[F_SENDER] : lists[F_FROM]);
  g_string_append_c (out, ' ');
  write_addresses (out, lists[F_REPLY_TO] && lists[F_REPLY_TO]->len ? lists[F_REPLY_TO] : lists[F_FROM]);
  for (guint f = F_TO; f <= F_BCC; f++)
    {
      g_string_append_c (out, ' ');
      write_addresses (out, lists[f]);
    }
  g_string_append_c (out, ' ');
  g_string_append (out, strings[F_IN_REPLY_TO] ? strings[F_IN_REPLY_TO]->str : "NIL");
  g_string_append_c (out, ' ');
  g_string_append (out, strings[F_MESSAGE_ID] ? strings[F_MESSAGE_ID]->str : "NIL");

  for (guint f = 0; f < N_FIELDS; f++)
    {
      if (strings[f])
        g_string_free (strings[f], TRUE);
      if (lists[f])
        g_array_unref (lists[f]);
    }
}

const char *
ms_mime_get_envelope (MsMessage *message)
{
  MsMimeInfo *info;
  const guint8 *data;
  GString *out;

  g_return_val_if_fail (message != NULL, NULL);

  /* Made once per message and kept with its part tree. */
  info = (MsMimeInfo *) ms_mime_get_info (message);
  if (info->answers[MS_MIME_ANSWER_ENVELOPE] != NULL)
    return info->answers[MS_MIME_ANSWER_ENVELOPE];
  data = g_bytes_get_data (ms_message_get_raw (message), NULL);
  if (data == NULL)
    data = (const guint8 *) "";
  out = g_string_new ("(");
  ms_mime_write_envelope (out, data, info->parts[0].hdr_start, info->parts[0].body_start);
  g_string_append_c (out, ')');
  info->answers[MS_MIME_ANSWER_ENVELOPE] = g_string_free (out, FALSE);
  return info->answers[MS_MIME_ANSWER_ENVELOPE];
}

char *
ms_mime_envelope (MsMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return g_strdup (ms_mime_get_envelope (message));
}

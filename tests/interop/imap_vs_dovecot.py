# SPDX-License-Identifier: GPL-3.0-or-later
"""Differential test: `mailscope serve --imap` against Debian's Dovecot.

The same messages (data/mail/sample/*.eml and tests/interop/messages/*.eml,
with CRLF line ends) go into a throwaway Dovecot (dovecot_fixture.py, with the
hierarchy separator set to "/") and into mailscope (APPEND with the same
internal dates, into an empty Maildir). Then one raw command script runs on
both, and the answers are compared response by response: ENVELOPE,
BODYSTRUCTURE, BODY, RFC822.SIZE, INTERNALDATE, BODY sections and partials,
SEARCH with every kind of key, STATUS, LIST and the mailbox commands.

Normalised, because RFC 3501 leaves them to the server: the human text after
a status or response code, the UIDVALIDITY value, \\Recent (which session gets
it is the server's choice), the order of the items inside one FETCH
response, CAPABILITY lines, and runs of spaces.

Exit status: 0 all equal, 1 a difference, 77 Dovecot is not installed.
"""

import glob
import os
import re
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dovecot_fixture  # noqa: E402
from serve_fixture import Serve, temp_dir  # noqa: E402


def normalize_crlf(raw):
    raw = raw.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    return raw.replace(b'\n', b'\r\n')


class RawImap:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=60)
        self.buf = b''
        self.n = 0
        self.readline()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError('connection closed')
        self.buf += data

    def readline(self):
        while b'\r\n' not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line + b'\r\n'

    def read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self):
        """One response, literals included, as bytes."""
        out = b''
        while True:
            line = self.readline()
            out += line
            m = re.search(rb'\{(\d+)\}\r\n$', line)
            if not m:
                return out
            out += self.read_exact(int(m.group(1)))

    def command(self, text, literal=None):
        self.n += 1
        tag = b'x%d' % self.n
        if literal is None:
            self.sock.sendall(tag + b' ' + text + b'\r\n')
        else:
            self.sock.sendall(tag + b' ' + text + b' {%d}\r\n' % len(literal))
            cont = self.readline()
            if not cont.startswith(b'+'):
                raise RuntimeError('no continuation: %r' % cont)
            self.sock.sendall(literal + b'\r\n')
        lines = []
        while True:
            resp = self.response()
            if resp.startswith(tag + b' '):
                return lines, resp[len(tag) + 1:]
            lines.append(resp)


def split_fetch(body):
    """'(A x B (y) C[..] {3}\\r\\nabc)' -> sorted [(name, value)]."""
    items = []
    i = 1
    end = len(body) - 1
    while i < end:
        while i < end and body[i:i + 1] == b' ':
            i += 1
        j = i
        while j < end and body[j:j + 1] not in (b' ',):
            if body[j:j + 1] == b'[':
                j = body.index(b']', j)
            j += 1
        name = body[i:j]
        i = j + 1
        # The value: a literal, a parenthesised list, a quoted string or an atom.
        start = i
        if body[i:i + 1] == b'{':
            close = body.index(b'}', i)
            n = int(body[i + 1:close])
            i = close + 3 + n
        elif body[i:i + 1] == b'(':
            depth = 0
            while True:
                c = body[i:i + 1]
                if c == b'"':
                    i += 1
                    while body[i:i + 1] != b'"':
                        i += 2 if body[i:i + 1] == b'\\' else 1
                elif c == b'{':
                    close = body.index(b'}', i)
                    i = close + 3 + int(body[i + 1:close]) - 1
                elif c == b'(':
                    depth += 1
                elif c == b')':
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
        elif body[i:i + 1] == b'"':
            i += 1
            while body[i:i + 1] != b'"':
                i += 2 if body[i:i + 1] == b'\\' else 1
            i += 1
        else:
            while i < end and body[i:i + 1] != b' ':
                i += 1
        items.append((name.upper(), body[start:i]))
    return sorted(items)


def normalize(resp):
    resp = re.sub(rb' \\Recent\b|\\Recent ?', b'', resp)
    resp = re.sub(rb'^\* \d+ RECENT', b'* n RECENT', resp)
    # Keywords a server lists in FLAGS/PERMANENTFLAGS: Dovecot keeps every
    # keyword ever used in the mailbox, mailscope those on its messages.
    if resp.startswith((b'* FLAGS (', b'* OK [PERMANENTFLAGS (')):
        head, _, rest = resp.partition(b'(')
        flags, _, tail = rest.partition(b')')
        kept = [f for f in flags.split() if f.startswith(b'\\')]
        resp = head + b'(' + b' '.join(kept) + b')' + tail
    m = re.match(rb'\* (\d+) FETCH (\(.*\))\r\n$', resp, re.S)
    if m:
        return ('FETCH', int(m.group(1)), split_fetch(m.group(2)))
    resp = re.sub(rb'UIDVALIDITY \d+', b'UIDVALIDITY V', resp)
    resp = re.sub(rb'(APPENDUID|COPYUID) \d+', rb'\1 V', resp)
    # Keep the status and the response code, not the text.
    m = re.match(rb'(\* )?(OK|NO|BAD|BYE)( \[[^\]]*\])?', resp)
    if m:
        return (m.group(0).decode(),)
    return (re.sub(rb' +', b' ', resp).decode('utf-8', 'replace'),)


def script(n_messages):
    cmds = [
        b'LIST "" "*"',
        b'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)',
        b'EXAMINE INBOX',
        b'FETCH 1:* (UID RFC822.SIZE INTERNALDATE FLAGS)',
        b'FETCH 1:* ENVELOPE',
        b'FETCH 1:* BODYSTRUCTURE',
        b'FETCH 1:* BODY',
        b'FETCH 1:* FAST',
        b'UID FETCH 3:5 (RFC822.SIZE)',
    ]
    for n in range(1, n_messages + 1):
        cmds.append(b'FETCH %d (BODY.PEEK[] BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[1] BODY.PEEK[1.MIME] '
                    b'BODY.PEEK[2] BODY.PEEK[2.1] BODY.PEEK[HEADER.FIELDS (From Subject)] '
                    b'BODY.PEEK[HEADER.FIELDS.NOT (Subject Date)] BODY.PEEK[]<0.64> BODY.PEEK[TEXT]<7.30> '
                    b'BODY.PEEK[1]<2.5> BODY.PEEK[]<1000000.10>)' % n)
        cmds.append(b'FETCH %d (RFC822.HEADER RFC822.TEXT)' % n)
    cmds += [
        b'SEARCH ALL',
        b'SEARCH FROM alice',
        b'SEARCH TO bob',
        b'SEARCH CC example',
        b'SEARCH SUBJECT trip',
        b'SEARCH SUBJECT "re: field"',
        b'SEARCH BODY piano',
        b'SEARCH TEXT lunch',
        b'SEARCH HEADER Message-ID example',
        b'SEARCH HEADER X-Mailer ""',
        b'SEARCH SINCE 5-Jan-2024',
        b'SEARCH BEFORE 5-Jan-2024',
        b'SEARCH ON 6-Jan-2024',
        b'SEARCH SENTSINCE 1-Jul-2025',
        b'SEARCH SENTBEFORE 1-Feb-2025',
        b'SEARCH SENTON 14-Jan-2025',
        b'SEARCH LARGER 2000',
        b'SEARCH SMALLER 1000',
        b'SEARCH NOT LARGER 1500',
        b'SEARCH OR FROM alice SUBJECT lunch',
        b'SEARCH (OR SMALLER 800 LARGER 5000) NOT SUBJECT x',
        b'SEARCH 2:4,7',
        b'SEARCH UID 3:*',
        b'SEARCH 5:*',
        b'SEARCH UNSEEN',
        b'SEARCH CHARSET UTF-8 SUBJECT "caf\xc3\xa9"',
        b'SEARCH CHARSET UTF-8 SUBJECT caf\xc3\xa9',
        b"SEARCH CHARSET UTF-8 SUBJECT {5+}\r\ncaf\xc3\xa9",
        b'UID SEARCH FROM example',
        b'SEARCH DELETED',
        b'SEARCH KEYWORD $Junk',
        b'CLOSE',
        b'SELECT INBOX',
        b'STORE 2 +FLAGS (\\Flagged $Work)',
        b'STORE 3 +FLAGS.SILENT (\\Answered)',
        b'STORE 2 -FLAGS ($Work)',
        b'SEARCH FLAGGED',
        b'SEARCH ANSWERED UNFLAGGED',
        b'SEARCH UNANSWERED',
        b'FETCH 1 BODY[HEADER.FIELDS (Subject)]',
        b'SEARCH SEEN',
        b'CREATE Work',
        b'CREATE Work/Projects',
        b'CREATE Archive/2024',
        b'CREATE Entw&APw-rfe',
        b'CREATE Work',
        b'LIST "" "*"',
        b'LIST "" "%"',
        b'LIST "" "Work/%"',
        b'LIST "Work/" "*"',
        b'LIST "" ""',
        b'LIST "" "inbox"',
        b'COPY 1:3 Work',
        b'STATUS Work (MESSAGES UIDNEXT UNSEEN)',
        b'RENAME Work Jobs',
        b'LIST "" "Jobs*"',
        b'SUBSCRIBE Jobs',
        b'LSUB "" "J*"',
        b'STATUS Jobs (MESSAGES)',
        b'DELETE Jobs/Projects',
        b'STATUS Nowhere (MESSAGES)',
        b'SELECT Nowhere',
        b'SELECT INBOX',
        b'STORE 1 +FLAGS.SILENT (\\Deleted)',
        b'EXPUNGE',
        b'SEARCH ALL',
        b'FETCH 1 (UID)',
    ]
    return cmds


def main():
    files = sorted(glob.glob(os.path.join(HERE, '..', '..', 'data', 'mail', 'sample', '*.eml')))
    files += sorted(glob.glob(os.path.join(HERE, 'messages', '*.eml')))
    raws = []
    for path in files:
        with open(path, 'rb') as f:
            raws.append(normalize_crlf(f.read()))

    os.environ['TZ'] = 'UTC'
    tmp = tempfile.mkdtemp(prefix='msimapd-', dir='/tmp')
    try:
        orig_config = dovecot_fixture._config

        def config(*args, **kwargs):
            # mailscope's delimiter is "/"; Maildir++ keeps "." on disk.
            return orig_config(*args, **kwargs) + 'namespace inbox {\n  inbox = yes\n  separator = /\n}\n'
        dovecot_fixture._config = config
        dc = dovecot_fixture.start_dovecot(tmp, messages=raws)
    except dovecot_fixture.DovecotUnavailable as e:
        print('skipped: %s' % e)
        return 77

    differences = 0
    compared = 0
    try:
        work = temp_dir('ms-imap-vs-dovecot-')
        maildir = os.path.join(work, 'Maildir')
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(maildir, sub))
        with Serve(['--mail', maildir, '--imap', '127.0.0.1:0']) as srv:
            ours = RawImap(srv.ports['imap'])
            ours.command(b'LOGIN alice wonderland')
            for i, raw in enumerate(raws):
                date = time.strftime('%d-%b-%Y %H:%M:%S +0000', time.gmtime(dovecot_fixture.internal_date(i)))
                _, status = ours.command(b'APPEND INBOX "%s"' % date.encode(), raw)
                assert status.startswith(b'OK'), status
            theirs = RawImap(dc.imap_port)
            theirs.command(b'LOGIN alice wonderland')

            for cmd in script(len(raws)):
                a_lines, a_status = ours.command(cmd)
                b_lines, b_status = theirs.command(cmd)
                a = [normalize(l) for l in a_lines + [a_status]]
                b = [normalize(l) for l in b_lines + [b_status]]
                # SELECT/EXAMINE list the same facts, LIST the same mailboxes;
                # their order is free. Elsewhere an untagged FLAGS only says
                # that the server's keyword list grew (see normalize()).
                if cmd.startswith((b'SELECT', b'EXAMINE', b'LIST', b'LSUB')):
                    a, b = sorted(a), sorted(b)
                else:
                    a = [x for x in a if not x[0].startswith(('* FLAGS', '* OK [PERMANENTFLAGS'))]
                    b = [x for x in b if not x[0].startswith(('* FLAGS', '* OK [PERMANENTFLAGS'))]
                compared += 1
                if a != b:
                    differences += 1
                    print('DIFF %s' % cmd.decode('utf-8', 'replace'))
                    for x in a:
                        print('  mailscope: %r' % (x,))
                    for y in b:
                        print('  dovecot:   %r' % (y,))
            ours.command(b'LOGOUT')
            theirs.command(b'LOGOUT')
    finally:
        dc.stop()
    print('%d commands compared, %d differ (%d messages)' % (compared, differences, len(raws)))
    return 1 if differences else 0


if __name__ == '__main__':
    sys.exit(main())

# SPDX-License-Identifier: GPL-3.0-or-later
"""Differential test: libmailscope's mime module against Dovecot.

Every message of the sample mailbox (data/mail/sample/*.eml) and of the edge
cases in tests/interop/messages/*.eml is loaded into a throwaway Dovecot
(dovecot_fixture.py) and given to tests/interop/mime-dump, a small C program
that prints what ms-mime.h computes. For each message the test asks Dovecot,
over raw IMAP, for ENVELOPE, BODYSTRUCTURE, BODY, RFC822.SIZE and the
BODY[section] items that mime-dump lists (HEADER, TEXT, HEADER.FIELDS and
.NOT, a partial, and for every part n: n, n.MIME, and n.HEADER / n.TEXT for
message/rfc822 parts, plus parts that do not exist), and requires the same
answer: ENVELOPE/BODYSTRUCTURE/BODY as the exact IMAP string, sections as the
exact bytes. The only normalisation is that runs of whitespace in the
structure strings compare equal.

Usage: mime_vs_dovecot.py [--mime-dump PATH] [--dovecot-only] [FILE.eml...]
The mime-dump path also comes from $MS_MIME_DUMP or $MS_BUILD_DIR.
Exit status: 0 all equal, 1 a difference, 77 Dovecot is not installed.
"""

import glob
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dovecot_fixture  # noqa: E402

# BODY[...] sections asked of every message, whatever its structure.
FIXED_SECTIONS = [
    '', 'HEADER', 'TEXT', '1', '1.MIME', '2', '2.MIME', '9', '1.9', '2.1.9',
    'HEADER.FIELDS (From Subject)', 'HEADER.FIELDS (SUBJECT MESSAGE-ID x-none)',
    'HEADER.FIELDS.NOT (From Subject)', 'HEADER.FIELDS.NOT (Content-Type)',
    '1.HEADER', '1.TEXT', '2.HEADER', '2.TEXT',
]


def normalize_crlf(raw):
    """What the store keeps: every line end CRLF (bare LF and lone CR converted)."""
    raw = raw.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    return raw.replace(b'\n', b'\r\n')


class RawImap:
    """Just enough IMAP to see a server's answers byte for byte."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=30)
        self.buf = b''
        self.tag = 0
        self.readline()  # greeting

    def readline(self):
        while b'\r\n' not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('connection closed')
            self.buf += data
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line + b'\r\n'

    def readexact(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('connection closed')
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self):
        """One response with its literals inlined, as received."""
        line = self.readline()
        out = line
        while True:
            m = re.search(rb'\{(\d+)\}\r\n$', line)
            if not m:
                return out
            out += self.readexact(int(m.group(1)))
            line = self.readline()
            out += line

    def command(self, text):
        self.tag += 1
        tag = b'a%d' % self.tag
        self.sock.sendall(tag + b' ' + text.encode() + b'\r\n')
        untagged = []
        while True:
            resp = self.read_response()
            if resp.startswith(tag + b' '):
                if not resp.startswith(tag + b' OK'):
                    raise RuntimeError('%s -> %r' % (text, resp))
                return untagged
            untagged.append(resp)

    def close(self):
        try:
            self.command('LOGOUT')
        except (EOFError, OSError, RuntimeError):
            pass
        self.sock.close()


def fetch_item(imap, seq, item):
    """The value of one FETCH item, exactly as the server wrote it."""
    for resp in imap.command('FETCH %d (%s)' % (seq, item)):
        prefix = b'* %d FETCH (' % seq
        if not resp.startswith(prefix):
            continue
        rest = resp[len(prefix):]
        # Skip the item name, including a [section] with spaces and a <origin>.
        i = 0
        depth = 0
        while i < len(rest):
            c = rest[i:i + 1]
            if c == b'[':
                depth += 1
            elif c == b']':
                depth -= 1
            elif c == b' ' and depth == 0:
                break
            i += 1
        value = rest[i + 1:]
        assert value.endswith(b')\r\n'), resp
        return value[:-3]
    raise RuntimeError('no FETCH answer for %s' % item)


def nstring_bytes(value):
    """Decodes an IMAP nstring (NIL, "quoted" or {n} literal) to its bytes."""
    if value == b'NIL':
        return None
    m = re.match(rb'\{(\d+)\}\r\n', value)
    if m:
        data = value[m.end():]
        assert len(data) == int(m.group(1)), value
        return data
    assert value.startswith(b'"') and value.endswith(b'"'), value
    return re.sub(rb'\\(.)', rb'\1', value[1:-1])


def squash(value):
    return re.sub(rb'\s+', b' ', value).strip()


def parse_dump(data):
    """mime-dump's output: per message 'FILE name', then 'ITEM len' + bytes."""
    messages = []
    pos = 0
    while pos < len(data):
        nl = data.index(b'\n', pos)
        line = data[pos:nl].decode()
        pos = nl + 1
        if line.startswith('FILE '):
            messages.append((line[5:], []))
            continue
        name, _, length = line.rpartition(' ')
        value = data[pos:pos + int(length)]
        pos += int(length) + 1
        messages[-1][1].append((name, value))
    return messages


def find_mime_dump(args):
    if '--mime-dump' in args:
        return args[args.index('--mime-dump') + 1]
    if os.environ.get('MS_MIME_DUMP'):
        return os.environ['MS_MIME_DUMP']
    build = os.environ.get('MS_BUILD_DIR', os.path.join(os.path.dirname(__file__), '../../build'))
    return os.path.join(build, 'tests', 'interop', 'mime-dump')


def default_files():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.environ.get('MS_SOURCE_DIR', os.path.join(here, '..', '..'))
    files = sorted(glob.glob(os.path.join(top, 'data', 'mail', 'sample', '*.eml')))
    files += sorted(glob.glob(os.path.join(here, 'messages', '*.eml')))
    return files


def item_command(name):
    """The FETCH item that asks Dovecot for what mime-dump printed as `name`."""
    if name.startswith('BODY['):
        # BODY[x] and BODY[x]<o.n> are asked with PEEK so nothing changes.
        return 'BODY.PEEK[' + name[5:]
    return name


def main(argv):
    args = argv[1:]
    dovecot_only = '--dovecot-only' in args
    files = [a for a in args if a.endswith('.eml')] or default_files()
    raws = []
    for path in files:
        with open(path, 'rb') as f:
            raws.append(normalize_crlf(f.read()))

    if dovecot_only:
        dumped = [(path, [(n, b'') for n in ['ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822.SIZE']]
                   + [('BODY[%s]' % s, b'') for s in FIXED_SECTIONS] + [('BODY[]<0.10>', b'')])
                  for path in files]
    else:
        dump = find_mime_dump(args)
        if not os.access(dump, os.X_OK):
            print('mime-dump not found at %s' % dump, file=sys.stderr)
            return 1
        out = subprocess.run([dump] + files, check=True, stdout=subprocess.PIPE).stdout
        dumped = parse_dump(out)
        assert len(dumped) == len(files), 'mime-dump printed %d of %d messages' % (len(dumped), len(files))

    try:
        tmp = tempfile.mkdtemp(prefix='msmime-', dir='/tmp')
        dc = dovecot_fixture.start_dovecot(tmp, messages=raws)
    except dovecot_fixture.DovecotUnavailable as e:
        print('SKIP: %s' % e)
        return 77

    failures = 0
    compared = 0
    try:
        imap = RawImap(dc.imap_port)
        imap.command('LOGIN alice wonderland')
        imap.command('EXAMINE INBOX')
        for seq, (path, items) in enumerate(dumped, start=1):
            label = os.path.basename(path)
            for name, ours in items:
                theirs = fetch_item(imap, seq, item_command(name))
                if dovecot_only:
                    print('%s %s: %s' % (label, name, theirs.decode('utf-8', 'replace')))
                    continue
                compared += 1
                if name.startswith('BODY['):
                    same = nstring_bytes(theirs) == ours
                else:
                    same = squash(theirs) == squash(ours)
                if not same:
                    failures += 1
                    print('DIFF %s %s\n  dovecot:   %r\n  mailscope: %r' % (label, name, theirs, ours))
        imap.close()
    finally:
        dc.stop()
        if failures == 0:
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print('Dovecot folder kept: %s' % tmp)
    if not dovecot_only:
        print('%d messages, %d items compared, %d differences' % (len(dumped), compared, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

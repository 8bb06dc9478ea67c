# SPDX-License-Identifier: GPL-3.0-or-later
"""Python's imaplib (and a raw socket where imaplib cannot go: IDLE) against
`mailscope serve --imap`: login, LIST, SELECT, every message fetched byte for
byte, SEARCH, STORE, COPY, MOVE, EXPUNGE, APPEND; an APPEND from one
connection pushed to another that IDLEs; and a session shaped like
Thunderbird's first connection."""

import imaplib
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402


def ok(result, what):
    typ, data = result
    check(typ == 'OK', '%s: %s %r' % (what, typ, data))
    return data


def fetch_bodies(imap, item):
    """FETCH 1:* item -> {seq: bytes}."""
    data = ok(imap.fetch('1:*', '(%s)' % item), 'FETCH ' + item)
    bodies = {}
    for part in data:
        if isinstance(part, tuple):
            seq = int(part[0].split()[0])
            bodies[seq] = part[1]
    return bodies


class Raw:
    """A line-oriented raw IMAP connection for what imaplib does not do."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=30)
        self.file = self.sock.makefile('rb')
        self.readline()

    def readline(self):
        line = self.file.readline()
        check(line != b'', 'connection closed by the server')
        return line.decode('utf-8', 'replace')

    def send(self, text):
        self.sock.sendall(text.encode())

    def command(self, tag, text):
        """Sends a command and returns the untagged lines up to the tagged one."""
        self.send('%s %s\r\n' % (tag, text))
        lines = []
        while True:
            line = self.readline()
            m = re.match(r'.*\{(\d+)\}\r\n$', line)
            if m:
                line += self.file.read(int(m.group(1))).decode('utf-8', 'replace') + self.readline()
            if line.startswith(tag + ' '):
                check(line.startswith(tag + ' OK'), '%s %s: %s' % (tag, text, line))
                return lines
            lines.append(line)

    def close(self):
        self.file.close()
        self.sock.close()


def main():
    tmp = temp_dir('ms-imap-imaplib-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)

    with Serve(['--mail', folder, '--imap', '127.0.0.1:0']) as srv:
        port = srv.ports['imap']
        imap = imaplib.IMAP4('127.0.0.1', port)
        check('IDLE' in imap.capabilities and 'UIDPLUS' in imap.capabilities, 'capabilities %r' % (imap.capabilities,))
        ok(imap.login('alice', 'wonderland'), 'LOGIN')
        listing = ok(imap.list(), 'LIST')
        check(any(b'INBOX' in line for line in listing), 'LIST shows INBOX: %r' % listing)
        count = int(ok(imap.select('INBOX'), 'SELECT')[0])
        check(count == len(expected), 'SELECT says %d messages' % count)

        # Every message byte for byte, without and then with setting \Seen.
        peeked = fetch_bodies(imap, 'BODY.PEEK[]')
        for i, message in enumerate(expected, 1):
            check(peeked.get(i) == message, 'BODY.PEEK[] of %d differs' % i)
        check(ok(imap.search(None, 'SEEN'), 'SEARCH SEEN') == [b''], 'PEEK must not set \\Seen')
        full = fetch_bodies(imap, 'RFC822')
        check(all(full[i] == m for i, m in enumerate(expected, 1)), 'RFC822 differs')
        check(ok(imap.search(None, 'UNSEEN'), 'SEARCH UNSEEN') == [b''], 'RFC822 sets \\Seen')
        sizes = ok(imap.fetch('1:*', '(RFC822.SIZE)'), 'FETCH RFC822.SIZE')
        for i, line in enumerate(sizes, 1):
            check(int(re.search(rb'RFC822.SIZE (\d+)', line).group(1)) == len(expected[i - 1]), 'size of %d' % i)

        # SEARCH on the server.
        check(ok(imap.search(None, 'FROM', 'carol'), 'SEARCH FROM') == [b'2'], 'SEARCH FROM carol')
        check(ok(imap.search('UTF-8', 'SUBJECT', '"Grüße"'.encode()), 'SEARCH SUBJECT') == [b'2'], 'SEARCH decoded subject')
        check(ok(imap.uid('SEARCH', 'BODY', 'three'), 'UID SEARCH')[0] == b'1', 'UID SEARCH BODY')

        # STORE, COPY, MOVE, EXPUNGE, APPEND.
        ok(imap.store('1', '-FLAGS', '(\\Seen)'), 'STORE -FLAGS')
        ok(imap.store('2', '+FLAGS', '(\\Flagged $Important)'), 'STORE +FLAGS')
        check(ok(imap.search(None, 'KEYWORD', '$Important'), 'SEARCH KEYWORD') == [b'2'], 'keyword stored')
        ok(imap.create('Archive'), 'CREATE')
        copied = ok(imap.copy('1:2', 'Archive'), 'COPY')
        check(b'COPYUID' in copied[0], 'COPYUID %r' % copied)
        moved = ok(imap.uid('MOVE', '3', 'Archive'), 'UID MOVE')
        ok(imap.store('1', '+FLAGS', '(\\Deleted)'), 'STORE \\Deleted')
        expunged = ok(imap.expunge(), 'EXPUNGE')
        # imaplib also keeps the EXPUNGE that UID MOVE caused (message 3).
        check(expunged == [b'3', b'1'], 'EXPUNGE answered %r' % expunged)
        status = ok(imap.status('Archive', '(MESSAGES UIDNEXT)'), 'STATUS')[0]
        check(b'MESSAGES 3' in status and b'UIDNEXT 4' in status, 'STATUS Archive %r' % status)
        new = b'From: Zed <zed@example.org>\r\nSubject: Appended\r\n\r\nFresh.\r\n'
        ok(imap.append('Archive', '(\\Seen)', imaplib.Time2Internaldate(1704067200), new), 'APPEND')
        ok(imap.select('Archive'), 'SELECT Archive')
        bodies = fetch_bodies(imap, 'BODY.PEEK[]')
        check(bodies[1] == expected[0] and bodies[3] == expected[2] and bodies[4] == new,
              'Archive holds the copies byte for byte')
        ok(imap.rename('Archive', 'Old/Archive'), 'RENAME')
        del moved

        # IDLE: a raw connection idles; an APPEND from imaplib reaches it.
        raw = Raw(port)
        raw.command('r1', 'LOGIN alice wonderland')
        lines = raw.command('r2', 'SELECT INBOX')
        exists = int(next(re.match(r'\* (\d+) EXISTS', l).group(1) for l in lines if 'EXISTS' in l))
        raw.send('r3 IDLE\r\n')
        check(raw.readline().startswith('+ '), 'IDLE continuation')
        ok(imap.append('INBOX', None, None, new), 'APPEND to INBOX')
        pushed = raw.readline()
        check(pushed == '* %d EXISTS\r\n' % (exists + 1), 'IDLE push %r' % pushed)
        raw.send('DONE\r\n')
        while True:
            line = raw.readline()
            if line.startswith('r3 '):
                check(line.startswith('r3 OK'), 'IDLE done: %r' % line)
                break
        raw.command('r4', 'LOGOUT')
        raw.close()

        # A session shaped like Thunderbird's.
        tb = Raw(port)
        caps = tb.command('t1', 'CAPABILITY')
        check('SPECIAL-USE' in caps[0], 'CAPABILITY %r' % caps)
        tb.command('t2', 'LOGIN alice wonderland')
        ident = tb.command('t3', 'ID ("name" "Thunderbird" "version" "115.0")')
        check(ident and ident[0].startswith('* ID ('), 'ID %r' % ident)
        lists = tb.command('t4', 'LIST "" "*" RETURN (SPECIAL-USE)')
        check(any('"/" INBOX' in l for l in lists) and any('Old/Archive' in l for l in lists), 'LIST %r' % lists)
        sel = tb.command('t5', 'SELECT "INBOX"')
        check(any('UIDVALIDITY' in l for l in sel) and any('UIDNEXT' in l for l in sel), 'SELECT %r' % sel)
        flags = tb.command('t6', 'UID FETCH 1:* (FLAGS)')
        uids = [int(re.search(r'UID (\d+)', l).group(1)) for l in flags]
        check(len(uids) == exists + 1, 'UID FETCH FLAGS %r' % flags)
        body = tb.command('t7', 'UID FETCH %d (UID RFC822.SIZE BODY.PEEK[])' % uids[0])
        check(expected[1].decode('utf-8') in body[0], 'UID FETCH BODY.PEEK[] %r' % body[0][:200])
        tb.send('t8 IDLE\r\n')
        check(tb.readline().startswith('+ '), 'Thunderbird IDLE')
        tb.send('DONE\r\n')
        check(tb.readline().startswith('t8 OK'), 'Thunderbird IDLE done')
        tb.command('t9', 'LOGOUT')
        tb.close()

        imap.logout()
    print('ok: imaplib, IDLE push and a Thunderbird-like session')


if __name__ == '__main__':
    main()

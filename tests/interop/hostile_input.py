# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile arguments against `mailscope serve`, on real sockets.

Every input below is something a broken or malicious client can send. Each
must get the protocol's clear answer (IMAP BAD, NO, [TOOBIG] or BYE; POP3
-ERR) and none may crash the server, hang it, make it hold memory without
bound or lose mail: at the end the mailbox still holds exactly what it held
plus what was appended, and a fresh client is served.

- IMAP sequence sets: 16,000 ranges "1:*,1:*,..." (each message once in the
  answer), 4294967295, 0, "*:*", numbers past 2^32, malformed sets.
- IMAP nesting: thousands of "(" (BAD, or BAD [TOOBIG] past the line
  limit), SEARCH with thousands of OR and NOT (BAD: too many arguments),
  with more than 1000 keys (sequence sets, TEXT, ORed groups) or NOT/OR
  nested more than 32 deep (NO [LIMIT]), and with 1000 keys (answered).
- Mailbox names (RFC 3501 section 5.1.3): "&" unterminated, bad base64,
  encoded ASCII, "&-", over-long; "..", "/", a leading or doubled
  hierarchy delimiter, empty names in CREATE and RENAME: NO, and LIST shows
  only what was meant to be created; the bad modified UTF-7 and raw 8-bit
  names in STATUS, DELETE, (UN)SUBSCRIBE, EXAMINE, APPEND, COPY and MOVE.
- IMAP AUTHENTICATE: an unknown mechanism (NO), bad base64, "*", an
  answer with a NUL, 8-bit or past 8192 octets (BAD, never a login).
- APPEND literals: {N} past the message size limit (refused before the "+",
  nothing read), {N+} past LITERAL-'s 4096 octets but within the message
  size (BAD [TOOBIG]; the server reads the literal and discards it, holding
  none of it, and the connection goes on: RFC 7888 section 4 lets a server
  do either this or close), {N+} past the message size limit and literal
  sizes past 64 bits (BYE and close: the literal cannot be skipped
  reliably), and 200 APPENDs in one pipeline.
- POP3: TOP with huge, negative and non-numeric counts, RETR/DELE of 0 and
  2^32, APOP with a wrong digest and after login, AUTH with an unknown
  mechanism, bad base64, embedded NULs, an over-long initial response and
  "*" cancellation, USER/PASS out of order, commands in the wrong state;
  8-bit commands, mechanisms and user names answered in 7-bit ASCII.
"""

import base64
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402

TIMEOUT = 120


class Conn:
    """A raw connection read a line at a time."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
        self.buf = b''

    def line(self):
        while b'\r\n' not in self.buf:
            chunk = self.sock.recv(65536)
            check(chunk != b'', 'the server closed the connection; last input %r' % self.buf[-200:])
            self.buf += chunk
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def closed(self):
        """Everything until the server closes; fails if it does not."""
        data = self.buf
        while True:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return data
            if not chunk:
                return data
            data += chunk


class Imap(Conn):
    """IMAP: send bytes, read lines up to a tagged one."""

    def __init__(self, port, login=True):
        super().__init__(port)
        check(self.line().startswith(b'* OK'), 'no IMAP greeting')
        self.n = 0
        if login:
            check(self.cmd(b'LOGIN alice wonderland')[-1].startswith(b'OK'), 'LOGIN failed')

    def send(self, data):
        self.sock.sendall(data)

    def tagged(self, tag):
        """Untagged lines, then the tagged answer without its tag."""
        lines = []
        while True:
            line = self.line()
            if line.startswith(tag + b' '):
                lines.append(line[len(tag) + 1:])
                return lines
            lines.append(line)

    def cmd(self, text):
        self.n += 1
        tag = b't%d' % self.n
        self.send(tag + b' ' + text + b'\r\n')
        return self.tagged(tag)

    def close(self):
        self.sock.close()


def want(lines, prefix, what):
    check(lines[-1].startswith(prefix), '%s: want %r, got %r' % (what, prefix, lines[-1][:200]))


def fetch_numbers(lines):
    return [int(m.group(1)) for m in (re.match(rb'\* (\d+) FETCH', l) for l in lines) if m]


def sequence_sets(port):
    c = Imap(port)
    want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT')
    many = b','.join([b'1:*'] * 16000)
    check(len(many) < 64 * 1024, 'the set must fit the line limit')
    lines = c.cmd(b'FETCH ' + many + b' (FLAGS)')
    want(lines, b'OK', '16,000 ranges')
    check(fetch_numbers(lines) == [1, 2, 3, 4, 5], 'each message once: %r' % fetch_numbers(lines))
    lines = c.cmd(b'UID FETCH ' + b','.join([b'1:4294967295'] * 5000) + b' (FLAGS)')
    want(lines, b'OK', 'UID ranges up to 2^32-1')
    check(len(fetch_numbers(lines)) == 5, 'UID FETCH 1:4294967295 x5000: %r' % lines[:3])
    lines = c.cmd(b'FETCH *:* (FLAGS)')
    want(lines, b'OK', '*:*')
    check(fetch_numbers(lines) == [5], '*:* is the last message: %r' % lines)
    lines = c.cmd(b'FETCH 3:1,5:4 (FLAGS)')
    check(fetch_numbers(lines) == [1, 2, 3, 4, 5], 'reversed ranges: %r' % lines)
    lines = c.cmd(b'UID FETCH 4294967295 (FLAGS)')
    want(lines, b'OK', 'UID FETCH 4294967295')
    check(fetch_numbers(lines) == [], 'no message has UID 4294967295')
    want(c.cmd(b'UID STORE 4294967295 +FLAGS (\\Seen)'), b'OK', 'UID STORE of no message')
    # A sequence number past the mailbox, 0, past 2^32 and malformed sets: BAD.
    for bad in (b'4294967295', b'0', b'0:*', b'4294967296', b'99999999999999999999',
                b'1:99999999999999999999', b'1,,2', b'1:', b':1', b'-1', b'1:*:2', b'**',
                b'1,', b'1 2', b'%', b'\xff'):
        c.n += 1
        tag = b't%d' % c.n
        c.send(tag + b' FETCH ' + bad + b' (FLAGS)\r\n')
        lines = c.tagged(tag)
        want(lines, b'BAD', 'FETCH %r' % bad)
        check(fetch_numbers(lines) == [], 'FETCH %r answered data' % bad)
        if c.n % 10 == 0:
            c.close()   # stay under the bad-command limit
            c = Imap(port)
            want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT')
    for bad in (b'UID FETCH 0 (FLAGS)', b'UID FETCH 4294967296 (FLAGS)', b'UID SEARCH UID 0:4294967296',
                b'COPY 9 INBOX', b'STORE 0 +FLAGS (\\Seen)'):
        want(c.cmd(bad), b'BAD', bad.decode())
    c.close()
    print('ok: sequence sets: 16,000 ranges answered once each, 2^32-1, *:*, and 15 bad sets refused')


def nesting(port):
    c = Imap(port)
    want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT')
    want(c.cmd(b'SEARCH ' + b'(' * 16 + b'ALL' + b')' * 16), b'OK', '16 nested groups (the limit)')
    want(c.cmd(b'SEARCH ' + b'(' * 17 + b'ALL' + b')' * 17), b'BAD', '17 nested groups')
    want(c.cmd(b'SEARCH ' + b'(' * 5000 + b'ALL' + b')' * 5000), b'BAD', '5000 nested groups')
    want(c.cmd(b'SEARCH ' + b'(' * 100000 + b'ALL' + b')' * 100000), b'BAD [TOOBIG]', '100000 (')
    want(c.cmd(b'FETCH 1 ' + b'(' * 3000 + b'FLAGS' + b')' * 3000), b'BAD', '3000 nested FETCH lists')
    want(c.cmd(b'SEARCH ' + b'OR ' * 10000 + b'ALL ' * 10001), b'BAD', '10,000 ORs')
    want(c.cmd(b'SEARCH ' + b'NOT ' * 12000 + b'ALL'), b'BAD', '12,000 NOTs')
    want(c.cmd(b'SEARCH ' + b'OR ' * 20 + b'ALL ' * 21), b'OK', '20 ORs (within the depth limit)')
    # Well-formed searches past MS_LIMIT_IMAP_SEARCH_KEYS (1000) or nested
    # past MS_LIMIT_IMAP_SEARCH_DEPTH (32): NO [LIMIT], which does not count
    # as a bad command (these eight would otherwise end the session).
    started = time.monotonic()
    for text, what in ((b' '.join([b'1:*'] * 9000), '9000 sequence-set keys'),
                       (b'TEXT e ' * 4000 + b'ALL', '4001 TEXT keys'),
                       (b'(OR TEXT e BODY e) ' * 1000 + b'ALL', '1000 ORed groups'),
                       (b'OR ' * 40 + b'ALL ' * 41, '40 ORs deep'),
                       (b'NOT ' * 40 + b'ALL', '40 NOTs deep'),
                       (b'(NOT (NOT (NOT SEEN))) ' * 300, '300 groups of 3 NOTs'),
                       (b'OR ALL ' * 40 + b'ALL', '40 ORs nested on the right'),
                       (b'HEADER X-A a ' * 1001, '1001 HEADER keys')):
        want(c.cmd(b'SEARCH ' + text), b'NO [LIMIT]', what)
    lines = c.cmd(b'SEARCH ' + b' '.join([b'1:*'] * 1000))
    want(lines, b'OK', '1000 sequence-set keys')
    check(lines[0] == b'* SEARCH 1 2 3 4 5', '1000 x 1:*: %r' % lines[0])
    # A group, OR and its two keys: four keys each.
    lines = c.cmd(b'SEARCH ' + b'(OR SEEN UNSEEN) ' * 250)
    want(lines, b'OK', '1000 keys in groups')
    check(lines[0] == b'* SEARCH 1 2 3 4 5', '250 x (OR SEEN UNSEEN): %r' % lines[0])
    want(c.cmd(b'SEARCH ' + b'(OR SEEN UNSEEN) ' * 250 + b'ALL'), b'NO [LIMIT]', '1001 keys in groups')
    print('figure: 9 searches over the key limit refused and 2 at it answered in %.2f s'
          % (time.monotonic() - started))
    lines = c.cmd(b'UID SEARCH UID ' + b','.join([b'1:*'] * 16000))
    want(lines, b'OK', 'UID SEARCH with 16,000 ranges')
    want(c.cmd(b'SEARCH ' + b'ALL ' * 10001), b'BAD', '10,001 arguments')
    want(c.cmd(b'SEARCH ' + b')' * 10), b'BAD', 'closing parentheses')
    c.close()
    print('ok: nesting: 5000 and 100000 "(", 10,000 OR, 12,000 NOT refused; over 1000 keys or 32 levels '
          'NO [LIMIT]; 1000 set keys answered')


MUTF7_BAD = [b'"&"', b'"&Jjo"', b'"&Jjo!-"', b'"&AGEAYgBj-"', b'"&AC0-"', b'"&AGE-"',
             b'"&AAA-"', b'"&2D0-"', b'"&Jjo-&Jjo-"', b'"&====-"', b'"&,,,,-"']
NAMES_BAD = [b'""', b'"/"', b'"/lead"', b'"a//b"', b'"a/../b"', b'".."', b'"a/."',
             b'"' + b'x' * 2000 + b'"', b'"' + b'a/' * 300 + b'b"',
             b'{3+}\r\na\x00b']


def mailbox_names(port):
    c = Imap(port)
    n_bad = 0
    for name in MUTF7_BAD + NAMES_BAD:
        for command in (b'CREATE ' + name, b'RENAME INBOX ' + name, b'SELECT ' + name):
            lines = c.cmd(command)
            check(lines[-1].startswith(b'NO') or lines[-1].startswith(b'BAD'),
                  '%r: want NO or BAD, got %r' % (command[:80], lines[-1][:200]))
            n_bad += lines[-1].startswith(b'BAD')
            if n_bad >= 15:
                c.close()
                c = Imap(port)
                n_bad = 0
    # Every other command that takes a mailbox name refuses them too, and
    # so does a raw 8-bit name (UTF-8 needs UTF8=ACCEPT, not offered).
    for name in MUTF7_BAD + [b'"\xc3\xa4"', b'"Caf\xe9"']:
        for command in (b'STATUS %s (MESSAGES)', b'DELETE %s', b'SUBSCRIBE %s', b'UNSUBSCRIBE %s',
                        b'EXAMINE %s', b'APPEND %s {3+}\r\nabc', b'SELECT INBOX', b'COPY 1 %s', b'MOVE 1 %s'):
            lines = c.cmd(command.replace(b'%s', name))
            if command == b'SELECT INBOX':
                want(lines, b'OK', 'SELECT INBOX')
                continue
            check(lines[-1].startswith(b'NO') or lines[-1].startswith(b'BAD'),
                  '%r: want NO or BAD, got %r' % (command.replace(b'%s', name)[:80], lines[-1][:200]))
            n_bad += lines[-1].startswith(b'BAD')
            if n_bad >= 15:
                c.close()
                c = Imap(port)
                n_bad = 0
    want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT INBOX')
    check(status_messages(c) == 5, 'a refused COPY, MOVE or APPEND changed INBOX')
    # What is valid works: "&-" is "&", a trailing delimiter names the same mailbox.
    want(c.cmd(b'CREATE "&-"'), b'OK', 'CREATE &-')
    want(c.cmd(b'CREATE "Caf&AOk-/"'), b'OK', 'CREATE with a trailing /')
    want(c.cmd(b'RENAME "Caf&AOk-" "&AOk-t&AOk-"'), b'OK', 'RENAME to a valid mUTF-7 name')
    want(c.cmd(b'RENAME "&-" ""'), b'NO', 'RENAME to ""')
    want(c.cmd(b'RENAME "&-" "/x"'), b'NO', 'RENAME to /x')
    want(c.cmd(b'RENAME "../INBOX" "x"'), b'NO', 'RENAME from ../INBOX')
    lines = c.cmd(b'LIST "" "*"')
    want(lines, b'OK', 'LIST')
    names = sorted(l.rsplit(b' ', 1)[1] for l in lines if l.startswith(b'* LIST'))
    check(names == [b'"&-"', b'&AOk-t&AOk-', b'INBOX'] or names == [b'&-', b'&AOk-t&AOk-', b'INBOX'],
          'only the valid mailboxes exist: %r' % names)
    for pattern in (b'"&"', b'"&Jjo!"', b'"' + b'%*' * 1000 + b'"', b'"' + b'*' * 30000 + b'"'):
        lines = c.cmd(b'LIST "" ' + pattern)
        check(lines[-1][:2] in (b'OK', b'NO', b'BA'), 'LIST %r: %r' % (pattern[:40], lines[-1]))
    want(c.cmd(b'DELETE "&-"'), b'OK', 'DELETE &-')
    want(c.cmd(b'DELETE "&AOk-t&AOk-"'), b'OK', 'DELETE')
    c.close()
    print('ok: mailbox names: %d invalid names refused by CREATE, RENAME and SELECT; valid ones work'
          % len(MUTF7_BAD + NAMES_BAD))


def imap_authenticate(port):
    """AUTHENTICATE misuse: each gets its own clear answer, none is taken
    for a failed password, and the session goes on."""
    plain = base64.b64encode(b'\x00alice\x00wonderland')
    c = Imap(port, login=False)
    want(c.cmd(b'AUTHENTICATE FOO'), b'NO', 'unknown mechanism')
    want(c.cmd(b'AUTHENTICATE'), b'BAD', 'no mechanism')
    want(c.cmd(b'AUTHENTICATE PLAIN !!!!'), b'BAD', 'bad base64 initial response')
    want(c.cmd(b'AUTHENTICATE PLAIN ='), b'BAD', 'empty initial response')
    want(c.cmd(b'AUTHENTICATE PLAIN ' + b'A' * 70000), b'BAD [TOOBIG]', 'initial response past the line limit')
    for answer, code, what in ((b'*', b'BAD', 'cancelled with *'),
                               (b'====', b'BAD', 'base64 of nothing'),
                               (b'\xc3\xa4', b'BAD', '8-bit answer'),
                               (b'A' * 20000, b'BAD [TOOBIG]', 'answer past 8192 octets'),
                               # Cut at the NUL this would have logged in.
                               (plain + b'\x00junk', b'BAD', 'answer with a NUL'),
                               (base64.b64encode(b'\x00alice'), b'BAD', 'no password')):
        c.send(b'x AUTHENTICATE PLAIN\r\n')
        check(c.line().startswith(b'+'), 'AUTHENTICATE PLAIN: want +')
        c.send(answer + b'\r\n')
        want(c.tagged(b'x'), code, what)
        if what == 'answer past 8192 octets':
            c.close()   # stay under the bad-command limit
            c = Imap(port, login=False)
    want(c.cmd(b'NOOP'), b'OK', 'NOOP after AUTHENTICATE misuse')
    c.send(b'y AUTHENTICATE PLAIN\r\n')
    check(c.line().startswith(b'+'), 'AUTHENTICATE PLAIN: want +')
    c.send(plain + b'\r\n')
    want(c.tagged(b'y'), b'OK', 'AUTHENTICATE PLAIN with a good answer')
    c.close()
    print('ok: AUTHENTICATE: unknown mechanism NO, bad base64, *, NUL, 8-bit and over-long answers BAD')


def status_messages(c, name=b'INBOX'):
    lines = c.cmd(b'STATUS ' + name + b' (MESSAGES)')
    want(lines, b'OK', 'STATUS')
    return int(re.search(rb'MESSAGES (\d+)', lines[0]).group(1))


def vm_hwm(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


def appends(srv):
    port = srv.ports['imap']
    c = Imap(port)
    before = status_messages(c)

    # {N} too large: refused before the "+", and the client sends nothing.
    for size in (b'67108865', b'99999999999999999999', b'18446744073709551616', b'18446744073709551615'):
        lines = c.cmd(b'APPEND INBOX {' + size + b'}')
        check(re.match(rb'(BAD|NO) \[TOOBIG\]', lines[-1]) is not None,
              'APPEND {%s}: want [TOOBIG] before the +, got %r' % (size.decode(), lines[-1]))
    # {N+} within the message size but over LITERAL-'s 4096: BAD [TOOBIG];
    # the 10 MB are read and dropped, not kept, and the session goes on.
    hwm = vm_hwm(srv.proc.pid)
    c.n += 1
    tag = b't%d' % c.n
    c.send(tag + b' APPEND INBOX {10000000+}\r\n')
    chunk = b'x' * 65534 + b'\r\n'
    for _ in range(10000000 // len(chunk)):
        c.send(chunk)
    c.send(b'y' * (10000000 % len(chunk)) + b'\r\n')
    want(c.tagged(tag), b'BAD [TOOBIG]', 'APPEND {10000000+}')
    want(c.cmd(b'NOOP'), b'OK', 'NOOP after a skipped literal')
    grown = vm_hwm(srv.proc.pid) - hwm
    print('figure: peak memory grew by %d KiB while a 10 MB {N+} literal was skipped' % (grown // 1024))
    check(status_messages(c) == before, 'a refused APPEND added a message')
    c.close()

    # {N+} past the message size, or past 64 bits: the server cannot skip
    # what it will not count, so it says BYE and closes.
    for size in (b'67108865', b'99999999999999999999', b'18446744073709551616'):
        c = Imap(port)
        c.send(b'a APPEND INBOX {' + size + b'+}\r\n' + b'z' * 1000)
        data = c.closed()
        check(b'* BYE' in data or b'a BAD [TOOBIG]' in data,
              'APPEND {%s+}: want BYE and close, got %r' % (size.decode(), data[-200:]))
        c.close()

    # 200 APPENDs in one write, non-synchronizing literals.
    c = Imap(port)
    batch = b''
    for i in range(200):
        msg = b'From: p@example.org\r\nSubject: pipelined %d\r\n\r\nbody %d\r\n' % (i, i)
        batch += b'p%d APPEND INBOX {%d+}\r\n%s\r\n' % (i, len(msg), msg)
    c.send(batch)
    for i in range(200):
        want(c.tagged(b'p%d' % i), b'OK', 'pipelined APPEND %d' % i)
    check(status_messages(c) == before + 200, 'pipelined APPENDs: %d' % status_messages(c))
    want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT')
    lines = c.cmd(b'FETCH %d:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])' % (before + 1))
    subjects = re.findall(rb'Subject: pipelined (\d+)', b'\n'.join(lines))
    check([int(s) for s in subjects] == list(range(200)), 'appended in order, each once')
    # A message of exactly LITERAL-'s 4096 octets is taken without a "+".
    msg = b'Subject: edge\r\n\r\n' + b'e' * (4096 - 19) + b'\r\n'
    check(len(msg) == 4096, 'edge message size')
    c.send(b'e APPEND INBOX {4096+}\r\n' + msg + b'\r\n')
    want(c.tagged(b'e'), b'OK', 'APPEND {4096+}')
    want(c.cmd(b'STORE %d:* +FLAGS.SILENT (\\Deleted)' % (before + 1)), b'OK', 'STORE')
    want(c.cmd(b'EXPUNGE'), b'OK', 'EXPUNGE')
    check(status_messages(c) == before, 'the appended messages are gone again')
    c.close()
    print('ok: APPEND: {N} too big refused before the +, {10000000+} skipped, {N+} past the limit '
          'and past 64 bits closed, 200 pipelined APPENDs all there in order')


class Pop3(Conn):
    def __init__(self, port):
        super().__init__(port)
        self.greeting = self.line()
        check(self.greeting.startswith(b'+OK'), 'no POP3 greeting')

    def cmd(self, text):
        self.sock.sendall(text + b'\r\n')
        return self.line()

    def multi(self, text):
        first = self.cmd(text)
        lines = []
        if first.startswith(b'+OK'):
            while True:
                line = self.line()
                if line == b'.':
                    break
                lines.append(line)
        return first, lines


def pop3_err(p, text):
    line = p.cmd(text)
    check(line.startswith(b'-ERR'), '%r: want -ERR, got %r' % (text[:60], line))


def pop3(port):
    # Wrong state and wrong order, before login.
    p = Pop3(port)
    for text in (b'PASS wonderland', b'STAT', b'RETR 1', b'TOP 1 1', b'DELE 1', b'UIDL', b'RSET'):
        pop3_err(p, text)
    check(p.cmd(b'USER alice').startswith(b'+OK'), 'USER')
    pop3_err(p, b'STAT')
    check(p.cmd(b'USER alice').startswith(b'+OK'), 'USER again replaces the name')
    p.sock.close()

    # AUTH misuse (none of it is a failed password).
    p = Pop3(port)
    pop3_err(p, b'AUTH FOO')
    pop3_err(p, b'AUTH PLAIN !!!!')
    pop3_err(p, b'AUTH PLAIN ' + base64.b64encode(b'alice'))
    pop3_err(p, b'AUTH PLAIN ' + base64.b64encode(b'\x00alice\x00wonder\x00land'))
    pop3_err(p, b'AUTH PLAIN ' + base64.b64encode(b'\x00\x00\x00'))
    check(p.cmd(b'AUTH PLAIN').startswith(b'+'), 'AUTH PLAIN without initial response: want +')
    pop3_err(p, b'*')
    check(p.cmd(b'AUTH PLAIN').startswith(b'+'), 'AUTH PLAIN again: want +')
    pop3_err(p, b'=!=')
    p.sock.close()
    # 8-bit commands, mechanisms and names: the answers stay 7-bit
    # (RFC 1939), naming what was wrong without echoing it.
    p = Pop3(port)
    for text in (b'\xc3\x9cBERSICHT', b'AUTH \xe2\x82\xac', b'AUTH ' + b'\xff' * 900, b'NO\xcf\x80P 1'):
        line = p.cmd(text)
        check(line.startswith(b'-ERR') and max(line) < 0x80, '%r: want a 7-bit -ERR, got %r' % (text[:20], line))
    line = p.cmd(b'USER j\xc3\xbcrgen')
    check(line.startswith(b'+OK') and max(line) < 0x80, 'USER with an 8-bit name: %r' % line)
    p.sock.close()
    p = Pop3(port)
    line = p.cmd(b'AUTH PLAIN ' + b'A' * 5000)
    check(line.startswith(b'-ERR'), 'over-long AUTH: %r' % line)
    p.closed()
    # The same for an over-long answer to the "+" of AUTH PLAIN.
    p = Pop3(port)
    check(p.cmd(b'AUTH PLAIN').startswith(b'+'), 'AUTH PLAIN: want +')
    line = p.cmd(b'A' * 5000)
    check(line.startswith(b'-ERR'), 'over-long AUTH answer: %r' % line)
    p.closed()

    # APOP: a wrong digest is a failed login; after a good login APOP and
    # USER are in the wrong state.
    p = Pop3(port)
    stamp = re.search(rb'<[^>]*>', p.greeting)
    if stamp:
        pop3_err(p, b'APOP alice ' + b'0' * 32)
    else:
        pop3_err(p, b'APOP alice ' + b'0' * 32)   # not advertised: refused all the same
    p.sock.close()
    p = Pop3(port)
    pop3_err(p, b'APOP alice')
    pop3_err(p, b'APOP alice ' + b'g' * 32)
    pop3_err(p, b'APOP alice ' + b'0' * 3000)
    p.closed()

    p = Pop3(port)
    check(p.cmd(b'USER alice').startswith(b'+OK') and p.cmd(b'PASS wonderland').startswith(b'+OK'),
          'login')
    n = int(p.cmd(b'STAT').split()[1])
    for text in (b'TOP 1 99999999999999999999', b'TOP 1 -1', b'TOP 1 x', b'TOP x 1', b'TOP 1',
                 b'TOP 0 1', b'TOP 4294967296 1', b'RETR 0'):
        pop3_err(p, text)
    first, lines = p.multi(b'TOP 1 0')
    check(first.startswith(b'+OK') and b'' in lines, 'TOP 1 0: %r' % first)
    first, lines = p.multi(b'TOP 4 4294967295')
    check(first.startswith(b'+OK') and len(lines) > 150, 'TOP 4 4294967295: the whole message')
    p.sock.close()
    p = Pop3(port)
    p.cmd(b'USER alice')
    p.cmd(b'PASS wonderland')
    for text in (b'RETR 4294967296', b'DELE 0', b'DELE 4294967296', b'DELE -1', b'RETR 1 2',
                 b'APOP alice ' + b'0' * 32, b'USER alice', b'PASS wonderland', b'AUTH PLAIN'):
        pop3_err(p, text)
    check(p.cmd(b'QUIT').startswith(b'+OK'), 'QUIT')
    p.sock.close()

    p = Pop3(port)
    p.cmd(b'USER alice')
    p.cmd(b'PASS wonderland')
    check(int(p.cmd(b'STAT').split()[1]) == n, 'nothing was deleted')
    p.cmd(b'QUIT')
    print('ok: POP3: TOP/RETR/DELE with bad numbers, APOP, AUTH misuse, USER/PASS out of order: -ERR')


def unchanged(srv, expected):
    c = Imap(srv.ports['imap'])
    want(c.cmd(b'SELECT INBOX'), b'OK', 'SELECT')
    check(status_messages(c) == len(expected), 'the mailbox lost or gained mail')
    for i, message in enumerate(expected, 1):
        c.send(b'b%d FETCH %d (BODY.PEEK[])\r\n' % (i, i))
        first = c.line()
        size = int(re.search(rb'\{(\d+)\}$', first).group(1))
        while len(c.buf) < size:
            c.buf += c.sock.recv(65536)
        body, c.buf = c.buf[:size], c.buf[size:]
        want(c.tagged(b'b%d' % i), b'OK', 'FETCH %d' % i)
        check(body == message, 'message %d changed' % i)
    c.cmd(b'LOGOUT')
    c.close()


folder = temp_dir('ms-hostile-input-')
expected = write_mailbox(folder)
started = time.monotonic()
with Serve(['--mail', folder, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0']) as srv:
    sequence_sets(srv.ports['imap'])
    nesting(srv.ports['imap'])
    mailbox_names(srv.ports['imap'])
    imap_authenticate(srv.ports['imap'])
    appends(srv)
    pop3(srv.ports['pop3'])
    unchanged(srv, expected)
print('ok: the server still serves and the mailbox is intact (%.1f s)' % (time.monotonic() - started))

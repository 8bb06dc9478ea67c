# SPDX-License-Identifier: GPL-3.0-or-later
"""Clients that misbehave on purpose against `mailscope serve`.

The inactivity timers are set short (--login-timeout 2 --idle-timeout 4)
so that the test does not wait the real minutes; nothing here asserts how
soon anything happens, only that it does, within generous bounds.

- Silent: an IMAP client that says nothing gets "* BYE Autologout" and is
  closed; a POP3 client that logged in, marked a message and went quiet is
  closed without a word, and nothing was deleted (RFC 1939 section 3).
- Slow: a line sent one byte at a time and never finished, a literal
  announced and never sent (before and after login) are closed; a literal
  over the message size limit is refused before the "+".
- TLS: on the implicit-TLS port, a client that sends nothing and one that
  sends half a ClientHello are closed.
- Not reading: a client that asks for 20 MB and reads nothing holds up no
  one (another client is served meanwhile) and is closed.
- Full listener: with --max-connections 4, four silent clients fill it, the
  fifth is refused with "* BYE", and once the silent ones timed out a new
  client is served.
- Half-closed and reset: a client that sends its commands and shuts its
  side gets every answer; one that resets the connection mid-answer
  (ECONNRESET, SIGPIPE on a plain write) leaves a server that still serves.
"""

import os
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402

TIMERS = ['--login-timeout', '2', '--idle-timeout', '4']
PATIENCE = 90   # seconds a closure may take on a loaded machine


def connect(port):
    s = socket.create_connection(('127.0.0.1', port), timeout=PATIENCE)
    return s


def read_until_closed(s):
    """Everything the server sends until it closes; fails if it never does."""
    data = b''
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data
        except socket.timeout:
            break
        if not chunk:
            return data
        data += chunk
    check(False, 'the server did not close a connection it should have: %r' % data[-200:])


def read_line(s):
    data = b''
    while not data.endswith(b'\r\n'):
        chunk = s.recv(1)
        check(chunk != b'', 'closed while a line was expected (got %r)' % data)
        data += chunk
    return data


def wait_for_log(srv, text, count=1):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if srv.log().count(text) >= count:
            return
        time.sleep(0.2)
    check(False, 'serve never logged %r %d times: %s' % (text, count, srv.log()[-2000:]))


def served(port):
    """A new IMAP client gets its greeting and an answer to NOOP."""
    s = connect(port)
    greeting = read_line(s)
    check(greeting.startswith(b'* OK'), 'greeting: %r' % greeting)
    s.sendall(b'n1 NOOP\r\n')
    answer = read_line(s)
    check(answer.startswith(b'n1 OK'), 'NOOP: %r' % answer)
    s.sendall(b'n2 LOGOUT\r\n')
    read_until_closed(s)


def silent_and_slow(srv):
    imap, pop3 = srv.ports['imap'], srv.ports['pop3']

    s = connect(imap)
    data = read_until_closed(s)
    check(b'* BYE Autologout' in data, 'a silent IMAP client: want * BYE Autologout, got %r' % data)

    s = connect(imap)
    read_line(s)
    closed = False
    for _ in range(int(PATIENCE / 0.25)):
        try:
            s.sendall(b'x')
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        time.sleep(0.25)
    check(closed or read_until_closed(s) is not None, 'a line sent a byte at a time kept its connection')

    s = connect(imap)
    read_line(s)
    s.sendall(b'a LOGIN {5}\r\n')
    check(read_line(s).startswith(b'+'), 'no continuation for a small literal before login')
    read_until_closed(s)

    s = connect(imap)
    read_line(s)
    s.sendall(b'a LOGIN alice wonderland\r\n')
    check(read_line(s).startswith(b'a OK'), 'LOGIN failed')
    s.sendall(b'b APPEND INBOX {100000000}\r\n')
    answer = read_line(s)
    check(answer.startswith(b'b BAD [TOOBIG]') or answer.startswith(b'b NO [TOOBIG]'),
          'a literal over the message size: want [TOOBIG] before the +, got %r' % answer)
    s.sendall(b'c APPEND INBOX {6000000}\r\n')
    check(read_line(s).startswith(b'+'), 'no continuation for APPEND')
    s.sendall(b'only the start of the message\r\n')
    data = read_until_closed(s)
    check(b'* BYE Autologout' in data, 'a literal never finished: want * BYE Autologout, got %r' % data)
    print('ok: silent client, byte-a-second line, literals never sent: closed')

    s = connect(pop3)
    read_line(s)
    s.sendall(b'USER alice\r\nPASS wonderland\r\nDELE 1\r\n')
    for _ in range(3):
        check(read_line(s).startswith(b'+OK'), 'POP3 login or DELE failed')
    data = read_until_closed(s)
    check(data == b'', 'POP3 timed out with words (RFC 1939: none): %r' % data)
    s = connect(pop3)
    read_line(s)
    s.sendall(b'USER alice\r\nPASS wonderland\r\nSTAT\r\nQUIT\r\n')
    lines = read_until_closed(s).split(b'\r\n')
    check(lines[2].startswith(b'+OK 5 '), 'a timed-out POP3 session deleted something: %r' % lines)
    print('ok: POP3 session timed out in TRANSACTION: closed silently, nothing deleted')


def not_reading(srv):
    imap = srv.ports['imap']
    s = connect(imap)
    read_line(s)
    s.sendall(b'a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc FETCH 1:* BODY[]\r\n')
    time.sleep(0.5)
    served(imap)
    wait_for_log(srv, 'disconnect (inactive too long)')
    s.close()
    print('ok: a client that reads nothing holds up no one and is closed')

    s = connect(imap)
    read_line(s)
    s.sendall(b'a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc FETCH 1:* BODY[]\r\n')
    s.recv(1000)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()   # RST while the server writes: ECONNRESET / EPIPE on its side
    wait_for_log(srv, 'disconnect (connection lost)')
    served(imap)

    s = connect(imap)
    read_line(s)
    s.sendall(b'a LOGIN alice wonderland\r\nb SELECT INBOX\r\nc FETCH 1 (FLAGS)\r\n')
    s.shutdown(socket.SHUT_WR)
    data = read_until_closed(s)
    check(b'c OK' in data, 'a half-closed client did not get every answer: %r' % data[-300:])
    print('ok: reset mid-answer and half-closed clients: answers given, server still serves')


def full_listener(srv):
    imap = srv.ports['imap']
    held = [connect(imap) for _ in range(4)]
    for s in held:
        check(read_line(s).startswith(b'* OK'), 'no greeting')
    extra = connect(imap)
    data = read_until_closed(extra)
    check(data.startswith(b'* BYE Too many connections'), 'the fifth client: %r' % data)
    for s in held:
        read_until_closed(s)
    wait_for_log(srv, 'disconnect (inactive too long)', 4)
    served(imap)
    print('ok: a listener full of silent clients refuses the next, and serves again once they timed out')


def tls_port():
    with tempfile.TemporaryDirectory(prefix='ms-hostile-tls-') as tmp:
        with TlsServe(tmp, TIMERS) as t:
            for payload in (b'', b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + b'\x00' * 20):
                s = connect(t.port('imaps'))
                s.sendall(payload)
                data = read_until_closed(s)
                check(b'* OK' not in data, 'plain text on the TLS port: %r' % data)
            wait_for_log(t.srv, 'disconnect (inactive too long)', 2)
    print('ok: implicit-TLS port: silence and half a ClientHello are closed')


def big_mailbox():
    folder = temp_dir('ms-hostile-big-')
    line = b'a line of a large message, long enough to add up quickly........\r\n'
    messages = [b'From: a@example.org\r\nSubject: big %d\r\n\r\n' % i + line * 15000 for i in range(20)]
    write_mailbox(folder, messages)
    return folder


small = temp_dir('ms-hostile-mail-')
write_mailbox(small)
with Serve(['--mail', small, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0'] + TIMERS) as srv:
    silent_and_slow(srv)
with Serve(['--mail', big_mailbox(), '--imap', '127.0.0.1:0'] + TIMERS) as srv:
    not_reading(srv)
with Serve(['--mail', small, '--imap', '127.0.0.1:0', '--max-connections', '4'] + TIMERS) as srv:
    full_listener(srv)
tls_port()

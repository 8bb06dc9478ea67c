# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw sockets against `mailscope serve` POP3, for what client libraries
never send: a failed login holds only its own session (another logs in,
works and quits while the first still waits for its -ERR), pipelined
commands in one packet, a NUL byte, an over-long line (-ERR, then the
server closes), and the bad-command limit."""

import os
import select
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=30)
        self.buf = b''
        check(self.line().startswith(b'+OK'), 'greeting')

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        while b'\r\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('server closed with %r pending' % self.buf)
            self.buf += chunk
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def has_data(self):
        return bool(self.buf) or bool(select.select([self.sock], [], [], 0)[0])

    def closed(self):
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except OSError:
            return True


def main():
    tmp = temp_dir('ms-pop3-wire-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)

    with Serve(['--mail', folder, '--user', 'alice:wonderland', '--user', 'bob:builder',
                '--pop3', '127.0.0.1:0']) as srv:
        port = srv.ports['pop3']

        # A's failed login is held; B is served meanwhile.
        a = Client(port)
        a.send(b'USER alice\r\nPASS wrong\r\n')
        check(a.line().startswith(b'+OK'), 'USER')
        b = Client(port)
        b.send(b'USER bob\r\nPASS builder\r\nSTAT\r\nQUIT\r\n')
        replies = [b.line() for _ in range(4)]
        check(all(r.startswith(b'+OK') for r in replies), 'B while A is held: %r' % replies)
        check(not a.has_data(), 'A got its answer before B was served')
        check(a.line().startswith(b'-ERR [AUTH]'), 'A is answered after the hold')

        # Pipelining: everything in one packet, answered in order.
        c = Client(port)
        c.send(b'USER alice\r\nPASS wonderland\r\nSTAT\r\nLIST 1\r\nUIDL 1\r\nNOOP\r\nQUIT\r\n')
        replies = [c.line() for _ in range(7)]
        check(replies[2] == b'+OK %d %d' % (len(expected), sum(map(len, expected))), 'STAT %r' % replies)
        check(replies[3] == b'+OK 1 %d' % len(expected[0]) and replies[6].startswith(b'+OK Goodbye'),
              'pipelined answers %r' % replies)
        check(c.closed(), 'the server closes after QUIT')

        # A NUL byte: -ERR, and the session goes on.
        d = Client(port)
        d.send(b'NO\x00OP\r\nCAPA\r\n')
        check(d.line().startswith(b'-ERR Control characters'), 'NUL byte')
        check(d.line().startswith(b'+OK'), 'CAPA after the NUL byte')
        while d.line() != b'.':
            pass

        # An over-long line: -ERR, then the server closes.
        d.send(b'USER ' + b'x' * 5000 + b'\r\n')
        check(d.line().startswith(b'-ERR Line too long'), 'over-long line')
        check(d.closed(), 'the server closes after an over-long line')

        # Ten bad commands: the tenth -ERR says goodbye and the server closes.
        e = Client(port)
        e.send(b''.join(b'BOGUS%d\r\n' % i for i in range(12)))
        replies = [e.line() for _ in range(10)]
        check(all(r.startswith(b'-ERR') for r in replies) and b'too many bad commands' in replies[9],
              'bad commands %r' % replies)
        check(e.closed(), 'the server closes after too many bad commands')
    print('ok: holds, pipelining and bad input over TCP')


main()

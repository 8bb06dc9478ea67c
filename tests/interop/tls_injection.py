# SPDX-License-Identifier: GPL-3.0-or-later
"""STARTTLS command injection (the CVE-2011-0411 class) against `mailscope
serve`: a client (or a man in the middle) puts a second command right after
STARTTLS/STLS in the same write. That command was sent in plain text before
the handshake and must never be answered: not in plain text (those bytes
would arrive before the ServerHello and break the handshake, so we check the
plain-text answer ends exactly at the go-ahead line), and not under TLS (the
first answer after the handshake is the one to our next command). The
transcript must show the command was never executed.

Also: a command sent in a separate write after STLS but before the
handshake is taken as a broken ClientHello: the connection fails and the
command is not executed either."""

import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, temp_dir  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402


def read_line(sock, buf):
    """Reads up to and including the next CRLF; returns (line, rest)."""
    while b'\r\n' not in buf:
        chunk = sock.recv(4096)
        check(chunk != b'', 'the server closed the connection; so far %r' % buf)
        buf += chunk
    line, rest = buf.split(b'\r\n', 1)
    return line, rest


def inject(t, port, greeting_prefix, payload, go_ahead, next_command, next_answer, injected_answer):
    with socket.create_connection(('127.0.0.1', port), timeout=30) as raw:
        greeting, rest = read_line(raw, b'')
        check(greeting.startswith(greeting_prefix), 'greeting %r' % greeting)
        check(rest == b'', 'bytes after the greeting %r' % rest)
        raw.sendall(payload)
        line, rest = read_line(raw, b'')
        check(line.startswith(go_ahead), 'go-ahead %r' % line)
        # Nothing after the go-ahead: an answer to the injected command in
        # plain text would have to come here.
        check(rest == b'', 'the server answered after the go-ahead in plain text: %r' % rest)
        tls = t.context().wrap_socket(raw, server_hostname='127.0.0.1')
        tls.sendall(next_command)
        first, _ = read_line(tls, b'')
        check(not first.startswith(injected_answer), 'the injected command was answered under TLS: %r' % first)
        check(first.startswith(next_answer), 'first answer under TLS %r' % first)
        tls.close()


def inject_late(port, payload, later):
    """The second command in its own write, after the go-ahead, before any
    handshake: it is the first thing the TLS layer sees."""
    with socket.create_connection(('127.0.0.1', port), timeout=30) as raw:
        read_line(raw, b'')
        raw.sendall(payload)
        read_line(raw, b'')
        raw.sendall(later)
        data = b''
        while True:
            chunk = raw.recv(4096)
            if not chunk:
                break
            data += chunk
        # At most a TLS alert record (content type 21; OpenSSL sends none for
        # bytes it cannot take for a record at all), never a POP3/IMAP line.
        check(data == b'' or data[:1] == b'\x15', 'the server answered a plain-text command after STLS: %r' % data)


def main():
    tmp = temp_dir('ms-tls-injection-')
    with TlsServe(tmp) as t:
        inject(t, t.port('imap'), b'* OK', b'a1 STARTTLS\r\na2 CAPABILITY\r\n', b'a1 OK',
               b'a3 NOOP\r\n', b'a3 OK', b'* CAPABILITY')
        inject(t, t.port('imap'), b'* OK', b'a1 STARTTLS\r\na2 LOGIN alice wonderland\r\n', b'a1 OK',
               b'a3 NOOP\r\n', b'a3 OK', b'a2')
        inject(t, t.port('pop3'), b'+OK', b'STLS\r\nCAPA\r\n', b'+OK',
               b'USER alice\r\n', b'+OK', b'+OK Capability')
        inject(t, t.port('pop3'), b'+OK', b'STLS\r\nUSER alice\r\nPASS wonderland\r\n', b'+OK',
               b'STAT\r\n', b'-ERR', b'+OK')
        inject_late(t.port('pop3'), b'STLS\r\n', b'CAPA\r\n')
        inject_late(t.port('imap'), b'b1 STARTTLS\r\n', b'b2 CAPABILITY\r\n')
        # The server is still there for everyone else.
        with socket.create_connection(('127.0.0.1', t.port('imap')), timeout=30) as raw:
            check(read_line(raw, b'')[0].startswith(b'* OK'), 'the server did not survive')

    lines = t.transcript_lines()
    commands = [line.split(' C: ', 1)[1] for line in lines if ' C: ' in line]
    check('CAPA' not in commands, 'an injected CAPA was executed: %r' % commands)
    check(not any(c.startswith('a2 ') or c.startswith('b2 ') for c in commands),
          'an injected IMAP command was executed: %r' % commands)
    check(not any(c.startswith('PASS') for c in commands), 'an injected PASS was executed: %r' % commands)
    check(commands.count('USER alice') == 1, 'USER ran %d times (once, under TLS)' % commands.count('USER alice'))
    print('ok: nothing sent after STARTTLS/STLS before the handshake was executed (%d commands seen)'
          % len(commands))


main()

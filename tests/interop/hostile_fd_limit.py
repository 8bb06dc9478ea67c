# SPDX-License-Identifier: GPL-3.0-or-later
"""`mailscope serve` out of file descriptors, on real sockets.

Each connection holds a descriptor, and four listeners of 1000 connections
need more than the usual soft limit of 1024. The test lowers the limit to 64
(setrlimit before exec, as `prlimit --nofile=64` would) so that it is cheap:

- serve says at start that the limit is too low for its listeners;
- 150 clients connect at once: each is either served or told it is refused
  (IMAP "* BYE", POP3 "-ERR [SYS/TEMP]") and closed, none hangs, every
  refusal has its own log line, and the server does not spin: GSocketService,
  which serve used before, retried the failing accept() at once and wrote a
  warning per turn (about 170,000 lines in a few seconds);
- sessions that were open before go on working;
- once clients leave, new ones are served again;
- with a hard limit above the soft one, serve raises its soft limit to
  what its listeners need (Dovecot does the same).
"""

import os
import resource
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402

TIMEOUT = 60


def limit(soft, hard):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return set_limit


def read_line(s):
    data = b''
    while not data.endswith(b'\r\n'):
        chunk = s.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def cpu_seconds(pid):
    fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def soft_limit(pid):
    for line in open('/proc/%d/limits' % pid):
        if line.startswith('Max open files'):
            return int(line.split()[3])
    return 0


def flood(srv, name, count, greeting, refusal):
    """Opens @count connections at once; returns the served ones and how many were refused."""
    clients = [socket.create_connection(('127.0.0.1', srv.ports[name]), timeout=TIMEOUT) for _ in range(count)]
    served, refused = [], 0
    for s in clients:
        line = read_line(s)
        if line.startswith(greeting):
            served.append(s)
        else:
            check(line.startswith(refusal) or line == b'', '%s: neither served nor refused: %r' % (name, line))
            check(s.recv(100) == b'', '%s: a refused client was not closed' % name)
            refused += 1
            s.close()
    return served, refused


folder = temp_dir('ms-hostile-fd-')
write_mailbox(folder)
args = ['--mail', folder, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0']

with Serve(args, preexec_fn=limit(64, 64)) as srv:
    check('at most 64 open files' in srv.log(), 'no warning about the low limit: %s' % srv.log())

    # A session opened before the flood.
    early = socket.create_connection(('127.0.0.1', srv.ports['imap']), timeout=TIMEOUT)
    read_line(early)
    early.sendall(b'a LOGIN alice wonderland\r\nb SELECT INBOX\r\n')
    while not read_line(early).startswith(b'b OK'):
        pass

    cpu_before = cpu_seconds(srv.proc.pid)
    started = time.monotonic()
    served_imap, refused_imap = flood(srv, 'imap', 120, b'* OK', b'* BYE')
    served_pop3, refused_pop3 = flood(srv, 'pop3', 30, b'+OK', b'-ERR [SYS/TEMP]')
    time.sleep(2)   # a spinning accept loop would burn these two seconds
    cpu = cpu_seconds(srv.proc.pid) - cpu_before
    wall = time.monotonic() - started
    print('figure: %d IMAP and %d POP3 clients served, %d and %d refused; %.2f s of CPU in %.1f s'
          % (len(served_imap), len(served_pop3), refused_imap, refused_pop3, cpu, wall))
    check(refused_imap + refused_pop3 > 0, 'the limit of 64 descriptors was never reached')
    check(len(served_imap) > 0, 'no IMAP client was served')
    log = srv.log()
    check(log.count('out of file descriptors') == refused_imap + refused_pop3,
          'one log line per refused client: %d lines, %d refused'
          % (log.count('out of file descriptors'), refused_imap + refused_pop3))
    check('GLib-GIO-WARNING' not in log and 'fail:' not in log, 'accept() failures spin: %s' % log[-500:])

    # The early session goes on.
    early.sendall(b'c FETCH 1 (FLAGS)\r\nd NOOP\r\n')
    while True:
        line = read_line(early)
        check(line != b'', 'the early session was closed')
        if line.startswith(b'd '):
            check(line.startswith(b'd OK'), 'NOOP in the early session: %r' % line)
            break
    print('ok: out of descriptors: clients refused with a reason and a log line each, no spinning, '
          'the open session goes on')

    # Clients leave; new ones are served again.
    for s in served_imap + served_pop3:
        s.close()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        s = socket.create_connection(('127.0.0.1', srv.ports['imap']), timeout=TIMEOUT)
        line = read_line(s)
        s.close()
        if line.startswith(b'* OK'):
            break
        time.sleep(0.2)
    check(line.startswith(b'* OK'), 'no client served after descriptors were freed: %r' % line)
    again, refused = flood(srv, 'imap', 20, b'* OK', b'* BYE')
    check(len(again) == 20 and refused == 0, 'after recovery: %d served, %d refused' % (len(again), refused))
    for s in again:
        s.close()
    early.close()
    print('ok: descriptors freed: new clients are served again')

with Serve(args, preexec_fn=limit(64, 4096)) as srv:
    got = soft_limit(srv.proc.pid)
    check(got == 2 * 1000 + 64, 'soft limit raised to what 2 listeners of 1000 need: %d' % got)
    check('open files' not in srv.log(), 'a warning although the limit was raised: %s' % srv.log())
    print('ok: the soft limit is raised to %d (hard 4096)' % got)

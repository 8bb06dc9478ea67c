# SPDX-License-Identifier: GPL-3.0-or-later
"""Python's poplib against `mailscope serve`: every message byte for byte,
STAT/LIST/UIDL/TOP, DELE+RSET, DELE+QUIT, a dropped connection, the maildrop
lock, APOP, a failed login, and UIDLs that survive a restart with --state."""

import os
import poplib
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402


def login(port, user='alice', password='wonderland'):
    pop = poplib.POP3('127.0.0.1', port, timeout=30)
    pop.user(user)
    pop.pass_(password)
    return pop


def body(lines):
    # poplib removes the byte-stuffing and the CRLFs: put the CRLFs back.
    return b''.join(line + b'\r\n' for line in lines)


def uidl_map(pop):
    return dict(line.split() for line in pop.uidl()[1])


def main():
    tmp = temp_dir('ms-pop3-poplib-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)
    n = len(expected)
    total = sum(len(m) for m in expected)
    state = os.path.join(tmp, 'state')
    args = ['--mail', folder, '--user', 'alice:wonderland', '--user', 'bob:builder',
            '--pop3', '127.0.0.1:0', '--state', state]

    with Serve(args) as srv:
        port = srv.ports['pop3']

        # STAT, LIST, UIDL, RETR, TOP.
        pop = login(port)
        check(pop.stat() == (n, total), 'STAT %r, expected %r' % (pop.stat(), (n, total)))
        listing = [line.split() for line in pop.list()[1]]
        check(listing == [[b'%d' % i, b'%d' % len(m)] for i, m in enumerate(expected, 1)],
              'LIST %r' % listing)
        uidls = uidl_map(pop)
        check(len(set(uidls.values())) == n, 'UIDLs not unique: %r' % uidls)
        for value in uidls.values():
            check(1 <= len(value) <= 70 and all(0x21 <= c <= 0x7e for c in value), 'bad UIDL %r' % value)
        for i, message in enumerate(expected, 1):
            resp, lines, octets = pop.retr(i)
            got = body(lines)
            check(got == message, 'RETR %d differs:\n%r\n%r' % (i, got, message))
            check(resp.startswith(b'+OK %d octets' % len(message)), 'RETR %d answer %r' % (i, resp))
        head = body(pop.top(1, 0)[1])
        check(head == expected[0].split(b'\r\n\r\n', 1)[0] + b'\r\n\r\n', 'TOP 1 0 %r' % head)
        top2 = body(pop.top(4, 2)[1])
        check(top2.endswith(b'\r\n\r\nline 1\r\nline 2\r\n'), 'TOP 4 2 %r' % top2)

        # DELE then RSET: nothing is deleted.
        pop.dele(1)
        check(pop.stat() == (n - 1, total - len(expected[0])), 'STAT after DELE')
        pop.rset()
        check(pop.stat() == (n, total), 'STAT after RSET')

        # The lock: a second session for alice gets [IN-USE]; bob is free.
        second = poplib.POP3('127.0.0.1', port, timeout=30)
        second.user('alice')
        try:
            second.pass_('wonderland')
            check(False, 'a second session got the locked maildrop')
        except poplib.error_proto as e:
            check(b'[IN-USE]' in e.args[0], 'lock answer %r' % e.args[0])
        second.quit()
        bob = login(port, 'bob', 'builder')
        check(bob.stat() == (n, total), 'bob sees his own INBOX')
        bob.quit()
        pop.quit()

        # A dropped connection deletes nothing.
        pop = login(port)
        pop.dele(1)
        pop.dele(2)
        pop.sock.shutdown(socket.SHUT_RDWR)
        pop.sock.close()
        pop = login(port)  # also shows the lock was released
        check(pop.stat() == (n, total), 'a dropped connection deleted something: %r' % (pop.stat(),))

        # DELE + QUIT really deletes, and the others keep their UIDLs.
        pop.dele(2)
        pop.quit()
        pop = login(port)
        check(pop.stat() == (n - 1, total - len(expected[1])), 'DELE+QUIT did not delete')
        after = uidl_map(pop)
        remaining = [v for k, v in sorted(uidls.items(), key=lambda kv: int(kv[0])) if k != b'2']
        check([after[b'%d' % i] for i in range(1, n)] == remaining, 'UIDLs changed: %r %r' % (uidls, after))
        check(body(pop.retr(2)[1]) == expected[2], 'message 3 is message 2 now')
        pop.quit()

        # APOP, with the timestamp of the greeting.
        pop = poplib.POP3('127.0.0.1', port, timeout=30)
        pop.apop('alice', 'wonderland')
        check(pop.stat()[0] == n - 1, 'APOP login')
        pop.quit()

        # A wrong password: -ERR [AUTH] (after the delay), then a right one works.
        pop = poplib.POP3('127.0.0.1', port, timeout=30)
        pop.user('alice')
        try:
            pop.pass_('wrong')
            check(False, 'a wrong password was accepted')
        except poplib.error_proto as e:
            check(e.args[0].startswith(b'-ERR [AUTH]'), 'wrong password answer %r' % e.args[0])
        pop.user('alice')
        pop.pass_('wonderland')
        pop.quit()

    # A restart with the same --state: same messages, same UIDLs.
    with Serve(args) as srv:
        pop = login(srv.ports['pop3'])
        again = uidl_map(pop)
        check(again == after, 'UIDLs changed across a restart: %r %r' % (after, again))
        check(body(pop.retr(1)[1]) == expected[0], 'message 1 after restart')
        pop.quit()
        log = srv.log()
    check('login alice' in log and 'wonderland' not in log, 'stderr log: %r' % log)
    print('ok: poplib fetched %d messages (%d octets) byte for byte' % (n, total))


main()

# SPDX-License-Identifier: GPL-3.0-or-later
"""Limits and security rules of `mailscope serve`, each checked on the wire.

- connections per listener (--max-connections; the default is
  MS_LIMIT_LISTENER_CONNECTIONS): the next client gets the protocol's refusal
  and is closed, and a freed slot is usable again;
- logged-in sessions per account (--max-sessions; the default is
  MS_LIMIT_ACCOUNT_SESSIONS): one more IMAP LOGIN gets NO [LIMIT], and a
  session that logs out frees its place;
- listeners bind loopback unless told otherwise;
- on a non-loopback address plaintext logins are refused before TLS (POP3
  -ERR [AUTH], IMAP LOGINDISABLED and NO) unless --allow-plaintext. Linux
  treats all of 127/8 as loopback, so the test binds 127.0.0.2 with
  MS_TEST_TREAT_AS_REMOTE=1, which makes the listener behave as if remote;
- failed logins from one address delay that address's next greetings, more
  after each failure, while a client from another address is greeted first;
- no password (nor its base64 form in AUTH PLAIN) in stderr or the transcript;
- --state creates its files 0600 and its folders 0700;
- keywords: a STORE or APPEND that would give a message more than 256
  keywords (MS_LIMIT_MESSAGE_KEYWORDS) gets NO [LIMIT] and changes nothing,
  a keyword over 200 characters is BAD, and what was accepted up to the
  limit is read back after a restart with --state (a message with 400
  keywords once made the journal unreadable, so the server would not start);
- repeated bad commands end an IMAP connection: 20 BAD answers, then
  "* BYE" and the server closes (POP3: tests/interop/pop3_wire.py; SMTP,
  which serve does not offer: tests/unit/test-smtp.c).
"""

import base64
import imaplib
import os
import poplib
import select
import socket
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import MAILSCOPE, Serve, check, fail, temp_dir, write_mailbox  # noqa: E402

PASSWORD = 'S3cret-Passw0rd'
WRONG = 'Wr0ng-Guess-42'

mail = temp_dir('ms-limits-mail-')
write_mailbox(mail)


def read_line(sock, timeout=30):
    """One CRLF-terminated line, or what came before EOF."""
    sock.settimeout(timeout)
    data = b''
    while not data.endswith(b'\r\n'):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode(errors='replace')


def is_closed(sock, timeout=30):
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b''
    except ConnectionResetError:
        return True


def connect(port, source='127.0.0.1'):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.connect(('127.0.0.1' if source.startswith('127.0.0.') else source, port))
    return sock


def test_connection_limit():
    with Serve(['--mail', mail, '--pop3', '127.0.0.1:0', '--imap', '127.0.0.1:0',
                '--max-connections', '3']) as srv:
        for name, ok, refusal in (('pop3', '+OK', '-ERR [SYS/TEMP] too many connections'),
                                  ('imap', '* OK', '* BYE Too many connections')):
            held = [connect(srv.ports[name]) for _ in range(3)]
            for sock in held:
                check(read_line(sock).startswith(ok), '%s: a client within the limit was not greeted' % name)
            extra = connect(srv.ports[name])
            line = read_line(extra)
            check(line == refusal + '\r\n', '%s: the 4th client got %r, not the refusal' % (name, line))
            check(is_closed(extra), '%s: the refused client was not closed' % name)
            extra.close()
            # A slot freed is a slot usable again (the server sees the close
            # asynchronously: retry a bounded number of times).
            held.pop().close()
            for attempt in range(50):
                again = connect(srv.ports[name])
                line = read_line(again)
                again.close()
                if line.startswith(ok):
                    break
            else:
                fail('%s: a freed slot was never given to a new client' % name)
            for sock in held:
                sock.close()
        check('refused a connection from 127.0.0.1: too many connections' in srv.log(),
              'the refusal was not logged: ' + srv.log())
    print('ok: connection limit (3 per listener, 4th refused) for POP3 and IMAP')


def test_session_limit():
    with Serve(['--mail', mail, '--imap', '127.0.0.1:0', '--max-sessions', '2']) as srv:
        port = srv.ports['imap']
        held = []
        for _ in range(2):
            client = imaplib.IMAP4('127.0.0.1', port, timeout=30)
            client.login('alice', 'wonderland')
            held.append(client)
        extra = imaplib.IMAP4('127.0.0.1', port, timeout=30)
        try:
            extra.login('alice', 'wonderland')
            fail('a third session was let in with --max-sessions 2')
        except imaplib.IMAP4.error as e:
            check('[LIMIT]' in str(e), 'the third LOGIN was refused without [LIMIT]: %s' % e)
        held.pop().logout()
        # The logout is seen asynchronously: retry a bounded number of times.
        for attempt in range(50):
            try:
                extra.login('alice', 'wonderland')
                break
            except imaplib.IMAP4.error:
                pass
        else:
            fail('a freed session place was never given to a new login')
        extra.logout()
        for client in held:
            client.logout()
    print('ok: session limit (2 per account, 3rd LOGIN NO [LIMIT], freed place reused)')


def test_loopback_default():
    with Serve(['--mail', mail, '--pop3', 'localhost:0']) as srv:
        pass
    # With no address at all serve binds its default ports; in a busy test
    # run they may be taken, which is not what this checks.
    proc = subprocess.Popen([MAILSCOPE, 'serve', '--mail', mail], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline().decode()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    if line.startswith('ready'):
        addresses = [item.split('=', 1)[1] for item in line.split()[1:]]
        check(addresses and all(a.startswith('127.0.0.1:') for a in addresses),
              'default listeners are not all on loopback: ' + line)
        print('ok: default listeners on loopback: ' + line.strip())
    else:
        check(b'cannot listen' in err, 'serve without addresses failed: %r' % err)
        print('skip: default ports busy (%s)' % err.decode().strip())
    print('ok: localhost binds loopback (port %d)' % srv.ports['pop3'])


def test_remote_needs_tls():
    env_before = os.environ.get('MS_TEST_TREAT_AS_REMOTE')
    os.environ['MS_TEST_TREAT_AS_REMOTE'] = '1'
    try:
        users = ['--user', 'alice:' + PASSWORD]
        with Serve(['--mail', mail, '--pop3', '127.0.0.2:0', '--imap', '127.0.0.2:0'] + users) as srv:
            check('not loopback: logins need TLS first' in srv.log(), 'no warning about the remote listener')
            pop = poplib.POP3('127.0.0.2', srv.ports['pop3'], timeout=30)
            try:
                pop.user('alice')
                pop.pass_(PASSWORD)
                fail('POP3 accepted a plaintext login on a non-loopback address')
            except poplib.error_proto as e:
                check(b'[AUTH]' in e.args[0], 'POP3 refused with %r, not -ERR [AUTH]' % e.args[0])
            pop.quit()
            imap = imaplib.IMAP4('127.0.0.2', srv.ports['imap'], timeout=30)
            check('LOGINDISABLED' in imap.capabilities, 'IMAP does not announce LOGINDISABLED')
            try:
                imap.login('alice', PASSWORD)
                fail('IMAP accepted a plaintext login on a non-loopback address')
            except imaplib.IMAP4.error:
                pass
            imap.logout()
        with Serve(['--mail', mail, '--pop3', '127.0.0.2:0', '--imap', '127.0.0.2:0',
                    '--allow-plaintext'] + users) as srv:
            pop = poplib.POP3('127.0.0.2', srv.ports['pop3'], timeout=30)
            pop.user('alice')
            pop.pass_(PASSWORD)
            pop.quit()
            imap = imaplib.IMAP4('127.0.0.2', srv.ports['imap'], timeout=30)
            imap.login('alice', PASSWORD)
            imap.logout()
    finally:
        if env_before is None:
            del os.environ['MS_TEST_TREAT_AS_REMOTE']
        else:
            os.environ['MS_TEST_TREAT_AS_REMOTE'] = env_before
    print('ok: non-loopback listeners refuse plaintext logins (POP3 -ERR [AUTH], IMAP LOGINDISABLED) '
          'unless --allow-plaintext')


def fail_login(port):
    pop = poplib.POP3('127.0.0.1', port, timeout=60)
    pop.user('alice')
    try:
        pop.pass_(WRONG)
        fail('a wrong password was accepted')
    except poplib.error_proto:
        pass
    pop.quit()


def test_address_delay():
    with Serve(['--mail', mail, '--pop3', '127.0.0.1:0', '--user', 'alice:' + PASSWORD]) as srv:
        port = srv.ports['pop3']
        # The first MS_LIMIT_ADDRESS_LOGIN_FREE (2) failures cost nothing more.
        for _ in range(3):
            fail_login(port)
        check('greeting delayed' not in srv.log(), 'a connection was delayed within the free failures')
        # The guesser's address waits; another address is greeted first.
        guesser = connect(port, '127.0.0.1')
        other = connect(port, '127.0.0.2')
        check(read_line(other).startswith('+OK'), 'the other client was not greeted')
        readable, _, _ = select.select([guesser], [], [], 0)
        check(not readable, 'the guessing address was greeted before the other client')
        check(read_line(guesser, timeout=60).startswith('+OK'), 'the delayed client was never greeted')
        guesser.close()
        other.close()
        check('greeting delayed 1000 ms after failed logins from 127.0.0.1' in srv.log(),
              'no 1000 ms delay logged: ' + srv.log())
        # A second failure doubles the wait.
        fail_login(port)
        late = connect(port, '127.0.0.1')
        check(read_line(late, timeout=60).startswith('+OK'), 'the delayed client was never greeted')
        late.close()
        check('greeting delayed 2000 ms after failed logins from 127.0.0.1' in srv.log(),
              'the delay did not grow: ' + srv.log())
        check('127.0.0.2' not in ''.join(l for l in srv.log().splitlines() if 'delayed' in l),
              'the other address was delayed too')
    print('ok: after 2 free failures, failed logins delay the next greetings of that address only '
          '(1000 ms after the 3rd, 2000 ms after the 4th)')


def test_no_passwords_in_logs():
    folder = temp_dir('ms-limits-log-')
    transcript = os.path.join(folder, 'transcript.txt')
    with Serve(['--mail', mail, '--pop3', '127.0.0.1:0', '--imap', '127.0.0.1:0',
                '--user', 'alice:' + PASSWORD, '--transcript', transcript]) as srv:
        pop = poplib.POP3('127.0.0.1', srv.ports['pop3'], timeout=60)
        pop.user('alice')
        pop.pass_(PASSWORD)
        pop.quit()
        pop = poplib.POP3('127.0.0.1', srv.ports['pop3'], timeout=60)
        plain = base64.b64encode(b'\0alice\0' + PASSWORD.encode()).decode()
        check(pop._shortcmd('AUTH PLAIN ' + plain).startswith(b'+OK'), 'POP3 AUTH PLAIN failed')
        pop.quit()
        imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
        try:
            imap.login('alice', WRONG)
        except imaplib.IMAP4.error:
            pass
        imap.login('alice', PASSWORD)
        imap.logout()
        imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
        imap.authenticate('PLAIN', lambda _: b'\0alice\0' + PASSWORD.encode())
        imap.logout()
        log = srv.log()
    with open(transcript, encoding='utf-8', errors='replace') as f:
        text = f.read()
    check('LOGIN' in text and 'PASS' in text, 'the transcript does not record the logins')
    secrets = [PASSWORD, WRONG, plain]
    for where, content in (('stderr', log), ('transcript', text)):
        for secret in secrets:
            check(secret not in content, 'a secret (%s...) appears in the %s' % (secret[:3], where))
    print('ok: no password in stderr (%d bytes) or the transcript (%d bytes)' % (len(log), len(text)))


def test_state_permissions():
    folder = temp_dir('ms-limits-state-')
    state = os.path.join(folder, 'state')
    with Serve(['--mail', mail, '--imap', '127.0.0.1:0', '--state', state]) as srv:
        imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
        imap.login('alice', 'wonderland')
        typ, _ = imap.append('INBOX', '(\\Seen)', None, b'Subject: kept\r\n\r\nKept.\r\n')
        check(typ == 'OK', 'APPEND failed')
        imap.create('Work')
        imap.logout()
    n_files = n_dirs = 0
    for root, dirs, files in os.walk(state):
        mode = stat.S_IMODE(os.stat(root).st_mode)
        check(mode == 0o700, '%s is %o, not 700' % (root, mode))
        n_dirs += 1
        for name in files:
            mode = stat.S_IMODE(os.stat(os.path.join(root, name)).st_mode)
            check(mode == 0o600, '%s is %o, not 600' % (os.path.join(root, name), mode))
            n_files += 1
    check(n_files > 0, 'serve --state wrote no files')
    print('ok: --state: %d files 0600, %d folders 0700' % (n_files, n_dirs))


def keyword_list(first, n):
    return '(' + ' '.join('kw%d' % i for i in range(first, first + n)) + ')'


def test_keyword_limits():
    folder = temp_dir('ms-limits-keywords-')
    state = os.path.join(folder, 'state')
    args = ['--mail', mail, '--imap', '127.0.0.1:0', '--state', state]
    with Serve(args) as srv:
        imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
        imap.login('alice', 'wonderland')
        imap.select('INBOX')
        for first in range(0, 256, 64):
            typ, data = imap.store('1', '+FLAGS.SILENT', keyword_list(first, 64))
            check(typ == 'OK', 'STORE of keywords %d..%d: %s %r' % (first, first + 63, typ, data))
        # One more, even among ones it has, passes the limit; the same 256
        # in another case do not.
        typ, data = imap.store('1', '+FLAGS.SILENT', '(kw0 kw999)')
        check(typ == 'NO' and b'[LIMIT]' in data[0], 'keyword 257: want NO [LIMIT], got %s %r' % (typ, data))
        typ, data = imap.store('1', '+FLAGS.SILENT', keyword_list(0, 256).upper())
        check(typ == 'OK', 'the same 256 keywords in upper case: %s %r' % (typ, data))
        # A set is refused as a whole: message 2 does not change either.
        typ, data = imap.store('1:2', '+FLAGS.SILENT', '(kw999)')
        check(typ == 'NO' and b'[LIMIT]' in data[0], 'STORE 1:2: want NO [LIMIT], got %s %r' % (typ, data))
        typ, data = imap.fetch('2', '(FLAGS)')
        check(b'kw999' not in data[0], 'message 2 changed by a refused STORE: %r' % data[0])
        typ, data = imap.store('2', 'FLAGS.SILENT', keyword_list(0, 300))
        check(typ == 'NO' and b'[LIMIT]' in data[0], 'FLAGS with 300: want NO [LIMIT], got %s %r' % (typ, data))
        typ, data = imap.append('INBOX', keyword_list(0, 257), None, b'Subject: k\r\n\r\nk\r\n')
        check(typ == 'NO' and b'[LIMIT]' in data[0], 'APPEND with 257: want NO [LIMIT], got %s %r' % (typ, data))
        try:
            typ, data = imap.store('2', '+FLAGS.SILENT', '(%s)' % ('k' * 201))
        except imaplib.IMAP4.error as e:
            typ, data = 'BAD', [str(e).encode()]
        check(typ == 'BAD' and b'200' in data[0], 'a keyword of 201 characters: want BAD, got %s %r' % (typ, data))
        typ, data = imap.store('2', '+FLAGS.SILENT', '(%s)' % ('k' * 200))
        check(typ == 'OK', 'a keyword of 200 characters: %s %r' % (typ, data))
        imap.logout()
    with Serve(args) as srv:
        imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
        imap.login('alice', 'wonderland')
        imap.select('INBOX')
        typ, data = imap.fetch('1:2', '(FLAGS)')
        flags = [d for d in data if isinstance(d, bytes)]
        check(typ == 'OK' and len(flags) == 2, 'FETCH after restart: %s %r' % (typ, data))
        check(flags[0].count(b' kw') + flags[0].count(b'(kw') == 256,
              'message 1 came back with %d keywords, want 256' % flags[0].count(b'kw'))
        check(b'k' * 200 in flags[1], 'message 2 lost its 200-character keyword')
        imap.logout()
    print('ok: keywords: 256 per message, then NO [LIMIT] for STORE and APPEND; 201 characters BAD; '
          'read back after a restart')


def test_bad_commands_disconnect():
    with Serve(['--mail', mail, '--imap', '127.0.0.1:0']) as srv:
        sock = connect(srv.ports['imap'])
        check(read_line(sock).startswith('* OK'), 'no IMAP greeting')
        sock.sendall(b''.join(b'b%d BOGUS\r\n' % i for i in range(30)))
        bad = 0
        while True:
            line = read_line(sock)
            check(line != '', 'closed before BYE after %d BAD answers' % bad)
            if line.startswith('* BYE'):
                break
            check(' BAD ' in line, 'want BAD for an unknown command, got %r' % line)
            bad += 1
        check(bad == 20, 'BYE after %d BAD answers, want 20 (MS_LIMIT_IMAP_BAD_COMMANDS)' % bad)
        check(is_closed(sock), 'the server kept the connection open after BYE')
        sock.close()
    print('ok: IMAP: 20 bad commands, then * BYE and the connection is closed')


test_connection_limit()
test_session_limit()
test_loopback_default()
test_remote_needs_tls()
test_address_delay()
test_no_passwords_in_logs()
test_state_permissions()
test_keyword_limits()
test_bad_commands_disconnect()

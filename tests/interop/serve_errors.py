# SPDX-License-Identifier: GPL-3.0-or-later
"""Clear errors from `mailscope serve` when the files it needs fail it.

- an unreadable --mail file: one line on stderr naming the file, exit 2,
  nothing listening. As root every file is readable, so the server then runs
  as the user nobody (the check is skipped if that is impossible);
- a full disk under --state (a 64 KiB tmpfs, which needs root: skipped
  cleanly when mount fails): each failed write is logged with the file and
  the reason ("No space left on device"), and the server keeps serving;
- a second serve on a --state DIR that one is using: refused with one line
  and exit 2, and what the first acknowledges afterwards is still there at
  the next start. Before, both ran: the second rewrote the journals, the
  first went on appending to the files it had replaced, and an APPEND
  answered OK was gone after a restart. After SIGKILL of the holder, DIR
  can be used again at once;
- a --transcript that cannot be written (/dev/full; a full tmpfs): one
  line on stderr when it starts failing, serving goes on, and one line
  when it works again. Before, the lines were lost without a word.
"""

import imaplib
import os
import poplib
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import MAILSCOPE, Serve, check, temp_dir, write_mailbox  # noqa: E402

NOBODY = 65534


def drop_to_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def test_unreadable_mail():
    folder = temp_dir('ms-serve-errors-')
    os.chmod(folder, 0o755)
    path = os.path.join(folder, 'unreadable.mbox')
    with open(path, 'wb') as f:
        f.write(b'From a@example.org Mon Jan  1 00:00:00 2024\nSubject: x\n\nhi\n\n')
    os.chmod(path, 0)
    preexec = None
    if os.geteuid() == 0:
        preexec = drop_to_nobody
        probe = subprocess.run([MAILSCOPE, '--help'], preexec_fn=preexec, capture_output=True)
        if probe.returncode != 0:
            print('skip: cannot run mailscope as nobody to test an unreadable file')
            return
    proc = subprocess.run([MAILSCOPE, 'serve', '--mail', path, '--pop3', '127.0.0.1:0'],
                          preexec_fn=preexec, capture_output=True, timeout=60,
                          env=dict(os.environ, HOME=folder))
    err = proc.stderr.decode(errors='replace')
    lines = [line for line in err.splitlines() if line.strip()]
    check(proc.returncode == 2, 'serve exited %d, not 2: %s' % (proc.returncode, err))
    check(b'ready' not in proc.stdout, 'serve started listening anyway')
    check(len(lines) == 1, 'expected one line on stderr, got: %r' % err)
    check(path in lines[0] and 'Permission denied' in lines[0], 'the line does not name the file and why: ' + lines[0])
    print('ok: unreadable --mail: exit 2, "%s"' % lines[0])


def test_full_disk():
    mount_point = temp_dir('ms-serve-full-')
    mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount_point],
                             capture_output=True)
    if mounted.returncode != 0:
        print('skip: cannot mount a small tmpfs (%s)' % mounted.stderr.decode(errors='replace').strip())
        return
    try:
        mail = temp_dir('ms-serve-full-mail-')
        write_mailbox(mail)
        with Serve(['--mail', mail, '--imap', '127.0.0.1:0', '--state', os.path.join(mount_point, 'state')]) as srv:
            imap = imaplib.IMAP4('127.0.0.1', srv.ports['imap'], timeout=60)
            imap.login('alice', 'wonderland')
            for n in range(4):
                imap.append('INBOX', None, None, b'Subject: big %d\r\n\r\n' % n + b'x' * 30000 + b'\r\n')
            # Still serving after the failures.
            typ, _ = imap.select('INBOX')
            check(typ == 'OK', 'the server stopped serving after a full disk')
            imap.logout()
            log = srv.log()
        failures = [line for line in log.splitlines() if 'No space left on device' in line]
        check(failures, 'a full disk under --state was not logged: ' + log)
        check(all(mount_point in line for line in failures), 'the log line does not name the file')
        print('ok: full disk under --state logged %d times, e.g. %s' % (len(failures), failures[0][:160]))
    finally:
        subprocess.run(['umount', mount_point], capture_output=True)


def test_state_in_use():
    mail = temp_dir('ms-serve-lock-mail-')
    write_mailbox(mail)
    state = os.path.join(temp_dir('ms-serve-lock-'), 'state')
    args = ['--mail', mail, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0', '--state', state]
    with Serve(args) as first:
        second = subprocess.run([MAILSCOPE, 'serve'] + args, capture_output=True, timeout=60,
                                stdin=subprocess.DEVNULL)
        err = second.stderr.decode(errors='replace')
        lines = [line for line in err.splitlines() if line.strip()]
        check(second.returncode == 2, 'a second serve on the same --state exited %d, not 2: %s'
              % (second.returncode, err))
        check(b'ready' not in second.stdout, 'a second serve on the same --state started listening')
        check(len(lines) == 1 and state in lines[0] and 'in use' in lines[0]
              and str(first.proc.pid) in lines[0], 'the refusal does not say who holds DIR: %r' % err)
        imap = imaplib.IMAP4('127.0.0.1', first.ports['imap'], timeout=60)
        imap.login('alice', 'wonderland')
        typ, _ = imap.append('INBOX', None, None, b'Subject: after the refusal\r\n\r\nkept\r\n')
        check(typ == 'OK', 'APPEND after the refused second serve failed')
        imap.logout()
        first.kill()   # SIGKILL: the kernel releases the lock
    with Serve(args) as again:
        imap = imaplib.IMAP4('127.0.0.1', again.ports['imap'], timeout=60)
        imap.login('alice', 'wonderland')
        imap.select('INBOX', readonly=True)
        typ, data = imap.search(None, 'SUBJECT', '"after the refusal"')
        check(typ == 'OK' and len(data[0].split()) == 1, 'the acknowledged APPEND is not there once: %r' % data)
        imap.logout()
    print('ok: a second serve on a --state in use: exit 2, "%s"; usable again after SIGKILL, nothing lost'
          % lines[0])


def pop3_session(port):
    pop = poplib.POP3('127.0.0.1', port, timeout=60)
    pop.user('alice')
    pop.pass_('wonderland')
    count, _ = pop.stat()
    pop.quit()
    return count


def transcript_lines(log):
    return [line for line in log.splitlines() if line.startswith('transcript:')]


def test_transcript_unwritable():
    mail = temp_dir('ms-serve-transcript-mail-')
    write_mailbox(mail)
    with Serve(['--mail', mail, '--pop3', '127.0.0.1:0', '--transcript', '/dev/full']) as srv:
        for _ in range(3):
            check(pop3_session(srv.ports['pop3']) > 0, 'POP3 stopped working with an unwritable transcript')
        lines = transcript_lines(srv.log())
    check(len(lines) == 1 and 'cannot write' in lines[0] and 'No space left' in lines[0],
          'an unwritable transcript was not said once on stderr: %r' % lines)
    print('ok: --transcript /dev/full: "%s", once; still serving' % lines[0])

    mount_point = temp_dir('ms-serve-transcript-full-')
    mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount_point], capture_output=True)
    if mounted.returncode != 0:
        print('skip: cannot mount a small tmpfs for the transcript')
        return
    try:
        filler = os.path.join(mount_point, 'filler')
        with Serve(['--mail', mail, '--pop3', '127.0.0.1:0', '--transcript',
                    os.path.join(mount_point, 'transcript.log')]) as srv:
            with open(filler, 'wb') as f:
                try:
                    f.write(b'x' * (128 * 1024))
                except OSError:
                    pass
            pop3_session(srv.ports['pop3'])
            pop3_session(srv.ports['pop3'])
            os.unlink(filler)
            pop3_session(srv.ports['pop3'])
            lines = transcript_lines(srv.log())
        check(len(lines) == 2 and 'cannot write' in lines[0] and 'works again' in lines[1],
              'a full and then freed disk under --transcript was not told: %r' % lines)
        print('ok: --transcript on a full tmpfs: told when it failed and when it worked again')
    finally:
        subprocess.run(['umount', mount_point], capture_output=True)


test_unreadable_mail()
test_full_disk()
test_state_in_use()
test_transcript_unwritable()

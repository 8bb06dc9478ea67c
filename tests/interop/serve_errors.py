# SPDX-License-Identifier: GPL-3.0-or-later
"""Clear errors from `mailscope serve` when the files it needs fail it.

- an unreadable --mail file: one line on stderr naming the file, exit 2,
  nothing listening. As root every file is readable, so the server then runs
  as the user nobody (the check is skipped if that is impossible);
- a full disk under --state (a 64 KiB tmpfs, which needs root: skipped
  cleanly when mount fails): each failed write is logged with the file and
  the reason ("No space left on device"), and the server keeps serving.
"""

import imaplib
import os
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


test_unreadable_mail()
test_full_disk()

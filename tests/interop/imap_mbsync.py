# SPDX-License-Identifier: GPL-3.0-or-later
"""mbsync (isync) against `mailscope serve --imap`: a generated config syncs
the account into a local Maildir; every message must arrive byte for byte,
and a flag set locally must reach the server on the next run. mbsync uses
UID FETCH, LITERAL- APPENDs, UIDPLUS and many pipelined commands."""

import imaplib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402


def run_mbsync(config):
    result = subprocess.run(['mbsync', '-c', config, '-a'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=120)
    check(result.returncode == 0, 'mbsync exited %d:\n%s\n%s' % (result.returncode, result.stdout.decode(),
                                                                 result.stderr.decode()))


def maildir_messages(path):
    found = []
    for sub in ('new', 'cur'):
        for name in sorted(os.listdir(os.path.join(path, sub))):
            with open(os.path.join(path, sub, name), 'rb') as f:
                found.append((name, f.read()))
    return found


def main():
    if shutil.which('mbsync') is None:
        print('mbsync is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-imap-mbsync-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)
    local = os.path.join(tmp, 'local')
    os.makedirs(local)

    with Serve(['--mail', folder, '--imap', '127.0.0.1:0']) as srv:
        port = srv.ports['imap']
        imap = imaplib.IMAP4('127.0.0.1', port)
        imap.login('alice', 'wonderland')
        imap.create('Lists/GNOME')
        imap.append('Lists/GNOME', None, None, b'Subject: In a folder\r\n\r\nNested.\r\n')

        config = os.path.join(tmp, 'mbsyncrc')
        with open(config, 'w') as f:
            f.write('IMAPAccount ms\nHost 127.0.0.1\nPort %d\nUser alice\nPass wonderland\n'
                    'SSLType None\nAuthMechs LOGIN PLAIN\n\n'
                    'IMAPStore remote\nAccount ms\n\n'
                    'MaildirStore near\nPath %s/\nInbox %s/INBOX\nSubFolders Verbatim\n\n'
                    'Channel ms\nFar :remote:\nNear :near:\nPatterns *\nCreate Both\nExpunge Both\n'
                    'SyncState *\n' % (port, local, local))
        run_mbsync(config)

        got = [data for _, data in maildir_messages(os.path.join(local, 'INBOX'))]
        check(len(got) == len(expected), 'mbsync fetched %d of %d' % (len(got), len(expected)))
        # mbsync stores LF line ends in the Maildir and may add an X-TUID
        # header line; compare after undoing both.
        stripped = sorted(b''.join(l for l in g.splitlines(True) if not l.startswith(b'X-TUID: ')) for g in got)
        check(stripped == sorted(m.replace(b'\r\n', b'\n') for m in expected),
              'mbsync messages differ from the server\'s')
        nested = maildir_messages(os.path.join(local, 'Lists', 'GNOME'))
        check(len(nested) == 1 and b'Nested.' in nested[0][1], 'nested folder synced')

        # Mark one message flagged locally (Maildir flag F), sync, ask the server.
        cur = os.path.join(local, 'INBOX', 'cur')
        sub = 'cur' if os.listdir(cur) else 'new'
        name = sorted(os.listdir(os.path.join(local, 'INBOX', sub)))[0]
        base, _, flags = name.partition(':2,')
        os.rename(os.path.join(local, 'INBOX', sub, name),
                  os.path.join(cur, base + ':2,' + ''.join(sorted(flags + 'F'))))
        # And a new local message goes up with APPEND.
        with open(os.path.join(local, 'INBOX', 'new', '1700000000.local.host'), 'wb') as f:
            f.write(b'Subject: Written offline\r\n\r\nHello from the Maildir.\r\n')
        run_mbsync(config)
        imap.select('INBOX')
        typ, data = imap.search(None, 'FLAGGED')
        check(typ == 'OK' and len(data[0].split()) == 1, 'flag synced to the server: %r' % data)
        typ, data = imap.search(None, 'SUBJECT', 'offline')
        check(typ == 'OK' and len(data[0].split()) == 1, 'local message appended: %r' % data)
        imap.logout()
    print('ok: mbsync synced %d messages and a nested folder both ways' % len(expected))


if __name__ == '__main__':
    main()

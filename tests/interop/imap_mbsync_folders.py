# SPDX-License-Identifier: GPL-3.0-or-later
"""mbsync (isync) with a multi-folder account over IMAPS and over STARTTLS,
trusting exactly the server's self-signed certificate: changes on both sides
(flags, a deletion, a MOVE on the server, a local message in a subfolder)
meet in one sync; a second sync has nothing to do; a folder renamed on the
server arrives under its new name. After every sync the server's folders,
flags and messages and mbsync's Maildir must agree."""

import imaplib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, temp_dir  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402

MAILDIR_FLAGS = {'\\Seen': 'S', '\\Flagged': 'F', '\\Answered': 'R', '\\Draft': 'D'}


def config(path, port, ssl_type, cafile, local):
    os.makedirs(local, exist_ok=True)
    with open(path, 'w') as f:
        f.write('IMAPAccount ms\nHost 127.0.0.1\nPort %d\nUser alice\nPass wonderland\n'
                'SSLType %s\nCertificateFile %s\n\n'
                'IMAPStore remote\nAccount ms\n\n'
                'MaildirStore near\nPath %s/\nInbox %s/INBOX\nSubFolders Verbatim\n\n'
                'Channel ms\nFar :remote:\nNear :near:\nPatterns *\nCreate Both\nRemove Both\nExpunge Both\n'
                'SyncState *\n' % (port, ssl_type, cafile, local, local))


def mbsync(path):
    """Runs mbsync -V; returns its output, which must hold no error."""
    result = subprocess.run(['mbsync', '-V', '-c', path, '-a'], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=120)
    out = result.stdout.decode(errors='replace')
    check(result.returncode == 0, 'mbsync exited %d:\n%s' % (result.returncode, out))
    for line in out.splitlines():
        check(not line.startswith('Error') and 'IMAP error' not in line, 'mbsync: %s' % line)
    return out


def server_state(imap):
    """{folder: sorted [(subject, flags)]} as the server has it."""
    state = {}
    typ, folders = imap.list()
    for line in folders:
        name = line.decode().split(' "/" ', 1)[1].strip('"')
        typ, data = imap.select('"%s"' % name, readonly=True)
        check(typ == 'OK', 'EXAMINE %s' % name)
        items = []
        if int(data[0]) > 0:
            typ, data = imap.fetch('1:*', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
            for part in data:
                if isinstance(part, tuple):
                    flags = imaplib.ParseFlags(part[0])
                    letters = ''.join(sorted(MAILDIR_FLAGS[f.decode()] for f in flags
                                             if f.decode() in MAILDIR_FLAGS))
                    items.append((part[1].decode().strip(), letters))
        state[name] = sorted(items)
    imap.unselect() if imap.state == 'SELECTED' else None
    return state


def maildir_state(local):
    """The same from the Maildir tree (mbsync's X-TUID lines ignored)."""
    state = {}
    for root, dirs, files in os.walk(local):
        if os.path.basename(root) not in ('cur', 'new'):
            continue
        name = os.path.relpath(os.path.dirname(root), local)
        items = state.setdefault(name, [])
        for entry in files:
            info = entry.partition(':2,')[2]
            if 'T' in info:
                continue
            with open(os.path.join(root, entry), 'rb') as f:
                subject = next((l.strip() for l in f.read().decode().splitlines()
                                if l.startswith('Subject:')), '')
            items.append((subject, ''.join(sorted(c for c in info if c in 'SFRD'))))
    for name in list(state):
        state[name] = sorted(state[name])
    for root, dirs, files in os.walk(local):
        if 'cur' in dirs:
            state.setdefault(os.path.relpath(root, local), [])
    return state


def agree(imap, local, when):
    server, near = server_state(imap), maildir_state(local)
    check(server == near, '%s: server and Maildir differ:\nserver %r\nmaildir %r' % (when, server, near))
    return server


def maildir_file(local, folder, subject):
    for sub in ('cur', 'new'):
        for entry in os.listdir(os.path.join(local, folder, sub)):
            with open(os.path.join(local, folder, sub, entry), 'rb') as f:
                if ('Subject: ' + subject).encode() in f.read():
                    return os.path.join(local, folder, sub, entry)
    fail_path = '%s/%s' % (folder, subject)
    check(False, 'no local message %s' % fail_path)


def set_local_flags(path, flags):
    base = os.path.basename(path).partition(':2,')[0]
    os.rename(path, os.path.join(os.path.dirname(os.path.dirname(path)), 'cur', base + ':2,' + flags))


def main():
    if shutil.which('mbsync') is None:
        print('mbsync is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-imap-mbsync-folders-')
    with TlsServe(tmp) as tls:
        imap = imaplib.IMAP4('127.0.0.1', tls.port('imap'))
        imap.login('alice', 'wonderland')
        for folder in ('Work', 'Work/Projects', 'Archive'):
            check(imap.create(folder)[0] == 'OK', 'CREATE %s' % folder)
        for i in range(3):
            imap.append('Work', '(\\Flagged)', None, b'Subject: work %d\r\n\r\nBody %d\r\n' % (i, i))
        imap.append('Archive', None, None, b'Subject: old\r\n\r\nOld.\r\n')

        local = os.path.join(tmp, 'imaps')
        rc = os.path.join(tmp, 'mbsyncrc-imaps')
        config(rc, tls.port('imaps'), 'IMAPS', tls.cafile, local)
        mbsync(rc)
        first = agree(imap, local, 'first sync')
        check(len(first['INBOX']) == len(tls.expected) and len(first['Work']) == 3, 'all synced: %r' % first)

        # The server side: flags, a deletion, a MOVE; the local side: flags,
        # a deletion (T), a new message in a subfolder.
        imap.select('INBOX')
        imap.store('1', '+FLAGS', '(\\Seen \\Answered)')
        imap.store('2', '+FLAGS', '(\\Deleted)')
        imap.expunge()
        check(imap.uid('MOVE', imap.fetch('1', '(UID)')[1][0].split()[-1].rstrip(b')'), 'Archive')[0] == 'OK',
              'MOVE')
        imap.select('Work')
        imap.store('1', '-FLAGS', '(\\Flagged)')
        imap.close()
        set_local_flags(maildir_file(local, 'INBOX', 'Lines'), 'FS')
        set_local_flags(maildir_file(local, 'INBOX', 'Last'), 'T')
        with open(os.path.join(local, 'Work', 'Projects', 'new', '1700000000.local.host'), 'wb') as f:
            f.write(b'Subject: written offline\n\nHello.\n')
        mbsync(rc)
        after = agree(imap, local, 'sync both ways')
        check(('Subject: Lines', 'FS') in after['INBOX'], 'local flags reached the server: %r' % after)
        check(not any(s == 'Subject: Last' for s, _ in after['INBOX']), 'local deletion reached the server')
        check(after['Work/Projects'] == [('Subject: written offline', '')], 'APPEND from the Maildir')
        check(len(after['Archive']) == 2, 'moved message in Archive: %r' % after['Archive'])

        # Nothing to do: mbsync sends no STORE, APPEND or EXPUNGE.
        out = mbsync(rc)
        for verb in ('pushing', 'pulling', 'Storing', 'Expunging'):
            check(verb not in out, 'second sync still had work: %s' % out)

        check(imap.rename('Work', 'Office')[0] == 'OK', 'RENAME')
        mbsync(rc)
        renamed = maildir_state(local)
        check(renamed.get('Office') == after['Work'] and renamed.get('Office/Projects') == after['Work/Projects'],
              'renamed folder synced under its new name: %r' % renamed)

        # STARTTLS on the plain port: a fresh Maildir gets the same account.
        local2 = os.path.join(tmp, 'starttls')
        rc2 = os.path.join(tmp, 'mbsyncrc-starttls')
        config(rc2, tls.port('imap'), 'STARTTLS', tls.cafile, local2)
        mbsync(rc2)
        agree(imap, local2, 'STARTTLS sync')
        imap.logout()
    print('ok: mbsync synced %d folders both ways over IMAPS and STARTTLS' % len(renamed))


if __name__ == '__main__':
    main()

# SPDX-License-Identifier: GPL-3.0-or-later
"""`serve --state DIR` on a full disk acknowledges nothing it could not save.

Two ways to make writes fail, each on a real server over real sockets:

- A file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that write()
  fails with EFBIG instead of killing the server): works for any user. A
  message larger than the limit cannot be saved: APPEND must answer
  NO [LIMIT] and leave no trace; smaller changes still work; once the limit
  is raised (prlimit on the running server) the same APPEND works. Then
  the limit is lowered to the INBOX journal's size, so that no change to
  INBOX can be written: STORE and MOVE get NO [LIMIT], POP3 DELE+QUIT gets
  -ERR [SYS/TEMP], and no session sees any of them (the store writes before
  it changes).
- A small tmpfs filled to the last byte (root only; skipped otherwise):
  APPEND gets NO [OVERQUOTA], a STORE whose journal line is larger than a
  page gets NO [OVERQUOTA]; POP3 DELE+QUIT either works (its short line
  may fit in the journal's last page) or gets -ERR [SYS/TEMP], and either
  way memory and disk agree; the server logs one line when saving starts failing and
  one when it works again; after the filler is removed the same commands
  succeed without a restart.

After each part the server is stopped and started again on the same DIR:
every acknowledged change is there, under the same UID, and nothing that
was refused is.
"""

import imaplib
import os
import poplib
import re
import resource
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, fail, temp_dir, write_mailbox  # noqa: E402

FSIZE_LIMIT = 256 * 1024


def message(tag, size=200):
    body = ('filler line for %s\r\n' % tag) * max(1, size // 24)
    return ('From: t@example.org\r\nSubject: %s\r\nX-Tag: %s\r\n\r\n' % (tag, tag) + body).encode()


def append(imap, tag, size=200):
    typ, data = imap.append('INBOX', None, None, message(tag, size))
    text = (data[0] or b'').decode(errors='replace')
    if typ == 'OK':
        m = re.search(r'APPENDUID \d+ (\d+)', text)
        check(m is not None, 'APPEND OK without APPENDUID: %r' % text)
        return int(m.group(1)), text
    return None, text


def open_inbox(port, readonly=False):
    imap = imaplib.IMAP4('127.0.0.1', port, timeout=60)
    imap.login('alice', 'wonderland')
    typ, _ = imap.select('INBOX', readonly=readonly)
    check(typ == 'OK', 'SELECT INBOX failed')
    return imap


def tags_by_uid(port):
    """UID -> (X-Tag, flags) of INBOX after a restart."""
    imap = open_inbox(port, readonly=True)
    typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (X-Tag)])')
    check(typ == 'OK', 'FETCH after restart failed')
    out = {}
    for item in data:
        if isinstance(item, tuple):
            uid = int(re.search(rb'UID (\d+)', item[0]).group(1))
            flags = set(re.search(rb'FLAGS \(([^)]*)\)', item[0]).group(1).decode().split())
            m = re.search(rb'X-Tag: (\S+)', item[1])
            out[uid] = (m.group(1).decode() if m else None, flags)
    imap.logout()
    return out


def verify(args, acked, refused, flagged=(), gone=()):
    with Serve(args) as srv:
        found = tags_by_uid(srv.ports['imap'])
    tags = [t for t, _ in found.values() if t is not None]
    for tag, uid in acked.items():
        check(found.get(uid, (None,))[0] == tag, 'acknowledged APPEND %s (UID %d) lost after restart: %r'
              % (tag, uid, found))
    for tag in refused:
        check(tag not in tags, 'refused APPEND %s is there after restart' % tag)
    check(len(tags) == len(set(tags)), 'a message exists twice: %r' % tags)
    for uid in flagged:
        check('\\Flagged' in found[uid][1], 'acknowledged STORE on UID %d lost' % uid)
    for uid in gone:
        check(uid not in found, 'POP3 deletion of UID %d lost' % uid)
    return found


def log_lines(srv, text):
    return [line for line in srv.log().splitlines() if text in line]


def part_file_size_limit():
    mail = temp_dir('ms-full-mail-')
    write_mailbox(mail)
    state = os.path.join(temp_dir('ms-full-fsize-'), 'state')
    args = ['--mail', mail, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0', '--state', state]

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, resource.RLIM_INFINITY))

    acked, refused = {}, []
    with Serve(args, preexec_fn=limit) as srv:
        imap = open_inbox(srv.ports['imap'])
        uid, _ = append(imap, 'small-1')
        check(uid is not None, 'a small APPEND failed under the file size limit')
        acked['small-1'] = uid
        uid, text = append(imap, 'big-1', 2 * FSIZE_LIMIT)
        check(uid is None, 'APPEND of a message over the file size limit was acknowledged')
        check('[LIMIT]' in text, 'APPEND over the file size limit: want NO [LIMIT], got %r' % text)
        refused.append('big-1')
        check(len(log_lines(srv, 'state: cannot save changes')) == 1,
              'serve did not log the failure once: %s' % srv.log())
        # The refused message left nothing behind, and a small change heals.
        typ, data = imap.uid('SEARCH', 'HEADER', 'X-Tag', 'big-1')
        check(typ == 'OK' and data[0].split() == [], 'the refused APPEND is visible: %r' % data)
        uid, text = append(imap, 'small-2')
        check(uid is not None, 'a small APPEND after the refused one failed: %r' % text)
        acked['small-2'] = uid
        check(len(log_lines(srv, 'state: saving changes works again')) == 1,
              'serve did not log the recovery: %s' % srv.log())
        # The limit raised on the running server: the same APPEND now works.
        resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        uid, text = append(imap, 'big-2', 2 * FSIZE_LIMIT)
        check(uid is not None, 'APPEND after raising the limit failed: %r' % text)
        acked['big-2'] = uid
        refuse_inbox_changes(srv, state, imap, acked)
        imap.logout()
    found = verify(args, acked, refused, flagged=[acked['small-2']])
    check('small-1' not in [t for t, _ in found.values()], 'the original of a MOVE came back: %r' % found)
    check_kept(args, 'small-1')
    print('ok: file size limit: NO [LIMIT] for the large APPEND, %d acknowledged kept, refused absent' % len(acked))


def inbox_journal(state):
    lines = open(os.path.join(state, 'accounts', 'alice', 'mailboxes')).read().splitlines()
    for line in lines[2:]:
        fields = line.split(' ', 3)
        if fields[3].upper() == 'INBOX':
            return os.path.join(state, 'accounts', 'alice', fields[0] + '.log')
    fail('no INBOX in the mailboxes file')


def snapshot(port):
    """UID -> flags of INBOX, seen by a new session."""
    imap = open_inbox(port, readonly=True)
    typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS)')
    imap.logout()
    check(typ == 'OK', 'FETCH FLAGS failed')
    return {int(re.search(rb'UID (\d+)', d).group(1)): re.search(rb'FLAGS \(([^)]*)\)', d).group(1)
            for d in data if d}


def refuse_inbox_changes(srv, state, imap, acked):
    """No change to INBOX can be written: each is refused and none is seen."""
    port = srv.ports['imap']
    journal = inbox_journal(state)
    size = os.path.getsize(journal)
    resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
    before = snapshot(port)
    target = str(acked['small-1'])
    typ, data = imap.uid('STORE', target, '+FLAGS', '(\\Flagged \\Deleted)')
    check(typ == 'NO' and b'[LIMIT]' in data[-1], 'STORE that cannot be saved: want NO [LIMIT], got %s %r' % (typ, data))
    check(b'\\Flagged' not in (imap.uid('FETCH', target, '(FLAGS)')[1][0] or b''),
          'the session that was told NO sees the flag')
    check(snapshot(port) == before, 'another session sees a STORE that was not saved')
    # A MOVE out of INBOX is written as one record in the target's journal,
    # which can grow: it stands although INBOX's own record of it failed,
    # and the restart must not bring the original back.
    typ, data = imap.create('Kept')
    check(typ == 'OK', 'CREATE Kept failed: %r' % data)
    typ, data = imap.uid('MOVE', target, 'Kept')
    check(typ == 'OK', 'MOVE whose record fits in the target journal: want OK, got %s %r' % (typ, data))
    before.pop(int(target))
    check(snapshot(port) == before, 'INBOX after the MOVE: want %r' % before)
    moved = acked.pop('small-1')
    typ, data = imap.status('Kept', '(MESSAGES)')
    check(typ == 'OK' and b'MESSAGES 1' in data[0], 'Kept after the MOVE: %r' % data)
    # The next change first writes INBOX's journal again, shorter (any
    # outcome of this STORE is right); then the limit holds it at that size.
    imap.uid('STORE', str(acked['small-2']), '+FLAGS', '(\\Seen)')
    size = os.path.getsize(journal)
    resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
    before = snapshot(port)
    uidl, answer = pop3_delete_first(srv.ports['pop3'])
    check(answer.startswith('-ERR [SYS/TEMP]'), 'POP3 QUIT that cannot be saved: want -ERR [SYS/TEMP], got %r' % answer)
    check(snapshot(port) == before, 'a POP3 deletion that was not saved is seen')
    check(os.path.getsize(journal) <= size, 'the journal grew past the limit')
    resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    typ, data = imap.uid('STORE', str(acked['small-2']), '+FLAGS', '(\\Flagged)')
    check(typ == 'OK', 'STORE after raising the limit: %s %r' % (typ, data))
    print('ok: INBOX journal at its size limit: STORE and POP3 QUIT refused and unseen, MOVE out stands')
    return moved


def check_kept(args, tag):
    with Serve(args) as srv:
        imap = open_inbox(srv.ports['imap'], readonly=True)
        typ, data = imap.select('Kept', readonly=True)
        typ, data = imap.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (X-Tag)])')
        imap.logout()
    tags = [re.search(rb'X-Tag: (\S+)', d[1]).group(1).decode() for d in data if isinstance(d, tuple)]
    check(tags == [tag], 'Kept after restart: want [%r], got %r' % (tag, tags))


def fill(path):
    """Writes until the file system is full, to the last byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b'\0' * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def part_tmpfs():
    if os.geteuid() != 0:
        print('skip: tmpfs part (needs root to mount)')
        return
    mnt = tempfile.mkdtemp(prefix='ms-full-tmpfs-')
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mnt],
                      stderr=subprocess.DEVNULL).returncode != 0:
        os.rmdir(mnt)
        print('skip: tmpfs part (mount refused)')
        return
    try:
        run_tmpfs(mnt)
    finally:
        subprocess.run(['umount', '-l', mnt])
        os.rmdir(mnt)


def pop3_delete_first(port):
    """DELE 1 and QUIT; returns (UID of message 1 by UIDL, QUIT answer)."""
    pop = poplib.POP3('127.0.0.1', port, timeout=60)
    pop.user('alice')
    pop.pass_('wonderland')
    uidl = pop.uidl(1).decode().split()[2]
    pop.dele(1)
    try:
        answer = pop.quit().decode()
    except poplib.error_proto as e:
        answer = str(e.args[0], 'utf-8', 'replace') if isinstance(e.args[0], bytes) else str(e)
    return uidl, answer


def run_tmpfs(mnt):
    mail = temp_dir('ms-full-mail-')
    write_mailbox(mail)
    state = os.path.join(mnt, 'state')
    filler = os.path.join(mnt, 'filler')
    args = ['--mail', mail, '--imap', '127.0.0.1:0', '--pop3', '127.0.0.1:0', '--state', state]
    acked, refused, flagged, gone = {}, [], [], []
    with Serve(args) as srv:
        imap = open_inbox(srv.ports['imap'])
        uid, _ = append(imap, 'before')
        check(uid is not None, 'APPEND before filling failed')
        acked['before'] = uid

        fill(filler)
        uid, text = append(imap, 'full-1', 20000)
        check(uid is None, 'APPEND on a full disk was acknowledged')
        check('[OVERQUOTA]' in text, 'APPEND on a full disk: want NO [OVERQUOTA], got %r' % text)
        refused.append('full-1')
        # A journal line larger than a page cannot fit in the last page's slack.
        keywords = ' '.join('kw%03d-%s' % (i, 'x' * 90) for i in range(60))
        typ, data = imap.uid('STORE', str(acked['before']), '+FLAGS', '(%s)' % keywords)
        check(typ == 'NO' and b'[OVERQUOTA]' in data[-1],
              'STORE on a full disk: want NO [OVERQUOTA], got %s %r' % (typ, data))
        before = snapshot(srv.ports['imap'])
        uidl, answer = pop3_delete_first(srv.ports['pop3'])
        if answer.startswith('+OK'):
            gone.append(int(uidl[8:], 16))
        else:
            check(answer.startswith('-ERR [SYS/TEMP]'),
                  'POP3 QUIT on a full disk: want +OK or -ERR [SYS/TEMP], got %r' % answer)
            check(snapshot(srv.ports['imap']) == before, 'a POP3 deletion that was not saved is seen')
        check(len(log_lines(srv, 'state: cannot save changes')) == 1,
              'serve did not log the failure exactly once: %s' % srv.log())

        os.unlink(filler)
        typ, data = imap.uid('STORE', str(acked['before']), '+FLAGS', '(\\Flagged)')
        check(typ == 'OK', 'STORE after freeing space: %s %r' % (typ, data))
        flagged.append(acked['before'])
        uid, text = append(imap, 'after', 20000)
        check(uid is not None, 'APPEND after freeing space failed: %r' % text)
        acked['after'] = uid
        uidl, answer = pop3_delete_first(srv.ports['pop3'])
        check(answer.startswith('+OK'), 'POP3 QUIT after freeing space: %r' % answer)
        gone.append(int(uidl[8:], 16))   # UIDL is UIDVALIDITY and UID, 8 hex digits each
        check(len(log_lines(srv, 'state: saving changes works again')) == 1,
              'serve did not log the recovery once: %s' % srv.log())
        imap.logout()
    found = verify(args, acked, refused, flagged, gone)
    print('ok: tmpfs full: NO [OVERQUOTA] / -ERR [SYS/TEMP] while full, recovered without restart; '
          '%d messages after restart' % len(found))


part_file_size_limit()
part_tmpfs()

# SPDX-License-Identifier: GPL-3.0-or-later
"""A throwaway Dovecot for differential tests (Python 3 standard library only).

    from dovecot_fixture import start_dovecot
    dc = start_dovecot(workdir, users={'alice': 'wonderland'}, messages=[b'...'])
    ... imaplib.IMAP4('127.0.0.1', dc.imap_port) ... poplib.POP3('127.0.0.1', dc.pop3_port)
    dc.stop()

What it does, and why it is safe to run anywhere:
- It runs Debian's /usr/sbin/dovecot (dovecot-imapd, dovecot-pop3d) with a
  dovecot.conf generated under `workdir` (`-c workdir/dovecot.conf`); it never
  reads or changes /etc/dovecot and never uses the system's base_dir, state_dir
  or the ports 110/143/993/995: IMAP and POP3 listen on 127.0.0.1 on free
  ports picked at start (the secure listeners are disabled), ssl = no.
- Users come from a passwd-file under `workdir` (plain passwords); the userdb
  is static with the uid/gid of whoever runs the test. Dovecot never gives mail
  access as uid 0, so under root the mail belongs to and is read as `nobody`;
  as another user, the internal and login users are that user and nothing is
  chrooted.
- Every user's INBOX is filled before Dovecot starts with `messages`, in order:
  as Maildir files (mailbox_format='maildir', the default) with a dovecot-uidlist
  that fixes UIDVALIDITY and UIDs 1..n, or as one mbox file ('mbox'). The
  internal date of message i is BASE_DATE + i days (the Maildir file's mtime,
  or the mbox "From " line), so every answer is reproducible.
- The log goes to workdir/dovecot.log (`.log_text()` reads it). `stop()`
  terminates the master by pid and waits for it; it is also registered with
  atexit, so a failing test does not leave Dovecot running.

Run this file directly for a smoke test: it starts Dovecot, logs in over IMAP
and POP3, and prints what it sees.
"""

import atexit
import calendar
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time

DOVECOT = '/usr/sbin/dovecot'
# 2024-01-02 03:04:05 UTC; message i is dated BASE_DATE + i days.
BASE_DATE = calendar.timegm((2024, 1, 2, 3, 4, 5, 0, 0, 0))
UIDVALIDITY = 1700000000


class DovecotUnavailable(Exception):
    """Dovecot is not installed; tests should skip (exit 77) rather than fail."""


def _free_port():
    # Bind to port 0 to let the kernel pick, then hand the number to Dovecot.
    # The small window in which another process could take it is acceptable
    # for a test fixture; start_dovecot retries when Dovecot cannot bind.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def internal_date(index):
    """The internal date (Unix time) the fixture gives to message `index` (0-based)."""
    return BASE_DATE + index * 86400


def _write_maildir(home, messages):
    maildir = os.path.join(home, 'Maildir')
    for sub in ('cur', 'new', 'tmp'):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    lines = ['3 V%d N%d G0123456789abcdef0123456789abcdef\n'
             % (UIDVALIDITY, len(messages) + 1)]
    for i, raw in enumerate(messages):
        date = internal_date(i)
        base = '%d.M%dP1.mailscope' % (date, i + 1)
        name = base + ':2,'
        path = os.path.join(maildir, 'cur', name)
        with open(path, 'wb') as f:
            f.write(raw)
        os.utime(path, (date, date))
        lines.append('%d :%s\n' % (i + 1, base))
    with open(os.path.join(maildir, 'dovecot-uidlist'), 'w') as f:
        f.writelines(lines)
    return 'maildir:~/Maildir'


def _write_mbox(home, messages):
    folder = os.path.join(home, 'mail')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'inbox'), 'wb') as f:
        for i, raw in enumerate(messages):
            stamp = time.strftime('%a %b %e %H:%M:%S %Y', time.gmtime(internal_date(i)))
            f.write(b'From MAILER-DAEMON ' + stamp.encode() + b'\n')
            # mbox has no length field: a body line starting with "From " would
            # start a new message, so it is quoted (mboxrd would also quote ">From ").
            body = raw.replace(b'\r\n', b'\n')
            out = []
            for line in body.split(b'\n'):
                if line.lstrip(b'>').startswith(b'From '):
                    line = b'>' + line
                out.append(line)
            body = b'\n'.join(out)
            if not body.endswith(b'\n'):
                body += b'\n'
            f.write(body + b'\n')
    return 'mbox:~/mail:INBOX=~/mail/inbox'


class Dovecot:
    def __init__(self, workdir, process, imap_port, pop3_port, conf):
        self.workdir = workdir
        self.process = process
        self.imap_port = imap_port
        self.pop3_port = pop3_port
        self.conf = conf
        self.pid = process.pid

    def log_text(self):
        try:
            with open(os.path.join(self.workdir, 'dovecot.log'), errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            # SIGTERM makes the master stop its children and remove its pid file.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _mail_ids():
    # Dovecot refuses mail access as uid 0 whatever first_valid_uid says, so
    # under root the mail processes run as `nobody` (who then owns the mail).
    uid = os.getuid()
    if uid == 0:
        nobody = pwd.getpwnam('nobody')
        return nobody.pw_uid, nobody.pw_gid
    return uid, os.getgid()


def _config(workdir, users_file, mail_location, imap_port, pop3_port, protocols, extra_config=()):
    uid, gid = _mail_ids()
    user = pwd.getpwuid(os.getuid()).pw_name
    lines = [
        '# Generated by tests/interop/dovecot_fixture.py: a throwaway instance.',
        'base_dir = %s/run' % workdir,
        'state_dir = %s/state' % workdir,
        'instance_name = mailscope-test-%d' % os.getpid(),
        'log_path = %s/dovecot.log' % workdir,
        'protocols = %s' % ' '.join(protocols),
        'listen = 127.0.0.1',
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        'mail_location = %s' % mail_location,
        'first_valid_uid = %d' % uid,
        'first_valid_gid = %d' % gid,
        # No fsync and no index files kept in memory only: fast and the same
        # answers (indexes only cache what is parsed from the messages).
        'mail_fsync = never',
        'passdb {',
        '  driver = passwd-file',
        '  args = scheme=PLAIN username_format=%%u %s' % users_file,
        '}',
        'userdb {',
        '  driver = static',
        '  args = uid=%d gid=%d home=%s/home/%%u' % (uid, gid, workdir),
        '}',
        'service imap-login {',
        '  inet_listener imap {',
        '    address = 127.0.0.1',
        '    port = %d' % imap_port,
        '  }',
        '  inet_listener imaps {',
        '    port = 0',
        '  }',
        '}',
        'service pop3-login {',
        '  inet_listener pop3 {',
        '    address = 127.0.0.1',
        '    port = %d' % pop3_port,
        '  }',
        '  inet_listener pop3s {',
        '    port = 0',
        '  }',
        '}',
        'service submission-login {',
        '  inet_listener submission {',
        '    port = 0',
        '  }',
        '}',
        'service lmtp {',
        '  unix_listener lmtp {',
        '    mode = 0600',
        '  }',
        '}',
        'protocol pop3 {',
        '  pop3_uidl_format = %08Xu%08Xv',
        '}',
    ]
    if os.getuid() != 0:
        # Not root: every process runs as us, nothing is chrooted.
        lines += [
            'default_internal_user = %s' % user,
            'default_login_user = %s' % user,
            'service imap-login {',
            '  chroot =',
            '}',
            'service pop3-login {',
            '  chroot =',
            '}',
        ]
    lines += list(extra_config)
    return '\n'.join(lines) + '\n'


def _wait_for_port(port, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1) as s:
                s.settimeout(5)
                greeting = s.recv(200)
                if greeting:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def start_dovecot(workdir, users=None, messages=(), mailbox_format='maildir',
                  protocols=('imap', 'pop3'), extra_config=()):
    """Starts a throwaway Dovecot whose config and mail live under `workdir`.

    users: {name: password}; every user gets the same INBOX, filled with
    `messages` (bytes each, in order; UIDs 1..n). `extra_config` lines are
    appended to the generated dovecot.conf (the benchmarks raise limits). Returns a Dovecot object with
    .imap_port, .pop3_port, .pid, .log_text() and .stop().
    """
    if not os.access(DOVECOT, os.X_OK):
        raise DovecotUnavailable('%s is not installed' % DOVECOT)
    if users is None:
        users = {'alice': 'wonderland'}
    if mailbox_format not in ('maildir', 'mbox'):
        raise ValueError('mailbox_format must be maildir or mbox')
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    # UNIX sockets live under base_dir and their paths are limited to ~108 bytes.
    if len(workdir) > 60:
        raise ValueError('workdir path too long for Dovecot sockets: %s' % workdir)
    for sub in ('run', 'state', 'home'):
        path = os.path.join(workdir, sub)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
    # The login processes (dovenull) must reach base_dir's login sockets.
    os.chmod(workdir, 0o755)
    os.chmod(os.path.join(workdir, 'run'), 0o755)

    users_file = os.path.join(workdir, 'passwd')
    with open(users_file, 'w') as f:
        for name, password in users.items():
            f.write('%s:{PLAIN}%s\n' % (name, password))
    os.chmod(users_file, 0o644)

    mail_location = None
    for name in users:
        home = os.path.join(workdir, 'home', name)
        os.makedirs(home)
        if mailbox_format == 'maildir':
            mail_location = _write_maildir(home, list(messages))
        else:
            mail_location = _write_mbox(home, list(messages))
    if mail_location is None:
        mail_location = 'maildir:~/Maildir'
    if os.getuid() == 0:
        uid, gid = _mail_ids()
        for root, dirs, files in os.walk(os.path.join(workdir, 'home')):
            for name in dirs + files:
                os.chown(os.path.join(root, name), uid, gid)
        os.chown(os.path.join(workdir, 'home'), uid, gid)

    last_error = ''
    for _attempt in range(3):
        imap_port = _free_port()
        pop3_port = _free_port()
        while pop3_port == imap_port:
            pop3_port = _free_port()
        conf = os.path.join(workdir, 'dovecot.conf')
        with open(conf, 'w') as f:
            f.write(_config(workdir, users_file, mail_location, imap_port, pop3_port, protocols,
                            extra_config))
        log = open(os.path.join(workdir, 'dovecot.stderr'), 'wb')
        process = subprocess.Popen([DOVECOT, '-F', '-c', conf],
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
        log.close()
        dovecot = Dovecot(workdir, process, imap_port, pop3_port, conf)
        atexit.register(dovecot.stop)
        deadline = time.monotonic() + 30
        ok = True
        if 'imap' in protocols:
            ok = _wait_for_port(imap_port, process, deadline)
        if ok and 'pop3' in protocols:
            ok = _wait_for_port(pop3_port, process, deadline)
        if ok:
            return dovecot
        dovecot.stop()
        with open(os.path.join(workdir, 'dovecot.stderr'), errors='replace') as f:
            last_error = f.read() + dovecot.log_text()
    raise RuntimeError('Dovecot did not start:\n' + last_error)


if __name__ == '__main__':
    import imaplib
    import poplib
    import sys
    import tempfile

    sample = (b'From: Alice <alice@example.org>\r\nTo: bob@example.org\r\n'
              b'Subject: hello\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nHi Bob.\r\n')
    fmt = sys.argv[1] if len(sys.argv) > 1 else 'maildir'
    with tempfile.TemporaryDirectory(prefix='msdc-', dir='/tmp') as tmp:
        with start_dovecot(tmp, messages=[sample, sample], mailbox_format=fmt) as dc:
            imap = imaplib.IMAP4('127.0.0.1', dc.imap_port)
            imap.login('alice', 'wonderland')
            print(imap.select('INBOX'))
            print(imap.uid('FETCH', '1:*', '(UID INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)'))
            imap.logout()
            pop = poplib.POP3('127.0.0.1', dc.pop3_port)
            pop.user('alice')
            pop.pass_('wonderland')
            print(pop.stat(), pop.uidl())
            pop.quit()

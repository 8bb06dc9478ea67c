# SPDX-License-Identifier: GPL-3.0-or-later
"""fetchmail over IMAP against `mailscope serve --imap`, delivering through an
MDA that writes each message to a file:

1. keep: every message arrives byte for byte and stays on the server, now
   marked \\Seen (fetchmail reads with BODY[] or marks it);
2. the same again: nothing is unseen, nothing comes;
3. no keep + fetchall: every message arrives again and fetchmail deletes it
   (STORE +FLAGS \\Deleted, EXPUNGE): the mailbox is empty.

fetchmail hands the MDA LF line ends, so delivered files are compared after
turning LF back into CRLF. `sslproto ''` keeps it from trying STARTTLS."""

import imaplib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, crlf, write_mailbox  # noqa: E402

MDA = '''import os, sys
data = sys.stdin.buffer.read()
folder = sys.argv[1]
with open(os.path.join(folder, '%03d.eml' % (len(os.listdir(folder)) + 1)), 'wb') as f:
    f.write(data)
'''


def run_fetchmail(tmp, port, out, options):
    rc = os.path.join(tmp, 'fetchmailrc')
    with open(rc, 'w') as f:
        f.write('set no bouncemail\nset invisible\n'
                'poll 127.0.0.1 protocol imap port %d auth password no envelope\n'
                '  user "alice" there with password "wonderland" is "alice" here\n'
                '  %s no rewrite sslproto \'\'\n'
                '  mda "%s %s %s"\n' % (port, options, sys.executable, os.path.join(tmp, 'mda.py'), out))
    os.chmod(rc, 0o600)
    env = dict(os.environ, HOME=tmp, FETCHMAILHOME=tmp)
    result = subprocess.run(['fetchmail', '-f', rc, '--nosyslog', '--pidfile', os.path.join(tmp, 'pid'),
                             '--idfile', os.path.join(tmp, 'fetchids')],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    check(result.returncode in (0, 1), 'fetchmail exited %d:\n%s' % (result.returncode, result.stdout.decode()))
    delivered = []
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), 'rb') as f:
            delivered.append(f.read())
        os.unlink(os.path.join(out, name))
    return delivered


def count(port, key):
    imap = imaplib.IMAP4('127.0.0.1', port)
    imap.login('alice', 'wonderland')
    imap.select('INBOX', readonly=True)
    typ, data = imap.search(None, key)
    imap.logout()
    return len(data[0].split())


def main():
    if shutil.which('fetchmail') is None:
        print('fetchmail is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-imap-fetchmail-')
    folder = os.path.join(tmp, 'mail')
    out = os.path.join(tmp, 'out')
    os.makedirs(out)
    expected = write_mailbox(folder)
    with open(os.path.join(tmp, 'mda.py'), 'w') as f:
        f.write(MDA)

    with Serve(['--mail', folder, '--imap', '127.0.0.1:0']) as srv:
        port = srv.ports['imap']
        got = run_fetchmail(tmp, port, out, 'keep')
        check(len(got) == len(expected), 'keep: %d of %d messages delivered' % (len(got), len(expected)))
        for i, (data, message) in enumerate(zip(got, expected), 1):
            check(crlf(data) == message, 'keep: message %d differs:\n%r\n%r' % (i, data, message))
        check(count(port, 'ALL') == len(expected), 'keep: the server lost mail')
        check(count(port, 'SEEN') == len(expected), 'keep: fetched messages are \\Seen')

        got = run_fetchmail(tmp, port, out, 'keep')
        check(got == [], 'again: %d seen messages fetched again' % len(got))

        got = run_fetchmail(tmp, port, out, 'no keep fetchall')
        check([crlf(d) for d in got] == expected, 'no keep: the messages differ')
        check(count(port, 'ALL') == 0, 'no keep: the server still has mail')
    print('ok: fetchmail over IMAP delivered %d messages byte for byte, kept and then deleted them' % len(expected))


if __name__ == '__main__':
    main()

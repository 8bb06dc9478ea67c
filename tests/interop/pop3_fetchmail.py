# SPDX-License-Identifier: GPL-3.0-or-later
"""fetchmail against `mailscope serve`, delivering through an MDA that writes
each message to a file:

1. keep + uidl: every message arrives, byte for byte, and stays on the server;
2. the same again: fetchmail's UIDL list says it has them all, nothing comes;
3. keep + fetchall over STLS: every message again, byte for byte, and the
   transcript shows the login came after STLS;
4. no keep + fetchall: every message arrives again, and the server is empty.

fetchmail hands the MDA LF line ends (it strips the CRs), so a delivered file
is compared with the stored message after turning its LFs back into CRLF.
fetchmail 6.4 tries STLS on its own; `sslproto ''` turns that off for the
plain-text runs, and one run keeps it on (without checking the self-signed
certificate) to show the same bytes arrive over STLS."""

import os
import poplib
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


def run_fetchmail(tmp, port, out, options, server_options='', tls="sslproto ''"):
    rc = os.path.join(tmp, 'fetchmailrc')
    with open(rc, 'w') as f:
        f.write('set no bouncemail\nset invisible\n'
                'poll 127.0.0.1 protocol pop3 port %d auth password no envelope %s\n'
                '  user "alice" there with password "wonderland" is "alice" here\n'
                '  %s no rewrite %s\n'
                '  mda "%s %s %s"\n' % (port, server_options, options, tls, sys.executable, os.path.join(tmp, 'mda.py'), out))
    os.chmod(rc, 0o600)
    env = dict(os.environ, HOME=tmp, FETCHMAILHOME=tmp)
    result = subprocess.run(['fetchmail', '-f', rc, '--nosyslog', '--pidfile', os.path.join(tmp, 'pid'),
                             '--idfile', os.path.join(tmp, 'fetchids')],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    # 0: mail was delivered; 1: there was no new mail.
    check(result.returncode in (0, 1), 'fetchmail exited %d:\n%s' % (result.returncode, result.stdout.decode()))
    delivered = []
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), 'rb') as f:
            delivered.append(f.read())
        os.unlink(os.path.join(out, name))
    return delivered


def stat(port):
    pop = poplib.POP3('127.0.0.1', port, timeout=30)
    pop.user('alice')
    pop.pass_('wonderland')
    result = pop.stat()
    pop.quit()
    return result


def main():
    if shutil.which('fetchmail') is None:
        print('fetchmail is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-pop3-fetchmail-')
    folder = os.path.join(tmp, 'mail')
    out = os.path.join(tmp, 'out')
    os.makedirs(out)
    expected = write_mailbox(folder)
    with open(os.path.join(tmp, 'mda.py'), 'w') as f:
        f.write(MDA)

    transcript = os.path.join(tmp, 'transcript.txt')
    with Serve(['--mail', folder, '--pop3', '127.0.0.1:0', '--transcript', transcript]) as srv:
        port = srv.ports['pop3']
        total = sum(len(m) for m in expected)

        got = run_fetchmail(tmp, port, out, 'keep', 'uidl')
        check(len(got) == len(expected), 'keep: %d of %d messages delivered' % (len(got), len(expected)))
        for i, (data, message) in enumerate(zip(got, expected), 1):
            check(crlf(data) == message, 'keep: message %d differs:\n%r\n%r' % (i, data, message))
        check(stat(port) == (len(expected), total), 'keep: the server lost mail')

        got = run_fetchmail(tmp, port, out, 'keep', 'uidl')
        check(got == [], 'uidl: %d old messages fetched again' % len(got))

        # fetchmail's default: upgrade with STLS (the certificate is
        # self-signed, so it is not checked), then log in under TLS.
        got = run_fetchmail(tmp, port, out, 'keep fetchall', tls='no sslcertck')
        check([crlf(d) for d in got] == expected, 'STLS: the messages differ')
        with open(transcript, encoding='utf-8') as f:
            lines = [line.split(' ', 4)[-1].rstrip('\n') for line in f if ' C: ' in line]
        check('STLS' in lines and lines.index('STLS') < len(lines) - 1 - lines[::-1].index('PASS ****'),
              'fetchmail did not log in after STLS: %r' % lines[-20:])

        got = run_fetchmail(tmp, port, out, 'no keep fetchall')
        check([crlf(d) for d in got] == expected, 'no keep: the messages differ')
        check(stat(port) == (0, 0), 'no keep: the server still has %r' % (stat(port),))
    print('ok: fetchmail delivered %d messages byte for byte, kept and then deleted them' % len(expected))


main()

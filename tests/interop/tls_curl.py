# SPDX-License-Identifier: GPL-3.0-or-later
"""curl against `mailscope serve` under TLS: --ssl-reqd on pop3:// and
imap:// (curl upgrades with STLS and STARTTLS and refuses to go on in
plain text), and pop3s:// and imaps:// (implicit TLS), each fetching a
message byte for byte. The certificate is verified with --cacert, once
with -k; a name that is not in the certificate is refused."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import MAILSCOPE, Serve, check, temp_dir  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402


def curl(*args, ok=True):
    result = subprocess.run(['curl', '--silent', '--show-error', '--max-time', '60'] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if ok:
        check(result.returncode == 0, 'curl %r exited %d: %s' % (args, result.returncode, result.stderr))
    return result


def main():
    if shutil.which('curl') is None:
        print('curl is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-tls-curl-')
    with TlsServe(tmp) as t:
        auth = 'alice:wonderland@127.0.0.1'
        ca = ['--cacert', t.cafile]
        cases = [
            (['--ssl-reqd'] + ca, 'pop3://%s:%d/%d', 'pop3'),
            (ca, 'pop3s://%s:%d/%d', 'pop3s'),
            (['-k'], 'pop3s://%s:%d/%d', 'pop3s'),
            (['--ssl-reqd'] + ca, 'imap://%s:%d/INBOX;UID=%d', 'imap'),
            (ca, 'imaps://%s:%d/INBOX;UID=%d', 'imaps'),
        ]
        for args, url, name in cases:
            for i in (1, len(t.expected)):
                got = curl(*args, url % (auth, t.port(name), i)).stdout
                check(got == t.expected[i - 1], 'curl %s message %d differs:\n%r\n%r'
                      % (url % (auth, t.port(name), i), i, got[:200], t.expected[i - 1][:200]))

        # "localhost" is in the certificate too; a name that is not is refused.
        got = curl('--ssl-reqd', '--cacert', t.cafile, '--resolve', 'localhost:%d:127.0.0.1' % t.port('pop3'),
                   'pop3://alice:wonderland@localhost:%d/1' % t.port('pop3')).stdout
        check(got == t.expected[0], 'curl by the name localhost')
        bad = curl('--cacert', t.cafile, '--resolve', 'mail.example.org:%d:127.0.0.1' % t.port('imaps'),
                   'imaps://alice:wonderland@mail.example.org:%d/INBOX;UID=1' % t.port('imaps'), ok=False)
        check(bad.returncode != 0, 'a name not in the certificate was accepted')

    # --cert/--key: the server presents exactly those files.
    given = os.path.join(tmp, 'given')
    os.makedirs(given)
    for name in ('cert.pem', 'key.pem'):
        shutil.copy(os.path.join(os.path.dirname(t.cafile), name), os.path.join(given, name))
    os.environ['XDG_DATA_HOME'] = os.path.join(tmp, 'unused-data')
    with Serve(['--mail', t.folder, '--pop3s', '127.0.0.1:0', '--cert', os.path.join(given, 'cert.pem'),
                '--key', os.path.join(given, 'key.pem')]) as srv:
        got = curl('--cacert', os.path.join(given, 'cert.pem'),
                   'pop3s://alice:wonderland@127.0.0.1:%d/2' % srv.ports['pop3s']).stdout
        check(got == t.expected[1], 'curl with --cert/--key')
    check(not os.path.exists(os.path.join(tmp, 'unused-data', 'mailscope', 'tls', 'cert.pem')),
          'serve made a certificate although --cert was given')
    bad = subprocess.run([MAILSCOPE, 'serve', '--pop3s', '127.0.0.1:0', '--cert', os.path.join(tmp, 'nope.pem'),
                          '--key', os.path.join(given, 'key.pem')], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, timeout=60)
    err = bad.stderr.decode().strip().splitlines()
    check(bad.returncode == 2 and bad.stdout == b'' and len(err) == 1 and 'nope.pem' in err[0],
          'a missing --cert: exit %d, %r' % (bad.returncode, err))

    lines = t.transcript_lines()
    check(sum(' C~ tls handshake' in line and 'ClientHello' in line for line in lines) >= 12,
          'every curl connection should show its ClientHello')
    print('ok: curl over STLS, STARTTLS, pop3s and imaps')


main()

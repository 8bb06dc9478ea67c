# SPDX-License-Identifier: GPL-3.0-or-later
"""curl's POP3 client against `mailscope serve`: pop3://user:pass@host/N fetches
message N byte for byte (curl logs in with AUTH PLAIN, having read CAPA),
the same with APOP, and the listings of -X UIDL and of the bare URL (LIST)."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, temp_dir, write_mailbox  # noqa: E402


def curl(*args):
    result = subprocess.run(['curl', '--silent', '--show-error', '--max-time', '60'] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    check(result.returncode == 0, 'curl %r exited %d: %s' % (args, result.returncode, result.stderr))
    return result.stdout


def main():
    if shutil.which('curl') is None:
        print('curl is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-pop3-curl-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)
    transcript = os.path.join(tmp, 'transcript.txt')

    with Serve(['--mail', folder, '--pop3', '127.0.0.1:0', '--transcript', transcript]) as srv:
        base = 'pop3://alice:wonderland@127.0.0.1:%d' % srv.ports['pop3']

        for i, message in enumerate(expected, 1):
            got = curl('%s/%d' % (base, i))
            check(got == message, 'curl RETR %d differs:\n%r\n%r' % (i, got, message))

        apop = 'pop3://alice;AUTH=%%2BAPOP:wonderland@127.0.0.1:%d/1' % srv.ports['pop3']
        check(curl(apop) == expected[0], 'curl with APOP')

        listing = curl(base + '/').decode().split('\r\n')
        check(listing[:-1] == ['%d %d' % (i, len(m)) for i, m in enumerate(expected, 1)] and listing[-1] == '',
              'curl LIST %r' % listing)

        uidl = curl('-X', 'UIDL', base + '/').decode().split('\r\n')[:-1]
        check(len(uidl) == len(expected) and len({line.split()[1] for line in uidl}) == len(expected),
              'curl UIDL %r' % uidl)
        single = curl('-X', 'UIDL 2', base + '/', '-I')
        del single  # curl shows nothing for a one-line answer; it must only succeed

        # A wrong password makes curl fail with its login error (67).
        result = subprocess.run(['curl', '--silent', 'pop3://alice:nope@127.0.0.1:%d/1' % srv.ports['pop3']],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        check(result.returncode == 67, 'curl with a wrong password exited %d' % result.returncode)

    with open(transcript, encoding='utf-8') as f:
        text = f.read()
    check('C: AUTH PLAIN\n' in text and 'C: ****\n' in text and 'wonderland' not in text and 'AGFsaWNl' not in text, 'transcript masks the password')
    check('C: APOP alice ' in text and '== state AUTHORIZATION -> TRANSACTION' in text, 'transcript lines')
    print('ok: curl fetched %d messages byte for byte' % len(expected))


main()

# SPDX-License-Identifier: GPL-3.0-or-later
"""curl's IMAP client against `mailscope serve --imap`: imap://…/INBOX;UID=n
fetches message n byte for byte (curl sends CAPABILITY, AUTHENTICATE PLAIN
or LOGIN, SELECT, then FETCH n BODY[]), the bare URL lists the mailboxes,
and -X runs a SEARCH on the server."""

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
    tmp = temp_dir('ms-imap-curl-')
    folder = os.path.join(tmp, 'mail')
    expected = write_mailbox(folder)

    with Serve(['--mail', folder, '--imap', '127.0.0.1:0']) as srv:
        base = 'imap://alice:wonderland@127.0.0.1:%d' % srv.ports['imap']
        total = 0
        for i, message in enumerate(expected, 1):
            got = curl('%s/INBOX;UID=%d' % (base, i))
            check(got == message, 'curl UID=%d differs:\n%r\n%r' % (i, got, message))
            total += len(got)
        # A section: the body text alone.
        text = curl('%s/INBOX;UID=1;SECTION=TEXT' % base)
        check(text == expected[0].split(b'\r\n\r\n', 1)[1], 'curl SECTION=TEXT %r' % text)

        listing = curl(base + '/').decode()
        check('"/" INBOX' in listing, 'curl LIST %r' % listing)
        search = curl('-X', 'SEARCH FROM carol', base + '/INBOX').decode()
        check(search.strip() == '* SEARCH 2', 'curl SEARCH %r' % search)

        result = subprocess.run(['curl', '--silent', 'imap://alice:nope@127.0.0.1:%d/INBOX;UID=1' % srv.ports['imap']],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        check(result.returncode == 67, 'curl with a wrong password exited %d' % result.returncode)
    print('ok: curl fetched %d messages (%d bytes) byte for byte' % (len(expected), total))


if __name__ == '__main__':
    main()

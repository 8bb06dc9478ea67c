# SPDX-License-Identifier: GPL-3.0-or-later
"""What the TLS interop tests share: a `mailscope serve` with all four
listeners on free ports and its own user data folder, so the self-signed
certificate it makes on first use lands in a temporary folder and the test
can trust exactly that certificate (cafile) instead of switching
verification off.

    with TlsServe(tmp, extra_args) as (srv, cafile): ...
"""

import os
import ssl

from serve_fixture import Serve, check, write_mailbox

ALL_LISTENERS = ['--pop3', '127.0.0.1:0', '--imap', '127.0.0.1:0',
                 '--pop3s', '127.0.0.1:0', '--imaps', '127.0.0.1:0']


class TlsServe:
    def __init__(self, tmp, extra=(), name='srv'):
        self.folder = os.path.join(tmp, 'mail')
        self.expected = write_mailbox(self.folder)
        self.data_home = os.path.join(tmp, name + '-data')
        self.transcript = os.path.join(tmp, name + '-transcript.txt')
        self.cafile = os.path.join(self.data_home, 'mailscope', 'tls', 'cert.pem')
        os.environ['XDG_DATA_HOME'] = self.data_home
        self.srv = Serve(['--mail', self.folder, '--transcript', self.transcript] + ALL_LISTENERS + list(extra))
        check(os.path.exists(self.cafile), 'serve made no certificate in %s' % self.cafile)
        check(os.stat(os.path.dirname(self.cafile)).st_mode & 0o777 == 0o700, 'tls folder is not 0700')
        key = os.path.join(os.path.dirname(self.cafile), 'key.pem')
        check(os.stat(key).st_mode & 0o777 == 0o600, 'key.pem is not 0600')

    def port(self, name):
        return self.srv.ports[name]

    def context(self):
        """A client context that trusts exactly the server's certificate and
        checks the name (127.0.0.1 against the IP SAN)."""
        ctx = ssl.create_default_context(cafile=self.cafile)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    def transcript_lines(self):
        with open(self.transcript, encoding='utf-8', errors='replace') as f:
            return f.read().splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.srv.__exit__(*exc)

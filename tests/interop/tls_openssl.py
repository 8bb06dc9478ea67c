# SPDX-License-Identifier: GPL-3.0-or-later
"""`openssl s_client` against `mailscope serve`: -starttls pop3 and
-starttls imap on the plain ports, implicit TLS on the pop3s/imaps ports,
each verifying the server's self-signed certificate by name; a client that
offers only TLS 1.1 is refused (the server's protocol_version alert) on both
kinds of port, and serve's log says why for each refusal (and for a client
that does not trust the certificate), not "connection lost"; and the
transcript shows the TLS records of each connection
without a byte of the plain text inside them."""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, temp_dir  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402


def s_client(port, stdin, *args):
    cmd = ['openssl', 's_client', '-brief', '-ign_eof', '-connect', '127.0.0.1:%d' % port] + list(args)
    result = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return result.returncode, result.stdout.decode(errors='replace'), result.stderr.decode(errors='replace')


def connected(port, stdin, cafile, *args):
    code, out, err = s_client(port, stdin, '-CAfile', cafile, '-verify_return_error',
                              '-verify_ip', '127.0.0.1', *args)
    check(code == 0, 's_client %r exited %d: %s %s' % (args, code, out, err))
    check('Verification: OK' in err, 's_client %r did not verify the certificate: %s' % (args, err))
    check('Protocol version: TLSv1.3' in err, 's_client %r did not get TLS 1.3: %s' % (args, err))
    return out


def refused_tls11(port, *args):
    # SECLEVEL=0 so that OpenSSL really sends a TLS 1.1 ClientHello instead of
    # refusing on the client side: the point is that the server says no.
    code, out, err = s_client(port, b'', '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0', *args)
    check(code != 0, 'a TLS 1.1 client was accepted %r: %s' % (args, err))
    check('alert protocol version' in err, 'TLS 1.1 refusal is not the server\'s alert %r: %s' % (args, err))


def main():
    if shutil.which('openssl') is None:
        print('openssl is not installed: skipped')
        sys.exit(77)
    tmp = temp_dir('ms-tls-openssl-')
    with TlsServe(tmp) as t:
        n = len(t.expected)
        pop3_session = b'CAPA\r\nUSER alice\r\nPASS wonderland\r\nSTAT\r\nQUIT\r\n'
        imap_session = b'a1 CAPABILITY\r\na2 LOGIN alice wonderland\r\na3 SELECT INBOX\r\na4 LOGOUT\r\n'

        for name, args in (('pop3', ['-starttls', 'pop3']), ('pop3s', [])):
            out = connected(t.port(name), pop3_session, t.cafile, *args)
            check('+OK Logged in' in out, '%s login: %s' % (name, out))
            check('+OK %d ' % n in out, '%s STAT: %s' % (name, out))
            check('\nSTLS' not in out, '%s: CAPA under TLS still offers STLS: %s' % (name, out))

        for name, args in (('imap', ['-starttls', 'imap']), ('imaps', [])):
            out = connected(t.port(name), imap_session, t.cafile, *args)
            check('a2 OK' in out, '%s LOGIN: %s' % (name, out))
            check('* %d EXISTS' % n in out, '%s SELECT: %s' % (name, out))
            caps = [line for line in out.splitlines() if line.startswith('* CAPABILITY')]
            check(caps and all('STARTTLS' not in c and 'LOGINDISABLED' not in c for c in caps),
                  '%s: CAPABILITY under TLS: %r' % (name, caps))

        refused_tls11(t.port('pop3s'))
        refused_tls11(t.port('imaps'))
        refused_tls11(t.port('pop3'), '-starttls', 'pop3')
        refused_tls11(t.port('imap'), '-starttls', 'imap')
        # A client that does not trust the certificate (it trusts another
        # one only) sends alert unknown_ca.
        other = os.path.join(tmp, 'other.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                        '-nodes', '-subj', '/CN=other', '-days', '1', '-keyout', os.path.join(tmp, 'other-key.pem'),
                        '-out', other], check=True, capture_output=True, timeout=60)
        code, out, err = s_client(t.port('imaps'), b'', '-CAfile', other, '-verify_return_error')
        check(code != 0, 's_client that trusts another certificate connected: %s' % err)
        deadline = time.monotonic() + 30
        while True:
            log = t.srv.log()
            failed = [line for line in log.splitlines() if 'disconnect (The TLS handshake failed' in line]
            if any('unknown ca' in line for line in failed) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        check(sum('unsupported protocol' in line for line in failed) == 4,
              'the TLS 1.1 refusals are not logged with their reason: %s' % log)
        check(any('unknown ca' in line for line in failed),
              'the client that did not trust the certificate is not logged with its alert: %s' % log)

    # The eavesdropper's view: record lines for every TLS connection (the
    # ClientHello and ServerHello by name, the rest encrypted) and no
    # command text among them.
    lines = t.transcript_lines()
    tls = [line for line in lines if ' C~ tls ' in line or ' S~ tls ' in line]
    check(sum('C~ tls handshake' in line and 'ClientHello' in line for line in tls) >= 8,
          'ClientHellos in the transcript: %r' % tls[:10])
    check(any('S~ tls handshake' in line and 'ServerHello' in line for line in tls), 'no ServerHello')
    check(any('S~ tls alert 2 B: fatal protocol_version' in line for line in tls),
          'no protocol_version alert in the transcript')
    check(any('application_data' in line and 'encrypted' in line for line in tls), 'no encrypted records')
    check(not any('wonderland' in line or 'LOGIN' in line for line in tls), 'plain text in a TLS line')
    print('ok: openssl s_client, %d TLS record lines; failed handshakes logged with their reason' % len(tls))


main()

# SPDX-License-Identifier: GPL-3.0-or-later
"""Python's poplib and imaplib against `mailscope serve` under TLS:
POP3.stls() and POP3_SSL, IMAP4.starttls() and IMAP4_SSL, each verifying the
certificate (cafile, name 127.0.0.1) and fetching a message byte for byte.
After the upgrade the capabilities no longer offer STLS/STARTTLS; STLS and
STARTTLS are refused once TLS is on; a TLS 1.1-only client is refused.

With --require-tls: plain POP3 refuses USER, plain IMAP advertises
LOGINDISABLED and refuses LOGIN; after STLS/STARTTLS both log in, and
LOGINDISABLED is gone. The implicit-TLS ports never show it."""

import imaplib
import os
import poplib
import ssl
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, temp_dir  # noqa: E402
from tls_fixture import TlsServe  # noqa: E402

HOST = '127.0.0.1'


def pop_body(lines):
    return b''.join(line + b'\r\n' for line in lines)


def check_pop(pop, t, how):
    check('STLS' not in pop.capa(), '%s: CAPA under TLS offers STLS' % how)
    pop.user('alice')
    pop.pass_('wonderland')
    check(pop_body(pop.retr(1)[1]) == t.expected[0], '%s: RETR 1' % how)
    check(pop.stat()[0] == len(t.expected), '%s: STAT' % how)
    pop.quit()


def check_imap(imap, t, how):
    caps = imap.capability()[1][0].decode()
    check('STARTTLS' not in caps and 'LOGINDISABLED' not in caps, '%s: CAPABILITY under TLS: %s' % (how, caps))
    try:
        imap._simple_command('STARTTLS')
        fail = True
    except imaplib.IMAP4.error:
        fail = False
    check(not fail, '%s: STARTTLS accepted twice' % how)
    imap.login('alice', 'wonderland')
    typ, data = imap.select('INBOX')
    check(typ == 'OK' and int(data[0]) == len(t.expected), '%s: SELECT %r' % (how, data))
    typ, data = imap.uid('FETCH', '1', '(BODY.PEEK[])')
    check(typ == 'OK' and data[0][1] == t.expected[0], '%s: FETCH BODY[]' % how)
    imap.logout()


def tls11_context():
    # Python warns that TLS 1.1 is deprecated: that is the point of the test.
    warnings.simplefilter('ignore', DeprecationWarning)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers('DEFAULT@SECLEVEL=0')
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    return ctx


def refused(connect, how):
    try:
        connect()
    except ssl.SSLError as e:
        check('PROTOCOL_VERSION' in str(e).upper(), '%s: refused, but not by the server: %s' % (how, e))
        return
    check(False, '%s: a TLS 1.1 client was accepted' % how)


def main():
    tmp = temp_dir('ms-tls-python-')

    with TlsServe(tmp) as t:
        ctx = t.context()
        pop = poplib.POP3(HOST, t.port('pop3'), timeout=30)
        check('STLS' in pop.capa(), 'plain CAPA does not offer STLS')
        pop.stls(ctx)
        try:
            pop._shortcmd('STLS')
            check(False, 'STLS accepted twice')
        except poplib.error_proto:
            pass
        check_pop(pop, t, 'POP3.stls')
        check_pop(poplib.POP3_SSL(HOST, t.port('pop3s'), context=ctx, timeout=30), t, 'POP3_SSL')

        imap = imaplib.IMAP4(HOST, t.port('imap'), timeout=30)
        check('STARTTLS' in imap.capabilities, 'plain CAPABILITY does not offer STARTTLS')
        imap.starttls(ctx)
        check_imap(imap, t, 'IMAP4.starttls')
        check_imap(imaplib.IMAP4_SSL(HOST, t.port('imaps'), ssl_context=ctx, timeout=30), t, 'IMAP4_SSL')

        refused(lambda: poplib.POP3_SSL(HOST, t.port('pop3s'), context=tls11_context(), timeout=30), 'POP3_SSL 1.1')
        refused(lambda: imaplib.IMAP4_SSL(HOST, t.port('imaps'), ssl_context=tls11_context(), timeout=30),
                'IMAP4_SSL 1.1')
        refused(lambda: poplib.POP3(HOST, t.port('pop3'), timeout=30).stls(tls11_context()), 'STLS 1.1')

    with TlsServe(tmp, ['--require-tls'], name='required') as t:
        ctx = t.context()
        pop = poplib.POP3(HOST, t.port('pop3'), timeout=30)
        try:
            pop.user('alice')
            check(False, 'USER accepted in plain text with --require-tls')
        except poplib.error_proto as e:
            check('TLS' in str(e), 'USER refused without a word about TLS: %s' % e)
        pop.stls(ctx)
        check_pop(pop, t, 'require-tls POP3.stls')

        imap = imaplib.IMAP4(HOST, t.port('imap'), timeout=30)
        check('LOGINDISABLED' in imap.capabilities, 'plain IMAP does not advertise LOGINDISABLED: %r'
              % (imap.capabilities,))
        try:
            imap.login('alice', 'wonderland')
            check(False, 'LOGIN accepted in plain text with --require-tls')
        except imaplib.IMAP4.error:
            pass
        imap.starttls(ctx)
        check_imap(imap, t, 'require-tls IMAP4.starttls')
        imap = imaplib.IMAP4_SSL(HOST, t.port('imaps'), ssl_context=ctx, timeout=30)
        check('LOGINDISABLED' not in imap.capabilities, 'imaps greeting advertises LOGINDISABLED')
        check_imap(imap, t, 'require-tls IMAP4_SSL')

    print('ok: poplib and imaplib over STLS, STARTTLS, POP3_SSL and IMAP4_SSL')


main()

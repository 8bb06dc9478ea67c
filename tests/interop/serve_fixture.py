# SPDX-License-Identifier: GPL-3.0-or-later
"""Start `mailscope serve` for an interop test (Python 3 standard library only).

    from serve_fixture import Serve, write_mailbox
    expected = write_mailbox(folder)           # a folder of .eml files, returns CRLF bytes
    with Serve(['--mail', folder, '--pop3', '127.0.0.1:0']) as srv:
        poplib.POP3('127.0.0.1', srv.ports['pop3'])

The server runs from $MAILSCOPE (set by meson) on 127.0.0.1 with port 0, so
tests run in parallel; the "ready ..." line gives the real ports. stop() sends
SIGTERM, waits, and checks the exit status is 0; it is also registered with
atexit, so a failing test never leaves a server behind.
"""

import atexit
import os
import re
import signal
import subprocess
import sys
import shutil
import tempfile

MAILSCOPE = os.environ.get('MAILSCOPE') or os.path.join(
    os.environ.get('MS_BUILD_DIR', 'build'), 'app', 'mailscope')

# Test messages chosen for what can go wrong on the wire: lines that start
# with '.' (byte-stuffing), a lone '.' line, LF line ends in the file (the
# store serves CRLF), 8-bit UTF-8, a long line, an empty body, a message with
# nothing but headers.
MESSAGES = [
    b'From: Bob <bob@example.org>\nTo: alice@example.org\nSubject: Dots\n'
    b'Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <dots@example.org>\n\n'
    b'.A line that starts with a dot\n.\n..\n...three\nThe end.\n',
    b'From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n'
    b'Date: Tue, 2 Jan 2024 11:00:00 +0100\r\nMIME-Version: 1.0\r\n'
    b'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
    b'Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln!\r\n' + b'x' * 900 + b'\r\n',
    b'From: Dan <dan@example.org>\nTo: alice@example.org\nSubject: Empty body\n'
    b'Date: Wed, 3 Jan 2024 12:00:00 +0000\n\n',
    b'From: Eve <eve@example.org>\nTo: alice@example.org\nSubject: Lines\n'
    b'Date: Thu, 4 Jan 2024 13:00:00 +0000\n\n' + b''.join(b'line %d\n' % i for i in range(1, 200)),
    b'From: Fay <fay@example.org>\nTo: alice@example.org\nSubject: Last\n'
    b'Date: Fri, 5 Jan 2024 14:00:00 +0000\n\nShort.\n.\n',
]


def crlf(data):
    """The bytes as the store keeps them: every line end CRLF."""
    return re.sub(rb'\r?\n', b'\r\n', data)


def write_mailbox(folder, messages=MESSAGES):
    """Writes messages as 01.eml, 02.eml, ... and returns them as served (CRLF)."""
    os.makedirs(folder, exist_ok=True)
    for i, data in enumerate(messages, 1):
        with open(os.path.join(folder, '%02d.eml' % i), 'wb') as f:
            f.write(data)
    return [crlf(m) for m in messages]


def temp_dir(prefix):
    """A temporary folder removed when the test exits, whatever the outcome."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return path


def fail(message):
    print('FAIL: ' + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class Serve:
    def __init__(self, args, preexec_fn=None):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([MAILSCOPE, 'serve'] + args, stdout=subprocess.PIPE,
                                     stderr=self.stderr, stdin=subprocess.DEVNULL,
                                     preexec_fn=preexec_fn)
        atexit.register(self.kill)
        line = self.proc.stdout.readline().decode()
        if not line.startswith('ready'):
            self.proc.wait(timeout=30)
            fail('mailscope serve did not start: %r, stderr: %s' % (line, self.log()))
        self.ports = {}
        for item in line.split()[1:]:
            name, address = item.split('=', 1)
            self.ports[name] = int(address.rsplit(':', 1)[1])

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors='replace')

    def stop(self):
        """SIGTERM, then the server must exit 0 by itself."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                status = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
                fail('mailscope serve did not stop on SIGTERM')
            check(status == 0, 'mailscope serve exited %d after SIGTERM: %s' % (status, self.log()))
        self.proc.stdout.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.stop()
        else:
            self.kill()

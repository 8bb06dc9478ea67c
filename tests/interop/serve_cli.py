# SPDX-License-Identifier: GPL-3.0-or-later
"""The command-line contract of `mailscope serve`: one ready line with the real
ports, exit 0 on SIGINT and SIGTERM, and for bad flags, bad files and a port
in use one clear line on stderr and exit status 2."""

import os
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import MAILSCOPE, Serve, check, temp_dir  # noqa: E402


def refused(args, words):
    result = subprocess.run([MAILSCOPE, 'serve'] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, timeout=60)
    err = result.stderr.decode()
    check(result.returncode == 2, 'serve %r exited %d' % (args, result.returncode))
    check(result.stdout == b'', 'serve %r printed %r' % (args, result.stdout))
    lines = err.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith('mailscope serve: ') and words in lines[0],
          'serve %r said %r' % (args, err))


def main():
    tmp = temp_dir('ms-serve-cli-')

    refused(['--no-such-flag'], 'no-such-flag')
    refused(['--pop3', '127.0.0.1:0', 'extra'], 'extra')
    refused(['--pop3', 'nowhere:110'], 'nowhere')
    refused(['--pop3', '127.0.0.1'], '127.0.0.1')
    refused(['--pop3', '127.0.0.1:0', '--user', 'nopassword'], 'NAME:PASSWORD')
    refused(['--pop3', '127.0.0.1:0', '--mail', os.path.join(tmp, 'missing')], 'missing')
    refused(['--pop3', '127.0.0.1:0', '--transcript', os.path.join(tmp, 'no', 'such', 'dir')], 'transcript')
    refused(['--pop3', '127.0.0.1:0', '--cert', os.path.join(tmp, 'c.pem')], '--key')

    # The default mailbox and user, on a free port.
    srv = Serve(['--pop3', '127.0.0.1:0'])
    port = srv.ports['pop3']
    check(list(srv.ports) == ['pop3'] and port > 0, 'ready line ports %r' % srv.ports)
    with socket.create_connection(('127.0.0.1', port), timeout=30) as s:
        check(s.recv(100).startswith(b'+OK'), 'greeting')
    refused(['--pop3', '127.0.0.1:%d' % port], 'cannot listen')

    srv.proc.send_signal(signal.SIGINT)
    check(srv.proc.wait(timeout=30) == 0, 'exit status after SIGINT')
    srv.stop()

    srv = Serve(['--pop3', 'localhost:0'])
    srv.stop()  # SIGTERM, exit 0

    # The app's own argument, a scenario file, is checked before GTK starts
    # (so this needs no display): a file that does not load is one line and
    # status 2, as is an unknown command.
    broken = os.path.join(tmp, 'broken.scenario')
    with open(broken, 'w') as f:
        f.write('[scenario]\nid=broken\n')
    for args, words in (([os.path.join(tmp, 'missing.scenario')], 'missing.scenario'),
                        ([broken], 'broken.scenario'), (['nosuchcommand'], 'nosuchcommand')):
        env = dict(os.environ, LANGUAGE='', LC_ALL='C.UTF-8')
        env.pop('DISPLAY', None)
        env.pop('WAYLAND_DISPLAY', None)
        result = subprocess.run([MAILSCOPE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, timeout=60, env=env)
        lines = result.stderr.decode().strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and lines[0].startswith('mailscope: ')
              and words in lines[0], 'mailscope %r: status %d, said %r' % (args, result.returncode, lines))
    print('ok: serve command line')


main()

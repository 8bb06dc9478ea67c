# SPDX-License-Identifier: GPL-3.0-or-later
"""Load: 200 real POP3 and IMAP connections (a quarter of them in IDLE) to
`mailscope serve` for 60 seconds, from tests/bench/load-servers. The IDLE
sessions share their accounts with sessions that STORE flags, so they must be
pushed untagged FETCH responses. Every answer must be the expected one (a POP3 [IN-USE] counts as expected: the maildrop
lock is the RFC's), the server must stay up and stop cleanly, and its memory
must stay bounded: no more than 64 MiB above what it used after the first
second. MS_LOAD_SECONDS shortens the run for a quick local try."""
import os
import subprocess

from serve_fixture import Serve, check, temp_dir, write_mailbox

SECONDS = int(os.environ.get('MS_LOAD_SECONDS', '60'))
CONNECTIONS = 200
ACCOUNTS = 20
LOAD = os.path.join(os.environ.get('MS_BUILD_DIR', 'build'), 'tests', 'bench', 'load-servers')

# Under AddressSanitizer freed memory sits in a quarantine of 256 MiB by
# default, which looks like growth; a small quarantine keeps the bound honest.
if os.environ.get('ASAN_OPTIONS') is not None:
    os.environ['ASAN_OPTIONS'] += ':quarantine_size_mb=8:thread_local_quarantine_size_kb=64'

folder = temp_dir('ms-load-')
write_mailbox(folder)
users = []
for i in range(1, ACCOUNTS + 1):
    users += ['--user', 'load%d:load' % i]

with Serve(['--mail', folder, '--pop3', '127.0.0.1:0', '--imap', '127.0.0.1:0'] + users) as srv:
    result = subprocess.run([LOAD, '--imap-port', str(srv.ports['imap']), '--pop3-port', str(srv.ports['pop3']),
                             '--connections', str(CONNECTIONS), '--seconds', str(SECONDS),
                             '--server-pid', str(srv.proc.pid), '--pop3-accounts', str(ACCOUNTS),
                             '--password', 'load'],
                            capture_output=True, text=True, timeout=SECONDS + 120)
    print(result.stdout)
    print(result.stderr[-4000:])
    figures = dict(line.split(' ', 1) for line in result.stdout.splitlines() if ' ' in line)
    check(result.returncode == 0, 'load-servers reported errors (exit %d)' % result.returncode)
    check(int(figures.get('errors', '1')) == 0, 'unexpected answers under load')
    check(int(figures.get('sessions', '0')) > CONNECTIONS, 'too few sessions completed')
    check(int(figures.get('idle_pushes', '0')) > 0, 'no IDLE session was pushed an update')
    rss_first = int(figures['rss_first_kb'])
    rss_max = int(figures['rss_max_kb'])
    rss_last = int(figures['rss_last_kb'])
    check(rss_max - rss_first < 64 * 1024,
          'server memory grew from %d KiB to %d KiB under load' % (rss_first, rss_max))
    check(srv.proc.poll() is None, 'the server died under load')
    check('CRITICAL' not in srv.log() and 'WARNING' not in srv.log(),
          'the server logged warnings under load: ' + srv.log()[-2000:])
print('ok: %d s, %s sessions, %s commands, %s IDLE pushes, RSS first %d KiB, last %d KiB, max %d KiB'
      % (SECONDS, figures['sessions'], figures['commands'], figures['idle_pushes'], rss_first, rss_last, rss_max))

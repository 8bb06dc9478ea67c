# SPDX-License-Identifier: GPL-3.0-or-later
"""`serve --state DIR` killed with SIGKILL under load keeps what it acknowledged.

A client appends messages and adds flags over IMAP as fast as it can and
records every tagged OK it gets. At a moment drawn from a fixed seed the
server is killed with SIGKILL, then restarted on the same DIR. Checked after
each restart: every acknowledged APPEND is there once, under the UID its
APPENDUID gave, with every acknowledged flag; UIDVALIDITY never changed; no
message exists twice. A change that was sent but not acknowledged may or may
not be there, but never twice.
"""

import imaplib
import os
import random
import re
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, fail, temp_dir, write_mailbox  # noqa: E402

SEED = 20261123
ROUNDS = 5
MAX_OPS_PER_ROUND = 400     # bounded even if the kill never lands
FLAGS = ['\\Seen', '\\Flagged', '\\Answered', '$Important']

rng = random.Random(SEED)
mail = temp_dir('ms-state-kill-mail-')
write_mailbox(mail)
state = os.path.join(temp_dir('ms-state-kill-'), 'state')
args = ['--mail', mail, '--imap', '127.0.0.1:0', '--state', state]

acked_appends = {}    # seq -> uid
acked_flags = {}      # uid -> set of flags
sent_seqs = set()
next_seq = [1]
uidvalidity = [None]
thread_failed = threading.Event()


def client(port, round_rng, stop):
    """Appends and flags until the server dies or the bound is reached."""
    try:
        imap = imaplib.IMAP4('127.0.0.1', port, timeout=30)
        imap.login('alice', 'wonderland')
        imap.select('INBOX')
        for _ in range(MAX_OPS_PER_ROUND):
            if stop.is_set():
                break
            if acked_appends and round_rng.random() < 0.4:
                uid = round_rng.choice(sorted(acked_appends.values()))
                flag = round_rng.choice(FLAGS)
                typ, _ = imap.uid('STORE', str(uid), '+FLAGS', '(%s)' % flag)
                if typ == 'OK':
                    acked_flags.setdefault(uid, set()).add(flag)
                continue
            seq = next_seq[0]
            next_seq[0] += 1
            sent_seqs.add(seq)
            body = ('Subject: kill test %d\r\nX-Seq: %d\r\n\r\n' % (seq, seq)
                    + 'line of text %d\r\n' % seq * round_rng.randint(1, 50)).encode()
            typ, data = imap.append('INBOX', None, None, body)
            if typ == 'OK':
                m = re.search(rb'APPENDUID (\d+) (\d+)', data[0] or b'')
                check(m is not None, 'APPEND OK without APPENDUID: %r' % data)
                acked_appends[seq] = int(m.group(2))
                if uidvalidity[0] is None:
                    uidvalidity[0] = int(m.group(1))
                check(int(m.group(1)) == uidvalidity[0], 'UIDVALIDITY changed in APPENDUID')
    except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
        pass   # the kill
    except SystemExit:
        # check() failed in this thread: sys.exit() here would end only the
        # thread, so hand the failure to the main thread.
        thread_failed.set()


def verify(port):
    imap = imaplib.IMAP4('127.0.0.1', port, timeout=60)
    imap.login('alice', 'wonderland')
    typ, _ = imap.select('INBOX')
    check(typ == 'OK', 'SELECT failed after restart')
    validity = int(imap.response('UIDVALIDITY')[1][0])
    if uidvalidity[0] is not None:
        check(validity == uidvalidity[0], 'UIDVALIDITY changed: %d, was %d' % (validity, uidvalidity[0]))
    typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (X-Seq)])')
    check(typ == 'OK', 'FETCH failed after restart')
    by_seq = {}
    flags_of = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta, header = item
        uid = int(re.search(rb'UID (\d+)', meta).group(1))
        flags = set(re.search(rb'FLAGS \(([^)]*)\)', meta).group(1).decode().split())
        flags_of[uid] = flags
        m = re.search(rb'X-Seq: (\d+)', header)
        if m:
            seq = int(m.group(1))
            check(seq not in by_seq, 'message %d exists twice (UIDs %d and %d)' % (seq, by_seq.get(seq, 0), uid))
            check(seq in sent_seqs, 'message %d was never sent' % seq)
            by_seq[seq] = uid
    for seq, uid in acked_appends.items():
        check(seq in by_seq, 'acknowledged APPEND %d (UID %d) is lost' % (seq, uid))
        check(by_seq[seq] == uid, 'APPEND %d had UID %d, now %d' % (seq, uid, by_seq[seq]))
    for uid, flags in acked_flags.items():
        missing = flags - flags_of.get(uid, set())
        check(not missing, 'UID %d lost acknowledged flags %s' % (uid, missing))
    imap.logout()
    return validity, len(by_seq)


kills = 0
for round_no in range(ROUNDS):
    srv = Serve(args)
    try:
        if round_no == 0:
            uidvalidity[0], _ = verify(srv.ports['imap'])
        stop = threading.Event()
        thread = threading.Thread(target=client, args=(srv.ports['imap'], random.Random(rng.random()), stop))
        thread.start()
        time.sleep(rng.uniform(0.2, 1.5))
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait(timeout=30)
        kills += 1
        stop.set()
        thread.join(timeout=60)
        check(not thread.is_alive(), 'the client did not stop after the kill')
        check(not thread_failed.is_set(), 'the client saw a wrong answer (see above)')
    finally:
        srv.kill()
        srv.proc.stdout.close()
    with Serve(args) as again:
        validity, n = verify(again.ports['imap'])
    print('round %d: killed; %d appends and %d flagged messages acknowledged so far, %d of %d sent found, '
          'UIDVALIDITY %d' % (round_no + 1, len(acked_appends), len(acked_flags), n, len(sent_seqs), validity))

check(kills == ROUNDS, 'not every round killed the server')
if not acked_appends:
    fail('no APPEND was ever acknowledged: the test proved nothing')
print('ok: %d SIGKILLs, %d acknowledged APPENDs and %d flag sets survived, nothing duplicated'
      % (kills, len(acked_appends), sum(len(f) for f in acked_flags.values())))

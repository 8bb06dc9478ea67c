# SPDX-License-Identifier: GPL-3.0-or-later
"""`serve --state DIR` killed with SIGKILL under load keeps what it acknowledged.

A client appends messages, adds flags and moves messages between INBOX and
Archive over IMAP as fast as it can (single MOVEs out of INBOX, and now and
then one MOVE of everything in Archive back), recording every tagged OK.
At a moment drawn from a fixed seed the server is killed with SIGKILL, then
restarted on the same DIR. Checked after each restart: every acknowledged
APPEND is there once, in the mailbox and under the UID its last
acknowledged APPENDUID or COPYUID gave, with every acknowledged flag;
UIDVALIDITY never changed; no message exists twice, in one mailbox or
across both. A change that was sent but not acknowledged may or may not be
there, but never twice: a MOVE cut by the kill leaves the message either
where it was or where it went. What a restart shows becomes the baseline
for the next round.
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
ROUNDS = 6
MAX_OPS_PER_ROUND = 400     # bounded even if the kill never lands
FLAGS = ['\\Seen', '\\Flagged', '\\Answered', '$Important']
BOXES = ('INBOX', 'Archive')

rng = random.Random(SEED)
mail = temp_dir('ms-state-kill-mail-')
write_mailbox(mail)
state = os.path.join(temp_dir('ms-state-kill-'), 'state')
args = ['--mail', mail, '--imap', '127.0.0.1:0', '--state', state]

where = {}            # seq -> (mailbox, uid): acknowledged, or found after a restart
acked_flags = {}      # seq -> set of flags
in_doubt = set()      # seqs whose MOVE was sent and not answered
sent_seqs = set()
next_seq = [1]
uidvalidity = {}
counts = {'appends': 0, 'moves': 0, 'moved': 0}
thread_failed = threading.Event()


def uid_set(text):
    out = []
    for part in text.split(','):
        first, _, last = part.partition(':')
        out.extend(range(int(first), int(last or first) + 1))
    return out


def move(imap, uids, source, target):
    """UID MOVE; on OK, the new places from COPYUID."""
    seq_of = {uid: seq for seq, (box, uid) in where.items() if box == source and uid in uids}
    in_doubt.update(seq_of.values())
    imap.untagged_responses.pop('OK', None)
    typ, data = imap.uid('MOVE', ','.join(str(u) for u in uids), target)
    if typ != 'OK':
        return
    copyuid = None
    for line in imap.untagged_responses.pop('OK', []) + [data[0] or b'']:
        copyuid = copyuid or re.search(rb'COPYUID (\d+) ([0-9:,]+) ([0-9:,]+)', line)
    check(copyuid is not None, 'MOVE OK without COPYUID')
    check(int(copyuid.group(1)) == uidvalidity[target], 'UIDVALIDITY of %s changed in COPYUID' % target)
    for old, new in zip(uid_set(copyuid.group(2).decode()), uid_set(copyuid.group(3).decode())):
        where[seq_of[old]] = (target, new)
        in_doubt.discard(seq_of[old])
    counts['moves'] += 1
    counts['moved'] += len(seq_of)


def client(port, round_rng, stop):
    """Appends, flags and moves until the server dies or the bound is reached."""
    try:
        imap = imaplib.IMAP4('127.0.0.1', port, timeout=30)
        imap.login('alice', 'wonderland')
        imap.select('INBOX')
        for _ in range(MAX_OPS_PER_ROUND):
            if stop.is_set():
                break
            inbox = sorted(seq for seq, (box, _) in where.items() if box == 'INBOX')
            choice = round_rng.random()
            if inbox and choice < 0.3:
                seq = round_rng.choice(inbox)
                flag = round_rng.choice(FLAGS)
                typ, _ = imap.uid('STORE', str(where[seq][1]), '+FLAGS', '(%s)' % flag)
                if typ == 'OK':
                    acked_flags.setdefault(seq, set()).add(flag)
                continue
            if inbox and choice < 0.5:
                move(imap, [where[round_rng.choice(inbox)][1]], 'INBOX', 'Archive')
                continue
            if choice < 0.55:
                archived = sorted(uid for box, uid in where.values() if box == 'Archive')
                imap.select('Archive')
                if archived:
                    move(imap, archived, 'Archive', 'INBOX')
                imap.select('INBOX')
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
                check(int(m.group(1)) == uidvalidity['INBOX'], 'UIDVALIDITY changed in APPENDUID')
                where[seq] = ('INBOX', int(m.group(2)))
                counts['appends'] += 1
    except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
        pass   # the kill
    except SystemExit:
        # check() failed in this thread: sys.exit() here would end only the
        # thread, so hand the failure to the main thread.
        thread_failed.set()


def read_box(imap, box, found):
    typ, _ = imap.select(box)
    check(typ == 'OK', 'SELECT %s failed after restart' % box)
    validity = int(imap.response('UIDVALIDITY')[1][0])
    check(uidvalidity.setdefault(box, validity) == validity,
          'UIDVALIDITY of %s changed: %d, was %d' % (box, validity, uidvalidity[box]))
    typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (X-Seq)])')
    check(typ == 'OK', 'FETCH in %s failed after restart' % box)
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta, header = item
        uid = int(re.search(rb'UID (\d+)', meta).group(1))
        flags = set(re.search(rb'FLAGS \(([^)]*)\)', meta).group(1).decode().split())
        m = re.search(rb'X-Seq: (\d+)', header)
        if m:
            seq = int(m.group(1))
            check(seq not in found, 'message %d exists twice: %r and %r' % (seq, found.get(seq), (box, uid)))
            check(seq in sent_seqs, 'message %d was never sent' % seq)
            found[seq] = (box, uid, flags)


def verify(port):
    imap = imaplib.IMAP4('127.0.0.1', port, timeout=60)
    imap.login('alice', 'wonderland')
    imap.create('Archive')
    found = {}
    for box in BOXES:
        read_box(imap, box, found)
    imap.logout()
    for seq, place in where.items():
        check(seq in found, 'acknowledged message %d (%s UID %d) is lost' % (seq, place[0], place[1]))
        if seq not in in_doubt:
            check(found[seq][:2] == place, 'message %d was at %r, now at %r' % (seq, place, found[seq][:2]))
    for seq, flags in acked_flags.items():
        missing = flags - found[seq][2]
        check(not missing, 'message %d lost acknowledged flags %s' % (seq, missing))
    # What survived the restart is durable: the next round starts from it.
    for seq, (box, uid, _) in found.items():
        where[seq] = (box, uid)
    in_doubt.clear()
    return len(found)


kills = 0
for round_no in range(ROUNDS):
    srv = Serve(args)
    try:
        if round_no == 0:
            verify(srv.ports['imap'])
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
        n = verify(again.ports['imap'])
    print('round %d: killed; %d appends, %d moves (%d messages) and %d flag sets acknowledged so far; '
          '%d of %d sent found' % (round_no + 1, counts['appends'], counts['moves'], counts['moved'],
                                   sum(len(f) for f in acked_flags.values()), n, len(sent_seqs)))

check(kills == ROUNDS, 'not every round killed the server')
if not counts['appends'] or not counts['moves']:
    fail('no APPEND or no MOVE was ever acknowledged: the test proved nothing')
print('ok: %d SIGKILLs; %d APPENDs, %d MOVEs and %d flag sets acknowledged survived, nothing duplicated'
      % (kills, counts['appends'], counts['moves'], sum(len(f) for f in acked_flags.values())))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulated clients against a real Dovecot: `mailscope run --server URL`
points a scenario's devices at a throwaway Dovecot (dovecot_fixture.py), and
the scenario's assertions about the devices must hold. POP3 always; IMAP too
once the simulated IMAP client is in the build. Exit 77 (skip) without Dovecot."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dovecot_fixture import DovecotUnavailable, start_dovecot  # noqa: E402

MAILSCOPE = os.environ["MAILSCOPE"]


def message(i):
    return (f"From: Carol Chen <carol@school.example>\r\n"
            f"To: Alice Liddell <alice@example.org>\r\n"
            f"Subject: Dovecot test {i}\r\n"
            f"Date: Mon, 03 Mar 2025 08:{i:02d}:00 +0100\r\n"
            f"Message-ID: <dovecot-{i}@school.example>\r\n\r\n"
            f"Hello from message {i}.\r\n").encode()


POP3_SCENARIO = """
[scenario]
id=dovecot-pop3
title=POP3 client against Dovecot
mailbox=empty

[device laptop]
protocol=pop3
leave-on-server=true

[device phone]
protocol=pop3

[step 1]
actor=laptop
action=check
assert=device-count laptop INBOX 3
assert-2=transcript-contains "RETR 3"
assert-3=transcript-lacks "DELE"

[step 2]
actor=laptop
action=check
assert=device-count laptop INBOX 3
assert-2=step-lacks "RETR"

[step 3]
actor=phone
action=check
assert=device-count phone INBOX 3
assert-2=step-contains "DELE 3"

[step 4]
actor=laptop
action=check
assert=step-contains "+OK 0 0"
"""

IMAP_SCENARIO = """
[scenario]
id=dovecot-imap
title=IMAP client against Dovecot
mailbox=empty

[device laptop]
protocol=imap

[step 1]
actor=laptop
action=check
assert=device-count laptop INBOX 3

[step 2]
actor=laptop
action=open
message=Dovecot test 2
assert=step-contains "FETCH"
"""


def run(workdir, text, url):
    path = os.path.join(workdir, "test.scenario")
    with open(path, "w") as f:
        f.write(text)
    return subprocess.run([MAILSCOPE, "run", path, "--server", url],
                          capture_output=True, timeout=120)


def main():
    with tempfile.TemporaryDirectory() as workdir:
        # Under root Dovecot reads the mail as nobody, who must get through.
        os.chmod(workdir, 0o755)
        try:
            dc = start_dovecot(os.path.join(workdir, "dovecot"),
                               users={"alice": "wonderland"},
                               messages=[message(i) for i in (1, 2, 3)])
        except DovecotUnavailable as e:
            print(f"skip: {e}")
            return 77
        try:
            # IMAP first: the POP3 scenario's phone deletes the mail.
            r = run(workdir, IMAP_SCENARIO, f"imap://127.0.0.1:{dc.imap_port}")
            if r.returncode == 2 and b"not part of this build yet" in r.stderr:
                print("imap: skipped, " + r.stderr.decode().strip())
            elif r.returncode != 0:
                print(r.stdout.decode()[-4000:])
                print(r.stderr.decode())
                return 1
            else:
                print(f"imap: ok, {len(r.stdout.splitlines())} transcript lines")
            r = run(workdir, POP3_SCENARIO, f"pop3://127.0.0.1:{dc.pop3_port}")
            if r.returncode != 0:
                print(r.stdout.decode()[-4000:])
                print(r.stderr.decode())
                return 1
            print(f"pop3: ok, {len(r.stdout.splitlines())} transcript lines")

        finally:
            dc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

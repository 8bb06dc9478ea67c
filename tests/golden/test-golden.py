#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs every built-in scenario with `mailscope run` and checks, byte for byte,
that its transcript equals tests/golden/<id>.txt, that a second run prints the
same bytes, and that every assertion held (exit status 0).

A scenario whose protocol sessions are not in this build yet (the run says
"not part of this build yet" and exits 2) is reported and skipped, but only
while it has no golden file. Regenerate with build-aux/update-golden."""
import os
import subprocess
import sys

mailscope = os.environ["MAILSCOPE"]
golden_dir = os.path.join(os.environ["MS_SOURCE_DIR"], "tests", "golden")
# English whatever the developer reads: LANGUAGE wins over LC_ALL in gettext
# (unless the locale is plain C) and always in GKeyFile locale keys.
env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")


def run(scenario):
    return subprocess.run([mailscope, "run", scenario], capture_output=True, env=env, timeout=120)


listing = subprocess.run([mailscope, "scenarios"], capture_output=True, env=env, check=True)
ids = [line.split("\t")[0] for line in listing.stdout.decode().splitlines() if line]
if not ids:
    sys.exit("no built-in scenarios")

failures = 0
checked = 0
for sid in ids:
    path = os.path.join(golden_dir, sid + ".txt")
    first = run(sid)
    if first.returncode == 2 and b"not part of this build yet" in first.stderr and not os.path.exists(path):
        print(f"skip {sid}: {first.stderr.decode().strip()}")
        continue
    if first.returncode != 0:
        print(f"FAIL {sid}: exit {first.returncode}: {first.stderr.decode().strip()}")
        failures += 1
        continue
    second = run(sid)
    if second.stdout != first.stdout:
        print(f"FAIL {sid}: two runs printed different transcripts")
        failures += 1
        continue
    if not os.path.exists(path):
        print(f"FAIL {sid}: no golden file {path} (run build-aux/update-golden)")
        failures += 1
        continue
    with open(path, "rb") as f:
        want = f.read()
    if want != first.stdout:
        got_lines = first.stdout.decode().splitlines()
        want_lines = want.decode().splitlines()
        for n, (a, b) in enumerate(zip(want_lines, got_lines), 1):
            if a != b:
                print(f"FAIL {sid}: line {n} differs\n  want: {a}\n  got:  {b}")
                break
        else:
            print(f"FAIL {sid}: length differs ({len(want_lines)} lines wanted, {len(got_lines)} got)")
        failures += 1
        continue
    print(f"ok {sid}")
    checked += 1

print(f"{checked} scenarios match their golden transcripts, {failures} failed")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every teaching point and myth of teaching-points.md is demonstrated by at
least one built-in scenario (as `mailscope scenarios` lists them), the first
scenario is the laptop-and-phone first check, and every id named is known."""
import os
import subprocess
import sys

TEACHING = ("T01 T02 T03 T10 T11 T12 T13 T14 T20 T21 T22 T30 T31 T32 T40 T41 T50 T51 T52 "
            "T60 T61 T62 T70 T71 T80 T81 T82 T90 T91 T92").split()
MYTHS = "M1 M2 M3 M4 M5 M6".split()

mailscope = os.environ["MAILSCOPE"]
out = subprocess.run([mailscope, "scenarios"], capture_output=True, check=True).stdout.decode()
rows = [line.split("\t") for line in out.splitlines() if line]
if len(rows) < 14:
    sys.exit(f"only {len(rows)} built-in scenarios; at least 14 are wanted")
if rows[0][0] != "first-check":
    sys.exit(f"the first scenario is {rows[0][0]}, not first-check")

covered = set()
for row in rows:
    if len(row) != 3:
        sys.exit(f"malformed line: {row!r}")
    ids = row[2].split()
    for i in ids:
        if i not in TEACHING and i not in MYTHS:
            sys.exit(f"{row[0]}: unknown id {i}")
    covered.update(ids)

missing = [i for i in TEACHING + MYTHS if i not in covered]
if missing:
    sys.exit("not covered by any scenario: " + " ".join(missing))
print(f"{len(rows)} scenarios cover all {len(TEACHING)} teaching points and {len(MYTHS)} myths")

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every teaching point and myth of teaching-points.md is demonstrated by at
least one built-in scenario (as `mailscope scenarios` lists them), the first
scenario is the laptop-and-phone first check, and every id named is known.

Some points are also checked against the protocol lines of the golden
transcripts (tests/golden/ID.txt) of the scenarios that name them, so that
naming an id is not enough: the wire has to show it."""
import os
import re
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

# --- Shown on the wire ------------------------------------------------------
LINE = re.compile(r"^(\d+:\d\d\.\d{3}) (\S+)\s+(\S+#\d+)\s+(C|S): (.*)$")


def protocol_lines(sid):
    """(time, device, connection, direction, text) of each protocol line."""
    path = os.path.join(os.environ["MS_SOURCE_DIR"], "tests", "golden", sid + ".txt")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        matches = [m.groups() for m in map(LINE.match, f.read().splitlines()) if m]
    # Times as milliseconds, so that they compare past 99 minutes too.
    return [(int(t.split(":")[0]) * 60000 + int(t.split(":")[1].replace(".", "")),) + tuple(rest)
            for t, *rest in matches]


def in_order(lines, pattern):
    """Some connection shows every (direction, regex) of pattern in order."""
    for conn in sorted({line[2] for line in lines}):
        i = 0
        for line in lines:
            if line[2] == conn and i < len(pattern) and line[3] == pattern[i][0] \
                    and re.search(pattern[i][1], line[4]):
                i += 1
        if i == len(pattern):
            return True
    return False


def pop3_lock(lines):
    """A POP3 login refused with [IN-USE] while another POP3 session was
    between its login and its QUIT (RFC 1939 section 8, RFC 2449)."""
    refused = [line for line in lines if line[3] == "S" and line[4].startswith("-ERR [IN-USE]")]
    for r in refused:
        for conn in {line[2] for line in lines if line[2].startswith("pop3#") and line[2] != r[2]}:
            mine = [line for line in lines if line[2] == conn]
            login = [line[0] for line in mine if line[3] == "S" and line[4].startswith("+OK Logged in")]
            quit_ = [line[0] for line in mine if line[3] == "C" and line[4] == "QUIT"]
            if login and quit_ and login[0] <= r[0] < quit_[-1]:
                return True
    return False


def imap_together(lines):
    """Two IMAP connections with INBOX selected get the same EXISTS push at
    the same instant."""
    selected = {line[2] for line in lines if line[2].startswith("imap#") and line[3] == "S"
                and "OK [READ-WRITE]" in line[4]}
    pushes = {}
    for line in lines:
        if line[2] in selected and line[3] == "S" and re.fullmatch(r"\* \d+ EXISTS", line[4]):
            pushes.setdefault((line[0], line[4]), set()).add(line[2])
    return any(len(conns) >= 2 for conns in pushes.values())


SHOWN = {
    # RSET takes back the marks, and QUIT then deletes nothing.
    "T22": lambda lines: in_order(lines, [("C", r"^DELE \d+$"), ("S", r"^\+OK"), ("C", r"^RSET$"),
                                          ("S", r"^\+OK"), ("C", r"^QUIT$"), ("S", r"0 messages deleted")]),
    "T62": lambda lines: pop3_lock(lines) and imap_together(lines),
    # The server's mark reaches an IMAP session as a flag.
    "T82": lambda lines: in_order(lines, [("S", r"^\* \d+ FETCH .*FLAGS \([^)]*\$Junk")]),
}

for tid, shown in SHOWN.items():
    scenarios = [row[0] for row in rows if tid in row[2].split()]
    if not any(shown(protocol_lines(sid)) for sid in scenarios):
        sys.exit(f"{tid}: no golden transcript of {' '.join(scenarios) or 'any scenario'} shows it on the wire")
print("shown on the wire: " + " ".join(SHOWN))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A German transcript translates what the simulation says and nothing that
crossed the wire. Runs every built-in scenario with `mailscope run` twice,
in English (LANGUAGE empty, as the golden tests do) and with LANGUAGE=de,
and compares them line by line:

- the same number of lines, the same times, devices and connections;
- protocol lines (C: S:) byte for byte the same: they are wire bytes (only
  the note after a cut line's "..." is translated);
- every notice (!!) and state line (--) different: a line that stays the
  same is English left in a German session (a phrase missing from
  protocols/sim/ms-transcript-phrases.c, or its translation from po/de.po).
  Lines that read the same in both languages by right are listed below."""
import os
import re
import subprocess
import sys

mailscope = os.environ["MAILSCOPE"]
english = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
german = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="de")
# The same word in German.
SAME_IN_GERMAN = {"offline"}
line_re = re.compile(r"^( *\d+:\d\d\.\d{3} \S+ +\S+ +)(C:|S:|C>|S>|--|!!) ?(.*)$")


def run(scenario, env):
    result = subprocess.run([mailscope, "run", scenario], capture_output=True, env=env, timeout=300)
    if result.returncode not in (0, 1):
        sys.exit("mailscope run %s failed: %s" % (scenario, result.stderr.decode(errors="replace")))
    return [m for m in (line_re.match(l) for l in result.stdout.decode().splitlines()) if m]


listing = subprocess.run([mailscope, "scenarios"], capture_output=True, env=english, check=True)
scenarios = [line.split()[0] for line in listing.stdout.decode().splitlines() if line.strip()]
failures = []
checked = 0
for sid in scenarios:
    en, de = run(sid, english), run(sid, german)
    if len(en) != len(de):
        failures.append("%s: %d lines in English, %d in German" % (sid, len(en), len(de)))
        continue
    for a, b in zip(en, de):
        if a.group(1) != b.group(1) or a.group(2) != b.group(2):
            failures.append("%s: lines differ in where or what:\n  %s\n  %s" % (sid, a.group(0), b.group(0)))
        elif a.group(2) in ("C:", "S:"):
            # Part of a line (a cut connection) ends in a note that is
            # translated: "QUI... (cut: 3 bytes, no end of line)".
            if a.group(3).split("... (")[0] != b.group(3).split("... (")[0]:
                failures.append("%s: a protocol line changed:\n  %s\n  %s" % (sid, a.group(0), b.group(0)))
        elif a.group(2) in ("--", "!!"):
            checked += 1
            if a.group(3) == b.group(3) and a.group(3) not in SAME_IN_GERMAN:
                failures.append("%s: still English: %s" % (sid, b.group(0).strip()))

print("%d scenarios, %d notice and state lines compared" % (len(scenarios), checked))
# One line of each kind is enough to show what is missing.
seen = set()
for f in failures:
    key = re.sub(r"\d+", "N", f)
    if key not in seen:
        seen.add(key)
        print("FAIL " + f)
sys.exit(1 if failures else 0)

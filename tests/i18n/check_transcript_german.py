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
  same is English left in a German session (a notice not written as a
  phrase, or a msgid without its translation in po/de.po). Lines that read
  the same in both languages by right are listed below;
- no notice names a device by its scenario id ("phone fertig: …") where
  the reader sees a display name ("Handy", from the summary at the end of
  the German run). Quoted text (subjects, searches) and an assertion as the
  scenario wrote it ("device-count phone INBOX 3") keep the id by right."""
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
# A device's line in the summary at the end: "# laptop (pop3, …" in English,
# "# Laptop (pop3, …" in German.
summary_re = re.compile(r"^# (.+?) \((pop3|imap)[,)]")
check_re = re.compile(r"^check (ok|FAILED): ")
quoted_re = re.compile(r"“[^”]*”|„[^“]*“|\"[^\"]*\"")


def run(scenario, env):
    result = subprocess.run([mailscope, "run", scenario], capture_output=True, env=env, timeout=300)
    if result.returncode not in (0, 1):
        sys.exit("mailscope run %s failed: %s" % (scenario, result.stderr.decode(errors="replace")))
    lines = result.stdout.decode().splitlines()
    devices = [m.group(1) for m in (summary_re.match(l) for l in lines) if m]
    return [m for m in (line_re.match(l) for l in lines) if m], devices


def assertion_source(english, german):
    """The assertion as the scenario wrote it, at the start of a check line:
    the longest start of the English rest that the German line holds too,
    followed by the detail in parentheses."""
    rest = check_re.sub("", english)
    best = ""
    for i in range(len(rest)):
        if rest.startswith(" (", i) and rest[:i] + " (" in german:
            best = rest[:i]
    return best


def raw_ids(english, german, renamed):
    """The device ids a German notice still shows where a display name exists."""
    text = german
    if check_re.match(english):
        text = text.replace(assertion_source(english, german), "", 1)
    text = quoted_re.sub("", text)
    return [i for i in renamed if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(i), text)]


listing = subprocess.run([mailscope, "scenarios"], capture_output=True, env=english, check=True)
scenarios = [line.split()[0] for line in listing.stdout.decode().splitlines() if line.strip()]
failures = []
checked = 0
for sid in scenarios:
    (en, en_devices), (de, de_devices) = run(sid, english), run(sid, german)
    # The ids the German reader sees under another name.
    renamed = {i: n for i, n in zip(en_devices, de_devices) if i != n}
    if len(en_devices) != len(de_devices) or not en_devices:
        failures.append("%s: the summary names %s in English, %s in German" % (sid, en_devices, de_devices))
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
            for i in raw_ids(a.group(3), b.group(3), renamed):
                failures.append("%s: “%s” where the reader sees “%s”: %s" % (sid, i, renamed[i], b.group(0).strip()))

print("%d scenarios, %d notice and state lines compared" % (len(scenarios), checked))
# One line of each kind is enough to show what is missing.
seen = set()
for f in failures:
    key = re.sub(r"\d+", "N", f)
    if key not in seen:
        seen.add(key)
        print("FAIL " + f)
sys.exit(1 if failures else 0)

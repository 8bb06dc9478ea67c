#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every built-in scenario speaks German: each title, description, intro and
narration has a non-empty [de] variant. Then, through the binary, that
LANGUAGE=de shows those variants (mailscope scenarios, mailscope run) and
the command line's own words, and that English stays the default."""
import glob
import os
import re
import subprocess
import sys

source = os.environ["MS_SOURCE_DIR"]
mailscope = os.environ["MAILSCOPE"]
TEXT_KEYS = ("title", "description", "intro", "narration")
LANGUAGES = ("de",)
failed = []


def read_groups(path):
    """{group: {key: value}} for a GKeyFile without continuation lines."""
    groups, group = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^\[(.+)\]$", line)
            if m:
                group = groups.setdefault(m.group(1), {})
                continue
            key, _, value = line.partition("=")
            group[key.strip()] = value.strip()
    return groups


titles = {}
files = sorted(glob.glob(os.path.join(source, "data", "scenarios", "*.scenario")))
if not files:
    sys.exit("no built-in scenarios in data/scenarios")
for path in files:
    name = os.path.basename(path)
    groups = read_groups(path)
    for group, keys in groups.items():
        for key in TEXT_KEYS:
            for lang in LANGUAGES:
                if key in keys and not keys.get("%s[%s]" % (key, lang)):
                    failed.append("%s: [%s] %s has no %s[%s]" % (name, group, key, key, lang))
    scenario = groups.get("scenario", {})
    titles[scenario.get("id")] = (scenario.get("title"), scenario.get("title[de]"))
print("%d scenarios, %d keys without a translation" % (len(files), len(failed)))


def run(args, language):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE=language)
    return subprocess.run([mailscope] + args, capture_output=True, text=True, env=env, timeout=120)


for language, index in (("de", 1), ("", 0)):
    listing = run(["scenarios"], language)
    if listing.returncode != 0:
        failed.append("mailscope scenarios (LANGUAGE=%s) failed: %s" % (language, listing.stderr))
        continue
    for line in listing.stdout.splitlines():
        sid, title = line.split("\t")[:2]
        want = titles.get(sid, (None, None))[index]
        if want is not None and title != want:
            failed.append("LANGUAGE=%r: %s is titled %r, not %r" % (language, sid, title, want))

german = run(["run", "first-check"], "de")
if "# Der Laptop verbindet sich mit IMAP" not in german.stdout:
    failed.append("LANGUAGE=de mailscope run first-check: no German narration")
if "C: a" not in german.stdout and "C: A" not in german.stdout:
    # The protocol lines stay what crossed the wire.
    failed.append("LANGUAGE=de mailscope run first-check: no IMAP command lines")
usage = run(["--help"], "de")
if "Aufruf:" not in usage.stdout:
    failed.append("LANGUAGE=de mailscope --help is not German: %r" % usage.stdout[:200])
bad = run(["run"], "de")
if bad.returncode != 2 or "gib genau ein Szenario an" not in bad.stderr:
    failed.append("LANGUAGE=de mailscope run (no scenario): %r" % bad.stderr)
missing = run(["run", "no-such-scenario"], "de")
if missing.returncode != 2 or "kein Szenario „no-such-scenario“" not in missing.stderr:
    failed.append("LANGUAGE=de mailscope run no-such-scenario: %r" % missing.stderr)
# A machine with no locale configured: LANGUAGE alone still means German.
bare = subprocess.run([mailscope, "--help"], capture_output=True, text=True, timeout=60,
                      env=dict(os.environ, LC_ALL="C", LANGUAGE="de"))
if "Aufruf:" not in bare.stdout:
    failed.append("LC_ALL=C LANGUAGE=de mailscope --help is not German: %r" % bare.stdout[:200])
english = run(["--help"], "")
if "Usage:" not in english.stdout:
    failed.append("mailscope --help is not English by default: %r" % english.stdout[:200])

for message in failed:
    print("FAIL:", message)
sys.exit(1 if failed else 0)

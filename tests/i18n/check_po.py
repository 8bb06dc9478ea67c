#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translation in po/ is complete and well-formed: msgfmt --check
--statistics reports no fuzzy and no untranslated message. Also prints (but
does not fail on) source files that use gettext and are missing from
po/POTFILES.in, so a new file shows up in the log."""
import os
import re
import subprocess
import sys

source = os.environ["MS_SOURCE_DIR"]
msgfmt = sys.argv[1]
po_dir = os.path.join(source, "po")
failed = False

with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
    languages = [w for line in f for w in line.split() if not line.startswith("#")]
if not languages:
    sys.exit("po/LINGUAS names no language")

for lang in languages:
    path = os.path.join(po_dir, lang + ".po")
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, path],
                            capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE=""))
    report = (result.stdout + result.stderr).strip()
    print("%s: %s" % (lang, report))
    if result.returncode != 0:
        print("FAIL: msgfmt --check found errors in %s.po" % lang)
        failed = True
    if "fuzzy" in report or "untranslated" in report:
        print("FAIL: %s.po has fuzzy or untranslated messages" % lang)
        failed = True

with open(os.path.join(po_dir, "POTFILES.in"), encoding="utf-8") as f:
    listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}
marker = re.compile(r'\b(N?_|C_|NC_|ngettext)\s*\(\s*"|translatable="yes"')
for top in ("app", "ui", "protocols", os.path.join("data", "ui")):
    for folder, _, files in os.walk(os.path.join(source, top)):
        for name in sorted(files):
            if not name.endswith((".c", ".ui")):
                continue
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, source)
            with open(full, encoding="utf-8") as f:
                if marker.search(f.read()) and rel not in listed:
                    print("note: %s has translatable strings but is not in po/POTFILES.in" % rel)

sys.exit(1 if failed else 0)

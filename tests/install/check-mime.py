#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The .scenario file type: the shared-mime-info file is well formed, the
freedesktop tool reads it into a private MIME folder (never the system's),
the type it defines matches *.scenario there, and the desktop entry names the
same type in MimeType= and takes files (%F) on its Exec line."""

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def fail(message):
    print(f"not ok: {message}")
    sys.exit(1)


def main():
    mime_xml, desktop = sys.argv[1], sys.argv[2]
    root = ET.parse(mime_xml).getroot()
    types = root.findall(f"{NS}mime-type")
    if len(types) != 1:
        fail(f"expected one mime-type, found {len(types)}")
    mime_type = types[0].get("type")
    globs = [g.get("pattern") for g in types[0].findall(f"{NS}glob")]
    if globs != ["*.scenario"]:
        fail(f"globs are {globs}")
    print(f"ok: {mime_type} for *.scenario")

    with tempfile.TemporaryDirectory(prefix="ms-mime-") as mime_dir:
        os.makedirs(os.path.join(mime_dir, "packages"))
        shutil.copy(mime_xml, os.path.join(mime_dir, "packages"))
        result = subprocess.run(["update-mime-database", "-V", mime_dir], capture_output=True, text=True)
        if result.returncode != 0 or "warning" in result.stderr.lower() or "error" in result.stderr.lower():
            fail(f"update-mime-database:\n{result.stdout}\n{result.stderr}")
        globs2 = open(os.path.join(mime_dir, "globs2"), encoding="utf-8").read()
        if f"{mime_type}:*.scenario" not in globs2:
            fail(f"globs2 has no {mime_type}:*.scenario:\n{globs2}")
        print("ok: update-mime-database reads it")

    entry = open(desktop, encoding="utf-8").read().splitlines()
    mime_line = [line for line in entry if line.startswith("MimeType=")]
    exec_line = [line for line in entry if line.startswith("Exec=")]
    if not mime_line or mime_type not in mime_line[0].split("=", 1)[1].split(";"):
        fail(f"the desktop entry does not name {mime_type}: {mime_line}")
    if not exec_line or "%F" not in exec_line[0] and "%f" not in exec_line[0]:
        fail(f"the desktop entry's Exec takes no file: {exec_line}")
    print("ok: the desktop entry opens it")


if __name__ == "__main__":
    main()

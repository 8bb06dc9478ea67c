#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`mailscope FILE` on the command line, up to the point where a window would
open: a missing or unreadable file, or a folder, gets one clear line on stderr
and status 2 before GTK starts (so with no display at all); a misspelt command
is still an error; --help names the form; the headless commands still work
(design.md's contract). Opening a real file is tested in ui-desktop."""

import os
import subprocess
import sys
import tempfile

MAILSCOPE = os.environ["MAILSCOPE"]


def fail(message):
    print(f"not ok: {message}")
    sys.exit(1)


def run(*args):
    env = dict(os.environ)
    # No display: nothing here may get as far as GTK.
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([MAILSCOPE, *args], capture_output=True, text=True, env=env, timeout=120)


def expect_refused(args, words):
    result = run(*args)
    lines = result.stderr.strip().splitlines()
    if result.returncode != 2 or len(lines) != 1 or not all(w in lines[0] for w in words):
        fail(f"mailscope {' '.join(args)}: status {result.returncode}, stderr {result.stderr!r}")
    print(f"ok: mailscope {' '.join(args)} -> 2: {lines[0]}")


def main():
    with tempfile.TemporaryDirectory(prefix="ms-open-") as folder:
        missing = os.path.join(folder, "missing.scenario")
        expect_refused([missing], ["missing.scenario", "No such file"])
        expect_refused(["nothere.scenario"], ["nothere.scenario"])
        expect_refused([folder], [folder])
        expect_refused(["sevre"], ["sevre", "--help"])

    result = run("--help")
    if result.returncode != 0 or "FILE.scenario" not in result.stdout:
        fail(f"--help does not name FILE.scenario:\n{result.stdout}")
    print("ok: --help names mailscope FILE.scenario")

    result = run("scenarios")
    if result.returncode != 0 or "first-check" not in result.stdout:
        fail(f"mailscope scenarios: status {result.returncode}\n{result.stderr}")
    result = run("run", "first-check")
    if result.returncode != 0:
        fail(f"mailscope run first-check: status {result.returncode}\n{result.stderr}")
    print("ok: scenarios and run still work")


if __name__ == "__main__":
    main()

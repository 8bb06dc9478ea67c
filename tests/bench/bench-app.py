#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's figures for build-aux/bench, measured from outside under a
private Xvfb (1920x1080): the time from exec to the main window being shown
(mapped, as xdotool sees it; GTK draws the first frame on the next tick of
its frame clock), the CPU time the app used until then, and the resident
memory once the window has settled, with the built-in sample mailbox (the
app has no way to open another mailbox). Prints tab-separated rows:
measure, median, unit, goal. Figures only."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--build", required=True)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--data", default="/tmp/mailscope-bench")
parser.add_argument("--sizes", default="")
args = parser.parse_args()

mailscope = os.path.join(args.build, "app", "mailscope")


def start_xvfb():
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24",
                             "-nolisten", "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = f.readline().strip()
    if not display:
        proc.kill()
        raise SystemExit("Xvfb did not start")
    return proc, ":" + display


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def cpu_seconds(pid):
    """User and system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(display):
    env = dict(os.environ, DISPLAY=display, GSK_RENDERER="cairo", GDK_DEBUG="gl-disable",
               GTK_A11Y="none", LANGUAGE="", LC_ALL="C.UTF-8",
               GSETTINGS_SCHEMA_DIR=os.path.join(args.build, "data"))
    env.pop("WAYLAND_DISPLAY", None)
    started = time.monotonic()
    app = subprocess.Popen([mailscope], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shown = cpu = None
    try:
        deadline = started + 60
        while time.monotonic() < deadline and app.poll() is None:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app.pid), "--name", "."],
                                   env=env, capture_output=True, text=True).stdout.strip()
            if found:
                shown = time.monotonic() - started
                cpu = cpu_seconds(app.pid)
                break
            time.sleep(0.005)
        time.sleep(3)
        rss = rss_kb(app.pid) if app.poll() is None else None
    finally:
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
    return shown, cpu, rss


xvfb, display = start_xvfb()
try:
    shown, cpu, rss = [], [], []
    for _ in range(args.runs):
        s, c, r = one_run(display)
        shown.append(s)
        cpu.append(c)
        rss.append(r)
finally:
    xvfb.terminate()
    xvfb.wait()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(name, value, unit, goal):
    print(f"{name}\t{'-' if value is None else f'{value:.3f}'}\t{unit}\t{goal}")


s = median(shown)
c = median(cpu)
r = median(rss)
row("start-up to window shown (sample mailbox)", None if s is None else s * 1000, "ms", "< 400")
# On a shared machine the wall time is mostly waiting for a core; the CPU
# time the app used until then is the part that is its own.
row("  CPU time used until then", None if c is None else c * 1000, "ms", "")
row("RSS, sample mailbox, window idle", None if r is None else r / 1024, "MiB", "< 80")
if s is None:
    print("the app's window never showed", file=sys.stderr)
    sys.exit(1)

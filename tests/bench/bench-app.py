#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's figures for build-aux/bench, under a private Xvfb (1920x1080):

- from outside, with the built-in sample mailbox: the time from exec to the
  main window being shown (mapped, as xdotool sees it; GTK draws the first
  frame on the next tick of its frame clock), the CPU time the app used
  until then, and the resident memory once the window has settled;
- the resident memory with a 100k-message mailbox: the app opens a scenario
  file (`mailscope FILE.scenario`) written into the data folder whose
  server mailbox is the generated mbox;
- the frame times while the stage animates at 1920x1080 with the transcript
  open (tests/bench/bench-frames, from the window's GdkFrameClock).

Settings go to GLib's memory backend, so a scenario remembered from another
run never changes what opens. Prints tab-separated rows: measure, median,
unit, goal. Figures only."""
import argparse
import ctypes
import ctypes.util
import os
import re
import select
import statistics
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--build", required=True)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--data", default="/tmp/mailscope-bench")
parser.add_argument("--sizes", default="")
parser.add_argument("--skip", default="", help="comma-separated: startup,big,frames")
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


def app_env(display):
    env = dict(os.environ, DISPLAY=display, GSK_RENDERER="cairo", GDK_DEBUG="gl-disable",
               GTK_A11Y="none", LANGUAGE="", LC_ALL="C.UTF-8", GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(args.build, "data"))
    env.pop("WAYLAND_DISPLAY", None)
    return env


class MapWatch:
    """Waits for the first top-level window mapped on the private Xvfb (only
    the app maps windows there): libX11 through ctypes, SubstructureNotify
    on the root window, so the wait costs no CPU. (Until 2026-12-04 this
    ran `xdotool search` every 5 ms, a process per poll that took a good
    part of a core from the app it was timing.)"""
    MAP_NOTIFY = 19
    SUBSTRUCTURE_NOTIFY_MASK = 1 << 19

    def __init__(self, display):
        x = self.x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        for name in ("XDefaultRootWindow",):
            getattr(x, name).restype = ctypes.c_ulong
        for name in ("XDefaultRootWindow", "XPending", "XConnectionNumber", "XFlush", "XCloseDisplay"):
            getattr(x, name).argtypes = [ctypes.c_void_p]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.dpy = x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise SystemExit(f"cannot open display {display}")
        x.XSelectInput(self.dpy, x.XDefaultRootWindow(self.dpy), self.SUBSTRUCTURE_NOTIFY_MASK)
        x.XFlush(self.dpy)

    def wait(self, proc, deadline):
        """time.monotonic() when a window that is not override-redirect
        (a tooltip or menu) was mapped, or None."""
        event = ctypes.create_string_buffer(192)  # sizeof (XEvent)
        fd = self.x.XConnectionNumber(self.dpy)
        while time.monotonic() < deadline and proc.poll() is None:
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, event)
                kind = int.from_bytes(event.raw[0:4], "little")
                # XMapEvent: type, serial, send_event, display, event, window, override_redirect
                override_redirect = int.from_bytes(event.raw[48:52], "little")
                if kind == self.MAP_NOTIFY and not override_redirect:
                    return time.monotonic()
            select.select([fd], [], [], max(0.0, min(0.5, deadline - time.monotonic())))
        return None

    def close(self):
        self.x.XCloseDisplay(self.dpy)


def one_run(display, extra_args=(), timeout=60):
    env = app_env(display)
    watch = MapWatch(display)
    started = time.monotonic()
    app = subprocess.Popen([mailscope] + list(extra_args), env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    shown = cpu = None
    try:
        mapped = watch.wait(app, started + timeout)
        watch.close()
        if mapped is not None:
            shown = mapped - started
            cpu = cpu_seconds(app.pid)
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


def big_scenario(count):
    """A scenario file whose server mailbox is the generated mbox of `count`
    messages (made by run-bench.py), or None when there is none."""
    mbox = os.path.join(args.data, f"mailbox-{count}.mbox")
    if not os.path.exists(mbox):
        return None
    path = os.path.join(args.data, f"bench-{count}.scenario")
    with open(path, "w") as f:
        f.write(f"""[scenario]
id=bench-{count}
title={count} messages on the server (benchmark)
description=The benchmark's generated mailbox; one device that has not checked yet.
teaching=T02
mailbox={mbox}
link=dsl-16m

[device laptop]
protocol=imap

[step 1]
actor=laptop
action=check
narration=The laptop checks the mailbox.
""")
    return path


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(name, value, unit, goal):
    print(f"{name}\t{'-' if value is None else f'{value:.3f}'}\t{unit}\t{goal}", flush=True)


skip = set(p for p in args.skip.split(",") if p)
sizes = [int(s) for s in args.sizes.split()]
status = 0
xvfb, display = start_xvfb()
try:
    if "startup" not in skip:
        shown, cpu, rss = [], [], []
        for _ in range(args.runs):
            s, c, r = one_run(display)
            shown.append(s)
            cpu.append(c)
            rss.append(r)
        s = median(shown)
        c = median(cpu)
        row("start-up to window shown (sample mailbox)", None if s is None else s * 1000, "ms", "< 400")
        # On a shared machine the wall time is mostly waiting for a core; the
        # CPU time the app used until then is the part that is its own.
        row("  CPU time used until then", None if c is None else c * 1000, "ms", "")
        row("RSS, sample mailbox, window idle", None if median(rss) is None else median(rss) / 1024, "MiB", "< 80")
        if s is None:
            print("the app's window never showed", file=sys.stderr)
            status = 1
        # What starting any process of this binary costs on this machine:
        # exec, the dynamic linking of GTK and about 75 libraries, exit. No
        # display, no window; the part of the start-up that the app's code
        # does not reach.
        baseline = []
        for _ in range(args.runs):
            t0 = time.monotonic()
            subprocess.run([mailscope, "--version"], stdout=subprocess.DEVNULL, check=True)
            baseline.append(time.monotonic() - t0)
        row("  baseline: mailscope --version, exec to exit", median(baseline) * 1000, "ms", "")

    if "big" not in skip and sizes:
        count = max(sizes)
        scenario = big_scenario(count)
        if scenario is not None:
            rss, shown = [], []
            for _ in range(args.runs):
                s, _c, r = one_run(display, [scenario], timeout=600)
                shown.append(s)
                rss.append(r)
            s = median(shown)
            row(f"  window shown with {count // 1000}k messages", None if s is None else s * 1000, "ms", "")
            r = median(rss)
            row(f"RSS, {count // 1000}k-message mailbox, window idle", None if r is None else r / 1024, "MiB", "")

    if "frames" not in skip:
        done = subprocess.run([os.path.join(args.build, "tests", "bench", "bench-frames"), "--runs", str(args.runs)],
                              env=app_env(display), capture_output=True, text=True)
        sys.stderr.write(done.stderr)
        figures = dict(line.split("\t")[:2] for line in done.stdout.splitlines() if line.count("\t") == 2)
        value = lambda key: float(figures[key]) if key in figures else None
        row("frame interval p95, animating, 1920x1080, transcript", value("frame-interval-p95"), "ms", "< 16.7")
        row("  CPU per frame p95 (main thread, same frames)", value("frame-cpu-p95"), "ms", "")
        if done.returncode != 0:
            status = 1
finally:
    xvfb.terminate()
    xvfb.wait()
sys.exit(status)

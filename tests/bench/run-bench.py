#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the benchmarks for build-aux/bench and prints one table.

For each mailbox size: generate a deterministic mbox, load it into
`mailscope serve` and into a throwaway Dovecot (tests/interop/dovecot_fixture.py),
time both with the same client (bench-servers), measure the memory of 1,000
idle IMAP sessions and the IDLE push latency to 100 sessions. Then the
engine (bench-scenarios) and the mbox load time. Figures only; no verdicts."""
import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--build", required=True)
parser.add_argument("--source", required=True)
parser.add_argument("--sizes", default=os.environ.get("MS_BENCH_SIZES", "10000 100000"))
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--idle-sessions", type=int, default=1000)
parser.add_argument("--push-sessions", type=int, default=100)
args = parser.parse_args()

sys.path.insert(0, os.path.join(args.source, "tests", "interop"))
mailscope = os.path.join(args.build, "app", "mailscope")
bench_servers = os.path.join(args.build, "tests", "bench", "bench-servers")
generator = os.path.join(args.source, "tests", "bench", "generate-mailbox")
data_dir = os.path.join(args.build, "bench-data")
os.makedirs(data_dir, exist_ok=True)

rows = []  # (section, name, mailscope, dovecot, unit)


def add(section, name, ours, theirs, unit):
    rows.append((section, name, ours, theirs, unit))


def generate(count):
    path = os.path.join(data_dir, f"mailbox-{count}.mbox")
    if not os.path.exists(path):
        subprocess.run([generator, "--count", str(count), "--seed", "1", "--out", path + ".tmp"],
                       check=True, stdout=subprocess.DEVNULL)
        os.rename(path + ".tmp", path)
    return path


def read_mbox(path):
    """The messages of an mboxrd file, unquoted, as bytes with LF line ends:
    a "From " line starts a message, the blank line before it belongs to the
    separator, and one '>' comes off every ">From " line."""
    messages, current = [], None

    def flush():
        if current is not None:
            if current and current[-1] == b"\n":
                current.pop()
            messages.append(b"".join(current))

    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From "):
                flush()
                current = []
            elif current is not None:
                current.append(line[1:] if re.match(rb"^>+From ", line) else line)
    flush()
    return messages


def start_mailscope(mbox):
    started = time.monotonic()
    proc = subprocess.Popen([mailscope, "serve", "--mail", mbox, "--user", "alice:wonderland",
                             "--imap", "127.0.0.1:0", "--pop3", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    load_seconds = time.monotonic() - started
    m = re.match(r"ready pop3=[\d.]+:(\d+) imap=[\d.]+:(\d+)", line)
    if not m:
        proc.kill()
        raise SystemExit(f"mailscope serve did not start: {line!r}")
    return proc, int(m.group(2)), int(m.group(1)), load_seconds


def bench(imap_port, pop3_port, extra):
    out = subprocess.run([bench_servers, "--imap-port", str(imap_port), "--pop3-port", str(pop3_port),
                          "--runs", str(args.runs)] + extra,
                         check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        name, ms, nbytes, mbs = line.split("\t")
        result[name] = (float(ms), int(nbytes), float(mbs))
    return result


def tree_rss_kb(pid):
    """RSS of a process and all its descendants (Dovecot forks one imap process per session)."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
                total += int(m.group(1)) if m else 0
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return total


def idle_memory(imap_port, pid):
    before = tree_rss_kb(pid)
    proc = subprocess.Popen([bench_servers, "--imap-port", str(imap_port), "--idle-sessions",
                             str(args.idle_sessions)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("IDLE-READY"):
        proc.kill()
        return None
    time.sleep(1)
    after = tree_rss_kb(pid)
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=120)
    return (after - before) / args.idle_sessions


for size in [int(s) for s in args.sizes.split()]:
    mbox = generate(size)
    section = f"{size:,} messages"
    ms_proc, ms_imap, ms_pop3, load_s = start_mailscope(mbox)
    try:
        ours = bench(ms_imap, ms_pop3, [])
        ours_push = bench(ms_imap, ms_pop3, ["--push-sessions", str(args.push_sessions)])
        ours_idle = idle_memory(ms_imap, ms_proc.pid)
    finally:
        ms_proc.terminate()
        ms_proc.wait()

    theirs, theirs_push, theirs_idle = {}, {}, None
    try:
        import dovecot_fixture
        with tempfile.TemporaryDirectory(dir=data_dir) as work:
            dc = dovecot_fixture.start_dovecot(work, users={"alice": "wonderland"},
                                               messages=read_mbox(mbox), mailbox_format="maildir")
            try:
                theirs = bench(dc.imap_port, dc.pop3_port, [])
                theirs_push = bench(dc.imap_port, dc.pop3_port, ["--push-sessions", str(args.push_sessions)])
                theirs_idle = idle_memory(dc.imap_port, dc.pid)
            finally:
                dc.stop()
    except ImportError:
        print("dovecot_fixture is missing: Dovecot columns left empty", file=sys.stderr)

    add(section, "load the mbox (serve start-up)", load_s * 1000, None, "ms")
    for name, (ms, nbytes, mbs) in ours.items():
        add(section, name, ms, theirs.get(name, (None,))[0], "ms")
    for name, (ms, _, _) in ours_push.items():
        add(section, name, ms, theirs_push.get(name, (None,))[0], "ms")
    add(section, f"RSS per idle IMAP session ({args.idle_sessions})", ours_idle, theirs_idle, "KiB")

scenario_bench = os.path.join(args.build, "tests", "bench", "bench-scenarios")
if os.path.exists(scenario_bench):
    out = subprocess.run([scenario_bench], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            add("engine", f"scenario {parts[0]}", float(parts[1]), None, "ms")


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.1f}" if v >= 10 else f"{v:,.3f}"


print(f"{'section':<16} {'measure':<42} {'Mailscope':>12} {'Dovecot':>12} {'unit':>5} {'ratio':>7}")
for section, name, ours, theirs, unit in rows:
    ratio = "-"
    if ours and theirs:
        ratio = f"{theirs / ours:.2f}x"
    print(f"{section:<16} {name:<42} {fmt(ours):>12} {fmt(theirs):>12} {unit:>5} {ratio:>7}")
print("ratio = Dovecot / Mailscope (above 1 means Mailscope is faster or smaller)")

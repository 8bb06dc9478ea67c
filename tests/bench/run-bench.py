#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the benchmarks for build-aux/bench and prints one table.

For each mailbox size: generate a deterministic mbox, time loading it
(bench-store), load it into `mailscope serve` and into a throwaway Dovecot
(tests/interop/dovecot_fixture.py: its own config in a temporary folder,
127.0.0.1 only), time both with the same client (bench-servers), measure the
memory of idle IMAP sessions and the IDLE push latency. Then the engine
(bench-scenarios) and the app (bench-app.py). Each figure is the median of
--runs runs. Figures only; the goals are in docs/benchmarks.md.

MS_BENCH_QUICK=1 (or --quick) is for development on a busy machine: the 10k
mailbox only, 3 runs, 200 idle and 20 IDLE sessions.

--save FILE (MS_BENCH_SAVE) also writes the rows to FILE as JSON; --merge
FILE... runs nothing and prints the table of saved runs joined (each figure
from the last file that has it), so that parts run at different times, say
MS_BENCH_SKIP=mailscope,engine,app for Dovecot alone, make one table."""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_table  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--build")
parser.add_argument("--source", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
parser.add_argument("--quick", action="store_true", default=os.environ.get("MS_BENCH_QUICK", "") not in ("", "0"))
parser.add_argument("--sizes", default=os.environ.get("MS_BENCH_SIZES"))
parser.add_argument("--runs", type=int, default=None)
parser.add_argument("--idle-sessions", type=int, default=None)
parser.add_argument("--push-sessions", type=int, default=None)
parser.add_argument("--data", default=os.environ.get("MS_BENCH_DATA", "/tmp/mailscope-bench"),
                    help="where generated mailboxes are kept between runs (never in git)")
parser.add_argument("--skip", default=os.environ.get("MS_BENCH_SKIP", ""),
                    help="comma-separated parts to leave out: mailscope,dovecot,engine,app,ops,idle,push, "
                         "or of the app: startup,big,frames")
parser.add_argument("--save", default=os.environ.get("MS_BENCH_SAVE") or None,
                    help="also write the rows to this JSON file")
parser.add_argument("--merge", nargs="+", metavar="FILE",
                    help="run nothing: print the table of these saved runs joined")
args = parser.parse_args()
if args.sizes is None:
    args.sizes = "10000" if args.quick else "10000 100000"
if args.runs is None:
    args.runs = 3 if args.quick else 5
if args.idle_sessions is None:
    args.idle_sessions = 200 if args.quick else 1000
if args.push_sessions is None:
    args.push_sessions = 20 if args.quick else 100
skip = set(s for s in args.skip.split(",") if s)

if args.merge:
    headers, merged_rows, merged_failures = bench_table.merge(args.merge)
    lines = [f"{os.path.basename(path)}: {h['started']} UTC, {h['what']}; load average {h['load_start']} at the "
             f"start, {h['load_end']} at the end; {h['runs']} runs per figure" for path, h in zip(args.merge, headers)]
    lines += [f"machine: {headers[-1]['machine']}", headers[-1]["servers"]]
    bench_table.print_report(lines, merged_rows, merged_failures, sys.stdout)
    sys.exit(0)
if not args.build:
    parser.error("--build is required unless --merge is given")

sys.path.insert(0, os.path.join(args.source, "tests", "interop"))
mailscope = os.path.join(args.build, "app", "mailscope")
bench_dir = os.path.join(args.build, "tests", "bench")
bench_servers = os.path.join(bench_dir, "bench-servers")
generator = os.path.join(args.source, "tests", "bench", "generate-mailbox")
os.makedirs(args.data, exist_ok=True)

rows = []  # (section, measure, mailscope, dovecot, unit, goal)
failures = []


def add(section, name, ours, theirs=None, unit="ms", goal=""):
    rows.append([section, name, ours, theirs, unit, goal])
    # Progress on stderr, so a long run shows where it is.
    print(f"  {section}: {name}: {ours} / {theirs} {unit}", file=sys.stderr, flush=True)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            model = m.group(1).strip() if m else model
        with open("/proc/meminfo") as f:
            mem = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) / 1024 / 1024
    except OSError:
        mem = 0
    return f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, Linux {platform.release()}"


def generate(count):
    """The mbox of `count` messages and what its summary says (planted words, big message)."""
    path = os.path.join(args.data, f"mailbox-{count}.mbox")
    summary_path = path + ".summary"
    if not (os.path.exists(path) and os.path.exists(summary_path)):
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        with open(summary_path + ".tmp", "w") as out:
            subprocess.run(["nice", generator, "--count", str(count), "--seed", "1", "--out", path + ".tmp"],
                           check=True, stdout=out)
        os.rename(path + ".tmp", path)
        os.rename(summary_path + ".tmp", summary_path)
    with open(summary_path) as f:
        summary = f.read()
    info = {"rare": "quetzalcoatl", "common": "meeting", "big_uid": 1, "big_bytes": 0, "bytes": 0}
    m = re.search(r"(\d+) bytes as stored", summary)
    info["bytes"] = int(m.group(1)) if m else os.path.getsize(path)
    m = re.search(r"rare word '(\w+)'", summary)
    if m:
        info["rare"] = m.group(1)
    m = re.search(r"common word '(\w+)'", summary)
    if m:
        info["common"] = m.group(1)
    m = re.search(r"big message (\d+): (\d+) bytes", summary)
    if m:
        info["big_uid"], info["big_bytes"] = int(m.group(1)), int(m.group(2))
    return path, info


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


def median_of(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def time_store_load(mbox):
    """Seconds and peak RSS (KiB) of bench-store loading the mbox, median of the runs."""
    seconds, peaks = [], []
    for _ in range(args.runs):
        proc = subprocess.Popen([os.path.join(bench_dir, "bench-store"), mbox], stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        m = re.search(r"bytes, ([\d.]+) s", out)
        if status != 0 or not m:
            raise SystemExit(f"bench-store failed on {mbox}: {out!r}")
        seconds.append(float(m.group(1)))
        peaks.append(usage.ru_maxrss)
    return median_of(seconds), median_of(peaks)


def start_mailscope(mbox):
    started = time.monotonic()
    proc = subprocess.Popen([mailscope, "serve", "--mail", mbox, "--user", "alice:wonderland",
                             "--imap", "127.0.0.1:0", "--pop3", "127.0.0.1:0",
                             "--max-connections", str(args.idle_sessions + args.push_sessions + 50),
                             "--max-sessions", str(args.idle_sessions + args.push_sessions + 50)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    load_seconds = time.monotonic() - started
    m = re.search(r"pop3=[\d.]+:(\d+)", line)
    n = re.search(r"imap=[\d.]+:(\d+)", line)
    if not (m and n):
        proc.kill()
        raise SystemExit(f"mailscope serve did not start: {line!r}")
    return proc, int(n.group(1)), int(m.group(1)), load_seconds


class BenchFailed(RuntimeError):
    """bench-servers stopped; .partial holds the operations it finished."""

    def __init__(self, message, partial):
        super().__init__(message)
        self.partial = partial


def bench(imap_port, pop3_port, info, extra, into=None):
    """Runs bench-servers and returns {operation: (ms, bytes, MB/s)}. Each
    row is read as soon as it is printed (and shown on stderr), so that when
    the client fails half-way the rows it finished are kept: they are in
    `into` if given, and in the exception's .partial."""
    result = {} if into is None else into
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([bench_servers, "--imap-port", str(imap_port), "--pop3-port", str(pop3_port),
                                 "--runs", str(args.runs), "--rare-word", info["rare"],
                                 "--common-word", info["common"], "--big-uid", str(info["big_uid"])] + extra,
                                stdout=subprocess.PIPE, stderr=err, text=True)
        for line in proc.stdout:
            name, ms, nbytes, mbs = line.rstrip("\n").split("\t")
            result[name] = (float(ms), int(nbytes), float(mbs))
            print(f"    {name}: {float(ms):.3f} ms", file=sys.stderr, flush=True)
        proc.wait()
        if proc.returncode != 0:
            err.seek(0)
            raise BenchFailed(f"bench-servers {' '.join(extra)} failed ({proc.returncode}) "
                              f"at load average {load_average()}: {err.read().strip()[-500:]}", result)
    return result


def tree_memory_kb(pid):
    """Proportional set size of a process and all its descendants (Dovecot
    forks one imap process per session; PSS shares their common pages out
    fairly instead of counting the libraries once per process)."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                m = re.search(r"^Pss:\s+(\d+)", f.read(), re.M)
                total += int(m.group(1)) if m else 0
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return total


def idle_memory(imap_port, pid):
    """KiB of server memory per idle IMAP session (logged in, INBOX selected, in IDLE)."""
    before = tree_memory_kb(pid)
    proc = subprocess.Popen([bench_servers, "--imap-port", str(imap_port), "--idle-sessions",
                             str(args.idle_sessions)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("IDLE-READY"):
        proc.kill()
        proc.wait()
        return None
    time.sleep(2)
    after = tree_memory_kb(pid)
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=300)
    return (after - before) / args.idle_sessions


# What each bench-servers row is called in the table, in the order.
LABELS = [
    ("imap-login", "IMAP login"),
    ("imap-select", "SELECT INBOX"),
    ("uid-fetch-all-flags", "UID FETCH 1:* (FLAGS)"),
    ("fetch-200-envelope-bodystructure", "FETCH 1:200 (ENVELOPE BODYSTRUCTURE)"),
    ("uid-search-body-rare", "UID SEARCH BODY <rare word>"),
    ("uid-search-body-common", "UID SEARCH BODY <common word>"),
    ("uid-search-unseen", "UID SEARCH UNSEEN"),
    ("uid-fetch-big-body-peek", "UID FETCH <10 MB message> BODY.PEEK[]"),
    ("store-all-seen", "STORE 1:* +FLAGS.SILENT (\\Seen)"),
    ("pop3-uidl", "POP3 UIDL"),
    ("pop3-retr-all", "POP3 RETR of every message"),
]

DOVECOT_EXTRA = [
    # The defaults allow 100 processes and 10 IMAP sessions per user and
    # address; the idle-session benchmark needs many more.
    "default_process_limit = %d" % (args.idle_sessions + args.push_sessions + 100),
    "default_client_limit = %d" % (2 * (args.idle_sessions + args.push_sessions) + 200),
    "protocol imap {",
    "  mail_max_userip_connections = %d" % (args.idle_sessions + args.push_sessions + 100),
    "}",
    # A process may map 256 MB by default; the index and cache of 100k
    # messages and the search over them must not hit that (a limit, not a
    # speed setting).
    "default_vsz_limit = 2G",
]

started_at = datetime.datetime.now(datetime.timezone.utc)
load_at_start = load_average()
dovecot_version = "-"
if shutil.which("dovecot") or os.path.exists("/usr/sbin/dovecot"):
    dovecot_version = subprocess.run(["/usr/sbin/dovecot", "--version"], capture_output=True,
                                     text=True).stdout.strip() or "-"

for size in [int(s) for s in args.sizes.split()]:
    mbox, info = generate(size)
    section = f"{size // 1000}k msgs"
    print(f"== {size} messages", file=sys.stderr, flush=True)

    # The first search after start-up also parses every message's MIME
    # structure (kept afterwards); Dovecot's reads every message file.
    first_search = ["--runs", "1", "--skip-pop3", "--only", "uid-search-body-rare"]
    ours, ours_push, ours_idle, ours_first, serve_s = {}, {}, None, {}, None
    if "mailscope" not in skip:
        if "ops" not in skip:
            load_s, load_peak = time_store_load(mbox)
            add(section, "load the mbox (store only)", load_s * 1000, None, "ms", "< 3000 (100k)")
            add(section, "  peak memory while loading", load_peak / 1024, None, "MiB", "")
        ms_proc, ms_imap, ms_pop3, serve_s = start_mailscope(mbox)
        try:
            if "ops" not in skip:
                ours_first = bench(ms_imap, ms_pop3, info, first_search)
                ours = bench(ms_imap, ms_pop3, info, [])
            if "push" not in skip:
                ours_push = bench(ms_imap, ms_pop3, info, ["--push-sessions", str(args.push_sessions)])
            ours_idle = None if "idle" in skip else idle_memory(ms_imap, ms_proc.pid)
        finally:
            ms_proc.terminate()
            ms_proc.wait()

    theirs, theirs_push, theirs_idle, theirs_first = {}, {}, None, {}
    if "dovecot" not in skip:
        # A failure on Dovecot's side must not lose the figures measured so
        # far: bench() fills the dicts row by row, the table shows what
        # Dovecot finished, and the error is noted with the end of its log.
        dc = None
        try:
            import dovecot_fixture
            # Dovecot's sockets need a short path: its own folder under /tmp.
            with tempfile.TemporaryDirectory(prefix="msbench-dc-", dir="/tmp") as work:
                print(f"writing the Maildir for Dovecot in {work} ...", file=sys.stderr, flush=True)
                dc = dovecot_fixture.start_dovecot(work, users={"alice": "wonderland"},
                                                   messages=read_mbox(mbox), mailbox_format="maildir",
                                                   extra_config=DOVECOT_EXTRA)
                # Each part on its own: a failed push must not lose the
                # idle-memory figure, and so on.
                parts = []
                if "ops" not in skip:
                    parts.append(lambda: bench(dc.imap_port, dc.pop3_port, info, first_search, theirs_first))
                    parts.append(lambda: bench(dc.imap_port, dc.pop3_port, info, [], theirs))
                if "push" not in skip:
                    parts.append(lambda: bench(dc.imap_port, dc.pop3_port, info,
                                               ["--push-sessions", str(args.push_sessions)], theirs_push))
                if "idle" not in skip:
                    parts.append(lambda: theirs_idle_box.append(idle_memory(dc.imap_port, dc.pid)))
                theirs_idle_box = []
                try:
                    for part in parts:
                        try:
                            part()
                        except Exception as error:
                            # The Dovecot warnings say why (an inotify limit, a
                            # process limit); the last lines of the log follow.
                            log = [line for line in dc.log_text().splitlines()
                                   if "Warning" in line or "Error" in line or "Fatal" in line][-8:]
                            log_text = "\n".join(log)
                            failures.append(f"{section}: Dovecot: {error}\nwarnings in dovecot.log:\n{log_text}")
                            print(f"Dovecot failed: {error}", file=sys.stderr, flush=True)
                finally:
                    dc.stop()
                theirs_idle = theirs_idle_box[0] if theirs_idle_box else None
        except Exception as error:
            failures.append(f"{section}: Dovecot: {error}")
            print(f"Dovecot failed: {error}", file=sys.stderr, flush=True)

    if serve_s is not None:
        add(section, "serve start-up (load + listen)", serve_s * 1000, None, "ms")
    figure = lambda results, key: results.get(key, (None,))[0]
    for key, label in LABELS:
        if key in ours or key in theirs:
            add(section, label, figure(ours, key), figure(theirs, key), "ms", "ratio >= 2")
    key = "uid-search-body-rare"
    if key in ours_first or key in theirs_first:
        add(section, "first SEARCH BODY <rare> after start (1 run)", figure(ours_first, key),
            figure(theirs_first, key), "ms", "")
    rate = lambda ms: None if ms is None else info["bytes"] / (ms / 1000) / 1e9
    for key in ("uid-search-body-rare", "uid-search-body-common"):
        if key in ours or key in theirs:
            add(section, f"  SEARCH BODY {'rare' if 'rare' in key else 'common'}: mailbox bytes per s",
                rate(figure(ours, key)), rate(figure(theirs, key)), "GB/s", ">= 1 (100k)")
    for key in sorted(set(ours_push) | set(theirs_push)):
        label = "IDLE push to %d sessions, %s" % (args.push_sessions, "median" if "median" in key else "slowest")
        add(section, label, figure(ours_push, key), figure(theirs_push, key), "ms", "< 50")
    if ours_idle is not None or theirs_idle is not None:
        add(section, f"memory per idle IMAP session ({args.idle_sessions})", ours_idle, theirs_idle,
            "KiB", "<= 32")

if "engine" not in skip:
    out = subprocess.run([os.path.join(bench_dir, "bench-scenarios")], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 5:
            add("engine", f"scenario {parts[0]} ({parts[1]} steps)", float(parts[3]), None, "ms", "< 50")
            # Where the wall-clock goal is missed, the CPU time says how much
            # of it was the scenario's own work and how much waiting for a core.
            if float(parts[3]) >= 50:
                add("engine", "  CPU time of the same", float(parts[4]), None, "ms", "")

if "app" not in skip:
    app = subprocess.run([sys.executable, os.path.join(args.source, "tests", "bench", "bench-app.py"),
                          "--build", args.build, "--runs", str(args.runs), "--data", args.data,
                          "--sizes", args.sizes,
                          "--skip", ",".join(skip & {"startup", "big", "frames"})],
                         capture_output=True, text=True)
    for line in app.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            add("app", parts[0], float(parts[1]) if parts[1] != "-" else None, None, parts[2], parts[3])
    if app.returncode != 0:
        print(app.stderr, file=sys.stderr)


servers = (f"Dovecot {dovecot_version}: Maildir, mail_fsync = never, indexes on disk, 127.0.0.1; "
           "Mailscope serve: mail in memory, no --state (nothing is synced to disk)")
parts = [p for p in ("mailscope", "dovecot", "engine", "app") if p not in skip]
header = {
    "started": f"{started_at:%Y-%m-%d %H:%M}",
    "what": f"sizes {args.sizes or '-'}, parts {', '.join(parts)}" + (" (quick mode)" if args.quick else ""),
    "load_start": load_at_start,
    "load_end": load_average(),
    "runs": args.runs,
    "machine": machine(),
    "servers": servers,
}
if args.save:
    bench_table.save(args.save, header, rows, failures)

bench_table.print_report([f"Mailscope benchmarks, {header['started']} UTC, {header['what']}",
                          f"machine: {header['machine']}",
                          f"load average (1, 5, 15 min): {header['load_start']} at the start, "
                          f"{header['load_end']} at the end",
                          f"runs per figure: {args.runs} (the median is shown)", servers],
                         rows, failures, sys.stdout)
if args.save:
    print(f"rows saved to {args.save}")

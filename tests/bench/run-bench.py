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
import atexit
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
# The idle-session row holds two batches of --idle-sessions of Mailscope's
# (see idle_memory()); the push row's sessions come and go before.
most_sessions = 2 * args.idle_sessions + args.push_sessions

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

rows = []  # [section, measure, mailscope, dovecot, unit, goal, load]
failures = []
# The 1-minute load averages seen while each row was measured, by row name.
loads = {}


def load_1min():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def note_load(key):
    """Records the load average now against `key` (a row's name); called
    before and after each measurement, for both servers."""
    loads.setdefault(key, []).append(load_1min())


def load_range(key):
    seen = loads.get(key)
    if not seen:
        return ""
    low, high = min(seen), max(seen)
    return f"{low:.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f}-{high:.1f}"


def add(section, name, ours, theirs=None, unit="ms", goal="", load_key=None):
    load = load_range(load_key if load_key is not None else (section, name))
    rows.append([section, name, ours, theirs, unit, goal, load])
    # Progress on stderr, so a long run shows where it is.
    print(f"  {section}: {name}: {ours} / {theirs} {unit} (load {load})", file=sys.stderr, flush=True)


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
                             "--max-connections", str(most_sessions + 50),
                             "--max-sessions", str(most_sessions + 50)],
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
    """Memory of a process and all its descendants, in KiB: the proportional
    set size of their anonymous pages (Pss_Anon: heap, stacks, copied-on-
    write data; what a session really costs the server) and of everything
    (Pss). Dovecot forks one imap process per session; PSS shares the pages
    they have in common out fairly instead of counting the libraries once per
    process. Anonymous memory leaves out file pages, whose share changes when
    any process on the machine reads the same files (Mailscope's mapped mbox,
    Dovecot's index files)."""
    total = {"Pss_Anon": 0, "Pss": 0}
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                text = f.read()
            for key in total:
                m = re.search(rf"^{key}:\s+(\d+)", text, re.M)
                total[key] += int(m.group(1)) if m else 0
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return total


def open_idle_sessions(imap_port, count):
    """bench-servers holding `count` sessions that have logged in, selected
    INBOX and been answered "+" to IDLE, so the server has handled every
    command of each; None if it could not open them. Write a line to its
    stdin to let them go."""
    proc = subprocess.Popen([bench_servers, "--imap-port", str(imap_port), "--idle-sessions", str(count)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().startswith("IDLE-READY"):
        return proc
    proc.kill()
    proc.wait()
    return None


def close_idle_sessions(proc):
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=300)


def settled_memory_kb(pid):
    """tree_memory_kb() once it has stopped changing (a server may still be
    finishing the last sessions' bookkeeping, Dovecot's processes their
    start-up): read every half second until two readings agree within
    64 KiB, at most 20 s."""
    last = tree_memory_kb(pid)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = tree_memory_kb(pid)
        if all(abs(now[k] - last[k]) <= 64 for k in now):
            return now
        last = now
    return last


def idle_memory(imap_port, pid, fill):
    """KiB of server memory per idle IMAP session (logged in, INBOX selected,
    in IDLE): {"Pss_Anon": ..., "Pss": ...}, what a batch of sessions adds
    on top of an earlier batch that is still held.

    Memory a server has freed stays in the process (malloc keeps it for
    reuse), and new sessions fill it before the process grows. After the
    other benchmarks a Mailscope server held 38 MiB of it, which 200
    sessions fit into (the quick run read 0.02 KiB a session), and even a
    fresh server has what loading the mailbox freed (4.5 MiB at 100k
    messages: the first 360 sessions looked free). So Mailscope gets a
    fresh server for this (see the caller); one session logs in, selects
    INBOX, idles and leaves, so that what the mailbox builds once for all
    its sessions (the shared message list) is not charged to them; then,
    with `fill`, a first batch of --idle-sessions sessions fills what is
    free, and the row is what a second batch as large costs. Dovecot's
    sessions are processes of their own, each started afresh, so it has no
    first batch (with 2,000 of its processes the development machine's
    load went to 89 and a login went unanswered for 120 s)."""
    warm = open_idle_sessions(imap_port, 1)
    if warm is None:
        return None
    close_idle_sessions(warm)
    first = open_idle_sessions(imap_port, args.idle_sessions) if fill else None
    if fill and first is None:
        return None
    try:
        before = settled_memory_kb(pid)
        second = open_idle_sessions(imap_port, args.idle_sessions)
        if second is None:
            return None
        after = settled_memory_kb(pid)
        close_idle_sessions(second)
    finally:
        if first is not None:
            close_idle_sessions(first)
    return {k: (after[k] - before[k]) / args.idle_sessions for k in before}


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
    "default_process_limit = %d" % (most_sessions + 100),
    "default_client_limit = %d" % (2 * most_sessions + 200),
    "protocol imap {",
    "  mail_max_userip_connections = %d" % (most_sessions + 100),
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

class InotifyLimit:
    """Dovecot's IDLE watches the mailbox with inotify: one inotify instance
    per imap process, and in Dovecot's default configuration (the one the
    table uses) that is one process per session. fs.inotify.max_user_instances
    (128 by default) counts per user, and under root every throwaway Dovecot
    on the machine reads mail as `nobody`: 1,000 idle sessions cannot all
    get one, and a session without one falls back to looking at the mailbox
    every 30 s (mailbox_idle_check_interval), which is no push at all. So,
    when root, the limit is raised for the run and put back afterwards. When
    it cannot be raised, Dovecot is configured to serve every IMAP session
    from one process (service imap { client_limit }), which needs one
    instance in all, and the table's header says so."""
    PATH = "/proc/sys/fs/inotify/max_user_instances"

    def __init__(self):
        self.saved = None

    def raise_to(self, wanted):
        try:
            with open(self.PATH) as f:
                current = int(f.read())
            if current >= wanted:
                return True
            with open(self.PATH, "w") as f:
                f.write(str(wanted))
        except (OSError, ValueError):
            return False
        self.saved = current
        atexit.register(self.restore)
        print(f"fs.inotify.max_user_instances raised from {current} to {wanted} for Dovecot "
              "(put back at the end)", file=sys.stderr, flush=True)
        return True

    def restore(self):
        if self.saved is None:
            return
        try:
            with open(self.PATH, "w") as f:
                f.write(str(self.saved))
        except OSError as error:
            print(f"could not put fs.inotify.max_user_instances back to {self.saved}: {error}", file=sys.stderr)
        self.saved = None


inotify_limit = InotifyLimit()
dovecot_mode = "one imap process per session (Dovecot's default)"
if "dovecot" not in skip:
    sessions = most_sessions
    if not inotify_limit.raise_to(2 * sessions + 512):
        dovecot_mode = ("one imap process for all sessions (service imap: client_limit = %d, process_limit = 1; "
                        "fs.inotify.max_user_instances could not be raised)" % (sessions + 100))
        DOVECOT_EXTRA += ["service imap {", "  client_limit = %d" % (sessions + 100), "  process_limit = 1", "}"]

# bench-servers' operations, each run on its own so that the two servers'
# runs of it can alternate (see the loop below); the POP3 ones go together.
OP_GROUPS = [(key, ["--only", key, "--skip-pop3"]) for key, _ in LABELS if not key.startswith("pop3-")]
OP_GROUPS.append(("pop3", ["--only", "pop3"]))


def group_of(key):
    return "pop3" if key.startswith("pop3-") else key


def dovecot_warnings(dc):
    """The last warnings of Dovecot's log, which say why it failed (an inotify
    limit, a process limit)."""
    if dc is None:
        return ""
    log = [line for line in dc.log_text().splitlines()
           if "Warning" in line or "Error" in line or "Fatal" in line][-8:]
    return "\nwarnings in dovecot.log:\n" + "\n".join(log) if log else ""


for size in [int(s) for s in args.sizes.split()]:
    mbox, info = generate(size)
    section = f"{size // 1000}k msgs"
    print(f"== {size} messages", file=sys.stderr, flush=True)

    if "mailscope" not in skip and "ops" not in skip:
        key = (section, "load the mbox (store only)")
        note_load(key)
        load_s, load_peak = time_store_load(mbox)
        note_load(key)
        add(section, "load the mbox (store only)", load_s * 1000, None, "ms", "< 3000 (100k)")
        add(section, "  peak memory while loading", load_peak / 1024, None, "MiB", "", load_key=key)

    # Both servers run side by side and every measurement alternates between
    # them, run by run (Mailscope first in odd runs, Dovecot first in even
    # ones), so that on a shared machine both see the same load; the load
    # average is noted before and after each one.
    servers = []   # (name, imap port, pop3 port, pid)
    found = {"mailscope": {}, "dovecot": {}}    # bench-servers key -> [ms per run]
    first = {"mailscope": {}, "dovecot": {}}
    idle = {}
    broken = set()   # (server, group) that failed once: not tried again
    serve_s, ms_proc, dc, dc_work = None, None, None, None

    def attempt(server, group, load_key, measure):
        if (server, group) in broken:
            return
        note_load(load_key)
        try:
            measure()
        except Exception as error:
            broken.add((server, group))
            note = f"{section}: {server}: {error}" + (dovecot_warnings(dc) if server == "dovecot" else "")
            failures.append(note)
            print(f"failed: {note}", file=sys.stderr, flush=True)
        note_load(load_key)

    try:
        if "dovecot" not in skip:
            try:
                import dovecot_fixture
                # Dovecot's sockets need a short path: its own folder under /tmp.
                dc_work = tempfile.mkdtemp(prefix="msbench-dc-", dir="/tmp")
                print(f"writing the Maildir for Dovecot in {dc_work} ...", file=sys.stderr, flush=True)
                dc = dovecot_fixture.start_dovecot(dc_work, users={"alice": "wonderland"},
                                                   messages=read_mbox(mbox), mailbox_format="maildir",
                                                   extra_config=DOVECOT_EXTRA)
                servers.append(("dovecot", dc.imap_port, dc.pop3_port, dc.pid))
            except Exception as error:
                failures.append(f"{section}: Dovecot did not start: {error}")
                print(f"Dovecot failed: {error}", file=sys.stderr, flush=True)
        if "mailscope" not in skip:
            key = (section, "serve start-up (load + listen)")
            note_load(key)
            ms_proc, ms_imap, ms_pop3, serve_s = start_mailscope(mbox)
            note_load(key)
            servers.insert(0, ("mailscope", ms_imap, ms_pop3, ms_proc.pid))

        if "ops" not in skip:
            # The first search after start-up also parses every message's
            # MIME structure (kept afterwards); Dovecot's reads every file.
            for name, imap, pop3, _pid in servers:
                attempt(name, "first", (section, "first"),
                        lambda: bench(imap, pop3, info, ["--runs", "1", "--skip-pop3", "--only",
                                                         "uid-search-body-rare"], first[name]))
            for group, extra in OP_GROUPS:
                for r in range(args.runs):
                    for name, imap, pop3, _pid in (servers if r % 2 == 0 else servers[::-1]):
                        def one_run():
                            for k, v in bench(imap, pop3, info, extra + ["--runs", "1"]).items():
                                found[name].setdefault(k, []).append(v[0])
                        attempt(name, group, (section, group), one_run)
        if "push" not in skip:
            for r in range(args.runs):
                for name, imap, pop3, _pid in (servers if r % 2 == 0 else servers[::-1]):
                    def one_push():
                        for k, v in bench(imap, pop3, info, ["--push-sessions", str(args.push_sessions),
                                                             "--runs", "1"]).items():
                            found[name].setdefault(k, []).append(v[0])
                    attempt(name, "push", (section, "push"), one_push)
        if "idle" not in skip:
            for name, imap, pop3, pid in servers:
                if name == "mailscope" and ("ops" not in skip or "push" not in skip):
                    # A server that has served nothing else (see idle_memory()).
                    ms_proc.terminate()
                    ms_proc.wait()
                    ms_proc = None
                    ms_proc, imap, _pop3, _load_s = start_mailscope(mbox)
                    pid = ms_proc.pid

                def one_idle():
                    idle[name] = idle_memory(imap, pid, fill=name == "mailscope")
                attempt(name, "idle", (section, "idle"), one_idle)
    finally:
        if ms_proc is not None:
            ms_proc.terminate()
            ms_proc.wait()
        if dc is not None:
            dc.stop()
        if dc_work is not None:
            shutil.rmtree(dc_work, ignore_errors=True)

    if serve_s is not None:
        add(section, "serve start-up (load + listen)", serve_s * 1000, None, "ms")
    figure = lambda server, key: median_of(found[server].get(key, []))
    first_figure = lambda server, key: first[server].get(key, (None,))[0]
    for key, label in LABELS:
        if key in found["mailscope"] or key in found["dovecot"]:
            add(section, label, figure("mailscope", key), figure("dovecot", key), "ms", "ratio >= 2",
                load_key=(section, group_of(key)))
    key = "uid-search-body-rare"
    if key in first["mailscope"] or key in first["dovecot"]:
        add(section, "first SEARCH BODY <rare> after start (1 run)", first_figure("mailscope", key),
            first_figure("dovecot", key), "ms", "", load_key=(section, "first"))
    rate = lambda ms: None if ms is None else info["bytes"] / (ms / 1000) / 1e9
    for key in ("uid-search-body-rare", "uid-search-body-common"):
        if key in found["mailscope"] or key in found["dovecot"]:
            add(section, f"  SEARCH BODY {'rare' if 'rare' in key else 'common'}: mailbox bytes per s",
                rate(figure("mailscope", key)), rate(figure("dovecot", key)), "GB/s", ">= 1 (100k)",
                load_key=(section, key))
    push_keys = sorted(k for k in set(found["mailscope"]) | set(found["dovecot"]) if k.startswith("idle-push-"))
    for key in push_keys:
        label = "IDLE push to %d sessions, %s" % (args.push_sessions, "median" if "median" in key else "slowest")
        add(section, label, figure("mailscope", key), figure("dovecot", key), "ms", "< 50",
            load_key=(section, "push"))
    if idle.get("mailscope") is not None or idle.get("dovecot") is not None:
        per_session = lambda server, key: None if idle.get(server) is None else idle[server][key]
        add(section, f"memory per idle IMAP session ({args.idle_sessions}), anonymous",
            per_session("mailscope", "Pss_Anon"), per_session("dovecot", "Pss_Anon"), "KiB", "<= 32",
            load_key=(section, "idle"))
        add(section, "  all mappings (PSS)", per_session("mailscope", "Pss"), per_session("dovecot", "Pss"),
            "KiB", "", load_key=(section, "idle"))

inotify_limit.restore()

if "engine" not in skip:
    note_load(("engine",))
    out = subprocess.run([os.path.join(bench_dir, "bench-scenarios")], capture_output=True, text=True,
                         check=True).stdout
    note_load(("engine",))
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 5:
            add("engine", f"scenario {parts[0]} ({parts[1]} steps)", float(parts[3]), None, "ms", "< 50",
                load_key=("engine",))
            # Where the wall-clock goal is missed, the CPU time says how much
            # of it was the scenario's own work and how much waiting for a core.
            if float(parts[3]) >= 50:
                add("engine", "  CPU time of the same", float(parts[4]), None, "ms", "", load_key=("engine",))

if "app" not in skip:
    app = subprocess.run([sys.executable, os.path.join(args.source, "tests", "bench", "bench-app.py"),
                          "--build", args.build, "--runs", str(args.runs), "--data", args.data,
                          "--sizes", args.sizes,
                          "--skip", ",".join(skip & {"startup", "big", "frames"})],
                         capture_output=True, text=True)
    for line in app.stdout.splitlines():
        # measure, median, unit, goal, and the load averages seen (low-high)
        parts = line.split("\t")
        if len(parts) in (4, 5):
            if len(parts) == 5:
                loads[("app", parts[0])] = [float(v) for v in parts[4].split("-") if v]
            add("app", parts[0], float(parts[1]) if parts[1] != "-" else None, None, parts[2], parts[3])
    if app.returncode != 0:
        print(app.stderr, file=sys.stderr)


servers = (f"Dovecot {dovecot_version}: Maildir, mail_fsync = never, indexes on disk, 127.0.0.1, "
           f"{dovecot_mode}; Mailscope serve: mail in memory, no --state (nothing is synced to disk); "
           "the two servers' runs alternate")
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

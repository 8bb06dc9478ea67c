# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark table: rows, the goal verdict, saving a run's rows to JSON
and merging the rows of runs made separately (run-bench.py --save, --merge).

A row is [section, measure, mailscope, dovecot, unit, goal, load]; a figure
that was not measured is None; load is the range of the 1-minute load
average seen while the row was measured ("2.1-3.4"), or "" (rows saved
before 2026-12-05 have no load). Merging keeps the first file's order of rows and
takes every figure from the last file that measured it, so the Dovecot part
of the 100k mailbox (an hour on its own) can be run once and joined to a
later run of everything else."""
import json
import os
import re


def fmt(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:,.1f}" if v >= 10 else f"{v:.2f}"


def ratio_of(ours, theirs, unit):
    """How many times better Mailscope is: faster, smaller, or (GB/s) more."""
    if not ours or not theirs:
        return None
    return ours / theirs if unit == "GB/s" else theirs / ours


def verdict(section, ours, theirs, unit, goal):
    """'met', 'missed', or '-' when the row has no goal that applies to it.
    A goal that names a size, "(100k)", is judged only in that size's rows;
    "ratio >= 2" needs both servers' figures."""
    m = re.match(r"^(ratio )?(<=|>=|<|>)\s*([\d.]+)\s*(?:\((\w+)\))?$", goal.strip())
    if not m:
        return "-"
    is_ratio, op, limit, only = m.group(1), m.group(2), float(m.group(3)), m.group(4)
    if only and not section.startswith(only):
        return "-"
    value = ratio_of(ours, theirs, unit) if is_ratio else ours
    if value is None:
        return "-"
    ok = {"<": value < limit, "<=": value <= limit, ">": value > limit, ">=": value >= limit}[op]
    return "met" if ok else "missed"


def padded(row):
    """A row with its load, also when it was saved without one."""
    return list(row) + [""] * (7 - len(row))


def print_table(rows, out):
    head = (f"| {'section':<9} | {'measure':<49} | {'Mailscope':>9} | {'Dovecot':>9} | {'unit':<4} "
            f"| {'ratio':>7} | {'goal':<13} | {'met?':<6} | {'load':<9} |")
    print(head, file=out)
    print(f"|{'-' * 11}|{'-' * 51}|{'-' * 11}|{'-' * 11}|{'-' * 6}|{'-' * 9}|{'-' * 15}|{'-' * 8}|{'-' * 11}|",
          file=out)
    for section, name, ours, theirs, unit, goal, load in map(padded, rows):
        r = ratio_of(ours, theirs, unit)
        ratio = "-" if r is None else f"{r:.2f}x"
        name = name.replace("|", "\\|")
        print(f"| {section:<9} | {name:<49} | {fmt(ours):>9} | {fmt(theirs):>9} | {unit:<4} | {ratio:>7} "
              f"| {goal:<13} | {verdict(section, ours, theirs, unit, goal):<6} | {load or '-':<9} |", file=out)


def print_report(head_lines, rows, failures, out):
    """The lines that say when, where and how, the table, and what was not measured."""
    for line in head_lines:
        print(line, file=out)
    print(file=out)
    print_table(rows, out)
    print(file=out)
    for failure in failures:
        print(f"not measured: {failure}", file=out)
    print("ratio = how many times better Mailscope is (Dovecot's time or memory / Mailscope's); "
          "load = the 1-minute load average seen while the row was measured (lowest-highest)", file=out)


def save(path, header, rows, failures):
    with open(path + ".tmp", "w") as f:
        json.dump({"header": header, "rows": rows, "failures": failures}, f, indent=1)
    os.replace(path + ".tmp", path)


def merge(paths):
    """The headers, rows and failures of saved runs, joined (see the module's comment)."""
    headers, order, cells, failures = [], [], {}, []
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        headers.append(run["header"])
        failures += run.get("failures", [])
        for section, name, ours, theirs, unit, goal, load in map(padded, run["rows"]):
            key = (section, name)
            if key not in cells:
                order.append(key)
                cells[key] = [section, name, None, None, unit, goal, ""]
            row = cells[key]
            if ours is not None:
                row[2] = ours
            if theirs is not None:
                row[3] = theirs
            if (ours is not None or theirs is not None) and load:
                row[6] = load
    return headers, [cells[k] for k in order], failures

# SPDX-License-Identifier: GPL-3.0-or-later
"""Every built-in scenario's .pcapng export, read by tshark (Wireshark's
dissectors, not ours), against the same run's JSON export:

- the timestamps never go back (frame.time_epoch in file order);
- tshark warns about nothing but what is meant: a reset where the network
  drops a connection or a device dies, and SMTP's AUTH PLAIN, which it
  decodes only with its smtp.decryption preference on;
- every command line the transcript shows a client sending is a request
  that tshark decodes from the captured bytes, on the same connection and in
  the same order: POP3 and IMAP on their ports, SMTP submission, and inside
  TLS too (the Decryption Secrets Block carries the key log), so the
  decrypted view of a capture is the transcript's.

Skipped (77) where tshark is not installed; build-aux/ensure-deps test
installs it."""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_fixture import ENV, MAILSCOPE, Exports, check  # noqa: E402

FIRST_CLIENT_PORT = 49152
# tshark's warnings that the captures mean to show (see docs/export-formats.md).
MEANT = ('Connection reset (RST)', 'base64 decode failed or is not enabled')
WARNING = 0x00600000  # Wireshark's PI_WARN
FIELDS = ['frame.time_epoch', 'tcp.srcport', 'tls.record.length', '_ws.expert.severity', '_ws.expert.message',
          'pop.request.command', 'pop.request.parameter', 'imap.request',
          'smtp.req.command', 'smtp.req.parameter']
SEP = '\x01'


def tshark_rows(path):
    args = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a',
            '-E', 'aggregator=' + SEP]
    for field in FIELDS:
        args += ['-e', field]
    result = subprocess.run(args, capture_output=True, timeout=300)
    check(result.returncode == 0, 'tshark failed on %s: %s' % (path, result.stderr.decode(errors='replace')))
    for line in result.stdout.decode(errors='replace').splitlines():
        values = (line.split('\t') + [''] * len(FIELDS))[:len(FIELDS)]
        yield dict(zip(FIELDS, [v.split(SEP) if v else [] for v in values]))


def joined(commands, parameters):
    return [c + ' ' + parameters[i] if i < len(parameters) and parameters[i] else c
            for i, c in enumerate(commands)]


def transcript_commands(json_path):
    """Per connection, the client's command lines as the transcript shows
    them: not message data ("{N bytes…}", a literal's continuation) and not
    SMTP's closing "." (tshark marks that as the end of the message)."""
    with open(json_path, encoding='utf-8') as f:
        data = json.load(f)
    commands = {}
    for event in data['events']:
        if event['kind'] != 'chunk' or event['direction'] != 'to-server':
            continue
        lines = [line for line in event.get('lines', [])
                 if not line.startswith('{') and not line.startswith('  ') and line != '.']
        commands.setdefault(event['connection'], []).extend(lines)
    return commands


def one(scenario):
    with Exports(scenario, formats=['pcapng', 'json']) as e:
        e.ok()
        want = transcript_commands(e.paths['json'])
        got, last, records = {}, 0.0, 0
        for n, row in enumerate(tshark_rows(e.paths['pcapng']), 1):
            when = float(row['frame.time_epoch'][0])
            check(when >= last, '%s: frame %d goes back in time (%f < %f)' % (scenario, n, when, last))
            last = when
            for severity, message in zip(row['_ws.expert.severity'], row['_ws.expert.message']):
                check(int(severity, 0) < WARNING or any(m in message for m in MEANT),
                      '%s: frame %d: tshark warns %r' % (scenario, n, message))
            records += len(row['tls.record.length'])
            if not row['tcp.srcport']:
                continue
            connection = int(row['tcp.srcport'][0]) - FIRST_CLIENT_PORT
            got.setdefault(connection, []).extend(
                joined(row['pop.request.command'], row['pop.request.parameter']) + row['imap.request'] +
                joined(row['smtp.req.command'], row['smtp.req.parameter']))
        lines = 0
        for connection, commands in want.items():
            decoded = iter(got.get(connection, []))
            # In order; tshark may decode more (the lines of an APPEND literal).
            for line in commands:
                check(any(line == request for request in decoded),
                      '%s: connection %d: %r is in the transcript but tshark does not decode it there '
                      '(it decodes %r)' % (scenario, connection, line, got.get(connection, [])[:8]))
            lines += len(commands)
        check(lines > 0, '%s: no client commands at all' % scenario)
        print('%s: %d command lines decoded as the transcript shows them%s'
              % (scenario, lines, ', %d TLS records' % records if records else ''))
        return records


def main():
    if shutil.which('tshark') is None:
        print('tshark is not installed: skipped')
        sys.exit(77)
    listing = subprocess.run([MAILSCOPE, 'scenarios'], capture_output=True, env=ENV, timeout=60)
    check(listing.returncode == 0, 'mailscope scenarios failed')
    ids = [line.split('\t')[0] for line in listing.stdout.decode().splitlines() if line.strip()]
    check(len(ids) >= 10, 'only %d built-in scenarios' % len(ids))
    with_tls = [i for i in ids if one(i) > 0]
    # The lesson about TLS carries records whose contents tshark read.
    check('tls-eavesdropper' in with_tls, 'tls-eavesdropper: no TLS records in its capture')
    print('ok: %d scenarios, %d with TLS' % (len(ids), len(with_tls)))


main()

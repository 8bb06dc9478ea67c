# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulated TLS sessions hide everything from an eavesdropper.

Runs the built-in tls-eavesdropper scenario and reads its JSON timeline:
on the devices without TLS the password crosses in plain text; on the
STLS device every chunk after the first TLS record is encrypted and the
password never appears in a plain chunk; on the implicit-TLS device (993)
nothing at all is plain, and the eavesdropper sees TLS records with their
sizes and handshake names."""
import json
import os
import subprocess
import sys
import tempfile

MAILSCOPE = os.environ.get('MAILSCOPE') or os.path.join(os.environ.get('MS_BUILD_DIR', 'build'), 'app', 'mailscope')


def fail(message):
    print('FAIL: ' + message, file=sys.stderr)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'tls.json')
    subprocess.run([MAILSCOPE, 'run', 'tls-eavesdropper', '--export', path], check=True, stdout=subprocess.DEVNULL)
    with open(path, encoding='utf-8') as f:
        events = json.load(f)['events']


def plain_text(event):
    return '\n'.join(event.get('lines') or []) + (event.get('text') or '')


by_device = {}
for e in events:
    if e.get('kind') in ('chunk', 'tls-record') and e.get('device'):
        by_device.setdefault(e['device'], []).append(e)

for device in ('oldphone', 'oldlaptop'):
    plain = [plain_text(e) for e in by_device.get(device, []) if e['kind'] == 'chunk' and not e.get('encrypted')]
    if not any('wonderland' in t for t in plain):
        fail('%s (no TLS) should show the password in plain text' % device)

for device in ('phone', 'laptop'):
    seen_tls = False
    records = 0
    for e in by_device.get(device, []):
        if e['kind'] == 'tls-record':
            seen_tls = True
            records += 1
            if not e.get('wire_size') or not e.get('tls_record_type'):
                fail('%s: a TLS record without a size or a type: %r' % (device, e))
            continue
        if e.get('encrypted'):
            continue
        if seen_tls:
            fail('%s: a plain chunk after TLS started: %r' % (device, plain_text(e)))
        if 'wonderland' in plain_text(e):
            fail('%s: the password crossed in plain text' % device)
        if device == 'laptop':
            fail('laptop uses implicit TLS on 993, yet a plain chunk crossed: %r' % plain_text(e))
    if records < 4:
        fail('%s: only %d TLS records seen' % (device, records))
    names = {e.get('tls_handshake') for e in by_device[device] if e['kind'] == 'tls-record'}
    if 'ClientHello' not in names or 'ServerHello' not in names:
        fail('%s: the eavesdropper should see ClientHello and ServerHello, saw %r' % (device, names))

print('ok: plain devices leak the password, TLS devices show only records',
      {d: sum(1 for e in by_device[d] if e['kind'] == 'tls-record') for d in ('phone', 'laptop')})

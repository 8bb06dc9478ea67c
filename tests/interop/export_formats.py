# SPDX-License-Identifier: GPL-3.0-or-later
"""Every export format of `mailscope run --export`: the text formats equal
their golden files byte for byte (tests/golden/export/, regenerate with
MS_UPDATE_GOLDEN=1), and a second run writes the same bytes in every format;
the JSON validates against docs/export-json-schema.json; the HTML is
well-formed XML, has no external resource and escapes the scenario's text;
the images are what their extensions say; --redact-passwords removes the
password (and its base64 in AUTH PLAIN) from every format and each format
says so; a bad path or extension fails with the file named and leaves
nothing behind."""

import base64
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_fixture import ENV, FORMATS, MAILSCOPE, SOURCE, Exports, builtin_or_skip, check, validate_json  # noqa: E402

GOLDEN = os.path.join(SOURCE, 'tests', 'golden', 'export')
SCENARIO = os.path.join(GOLDEN, 'pop-export.scenario')
TEXT_FORMATS = ['txt', 'md', 'html', 'json']
PASSWORD = b'wonderland'
SECRETS = [PASSWORD, base64.b64encode(b'\0alice\0wonderland'), base64.b64encode(PASSWORD)]
MASK = '\u2022\u2022\u2022\u2022'.encode()
MAGIC = {'png': b'\x89PNG\r\n\x1a\n', 'pdf': b'%PDF-', 'pcapng': b'\x0a\x0d\x0d\x0a'}


def golden(exports):
    update = os.environ.get('MS_UPDATE_GOLDEN') == '1'
    for fmt in TEXT_FORMATS:
        path = os.path.join(GOLDEN, 'pop-export.' + fmt)
        got = exports.read(fmt)
        if update:
            with open(path, 'wb') as f:
                f.write(got)
            print('updated ' + path)
            continue
        check(os.path.exists(path), 'no golden file %s (run with MS_UPDATE_GOLDEN=1)' % path)
        with open(path, 'rb') as f:
            want = f.read()
        if got != want:
            got_lines, want_lines = got.splitlines(), want.splitlines()
            for i, (a, b) in enumerate(zip(got_lines, want_lines)):
                if a != b:
                    print('line %d\n  golden: %r\n  now:    %r' % (i + 1, b, a))
                    break
            check(False, '%s differs from %s (%d bytes now, %d golden)' % (fmt, path, len(got), len(want)))
        print('golden %s: %d bytes equal' % (fmt, len(got)))


def deterministic(first):
    with Exports(SCENARIO, name='again') as second:
        second.ok()
        for fmt in FORMATS:
            check(first.read(fmt) == second.read(fmt), 'two runs wrote different %s files' % fmt)
    print('deterministic: %d formats byte for byte' % len(FORMATS))


def json_schema(exports):
    with open(os.path.join(SOURCE, 'docs', 'export-json-schema.json')) as f:
        schema = json.load(f)
    data = json.loads(exports.read('json'))
    used = validate_json(data, schema)
    kinds = {e['kind'] for e in data['events']}
    check({'chunk', 'narration', 'step', 'notice'} <= kinds, 'events lack kinds: %r' % kinds)
    check(data['scenario']['id'] == 'pop-export', 'scenario id %r' % data['scenario']['id'])
    print('json: %d events valid (%s)' % (len(data['events']), used))


def html(exports):
    text = exports.read('html').decode()
    root = ET.fromstring(text)   # well-formed XML, or this raises
    check(root.tag == 'html', 'root element is %s' % root.tag)
    for bad in ['src=', 'href=', '@import', 'url(', '<script', '<link']:
        check(bad not in text, 'the handout refers to something outside it: %s' % bad)
    check('&lt;b&gt;this&lt;/b&gt;' in text, 'the description was not escaped')
    check('<b>this</b>' not in text, 'raw markup from the scenario reached the HTML')
    check('@media print' in text, 'no print style')
    heads = [e.text for e in root.iter('h2')]
    check(any(h and h.startswith('Step 4 of 4') for h in heads), 'no heading for step 4: %r' % heads)
    check(len(list(root.iter('table'))) >= 4, 'too few tables')
    print('html: well-formed, self-contained, %d sections' % len(heads))


def images(exports):
    for fmt, magic in MAGIC.items():
        check(exports.read(fmt).startswith(magic), '%s does not start with %r' % (fmt, magic))
    svg = ET.fromstring(exports.read('svg'))
    check(svg.tag.endswith('svg'), 'svg root is %s' % svg.tag)
    print('images: png, pdf, svg and pcapng have their signatures')


def redaction():
    with Exports(SCENARIO) as shown, Exports(SCENARIO, redact=True) as hidden:
        shown.ok()
        hidden.ok()
        for fmt in ['txt', 'md', 'html', 'json', 'pcapng']:
            check(PASSWORD in shown.read(fmt), 'the unredacted %s lacks the password' % fmt)
        for fmt in FORMATS:
            data = hidden.read(fmt)
            for secret in SECRETS:
                check(secret not in data, '%s still holds %r' % (fmt, secret))
        for fmt in ['txt', 'md', 'html', 'json', 'pcapng']:
            check(MASK in hidden.read(fmt), '%s has no mask' % fmt)
        for fmt in ['txt', 'md', 'html']:
            check(b'Passwords are hidden' in hidden.read(fmt), '%s does not say it hid passwords' % fmt)
            check(b'Passwords are shown' in shown.read(fmt), '%s does not say it showed passwords' % fmt)
        check(json.loads(hidden.read('json'))['passwords'] == 'redacted', 'json does not say redacted')
        check(PASSWORD not in hidden.result.stdout, 'run --redact-passwords printed the password')
    print('redaction: no password in any of %d formats' % len(FORMATS))
    # IMAP's LOGIN, from a built-in scenario, when this build has IMAP.
    with Exports('imap-two-devices', redact=True) as imap:
        if builtin_or_skip(imap, 'imap redaction'):
            for fmt in FORMATS:
                check(PASSWORD not in imap.read(fmt), 'imap %s still holds the password' % fmt)
            check(b'LOGIN "alice" ' + MASK in imap.read('txt'), 'no masked IMAP LOGIN in the text')
            print('redaction: IMAP LOGIN masked in every format')


def failures():
    with Exports(SCENARIO, formats=[]) as e:
        missing = os.path.join(e.dir, 'no-such-folder', 'x.html')
        result = subprocess.run([MAILSCOPE, 'run', SCENARIO, '--export', missing],
                                capture_output=True, env=ENV, timeout=300)
        check(result.returncode == 2, 'a bad folder exited %d' % result.returncode)
        check(missing.encode() in result.stderr, 'the error does not name the file: %r' % result.stderr)
        bad = os.path.join(e.dir, 'x.doc')
        result = subprocess.run([MAILSCOPE, 'run', SCENARIO, '--export', bad],
                                capture_output=True, env=ENV, timeout=300)
        check(result.returncode == 2 and bad.encode() in result.stderr,
              'an unknown extension: exit %d, %r' % (result.returncode, result.stderr))
        check(os.listdir(e.dir) == [], 'files were left behind: %r' % os.listdir(e.dir))
    print('failures: named the file, left nothing')
    # Standard output that cannot take the transcript (a full disk) is an
    # error too; it was exit 0 with the transcript cut short. A reader that
    # stops early on purpose (| head) is not.
    for args in (['run', SCENARIO], ['scenarios']):
        with open('/dev/full', 'wb') as full:
            result = subprocess.run([MAILSCOPE] + args, stdout=full, stderr=subprocess.PIPE, env=ENV, timeout=300)
        check(result.returncode == 2 and b'cannot write to standard output: No space left on device' in result.stderr,
              '%s > /dev/full: exit %d, %r' % (' '.join(args), result.returncode, result.stderr))
    head = subprocess.run('"%s" run %s | head -c 10 >/dev/null; echo "${PIPESTATUS[0]}"' % (MAILSCOPE, SCENARIO),
                          shell=True, executable='/bin/bash', capture_output=True, env=ENV, timeout=300)
    check(head.stdout.strip() in (b'0', b'141') and head.stderr == b'',
          'run | head: exit %r, %r' % (head.stdout, head.stderr))
    print('failures: a full standard output is exit 2 with the reason; | head is fine')


def main():
    with Exports(SCENARIO) as exports:
        exports.ok()
        golden(exports)
        deterministic(exports)
        json_schema(exports)
        html(exports)
        images(exports)
    redaction()
    failures()
    print('ok')


main()

# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the export tests: runs `mailscope run SCENARIO --export …` into a
temporary folder and hands back the paths, and a tiny JSON Schema check for
the subset docs/export-json-schema.json uses, for machines without the
python3-jsonschema package."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

MAILSCOPE = os.environ['MAILSCOPE']
SOURCE = os.environ['MS_SOURCE_DIR']
ENV = dict(os.environ, LC_ALL='C.UTF-8')
FORMATS = ['txt', 'md', 'html', 'json', 'pcapng', 'png', 'svg', 'pdf']
NOT_BUILT = b'not part of this build yet'


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class Exports:
    """The exports of one run, in a folder removed on exit."""

    def __init__(self, scenario, formats=FORMATS, redact=False, name='out'):
        self.dir = tempfile.mkdtemp(prefix='ms-export-')
        self.paths = {fmt: os.path.join(self.dir, '%s.%s' % (name, fmt)) for fmt in formats}
        args = [MAILSCOPE, 'run', scenario]
        if redact:
            args.append('--redact-passwords')
        for fmt in formats:
            args += ['--export', self.paths[fmt]]
        self.result = subprocess.run(args, capture_output=True, env=ENV, timeout=300)
        self.not_built = self.result.returncode == 2 and NOT_BUILT in self.result.stderr

    def ok(self):
        check(self.result.returncode == 0, 'mailscope run exited %d: %s' % (
            self.result.returncode, self.result.stderr.decode(errors='replace')))
        return self

    def read(self, fmt):
        with open(self.paths[fmt], 'rb') as f:
            return f.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)


def builtin_or_skip(exports, what):
    """A scenario whose sessions are not in this build yet is skipped, loudly."""
    if exports.not_built:
        print('skip %s: %s' % (what, exports.result.stderr.decode().strip()))
        return False
    exports.ok()
    return True


# --- A JSON Schema check for the keywords the export schema uses ------------

def _type_ok(value, name):
    return {
        'object': isinstance(value, dict),
        'array': isinstance(value, list),
        'string': isinstance(value, str),
        'integer': isinstance(value, int) and not isinstance(value, bool),
        'boolean': isinstance(value, bool),
        'number': isinstance(value, (int, float)) and not isinstance(value, bool),
        'null': value is None,
    }[name]


def mini_validate(instance, schema, root=None, where='$'):
    """Raises ValueError at the first violation. Knows $ref (local), type,
    const, enum, required, properties, additionalProperties: false, items,
    pattern, minimum, maximum, allOf and if/then."""
    root = root if root is not None else schema
    if '$ref' in schema:
        target = root
        for part in schema['$ref'].lstrip('#/').split('/'):
            target = target[part]
        mini_validate(instance, target, root, where)
    if 'type' in schema and not _type_ok(instance, schema['type']):
        raise ValueError('%s: not of type %s' % (where, schema['type']))
    if 'const' in schema and instance != schema['const']:
        raise ValueError('%s: %r is not %r' % (where, instance, schema['const']))
    if 'enum' in schema and instance not in schema['enum']:
        raise ValueError('%s: %r is not one of %r' % (where, instance, schema['enum']))
    if 'pattern' in schema and isinstance(instance, str) and not re.search(schema['pattern'], instance):
        raise ValueError('%s: %r does not match %s' % (where, instance, schema['pattern']))
    if 'minimum' in schema and _type_ok(instance, 'number') and instance < schema['minimum']:
        raise ValueError('%s: %r < %r' % (where, instance, schema['minimum']))
    if 'maximum' in schema and _type_ok(instance, 'number') and instance > schema['maximum']:
        raise ValueError('%s: %r > %r' % (where, instance, schema['maximum']))
    if isinstance(instance, dict):
        for key in schema.get('required', []):
            if key not in instance:
                raise ValueError('%s: %s is required' % (where, key))
        props = schema.get('properties', {})
        for key, value in instance.items():
            if key in props:
                mini_validate(value, props[key], root, '%s.%s' % (where, key))
            elif schema.get('additionalProperties') is False:
                raise ValueError('%s: unexpected member %s' % (where, key))
    if isinstance(instance, list) and 'items' in schema:
        for i, item in enumerate(instance):
            mini_validate(item, schema['items'], root, '%s[%d]' % (where, i))
    for sub in schema.get('allOf', []):
        if 'if' in sub:
            try:
                mini_validate(instance, sub['if'], root, where)
                matched = True
            except ValueError:
                matched = False
            if matched and 'then' in sub:
                mini_validate(instance, sub['then'], root, where)
        else:
            mini_validate(instance, sub, root, where)


def validate_json(instance, schema):
    """jsonschema when it is installed (Debian: python3-jsonschema), else
    mini_validate; returns the name of the validator used."""
    try:
        import jsonschema
    except ImportError:
        mini_validate(instance, schema)
        return 'mini_validate'
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(instance)
    mini_validate(instance, schema)
    return 'jsonschema and mini_validate'

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs `meson install --destdir` on the build under test and checks what a
distribution would package: the binary, the desktop entry, the AppStream
metainfo (with screenshots, a release and a content rating), the scalable and
symbolic icons, the GSettings schema, the .scenario MIME type, a .mo for every language in po/LINGUAS,
the scenarios and the sample mailbox."""

import gettext
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.mailscope.Mailscope"


def fail(message):
    print(f"not ok: {message}")
    sys.exit(1)


def main():
    build = os.environ["MS_BUILD_DIR"]
    source = os.environ["MS_SOURCE_DIR"]
    options = json.loads(subprocess.run(["meson", "introspect", "--buildoptions", build],
                                        check=True, capture_output=True, text=True).stdout)
    option = {o["name"]: o["value"] for o in options}
    prefix = option["prefix"]

    def under(kind, *parts):
        # Meson's directory options are relative to the prefix unless absolute.
        path = option[kind]
        return os.path.join(prefix, path, *parts) if not os.path.isabs(path) else os.path.join(path, *parts)

    with tempfile.TemporaryDirectory(prefix="ms-install-") as destdir:
        # --no-rebuild: the suite runs on a finished build, and a rebuild
        # while other tests run would race with them.
        result = subprocess.run(["meson", "install", "-C", build, "--no-rebuild", "--destdir", destdir],
                                capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"meson install failed:\n{result.stdout}\n{result.stderr}")

        def installed(path):
            return os.path.join(destdir, path.lstrip("/"))

        languages = [line.strip() for line in open(os.path.join(source, "po", "LINGUAS"))
                     if line.strip() and not line.startswith("#")]
        expected = [
            under("bindir", "mailscope"),
            under("datadir", "applications", APP_ID + ".desktop"),
            under("datadir", "metainfo", APP_ID + ".metainfo.xml"),
            under("datadir", "icons", "hicolor", "scalable", "apps", APP_ID + ".svg"),
            under("datadir", "icons", "hicolor", "symbolic", "apps", APP_ID + "-symbolic.svg"),
            under("datadir", "glib-2.0", "schemas", APP_ID + ".gschema.xml"),
            under("datadir", "mime", "packages", APP_ID + ".xml"),
            under("datadir", "mailscope", "scenarios", "01-first-check.scenario"),
            under("datadir", "mailscope", "mail", "sample", "01-welcome.eml"),
        ] + [under("localedir", lang, "LC_MESSAGES", "mailscope.mo") for lang in languages]
        missing = [path for path in expected if not os.path.isfile(installed(path))]
        if missing:
            listing = "\n".join(sorted(os.path.relpath(os.path.join(d, f), destdir)
                                       for d, _, files in os.walk(destdir) for f in files))
            fail("not installed: " + ", ".join(missing) + "\ninstalled:\n" + listing)
        print(f"ok: {len(expected)} files in place under {prefix}")

        if not os.access(installed(under("bindir", "mailscope")), os.X_OK):
            fail("the binary is not executable")

        desktop = open(installed(under("datadir", "applications", APP_ID + ".desktop")), encoding="utf-8").read()
        for line in (f"Icon={APP_ID}", "Exec=mailscope"):
            if line not in desktop:
                fail(f"the desktop entry has no {line!r}")

        root = ET.parse(installed(under("datadir", "metainfo", APP_ID + ".metainfo.xml"))).getroot()
        if root.findtext("id") != APP_ID:
            fail("the metainfo id is not the application id")
        if not root.findall("screenshots/screenshot/image"):
            fail("the metainfo has no screenshot")
        if not root.findall("releases/release[@version]"):
            fail("the metainfo has no release")
        if root.find("content_rating") is None:
            fail("the metainfo has no content rating")
        if root.find("launchable") is None or root.findtext("launchable") != APP_ID + ".desktop":
            fail("the metainfo does not launch the desktop entry")
        print("ok: metainfo with screenshots, a release and a content rating")

        for lang in languages:
            with open(installed(under("localedir", lang, "LC_MESSAGES", "mailscope.mo")), "rb") as mo:
                catalog = gettext.GNUTranslations(mo)
            # More than a header: a translation, not a placeholder.
            if len(catalog._catalog) < 20:
                fail(f"the {lang} catalogue holds only {len(catalog._catalog)} messages")
            print(f"ok: {lang}: {len(catalog._catalog)} messages")


if __name__ == "__main__":
    main()

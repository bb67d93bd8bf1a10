#!/usr/bin/python3
# test-flatpak-manifest.py: the Flatpak manifest parses and says what it must
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GNOME runtime cannot be downloaded here, so the manifest is not built:
# flatpak-builder parses it (--show-manifest, which fails on a broken one),
# and its parsed form is checked for the runtime, the modules, their pinned
# sources and options, and the fewest permissions that work. Prints TAP.

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

APP_ID = "io.github.juicepower.Juice"
# GNOME 44 is the first runtime whose GTK (4.10), libadwaita (1.3), libsoup
# (3.4) and GLib (2.76) are all at least Debian 12's.
MIN_GNOME = 44
REQUIRED_ARGS = {
    "--share=network",        # the EcoFlow cloud: HTTPS and MQTT
    "--share=ipc",            # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",  # X11 only where there is no Wayland
    "--device=dri",           # GPU rendering
    "--talk-name=org.kde.StatusNotifierWatcher",  # the tray icon
}
# The only one allowed beyond them: the keyring over D-Bus instead of the
# secret portal.
OPTIONAL_ARGS = {"--talk-name=org.freedesktop.secrets"}
PAHO_OPTIONS = {
    "-DPAHO_WITH_SSL": "ON",
    "-DPAHO_BUILD_STATIC": "ON",
    "-DPAHO_BUILD_SHARED": "OFF",
    "-DPAHO_BUILD_SAMPLES": "OFF",
    "-DPAHO_ENABLE_TESTING": "OFF",
}


def pinned(source):
    """A source whose content cannot change under the same manifest."""
    kind = source.get("type")
    if kind == "git":
        return bool(source.get("commit")) or bool(re.fullmatch(r"v?\d+(\.\d+)+", source.get("tag", "")))
    if kind in ("archive", "file"):
        return bool(source.get("sha256")) or bool(source.get("sha512"))
    return kind == "dir"  # the app's own tree


def main():
    t = Tap()
    source_dir = os.environ.get("JUICE_SOURCE_DIR",
                                os.path.join(os.path.dirname(__file__), ".."))
    path = os.path.join(source_dir, "build-aux", "flatpak", APP_ID + ".json")

    # flatpak-builder leaves its state folder in the current one: a scratch one.
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(["flatpak-builder", "--show-manifest", os.path.abspath(path)],
                             capture_output=True, text=True, timeout=120, cwd=scratch)
    if not t.check(run.returncode == 0, "flatpak-builder --show-manifest parses the manifest",
                   run.stderr):
        return t.exit()
    try:
        manifest = json.loads(run.stdout)
    except ValueError as e:
        t.check(False, "flatpak-builder prints the manifest as JSON", e)
        return t.exit()

    t.check(manifest.get("id", manifest.get("app-id")) == APP_ID, "the app id is " + APP_ID)
    t.check(manifest.get("runtime") == "org.gnome.Platform", "the runtime is org.gnome.Platform")
    t.check(manifest.get("sdk") == "org.gnome.Sdk", "the sdk is org.gnome.Sdk")
    version = str(manifest.get("runtime-version", ""))
    t.check(version.isdigit() and int(version) >= MIN_GNOME,
            "the runtime version is GNOME %d or newer" % MIN_GNOME, "runtime-version: %r" % version)
    t.check(manifest.get("command") == "juice", "the command is juice")

    args = set(manifest.get("finish-args", []))
    t.check(REQUIRED_ARGS <= args, "finish-args has every permission Juice needs",
            "missing: %s" % sorted(REQUIRED_ARGS - args))
    t.check(args <= REQUIRED_ARGS | OPTIONAL_ARGS, "finish-args asks for nothing broader",
            "extra: %s" % sorted(args - REQUIRED_ARGS - OPTIONAL_ARGS))

    modules = manifest.get("modules", [])
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    paho = next((m for m in modules if isinstance(m, dict) and "paho" in m.get("name", "")), None)
    if t.check(paho is not None, "a module builds Paho MQTT C", "modules: %s" % names):
        t.check(paho.get("buildsystem") in ("cmake", "cmake-ninja"), "Paho is built with CMake",
                paho.get("buildsystem"))
        options = {}
        for opt in paho.get("config-opts", []):
            key, _, value = opt.partition("=")
            options[key] = value
        for key, value in PAHO_OPTIONS.items():
            t.check(options.get(key, "").upper() == value, "Paho is configured with %s=%s" % (key, value),
                    "config-opts: %s" % paho.get("config-opts"))
        sources = paho.get("sources", [])
        git = [s for s in sources if s.get("type") == "git"]
        t.check(len(git) == 1 and re.fullmatch(r"v1\.3\.(\d+)", git[0].get("tag", ""))
                and int(git[0]["tag"].split(".")[-1]) >= 11,
                "Paho comes from a release tag, 1.3.11 or newer", sources)
        t.check(len(git) == 1 and re.fullmatch(r"[0-9a-f]{40}", git[0].get("commit", "")),
                "the tag is pinned to its commit", sources)

    for m in modules:
        if isinstance(m, dict):
            for s in m.get("sources", []):
                t.check(pinned(s), "module %s: source %s is pinned" % (m.get("name"), s.get("type")), s)
        else:
            t.check(False, "module %s is inline, not an unpinned file" % m)

    app = modules[-1] if modules else {}
    t.check(isinstance(app, dict) and app.get("name") == "juice" and app.get("buildsystem") == "meson",
            "the last module is Juice, built with meson", app)
    t.check(isinstance(app, dict) and "-Dtests=false" in app.get("config-opts", []),
            "the app module builds no tests", app.get("config-opts") if isinstance(app, dict) else app)
    return t.exit()


if __name__ == "__main__":
    sys.exit(main())

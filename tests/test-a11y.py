#!/usr/bin/python3
# test-a11y.py: read the demo window the way a screen reader does (AT-SPI)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts `juice --demo`, finds it on the accessibility bus, and checks that
# every control has a name a screen reader can say, and that the setting
# rows say what they are. Prints TAP.

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

results = []


def check(ok, what):
    results.append((bool(ok), what))


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.get_child_count()):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def find_app(name, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == name:
                return app
        time.sleep(0.2)
    return None


def main():
    juice = os.environ["JUICE_BIN"]
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)  # the test's default switches accessibility off
    env["G_DEBUG"] = "gc-friendly,fatal-criticals"  # the app itself stays strict
    proc = subprocess.Popen([juice, "--demo"], env=env)
    try:
        app = find_app("juice", 20)
        check(app is not None, "juice is on the accessibility bus")
        if app is None:
            return

        time.sleep(1.5)
        interactive = {
            Atspi.Role.SLIDER: "slider",
            Atspi.Role.COMBO_BOX: "combo box",
            Atspi.Role.CHECK_BOX: "check box",
            Atspi.Role.TOGGLE_BUTTON: "toggle button",
            Atspi.Role.SWITCH if hasattr(Atspi.Role, "SWITCH") else Atspi.Role.CHECK_BOX: "switch",
            Atspi.Role.PUSH_BUTTON: "button",
            Atspi.Role.SPIN_BUTTON: "spin button",
        }
        nodes = list(walk(app))
        check(len(nodes) > 50, "the window has an accessible tree (%d nodes)" % len(nodes))

        unnamed = []
        named = {}
        for node in nodes:
            try:
                role = node.get_role()
                name = node.get_name() or ""
            except Exception:
                continue
            if role in interactive:
                named.setdefault(name, []).append(role)
                if not name.strip():
                    unnamed.append(interactive[role])
        check(not unnamed, "every control has a name (unnamed: %s)" % ", ".join(unnamed))

        for label, roles in (("Charge limit", (Atspi.Role.SLIDER,)),
                             ("Car input current", (Atspi.Role.COMBO_BOX, Atspi.Role.TOGGLE_BUTTON,
                                                    Atspi.Role.PUSH_BUTTON)),
                             ("Screen brightness", (Atspi.Role.SLIDER,))):
            check(any(r in roles for r in named.get(label, [])),
                  "%s is read as a %s" % (label, "/".join(interactive.get(r, str(r)) for r in roles)))

        # The AC output switch: the row's title names the switch.
        switch_roles = [r for r in named.get("AC output", [])]
        check(switch_roles, "AC output has a control named after its row (%s)" % switch_roles)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash is a failure, not a skip
        results.append((False, "no exception (%r)" % error))
    print("1..%d" % len(results))
    for i, (ok, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    sys.exit(0 if all(ok for ok, _ in results) else 1)

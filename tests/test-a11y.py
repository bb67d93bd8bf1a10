#!/usr/bin/python3
# test-a11y.py: read the demo window the way a screen reader does (AT-SPI)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts `juice --demo`, finds it on the accessibility bus, and walks every
# control a screen reader can reach - on the device page, on All Values and
# in Preferences - checking that each has a name. Prints TAP.
#
# Waits are for conditions, with a generous deadline, while the GLib main
# context runs: libatspi learns about new applications and windows from
# D-Bus signals, which are only dispatched while the main context turns.
# (Sleeping instead left its cached list of applications stale: the app
# registered a moment later was never seen.)

import os
import re
import subprocess
import sys
import time
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

DEADLINE_S = 90  # a fresh machine builds its font cache on the first start

results = []


def check(ok, what, detail=None):
    """Prints the result at once (TAP, plan at the end), so that a run cut
    short by its timeout still shows how far it got."""
    results.append((bool(ok), what, detail))
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), what), flush=True)
    if detail and not ok:
        for line in detail.splitlines():
            print("# " + line, flush=True)
    return ok


def wait_for(condition, timeout=DEADLINE_S):
    """Runs the main context until condition() returns something true, or
    the deadline passes. Returns the last value of condition()."""
    context = GLib.MainContext.default()
    end = time.monotonic() + timeout
    # Wakes the loop now and then to look again, whether or not a signal came.
    ticker = GLib.timeout_add(100, lambda: True)
    try:
        while True:
            try:
                value = condition()
            except GLib.Error:
                value = None  # the tree changed under the walk: look again
            if value or time.monotonic() >= end:
                return value
            context.iteration(True)
    finally:
        GLib.source_remove(ticker)


def children(node):
    try:
        n = node.get_child_count()
    except GLib.Error:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            continue
        if child is not None:
            yield child


def walk(node, depth=0):
    if node is None or depth > 80:
        return
    yield node
    for child in children(node):
        yield from walk(child, depth + 1)


def find_app(name):
    desktop = Atspi.get_desktop(0)
    for app in children(desktop):
        try:
            if app.get_name() == name:
                return app
        except GLib.Error:
            continue
    return None


def state(node, s):
    try:
        return node.get_state_set().contains(s)
    except GLib.Error:
        return False


def role_name(node):
    try:
        return node.get_role_name()
    except GLib.Error:
        return "?"


def name_of(node):
    try:
        return (node.get_name() or "").strip()
    except GLib.Error:
        return ""


def n_actions(node):
    try:
        return Atspi.Action.get_n_actions(node)
    except (GLib.Error, TypeError):
        return 0  # not an Action


# Roles a person operates; their nodes need a name even when not focusable.
CONTROL_ROLES = {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.COMBO_BOX, Atspi.Role.SLIDER,
    Atspi.Role.SPIN_BUTTON, Atspi.Role.ENTRY, Atspi.Role.PASSWORD_TEXT,
    Atspi.Role.MENU_ITEM, Atspi.Role.CHECK_MENU_ITEM, Atspi.Role.RADIO_MENU_ITEM,
    Atspi.Role.LINK, Atspi.Role.PAGE_TAB,
}
for extra in ("SWITCH", "SEARCH_BOX"):
    if hasattr(Atspi.Role, extra):
        CONTROL_ROLES.add(getattr(Atspi.Role, extra))


class Node:
    """One accessible object with what the checks read of it, fetched once:
    each property is a D-Bus round trip, and a loaded machine makes every
    round trip slow, so a walk reads each node a single time."""

    def __init__(self, node):
        self.node = node
        try:
            self.role = node.get_role()
        except GLib.Error:
            self.role = None
        self.name = name_of(node)
        try:
            states = node.get_state_set()
            self.visible = states.contains(Atspi.StateType.VISIBLE)
            self.focusable = states.contains(Atspi.StateType.FOCUSABLE)
        except GLib.Error:
            self.visible = self.focusable = False
        self.actions = n_actions(node) if self.visible else 0

    @property
    def reachable(self):
        """What a screen reader can land on: a visible widget that is
        focusable, actionable, or a control. (Pages of a stack that are not
        shown are walked too: the test does not rely on GTK 4.8's "showing"
        state.)"""
        if self.role is None or not self.visible:
            return False
        return self.role in CONTROL_ROLES or self.focusable or self.actions > 0


def snapshot(root):
    return [Node(n) for n in walk(root)]


def path_of(node):
    parts = []
    while node is not None and len(parts) < 6:
        label = name_of(node)
        parts.append("%s%s" % (role_name(node), " '%s'" % label if label else ""))
        try:
            node = node.get_parent()
        except GLib.Error:
            break
        if node is not None and node.get_role() == Atspi.Role.APPLICATION:
            break
    return " < ".join(parts)


TYPE_NAME = re.compile(r"^(Gtk|Adw|Juice)[A-Z][A-Za-z]+$")


def plausible_snapshot(root):
    """A walk that reached the controls: a page switch or a row built while
    the walk ran can make a D-Bus call fail and cut a branch off, so a walk
    that sees no more than a handful of controls is taken again, until the
    deadline."""
    nodes = snapshot(root)
    return nodes if sum(1 for n in nodes if n.reachable) > 5 else None


def check_names(root, where):
    nodes = wait_for(lambda: plausible_snapshot(root)) or snapshot(root)
    controls = [n for n in nodes if n.reachable]
    # GTK 4.8 names a nameless widget after its type: "GtkLabel" is no name.
    nameless = [n for n in controls if not n.name or TYPE_NAME.match(n.name)]
    check(len(controls) > 5, "%s: the walk reaches %d controls among %d nodes"
          % (where, len(controls), len(nodes)))
    check(not nameless, "%s: every control a screen reader reaches has a name" % where,
          "\n".join("nameless: " + path_of(n.node) for n in nameless))
    return nodes


def find(root, role, name):
    for node in walk(root):
        try:
            if node.get_role() == role and name_of(node) == name:
                return node
        except GLib.Error:
            continue
    return None


def has_ancestor(node, name):
    while node is not None:
        if name_of(node) == name:
            return True
        try:
            node = node.get_parent()
        except GLib.Error:
            return False
    return False


def action_name(node, i):
    with warnings.catch_warnings():
        # libatspi 2.46 has no replacement for it in the introspection data
        warnings.simplefilter("ignore", DeprecationWarning)
        return Atspi.Action.get_action_name(node, i)


def do_action(node, wanted=("click", "activate", "press", "toggle")):
    n = n_actions(node)
    for i in range(n):
        if action_name(node, i) in wanted:
            return Atspi.Action.do_action(node, i)
    return n > 0 and Atspi.Action.do_action(node, 0)


def frames(app):
    return [w for w in children(app) if role_name(w) in ("frame", "window", "dialog")]


def main():
    juice = os.environ["JUICE_BIN"]
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)  # the test's default switches accessibility off
    env["G_DEBUG"] = "gc-friendly,fatal-criticals"  # the app itself stays strict
    proc = subprocess.Popen([juice, "--demo"], env=env)
    try:
        # Stop waiting as soon as juice is gone (no display, a crash): say so.
        app = wait_for(lambda: proc.poll() is not None or find_app("juice"))
        if not check(proc.poll() is None, "juice is running",
                     "juice exited with status %s before it appeared" % proc.returncode):
            return
        if not check(app, "juice is on the accessibility bus (within %d s)" % DEADLINE_S):
            return

        # The device page is built: its last setting's control is there.
        window = wait_for(lambda: [w for w in frames(app)
                                   if find(w, Atspi.Role.SLIDER, "Generator auto stop above")])
        if not check(window, "the demo window shows the device page's controls"):
            return
        window = window[0]

        nodes = check_names(window, "device page")
        named = {}
        for node in nodes:
            if node.reachable:
                named.setdefault(node.name, []).append(node.role)
        for label, roles in (("Charge limit", (Atspi.Role.SLIDER,)),
                             ("Screen brightness", (Atspi.Role.SLIDER,)),
                             ("Car input current", (Atspi.Role.COMBO_BOX,)),
                             ("Unit timeout", (Atspi.Role.COMBO_BOX,)),
                             ("Main Menu", (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON))):
            check(any(r in roles for r in named.get(label, [])),
                  "%s is read as a %s (%s)" % (label, "/".join(r.value_nick for r in roles),
                                               [r.value_nick for r in named.get(label, [])]))
        # The AC output switch: the row's title names the switch.
        check(named.get("AC output"), "AC output has a control named after its row (%s)"
              % named.get("AC output"))
        # The values that change with each report (JuiceValueLabel) are read
        # as labels with their text: the charge, the power in and out.
        values = [n.name for n in nodes if n.role == Atspi.Role.LABEL and n.visible]
        check(any(re.match(r"^\d+ %$", v) for v in values),
              "the charge is read as a label with its value (%s)" % values[:12])
        check(sum(1 for v in values if re.match(r"^[\d,.]+ k?W$", v)) >= 2,
              "the power in and out are read as labels with their values (%s)" % values[:12])

        # All Values, through its view switcher button as a person would.
        switcher = find(window, Atspi.Role.PAGE_TAB, "All Values")
        if check(switcher is not None, "All Values has a switcher button"):
            do_action(switcher)
            shown = wait_for(lambda: state(switcher, Atspi.StateType.CHECKED) or
                             state(switcher, Atspi.StateType.SELECTED))
            check(shown, "All Values is shown after its switcher button is pressed")
            # The page is built after the switch: wait for its search entry
            # (a loaded machine, and the demo's second device reporting
            # meanwhile), then walk it once.
            wait_for(lambda: find(window, Atspi.Role.ENTRY, "Search values"))
            nodes = check_names(window, "All Values")
            search = [n for n in nodes if n.reachable and n.name == "Search values"]
            check(search, "All Values has its search entry, named (%s)"
                  % [role_name(n.node) for n in search])

        # Preferences, through the main menu.
        # The one in the device list's header bar, not the welcome page's.
        menus = [n.node for n in nodes if n.name == "Main Menu" and n.actions > 0
                 and has_ancestor(n.node, "AdwLeaflet")]
        menu = menus[0] if menus else None
        if check(menu is not None, "the main menu button is there, named"):
            do_action(menu)
            item = wait_for(lambda: find(app, Atspi.Role.MENU_ITEM, "Preferences"))
            if check(item is not None, "the main menu offers Preferences"):
                do_action(item)
                prefs = wait_for(lambda: [w for w in frames(app) if name_of(w) == "Preferences"])
                if check(prefs, "Preferences opens"):
                    wait_for(lambda: find(prefs[0], Atspi.Role.COMBO_BOX, "Power unit")
                             or len(list(walk(prefs[0]))) > 20)
                    check_names(prefs[0], "Preferences")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash is a failure, not a skip
        check(False, "no exception (%r)" % error)
    print("1..%d" % len(results), flush=True)
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)

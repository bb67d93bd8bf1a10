#!/usr/bin/python3
# test-dbus-activation.py: the desktop file says DBusActivatable=true, so
# the session bus must be able to start Juice from its service file.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the built service file and desktop file, then runs a private bus
# whose only service is that file (its Exec pointed at the built juice),
# activates Juice over org.freedesktop.Application as a desktop shell does,
# waits for its window to appear on the bus, and quits it through its
# "quit" action. Prints TAP.

import os
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

APP_ID = "io.github.juicepower.Juice"
OBJECT_PATH = "/" + APP_ID.replace(".", "/")
DEADLINE_S = 60


def read_ini(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#"):
                values.setdefault(key, value)
    return values


def gdbus(address, *args, timeout=DEADLINE_S):
    return subprocess.run(["gdbus", "call", "--address", address, "--timeout", str(timeout), *args],
                          capture_output=True, text=True, timeout=timeout + 10)


def wait_for(condition, timeout=DEADLINE_S):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= end:
            return value
        time.sleep(0.1)  # polling a condition, not waiting for a time


def has_owner(address):
    run = gdbus(address, "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                "--method", "org.freedesktop.DBus.NameHasOwner", APP_ID, timeout=10)
    return run.returncode == 0 and "true" in run.stdout


def window_exported(address):
    run = subprocess.run(["gdbus", "introspect", "--address", address, "--dest", APP_ID,
                          "--object-path", OBJECT_PATH + "/window/1"],
                         capture_output=True, text=True, timeout=20)
    return run.returncode == 0 and "org.gtk.Actions" in run.stdout


def main():
    t = Tap()
    build = os.environ["JUICE_BUILD_DIR"]
    juice = os.path.join(build, "src", "juice")
    service_path = os.path.join(build, "data", APP_ID + ".service")
    desktop_path = os.path.join(build, "data", APP_ID + ".desktop")

    desktop = read_ini(desktop_path)
    t.check(desktop.get("DBusActivatable") == "true", "the desktop file is DBusActivatable",
            desktop.get("DBusActivatable"))
    service = read_ini(service_path)
    t.check(service.get("Name") == APP_ID, "the service file names the app id", service)
    exec_argv = shlex.split(service.get("Exec", ""))
    t.check(len(exec_argv) == 2 and os.path.isabs(exec_argv[0])
            and os.path.basename(exec_argv[0]) == "juice"
            and exec_argv[1] == "--gapplication-service",
            "the service runs the installed juice --gapplication-service", exec_argv)
    if not t.results[-1][0]:
        return t.exit()

    with tempfile.TemporaryDirectory() as tmp:
        services = os.path.join(tmp, "services")
        os.mkdir(services)
        with open(os.path.join(services, APP_ID + ".service"), "w") as f:
            f.write("[D-BUS Service]\nName=%s\nExec=%s %s\n" % (APP_ID, juice, exec_argv[1]))
        config = os.path.join(tmp, "session.conf")
        with open(config, "w") as f:
            f.write("""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=%s</listen>
  <auth>EXTERNAL</auth>
  <servicedir>%s</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""" % (tmp, services))
        # The bus passes its environment to what it starts: the test's display
        # and settings, and no fatal warnings (a desktop's juice has none).
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        env["GTK_A11Y"] = "none"
        bus = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork",
                                "--print-address=1"], stdout=subprocess.PIPE, text=True, env=env)
        try:
            address = bus.stdout.readline().strip()
            if not t.check(address, "a private session bus starts"):
                return t.exit()

            # What a desktop shell does for a DBusActivatable app.
            run = gdbus(address, "--dest", APP_ID, "--object-path", OBJECT_PATH,
                        "--method", "org.freedesktop.Application.Activate", "{}")
            t.check(run.returncode == 0, "the bus starts juice and it answers Activate",
                    run.stderr)
            t.check(wait_for(lambda: window_exported(address)),
                    "juice shows its window (window/1 on the bus)")

            run = gdbus(address, "--dest", APP_ID, "--object-path", OBJECT_PATH,
                        "--method", "org.freedesktop.Application.ActivateAction", "quit", "[]", "{}")
            t.check(run.returncode == 0, "juice answers its quit action", run.stderr)
            t.check(wait_for(lambda: not has_owner(address)), "juice quits and leaves the bus")
        finally:
            bus.terminate()
            bus.wait(timeout=30)
    return t.exit()


if __name__ == "__main__":
    sys.exit(main())

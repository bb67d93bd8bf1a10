#!/usr/bin/env bash
# Runs inside dbus-run-session: starts an unlocked gnome-keyring for the
# tests, runs the meson test suite, stops the keyring by pid.
set -uo pipefail

build=$1
shift

test_home=$(mktemp -d)
export HOME="$test_home"
export XDG_DATA_HOME="$test_home/.local/share"
export XDG_CONFIG_HOME="$test_home/.config"
export XDG_CACHE_HOME="$test_home/.cache"
export XDG_RUNTIME_DIR="$test_home/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

keyring_pid=
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # --foreground keeps the pid ours to stop; the password unlocks a fresh login keyring.
  ( printf 'juice-test' | gnome-keyring-daemon --foreground --unlock --components=secrets \
      >/dev/null 2>&1 ) &
  keyring_pid=$!
  for _ in $(seq 50); do
    busctl --user status org.freedesktop.secrets >/dev/null 2>&1 && break
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q true && break
    sleep 0.1
  done
fi

meson test -C "$build" --print-errorlogs "$@"
status=$?

if [ -n "$keyring_pid" ]; then
  pkill -P "$keyring_pid" 2>/dev/null || true
  kill "$keyring_pid" 2>/dev/null || true
  wait "$keyring_pid" 2>/dev/null || true
fi
rm -rf "$test_home"
exit $status

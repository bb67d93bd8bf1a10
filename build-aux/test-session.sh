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
cleanup() {
  if [ -n "$keyring_pid" ]; then
    pkill -P "$keyring_pid" 2>/dev/null || true
    kill "$keyring_pid" 2>/dev/null || true
    wait "$keyring_pid" 2>/dev/null || true
  fi
  rm -rf "$test_home"
}
trap cleanup EXIT

# The keyring: started here, so that a test that needs it finds it or says
# why not; within 20 s or not at all.
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "test-session: gnome-keyring-daemon is not installed: the keyring tests cannot run" >&2
  exit 1
fi
# --foreground keeps the pid ours to stop; the password unlocks a fresh login keyring.
( printf 'juice-test' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >/dev/null 2>&1 ) &
keyring_pid=$!
if ! gdbus wait --session --timeout 20 org.freedesktop.secrets; then
  echo "test-session: the keyring (org.freedesktop.secrets) did not start within 20 s" >&2
  exit 1
fi

meson test -C "$build" --print-errorlogs "$@"
exit $?

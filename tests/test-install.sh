#!/usr/bin/env bash
# test-install.sh: `meson install --destdir` puts everything where desktops
# look, and the installed juice and juice-ctl run. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

build=${JUICE_BUILD_DIR:?}
app_id=io.github.juicepower.Juice
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

n=0
failed=0
check() {  # check DESCRIPTION COMMAND…
  local what=$1
  shift
  n=$((n + 1))
  local out
  if out=$("$@" 2>&1); then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    printf '%s\n' "$out" | sed 's/^/# /'
    failed=$((failed + 1))
  fi
}

if ! meson install -C "$build" --destdir "$destdir" --no-rebuild --quiet >"$destdir.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 - meson install --destdir"
  sed 's/^/# /' "$destdir.log"
  rm -f "$destdir.log"
  exit 1
fi
rm -f "$destdir.log"

prefix=$(meson introspect "$build" --buildoptions \
  | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
root="$destdir$prefix"
bindir="$root/bin"
datadir="$root/share"

check "juice is installed in $prefix/bin" test -x "$bindir/juice"
check "juice-ctl is installed in $prefix/bin" test -x "$bindir/juice-ctl"
check "the installed juice --version says its version" \
  bash -c '[ "$("$1" --version)" = "juice 0.1.0" ]' _ "$bindir/juice"
check "the installed juice-ctl --version says its version" \
  bash -c '[ "$("$1" --version)" = "juice-ctl 0.1.0" ]' _ "$bindir/juice-ctl"
check "the desktop file is in share/applications" test -f "$datadir/applications/$app_id.desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
  check "the installed desktop file is valid" desktop-file-validate "$datadir/applications/$app_id.desktop"
fi
check "the desktop file is translated" grep -q '^Comment\[de\]=' "$datadir/applications/$app_id.desktop"
check "the metainfo is in share/metainfo" test -f "$datadir/metainfo/$app_id.metainfo.xml"
check "the D-Bus service is in share/dbus-1/services" test -f "$datadir/dbus-1/services/$app_id.service"
check "the D-Bus service starts the installed juice as a service" \
  grep -qx "Exec=$prefix/bin/juice --gapplication-service" "$datadir/dbus-1/services/$app_id.service"
check "the GSettings schema is in share/glib-2.0/schemas" \
  test -f "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
check "the scalable app icon is installed" test -f "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
check "the symbolic app icon is installed" \
  test -f "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
check "the man page juice.1 is installed" test -f "$datadir/man/man1/juice.1"
check "the man page juice-ctl.1 is installed" test -f "$datadir/man/man1/juice-ctl.1"
check "the German translation is installed" test -f "$datadir/locale/de/LC_MESSAGES/juice.mo"
# Everything under the prefix: only the prefix's parent folders lie outside it.
outside() {
  local path
  find "$destdir" -mindepth 1 ! -path "$root" ! -path "$root/*" -print0 \
    | while IFS= read -r -d '' path; do
        case "$root" in "$path"/*) ;; *) echo "$path" ;; esac
      done
}
check "nothing is installed outside $prefix" bash -c '[ -z "$1" ] || { echo "$1"; false; }' _ "$(outside)"
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
  for page in juice juice-ctl; do
    check "man renders $page.1 without warnings" \
      bash -c 'out=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$1" 2>&1 >/dev/null); [ -z "$out" ] || { echo "$out"; false; }' \
      _ "$datadir/man/man1/$page.1"
  done
fi

echo "1..$n"
[ "$failed" -eq 0 ]

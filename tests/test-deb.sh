#!/usr/bin/env bash
# test-deb.sh: the Debian package builds (dpkg-buildpackage, lintian clean
# for errors), depends on what dh_shlibdeps found, installs into a scratch
# root with dpkg, runs there, and is removed again. Prints TAP. Slow: it
# builds Juice once more, in a copy of the tree (build-aux/build-deb.sh).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

src=${JUICE_SOURCE_DIR:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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
finish() {
  echo "1..$n"
  [ "$failed" -eq 0 ]
  exit $?
}

for tool in dpkg-buildpackage dh lintian; do
  check "$tool is installed (build-aux/dev.sh installs it)" command -v "$tool"
done
[ "$failed" -eq 0 ] || finish

check "dpkg-buildpackage builds the package, lintian finds no error" \
  "$src/build-aux/build-deb.sh" "$work/out"
deb=$(ls "$work"/out/juice_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || finish
echo "# $(basename "$deb"): $(stat -c %s "$deb") bytes"

depends=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $depends"
for lib in libgtk-4-1 libadwaita-1-0 libsoup-3.0-0 libjson-glib-1.0-0 libsecret-1-0 libpaho-mqtt1.3; do
  check "dh_shlibdeps put $lib into Depends" grep -q "\\b$lib\\b" <<<"$depends"
done

# A scratch root with an empty dpkg database: dpkg installs and removes the
# package there for real (its dependencies are this machine's).
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() {
  dpkg --root="$root" --force-depends --force-script-chrootless --force-not-root \
    --log=/dev/null "$@"
}
check "dpkg installs the package into a scratch root" dpkg_root -i "$deb"
check "dpkg lists it as installed" \
  bash -c '[ "$(dpkg-query --admindir="$1/var/lib/dpkg" -W -f="\${Status}" juice)" = "install ok installed" ]' \
  _ "$root"
check "the installed juice --version says its version" \
  bash -c '[ "$("$1/usr/bin/juice" --version)" = "juice 0.1.0" ]' _ "$root"
check "the installed juice-ctl --version says its version" \
  bash -c '[ "$("$1/usr/bin/juice-ctl" --version)" = "juice-ctl 0.1.0" ]' _ "$root"
for path in usr/share/applications/io.github.juicepower.Juice.desktop \
            usr/share/metainfo/io.github.juicepower.Juice.metainfo.xml \
            usr/share/dbus-1/services/io.github.juicepower.Juice.service \
            usr/share/glib-2.0/schemas/io.github.juicepower.Juice.gschema.xml \
            usr/share/icons/hicolor/scalable/apps/io.github.juicepower.Juice.svg \
            usr/share/man/man1/juice.1.gz usr/share/man/man1/juice-ctl.1.gz \
            usr/share/locale/de/LC_MESSAGES/juice.mo; do
  check "the package installs /$path" test -f "$root/$path"
done
check "the D-Bus service starts /usr/bin/juice" \
  grep -qx 'Exec=/usr/bin/juice --gapplication-service' \
  "$root/usr/share/dbus-1/services/io.github.juicepower.Juice.service"
check "dpkg removes the package again" dpkg_root --purge juice
check "nothing of it is left" bash -c '[ ! -e "$1/usr/bin/juice" ] && [ ! -e "$1/usr/share/applications/io.github.juicepower.Juice.desktop" ]' _ "$root"
finish

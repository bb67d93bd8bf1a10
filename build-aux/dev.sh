#!/usr/bin/env bash
# The two commands a newcomer needs, on a fresh Debian 12 machine:
#   build-aux/dev.sh run     builds Juice and opens it on its simulated DELTA Pro
#   build-aux/dev.sh test    builds Juice and runs every test, then the second
#                            stage: sanitizers, valgrind, fuzzing (skipped
#                            with JUICE_TEST_STAGE2=0)
#   build-aux/dev.sh bench   builds Juice and runs the benchmarks
#   build-aux/dev.sh deb     builds the Debian package into _build/deb
#   build-aux/dev.sh po      updates the translations, lists what is untranslated
#   build-aux/dev.sh soak [MINUTES]   the soak (tests/soak), 2 minutes by default
#   build-aux/dev.sh fuzz [SECONDS]  builds the fuzz targets (clang, libFuzzer,
#                            ASan, UBSan) and runs each for SECONDS (60)
# Each installs the Debian packages it needs (apt-get, as root or with sudo),
# configures meson once, builds, and runs.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${JUICE_BUILD_DIR:-$top/_build}"
fuzz_build="${JUICE_FUZZ_BUILD_DIR:-$top/_build-fuzz}"

build_packages=(
  build-essential pkg-config meson ninja-build cmake gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libpaho-mqtt-dev libsqlite3-dev libssl-dev
  desktop-file-utils appstream adwaita-icon-theme fonts-cantarell
  # The Background portal inside Flatpak; the tray's pixmaps drawn from SVG (issue 11)
  libportal-dev libgdk-pixbuf-2.0-dev librsvg2-common
)
test_packages=(
  xvfb xauth dbus dbus-x11 libglib2.0-bin at-spi2-core gnome-keyring libsecret-tools
  mosquitto mosquitto-clients openssl imagemagick valgrind python3-gi gir1.2-atspi-2.0
  # History (issue 10): daily energy tests read real time zones
  tzdata
)
# Packaging and translations (issue 12): the Flatpak manifest check, the
# Debian package and its test, a German locale for the German UI test.
test_packages+=(flatpak-builder dpkg-dev debhelper fakeroot lintian locales)
deb_packages=(dpkg-dev debhelper fakeroot lintian)

# Fuzzing, sanitizers and valgrind (issue 14): clang-14 with its libFuzzer and
# sanitizer runtimes (libclang-rt-14-dev), llvm-symbolizer for stack traces.
fuzz_packages=(
  clang-14 libclang-rt-14-dev llvm-14
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Installing packages needs root: run this as root or install sudo." >&2
    exit 1
  fi
}

ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  log "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists at all: update first then.
  if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; then
    as_root apt-get update -q </dev/null
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  fi
}

configure_and_build() {
  if [ ! -f "$build/build.ninja" ]; then
    log "Configuring $build"
    meson setup "$build" "$top"
  fi
  log "Building"
  meson compile -C "$build"
}

die() {
  printf '\033[1;31m==> %s\033[0m\n' "$*" >&2
  exit 1
}

pids_to_stop=()
dirs_to_remove=()
stop_services() {
  local pid
  for pid in "${pids_to_stop[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids_to_stop[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids_to_stop=()
  if [ ${#dirs_to_remove[@]} -gt 0 ]; then
    rm -rf "${dirs_to_remove[@]}"
  fi
  dirs_to_remove=()
}
trap stop_services EXIT

# Starts Xvfb on a free display and exports DISPLAY; stops the script,
# saying why, when there is no Xvfb or it does not start within 30 s.
start_xvfb() {
  local dir display=
  command -v Xvfb >/dev/null 2>&1 || die "Xvfb is not installed (apt-get install xvfb xauth)"
  dir=$(mktemp -d)
  dirs_to_remove+=("$dir")
  mkfifo "$dir/displayfd"
  # -noreset: by default Xvfb resets when its last client leaves, and a test
  # that connects during the reset gets "cannot open display".
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp -noreset \
    3>"$dir/displayfd" >"$dir/xvfb.log" 2>&1 &
  pids_to_stop+=($!)
  # Xvfb writes the display number once it accepts clients; end of file
  # (it exited) or the deadline leave it empty.
  read -r -t 30 display <"$dir/displayfd" || true
  if [ -z "$display" ]; then
    cat "$dir/xvfb.log" >&2 || true
    die "Xvfb ended or did not start within 30 s: the UI tests need a display"
  fi
  export DISPLAY=":$display"
  log "Xvfb on $DISPLAY (pid ${pids_to_stop[-1]})"
}

# A session bus of the tests' own: it can start the accessibility bus
# (test-a11y) and nothing else. Services the tests do not need, such as
# xdg-desktop-portal where it is installed, are never activated under them;
# test-session.sh starts the keyring. Sets bus_config to the config's path.
write_test_bus_config() {
  local dir service found= data_dir data_dirs=${XDG_DATA_DIRS:-}
  dir=$(mktemp -d)
  dirs_to_remove+=("$dir")
  mkdir "$dir/services"
  for data_dir in ${data_dirs//:/ } /usr/local/share /usr/share; do
    service="$data_dir/dbus-1/services/org.a11y.Bus.service"
    if [ -z "$found" ] && [ -f "$service" ]; then
      cp "$service" "$dir/services/"
      found=1
    fi
  done
  [ -n "$found" ] || die "at-spi2-core's org.a11y.Bus.service was not found: test-a11y needs it"
  cat >"$dir/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=$dir</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  bus_config="$dir/session.conf"
}

cmd_run() {
  ensure_packages "${build_packages[@]}"
  configure_and_build
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    ensure_packages xvfb xauth
    start_xvfb
    log "No display here: Juice runs on $DISPLAY (Xvfb)"
  fi
  # The build's translations, not the installed ones (LANGUAGE=de … run).
  JUICE_LOCALEDIR="${JUICE_LOCALEDIR:-$build/po}" \
    GSETTINGS_SCHEMA_DIR="$build/data" "$build/src/juice" --demo "$@"
}

# The German UI test needs a de_DE.UTF-8 locale: gettext ignores LANGUAGE
# in the C locale, and numbers are formatted by LC_NUMERIC.
ensure_german_locale() {
  if locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    return 0
  fi
  log "Generating the de_DE.UTF-8 locale"
  if [ -f /etc/locale.gen ] && grep -q '^# *de_DE.UTF-8 UTF-8' /etc/locale.gen; then
    as_root sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    as_root locale-gen </dev/null
  else
    as_root localedef -i de_DE -f UTF-8 de_DE.UTF-8
  fi
}

cmd_test() {
  ensure_packages "${build_packages[@]}" "${test_packages[@]}"
  ensure_german_locale
  configure_and_build
  # The broker tests' clients connect to "localhost": say up front what
  # their fixture will say in each of them.
  if ! timeout 10 getent ahostsv4 localhost 2>/dev/null | grep -q '^127\.'; then
    log '"localhost" does not resolve to 127.0.0.1 (no /etc/hosts?): the broker tests will fail'
  fi
  start_xvfb
  local log_file="$build/meson-logs/dev-test-output.txt"
  local status bus_config
  write_test_bus_config
  # The session bus and the keyring live inside dbus-run-session; the helper
  # starts gnome-keyring there and stops it by pid.
  set +e
  dbus-run-session --config-file="$bus_config" -- "$top/build-aux/test-session.sh" "$build" "$@" \
    2>&1 | tee "$log_file"
  status=${PIPESTATUS[0]}
  set -e
  # The second stage: sanitizers, valgrind, fuzzing (build-aux/test-stage2.sh),
  # in CI too; JUICE_TEST_STAGE2=0 skips it for a quick run of the main suite.
  if [ "${JUICE_TEST_STAGE2:-1}" = 1 ]; then
    echo "main suite: $(summarize "$log_file") in ${SECONDS} s (build included)"
    ensure_packages "${fuzz_packages[@]}"
    JUICE_FUZZ_BUILD_DIR="$fuzz_build" BUS_CONFIG="$bus_config" \
      "$top/build-aux/test-stage2.sh" "$top" "$build" "$log_file" || status=1
  else
    summarize "$log_file"
  fi
  return "$status"
}

# meson prints "Ok: N" and "Fail: M"; add the plain line CI reads.
summarize() {
  local ok fail timeout unexpected
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  unexpected=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  echo "${ok:-0} passed, $(( ${fail:-0} + ${timeout:-0} + ${unexpected:-0} )) failed"
}

cmd_bench() {
  ensure_packages "${build_packages[@]}" "${test_packages[@]}"
  configure_and_build
  start_xvfb
  local bus_config
  write_test_bus_config
  # The same session as the tests: bench-ui signs in with keys from the keyring.
  dbus-run-session --config-file="$bus_config" -- "$top/build-aux/test-session.sh" "$build" \
    --benchmark --verbose "$@"
}

# The Debian package, built in a copy of the tree: _build/deb/juice_*.deb
cmd_deb() {
  ensure_packages "${build_packages[@]}" "${deb_packages[@]}"
  "$top/build-aux/build-deb.sh" "$build/deb"
}

# Regenerates po/juice.pot, merges po/*.po and lists what is left to translate.
cmd_po() {
  ensure_packages "${build_packages[@]}"
  configure_and_build
  "$top/build-aux/update-po.sh" "$build"
}

# The soak (issue 14): the account against a flaky cloud and a broker killed
# every minute, for MINUTES (2 by default, as in the test suite).
cmd_soak() {
  local minutes=${1:-2} bus_config
  [[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "usage: build-aux/dev.sh soak [MINUTES]"
  ensure_packages "${build_packages[@]}" "${test_packages[@]}"
  configure_and_build
  start_xvfb
  write_test_bus_config
  local status=0
  SOAK_MINUTES=$minutes dbus-run-session --config-file="$bus_config" -- \
    "$top/build-aux/test-session.sh" "$build" --suite soak --verbose \
    --timeout-multiplier $(( minutes / 10 + 1 )) || status=$?
  # The soak's figures at the end go to meson's log (g_test_message).
  sed -n 's/^# soak: /soak: /p' "$build/meson-logs/testlog.txt"
  return "$status"
}

# The fuzz targets of tests/fuzz, each for SECONDS (build-aux/fuzz.sh).
cmd_fuzz() {
  ensure_packages "${build_packages[@]}" "${fuzz_packages[@]}"
  # valgrind checks a leak report against the main build's replay, if built.
  JUICE_FUZZ_BUILD_DIR="$fuzz_build" JUICE_FUZZ_REPLAY_DIR="$build/tests/fuzz" \
    "$top/build-aux/fuzz.sh" "$top" "${1:-60}"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  deb) shift; cmd_deb "$@" ;;
  po) shift; cmd_po "$@" ;;
  soak) shift; cmd_soak "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  *)
    echo "usage: build-aux/dev.sh run|test|bench|deb|po|soak|fuzz [args]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Shows Juice's tray icon in a real StatusNotifier host and takes screenshots:
# xfce4-panel with its default layout (its systray plugin is a StatusNotifier
# watcher and host) on Xvfb, Juice on its demo device, and xfce4-notifyd
# showing a notification Juice sent. Installs what it needs on demand (the
# panel pulls in much of Xfce: the test suite does not need it).
#   build-aux/tray-screenshot.sh [OUTPUT_DIR]    (default: docs/)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${JUICE_BUILD_DIR:-$top/_build}"
out=$(mkdir -p "${1:-$top/docs}" && cd "${1:-$top/docs}" && pwd)

if [ "${JUICE_TRAY_INNER:-}" != 1 ]; then
  packages=(xfce4-panel xfconf xfce4-notifyd xvfb xauth dbus imagemagick xdotool)
  missing=()
  for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
      "${missing[@]}" </dev/null
  fi
  [ -x "$build/src/juice" ] || meson compile -C "$build"
  export JUICE_TRAY_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x720x24" dbus-run-session -- "$0" "$out"
fi

# Inside Xvfb and a fresh session bus, with a home of our own.
home=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$home"
}
trap cleanup EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
export XDG_DATA_HOME="$home/.local/share"

# The panel's default layout, taken as the user's: no first-start question.
mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml"
cp /etc/xdg/xfce4/panel/default.xml "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml"

xfce4-panel >"$home/panel.log" 2>&1 &
pids+=($!)
gdbus wait --session --timeout 60 org.kde.StatusNotifierWatcher

# Juice on the demo device, without a window, warning about the charge at
# once (the demo sits around half full) so that a notification shows.
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<KEYS
[io/github/juicepower/Juice]
notify-low-charge=99
KEYS
GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$build/data" JUICE_ICON_THEME_PATH="$top/data/icons" \
  GSK_RENDERER=cairo "$build/src/juice" --demo --background >"$home/juice.log" 2>&1 &
pids+=($!)

# Registered with the panel's watcher?
for _ in $(seq 1 120); do
  if gdbus introspect --session --dest org.kde.StatusNotifierWatcher \
       --object-path /StatusNotifierWatcher --only-properties 2>/dev/null \
     | grep -q "StatusNotifierItem-"; then
    break
  fi
  sleep 0.5
done
# The panel draws the icon and notifyd the bubble; then the picture.
sleep 3
import -window root "$out/tray-panel.png"
echo "saved $out/tray-panel.png" >&2

# A close look at the panel's right end, four times the size.
convert "$out/tray-panel.png" -crop 240x28+1040+0 -scale 400% "$out/tray-panel-zoom.png"

# The menu: a right click on Juice's icon, the first light shape of the
# panel's right part in the default layout (the systray comes first there).
x=$(convert "$out/tray-panel.png" -crop 280x16+1000+0 -threshold 60% txt:- \
      | grep -i '#FFFFFF' | cut -d, -f1 | sort -n | head -n1)
if [ -n "$x" ]; then
  xdotool mousemove $((1000 + x + 5)) 10 click 3
  # Away from the icon, so that its tooltip does not cover the menu.
  sleep 1
  xdotool mousemove 640 400
  sleep 2
  import -window root "$out/tray-menu.png"
  echo "saved $out/tray-menu.png" >&2
fi

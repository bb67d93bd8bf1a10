#!/usr/bin/env bash
# Brings the translations up to date with the code, then lists what is left:
#   build-aux/update-po.sh [BUILDDIR]     (build-aux/dev.sh po does the same)
# 1. regenerates po/juice.pot from po/POTFILES.in (meson compile juice-pot),
# 2. merges it into every po/LANG.po (meson compile juice-update-po),
# 3. lists files with translatable strings missing from POTFILES.in, and the
#    untranslated and fuzzy entries of each language.
# Exits 1 while anything is left to do: translate, remove the fuzzy flags,
# and run it again until it says nothing is left.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$top/_build}

status=0
python3 "$top/build-aux/po-tools.py" potfiles "$top" || status=1
meson compile -C "$build" juice-pot >/dev/null
meson compile -C "$build" juice-update-po >/dev/null
python3 "$top/build-aux/po-tools.py" status "$top" || status=1
if [ "$status" -eq 0 ]; then
  echo "Translations are complete."
fi
exit "$status"

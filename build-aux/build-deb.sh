#!/usr/bin/env bash
# Builds the Debian package from this source tree, in a copy of it, and puts
# the .deb (and the build's .buildinfo/.changes) into OUTDIR. Then runs
# lintian on it, failing on errors.
#   build-aux/build-deb.sh OUTDIR
# Needs dpkg-dev, debhelper, fakeroot, lintian and the Build-Depends of
# debian/control (build-aux/dev.sh deb installs them).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: build-deb.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src="$work/juice"
mkdir "$src"

# The files of the project, not its build directories: git's list when this
# is a checkout (committed and new files), else everything but _build*.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # (A file deleted in the work tree but still in the index is left out.)
  (cd "$top" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
    | tar --null -T - -cf -) | tar -C "$src" -xf -
else
  tar -C "$top" --exclude='./_build*' --exclude='./.git' -cf - . | tar -C "$src" -xf -
fi
[ -f "$src/debian/rules" ] || { echo "build-deb: no debian/ in $top" >&2; exit 1; }

# Everything the build writes stays in $work; the .deb lands next to $src.
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
  tail -n 60 "$work/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed (log above)" >&2
  exit 1
}

shopt -s nullglob
debs=("$work"/*.deb)
[ ${#debs[@]} -gt 0 ] || { echo "build-deb: no .deb was built" >&2; exit 1; }
cp "${debs[@]}" "$work"/*.buildinfo "$work"/*.changes "$out/"

for deb in "${debs[@]}"; do
  echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
done

if command -v lintian >/dev/null 2>&1; then
  # Errors fail the build; warnings are printed for a person to read.
  lintian --fail-on error --tag-display-limit 0 "$out"/*.changes
fi

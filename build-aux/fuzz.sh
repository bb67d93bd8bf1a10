#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in a
# build dir of their own and runs each for SECONDS, JUICE_FUZZ_JOBS (1) at a
# time.
#   build-aux/fuzz.sh SOURCE_DIR SECONDS [TARGET...]
# Each target's corpus grows in BUILD/corpus/TARGET across runs; it starts
# from tests/fuzz/corpus/TARGET, tests/fuzz/regressions/TARGET and the
# simulator's quota/all files. A finding is kept in BUILD/artifacts/TARGET/.
# Prints one line per target and "fuzz: N passed, M failed".
set -uo pipefail

top=$1
seconds=$2
shift 2
build="${JUICE_FUZZ_BUILD_DIR:-$top/_build-fuzz}"
cc="${JUICE_FUZZ_CC:-clang-14}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for file in "$top"/tests/fuzz/fuzz-*.c; do
    name=$(basename "$file" .c)
    [ "$name" = fuzz-replay ] || targets+=("$name")
  done
fi

if [ ! -f "$build/build.ninja" ]; then
  log "Configuring $build (clang, libFuzzer, ASan, UBSan)"
  # werror off: the tree is kept warning-free with gcc; clang's extra
  # warnings are not findings.
  CC="$cc" meson setup "$build" "$top" -Dfuzzing=true -Dwerror=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null || exit 1
fi
log "Building ${targets[*]}"
# Naming targets skips meson's check for changed build files: regenerate first.
{ ninja -C "$build" build.ninja && meson compile -C "$build" "${targets[@]}"; } \
  >"$build/fuzz-build.log" 2>&1 || {
  tail -n 40 "$build/fuzz-build.log" >&2
  echo "fuzz: 0 passed, ${#targets[@]} failed (build)"
  exit 1
}
# JUICE_FUZZ_BUILD_ONLY=1: build, run nothing (test-stage2.sh builds ahead).
[ "${JUICE_FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:symbolize=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export G_SLICE=always-malloc
passed=0
failed=0

# Runs @target for $seconds s; prints its line to $build/meson-logs/TARGET.result
# and exits 0 when it found nothing.
run_target() {
  local target=$1 corpus artifacts out result rc runs peak n_corpus seed unit leak_note
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  out="$build/meson-logs/$target.txt"
  result="$build/meson-logs/$target.result"
  mkdir -p "$corpus" "$artifacts" "$build/meson-logs"
  for seed in "$top"/data/simulator/*.json; do
    cp -n "$seed" "$corpus/seed-simulator-$(basename "$seed")"
  done

  log "$target for $seconds s"
  # -timeout: one input taking 30 s is a finding (a hang), as is 2 GB.
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "$top/tests/fuzz/corpus/$target" "$top/tests/fuzz/regressions/$target" \
    >"$out" 2>&1
  rc=$?
  # libFuzzer checks for leaks when an input ends with more mallocs than
  # frees, and LeakSanitizer then blames whatever it finds unreachable, left
  # by any earlier input or only seen so because no stale pointer to it
  # remained (GLib's GIO modules, in tests/lsan.supp, show up that way). The
  # other way round, LeakSanitizer can miss a real leak when a stale pointer
  # on the stack still points to it: json-glib's leak of "''{}" (a tree of
  # nodes pointing to each other) was reported in some runs only. So a leak
  # report is a finding when its input leaks again run alone, or when
  # valgrind, which looks only at the heap and the registers, finds a
  # definite leak in the main build's replay of it (JUICE_FUZZ_REPLAY_DIR:
  # that build's tests/fuzz). One that neither repeats is reported, and kept
  # in the artifacts folder, but fails nothing.
  leak_note=
  if [ "$rc" -ne 0 ] && grep -q 'LeakSanitizer: detected memory leaks' "$out" &&
       ! grep -qE 'ERROR: AddressSanitizer|runtime error|ERROR: libFuzzer|deadly signal' "$out"; then
    unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$out" | tail -n1)
    if [ -n "$unit" ] && [ -f "$unit" ] &&
         "$build/tests/fuzz/$target" "$unit" >"$out.again" 2>&1; then
      leak_note=" (a leak report its input did not repeat alone: $(basename "$unit"))"
      rc=0
      replay="${JUICE_FUZZ_REPLAY_DIR:-}/$target-replay"
      if [ -n "${JUICE_FUZZ_REPLAY_DIR:-}" ] && [ -x "$replay" ] && command -v valgrind >/dev/null; then
        if G_DEBUG=gc-friendly valgrind --quiet --leak-check=full --show-leak-kinds=definite \
             --errors-for-leak-kinds=definite --error-exitcode=1 \
             --suppressions="$top/tests/valgrind.supp" \
             --suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
             "$replay" "$unit" >"$out.valgrind" 2>&1; then
          leak_note=" (a leak report that neither its input alone nor valgrind repeated: $(basename "$unit"))"
        else
          echo "valgrind, replaying $unit alone: a definite leak (log $out.valgrind)" >>"$out"
          rc=1
        fi
      fi
    fi
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out" | tail -n1)
  n_corpus=$(find "$corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "$target: ${seconds} s, ${runs:-?} inputs, corpus $n_corpus, peak ${peak:-?} MB: no finding$leak_note" \
      >"$result"
  else
    {
      echo "$target: FINDING (exit $rc) after ${runs:-?} inputs; log $out"
      grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*ERROR:|.*Test unit written)' "$out" | head -n 8
      grep -A 30 -m1 -E '==ERROR|runtime error|ERROR:' "$out" | head -n 40
      echo "  Fix it, then keep the input as tests/fuzz/regressions/$target/<what-it-found>."
    } >"$result"
  fi
  return "$rc"
}

# JUICE_FUZZ_JOBS targets at a time (1 by default; the test suite's second
# stage runs 2, one per core): each target is one process on one core.
jobs="${JUICE_FUZZ_JOBS:-1}"
declare -A running=()
finish_one() {
  local pid target rc
  wait -n -p pid "${!running[@]}"
  rc=$?
  target=${running[$pid]}
  unset "running[$pid]"
  cat "$build/meson-logs/$target.result"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}
for target in "${targets[@]}"; do
  while [ ${#running[@]} -ge "$jobs" ]; do
    finish_one
  done
  run_target "$target" &
  running[$!]=$target
done
while [ ${#running[@]} -gt 0 ]; do
  finish_one
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

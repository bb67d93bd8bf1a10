#!/usr/bin/env bash
# The second stage of `build-aux/dev.sh test` (issue 14), after the main suite:
#   1. the unit and integration suites built with ASan and UBSan (gcc,
#      BUILD-asan), halting on the first error, leaks checked at exit
#      (tests/lsan.supp: libraries only), two tests at a time, the tests'
#      deadlines stretched JUICE_ASAN_TIME_SCALE (4) times
#      (JUICE_TEST_TIME_SCALE, tests/time-util.h);
#   2. the unit and integration suites of the main build under valgrind
#      (meson test --setup valgrind: definite leaks and memory errors fail;
#      tests/valgrind.supp: libraries only), two tests at a time;
#   3. meanwhile, every fuzz target for JUICE_FUZZ_SECONDS (60), one at a
#      time at a lower priority (build-aux/fuzz.sh; built with clang while
#      step 1 runs).
# Each prints its own summary line and time; the last line counts everything,
# the main suite included: "N passed, M failed".
#   test-stage2.sh SOURCE_DIR BUILD_DIR MAIN_SUITE_LOG
# Runs with DISPLAY and BUS_CONFIG (the tests' session bus config) from dev.sh.
set -uo pipefail

top=$1
build=$2
main_log=$3
asan_build="${JUICE_ASAN_BUILD_DIR:-${build}-asan}"
fuzz_seconds="${JUICE_FUZZ_SECONDS:-60}"
asan_time_scale="${JUICE_ASAN_TIME_SCALE:-4}"
jobs=$(nproc 2>/dev/null || echo 2)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

total_ok=0
total_fail=0
status=0

# Adds a meson log's counts to the totals and sets counts to "N passed,
# M failed" (no subshell: the totals must survive).
count_meson() {
  local ok fail timeout unexpected
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  unexpected=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$1" | tail -n1)
  # No summary at all (the build failed): one failure.
  if [ -z "$ok" ] && [ -z "$fail" ]; then
    fail=1
  fi
  fail=$(( ${fail:-0} + ${timeout:-0} + ${unexpected:-0} ))
  total_ok=$(( total_ok + ${ok:-0} ))
  total_fail=$(( total_fail + fail ))
  [ "$fail" -eq 0 ] || status=1
  counts="${ok:-0} passed, $fail failed"
}

run_session() {
  dbus-run-session --config-file="$BUS_CONFIG" -- "$top/build-aux/test-session.sh" "$@"
}

# Prints "NAME RESULT" for each test of a meson testlog.json, where RESULT is
# meson's, or LEAK_ONLY for a failure whose only report is a leak (its own,
# or a child's it then failed on), or TRACER_CRASH for one whose only
# report is LeakSanitizer's own crash ("Tracer caught signal 11 ...
# LeakSanitizer has encountered a fatal error": the thread that stops the
# others to look for leaks crashed; once at test-ctl-live's exit here).
sanitizer_results() {
  python3 - "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    test = json.loads(line)
    out = (test.get('stdout') or '') + (test.get('stderr') or '')
    result = test['result']
    if result != 'OK' and not any(s in out for s in ('ERROR: AddressSanitizer', 'runtime error')):
        if 'LeakSanitizer: detected memory leaks' in out:
            result = 'LEAK_ONLY'
        elif 'LeakSanitizer has encountered a fatal error' in out:
            result = 'TRACER_CRASH'
    print(test['name'].split(' / ')[-1], result)
EOF
}

# asan_session LOG "MESON OPTIONS" TEST...: runs TESTs of the ASan build and
# keeps their results in LOG.results. A test that met LeakSanitizer's own
# crash runs once more and that second result counts: the crash found
# nothing, it kept the leak check from running.
asan_session() {
  local log=$1 options=$2 crashed
  shift 2
  # shellcheck disable=SC2086
  run_session "$asan_build" --no-rebuild $options "$@" 2>&1 | tee "$log"
  sanitizer_results "$asan_build/meson-logs/testlog.json" >"$log.results"
  crashed=$(sed -n 's/^\([^ ]*\) TRACER_CRASH$/\1/p' "$log.results")
  if [ -n "$crashed" ]; then
    log "Once more after LeakSanitizer's own crash: $crashed"
    # shellcheck disable=SC2086
    run_session "$asan_build" --no-rebuild $options $crashed 2>&1 | tee "$log.again"
    sanitizer_results "$asan_build/meson-logs/testlog.json" >"$log.again.results"
    awk 'NR == FNR { again[$1] = $2; next }
         { print $1, ($1 in again ? again[$1] " (once more after LeakSanitizer crashed)" : $2) }' \
      "$log.again.results" "$log.results" >"$log.merged" && mv "$log.merged" "$log.results"
  fi
}

# Adds a results file's counts to the totals, leaving out the tests named in
# SKIP (run again elsewhere), and sets counts to "N passed, M failed".
count_results() {
  local file=$1 skip=${2:-} ok fail
  ok=$(awk -v skip=" $skip " 'index(skip, " " $1 " ") == 0 && ($2 == "OK" || $2 == "EXPECTEDFAIL")' "$file" | wc -l)
  fail=$(awk -v skip=" $skip " 'index(skip, " " $1 " ") == 0 && $2 != "OK" && $2 != "EXPECTEDFAIL" && $2 != "SKIP"' "$file" | wc -l)
  # No result at all (the build failed): one failure.
  [ -s "$file" ] || fail=1
  total_ok=$(( total_ok + ok ))
  total_fail=$(( total_fail + fail ))
  [ "$fail" -eq 0 ] || status=1
  counts="$ok passed, $fail failed"
  awk -v skip=" $skip " 'index(skip, " " $1 " ") == 0 && $2 != "OK" && $2 != "EXPECTEDFAIL" && $2 != "SKIP" { print "  failed: " $0 }' "$file" >&2
}

count_meson "$main_log"
main_counts=$counts
stage2_start=$(date +%s)

# Paho's TLS connections read OpenSSL's default trust file, every CA of the
# system: a million mallocs each, minutes per test under the slow unwinder or
# valgrind. The tests that connect most run with a system trust of one CA
# (SSL_CERT_FILE, SSL_CERT_DIR: what a user may set too; the brokers' CA comes
# as their ca-file, as always); the main suite keeps the system's whole
# trust (test-mqtt checks it).
one_ca="$build/one-system-ca.pem"
no_cas="$build/no-system-cas"
mkdir -p "$no_cas"
awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print } /-----END CERTIFICATE-----/ && n == 1 { exit }' \
  /etc/ssl/certs/ca-certificates.crt >"$one_ca" 2>/dev/null || true

# 1. ASan + UBSan ------------------------------------------------------------
start=$(date +%s)
mkdir -p "$asan_build"
asan_log="$asan_build/sanitizers-test-output.txt"
leak_only_tests=
if [ ! -f "$asan_build/build.ninja" ]; then
  log "Configuring $asan_build (ASan, UBSan)"
  meson setup "$asan_build" "$top" -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
log "Building $asan_build"
# Only what the unit and integration suites run (the UI is not built here):
# the test programs, juice-ctl, which test-ctl starts, and the compiled
# GSettings schema the tests read (GSETTINGS_SCHEMA_DIR).
asan_tests=$(meson test -C "$asan_build" --list --no-rebuild --suite unit --suite integration \
               2>/dev/null | sed -n 's|^[^ ]* / ||p')
# shellcheck disable=SC2086
if { ninja -C "$asan_build" build.ninja && ninja -C "$asan_build" data/gschemas.compiled &&
       meson compile -C "$asan_build" juice-ctl $asan_tests; } \
     >"$asan_build/sanitizers-build.txt" 2>&1; then
  # The fuzz targets (clang) build meanwhile: the sanitizer tests mostly wait
  # (for brokers, reconnects, timers) and their deadlines are stretched.
  log "Building the fuzz targets in the background"
  JUICE_FUZZ_BUILD_ONLY=1 nice -n 5 "$top/build-aux/fuzz.sh" "$top" 0 \
    >"$asan_build/fuzz-build-ahead.txt" 2>&1 &
  fuzz_build_pid=$!
  # halt_on_error: the first report fails the test; detect_leaks: LSan at
  # exit. The stack of every malloc is taken by the fast unwinder (frame
  # pointers): fast_unwind_on_malloc=0 made one TLS handshake (OpenSSL reading
  # /etc/ssl/certs) take 12 to 16 s here, past Paho's connect timeout. Its
  # stacks stop at the first library frame (GLib has no frame pointers), too
  # short to match a suppression in a library: the tests that need one
  # (tests/lsan.supp says why: the keyring's test, and those that run the
  # fake cloud's SoupServer) run apart with the slow unwinder, 14 frames deep
  # (enough for every suppression; the default 30 doubles the time). For a
  # leak's whole stack run a test with fast_unwind_on_malloc=0 by hand.
  # test-ctl, test-ctl-live and test-account run the fake cloud too, and
  # juice-ctl children or many MQTT connections: they run with the system
  # trust of one CA (above; 3 to over 6 minutes a test without).
  slow_unwind_tests="test-credentials test-cloud test-account"
  # Their deadlines inside stretch 8 times (JUICE_TEST_TIME_SCALE), meson's
  # limits only 3 times (test-account 30 min, test-ctl 15): they took at most
  # 107 s and 242 s here on a loaded machine, and a hang must not eat CI's
  # time (one in test-account's tear-down once waited forever).
  slow_timeout_multiplier=3
  ctl_tests="test-ctl test-ctl-live"
  # juice-ctl login leaves one of libsecret's object paths behind
  # (tests/lsan-ctl.supp says why that suppression is for those tests only).
  cat "$top/tests/lsan.supp" "$top/tests/lsan-ctl.supp" >"$asan_build/lsan-ctl.supp"
  asan_options="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1"
  # shellcheck disable=SC2086
  fast_tests=$(printf '%s\n' $asan_tests |
                 grep -vxF "$(printf '%s\n' $slow_unwind_tests $ctl_tests)")
  export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
  export G_SLICE=always-malloc JUICE_TEST_TIME_SCALE="$asan_time_scale"
  # shellcheck disable=SC2086
  ASAN_OPTIONS="$asan_options" \
    asan_session "$asan_log" "--timeout-multiplier $asan_time_scale --num-processes $jobs" $fast_tests
  # A test that failed with a leak report and no memory error or undefined
  # behaviour runs again with whole stacks, where a library's leak meets its
  # suppression and ours shows where it was made; the second run's result
  # counts. (The GIO modules GLib leaves behind in
  # g_io_modules_scan_all_in_directory_with_scope showed up so in some runs
  # and not in others: LeakSanitizer finds them or not by what stale pointers
  # happen to be left.)
  leak_only_tests=$(sed -n 's/^\([^ ]*\) LEAK_ONLY$/\1/p' "$asan_log.results" | tr '\n' ' ')
  # shellcheck disable=SC2086
  ASAN_OPTIONS="$asan_options:fast_unwind_on_malloc=0:malloc_context_size=14" \
  LSAN_OPTIONS="suppressions=$asan_build/lsan-ctl.supp:print_suppressions=0" \
  SSL_CERT_FILE="$one_ca" SSL_CERT_DIR="$no_cas" \
  JUICE_TEST_TIME_SCALE=$(( asan_time_scale * 2 )) \
    asan_session "$asan_log.ctl" "--timeout-multiplier $slow_timeout_multiplier --num-processes $jobs" \
      $ctl_tests
  # The slow unwinder doubles the time again (test-cloud's attempts of
  # 4 × 300 ms missed their TLS handshake on a loaded machine).
  # shellcheck disable=SC2086
  ASAN_OPTIONS="$asan_options:fast_unwind_on_malloc=0:malloc_context_size=14" \
  SSL_CERT_FILE="$one_ca" SSL_CERT_DIR="$no_cas" \
  JUICE_TEST_TIME_SCALE=$(( asan_time_scale * 2 )) \
    asan_session "$asan_log.slow-unwind" \
      "--timeout-multiplier $slow_timeout_multiplier --num-processes $jobs" \
      $slow_unwind_tests $leak_only_tests
  unset LSAN_OPTIONS UBSAN_OPTIONS G_SLICE JUICE_TEST_TIME_SCALE
else
  tail -n 40 "$asan_build/sanitizers-build.txt"
  : >"$asan_log.results"
  : >"$asan_log.ctl.results"
  : >"$asan_log.slow-unwind.results"
fi
# Those that run again with whole stacks count there.
count_results "$asan_log.results" "${leak_only_tests:-}"
asan_counts=$counts
[ -n "${leak_only_tests// /}" ] && asan_counts="$asan_counts (${leak_only_tests% } again below)"
count_results "$asan_log.ctl.results"
asan_counts="$asan_counts; juice-ctl's ($ctl_tests): $counts"
count_results "$asan_log.slow-unwind.results"
asan_counts="$asan_counts; with whole stacks ($slow_unwind_tests ${leak_only_tests% }): $counts"
asan_time=$(( $(date +%s) - start ))

# 2. valgrind, 3. fuzzing side by side ------------------------------------------
# The fuzzers run for a fixed time each, one at a time and at a lower
# priority: the tests under valgrind keep their pace, the fuzzers get what
# CPU is left (fewer inputs, the same time). Side by side, the two take the
# time of the longer instead of the sum (about 7 minutes each here).
start=$(date +%s)
# The build started during step 1 (fuzz.sh builds what is left, if it failed).
[ -z "${fuzz_build_pid:-}" ] || wait "$fuzz_build_pid"
fuzz_log="$build/meson-logs/fuzz-output.txt"
log "Fuzzing, ${fuzz_seconds} s a target, beside the valgrind run"
JUICE_FUZZ_JOBS=1 JUICE_FUZZ_REPLAY_DIR="$build/tests/fuzz" \
  nice -n 10 "$top/build-aux/fuzz.sh" "$top" "$fuzz_seconds" >"$fuzz_log" 2>&1 &
fuzz_pid=$!

valgrind_log="$build/meson-logs/valgrind-test-output.txt"
# The unit suite (the fuzz targets' corpora included) and the integration
# suite, juice-ctl's children traced too, but for test-ctl's (tests/
# meson.build says why); the tests' deadlines stretch 10 times. Not the
# history's unit tests: test-history-crash (it kills and restarts its own
# children) took 400 s under valgrind here, test-history over 9 minutes
# (SQLite on a writer thread); the ASan run covers them, and
# test-history-ctl, in the integration suite, writes and reads a history
# database under valgrind.
valgrind_tests=$(meson test -C "$build" --list --no-rebuild --suite unit --suite integration \
                   2>/dev/null | sed -n 's|^[^ ]* / ||p' |
                   grep -vx -e test-history-crash -e test-history -e test-ctl)
log "Under valgrind: $(echo $valgrind_tests)"
# shellcheck disable=SC2086
SSL_CERT_FILE="$one_ca" SSL_CERT_DIR="$no_cas" \
  run_session "$build" --no-rebuild --setup valgrind --num-processes "$jobs" $valgrind_tests 2>&1 |
  tee "$valgrind_log"
count_meson "$valgrind_log"
valgrind_counts=$counts
log "Under valgrind, its children not: test-ctl"
SSL_CERT_FILE="$one_ca" SSL_CERT_DIR="$no_cas" \
  run_session "$build" --no-rebuild --setup valgrindalone test-ctl 2>&1 |
  tee "$valgrind_log.ctl"
count_meson "$valgrind_log.ctl"
valgrind_counts="$valgrind_counts; test-ctl, its children not traced: $counts"
valgrind_time=$(( $(date +%s) - start ))

wait "$fuzz_pid"
cat "$fuzz_log"
fuzz_ok=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' "$fuzz_log" | tail -n1)
fuzz_fail=$(sed -n 's/^fuzz: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$fuzz_log" | tail -n1)
[ -n "$fuzz_ok$fuzz_fail" ] || fuzz_fail=1
total_ok=$(( total_ok + ${fuzz_ok:-0} ))
total_fail=$(( total_fail + ${fuzz_fail:-0} ))
[ "${fuzz_fail:-0}" -eq 0 ] || status=1
fuzz_time=$(( $(date +%s) - start ))

echo
echo "main suite: $main_counts (time above)"
echo "sanitizers (ASan+UBSan, unit+integration): $asan_counts in ${asan_time} s"
echo "valgrind (unit, integration): $valgrind_counts in ${valgrind_time} s"
echo "fuzzing (${fuzz_seconds} s each, beside valgrind): ${fuzz_ok:-0} passed, ${fuzz_fail:-0} failed in ${fuzz_time} s"
echo "second stage: $(( $(date +%s) - stage2_start )) s"
echo "$total_ok passed, $total_fail failed"
# The totals decide (a leak-only failure that passed with whole stacks does
# not count).
[ "$total_fail" -eq 0 ]

#!/usr/bin/env bash
# Runs every test: installs what is missing, checks the style, configures, builds, runs ctest, and
# runs the deep checks (clang-tidy on core/, ASan+UBSan over the unit and integration suites, TSan
# over the concurrency tests, 30 s of every libFuzzer target; see scripts/deep-checks.sh).
# Exits non-zero on any failure. Usage: scripts/test.sh [preset]   (default: release)
# AZKV_TEST_DEEP=0 skips the deep checks (a quicker local run; CI always runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
jobs="$(nproc 2>/dev/null || echo 2)"

step() { printf '\n==> %s\n' "$*"; }

step "bootstrap: Debian packages"
bash scripts/bootstrap.sh

step "style: clang-format"
bash scripts/check-format.sh

step "configure ($preset)"
cmake --preset "$preset" >/dev/null

step "build ($preset)"
cmake --build --preset "$preset" -j "$jobs"

deep_pid=
deep_logs="build/deep-checks"
if [ "${AZKV_TEST_DEEP:-1}" = 1 ]; then
    step "deep checks: started in the background at low priority (logs in $deep_logs/)"
    rm -rf "$deep_logs" && mkdir -p "$deep_logs"
    AZKV_TIDY_BUILD="build/$preset" nice -n 19 bash scripts/deep-checks.sh "$deep_logs" >"$deep_logs/summary.txt" 2>&1 &
    deep_pid=$!
fi

step "test ($preset)"
# Each integration test starts its own emulator on ephemeral ports, so tests can run in parallel.
test_rc=0
ctest --preset "$preset" -j "$jobs" --timeout 600 || test_rc=$?

deep_rc=0
if [ -n "$deep_pid" ]; then
    step "deep checks: waiting for clang-tidy, ASan+UBSan, TSan and fuzzing"
    wait "$deep_pid" || deep_rc=$?
    cat "$deep_logs/summary.txt"
    for log in "$deep_logs"/*.log; do
        stage="$(basename "$log" .log)"
        if grep -q "^deep-checks: $stage .*FAILED" "$deep_logs/summary.txt"; then
            printf '\n--- %s (last 150 lines) ---\n' "$log"
            tail -n 150 "$log"
        fi
    done
else
    echo "test: deep checks skipped (AZKV_TEST_DEEP=0)"
fi

if [ "$test_rc" != 0 ] || [ "$deep_rc" != 0 ]; then
    echo "test: FAILED (ctest exit $test_rc, deep checks exit $deep_rc)"
    exit 1
fi
echo "test: all passed"

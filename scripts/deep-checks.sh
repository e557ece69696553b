#!/usr/bin/env bash
# The slow checks that need their own builds: clang-tidy on core/, ASan+UBSan over the unit and
# integration suites, 30 s of every libFuzzer target (same build), TSan over the concurrency tests.
# Usage: scripts/deep-checks.sh [log-dir]   (default build/deep-checks)
#
# Every stage runs even when an earlier one failed, so one run reports everything; each stage's
# output goes to LOG-DIR/STAGE.log and the exit status is non-zero if any stage failed.
# scripts/test.sh runs this at low priority while ctest runs: most of ctest's wall time is spent
# waiting on timers (token lifetimes, retry back-off), and these builds fill that idle CPU.
set -uo pipefail
cd "$(dirname "$0")/.."
logs="${1:-build/deep-checks}"
mkdir -p "$logs"

stages=(tidy asan fuzz tsan)
run_stage() {
    case "$1" in
    tidy) bash scripts/check-tidy.sh "${AZKV_TIDY_BUILD:-build/release}" ;;
    asan) bash scripts/sanitizers.sh asan ;;
    tsan) bash scripts/sanitizers.sh tsan ;;
    fuzz) AZKV_FUZZ_SECONDS=30 bash scripts/sanitizers.sh fuzz ;;
    esac
}

failed=()
for stage in "${stages[@]}"; do
    start=$SECONDS
    if run_stage "$stage" >"$logs/$stage.log" 2>&1; then
        result=passed
    else
        result=FAILED
        failed+=("$stage")
    fi
    printf 'deep-checks: %-5s %s in %d s (log: %s)\n' "$stage" "$result" \
        $((SECONDS - start)) "$logs/$stage.log"
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "deep-checks: failed: ${failed[*]}"
    exit 1
fi
echo "deep-checks: all ${#stages[@]} stages passed"

#!/usr/bin/env bash
# Runs the sanitizer suites: scripts/sanitizers.sh asan|fuzz|tsan
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer (clang) over the unit and integration
#         suites (core and its tests against the emulator), where memory errors in parsers and
#         the transport would show.
#   fuzz: every libFuzzer target of the same build for AZKV_FUZZ_SECONDS (default 30) each. The
#         asan build's core is instrumented for coverage, so both stages share one compile.
#   tsan: ThreadSanitizer over the tests labelled `concurrency` (many threads on one module or
#         provider, fork), where a data race would show.
# Only the targets those suites need are built, which keeps CI within its time budget.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitizers.sh asan|fuzz|tsan}"
jobs="$(nproc 2>/dev/null || echo 2)"

# The emulator is not what is under test here: reuse the release build's (scripts/test.sh builds
# it first) rather than build an instrumented one.
emulator="$PWD/build/release/emulator/azkv-emulator"
if [ ! -x "$emulator" ]; then
    cmake --preset release >/dev/null
    cmake --build build/release -j "$jobs" --target azkv-emulator
fi
export AZKV_TEST_EMULATOR="$emulator"

preset="$kind"
configure=()
case "$kind" in
asan)
    targets=(azkv_unit_tests azkv_integration_tests)
    select=(-L '^(unit|integration)$' -LE '^(emulator|pkcs11|provider|compat|e2e|bench|cli|faults|security|fuzz-replay)$')
    # The emulator and libcurl keep process-lifetime allocations that are not leaks of ours.
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
fuzz)
    preset=asan
    configure=(-DAZKV_FUZZ_SECONDS="${AZKV_FUZZ_SECONDS:-30}")
    targets=(azkv_fuzzers)
    select=(-L '^fuzz$')
    ;;
tsan)
    targets=(azkv-pkcs11 azkv_provider azkv_pkcs11_module_tests azkv_provider_driver)
    select=(-L 'concurrency')
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
    ;;
*)
    echo "sanitizers: unknown kind \"$kind\" (asan, fuzz or tsan)" >&2
    exit 2
    ;;
esac

cmake --preset "$preset" -DAZKV_EXTERNAL_EMULATOR="$emulator" "${configure[@]}" >/dev/null
cmake --build "build/$preset" -j "$jobs" --target "${targets[@]}"
ctest --test-dir "build/$preset" "${select[@]}" -j "$jobs" --timeout 600 --output-on-failure

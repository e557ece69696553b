#!/usr/bin/env bash
# Runs the sanitizer suites: scripts/sanitizers.sh asan|tsan
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer over the unit and integration suites
#         (core, the emulator and their tests), where memory errors in parsers and the
#         transport would show.
#   tsan: ThreadSanitizer over the tests labelled `concurrency` (many threads on one module or
#         provider, fork), where a data race would show.
# Only the targets those suites need are built, which keeps CI within its time budget.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitizers.sh asan|tsan}"
jobs="$(nproc 2>/dev/null || echo 2)"

# The emulator is not what is under test here: reuse the release build's (scripts/test.sh builds
# it first) rather than build an instrumented one.
emulator="$PWD/build/release/emulator/azkv-emulator"
if [ ! -x "$emulator" ]; then
    cmake --preset release >/dev/null
    cmake --build build/release -j "$jobs" --target azkv-emulator
fi
export AZKV_TEST_EMULATOR="$emulator"

case "$kind" in
asan)
    targets=(azkv_unit_tests azkv_integration_tests)
    select=(-L '^(unit|integration)$' -LE '^(emulator|pkcs11|provider|compat|e2e|bench|cli|faults|security|fuzz-replay)$')
    # The emulator and libcurl keep process-lifetime allocations that are not leaks of ours.
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
tsan)
    targets=(azkv-pkcs11 azkv_provider azkv_pkcs11_module_tests azkv_provider_driver)
    select=(-L 'concurrency')
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
    ;;
*)
    echo "sanitizers: unknown kind \"$kind\" (asan or tsan)" >&2
    exit 2
    ;;
esac

cmake --preset "$kind" -DAZKV_EXTERNAL_EMULATOR="$emulator" >/dev/null
cmake --build "build/$kind" -j "$jobs" --target "${targets[@]}"
ctest --test-dir "build/$kind" "${select[@]}" -j "$jobs" --timeout 600 --output-on-failure

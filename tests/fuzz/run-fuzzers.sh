#!/bin/sh
# run-fuzzers.sh [SECONDS] [TARGET...]
# Builds the libFuzzer targets with clang (ASan + UBSan) in build/fuzz and runs each for
# SECONDS (default 30) over the committed corpus. Crashes are written to
# build/fuzz/tests/fuzz/artifacts/TARGET/; a crash makes the script fail.
set -eu
seconds=${1:-30}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${AZKV_FUZZ_BUILD_DIR:-$root/build/fuzz}
jobs=${AZKV_FUZZ_JOBS:-2}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAZKV_FUZZ=ON -DAZKV_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" --target azkv_fuzzers -j"$jobs"

if [ $# -gt 0 ]; then
    regex=$(printf 'fuzz\\.(%s)$' "$(echo "$@" | tr ' ' '|')")
else
    regex='^fuzz\.'
fi
cd "$build" && ctest -L '^fuzz$' -R "$regex" -j"$jobs" --output-on-failure

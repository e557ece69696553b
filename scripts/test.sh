#!/usr/bin/env bash
# Runs every test: installs what is missing, configures, builds, checks the style, runs ctest.
# Exits non-zero on any failure. Usage: scripts/test.sh [preset]   (default: release)
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

step "lint: clang-tidy on core/"
bash scripts/check-tidy.sh "build/$preset"

step "build ($preset)"
cmake --build --preset "$preset" -j "$jobs"

step "test ($preset)"
# Each integration test starts its own emulator on ephemeral ports, so tests can run in parallel.
ctest --preset "$preset" -j "$jobs" --timeout 300

#!/usr/bin/env bash
# clang-tidy over core/ (the shared library must stay clean). Needs a configured build dir with
# compile_commands.json: scripts/check-tidy.sh [build-dir]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
if [ ! -f "$build/compile_commands.json" ]; then
    echo "check-tidy: no $build/compile_commands.json; configure first (cmake --preset release)" >&2
    exit 1
fi
mapfile -t files < <(git ls-files -- 'core/src/*.cpp')
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null
echo "check-tidy: ${#files[@]} core files clean"

#!/usr/bin/env bash
# Fails if any C++ file of ours differs from what clang-format (with the root .clang-format)
# would write. Fix with: scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' '*.hpp' 2>/dev/null)
if [ "${#files[@]}" -eq 0 ]; then
    echo "check-format: no files"
    exit 0
fi
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    echo "check-format: formatted ${#files[@]} files"
    exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/azkv-format.$$; then
    grep -E '^[^ ].*: (error|warning):' /tmp/azkv-format.$$ | cut -d: -f1 | sort -u | sed 's/^/  needs formatting: /'
    rm -f /tmp/azkv-format.$$
    echo "check-format: run scripts/check-format.sh --fix" >&2
    exit 1
fi
rm -f /tmp/azkv-format.$$
echo "check-format: ${#files[@]} files clean"

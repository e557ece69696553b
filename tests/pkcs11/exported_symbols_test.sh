#!/bin/bash
# The module exports exactly the Cryptoki entry points of function_names.def, and imports no
# C_* symbol (which would bind to another module, e.g. libp11-kit's C_GetInterface).
# Usage: exported_symbols_test.sh MODULE FUNCTION_NAMES_DEF
set -euo pipefail
module="$1"
expected=$(grep -oE '^AZKV_P11_FN(_30)?\(C_[A-Za-z]+\)' "$2" | sed -E 's/.*\((C_[A-Za-z]+)\)/\1/' | sort)
exported=$(nm -D --defined-only "$module" | awk '{print $3}' | sed 's/@.*//' | sort)
if [ "$expected" != "$exported" ]; then
    echo "FAIL: exported symbols differ from the entry-point table:" >&2
    diff <(echo "$expected") <(echo "$exported") >&2 || true
    exit 1
fi
if nm -D -u "$module" | awk '{print $2}' | grep -E '^C_' >&2; then
    echo "FAIL: the module imports C_* symbols" >&2
    exit 1
fi
# Imports come only from the C/C++ runtime, OpenSSL and libcurl.
bad=$(nm -D -u "$module" | awk '{print $2}' | grep -vE '@(GLIBC|GLIBCXX|CXXABI|GCC|OPENSSL|CURL)_' |
    grep -vE '^(_ITM_|__gmon_start__|_Jv_|__cxa_finalize)' || true)
[ -z "$bad" ] || { echo "FAIL: unexpected imports: $bad" >&2; exit 1; }
echo "OK: $(echo "$exported" | wc -l) exported entry points, no stray imports"

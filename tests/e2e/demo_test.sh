#!/bin/bash
# scripts/demo.sh against this build: all seven steps run, the page is fetched with TLS
# verification, the vault made exactly one signature per full handshake, and it finishes in
# under 60 s.
#   demo_test.sh BUILD_DIR SOURCE_DIR
command -v nginx >/dev/null || { echo "SKIP: nginx is not installed"; exit 77; }
set -euo pipefail
OUT="$(mktemp /tmp/azkv-demo-test.XXXXXX)"
trap 'rm -f "$OUT"' EXIT
start=$(date +%s)
AZKV_BUILD_DIR="$1" bash "$2/scripts/demo.sh" >"$OUT" 2>&1 || { cat "$OUT" >&2; echo "FAIL: demo.sh failed" >&2; exit 1; }
elapsed=$(($(date +%s) - start))
failures=0
for n in 1 2 3 4 5 6 7; do
    grep -q "^.\[1m$n\. " "$OUT" || { echo "FAIL: step $n missing" >&2; failures=$((failures + 1)); }
done
grep -q "Hello from nginx" "$OUT" || { echo "FAIL: no page fetched" >&2; failures=$((failures + 1)); }
grep -q -- "-> 6 signatures made in the vault" "$OUT" ||
    { echo "FAIL: not one signature per full handshake" >&2; failures=$((failures + 1)); }
grep -q "token label *: demo" "$OUT" || { echo "FAIL: pkcs11-tool showed no token" >&2; failures=$((failures + 1)); }
[ "$elapsed" -lt 60 ] || { echo "FAIL: the demo took ${elapsed}s (limit 60 s)" >&2; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || { cat "$OUT" >&2; exit 1; }
echo "PASS: the demo ran its seven steps in ${elapsed}s"

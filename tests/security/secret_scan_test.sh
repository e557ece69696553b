#!/bin/sh
# secret_scan_test.sh TEST_BINARY...
# Runs each gtest binary with AZKV_LOG_LEVEL=trace and scans everything it printed (azkv's log
# lines, error messages, gtest failure output) for secrets. The emulator marks its secrets so
# that they can be found: tokens are JWTs ("eyJ" header) carrying "AzKvEmUtOkEn", and identity
# headers and Arc secrets start with "AzKvEmUsEcReT".
set -u
out=$(mktemp -d /tmp/azkv-secret-scan.XXXXXX)
trap 'rm -rf "$out"' EXIT
status=0
n=0
for bin in "$@"; do
    n=$((n + 1))
    log="$out/run-$n.log"
    # Test failures are other suites' business; this test is about what was printed.
    AZKV_LOG_LEVEL=trace "$bin" --gtest_brief=0 >"$log" 2>&1 || true
    lines=$(wc -l <"$log")
    traces=$(grep -c 'azkv\[' "$log" || true)
    echo "$(basename "$bin"): $lines lines of output, $traces are azkv log lines"
    if [ "$traces" -eq 0 ]; then
        echo "FAIL: $(basename "$bin") printed nothing from azkv: the scan would prove nothing"
        status=1
    fi
    for marker in AzKvEmUtOkEn AzKvEmUsEcReT 'eyJ[A-Za-z0-9_-]\{8,\}\.'; do
        if grep -n -e "$marker" "$log" | head -5 | grep .; then
            echo "FAIL: $(basename "$bin") printed a secret (pattern $marker)"
            status=1
        fi
    done
done
exit $status

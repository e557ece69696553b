#!/bin/bash
# azkv doctor against an emulator whose clock runs 15 minutes ahead and whose RBAC lets the
# identity read keys but not sign: both diagnoses, each with its fix.
#   doctor_rbac_test.sh BUILD_DIR SOURCE_DIR
RBAC="$(mktemp /tmp/azkv-cli-rbac.XXXXXX.json)"
cat >"$RBAC" <<'JSON'
{"assignments":[{"identity":"*","vault":"*","key":"*","actions":["get","list","create","decrypt","unwrapKey","wrapKey"]}]}
JSON
source "$(dirname "$0")/cli-env.sh" "$1" "$2" --rbac "$RBAC" --clock-skew-s 900
rm -f "$RBAC"
"$AZKV" key create --vault demo --name signer --kty RSA-HSM >/dev/null

"$AZKV" doctor --key azkv:demo/signer >report.txt 2>&1
RC=$?
check "exit code is the first failure's (clock: 5)" test "$RC" = 5
check "clock skew diagnosed" grep -qE "\[FAIL\] vault demo clock: this host's clock is 9[0-9][0-9] s behind" report.txt
check "  fix: synchronise the clock" grep -q "fix: synchronise the clock" report.txt
check "RBAC denies sign" grep -qE "\[FAIL\] key azkv:demo/signer sign: denied: .*ForbiddenByRbac" report.txt
check "  fix names the role" grep -q "fix: assign the 'Key Vault Crypto User' role" report.txt
check "decrypt and unwrap still work" bash -c "grep -q 'signer decrypt: works' report.txt && grep -q 'signer unwrapKey: works' report.txt"
cat report.txt
finish

#!/bin/bash
# OpenSC's own self-test (`pkcs11-tool --test`) on a token holding an RSA and an EC key.
# Usage: pkcs11_tool_selftest_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

p11_key demo rsakey '{"kty":"RSA-HSM","key_size":2048}' >/dev/null
p11_key demo eckey '{"kty":"EC-HSM","crv":"P-256"}' >/dev/null
p11_reset_stats
pkcs11-tool --module "$MODULE" --slot 0 --test >selftest.txt 2>&1 ||
    { cat selftest.txt >&2; fail "pkcs11-tool --test"; }
grep -q "^No errors$" selftest.txt || { cat selftest.txt >&2; fail "pkcs11-tool --test reported errors"; }
grep -q "SHA256-RSA-PKCS: OK" selftest.txt || fail "--test did not sign with the RSA key"
[ "$(p11_op_count sign)" -ge 1 ] || fail "--test made no remote sign"
[ "$(p11_op_count decrypt)" -ge 1 ] || fail "--test made no remote decrypt"
echo "OK: pkcs11-tool --test"

#!/bin/bash
# GnuTLS p11tool against the module: --list-all shows every key's private and public object,
# --export-pubkey gives exactly the vault's public key (compared with the emulator's JWK), and
# --test-sign signs in the vault and verifies for an RSA and an EC key.
# Usage: p11tool_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

RID=$(p11_key demo rsakey '{"kty":"RSA-HSM","key_size":2048}')
EID=$(p11_key demo eckey '{"kty":"EC-HSM","crv":"P-256"}')

p11tool --provider "$MODULE" --list-all "pkcs11:token=demo" >list.txt || fail "p11tool --list-all"
for k in rsakey eckey; do
    for t in private public; do
        grep -q "token=demo;id=.*;object=$k;type=$t\$" list.txt || fail "--list-all lacks the $t $k"
    done
done
grep -q "Type: Private key (RSA-2048)" list.txt || fail "--list-all: RSA key type"
grep -q "Type: Private key (EC/ECDSA-SECP256R1)" list.txt || fail "--list-all: EC key type"

p11_vault_pubkey demo demo rsakey "$RID" rsa.pem
p11_vault_pubkey demo demo eckey "$EID" ec.pem 65

for k in rsakey eckey; do
    p11_reset_stats
    p11tool --provider "$MODULE" --test-sign "pkcs11:token=demo;object=$k;type=private" >sign.txt 2>&1 ||
        { cat sign.txt >&2; fail "p11tool --test-sign $k"; }
    [ "$(grep -c '\.\.\. ok$' sign.txt)" = 3 ] || { cat sign.txt >&2; fail "--test-sign $k: checks"; }
    [ "$(p11_op_count sign)" -ge 1 ] || fail "--test-sign $k did not sign in the vault"
done
echo "OK: p11tool list-all, export-pubkey (= vault JWK) and test-sign for RSA and EC"

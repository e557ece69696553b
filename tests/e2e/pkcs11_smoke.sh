#!/bin/bash
# pkcs11-tool through a given libazkv-pkcs11.so (the deb test passes the installed one): the
# tokens and objects are listed, and an ECDSA and an RSA signature made in the vault verify with
# the openssl CLI against the public key read through the module.
#   pkcs11_smoke.sh MODULE SOURCE_DIR      (E2E_EMULATOR: the azkv-emulator to run)
set -euo pipefail
MODULE="$1"
source "$2/tests/support/emulator-env.sh"
emu_start "$E2E_EMULATOR"
cd "$EMU_DIR"
p11() { pkcs11-tool --module "$MODULE" "$@"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

p11 -L >slots.txt 2>&1 || { cat slots.txt >&2; fail "pkcs11-tool -L"; }
grep -q "token label *: demo" slots.txt && grep -q "token label *: hsm" slots.txt ||
    { cat slots.txt >&2; fail "tokens demo and hsm not listed"; }
echo "PASS: pkcs11-tool lists the tokens demo and hsm"
echo "signed through the installed module" >data
for spec in 'smoke-ec {"kty":"EC-HSM","crv":"P-256"} ECDSA-SHA256' \
    'smoke-rsa {"kty":"RSA-HSM","key_size":2048} SHA256-RSA-PKCS'; do
    read -r name params mech <<<"$spec"
    id="$(emu_create_key demo "$name" "$params" | awk -F/ '{print $NF}')"
    p11 --token-label demo -O >objects.txt 2>&1 || fail "pkcs11-tool -O"
    grep -q "label: *$name" objects.txt || { cat objects.txt >&2; fail "$name not listed"; }
    p11 --token-label demo --sign --id "$id" -m "$mech" --signature-format openssl -i data -o "$name.sig" \
        >sign.log 2>&1 || { cat sign.log >&2; fail "pkcs11-tool --sign with $name"; }
    p11 --token-label demo --read-object --type pubkey --id "$id" -o "$name.pub.der" >/dev/null 2>&1 ||
        fail "pkcs11-tool --read-object $name"
    openssl pkey -pubin -inform DER -in "$name.pub.der" -out "$name.pub.pem"
    openssl dgst -sha256 -verify "$name.pub.pem" -signature "$name.sig" data >/dev/null ||
        fail "the $name signature does not verify"
    echo "PASS: $mech through the module verifies with openssl"
done
echo "all checks passed"

#!/bin/bash
# libp11's engine (libengine-pkcs11-openssl) with the openssl CLI, as nginx `ssl_engine pkcs11`
# uses it: RSA-2048 PKCS#1 v1.5 and PSS signatures and a P-256 ECDSA signature made through
# `-engine pkcs11 -keyform engine`, each verified by plain openssl (no engine) with the public
# key exported through the module and checked against the vault's JWK; RSA decryption (PKCS#1
# v1.5 and OAEP) of ciphertexts made by plain openssl. Every private operation must reach the
# vault (the emulator's counters).
# Usage: libp11_engine_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

ENGINE_SO=$(find /usr/lib -name pkcs11.so -path '*engines-3*' 2>/dev/null | head -1)
if [ -z "$ENGINE_SO" ]; then
    echo "SKIP: libp11's engine (libengine-pkcs11-openssl) is not installed"
    exit 77
fi
export PKCS11_MODULE_PATH="$MODULE"

RID=$(p11_key demo rsakey '{"kty":"RSA-HSM","key_size":2048}')
EID=$(p11_key demo eckey '{"kty":"EC-HSM","crv":"P-256"}')
p11_vault_pubkey demo demo rsakey "$RID" rsa.pem
p11_vault_pubkey demo demo eckey "$EID" ec.pem 65

printf 'libp11 engine test data' | openssl dgst -sha256 -binary >dgst
printf 'other data' | openssl dgst -sha256 -binary >other

# engine_op NAME URI OPENSSL-ARGS...: one pkeyutl run through the engine, one remote operation.
engine_op() {
    local name="$1" uri="$2" op="$3"
    shift 3
    p11_reset_stats
    # A bounded run: a module that fails under the engine must fail the test, not hang it.
    timeout 60 openssl pkeyutl -engine pkcs11 -keyform engine -inkey "$uri" "$@" >"$name.log" 2>&1 ||
        { cat "$name.log" >&2; fail "$name through the engine"; }
    [ "$(p11_op_count "$op")" = 1 ] || fail "$name: expected exactly one remote $op"
}

# check_sig NAME PUBKEY SIG VERIFY-ARGS...: verified by plain openssl, and not for other data.
check_sig() {
    local name="$1" pub="$2" sig="$3"
    shift 3
    openssl pkeyutl -verify -pubin -inkey "$pub" -in dgst -sigfile "$sig" "$@" >/dev/null ||
        fail "$name: openssl does not verify the signature"
    if openssl pkeyutl -verify -pubin -inkey "$pub" -in other -sigfile "$sig" "$@" >/dev/null 2>&1; then
        fail "$name: the signature also verifies for other data"
    fi
}

RSA_URI="pkcs11:token=demo;object=rsakey;type=private"
EC_URI="pkcs11:token=demo;object=eckey;type=private"

engine_op rsa-pkcs1 "$RSA_URI" sign -sign -in dgst -out rsa-pkcs1.sig -pkeyopt digest:sha256
check_sig rsa-pkcs1 rsa.pem rsa-pkcs1.sig -pkeyopt digest:sha256

PSS=(-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32 -pkeyopt digest:sha256
    -pkeyopt rsa_mgf1_md:sha256)
engine_op rsa-pss "$RSA_URI" sign -sign -in dgst -out rsa-pss.sig "${PSS[@]}"
check_sig rsa-pss rsa.pem rsa-pss.sig "${PSS[@]}"

engine_op ecdsa "$EC_URI" sign -sign -in dgst -out ec.sig
check_sig ecdsa ec.pem ec.sig
openssl asn1parse -inform DER -in ec.sig >/dev/null || fail "ecdsa: not a DER ECDSA-Sig-Value"

# The key found by its CKA_ID instead of its label.
PCT_ID=$(echo "$EID" | sed 's/../%&/g')
engine_op ecdsa-by-id "pkcs11:token=demo;id=$PCT_ID;type=private" sign -sign -in dgst -out ec2.sig
check_sig ecdsa-by-id ec.pem ec2.sig

head -c 32 /dev/urandom >secret
openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret -out v15.bin || fail "encrypt PKCS#1"
engine_op rsa-decrypt-pkcs1 "$RSA_URI" decrypt -decrypt -in v15.bin -out v15.out
cmp -s secret v15.out || fail "PKCS#1 v1.5 decryption through the engine gave other bytes"
openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret -out oaep.bin \
    -pkeyopt rsa_padding_mode:oaep || fail "encrypt OAEP"
engine_op rsa-decrypt-oaep "$RSA_URI" decrypt -decrypt -in oaep.bin -out oaep.out \
    -pkeyopt rsa_padding_mode:oaep
cmp -s secret oaep.out || fail "OAEP decryption through the engine gave other bytes"

echo "OK: libp11 engine: RSA PKCS#1 v1.5 + PSS and ECDSA P-256 signatures verified by openssl;" \
    "RSA PKCS#1 v1.5 and OAEP decryption"

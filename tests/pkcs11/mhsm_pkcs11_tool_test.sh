#!/bin/bash
# OpenSC pkcs11-tool (0.23) against the Managed HSM token, on an AES key the test makes and
# imports as a JWK, so `openssl enc` can check every result with the same key:
#   --encrypt/--decrypt with AES-CBC-PAD, both directions against openssl; 1023 bytes encrypt
#   to 1024, which pkcs11-tool decrypts through C_DecryptUpdate/C_DecryptFinal. (Larger inputs
#   do not work with pkcs11-tool 0.23 and a token that answers at Final: its C_EncryptFinal
#   buffer is 1 KiB and it does not retry after CKR_BUFFER_TOO_SMALL. The C++ tests cover
#   multi-part input up to the module's 64 KiB limit.)
#   --generate-random through the HSM's RNG (counted by the emulator);
#   -O/-M listings of the secret key and the AES mechanisms.
# AES-GCM (no --aad/--tag-bits-len, no IV read-back in 0.23) and key wrap of session keys
# (a session key does not outlive one pkcs11-tool process) are tested through the C ABI in
# azkv_pkcs11_mhsm_tests.
# Usage: mhsm_pkcs11_tool_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"
P11=(pkcs11-tool --module "$MODULE" --token-label hsm)

# mhsm_import NAME HEX_KEY -> prints the version id (= CKA_ID) of the imported oct-HSM key
mhsm_import() {
    local body
    body=$(python3 -c 'import base64,json,sys
k=base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).rstrip(b"=").decode()
print(json.dumps({"key":{"kty":"oct-HSM","k":k,"key_ops":["encrypt","decrypt","wrapKey","unwrapKey"]},"Hsm":True}))' "$2")
    curl -sf --cacert "$CA_FILE" -X PUT -H "Authorization: Bearer $(emu_token hsm)" \
        -H "Content-Type: application/json" -d "$body" "$HSM_URL/keys/$1?api-version=7.5" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["key"]["kid"].rsplit("/",1)[1])'
}

KEY_HEX=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ID=$(mhsm_import tde-master "$KEY_HEX")
[ ${#ID} = 32 ] || fail "import of the AES key failed"

"${P11[@]}" -O --type secrkey >objects.txt 2>&1 || fail "-O --type secrkey failed"
grep -q "Secret Key Object; AES length 32" objects.txt ||
    fail "-O lacks the 32-byte AES key: $(cat objects.txt)"
grep -q "label: *tde-master" objects.txt || fail "-O lacks the label"
"${P11[@]}" -M >mechs.txt
for m in AES-GCM AES-CBC-PAD AES-KEY-WRAP AES-KEY-GEN; do
    grep -q "$m" mechs.txt || fail "-M lacks $m"
done

checks=0
IV=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
for size in 1 100 1000 1023; do
    head -c $size /dev/urandom >plain
    "${P11[@]}" --encrypt --id "$ID" -m AES-CBC-PAD --iv "$IV" -i plain -o ct >/dev/null 2>&1 ||
        fail "pkcs11-tool --encrypt AES-CBC-PAD ($size bytes)"
    openssl enc -d -aes-256-cbc -K "$KEY_HEX" -iv "$IV" -in ct -out back ||
        fail "openssl cannot decrypt what the HSM encrypted ($size bytes)"
    cmp -s plain back || fail "round trip through openssl differs ($size bytes)"
    openssl enc -aes-256-cbc -K "$KEY_HEX" -iv "$IV" -in plain -out ct2
    cmp -s ct ct2 || fail "HSM ciphertext differs from openssl's ($size bytes)"
    "${P11[@]}" --decrypt --id "$ID" -m AES-CBC-PAD --iv "$IV" -i ct2 -o back2 >/dev/null 2>&1 ||
        fail "pkcs11-tool --decrypt AES-CBC-PAD ($size bytes)"
    cmp -s plain back2 || fail "HSM decryption of openssl's ciphertext differs ($size bytes)"
    checks=$((checks + 1))
done

p11_reset_stats
"${P11[@]}" --generate-random 300 -o random.bin >/dev/null 2>&1 || fail "--generate-random 300"
[ "$(stat -c %s random.bin)" = 300 ] || fail "--generate-random wrote $(stat -c %s random.bin) bytes"
[ "$(p11_op_count rng)" = 3 ] || fail "300 random bytes should be 3 HSM rng calls, got $(p11_op_count rng)"
"${P11[@]}" --generate-random 300 -o random2.bin >/dev/null 2>&1
cmp -s random.bin random2.bin && fail "two random outputs are equal"
echo "mhsm pkcs11-tool: $checks CBC-PAD sizes round-tripped with openssl, random via the HSM"

#!/bin/bash
# C_GenerateKeyPair and C_DestroyObject through pkcs11-tool: RSA-2048 and P-256 key pairs are
# created in the vault where "allow_create" is set (checked with the emulator's JWK, and the
# new RSA key signs through the module, verified by openssl); with "allow_create" false the
# token offers no key-pair mechanism and nothing is created. C_DestroyObject deletes the key where
# "allow_delete" is set and is CKR_ACTION_PROHIBITED (key kept) elsewhere.
# Usage: keygen_destroy_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

p11t() { pkcs11-tool --module "$MODULE" "$@"; }
jwk_field() { p11_jwk "$1" "$2" | python3 -c "import json,sys; k=json.load(sys.stdin); print($3)"; }
vault_has() { p11_jwk "$1" "$2" >/dev/null 2>&1; }

p11t --token-label demo --keypairgen --key-type rsa:2048 --label genrsa --usage-sign \
    >gen-rsa.txt 2>&1 || { cat gen-rsa.txt >&2; fail "RSA key pair generation"; }
[ "$(jwk_field demo genrsa 'k["kty"]')" = RSA-HSM ] || fail "genrsa is not RSA-HSM in the vault"
[ "$(jwk_field demo genrsa 'len(k["n"].rstrip("="))')" = 342 ] || fail "genrsa is not 2048 bits"
p11t --token-label demo --keypairgen --key-type EC:prime256v1 --label genec \
    >gen-ec.txt 2>&1 || { cat gen-ec.txt >&2; fail "EC key pair generation"; }
[ "$(jwk_field demo genec 'k["kty"] + " " + k["crv"]')" = "EC-HSM P-256" ] ||
    fail "genec is not an EC-HSM P-256 key in the vault"

# The generated RSA key signs in the vault; openssl verifies with the vault's public key.
RID=$(jwk_field demo genrsa 'k["kid"].rsplit("/", 1)[1]')
p11_vault_pubkey demo demo genrsa "$RID" genrsa.pem
printf 'keygen data' >data
p11t --token-label demo --sign --id "$RID" -m SHA256-RSA-PKCS -i data -o sig >/dev/null 2>&1 ||
    fail "sign with the generated key"
openssl dgst -sha256 -verify genrsa.pem -signature sig data >/dev/null || fail "openssl verify"

# allow_create false: refused (CKM_EC_KEY_PAIR_GEN is not offered), nothing created.
python3 - "$AZKV_CONFIG" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["vaults"][0]["allow_create"] = False
json.dump(c, open(sys.argv[1], "w"))
PY
if p11t --token-label demo --keypairgen --key-type EC:prime256v1 --label denied >denied.txt 2>&1; then
    fail "key generation succeeded without allow_create"
fi
# The token then does not offer the key-pair mechanisms at all, so pkcs11-tool stops there.
grep -q "0x1b\|CKR_ACTION_PROHIBITED\|mechanism 1040 not supported" denied.txt ||
    { cat denied.txt >&2; fail "not refused as prohibited / not offered"; }
vault_has demo denied && fail "a key was created without allow_create"

# C_DestroyObject: "hsm" has no allow_delete, "demo" has.
p11t --token-label hsm --keypairgen --key-type EC:prime256v1 --label hsmkey >/dev/null 2>&1 ||
    fail "EC key pair generation on the Managed HSM"
HID=$(jwk_field hsm hsmkey 'k["kid"].rsplit("/", 1)[1]')
if p11t --token-label hsm --delete-object --type privkey --id "$HID" >del-hsm.txt 2>&1; then
    fail "destroy succeeded without allow_delete"
fi
grep -q "0x1b\|CKR_ACTION_PROHIBITED" del-hsm.txt || { cat del-hsm.txt >&2; fail "not CKR_ACTION_PROHIBITED"; }
vault_has hsm hsmkey || fail "the key was deleted without allow_delete"
p11t --token-label demo --delete-object --type privkey --id "$RID" >del-demo.txt 2>&1 ||
    { cat del-demo.txt >&2; fail "destroy with allow_delete"; }
vault_has demo genrsa && fail "C_DestroyObject did not delete the key in the vault"

echo "OK: RSA and EC key generation in the vault, refused without allow_create," \
    "CKR_ACTION_PROHIBITED without allow_delete, C_DestroyObject deletes with allow_delete"

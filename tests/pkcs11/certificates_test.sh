#!/bin/bash
# Certificates through the module: a self-signed vault certificate and an imported one with a
# CA chain appear as CKO_CERTIFICATE objects (pkcs11-tool --list-objects --type cert, p11tool
# --list-all-certs); the DER read through the module equals what the emulator returns and what
# openssl made; the leaf's CKA_ID is its key version's (= the key objects' CKA_ID); the CA
# certificate (no key) is served as "NAME/chain1". With a key allowlist, a certificate is found
# by its label with one direct GET and no listing.
# Usage: certificates_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

TOKEN=$(emu_token demo)
vault_post() {
    curl -sf --cacert "$CA_FILE" -X POST -H "Authorization: Bearer $TOKEN" \
        -H "Content-Type: application/json" -d "$2" "$VAULT_URL$1?api-version=7.5"
}
vault_get() { curl -sf --cacert "$CA_FILE" -H "Authorization: Bearer $TOKEN" "$VAULT_URL$1?api-version=7.5"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# 1. A self-signed certificate made by the vault.
vault_post /certificates/selfcert/create '{"policy":{"key_props":{"kty":"RSA-HSM","key_size":2048},
  "x509_props":{"subject":"CN=selfcert.example"},"issuer":{"name":"Self"},
  "secret_props":{"contentType":"application/x-pem-file"}}}' >/dev/null || fail "create certificate"
vault_get /certificates/selfcert | json 'd["cer"]' | base64 -d >selfcert.vault.der
SELF_VER=$(vault_get /certificates/selfcert | json 'd["kid"].rsplit("/",1)[1]')

# 2. An imported certificate issued by our own CA (so the chain has a certificate with no key).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -subj "/CN=azkv test CA" -days 30 2>/dev/null || fail "make CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
    -subj "/CN=chained.example" 2>/dev/null || fail "make CSR"
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out leaf.pem \
    2>/dev/null || fail "issue leaf"
python3 -c 'import json,sys; print(json.dumps({"value": open("leaf.key").read() + open("leaf.pem").read()
  + open("ca.pem").read(), "policy": {"key_props": {"kty": "EC-HSM", "crv": "P-256"},
  "secret_props": {"contentType": "application/x-pem-file"}}}))' >import.json
vault_post /certificates/chained/import "$(cat import.json)" >/dev/null || fail "import certificate"
CHAIN_VER=$(vault_get /certificates/chained | json 'd["kid"].rsplit("/",1)[1]')
openssl x509 -in leaf.pem -outform DER -out leaf.der
openssl x509 -in ca.pem -outform DER -out ca.der

pkcs11-tool --module "$MODULE" --token-label demo --list-objects --type cert >certs.txt 2>&1 ||
    { cat certs.txt >&2; fail "pkcs11-tool --list-objects --type cert"; }
for label in selfcert chained chained/chain1; do
    grep -q "label: *$label\$" certs.txt || { cat certs.txt >&2; fail "no certificate $label"; }
done
[ "$(grep -c 'Certificate Object; type = X.509 cert' certs.txt)" = 3 ] ||
    { cat certs.txt >&2; fail "expected exactly 3 certificates"; }
grep -A3 "label: *selfcert\$" certs.txt | grep -qi "ID: *$SELF_VER" ||
    { cat certs.txt >&2; fail "selfcert's CKA_ID is not its key version $SELF_VER"; }
grep -A3 "label: *chained\$" certs.txt | grep -qi "ID: *$CHAIN_VER" ||
    fail "chained's CKA_ID is not its key version"
# The key objects carry the same CKA_ID as the certificate.
pkcs11-tool --module "$MODULE" --token-label demo --list-objects --type privkey >keys.txt 2>&1
grep -A3 "label: *selfcert\$" keys.txt | grep -qi "ID: *$SELF_VER" ||
    { cat keys.txt >&2; fail "selfcert's private key has another CKA_ID"; }

p11tool --provider "$MODULE" --list-all-certs "pkcs11:token=demo" >p11certs.txt 2>&1 ||
    { cat p11certs.txt >&2; fail "p11tool --list-all-certs"; }
for label in selfcert chained chained%2Fchain1; do
    grep -q "object=$label;type=cert" p11certs.txt || { cat p11certs.txt >&2; fail "p11tool lacks $label"; }
done

read_cert() { # LABEL-or-ID-ARGS... OUT
    local out="${*: -1}"
    pkcs11-tool --module "$MODULE" --token-label demo --read-object --type cert "${@:1:$#-1}" \
        -o "$out" >/dev/null 2>&1 || fail "pkcs11-tool --read-object ${*:1:$#-1}"
}
read_cert --id "$SELF_VER" selfcert.p11.der
cmp -s selfcert.p11.der selfcert.vault.der || fail "selfcert DER differs from the vault's cer"
openssl x509 -inform DER -in selfcert.p11.der -noout -subject | grep -q "CN *= *selfcert.example" ||
    fail "selfcert subject"
read_cert --id "$CHAIN_VER" chained.p11.der
cmp -s chained.p11.der leaf.der || fail "chained leaf DER differs from the imported leaf"
read_cert --label chained/chain1 ca.p11.der
cmp -s ca.p11.der ca.der || fail "the chain certificate differs from the CA certificate"
openssl verify -CAfile <(openssl x509 -inform DER -in ca.p11.der) \
    <(openssl x509 -inform DER -in chained.p11.der) >/dev/null || fail "chain does not verify"

# 3. Allowlist: a certificate found by label with a direct GET, never a listing.
python3 - "$AZKV_CONFIG" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["vaults"][0]["keys"] = ["selfcert"]
json.dump(c, open(sys.argv[1], "w"))
PY
p11_reset_stats
read_cert --label selfcert allow.der
cmp -s allow.der selfcert.vault.der || fail "allowlisted certificate DER"
[ "$(p11_op_count list_certificates)" = 0 ] || fail "a label search listed the certificates"
[ "$(p11_op_count get_certificate)" -ge 1 ] || fail "no direct GET of the certificate"

echo "OK: certificates listed by pkcs11-tool and p11tool, DER = vault/openssl, CKA_ID = key" \
    "version, chain certificate served, allowlist label lookup without listing"

#!/bin/bash
# Error paths shared by the commands: 403 from RBAC (naming the role to assign), 429 storms and
# 503s until the retry budget is spent, a wrong key type for the algorithm, bad input files.
# Each failure must exit with its documented code and name the vault, key, operation and cause.
#   errors_test.sh BUILD_DIR SOURCE_DIR
RBAC="$(mktemp /tmp/azkv-cli-rbac.XXXXXX.json)"
cat >"$RBAC" <<'JSON'
{"assignments":[
  {"identity":"*","vault":"*","key":"*","actions":["get","list","create","update","delete","verify","encrypt","wrapKey"]},
  {"identity":"*","vault":"demo","key":"signer","actions":["sign","decrypt","unwrapKey"]}]}
JSON
source "$(dirname "$0")/cli-env.sh" "$1" "$2" --rbac "$RBAC"
rm -f "$RBAC"
FAST="$(config_variant 'c["http"]["retry_budget_ms"]=1500')"

"$AZKV" key create --vault demo --name signer --kty RSA-HSM >/dev/null
"$AZKV" key create --vault demo --name other --kty RSA-HSM >/dev/null
"$AZKV" key create --vault demo --name eckey --kty EC-HSM >/dev/null
echo "payload" >data.txt

check "sign allowed by RBAC on signer" "$AZKV" sign azkv:demo/signer --alg RS256 --in data.txt --out sig.bin
check_exit 4 "RBAC 403 on sign: exit 4, names key, op and role" \
    "other.*sign.*ForbiddenByRbac.*Key Vault Crypto User" \
    "$AZKV" sign azkv:demo/other --alg RS256 --in data.txt
check_exit 4 "RBAC 403 on unwrap" "other.*unwrap.*(Forbidden|denied)" \
    bash -c "head -c 32 /dev/urandom | '$AZKV' wrap azkv:demo/other --out w.bin && '$AZKV' unwrap azkv:demo/other --alg RSA-OAEP-256 --in w.bin"

curl -sf --cacert "$CA_FILE" -X POST -H 'Content-Type: application/json' \
    -d '{"rate_429":1.0,"operations":["sign"]}' "$VAULT_URL/_emulator/faults" >/dev/null
check_exit 6 "429 storm: exit 6 after the retry budget, says what to do" \
    "Throttled|429.*(reduce|retry)" "$AZKV" sign azkv:demo/signer --alg RS256 --in data.txt --config "$FAST"
curl -sf --cacert "$CA_FILE" -X DELETE "$VAULT_URL/_emulator/faults" >/dev/null
curl -sf --cacert "$CA_FILE" -X POST -H 'Content-Type: application/json' \
    -d '{"vault_down":true}' "$VAULT_URL/_emulator/faults" >/dev/null
check_exit 6 "vault down (503): exit 6" "503|Unavailable|unavailable" \
    "$AZKV" key show azkv:demo/signer --config "$FAST"
curl -sf --cacert "$CA_FILE" -X DELETE "$VAULT_URL/_emulator/faults" >/dev/null

check_exit 7 "RSA algorithm on an EC key" "eckey.*(not an RSA key|RSA)" \
    "$AZKV" sign azkv:demo/eckey --alg RS256 --in data.txt
check_exit 7 "wrap with an EC key" "eckey.*needs an RSA key" \
    bash -c "head -c 32 /dev/urandom | '$AZKV' wrap azkv:demo/eckey --alg RSA-OAEP-256"
check_exit 7 "AES-GCM with an RSA key" "signer.*needs an oct-HSM key" \
    "$AZKV" encrypt azkv:demo/signer --alg A256GCM --in data.txt --output json
check_exit 7 "unknown algorithm" "unknown --alg \"RSA-OAEP-512\"" \
    "$AZKV" wrap azkv:demo/signer --alg RSA-OAEP-512 --in data.txt
check_exit 7 "unreadable input file" "cannot read /nonexistent" \
    "$AZKV" sign azkv:demo/signer --alg RS256 --in /nonexistent
check_exit 7 "ciphertext of the wrong length" "(ciphertext|length|BadParameter)" \
    "$AZKV" unwrap azkv:demo/signer --alg RSA-OAEP-256 --in data.txt
echo '{"schema_version":"1.0.0"}' >bad.byok
check_exit 7 "byok import of a bad file names the problem" "bad.byok is not a usable .byok file: header.kid" \
    "$AZKV" byok import --vault demo --name x --file bad.byok
echo 'not a certificate' >bad.pem
check_exit 7 "cert merge of a non-PEM file" "bad.pem holds no PEM CERTIFICATE" \
    "$AZKV" cert merge azkv:demo/c1 --file bad.pem
check_exit 8 "a wrong signature exits 8" "does NOT verify" \
    bash -c "echo other >other.txt && '$AZKV' verify azkv:demo/signer --alg RS256 --in other.txt --signature sig.bin"
check_exit 7 "a corrupt ECDSA DER signature" "." \
    bash -c "head -c 20 /dev/urandom >junk.sig && '$AZKV' verify azkv:demo/eckey --alg ES256 --in data.txt --signature junk.sig"
finish

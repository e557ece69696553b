#!/bin/bash
# TDE-style key hierarchy: a 256-bit DEK wrapped with the vault key, the key rotated, and the
# DEK unwrapped with the old version (named in the wrap's kid) after the rotation.
#   tde_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"

check "create the TDE protector (RSA-HSM 3072, wrap/unwrap only)" "$AZKV" key create --vault demo \
    --name tde --kty RSA-HSM --size 3072 --ops wrapKey,unwrapKey --output json
V1="$(json_field last.log 'd["kid"]')"
head -c 32 /dev/urandom >dek.bin
check "DEK is 256 bits" test "$(wc -c <dek.bin)" = 32
check "wrap the DEK (JSON records the kid that wrapped)" bash -c "'$AZKV' wrap azkv:demo/tde --in dek.bin --output json >wrapped.json"
WRAP_KID="$(json_field wrapped.json 'd["kid"]')"
check "  wrapped by version 1" test "$WRAP_KID" = "$V1"
python3 -c "import json,base64; v=json.load(open('wrapped.json'))['value']; open('dek.wrapped','wb').write(base64.urlsafe_b64decode(v+'='*(-len(v)%4)))"
check "  the wrapped DEK is not the DEK" bash -c "! cmp -s dek.wrapped dek.bin"

check "rotate the protector" "$AZKV" key rotate azkv:demo/tde --output json
V2="$(json_field last.log 'd["kid"]')"
check "  new version" test "$V2" != "$V1"
check "  same operations after rotation" test "$(json_field last.log '",".join(d["key_ops"])')" = wrapKey,unwrapKey

check "unwrap with the old version (kid from the wrap) gives the DEK" bash -c \
    "'$AZKV' unwrap '$WRAP_KID' --in dek.wrapped --out dek.unwrapped && cmp dek.unwrapped dek.bin"
check_exit 7 "unwrap with the latest version cannot open it" "(tde|decrypt|BadParameter|unwrap)" \
    "$AZKV" unwrap azkv:demo/tde --in dek.wrapped
check "re-wrap with the new version and unwrap" bash -c \
    "'$AZKV' wrap azkv:demo/tde --in dek.bin --out dek.v2 && '$AZKV' unwrap '$V2' --in dek.v2 | cmp - dek.bin"
check_exit 4 "the protector cannot sign (key_ops)" "tde.*sign" bash -c "echo x | '$AZKV' sign azkv:demo/tde --alg RS256"
finish

#!/bin/bash
# HSM only, by default (issue #10): software-protected vault keys (kty RSA or EC rather than
# RSA-HSM or EC-HSM) are refused through the front ends users run, with the reason, and work
# where the vault entry sets "allow_software_keys": true.
#   - pkcs11-tool through libazkv-pkcs11.so: the keys are not offered (the module's log says
#     why), so signing by label fails;
#   - openssl pkeyutl through the provider: the sign fails with the reason on the error queue.
# With the flag both sign, and the signatures verify with plain OpenSSL against the public key
# taken from the vault's JWK (not through azkv).
#   software_keys_test.sh BUILD_DIR SOURCE_DIR
command -v pkcs11-tool >/dev/null || { echo "SKIP: pkcs11-tool (opensc) is not installed"; exit 77; }
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"

declare -A KIDS
for spec in 'soft-rsa {"kty":"RSA","key_size":2048}' 'soft-ec {"kty":"EC","crv":"P-256"}' \
    'hsm-ec {"kty":"EC-HSM","crv":"P-256"}'; do
    read -r name params <<<"$spec"
    KIDS[$name]="$(emu_create_key demo "$name" "$params")" || e2e_die "creating $name in the emulator"
    # The public key as the vault publishes it (JWK), converted without azkv.
    curl -sf --cacert "$CA_FILE" -H "Authorization: Bearer $(emu_token demo)" \
        "${KIDS[$name]}?api-version=7.5" | python3 "$E2E_DIR/jwk_to_pem.py" >"$SITE/$name.pub.pem" ||
        e2e_die "reading the public key of $name from the vault"
done
echo "signed in the vault" >"$SITE/data"
plain openssl dgst -sha256 -binary "$SITE/data" >"$SITE/digest.bin"

# azkv_json true|false: the emulator's configuration with allow_software_keys on vault "demo",
# logging at info to $SITE/azkv.log (where the module says why a key is not offered; stderr
# keeps only what the programs themselves print, e.g. OpenSSL's error queue).
AZKV_LOG="$SITE/azkv.log"
azkv_json() {
    python3 - "$AZKV_CONFIG" "$1" "$AZKV_LOG" >"$SITE/azkv.json" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
for vault in conf["vaults"]:
    if vault["label"] == "demo" and sys.argv[2] == "true":
        vault["allow_software_keys"] = True
conf["log"] = {"level": "info", "target": sys.argv[3]}
json.dump(conf, sys.stdout, indent=2)
PY
    chmod 600 "$SITE/azkv.json"
}
p11() { AZKV_CONFIG="$SITE/azkv.json" pkcs11-tool --module "$PKCS11_MODULE" --token-label demo "$@"; }
# p11_sign NAME MECHANISM OUT: sign data through the module with that key version (CKA_ID is
# the version id; pkcs11-tool picks the signing key by id, not by label)
p11_sign() {
    p11 --sign --id "${KIDS[$1]##*/}" -m "$2" --signature-format openssl -i "$SITE/data" -o "$3"
}
# pkeyutl_sign NAME OUT: sign the digest through the provider, by azkv: URI
pkeyutl_sign() {
    with_azkv openssl pkeyutl -sign -inkey "azkv:${KIDS[$1]}" -pkeyopt digest:sha256 \
        -in "$SITE/digest.bin" -out "$2"
}

# --- default: refused ---
azkv_json false
: >"$AZKV_LOG"
p11 -O >"$SITE/objects.txt" 2>&1 || e2e_die "pkcs11-tool -O" "$SITE/objects.txt"
if grep -q "label: *hsm-ec" "$SITE/objects.txt" && ! grep -qE "label: *soft-(rsa|ec)" "$SITE/objects.txt"; then
    pass "pkcs11-tool lists the HSM key and not the software keys"
else
    fail "pkcs11-tool's object list: $(grep -o 'label: *[^ ]*' "$SITE/objects.txt" | sort -u | tr '\n' ' ')"
fi
for name in soft-rsa soft-ec; do
    if grep "key=$name" "$AZKV_LOG" | grep "software-protected" | grep -q "allow_software_keys"; then
        pass "the module's log says why $name is not offered"
        grep -m1 "key=$name" "$AZKV_LOG" | cut -c1-260 | sed 's/^/    /'
    else
        fail "no log line says why $name is not offered"
        sed 's/^/    /' "$AZKV_LOG" >&2
    fi
done

: >"$AZKV_LOG"
if p11_sign soft-ec ECDSA-SHA256 "$SITE/refused.sig" >"$SITE/sign.log" 2>&1; then
    fail "pkcs11-tool signed with the software key soft-ec"
elif grep "key=soft-ec" "$AZKV_LOG" | grep -q "allow_software_keys"; then
    pass "pkcs11-tool cannot sign with soft-ec, and the log says why"
else
    fail "pkcs11-tool's failed sign with soft-ec does not say why"
    tail -5 "$SITE/sign.log" "$AZKV_LOG" | sed 's/^/    /' >&2
fi
# The provider puts the reason on OpenSSL's error queue, which pkeyutl prints on stderr.
for name in soft-rsa soft-ec; do
    if pkeyutl_sign "$name" "$SITE/refused.sig" >"$SITE/pkeyutl.log" 2>&1; then
        fail "openssl pkeyutl signed with the software key $name"
    elif grep -q "software-protected" "$SITE/pkeyutl.log" && grep -q "allow_software_keys" "$SITE/pkeyutl.log" &&
        grep -q "$name" "$SITE/pkeyutl.log"; then
        pass "openssl pkeyutl refuses $name with the reason on the error queue"
        grep -m1 "allow_software_keys" "$SITE/pkeyutl.log" | cut -c1-300 | sed 's/^/    /'
    else
        fail "openssl pkeyutl's refusal of $name does not give the reason"
        tail -5 "$SITE/pkeyutl.log" | sed 's/^/    /' >&2
    fi
done

# --- allow_software_keys: true on the vault: both front ends sign ---
azkv_json true
p11 -O >"$SITE/objects.txt" 2>&1 || e2e_die "pkcs11-tool -O" "$SITE/objects.txt"
if grep -q "label: *soft-rsa" "$SITE/objects.txt" && grep -q "label: *soft-ec" "$SITE/objects.txt"; then
    pass "with allow_software_keys, pkcs11-tool lists the software keys"
else
    fail "with allow_software_keys, the software keys are not listed"
fi
for spec in 'soft-rsa SHA256-RSA-PKCS' 'soft-ec ECDSA-SHA256'; do
    read -r name mech <<<"$spec"
    if p11_sign "$name" "$mech" "$SITE/$name.p11.sig" >"$SITE/sign.log" 2>&1 &&
        plain openssl dgst -sha256 -verify "$SITE/$name.pub.pem" -signature "$SITE/$name.p11.sig" \
            "$SITE/data" >/dev/null; then
        pass "with allow_software_keys, pkcs11-tool signs with $name ($mech, verified by OpenSSL)"
    else
        fail "with allow_software_keys, pkcs11-tool's $mech signature with $name failed or does not verify"
        tail -5 "$SITE/sign.log" | sed 's/^/    /' >&2
    fi
    if pkeyutl_sign "$name" "$SITE/$name.pk.sig" >"$SITE/pkeyutl.log" 2>&1 &&
        plain openssl pkeyutl -verify -pubin -inkey "$SITE/$name.pub.pem" -pkeyopt digest:sha256 \
            -in "$SITE/digest.bin" -sigfile "$SITE/$name.pk.sig" >/dev/null; then
        pass "with allow_software_keys, openssl pkeyutl signs with $name (verified by OpenSSL)"
    else
        fail "with allow_software_keys, openssl pkeyutl with $name failed or does not verify"
        tail -5 "$SITE/pkeyutl.log" | sed 's/^/    /' >&2
    fi
done
signs="$(op_count sign)"
if [ "$signs" -eq 4 ]; then
    pass "the vault made exactly the 4 allowed signatures"
else
    fail "the vault made $signs signatures (want 4: none for the refused keys)"
fi
e2e_finish

# Shared helpers of the pkcs11 shell tests (sourced). Usage: p11_setup EMULATOR MODULE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../support/emulator-env.sh"

p11_setup() {
    emu_start "$1"
    MODULE="$2"
    cd "$EMU_DIR"
    export MODULE
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# The emulator's harness helper posts without a body, which its HTTP server refuses.
p11_reset_stats() {
    curl -sf --cacert "$CA_FILE" -X POST -d "" "$VAULT_URL/_emulator/stats/reset" >/dev/null
}

# p11_op_count OPERATION -> how many of that operation the emulator served
p11_op_count() {
    emu_stats | python3 -c "import json,sys; print(json.load(sys.stdin)['operations'].get('$1', 0))"
}

# p11_key VAULT NAME JSON -> prints the 32-hex version id (= CKA_ID) of the new key
p11_key() {
    emu_create_key "$1" "$2" "$3" | awk -F/ '{print $NF}'
}

# p11_pubkey TOKEN ID OUT.pem: the public key exported through the module by GnuTLS's p11tool
# (pkcs11-tool 0.23 cannot rebuild P-384 keys from their attributes).
p11_pubkey() {
    local hexid pct
    hexid="$2"
    pct=$(echo "$hexid" | sed 's/../%&/g')
    p11tool --provider "$MODULE" --export-pubkey "pkcs11:token=$1;id=$pct;type=public" >"$3" 2>/dev/null ||
        fail "p11tool --export-pubkey $1 $2"
    openssl pkey -pubin -in "$3" -noout || fail "exported public key $3 is not a key"
}

# p11_jwk VAULT NAME -> the key's current JWK, straight from the emulator (not through the module)
p11_jwk() {
    local url
    url="$(emu_field "d['vaults']['$1']['url']")"
    curl -sf --cacert "$CA_FILE" -H "Authorization: Bearer $(emu_token "$1")" \
        "$url/keys/$2?api-version=7.5" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["key"]))'
}

# p11_jwk_public_hex JWK -> hex of the RSA modulus or of the EC point 04||x||y
p11_jwk_public_hex() {
    python3 -c '
import base64, json, sys
k = json.loads(sys.argv[1])
d = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
print((d(k["n"]).lstrip(b"\0") if k["kty"].startswith("RSA") else b"\4" + d(k["x"]) + d(k["y"])).hex())' "$1"
}

# p11_pem_public_hex PEM -> the same value read from a PEM public key by openssl
p11_pem_public_hex() {
    if openssl pkey -pubin -in "$1" -noout -text | grep -q Modulus; then
        openssl rsa -pubin -in "$1" -noout -modulus | cut -d= -f2 | tr 'A-F' 'a-f'
    else
        openssl pkey -pubin -in "$1" -outform DER | tail -c "$2" | od -An -v -tx1 | tr -d ' \n'
        echo
    fi
}

# p11_vault_pubkey TOKEN VAULT NAME ID OUT.pem [EC-POINT-BYTES]: the public key exported through
# the module (p11_pubkey), checked against the vault's own JWK.
p11_vault_pubkey() {
    p11_pubkey "$1" "$4" "$5"
    [ "$(p11_pem_public_hex "$5" "${6:-}")" = "$(p11_jwk_public_hex "$(p11_jwk "$2" "$3")")" ] ||
        fail "the public key of $3 exported through the module differs from the vault's"
}

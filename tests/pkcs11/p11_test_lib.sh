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

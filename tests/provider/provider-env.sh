# Sourced by the provider's shell tests: starts the emulator (tests/support/emulator-env.sh),
# points OpenSSL at the azkv.so under test and offers helpers.
#
#   source provider-env.sh BUILD_DIR SOURCE_DIR
#   prov_key demo NAME '{"kty":"RSA-HSM","key_size":2048}'   # prints azkv:<kid>
#   ossl pkeyutl ...   # openssl with -provider azkv -provider default where a command takes it
set -euo pipefail

BUILD_DIR="$1"
SOURCE_DIR="$2"
# shellcheck source=../support/emulator-env.sh
source "$SOURCE_DIR/tests/support/emulator-env.sh"
# AZKV_TEST_EMULATOR: another build's emulator (a sanitizer build need not instrument it).
emu_start "${AZKV_TEST_EMULATOR:-$BUILD_DIR/emulator/azkv-emulator}"

export OPENSSL_MODULES="$BUILD_DIR/provider"
# Only azkv's own configuration: never the machine's openssl.cnf.
export OPENSSL_CONF="$EMU_DIR/openssl.cnf"
sed -e "s|^# azkv-config = .*|azkv-config = $AZKV_CONFIG|" \
    "$SOURCE_DIR/conf/openssl-azkv.cnf" >"$OPENSSL_CONF"
WORK="$EMU_DIR/work"
mkdir -p "$WORK"
cd "$WORK"

# shellcheck source=../support/checks.sh
source "$SOURCE_DIR/tests/support/checks.sh"

# prov_key VAULT NAME JSON -> azkv:<kid>
prov_key() { echo "azkv:$(emu_create_key "$1" "$2" "$3")"; }
# op_count NAME -> how many NAME operations the emulator served
op_count() { emu_stats | python3 -c "import json,sys; print(json.load(sys.stdin)['operations'].get('$1',0))"; }
# public key of a key URI, exported through the provider (verification uses the default provider)
pubkey() { openssl pkey -in "$1" -pubout -out "$2"; }
# openssl without azkv: the independent check of what azkv produced.
plain() { OPENSSL_CONF=/dev/null OPENSSL_MODULES=/nonexistent openssl "$@"; }
# key_json SPEC -> create-key parameters: rsa2048 | rsa3072 | rsa4096 | p256 | p384 | p521
key_json() {
    case "$1" in
        rsa*) echo "{\"kty\":\"RSA-HSM\",\"key_size\":${1#rsa}}" ;;
        p256) echo '{"kty":"EC-HSM","crv":"P-256"}' ;;
        p384) echo '{"kty":"EC-HSM","crv":"P-384"}' ;;
        p521) echo '{"kty":"EC-HSM","crv":"P-521"}' ;;
    esac
}
# emu_reset_stats in tests/support sends a POST without a body, which the emulator answers with
# 400; this one sends an empty body.
reset_stats() { curl -sf --cacert "$CA_FILE" -X POST -d '' "$VAULT_URL/_emulator/stats/reset" >/dev/null; }

# Sourced by shell-driven tests (real clients: pkcs11-tool, openssl, nginx, ...):
# starts azkv-emulator on ephemeral ports and writes a matching azkv config.
#
#   source tests/support/emulator-env.sh
#   emu_start "$BUILD_DIR/emulator/azkv-emulator" [extra emulator flags...]
#   # now: EMU_DIR VAULT_URL HSM_URL CA_FILE IMDS_ENDPOINT AZKV_CONFIG (exported)
#   emu_create_key demo mykey '{"kty":"EC-HSM","crv":"P-256"}'   # prints the kid
#   emu_stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["operations"])'
#   # emu_stop runs on EXIT automatically
#
# Vaults: "demo" (Key Vault) at $VAULT_URL and "hsm" (Managed HSM) at $HSM_URL.

emu_field() {
    python3 -c "import json,sys; d=json.load(open('$EMU_DIR/ready.json')); print(eval(sys.argv[1]))" "$1"
}

emu_start() {
    local binary="$1"
    shift
    EMU_DIR="$(mktemp -d /tmp/azkv-emu.XXXXXX)"
    "$binary" --state-dir "$EMU_DIR/state" --vault demo:vault:0 --vault hsm:mhsm:0 \
        --identity-port 0 --sts-port 0 --ready-file "$EMU_DIR/ready.json" "$@" \
        >"$EMU_DIR/emulator.log" 2>&1 &
    EMU_PID=$!
    trap emu_stop EXIT
    local i
    for i in $(seq 1 100); do
        [ -s "$EMU_DIR/ready.json" ] && break
        sleep 0.1
    done
    if [ ! -s "$EMU_DIR/ready.json" ]; then
        echo "emulator did not start:" >&2
        cat "$EMU_DIR/emulator.log" >&2
        return 1
    fi
    VAULT_URL="$(emu_field "d['vaults']['demo']['url']")"
    HSM_URL="$(emu_field "d['vaults']['hsm']['url']")"
    CA_FILE="$(emu_field "d['ca_file']")"
    IMDS_ENDPOINT="$(emu_field "d['imds_endpoint']")"
    AZKV_CONFIG="$EMU_DIR/azkv.json"
    cat >"$AZKV_CONFIG" <<JSON
{
  "vaults": [
    {"url": "$VAULT_URL", "label": "demo", "allow_create": true, "allow_delete": true},
    {"url": "$HSM_URL", "label": "hsm", "type": "managedhsm", "allow_create": true}
  ],
  "identity": {"type": "imds", "endpoint": "$IMDS_ENDPOINT"},
  "http": {"ca_file": "$CA_FILE"}
}
JSON
    chmod 600 "$AZKV_CONFIG"
    export EMU_DIR EMU_PID VAULT_URL HSM_URL CA_FILE IMDS_ENDPOINT AZKV_CONFIG
}

emu_stop() {
    if [ -n "${EMU_PID:-}" ]; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
        EMU_PID=""
    fi
    [ -n "${EMU_DIR:-}" ] && rm -rf "$EMU_DIR"
}

# emu_token VAULT_NAME -> a bearer token for that vault (from the IMDS endpoint)
emu_token() {
    local resource
    resource="$(emu_field "d['vaults']['$1']['resource']")"
    curl -sf -H "Metadata: true" \
        "$IMDS_ENDPOINT/metadata/identity/oauth2/token?api-version=2018-02-01&resource=$resource" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# emu_create_key VAULT_NAME KEY_NAME JSON_PARAMS -> prints the new version's kid
emu_create_key() {
    local url
    url="$(emu_field "d['vaults']['$1']['url']")"
    curl -sf --cacert "$CA_FILE" -X POST -H "Authorization: Bearer $(emu_token "$1")" \
        -H "Content-Type: application/json" -d "$3" "$url/keys/$2/create?api-version=7.5" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["key"]["kid"])'
}

# emu_stats -> the emulator's counters (JSON)
emu_stats() { curl -sf --cacert "$CA_FILE" "$VAULT_URL/_emulator/stats"; }
emu_reset_stats() { curl -sf --cacert "$CA_FILE" -X POST -d "" "$VAULT_URL/_emulator/stats/reset" >/dev/null; }

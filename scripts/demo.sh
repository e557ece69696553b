#!/usr/bin/env bash
# The azkv demo, against the bundled emulator: vault keys that never leave the "HSM", used to
# sign, with every signature checked locally by OpenSSL. Needs no Azure account.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
build="$root/build/release"

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }

bold "0. Build (first run only)"
if [ ! -x "$build/cli/azkv" ] || [ ! -x "$build/emulator/azkv-emulator" ]; then
    bash scripts/bootstrap.sh >/dev/null
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(nproc)" --target azkv azkv-emulator >/dev/null
fi
say "azkv and azkv-emulator are built in build/release"
azkv="$build/cli/azkv"

work="$(mktemp -d /tmp/azkv-demo.XXXXXX)"
emu_pid=""
cleanup() {
    if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

bold "1. Start the emulator: a local Key Vault and managed-identity endpoint"
mkdir -p "$work/client"
"$build/emulator/azkv-emulator" --state-dir "$work/emulator" --vault demo:vault:0 \
    --identity-port 0 --sts-port 0 --ready-file "$work/ready.json" >"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 1 100); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
[ -s "$work/ready.json" ] || { echo "emulator did not start:"; cat "$work/emulator.log"; exit 1; }
field() { python3 -c "import json,sys; d=json.load(open('$work/ready.json')); print(eval(sys.argv[1]))" "$1"; }
vault="$(field "d['vaults']['demo']['url']")"
say "vault $vault (HTTPS, its own CA), identity endpoint $(field "d['imds_endpoint']")"

bold "2. Configure azkv: which vault, which identity, which CA"
cat >"$work/client/azkv.json" <<JSON
{
  "vaults": [{"url": "$vault", "label": "demo"}],
  "identity": {"type": "imds", "endpoint": "$(field "d['imds_endpoint']")"},
  "http": {"ca_file": "$(field "d['ca_file']")"}
}
JSON
chmod 600 "$work/client/azkv.json"
export AZKV_CONFIG="$work/client/azkv.json"
say "a managed identity (IMDS) provides tokens: no secret is stored anywhere"

bold "3. Create two HSM keys in the vault"
"$azkv" key create --vault "$vault" --name demo-rsa --kty RSA-HSM --size 2048 | sed 's/^/   /'
"$azkv" key create --vault "$vault" --name demo-ec --kty EC-HSM --curve P-256 | sed 's/^/   /'

bold "4. Sign a document with each key (only a digest goes to the vault)"
echo "Pay 100 EUR to Alice, $(date -u +%FT%TZ)" >"$work/client/document.txt"
"$azkv" sign --vault "$vault" demo-rsa --alg PS256 --in "$work/client/document.txt" --out "$work/client/rsa.sig" 2>&1 | sed 's/^/   /'
"$azkv" sign --vault "$vault" demo-ec --alg ES256 --in "$work/client/document.txt" --out "$work/client/ec.sig" 2>&1 | sed 's/^/   /'

bold "5. Verify both signatures with plain OpenSSL and the exported public keys"
"$azkv" key export-pub --vault "$vault" demo-rsa --out "$work/client/rsa.pub.pem"
"$azkv" key export-pub --vault "$vault" demo-ec --out "$work/client/ec.pub.pem"
openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
    -verify "$work/client/rsa.pub.pem" -signature "$work/client/rsa.sig" "$work/client/document.txt" | sed 's/^/   RSA-PSS: /'
openssl dgst -sha256 -verify "$work/client/ec.pub.pem" -signature "$work/client/ec.sig" "$work/client/document.txt" | sed 's/^/   ECDSA:   /'

bold "6. What the vault saw"
curl -s --cacert "$(field "d['ca_file']")" "$vault/_emulator/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
ops = s.get("operations", {})
print("   signatures made in the vault: %d" % ops.get("sign", 0))
print("   keys created: %d, token requests: %d" % (ops.get("create", 0), s.get("token_requests", 0)))'

bold "7. No private key left the vault"
found="$(grep -rl -- 'PRIVATE KEY' "$work/client" 2>/dev/null || true)"
if [ -n "$found" ]; then echo "   private key material found: $found"; exit 1; fi
say "the client side holds only: $(cd "$work/client" && ls | tr '\n' ' ')"
say "(the key material stays in the emulator's state directory, standing in for the HSM)"

bold "Done."

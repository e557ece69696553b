#!/usr/bin/env bash
# The azkv demo: nginx serves HTTPS with a key that never leaves the (emulated) Key Vault HSM.
# Needs no Azure account: azkv-emulator stands in for Key Vault and the managed identity.
# AZKV_BUILD_DIR selects the build to use (default build/release, built on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
build="${AZKV_BUILD_DIR:-$root/build/release}"

step() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }

if [ ! -x "$build/emulator/azkv-emulator" ] || [ ! -f "$build/provider/azkv.so" ] ||
    [ ! -f "$build/pkcs11/libazkv-pkcs11.so" ]; then
    if [ -n "${AZKV_BUILD_DIR:-}" ]; then
        echo "$build lacks azkv-emulator, azkv.so or libazkv-pkcs11.so: build them first" >&2
        exit 1
    fi
    step "0. Build azkv (first run only: a few minutes)"
    bash scripts/bootstrap.sh >/dev/null
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(nproc)" --target azkv-emulator azkv_provider azkv-pkcs11 >/dev/null
fi

site="$(mktemp -d /tmp/azkv-demo.XXXXXX)"
chmod 755 "$site"
nginx_pid=""
stop_all() {
    if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
    emu_stop
    rm -rf "$site"
}
# shellcheck source=../tests/support/emulator-env.sh
source tests/support/emulator-env.sh

step "1. Start the emulator: a local Key Vault and managed-identity endpoint"
emu_start "$build/emulator/azkv-emulator"
trap stop_all EXIT
say "vault $VAULT_URL, tokens from the IMDS endpoint $IMDS_ENDPOINT"
say "azkv's configuration names the vault and the identity: no secret is stored anywhere"

step "2. Create a vault key and a certificate for CN=localhost"
kid="$(python3 tests/e2e/vault_cert.py "$EMU_DIR/ready.json" demo web rsa2048 "$site/web.crt")"
say "the vault generated an RSA-2048 HSM key and self-signed the certificate with it:"
say "key $kid"
say "$(openssl x509 -in "$site/web.crt" -noout -subject -enddate | tr '\n' ' ')"

step "3. Write the certificate chain and the PEM key reference"
cp "$CA_FILE" "$site/vault-ca.pem"
sed "s|\"ca_file\": \"[^\"]*\"|\"ca_file\": \"$site/vault-ca.pem\"|" "$AZKV_CONFIG" >"$site/azkv.json"
sed -e "s|^# module = .*|module = $build/provider/azkv.so|" -e "s|^# azkv-config = .*|azkv-config = $site/azkv.json|" \
    conf/openssl-azkv.cnf >"$site/openssl-azkv.cnf"
OPENSSL_CONF="$site/openssl-azkv.cnf" openssl pkey -in "azkv:$kid" -out "$site/web.key"
say "web.crt: the certificate; web.key: a reference to the vault key (no secret):"
sed 's/^/      /' "$site/web.key" | head -3

step "4. Start nginx on 127.0.0.1 with them, and fetch a page with curl that verifies TLS"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$site/www" "$site/logs" "$site/tmp"
echo "Hello from nginx. This page was served over TLS with a key that never left the vault." >"$site/www/index.html"
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$port ssl;|" -e '/listen \[::\]:443/d' \
    -e "s|/etc/azkv/tls/|$site/|" -e "s|/var/log/nginx/|$site/logs/|" -e "s|/var/www/html|$site/www|" \
    conf/nginx/azkv-site.conf >"$site/site.conf"
cat >"$site/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root root;")
daemon off;
worker_processes 2;
pid $site/nginx.pid;
error_log $site/logs/error.log;
events {}
http { access_log off; client_body_temp_path $site/tmp; proxy_temp_path $site/tmp; fastcgi_temp_path $site/tmp;
       uwsgi_temp_path $site/tmp; scgi_temp_path $site/tmp; include $site/site.conf; }
CONF
OPENSSL_CONF="$site/openssl-azkv.cnf" nginx -e "$site/logs/error.log" -p "$site" -c "$site/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
say "nginx (pid $nginx_pid, 2 workers) listens on https://localhost:$port"
say "\$ curl --cacert web.crt https://localhost:$port/"
curl -sS --fail --cacert "$site/web.crt" --resolve "localhost:$port:127.0.0.1" "https://localhost:$port/" |
    sed 's/^/      /'

step "5. The same vault seen as a PKCS#11 token, with pkcs11-tool"
pkcs11-tool --module "$build/pkcs11/libazkv-pkcs11.so" -L 2>/dev/null | grep -E "^Slot|token label" | sed 's/^/   /'
pkcs11-tool --module "$build/pkcs11/libazkv-pkcs11.so" --token-label demo -O 2>/dev/null |
    grep -E "Object;|label:|Access:" | sed 's/^/   /'

step "6. How many signatures the vault made"
for _ in 1 2 3 4 5; do
    curl -sS --fail --no-sessionid --cacert "$site/web.crt" --resolve "localhost:$port:127.0.0.1" \
        -o /dev/null "https://localhost:$port/"
done
emu_stats | python3 -c '
import json, sys
ops = json.load(sys.stdin).get("operations", {})
print("   6 full TLS handshakes (step 4 and five more) -> %d signatures made in the vault" % ops.get("sign", 0))
print("   (one per full handshake; a resumed session costs none)")' 

step "7. No private key file exists; stop everything"
found="$(grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$site" 2>/dev/null || true)"
if [ -n "$found" ]; then echo "   private key material found: $found"; exit 1; fi
say "searched $(find "$site" -type f | wc -l) files used by nginx and azkv: no private key"
say "(the key stays in the emulator's state directory, standing in for the HSM)"
stop_all
trap - EXIT
say "nginx and the emulator stopped."

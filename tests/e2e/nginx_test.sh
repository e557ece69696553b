#!/bin/bash
# nginx 1.22 with 4 workers terminating TLS with vault keys, configured from conf/nginx/ (site
# file, env lines, systemd drop-in). The master loads the keys, the workers sign after fork.
#   nginx_test.sh BUILD_DIR SOURCE_DIR provider|engine|rotation
#     provider: PEM key references through azkv.so (RSA-2048 and P-256, TLS 1.2 and 1.3)
#     engine:   ssl_engine pkcs11 + engine:pkcs11:pkcs11:token=...;object=... through libp11's
#               engine and libazkv-pkcs11.so (same matrix)
#     rotation: a new certificate and key version, nginx reloaded with SIGHUP, new handshakes
#               verified against the new certificate only
command -v nginx >/dev/null || { echo "SKIP: nginx is not installed"; exit 77; }
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"
MODE="$3"
source "$E2E_DIR/nginx-lib.sh"

# The handshake matrix; reuseport spreads the connections over the workers.
matrix() {
    e2e_matrix "$MODE" "$SITE/logs/access.log" r
    local workers
    workers="$(e2e_signers "$SITE/logs/access.log")"
    if [ "$workers" -ge 2 ]; then
        pass "$workers nginx workers signed after fork"
    else
        fail "only $workers worker served requests (reuseport should spread them)"
    fi
}

e2e_cert rsa2048 web-rsa
RSA_KID="$KID"
e2e_cert p256 web-ec

case "$MODE" in
provider)
    nginx_site web-rsa "$RSA_PORT" "$SITE/web-rsa.key"
    nginx_site web-ec "$EC_PORT" "$SITE/web-ec.key"
    nginx_main_conf 4
    nginx_start
    e2e_wait_sites "$NGINX_PID" "$SITE/logs/error.log"
    matrix
    e2e_no_private_key "$SITE/web-rsa.key" "$SITE/web-ec.key"
    ;;
engine)
    # conf/nginx/openssl-pkcs11-engine.cnf with the module under test, set by the engine's
    # systemd drop-in (conf/nginx/azkv-engine.conf).
    ENGINE_CNF="$SITE/openssl-pkcs11-engine.cnf"
    sed "s|^MODULE_PATH = .*|MODULE_PATH = $PKCS11_MODULE|" "$NGINX_CONF_DIR/openssl-pkcs11-engine.cnf" >"$ENGINE_CNF"
    # The engine key line, as commented in the site file, for each key (object = key name).
    engine_key() { grep -o '"engine:pkcs11:pkcs11:[^"]*"' "$NGINX_CONF_DIR/azkv-site.conf" |
        sed -e "s|token=tls|token=demo|" -e "s|object=web|object=$1|"; }
    nginx_site web-rsa "$RSA_PORT" "$(engine_key web-rsa)"
    nginx_site web-ec "$EC_PORT" "$(engine_key web-ec)"
    grep -q "engine:pkcs11:pkcs11:token=demo;object=web-rsa;type=private" "$SITE/web-rsa.site.conf" ||
        e2e_die "the site file's engine key line did not apply"
    nginx_dropin "$NGINX_CONF_DIR/azkv-engine.conf"
    nginx_openssl_conf "$ENGINE_CNF"
    nginx_main_conf 4 "ssl_engine pkcs11;"
    # A key the token does not hold: the load fails cleanly, naming it (no crash at exit, when
    # OpenSSL's cleanup finishes the engine and libp11 closes its sessions in the module).
    sed 's/object=web-rsa;/object=no-such-key;/' "$SITE/web-rsa.site.conf" >"$SITE/missing.site.conf"
    sed "s|$SITE/web-rsa.site.conf|$SITE/missing.site.conf|" "$SITE/nginx.conf" >"$SITE/missing.conf"
    nginx_command
    missing_cmd=("${NGINX_CMD[@]/#$SITE\/nginx.conf/$SITE/missing.conf}")
    missing_cmd=("${missing_cmd[@]/#$SITE\/logs\/error.log/$SITE/logs/missing-error.log}")
    rc=0
    "${missing_cmd[@]}" -t >"$SITE/logs/missing.log" 2>&1 || rc=$?
    if [ "$rc" = 1 ] && grep -q "object=no-such-key" "$SITE/logs/missing.log"; then
        pass "a missing engine key fails nginx -t cleanly, naming the key"
    else
        fail "nginx -t with a missing engine key: exit status $rc (want 1, no crash)"
        tail -5 "$SITE/logs/missing.log" | sed 's/^/    /' >&2
    fi
    nginx_start
    e2e_wait_sites "$NGINX_PID" "$SITE/logs/error.log"
    # The master holds libp11's engine with our module, not p11-kit's proxy nor the provider.
    maps="$(cat "/proc/$NGINX_PID/maps")"
    if grep -q "engines-3/pkcs11.so" <<<"$maps" && grep -qF "$PKCS11_MODULE" <<<"$maps" &&
        ! grep -qE "p11-kit-proxy|/azkv\.so" <<<"$maps"; then
        pass "the master loaded libp11's engine with $(basename "$PKCS11_MODULE") (no proxy, no provider)"
    else
        fail "the master's libraries are not libp11's engine with our module alone"
        grep -E "pkcs11|p11-kit|azkv" <<<"$maps" | awk '{print $6}' | sort -u | sed 's/^/    /' >&2
    fi
    matrix
    found="$(grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$SITE" || true)"
    [ -z "$found" ] && pass "no private key anywhere in the server's files" ||
        fail "private key material on disk: $found"
    ;;
rotation)
    nginx_site web-rsa "$RSA_PORT" "$SITE/web-rsa.key"
    nginx_main_conf 4
    nginx_start
    e2e_wait_port "$RSA_PORT" "$NGINX_PID" "$SITE/logs/error.log"
    cp "$SITE/web-rsa.crt" "$SITE/old.crt"
    # verified_by CERT: a full handshake that verifies against CERT
    verified_by() {
        plain curl -sS --fail --cacert "$1" --resolve "localhost:$RSA_PORT:127.0.0.1" --no-sessionid \
            -o /dev/null "https://localhost:$RSA_PORT/" 2>/dev/null
    }
    verified_by "$SITE/old.crt" && pass "the first version serves" || fail "the first version does not serve"
    # Rotate: a new certificate version (and key version) in the vault, the files rewritten.
    e2e_cert rsa2048 web-rsa
    [ "$KID" != "$RSA_KID" ] && pass "the vault made a new key version" || fail "no new key version"
    cmp -s "$SITE/old.crt" "$SITE/web-rsa.crt" && fail "the certificate did not change"
    kill -HUP "$NGINX_PID"
    # The master re-reads the configuration, loads the new key and replaces its workers.
    new_ok=0
    for _ in $(seq 1 100); do
        if verified_by "$SITE/web-rsa.crt"; then
            new_ok=1
            break
        fi
        sleep 0.1
    done
    [ "$new_ok" = 1 ] && pass "after SIGHUP, handshakes verify against the new certificate" ||
        e2e_die "nginx never served the new certificate" "$SITE/logs/error.log"
    # Once the old workers are gone, nothing serves the old version any more.
    sleep 1
    reset_stats
    E2E_FULL=20 E2E_RESUMED=5
    e2e_handshakes "rotated RSA-2048 TLS 1.3" "$RSA_PORT" "$SITE/web-rsa.crt" 1.3 "$SITE/logs/access.log" r
    if verified_by "$SITE/old.crt"; then
        fail "the old certificate still verifies after the reload"
    else
        pass "the old certificate no longer verifies"
    fi
    e2e_no_private_key "$SITE/web-rsa.key"
    ;;
*) e2e_die "unknown mode $MODE" ;;
esac
grep -E '\[(alert|emerg|crit)\]' "$SITE/logs/error.log" | head -5 | sed 's/^/    /' >&2 || true
e2e_finish

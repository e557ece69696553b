#!/bin/bash
# haproxy 2.6, multi-threaded, terminating TLS with vault keys: conf/haproxy/haproxy-azkv.cfg
# (ssl-provider default + azkv) with crt bundles holding the certificate and the PEM key
# reference, for an RSA-2048 and a P-256 key over TLS 1.2 and 1.3.
#   haproxy_test.sh BUILD_DIR SOURCE_DIR
command -v haproxy >/dev/null || { echo "SKIP: haproxy is not installed"; exit 77; }
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"
CONF="$SOURCE_DIR/conf/haproxy/haproxy-azkv.cfg"
mkdir -p "$SITE/logs"

e2e_cert rsa2048 web-rsa
e2e_cert p256 web-ec
# The crt bundles: certificate, then the key reference.
cat "$SITE/web-rsa.crt" "$SITE/web-rsa.key" >"$SITE/web-rsa.pem"
cat "$SITE/web-ec.crt" "$SITE/web-ec.key" >"$SITE/web-ec.pem"

# The shipped file with the paths under test; the frontend appears once per key, and the
# backend is replaced by a fixed answer.
frontend() {
    sed -n '/^frontend https/,/^$/p' "$CONF" | sed -e "s|^frontend https|frontend https-$1|" \
        -e "s|bind :443 |bind 127.0.0.1:$2 |" -e "s|/etc/haproxy/certs/web.pem|$SITE/$1.pem|" \
        -e 's|default_backend app|http-request return status 200 content-type text/plain string ok|'
}
{
    sed -e '/^frontend https/,$d' \
        -e "s|^    ssl-provider default|    ssl-provider-path $OSSL_MODULES_DIR\n    ssl-provider default|" "$CONF"
    frontend web-rsa "$RSA_PORT"
    frontend web-ec "$EC_PORT"
} >"$SITE/haproxy.cfg"
haproxy -c -q -f "$SITE/haproxy.cfg" || e2e_die "haproxy -c refuses the configuration"

# env execs haproxy (foreground, one process), so $! is its pid.
env -u OPENSSL_CONF -u OPENSSL_MODULES AZKV_CONFIG="$SITE/azkv.json" \
    haproxy -db -f "$SITE/haproxy.cfg" >"$SITE/logs/access.log" 2>"$SITE/logs/error.log" &
HAPROXY_PID=$!
e2e_track_pid "$HAPROXY_PID"
e2e_wait_sites "$HAPROXY_PID" "$SITE/logs/error.log"
e2e_matrix haproxy "$SITE/logs/access.log" 1
threads="$(e2e_signers "$SITE/logs/access.log")"
[ "$threads" -ge 2 ] && pass "$threads haproxy threads signed" ||
    fail "only $threads haproxy thread served requests"
e2e_no_private_key "$SITE/web-rsa.key" "$SITE/web-ec.key"
e2e_finish

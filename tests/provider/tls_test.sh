#!/bin/bash
# openssl s_server with vault keys (azkv: URI and AZKV KEY REFERENCE file) against s_client
# without azkv, each handshake verified against the certificate, for every key type of the issue.
# The emulator's counters must show exactly one remote operation per full handshake and none on
# resumption.
#   tls_test.sh BUILD_DIR SOURCE_DIR matrix   RSA-2048 and P-256: every protocol and key exchange,
#                                              by URI and by reference file, legacy peers
#   tls_test.sh BUILD_DIR SOURCE_DIR sizes    every other key size: TLS 1.3 and TLS 1.2
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/provider-env.sh" "$1" "$2"
PART="${3:-matrix}"
# shellcheck source=server-env.sh
source "$HERE/server-env.sh"

# handshake NAME PORT CA EXPECTED_OPERATION [s_client options...]: a verified full handshake
# costing exactly one remote operation, then a resumed one costing none.
handshake() {
    local name="$1" port="$2" ca="$3" op="$4"
    shift 4
    if [ -z "$port" ]; then
        fail "$name: no server"
        return
    fi
    reset_stats
    # -ign_eof: s_client reads until the server closes, so TLS 1.3's session ticket (sent after
    # the handshake) is always read before the session is written out.
    if printf 'GET / HTTP/1.0\r\n\r\n' | plain s_client -connect "127.0.0.1:$port" -ign_eof \
        -CAfile "$ca" -verify_return_error -sess_out "sess-$port" "$@" >full.log 2>&1 &&
        grep -q "Verify return code: 0 (ok)" full.log && grep -q "^New," full.log &&
        grep -q "^HTTP/1.0 200 ok" full.log; then
        pass "$name: verified full handshake"
    else
        fail "$name: full handshake"
        sed 's/^/    /' full.log >&2
        return
    fi
    local sign decrypt
    sign="$(op_count sign)"
    decrypt="$(op_count decrypt)"
    if [ "$((sign + decrypt))" -eq 1 ] && [ "$(op_count "$op")" -eq 1 ]; then
        pass "$name: exactly one remote $op per full handshake"
    else
        fail "$name: remote operations: sign=$sign decrypt=$decrypt (want one $op)"
    fi
    reset_stats
    if printf 'GET / HTTP/1.0\r\n\r\n' | plain s_client -connect "127.0.0.1:$port" -ign_eof \
        -CAfile "$ca" -verify_return_error -sess_in "sess-$port" "$@" >client.log 2>&1 &&
        grep -q "^Reused," client.log && grep -q "^HTTP/1.0 200 ok" client.log; then
        pass "$name: session resumed"
    else
        fail "$name: session not resumed"
        sed 's/^/    /' client.log >&2
    fi
    sign="$(op_count sign)"
    decrypt="$(op_count decrypt)"
    if [ "$((sign + decrypt))" -eq 0 ]; then
        pass "$name: no remote operation on resumption"
    else
        fail "$name: resumption made remote operations: sign=$sign decrypt=$decrypt"
    fi
}

# make_key SPEC -> sets KEY_URI and writes SPEC.crt (self-signed through azkv) and SPEC-ref.pem
make_key() {
    KEY_URI="$(prov_key demo "tls-$1" "$(key_json "$1")")"
    openssl req -new -x509 -key "$KEY_URI" -subj /CN=localhost -days 2 -out "$1.crt"
    openssl pkey -in "$KEY_URI" -out "$1-ref.pem"
}

if [ "$PART" = matrix ]; then
    # The full matrix on RSA-2048 and P-256, by URI and by key reference file.
    make_key rsa2048
    RSA="$KEY_URI"
    make_key p256
    EC="$KEY_URI"
    start_server "RSA-2048 by URI" "$RSA" rsa2048.crt && RSA_PORT="$PORT" || RSA_PORT=""
    start_server "P-256 by URI" "$EC" p256.crt && EC_PORT="$PORT" || EC_PORT=""
    start_server "RSA-2048 by reference" rsa2048-ref.pem rsa2048.crt && RSA_REF_PORT="$PORT" ||
        RSA_REF_PORT=""
    start_server "P-256 by reference" p256-ref.pem p256.crt && EC_REF_PORT="$PORT" || EC_REF_PORT=""

    handshake "TLS 1.3 RSA-PSS" "$RSA_PORT" rsa2048.crt sign -tls1_3
    grep -q "Peer signature type: RSA-PSS" full.log && pass "TLS 1.3 used RSA-PSS" ||
        fail "TLS 1.3 did not use RSA-PSS"
    handshake "TLS 1.3 ECDSA" "$EC_PORT" p256.crt sign -tls1_3
    grep -q "Peer signature type: ECDSA" full.log && pass "TLS 1.3 used ECDSA" ||
        fail "TLS 1.3 did not use ECDSA"
    handshake "TLS 1.2 ECDHE-RSA" "$RSA_PORT" rsa2048.crt sign -tls1_2 \
        -cipher ECDHE-RSA-AES128-GCM-SHA256
    handshake "TLS 1.2 ECDHE-RSA (PKCS#1 SHA-256 sigalg)" "$RSA_PORT" rsa2048.crt sign -tls1_2 \
        -cipher ECDHE-RSA-AES256-GCM-SHA384 -sigalgs RSA+SHA256
    grep -q "Peer signature type: RSA$" full.log && pass "PKCS#1 v1.5 signature used" ||
        fail "PKCS#1 v1.5 signature not used"
    handshake "TLS 1.2 ECDHE-ECDSA" "$EC_PORT" p256.crt sign -tls1_2 \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256
    handshake "TLS 1.2 ECDHE-ECDSA with SHA-384 on P-256" "$EC_PORT" p256.crt sign -tls1_2 \
        -cipher ECDHE-ECDSA-AES256-GCM-SHA384 -sigalgs ECDSA+SHA384
    handshake "TLS 1.2 RSA key exchange" "$RSA_PORT" rsa2048.crt decrypt -tls1_2 \
        -cipher AES128-GCM-SHA256
    handshake "key reference file: TLS 1.3 RSA-PSS" "$RSA_REF_PORT" rsa2048.crt sign -tls1_3
    handshake "key reference file: TLS 1.3 ECDSA" "$EC_REF_PORT" p256.crt sign -tls1_3
    handshake "key reference file: TLS 1.2 ECDHE-RSA" "$RSA_REF_PORT" rsa2048.crt sign -tls1_2 \
        -cipher ECDHE-RSA-AES128-GCM-SHA256
    handshake "key reference file: TLS 1.2 ECDHE-ECDSA" "$EC_REF_PORT" p256.crt sign -tls1_2 \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256
    handshake "key reference file: TLS 1.2 RSA key exchange" "$RSA_REF_PORT" rsa2048.crt decrypt \
        -tls1_2 -cipher AES256-GCM-SHA384

    # Legacy peers (security level 0): TLS 1.1 signs MD5+SHA-1 and TLS 1.2 may ask for SHA-1, both
    # through RSNULL with a locally built input.
    if start_server "RSA-2048 legacy" "$RSA" rsa2048.crt -cipher 'DEFAULT:@SECLEVEL=0'; then
        handshake "TLS 1.1 ECDHE-RSA (MD5+SHA-1 through RSNULL)" "$PORT" rsa2048.crt sign -tls1_1 \
            -cipher 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0'
        handshake "TLS 1.2 ECDHE-RSA with SHA-1 (RSNULL)" "$PORT" rsa2048.crt sign -tls1_2 \
            -cipher 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' -sigalgs RSA+SHA1
    fi
fi

# Every other key size of the issue: TLS 1.3 and TLS 1.2 (ECDHE, and RSA key exchange).
[ "$PART" = sizes ] && SIZES="rsa3072 rsa4096 p384 p521" || SIZES=""
for spec in $SIZES; do
    make_key "$spec"
    start_server "$spec" "$KEY_URI" "$spec.crt" || continue
    handshake "$spec: TLS 1.3" "$PORT" "$spec.crt" sign -tls1_3
    case "$spec" in
        rsa*)
            handshake "$spec: TLS 1.2 ECDHE-RSA" "$PORT" "$spec.crt" sign -tls1_2 \
                -cipher ECDHE-RSA-AES128-GCM-SHA256
            handshake "$spec: TLS 1.2 RSA key exchange" "$PORT" "$spec.crt" decrypt -tls1_2 \
                -cipher AES128-GCM-SHA256
            ;;
        *)
            handshake "$spec: TLS 1.2 ECDHE-ECDSA" "$PORT" "$spec.crt" sign -tls1_2 \
                -cipher ECDHE-ECDSA-AES128-GCM-SHA256
            ;;
    esac
done
finish

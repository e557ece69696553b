#!/bin/bash
# openssl s_server with vault keys (azkv: URI and AZKV KEY REFERENCE file) against s_client
# without azkv, each handshake verified against the certificate. The emulator's counters must
# show exactly one remote operation per full handshake and none on resumption.
#   tls_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/provider-env.sh" "$1" "$2"

SERVER_PIDS=()
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    emu_stop
}
trap stop_servers EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server KEY CERT -> sets PORT
start_server() {
    PORT="$(free_port)"
    openssl s_server -accept "127.0.0.1:$PORT" -key "$1" -cert "$2" -www -quiet \
        >"server-$PORT.log" 2>&1 &
    SERVER_PIDS+=($!)
    local i
    for i in $(seq 1 300); do  # up to 30 s: the first handshake fetches a token and the key
        plain s_client -connect "127.0.0.1:$PORT" </dev/null >/dev/null 2>&1 && break
        (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
        sleep 0.1
    done
}

# handshake NAME PORT CA EXPECTED_OPERATION [s_client options...]: a verified full handshake
# costing exactly one remote operation, then a resumed one costing none.
handshake() {
    local name="$1" port="$2" ca="$3" op="$4"
    shift 4
    reset_stats
    # The pause lets TLS 1.3's session ticket arrive before the request ends the connection.
    if (sleep 0.3; printf 'GET / HTTP/1.0\r\n\r\n') | plain s_client -connect "127.0.0.1:$port" \
        -CAfile "$ca" -verify_return_error -sess_out "sess-$port" "$@" >full.log 2>&1 &&
        grep -q "Verify return code: 0 (ok)" full.log && grep -q "^New," full.log; then
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
    if printf 'GET / HTTP/1.0\r\n\r\n' | plain s_client -connect "127.0.0.1:$port" -CAfile "$ca" \
        -verify_return_error -sess_in "sess-$port" "$@" >client.log 2>&1 &&
        grep -q "^Reused," client.log; then
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

RSA="$(prov_key demo tls-rsa "$(key_json rsa2048)")"
EC="$(prov_key demo tls-ec "$(key_json p256)")"
openssl req -new -x509 -key "$RSA" -subj /CN=localhost -days 2 -out rsa.crt
openssl req -new -x509 -key "$EC" -subj /CN=localhost -days 2 -out ec.crt
openssl pkey -in "$RSA" -out rsa-ref.pem
openssl pkey -in "$EC" -out ec-ref.pem

start_server "$RSA" rsa.crt
RSA_PORT="$PORT"
start_server "$EC" ec.crt
EC_PORT="$PORT"
start_server rsa-ref.pem rsa.crt
RSA_REF_PORT="$PORT"
start_server ec-ref.pem ec.crt
EC_REF_PORT="$PORT"

handshake "TLS 1.3 RSA-PSS" "$RSA_PORT" rsa.crt sign -tls1_3
grep -q "Peer signature type: RSA-PSS" full.log && pass "TLS 1.3 used RSA-PSS" ||
    fail "TLS 1.3 did not use RSA-PSS"
handshake "TLS 1.3 ECDSA" "$EC_PORT" ec.crt sign -tls1_3
handshake "TLS 1.2 ECDHE-RSA" "$RSA_PORT" rsa.crt sign -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
handshake "TLS 1.2 ECDHE-RSA (PKCS#1 SHA-256 sigalg)" "$RSA_PORT" rsa.crt sign -tls1_2 \
    -cipher ECDHE-RSA-AES256-GCM-SHA384 -sigalgs RSA+SHA256
handshake "TLS 1.2 ECDHE-ECDSA" "$EC_PORT" ec.crt sign -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
handshake "TLS 1.2 ECDHE-ECDSA with SHA-384 on P-256" "$EC_PORT" ec.crt sign -tls1_2 \
    -cipher ECDHE-ECDSA-AES256-GCM-SHA384 -sigalgs ECDSA+SHA384
handshake "TLS 1.2 RSA key exchange" "$RSA_PORT" rsa.crt decrypt -tls1_2 -cipher AES128-GCM-SHA256
handshake "key reference file: TLS 1.3 RSA-PSS" "$RSA_REF_PORT" rsa.crt sign -tls1_3
handshake "key reference file: TLS 1.3 ECDSA" "$EC_REF_PORT" ec.crt sign -tls1_3
handshake "key reference file: TLS 1.2 RSA key exchange" "$RSA_REF_PORT" rsa.crt decrypt -tls1_2 \
    -cipher AES256-GCM-SHA384
finish

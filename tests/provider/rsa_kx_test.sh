#!/bin/bash
# TLS 1.2 RSA key exchange against a vault key has no padding oracle: rsa_kx_oracle.py sends
# good and malformed ClientKeyExchange ciphertexts to s_server with the vault key and to s_server
# with a local key (OpenSSL's own implicit rejection), and every answer must be byte for byte the
# reference's, and for every well-formed ciphertext the same as for the good one. Every such
# ciphertext costs one remote decrypt, so a bad one is not answered sooner by skipping the vault.
#   rsa_kx_test.sh BUILD_DIR SOURCE_DIR
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/provider-env.sh" "$1" "$2"
# shellcheck source=server-env.sh
source "$HERE/server-env.sh"
ROUNDS=3

KEY="$(prov_key demo kx-rsa "$(key_json rsa2048)")"
openssl req -new -x509 -key "$KEY" -subj /CN=localhost -days 2 -out vault.crt
pubkey "$KEY" vault.pub
plain genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out local.key
plain req -new -x509 -key local.key -subj /CN=localhost -days 2 -out local.crt
plain pkey -in local.key -pubout -out local.pub

start_server "vault key" "$KEY" vault.crt
VAULT_PORT="$PORT"
SERVER_OPENSSL=plain start_server "local key" local.key local.crt
LOCAL_PORT="$PORT"

reset_stats
check "no padding oracle: vault key answers like OpenSSL's own RSA" \
    python3 "$HERE/rsa_kx_oracle.py" vault.pub "$VAULT_PORT" local.pub "$LOCAL_PORT" "$ROUNDS"
sed 's/^/    /' "$WORK/last.log"
want="$(sed -n 's/^remote decrypts expected: //p' "$WORK/last.log")"
got="$(op_count decrypt)"
[ -n "$want" ] && [ "$got" -eq "$want" ] &&
    pass "every well-formed ciphertext went to the vault ($got decrypts)" ||
    fail "remote decrypts: $got, want ${want:-?}"
finish

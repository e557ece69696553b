#!/bin/bash
# Fork, threads and TLS-padding decryption through the public OpenSSL API (provider_driver).
#   process_test.sh BUILD_DIR SOURCE_DIR DRIVER
source "$(dirname "$0")/provider-env.sh" "$1" "$2"
DRIVER="$3"

RSA="$(prov_key demo proc-rsa "$(key_json rsa2048)")"
EC="$(prov_key demo proc-ec "$(key_json p256)")"
check "key loaded before fork() signs in 8 children (RSA)" "$DRIVER" "$RSA" fork 8
check "key loaded before fork() signs in 8 children (EC)" "$DRIVER" "$EC" fork 8
reset_stats
check "16 threads sign at once (EVP_DigestSign)" "$DRIVER" "$RSA" threads 16
[ "$(op_count sign)" -eq 64 ] && pass "64 remote signatures for 64 signings" ||
    fail "remote signatures: $(op_count sign), want 64"
check "RSA_PKCS1_WITH_TLS_PADDING: implicit rejection" "$DRIVER" "$RSA" tls-decrypt
finish

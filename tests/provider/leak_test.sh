#!/bin/bash
# No leak once the provider is unloaded: the openssl CLI (which unloads its providers in
# OPENSSL_cleanup at exit) runs azkv's main paths under valgrind. Definite and indirect leaks
# fail the test; "still reachable" memory (OpenSSL's and libcurl's process-wide tables) does not.
#   leak_test.sh BUILD_DIR SOURCE_DIR
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/provider-env.sh" "$1" "$2"
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed: skipped"
    exit 77
fi

# vg COMMAND...: runs COMMAND under valgrind; on a leak prints valgrind's report.
vg() {
    local log="$WORK/valgrind.$RANDOM.log" rc=0
    valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30 --keep-debuginfo=yes \
        --log-file="$log" "$@" || rc=$?
    [ "$rc" -eq 99 ] && cat "$log"
    return "$rc"
}

RSA="$(prov_key demo leak-rsa "$(key_json rsa2048)")"
EC="$(prov_key demo leak-ec "$(key_json p256)")"
pubkey "$RSA" rsa.pub
openssl pkey -in "$EC" -out ec-ref.pem
head -c 1000 /dev/urandom >data.bin
head -c 32 /dev/urandom >secret.bin
plain pkeyutl -encrypt -pubin -inkey rsa.pub -in secret.bin -out ct.bin

check "no leak: dgst -sign (RSA, by URI)" vg openssl dgst -sha256 -sign "$RSA" -out sig data.bin
check "no leak: pkeyutl -decrypt (RSA)" vg openssl pkeyutl -decrypt -inkey "$RSA" -in ct.bin \
    -out pt.bin
check "decrypted plaintext matches" cmp secret.bin pt.bin
check "no leak: dgst -sign (EC, by key reference file)" \
    vg openssl dgst -sha384 -sign ec-ref.pem -out ecsig data.bin
check "no leak: req -x509 and writing a key reference" bash -c "
    $(declare -f vg); WORK='$WORK'; HERE='$HERE'
    vg openssl req -new -x509 -key '$RSA' -subj /CN=leak -days 1 -out leak.crt &&
    vg openssl pkey -in '$RSA' -out leak-ref.pem"
rc=0
vg openssl pkey -in "azkv:$VAULT_URL/keys/leak-missing" -pubout >missing.log 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ] && grep -q "not found" missing.log; then
    pass "no leak on a failed load (missing key)"
else
    fail "failed load: exit $rc (99: leak)"
    sed 's/^/    /' missing.log >&2
fi
finish

#!/bin/bash
# --help at every level, usage errors exit 2, unknown options are named. No emulator needed.
#   help_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
AZKV="$1/cli/azkv"
FAILURES=0
expect() {  # expect CODE PATTERN args...
    local want="$1" pattern="$2"
    shift 2
    out="$("$AZKV" "$@" 2>&1)"
    local got=$?
    if [ "$got" = "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
        echo "PASS: azkv $* -> $got"
    else
        echo "FAIL: azkv $* -> $got (want $want, /$pattern/)" >&2
        sed 's/^/    /' <<<"$out" >&2
        FAILURES=$((FAILURES + 1))
    fi
}
expect 0 "key +list, show, create, rotate" --help
expect 2 "usage: azkv <group>"
expect 0 "usage: azkv key <command>" key --help
expect 0 "--kty RSA-HSM" key create --help
expect 0 "follows rotation" key ref --help
expect 0 "create-self-signed" cert --help
expect 0 "CKM_RSA_AES_KEY_WRAP" byok wrap --help
expect 0 "A256KW" wrap --help
expect 0 "A256GCM" decrypt --help
expect 0 "ES256K" verify --help
expect 0 "clock skew" doctor --help
expect 0 "Exit codes: 0 ok" key list -h
expect 0 "azkv 0" --version
expect 2 "unknown command \"frobnicate\"" frobnicate
expect 2 "unknown key command \"explode\"" key explode
expect 2 "unknown option --bogus \(known here:" key show --bogus x
expect 2 "--output takes table or json" key show k --output yaml
expect 2 "key create needs --vault" key create --name x
expect 2 "byok wrap needs --kek" byok wrap --kek x
[ "$FAILURES" = 0 ]

#!/bin/bash
# conf/azkv.module registered with p11-kit: `p11-kit list-modules` shows the module and both
# tokens, and still succeeds quickly when the vaults are unreachable (the module is not critical
# and its token info never waits on the network).
# Usage: p11kit_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
CONF="$(cd "$(dirname "$0")/../../conf" && pwd)/azkv.module"
p11_setup "$1" "$2"

mkdir -p modules
sed "s|^module:.*|module: $MODULE|" "$CONF" >modules/azkv.module
grep -qx "critical: no" modules/azkv.module || fail "azkv.module must not be critical"
grep -qx "trust-policy: no" modules/azkv.module || fail "azkv.module must not be a trust policy"

# p11-kit ignores user configs when run as root: then the file goes into a private mount of the
# system module directory instead (the path the docs tell administrators to use).
list_modules() {
    if [ "$(id -u)" = 0 ]; then
        unshare -m sh -c "mount --bind '$PWD/modules' /usr/share/p11-kit/modules && p11-kit list-modules"
    else
        mkdir -p home/.config/pkcs11
        cp -r modules home/.config/pkcs11/
        HOME="$PWD/home" p11-kit list-modules
    fi
}

list_modules >modules.txt 2>&1 || { cat modules.txt >&2; fail "p11-kit list-modules"; }
grep -q "^azkv: " modules.txt || { cat modules.txt >&2; fail "azkv module not listed"; }
grep -q "token: demo" modules.txt || fail "token demo not listed"
grep -q "token: hsm" modules.txt || fail "token hsm not listed"
grep -q "model: Managed HSM" modules.txt || fail "the HSM token's model"
grep -q "login-required" modules.txt && fail "azkv tokens must not require login"

kill "$EMU_PID" && wait "$EMU_PID" || true
EMU_PID=""  # the config and work dir stay until exit
start=$(date +%s)
list_modules >down.txt 2>&1 || { cat down.txt >&2; fail "p11-kit list-modules with the vaults down"; }
elapsed=$(($(date +%s) - start))
grep -q "token: demo" down.txt || fail "tokens not listed while the vaults are down"
[ "$elapsed" -le 5 ] || fail "list-modules took ${elapsed}s with the vaults down"
echo "OK: p11-kit lists the azkv module and its tokens (vaults down: ${elapsed}s)"

#!/bin/bash
# azkv doctor: a healthy setup passes (token claims shown, never the token), and each fault gets
# its own diagnosis and fix: config error, config writable by others, no identity, wrong token
# audience, vault unreachable, CA not trusted. (RBAC and clock skew: doctor_rbac_test.sh.)
#   doctor_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"
"$AZKV" key create --vault demo --name signer --kty RSA-HSM --ops sign,verify,decrypt,encrypt,wrapKey,unwrapKey >/dev/null

check_exit 0 "healthy: every check passes" "all checks passed" "$AZKV" doctor --key azkv:demo/signer
check "  token claims are shown" grep -qE "token: from [^:]+: tenant [0-9a-f-]+, object id [0-9a-f-]+, .*audience https://" last.log
check "  DNS, TCP, TLS and the challenge per vault" bash -c \
    "grep -q 'vault demo dns' last.log && grep -q 'vault demo tcp' last.log && grep -q 'vault hsm tls.*trusted by http.ca_file' last.log && grep -q 'vault demo challenge' last.log"
check "  clock in step" grep -q "vault demo clock: in step" last.log
check "  sign, decrypt, wrapKey, unwrapKey probes work" bash -c \
    "for op in get sign decrypt wrapKey unwrapKey; do grep -q \"key azkv:demo/signer \$op: works\" last.log || exit 1; done"
TOKEN="$(emu_token demo)"
check "  the token itself is never printed" bash -c "! grep -qF '${TOKEN:20:40}' last.log"
check "JSON checklist" "$AZKV" doctor --output json --no-key-scan
check "  stable fields" test "$(json_field last.log 'str(d["failures"])+d["checks"][0]["state"]')" = 0info

emu_create_key demo softkey '{"kty":"RSA","key_size":2048}' >/dev/null
check_exit 0 "software-protected keys are listed (warning, not failure)" "software-protected: softkey \(RSA\)" "$AZKV" doctor --vault demo

printf '{"vaults": [' >broken.json && chmod 600 broken.json
check_exit 7 "config error: exit 7, says where and what to do" "\[FAIL\] config: .*broken.json.*not valid JSON" \
    "$AZKV" doctor --config broken.json
check "  with a fix" grep -q "fix: correct .*broken.json" last.log
cp "$AZKV_CONFIG" loose.json && chmod 666 loose.json
check_exit 7 "config writable by others" "fix: chmod 600" "$AZKV" doctor --config loose.json

NOID="$(config_variant 'c["identity"]={"type":"auto"}')"
check_exit 5 "no identity: names what was looked for" "\[FAIL\] identity: auto: no identity source is available" \
    env -i PATH=/usr/bin:/bin HOME="$HOME" "$AZKV" doctor --config "$NOID" --timeout-ms 1000
check "  fix says what to set up" grep -q "fix: run on Azure with a managed identity" last.log

# An `az` that hands out a token for the other vault: a wrong audience.
mkdir -p fakeaz
HSM_TOKEN="$(emu_token hsm)"
cat >fakeaz/az <<SH
#!/bin/sh
echo '{"accessToken":"$HSM_TOKEN","expires_on":'\$((\$(date +%s) + 3000))',"tokenType":"Bearer"}'
SH
chmod +x fakeaz/az
AZCFG="$(config_variant 'c["identity"]={"type":"cli"}; c["vaults"]=c["vaults"][:1]')"
check_exit 5 "wrong token audience" "\[FAIL\] vault demo token: .*the audience is wrong, the vault wants" \
    env PATH="$WORK/fakeaz:/usr/bin:/bin" "$AZKV" doctor --config "$AZCFG" --no-key-scan
check "  fix names the resource" grep -q "accepts only tokens for" last.log

DOWN="$(config_variant 'c["vaults"]=[{"url":"https://127.0.0.1:9","label":"gone"}]')"
check_exit 6 "vault unreachable" "\[FAIL\] vault gone tcp: cannot connect to 127.0.0.1:9" "$AZKV" doctor --config "$DOWN"
check "  fix mentions the firewall" grep -q "fix: check that the vault is reachable" last.log
NODNS="$(config_variant 'c["vaults"]=[{"url":"https://no-such-vault.invalid","label":"nodns"}]')"
check_exit 6 "vault name does not resolve" "\[FAIL\] vault nodns dns: cannot resolve no-such-vault.invalid" \
    "$AZKV" doctor --config "$NODNS"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other-ca.pem \
    -subj /CN=Other-CA -days 1 2>/dev/null
UNTRUSTED="$(config_variant "c['http']['ca_file']='$WORK/other-ca.pem'")"
check_exit 6 "TLS CA not trusted" "\[FAIL\] vault demo tls: the server's CA is not trusted by http.ca_file" \
    "$AZKV" doctor --config "$UNTRUSTED"
check "  fix says which CA to trust" grep -q "fix: set http.ca_file in the config to the CA bundle that issued" last.log
finish

#!/bin/bash
# azkv key: create (RSA-HSM 2048/3072/4096, EC-HSM P-256/P-384/P-521/P-256K, ops, dates, tags),
# show (JWK, SPKI fingerprint checked with openssl), list (every page, JSON and table), rotate,
# enable/disable, delete --yes, export-pub, ref (loaded by the provider format's reader: openssl
# asn1parse), naming by kid / azkv: short form / --vault label; and their error paths.
#   keys_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"

for spec in "RSA-HSM --size 2048" "RSA-HSM --size 3072" "RSA-HSM --size 4096" \
    "EC-HSM --curve P-256" "EC-HSM --curve P-384" "EC-HSM --curve P-521" "EC-HSM --curve P-256K"; do
    name="k-$(echo "$spec" | tr -cd 'a-zA-Z0-9' | tr 'A-Z' 'a-z')"
    # shellcheck disable=SC2086
    check "key create $spec" "$AZKV" key create --vault demo --name "$name" --kty $spec --output json
    cp "$WORK/last.log" "$name.json"
    want="$(echo "$spec" | awk '{print $3}')"
    check "  $name has size/curve $want" test "$(json_field "$name.json" 'd["size_or_curve"]')" = "$want"
    check "  export-pub is a valid PEM" bash -c "'$AZKV' key export-pub azkv:demo/$name --out $name.pub && openssl pkey -pubin -in $name.pub -noout"
    check "  SPKI SHA-256 matches openssl's" test "$(json_field "$name.json" 'd["spki_sha256"]')" = \
        "$(openssl pkey -pubin -in "$name.pub" -outform DER | sha256sum | cut -d' ' -f1)"
done

check "create with ops, dates and tags" "$AZKV" key create --vault "$VAULT_URL" --name opsy --kty EC-HSM \
    --ops sign,verify --not-before 2020-01-01 --expires 2099-12-31T00:00:00Z --tags team=sec,env=ci --output json
cp last.log opsy.json
check "  key_ops stored" test "$(json_field opsy.json '",".join(d["key_ops"])')" = "sign,verify"
check "  expiry stored" test "$(json_field opsy.json 'd["expires"]')" = 4102358400
check "  tags stored" test "$(json_field opsy.json 'd["tags"]["team"]')" = sec
KID="$(json_field opsy.json 'd["kid"]')"

check "show by kid URL" "$AZKV" key show "$KID"
check "  table shows the type" grep -q "EC-HSM P-256" last.log
check "show by --vault URL and NAME/VERSION" "$AZKV" key show --vault "$VAULT_URL" "opsy/${KID##*/}"
check "show by azkv:LABEL/NAME" "$AZKV" key show azkv:demo/opsy --output json
check "  JSON has the JWK" test "$(json_field last.log 'd["jwk"]["crv"]')" = P-256

# Paging: more keys than a page (the client asks for 25 per page).
for i in $(seq 1 20); do emu_create_key demo "page-$i" '{"kty":"EC-HSM","crv":"P-256"}' >/dev/null; done
check "list follows every page (JSON)" "$AZKV" key list --vault demo --output json
check "  all keys listed" test "$(json_field last.log 'len(d)')" -ge 28
check "  rows carry type and ops" test "$(json_field last.log '[r for r in d if r["name"]=="opsy"][0]["kty"]')" = EC-HSM
check "list table" "$AZKV" key list --vault demo --brief
check "  table header" grep -q "^NAME .*OPERATIONS" last.log

check "rotate makes a new version" "$AZKV" key rotate azkv:demo/opsy --output json
check "  new version differs" test "$(json_field last.log 'd["kid"]')" != "$KID"
check "  rotation keeps ops and tags" test "$(json_field last.log '",".join(d["key_ops"])+d["tags"]["env"]')" = "sign,verifyci"

check "disable" "$AZKV" key disable azkv:demo/opsy
check "  shown disabled" bash -c "'$AZKV' key show azkv:demo/opsy | grep -q 'enabled:     no'"
check_exit 4 "sign with a disabled key is denied (exit 4)" "opsy.*(disabled|KeyDisabled|Forbidden)" \
    bash -c "echo hi | '$AZKV' sign azkv:demo/opsy --alg ES256"
check "enable" "$AZKV" key enable azkv:demo/opsy
check "  sign works again" bash -c "echo hi | '$AZKV' sign azkv:demo/opsy --alg ES256 --out s.der"

check "key ref writes a PEM key reference" "$AZKV" key ref azkv:demo/k-rsahsmsize2048 --pin --out ref.pem
check "  it is an AZKV KEY REFERENCE" grep -q -- "-----BEGIN AZKV KEY REFERENCE-----" ref.pem
check "  DER names the format, the pinned kid and the public key" bash -c \
    "openssl asn1parse -in ref.pem -inform PEM | grep -q 'AZKV KEY REFERENCE v1' &&
     openssl asn1parse -in ref.pem -inform PEM | grep -q 'keys/k-rsahsmsize2048/[0-9a-f]\{32\}' &&
     openssl asn1parse -in ref.pem -inform PEM | grep -q rsaEncryption"
"$AZKV" key ref azkv:demo/k-rsahsmsize2048 >unpinned.pem
openssl asn1parse -inform PEM -in unpinned.pem >unpinned.txt 2>&1
check "unpinned ref names the key without a version" grep -qE 'keys/k-rsahsmsize2048 *$' unpinned.txt
check "  and carries no public key" bash -c "! grep -q rsaEncryption unpinned.txt"

check_exit 2 "delete without --yes off a terminal refuses" "pass --yes" "$AZKV" key delete azkv:demo/page-1 </dev/null
check "delete --yes" "$AZKV" key delete azkv:demo/page-1 --yes
check_exit 3 "show after delete: not found (exit 3)" "page-1.*404|not found|NotFound" "$AZKV" key show azkv:demo/page-1

# Error paths.
check_exit 3 "404 names the vault and key" "$VAULT_URL.*nosuchkey|nosuchkey.*$VAULT_URL" "$AZKV" key show azkv:demo/nosuchkey
check_exit 7 "bad RSA size" "--size for RSA" "$AZKV" key create --vault demo --name bad --kty RSA-HSM --size 1024
check_exit 7 "bad curve" "--curve \"P-999\"" "$AZKV" key create --vault demo --name bad --kty EC-HSM --curve P-999
check_exit 7 "bad date" "--expires \"tomorrow\"" "$AZKV" key create --vault demo --name bad --expires tomorrow
check_exit 7 "bad key name" "not NAME or NAME/VERSION" "$AZKV" key show --vault demo 'bad_name!'
check_exit 7 "unknown vault label" "neither an https:// URL nor a vault label" "$AZKV" key list --vault nowhere
check_exit 7 "certificate id where a key is wanted" "not a key" "$AZKV" key show "$VAULT_URL/certificates/x"
check_exit 7 "missing config file" "nonexistent" "$AZKV" key list --vault demo --config /nonexistent/azkv.json
finish

#!/bin/bash
# BYOK end to end with SoftHSM as the on-premises HSM: RSA and EC keys generated in SoftHSM
# (extractable, never exported in the clear), byok kek create/export, byok wrap from SoftHSM,
# byok import; then the imported keys sign through the vault via the PKCS#11 module
# (pkcs11-tool) and via the OpenSSL provider, and openssl verifies with the public key SoftHSM holds.
#   byok_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
AZKV_P11="$BUILD_DIR/pkcs11/libazkv-pkcs11.so"
export SOFTHSM2_CONF="$WORK/softhsm2.conf"
mkdir -p "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label onprem --so-pin 5678 --pin 1234 >/dev/null
echo 1234 >pin.txt
chmod 600 pin.txt
p11() { pkcs11-tool --module "$SOFTHSM" --token-label onprem --login --pin 1234 "$@"; }

check "SoftHSM: generate RSA 2048 (extractable)" p11 --keypairgen --key-type rsa:2048 --label onprem-rsa --id 01 --extractable
check "SoftHSM: generate EC P-256 (extractable)" p11 --keypairgen --key-type EC:prime256v1 --label onprem-ec --id 02 --extractable
p11 --read-object --type pubkey --label onprem-rsa -o rsa.pub.der >/dev/null 2>&1
p11 --read-object --type pubkey --label onprem-ec -o ec.pub.der >/dev/null 2>&1
openssl pkey -pubin -inform DER -in rsa.pub.der -out softhsm-rsa.pub
openssl pkey -pubin -inform DER -in ec.pub.der -out softhsm-ec.pub
check "SoftHSM public keys read" test -s softhsm-rsa.pub -a -s softhsm-ec.pub

check "byok kek create" "$AZKV" byok kek create --vault demo --name kek --output json
KEK="$(json_field last.log 'd["kid"]')"
check "  KEK is RSA-HSM with key_ops [import]" test "$(json_field last.log 'd["kty"]+":"+",".join(d["key_ops"])')" = "RSA-HSM:import"
check "byok kek export" "$AZKV" byok kek export "$KEK" --out kek.pem
check "  PEM RSA public key" bash -c "openssl pkey -pubin -in kek.pem -noout -text | grep -q 'Public-Key: (2048 bit)'"
check_exit 7 "kek export refuses a key that is not a KEK" "not a key-exchange key" \
    bash -c "'$AZKV' key create --vault demo --name notkek >/dev/null && '$AZKV' byok kek export azkv:demo/notkek"

check "byok wrap RSA from SoftHSM" "$AZKV" byok wrap --kek "$KEK" --module "$SOFTHSM" --token onprem \
    --pin-file pin.txt --key-label onprem-rsa --out rsa.byok
check "  used the token's AES-KWP + RSA-OAEP" grep -q "CKM_AES_KEY_WRAP_PAD+CKM_RSA_PKCS_OAEP" last.log
check "  .byok names the KEK and the transfer format" bash -c \
    "python3 -c \"import json; d=json.load(open('rsa.byok')); assert d['header']=={'kid':'$KEK','alg':'dir','enc':'CKM_RSA_AES_KEY_WRAP'} and d['schema_version']=='1.0.0'\""
check "  no private key material in the clear" bash -c "! grep -q PRIVATE rsa.byok"
check "byok wrap EC from SoftHSM" "$AZKV" byok wrap --kek "$KEK" --module "$SOFTHSM" --token onprem \
    --pin-file pin.txt --key-id 02 --out ec.byok
check "  suggests --kty EC-HSM --curve P-256" grep -q -- "--kty EC-HSM --curve P-256" last.log
check_exit 7 "wrap with CKM_RSA_AES_KEY_WRAP, which SoftHSM lacks, says so" "CKM_RSA_AES_KEY_WRAP failed" \
    "$AZKV" byok wrap --kek "$KEK" --module "$SOFTHSM" --token onprem --pin-file pin.txt \
    --key-label onprem-rsa --mechanism rsa-aes --out x.byok
check_exit 3 "wrap from a missing token lists the tokens" "no token labelled \"nope\" \(tokens: onprem" \
    "$AZKV" byok wrap --kek "$KEK" --module "$SOFTHSM" --token nope --pin-file pin.txt --key-label onprem-rsa --out x.byok
check_exit 5 "wrong PIN" "C_Login failed" bash -c "echo 0000 >bad.pin && '$AZKV' byok wrap --kek '$KEK' \
    --module '$SOFTHSM' --token onprem --pin-file bad.pin --key-label onprem-rsa --out x.byok"

check "byok import RSA" "$AZKV" byok import --kek "$KEK" --file rsa.byok --name imported-rsa --ops sign,verify --output json
RSA_KID="$(json_field last.log 'd["kid"]')"
check "  imported as RSA-HSM" test "$(json_field last.log 'd["kty"]')" = RSA-HSM
check "byok import EC" "$AZKV" byok import --vault demo --file ec.byok --name imported-ec --kty EC-HSM --curve P-256 --output json
EC_KID="$(json_field last.log 'd["kid"]')"
check "  the vault's public keys are SoftHSM's" bash -c \
    "'$AZKV' key export-pub azkv:demo/imported-rsa | cmp - softhsm-rsa.pub && '$AZKV' key export-pub azkv:demo/imported-ec | cmp - softhsm-ec.pub"
check_exit 7 "import with another KEK named is refused" "was wrapped for" \
    "$AZKV" byok import --kek "$VAULT_URL/keys/other" --file rsa.byok --name x

head -c 5000 /dev/urandom >data.bin
openssl dgst -sha256 -binary data.bin >digest.bin
RSA_VER="${RSA_KID##*/}"
EC_VER="${EC_KID##*/}"
check "PKCS#11 module signs with the imported RSA key (SHA256-RSA-PKCS)" pkcs11-tool --module "$AZKV_P11" \
    --token-label demo --sign --id "$RSA_VER" -m SHA256-RSA-PKCS -i data.bin -o p11-rsa.sig
check "  openssl verifies with SoftHSM's public key" openssl dgst -sha256 -verify softhsm-rsa.pub -signature p11-rsa.sig data.bin
check "PKCS#11 module signs with the imported EC key (ECDSA)" pkcs11-tool --module "$AZKV_P11" \
    --token-label demo --sign --id "$EC_VER" -m ECDSA --signature-format openssl -i digest.bin -o p11-ec.sig
check "  openssl verifies with SoftHSM's public key" openssl dgst -sha256 -verify softhsm-ec.pub -signature p11-ec.sig data.bin

export OPENSSL_MODULES="$BUILD_DIR/provider"
check "provider signs with the imported RSA key" openssl dgst -sha256 -provider azkv -provider default \
    -sign "azkv:$RSA_KID" -out prov-rsa.sig data.bin
check "  openssl verifies with SoftHSM's public key" openssl dgst -sha256 -verify softhsm-rsa.pub -signature prov-rsa.sig data.bin
check "provider signs with the imported EC key" openssl dgst -sha256 -provider azkv -provider default \
    -sign "azkv:$EC_KID" -out prov-ec.sig data.bin
check "  openssl verifies with SoftHSM's public key" openssl dgst -sha256 -verify softhsm-ec.pub -signature prov-ec.sig data.bin
finish

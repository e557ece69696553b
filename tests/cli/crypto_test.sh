#!/bin/bash
# sign/verify (checked with openssl), encrypt/decrypt and wrap/unwrap with RSA-OAEP-256,
# RSA-OAEP and RSA1_5 (ciphertexts also made by openssl), and on Managed HSM oct-HSM keys
# A256KW, A256GCM with AAD, A128CBCPAD; binary data through files and stdin/stdout.
#   crypto_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"

"$AZKV" key create --vault demo --name rsa --kty RSA-HSM --size 3072 >/dev/null
"$AZKV" key create --vault demo --name ec384 --kty EC-HSM --curve P-384 >/dev/null
"$AZKV" key export-pub azkv:demo/rsa --out rsa.pub
"$AZKV" key export-pub azkv:demo/ec384 --out ec.pub
head -c 100000 /dev/urandom >data.bin

for alg in RS256 RS384 RS512 PS256 PS512; do
    bits="${alg:2:3}"
    check "sign $alg" "$AZKV" sign azkv:demo/rsa --alg "$alg" --in data.bin --out "$alg.sig"
    opts=()
    [ "${alg:0:2}" = PS ] && opts=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest)
    check "  openssl verifies $alg" openssl dgst "-sha$bits" "${opts[@]}" -verify rsa.pub -signature "$alg.sig" data.bin
    check "  azkv verify $alg" "$AZKV" verify azkv:demo/rsa --alg "$alg" --in data.bin --signature "$alg.sig"
done
check "sign ES384 from stdin to stdout (DER)" bash -c "'$AZKV' sign azkv:demo/ec384 --alg ES384 <data.bin >es.sig"
check "  openssl verifies ES384" openssl dgst -sha384 -verify ec.pub -signature es.sig data.bin
check "sign ES384 --format raw is r||s (96 bytes)" bash -c \
    "'$AZKV' sign azkv:demo/ec384 --alg ES384 --format raw --in data.bin | wc -c | grep -qx 96"

head -c 32 /dev/urandom >dek.bin
for alg in RSA-OAEP-256 RSA-OAEP RSA1_5; do
    check "wrap $alg" "$AZKV" wrap azkv:demo/rsa --alg "$alg" --in dek.bin --out "w-$alg.bin"
    check "  ciphertext is modulus-sized (384 bytes)" test "$(wc -c <"w-$alg.bin")" = 384
    check "  unwrap $alg round-trips" bash -c "'$AZKV' unwrap azkv:demo/rsa --alg $alg --in w-$alg.bin | cmp - dek.bin"
    check "  decrypt $alg of an encrypt" bash -c \
        "'$AZKV' encrypt azkv:demo/rsa --alg $alg --in dek.bin | '$AZKV' decrypt azkv:demo/rsa --alg $alg | cmp - dek.bin"
done
check "openssl-made RSA-OAEP-256 ciphertext decrypts" bash -c \
    "openssl pkeyutl -encrypt -pubin -inkey rsa.pub -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
       -pkeyopt rsa_mgf1_md:sha256 -in dek.bin -out o.bin && '$AZKV' decrypt azkv:demo/rsa --alg RSA-OAEP-256 --in o.bin | cmp - dek.bin"
check "JSON output carries kid, alg and base64url value" bash -c \
    "'$AZKV' wrap azkv:demo/rsa --in dek.bin --output json >w.json && python3 -c \"import json; d=json.load(open('w.json')); assert d['alg']=='RSA-OAEP-256' and '/keys/rsa/' in d['kid'] and len(d['value'])==512\""

# Managed HSM symmetric keys.
check "create oct-HSM 256 on the Managed HSM" "$AZKV" key create --vault hsm --name aes --kty oct-HSM --size 256
check "A256KW wrap/unwrap" bash -c \
    "'$AZKV' wrap azkv:hsm/aes --alg A256KW --in dek.bin --out kw.bin && test \$(wc -c <kw.bin) = 40 &&
     '$AZKV' unwrap azkv:hsm/aes --alg A256KW --in kw.bin | cmp - dek.bin"
echo "header" >aad.bin
check "A256GCM encrypt with AAD writes IV and tag" \
    "$AZKV" encrypt azkv:hsm/aes --alg A256GCM --in data.bin --aad aad.bin --iv gcm.iv --tag gcm.tag --out gcm.bin
check "  tag is 16 bytes" test "$(wc -c <gcm.tag)" = 16
check "  decrypt round-trips" bash -c \
    "'$AZKV' decrypt azkv:hsm/aes --alg A256GCM --in gcm.bin --aad aad.bin --iv gcm.iv --tag gcm.tag | cmp - data.bin"
echo "other" >aad2.bin
check_exit 7 "  a different AAD fails authentication" "." \
    "$AZKV" decrypt azkv:hsm/aes --alg A256GCM --in gcm.bin --aad aad2.bin --iv gcm.iv --tag gcm.tag
check_exit 2 "  GCM decrypt without the tag is a usage error" "needs --iv FILE and --tag FILE" \
    "$AZKV" decrypt azkv:hsm/aes --alg A256GCM --in gcm.bin --iv gcm.iv
check "create oct-HSM 128" "$AZKV" key create --vault hsm --name aes128 --kty oct-HSM --size 128
check "A128CBCPAD round trip with a random IV" bash -c \
    "'$AZKV' encrypt azkv:hsm/aes128 --alg A128CBCPAD --in data.bin --iv cbc.iv --out cbc.bin && test \$(wc -c <cbc.iv) = 16 &&
     '$AZKV' decrypt azkv:hsm/aes128 --alg A128CBCPAD --in cbc.bin --iv cbc.iv | cmp - data.bin"
check_exit 7 "A256KW on a vault RSA key is refused" "needs an oct-HSM key" \
    "$AZKV" wrap azkv:demo/rsa --alg A256KW --in dek.bin
finish

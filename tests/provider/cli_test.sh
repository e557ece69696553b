#!/bin/bash
# openssl CLI acceptance for one vault key: pkeyutl sign/verify/decrypt, dgst -sign, req -x509,
# x509 -req -CAkey, cms -sign, and the key management a certificate check needs (provider_driver
# keymgmt). Every signature is verified by openssl without azkv loaded.
#   cli_test.sh BUILD_DIR SOURCE_DIR KEYSPEC DRIVER
source "$(dirname "$0")/provider-env.sh" "$1" "$2"
SPEC="$3"
DRIVER="$4"

KEY="$(prov_key demo "k-$SPEC" "$(key_json "$SPEC")")"
check "export public key" pubkey "$KEY" pub.pem
head -c 5000 /dev/urandom >data.bin

case "$SPEC" in
    rsa*) DIGESTS="sha256 sha384 sha512 sha1 sha224" ;;
    *) DIGESTS="sha256 sha384 sha512" ;;
esac
for md in $DIGESTS; do
    check "dgst -$md -sign" openssl dgst "-$md" -sign "$KEY" -out "sig.$md" data.bin
    check "dgst -$md signature verifies (default provider)" \
        plain dgst "-$md" -verify pub.pem -signature "sig.$md" data.bin
done

# pkeyutl over a digest; the signature verifies with the public key alone.
plain dgst -sha256 -binary -out digest.bin data.bin
check "pkeyutl -sign (sha256 digest)" \
    openssl pkeyutl -sign -inkey "$KEY" -pkeyopt digest:sha256 -in digest.bin -out pk.sig
check "pkeyutl signature verifies (default provider)" \
    plain pkeyutl -verify -pubin -inkey pub.pem -pkeyopt digest:sha256 -in digest.bin -sigfile pk.sig
reset_stats
check "pkeyutl -verify through azkv" \
    openssl pkeyutl -verify -inkey "$KEY" -pkeyopt digest:sha256 -in digest.bin -sigfile pk.sig
[ "$(op_count verify)" -eq 0 ] && [ "$(op_count sign)" -eq 0 ] &&
    pass "verification runs locally (no remote operation)" ||
    fail "verification made remote calls: verify=$(op_count verify) sign=$(op_count sign)"
echo "other data" | plain dgst -sha256 -binary -out other-digest.bin
check_fails "a signature over other data does not verify through azkv" "" \
    openssl pkeyutl -verify -inkey "$KEY" -pkeyopt digest:sha256 -in other-digest.bin -sigfile pk.sig
check "pkeyutl -rawin -sign" openssl pkeyutl -sign -rawin -digest sha384 -inkey "$KEY" \
    -in data.bin -out raw.sig
check "pkeyutl -rawin signature verifies" plain pkeyutl -verify -rawin -digest sha384 -pubin \
    -inkey pub.pem -in data.bin -sigfile raw.sig

if [[ "$SPEC" == rsa* ]]; then
    for md in sha256 sha384 sha512; do
        check "dgst -$md PSS sign" openssl dgst "-$md" -sign "$KEY" \
            -sigopt rsa_padding_mode:pss -out "pss.$md" data.bin
        check "PSS $md verifies with salt = digest length" plain dgst "-$md" -verify pub.pem \
            -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
            -signature "pss.$md" data.bin
    done
    check_fails "PSS with salt length max is refused, naming Key Vault's rule" \
        "salt length = digest length" openssl dgst -sha256 -sign "$KEY" \
        -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max -out x data.bin
    check_fails "PSS with salt length 20 for SHA-256 is refused" "salt length = digest length" \
        openssl dgst -sha256 -sign "$KEY" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:20 -out x data.bin
    # A prepared DigestInfo goes through RSNULL.
    check "pkeyutl -sign raw PKCS#1 input (RSNULL)" \
        openssl pkeyutl -sign -inkey "$KEY" -in digest.bin -out rsnull.sig
    check "RSNULL signature verifies" \
        plain pkeyutl -verify -pubin -inkey pub.pem -in digest.bin -sigfile rsnull.sig
fi

check "req -new -x509 -key azkv:" openssl req -new -x509 -key "$KEY" -subj "/CN=azkv $SPEC CA" \
    -days 2 -addext basicConstraints=critical,CA:TRUE -out ca.pem
check "self-signed certificate verifies" plain verify -CAfile ca.pem ca.pem
check "req -new (CSR)" openssl req -new -key "$KEY" -subj "/CN=azkv $SPEC csr" -out csr.pem
check "CSR signature verifies" plain req -in csr.pem -verify -noout
plain genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
plain req -new -key leaf.key -subj "/CN=leaf" -out leaf.csr
check "x509 -req -CAkey azkv:" openssl x509 -req -in leaf.csr -CA ca.pem -CAkey "$KEY" \
    -CAcreateserial -days 1 -out leaf.pem
check "issued certificate verifies against the vault CA" plain verify -CAfile ca.pem leaf.pem
check "cms -sign" openssl cms -sign -in data.bin -binary -signer ca.pem -inkey "$KEY" \
    -outform DER -out data.cms
check "CMS signature verifies" plain cms -verify -in data.cms -inform DER -binary \
    -content data.bin -CAfile ca.pem -out /dev/null
if [[ "$SPEC" == rsa* ]]; then
    check "req -x509 with RSA-PSS" openssl req -new -x509 -key "$KEY" -subj "/CN=pss" -days 1 \
        -sigopt rsa_padding_mode:pss -out pss-ca.pem
    check "RSA-PSS certificate verifies" plain verify -CAfile pss-ca.pem pss-ca.pem
    head -c 32 /dev/urandom >secret.bin
    for pad in "pkcs1" "oaep sha1" "oaep sha256"; do
        set -- $pad
        opts=(-pkeyopt "rsa_padding_mode:$1")
        [ -n "${2:-}" ] && opts+=(-pkeyopt "rsa_oaep_md:$2" -pkeyopt "rsa_mgf1_md:$2")
        plain pkeyutl -encrypt -pubin -inkey pub.pem "${opts[@]}" -in secret.bin -out ct.bin
        check "pkeyutl -decrypt $pad" openssl pkeyutl -decrypt -inkey "$KEY" "${opts[@]}" \
            -in ct.bin -out pt.bin
        check "decrypted $pad plaintext matches" cmp secret.bin pt.bin
    done
    check_fails "OAEP with SHA-384 is refused, naming what Key Vault offers" "RSA-OAEP-256" \
        openssl pkeyutl -decrypt -inkey "$KEY" -pkeyopt rsa_padding_mode:oaep \
        -pkeyopt rsa_oaep_md:sha384 -in ct.bin -out pt.bin
fi

# Key management as X509_check_private_key, SSL_CTX_check_private_key and libssl use it.
plain genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key
plain req -new -x509 -key other.key -subj /CN=other -days 1 -out other.pem
check "keymgmt: params, match with its certificate, mismatch with another" \
    "$DRIVER" "$KEY" keymgmt ca.pem other.pem
finish

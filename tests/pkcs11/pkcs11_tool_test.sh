#!/bin/bash
# OpenSC pkcs11-tool against the module: -L/-O/-M, public keys, every signing mechanism for
# RSA 2048/3072/4096 and P-256/384/521 (verified with the openssl CLI), OAEP and PKCS#1
# decryption, and the emulator's count of remote calls per signature.
# Usage: pkcs11_tool_test.sh EMULATOR MODULE
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"

pkcs11-tool --module "$MODULE" -L | grep -q "token label *: demo" || fail "-L lacks the demo token"
pkcs11-tool --module "$MODULE" -L | grep -q "token model *: Managed HSM" || fail "-L lacks the HSM token"
head -c 1000 /dev/urandom >data

declare -A RSA_IDS EC_IDS
for bits in 2048 3072 4096; do
    RSA_IDS[$bits]=$(p11_key demo "rsa$bits" "{\"kty\":\"RSA-HSM\",\"key_size\":$bits}")
done
for crv in P-256 P-384 P-521; do
    EC_IDS[$crv]=$(p11_key demo "ec${crv#P-}" "{\"kty\":\"EC-HSM\",\"crv\":\"$crv\"}")
done

pkcs11-tool --module "$MODULE" --slot 0 -O >objects.txt
for n in rsa2048 rsa3072 rsa4096 ec256 ec384 ec521; do
    [ "$(grep -c "label: *$n\$" objects.txt)" = 2 ] || fail "-O should list private and public $n"
done
pkcs11-tool --module "$MODULE" --slot 0 -M >mechs.txt
grep -q "SHA1-RSA-PKCS" mechs.txt || fail "vault token must offer SHA1-RSA-PKCS"
pkcs11-tool --module "$MODULE" --slot 1 -M >hsm-mechs.txt
grep -q "SHA1-RSA-PKCS" hsm-mechs.txt && fail "Managed HSM token must not offer SHA1-RSA-PKCS"

sign_and_verify() {  # ID PEM MECHANISM OPENSSL-ARGS...
    local id="$1" pem="$2" mech="$3"
    shift 3
    pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m "$mech" -i data -o sig \
        --signature-format openssl >/dev/null 2>&1 || fail "sign $mech with $pem"
    openssl dgst "$@" -verify "$pem" -signature sig data >/dev/null ||
        fail "openssl does not verify $mech by $pem"
    checks=$((checks + 1))
}

checks=0
for bits in 2048 3072 4096; do
    id=${RSA_IDS[$bits]}
    p11_pubkey demo "$id" "rsa$bits.pem"
    for h in sha1 sha224 sha256 sha384 sha512; do
        sign_and_verify "$id" "rsa$bits.pem" "${h^^}-RSA-PKCS" "-$h"
    done
    for h in sha256 sha384 sha512; do
        sign_and_verify "$id" "rsa$bits.pem" "${h^^}-RSA-PKCS-PSS" "-$h" \
            -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
    done
    # CKM_RSA_PKCS over a caller-built DigestInfo (pkcs11-tool hashes nothing for it).
    openssl dgst -sha256 -binary data >digest
    printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20' |
        cat - digest >digestinfo
    pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m RSA-PKCS -i digestinfo -o sig >/dev/null 2>&1 ||
        fail "RSA-PKCS sign"
    openssl dgst -sha256 -verify "rsa$bits.pem" -signature sig data >/dev/null || fail "RSA-PKCS verify"
    # CKM_RSA_PKCS_PSS over a digest.
    pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m RSA-PKCS-PSS --hash-algorithm SHA256 \
        --mgf MGF1-SHA256 --salt-len -1 -i digest -o sig >/dev/null 2>&1 || fail "RSA-PKCS-PSS sign"
    openssl pkeyutl -verify -pubin -inkey "rsa$bits.pem" -in digest -sigfile sig -pkeyopt digest:sha256 \
        -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest >/dev/null || fail "RSA-PKCS-PSS verify"
    checks=$((checks + 2))

    # Decryption: openssl encrypts with the public key, the vault decrypts.
    head -c 32 /dev/urandom >secret
    openssl pkeyutl -encrypt -pubin -inkey "rsa$bits.pem" -in secret -out ct \
        -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
    pkcs11-tool --module "$MODULE" --slot 0 --decrypt --id "$id" -m RSA-PKCS-OAEP --hash-algorithm SHA256 \
        --mgf MGF1-SHA256 -i ct -o pt >/dev/null 2>&1 || fail "OAEP-256 decrypt"
    cmp -s secret pt || fail "OAEP-256 plaintext differs"
    openssl pkeyutl -encrypt -pubin -inkey "rsa$bits.pem" -in secret -out ct -pkeyopt rsa_padding_mode:oaep
    pkcs11-tool --module "$MODULE" --slot 0 --decrypt --id "$id" -m RSA-PKCS-OAEP --hash-algorithm SHA-1 \
        --mgf MGF1-SHA1 -i ct -o pt >/dev/null 2>&1 || fail "OAEP-SHA1 decrypt"
    cmp -s secret pt || fail "OAEP-SHA1 plaintext differs"
    openssl pkeyutl -encrypt -pubin -inkey "rsa$bits.pem" -in secret -out ct -pkeyopt rsa_padding_mode:pkcs1
    pkcs11-tool --module "$MODULE" --slot 0 --decrypt --id "$id" -m RSA-PKCS -i ct -o pt >/dev/null 2>&1 ||
        fail "PKCS#1 decrypt"
    cmp -s secret pt || fail "PKCS#1 plaintext differs"
    checks=$((checks + 3))
done

declare -A EC_HASH=([P-256]=sha256 [P-384]=sha384 [P-521]=sha512)
for crv in P-256 P-384 P-521; do
    id=${EC_IDS[$crv]}
    p11_pubkey demo "$id" "ec$crv.pem"
    for h in sha256 sha384 sha512; do
        sign_and_verify "$id" "ec$crv.pem" "ECDSA-${h^^}" "-$h"
    done
    # CKM_ECDSA over a digest of any length (ECDSA's truncation rule).
    for h in sha1 sha256 sha512; do
        openssl dgst -$h -binary data >digest
        pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m ECDSA -i digest -o sig \
            --signature-format openssl >/dev/null 2>&1 || fail "ECDSA sign"
        openssl pkeyutl -verify -pubin -inkey "ec$crv.pem" -in digest -sigfile sig >/dev/null ||
            fail "ECDSA over $h by $crv does not verify"
        checks=$((checks + 1))
    done
done

# Exactly one remote sign per signature (after warm-up), none for verification.
id=${RSA_IDS[2048]}
pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m SHA256-RSA-PKCS -i data -o sig >/dev/null 2>&1
p11_reset_stats
pkcs11-tool --module "$MODULE" --slot 0 --sign --id "$id" -m SHA256-RSA-PKCS -i data -o sig >/dev/null 2>&1
signs=$(p11_op_count sign)
[ "$signs" = 1 ] || fail "one C_Sign made $signs remote sign calls"
pkcs11-tool --module "$MODULE" --slot 0 --verify --id "$id" -m SHA256-RSA-PKCS -i data --signature-file sig \
    >/dev/null 2>&1 || fail "C_Verify rejects a good signature"
[ "$(p11_op_count verify)" = 0 ] || fail "verification went to the vault"
echo "remote sign calls per C_Sign: $signs"
echo "OK: $checks signature/decryption checks verified by openssl"

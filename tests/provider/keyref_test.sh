#!/bin/bash
# AZKV KEY REFERENCE files: written by the encoder, read back through PEM_read_bio_PrivateKey
# (openssl pkey / s_server / dgst), also when the reference is not the first PEM block; and a
# tampered reference is refused with a message naming the key.
#   keyref_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/provider-env.sh" "$1" "$2"

RSA="$(prov_key demo ref-rsa "$(key_json rsa2048)")"
EC="$(prov_key demo ref-ec "$(key_json p384)")"
OTHER="$(prov_key demo ref-oth "$(key_json rsa2048)")"
pubkey "$RSA" rsa.pub
head -c 1000 /dev/urandom >data.bin

# Without OPENSSL_CONF: the providers named on the command line, as the issue spells it.
check "openssl pkey -provider azkv -provider default -in azkv: -out ref.pem" \
    env OPENSSL_CONF=/dev/null openssl pkey -provider azkv -provider default -in "$RSA" -out ref.pem
check "the file is an AZKV KEY REFERENCE" grep -q -- "-----BEGIN AZKV KEY REFERENCE-----" ref.pem
check "it holds no private key" bash -c '! grep -q "PRIVATE KEY" ref.pem'
check "openssl pkey -in ref.pem yields the vault key's public key" \
    bash -c 'openssl pkey -in ref.pem -pubout | cmp - rsa.pub'
check "dgst -sign with the reference file" openssl dgst -sha256 -sign ref.pem -out sig data.bin
check "signature verifies (default provider)" plain dgst -sha256 -verify rsa.pub -signature sig data.bin
openssl pkey -in "${RSA%/*}" -out latest-ref.pem
check "an unversioned URI writes an unpinned reference that loads" \
    bash -c 'openssl pkey -in latest-ref.pem -pubout | cmp - rsa.pub'
check "EC reference" bash -c "openssl pkey -in '$EC' -out ec-ref.pem &&
    openssl dgst -sha384 -sign ec-ref.pem -out ecsig data.bin &&
    openssl pkey -in '$EC' -pubout -out ec.pub &&
    OPENSSL_CONF=/dev/null openssl dgst -sha384 -verify ec.pub -signature ecsig data.bin"

# haproxy-style bundle: certificate first, then the key reference.
openssl req -new -x509 -key "$RSA" -subj /CN=bundle -days 1 -out cert.pem
cat cert.pem ref.pem >bundle.pem
check "reference after a certificate in one file is found" \
    bash -c 'openssl pkey -in bundle.pem -pubout | cmp - rsa.pub'
check "certificate and key of the bundle match" \
    bash -c 'openssl x509 -in bundle.pem -pubkey -noout | cmp - <(openssl pkey -in bundle.pem -pubout)'

# A reference whose URI was edited to another key no longer matches its pinned public key.
python3 - "$OTHER" <<'PY'
import base64, re, sys
text = open("ref.pem").read()
b64 = "".join(re.search(r"-----BEGIN AZKV KEY REFERENCE-----(.*)-----END", text, re.S).group(1).split())
der = base64.b64decode(b64)
old = re.search(rb"azkv:https://[^/]+/keys/ref-rsa/[0-9a-f]{32}", der).group(0)
new = sys.argv[1].encode()
assert len(new) == len(old), (old, new)
der = der.replace(old, new)
body = base64.b64encode(der).decode()
lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
open("tampered.pem", "w").write("-----BEGIN AZKV KEY REFERENCE-----\n" + lines + "\n-----END AZKV KEY REFERENCE-----\n")
PY
# openssl's file loader drops decoder errors from the queue ("unsupported"), so the message is
# checked in azkv's log.
check_fails "a tampered reference is refused, naming the key" \
    "does not match the vault" env AZKV_LOG_LEVEL=debug openssl pkey -in tampered.pem -pubout
printf -- '-----BEGIN AZKV KEY REFERENCE-----\nMAA=\n-----END AZKV KEY REFERENCE-----\n' >broken.pem
check_fails "a malformed reference says so" "AZKV KEY REFERENCE is malformed" \
    env AZKV_LOG_LEVEL=debug openssl pkey -in broken.pem

# Hostile references: each is refused with a message that says why (checked in azkv's log, see
# above). make_ref OUT URI [PUBLIC_KEY_PEM] writes a reference as the encoder would.
make_ref() {
    python3 - "$@" <<'PY'
import base64, sys
def tlv(tag, value):
    n = len(value)
    head = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + head + value
out, uri = sys.argv[1], sys.argv[2]
body = tlv(0x1A, b"AZKV KEY REFERENCE v1") + tlv(0x0C, uri.encode())
if len(sys.argv) > 3:
    body += base64.b64decode("".join(l for l in open(sys.argv[3]) if not l.startswith("-----")))
b64 = base64.b64encode(tlv(0x30, body)).decode()
with open(out, "w") as f:
    f.write("-----BEGIN AZKV KEY REFERENCE-----\n")
    f.write("\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)))
    f.write("\n-----END AZKV KEY REFERENCE-----\n")
PY
}
refused() {  # refused DESCRIPTION PATTERN REFERENCE_FILE
    check_fails "$1" "$2" env AZKV_LOG_LEVEL=debug openssl pkey -in "$3" -pubout
}
HSM_KEY="$(prov_key hsm ref-hsm "$(key_json rsa2048)")"
make_ref good-built.pem "$RSA" rsa.pub
check "a reference built outside azkv loads (the format is as documented)" \
    bash -c 'openssl pkey -in good-built.pem -pubout | cmp - rsa.pub'
make_ref other-vault.pem "$HSM_KEY" rsa.pub
refused "a reference naming a key in another vault, pinned to this key, is refused" \
    "does not match the vault's" other-vault.pem
openssl pkey -in "$EC" -pubout -out ec.pub
make_ref wrong-type.pem "$RSA" ec.pub
refused "a reference pinning an EC key to an RSA key is refused, naming both types" \
    "EC public key in the reference does not match the vault's RSA key" wrong-type.pem
make_ref foreign.pem "azkv:https://attacker.example.com/keys/k/0123456789abcdef0123456789abcdef" rsa.pub
refused "a reference naming a foreign host is refused before any token is sent" \
    "not an Azure Key Vault" foreign.pem
make_ref http.pem "azkv:http://${VAULT_URL#https://}/keys/ref-rsa" rsa.pub
refused "a reference naming an http:// vault is refused" "azkv:https://" http.pem
make_ref cert.pem "azkv:$VAULT_URL/certificates/web"
refused "a reference naming a certificate is refused" "names a certificate, not a key" cert.pem
make_ref missing.pem "azkv:$VAULT_URL/keys/ref-gone"
refused "a reference to a missing key names the key and says not found" "ref-gone.*not found" \
    missing.pem
make_ref format.pem "$RSA" rsa.pub
sed -i 's/^MI/MJ/' format.pem
refused "a reference with a damaged header is refused as malformed" "malformed" format.pem

# Another vault by URI: Managed HSM keys sign like vault keys (no RSNULL there).
check "Managed HSM key: dgst -sha256 -sign" openssl dgst -sha256 -sign "$HSM_KEY" -out hsm.sig data.bin
openssl pkey -in "$HSM_KEY" -pubout -out hsm.pub
check "Managed HSM signature verifies" plain dgst -sha256 -verify hsm.pub -signature hsm.sig data.bin
check "Managed HSM key by short form azkv:hsm/KEY" \
    bash -c 'openssl pkey -in azkv:hsm/ref-hsm -pubout | cmp - hsm.pub'
check_fails "Managed HSM refuses SHA-1 (RSNULL), saying why" "Managed HSM does not offer" \
    openssl dgst -sha1 -sign "$HSM_KEY" -out x data.bin

# Keys that are not azkv's stay with the default provider: no remote call, a valid signature.
plain genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out file.key
plain pkey -in file.key -pubout -out file.pub
reset_stats
check "a key file signs with azkv loaded" openssl dgst -sha256 -sign file.key -out file.sig data.bin
check "its signature verifies" plain dgst -sha256 -verify file.pub -signature file.sig data.bin
[ "$(op_count sign)" -eq 0 ] && pass "a key file never reaches the vault" ||
    fail "a key file's signature went to the vault"
check "azkv provides no digests, ciphers or RNG" bash -c '
    for kind in digest-algorithms cipher-algorithms random-generators; do
        OPENSSL_CONF=/dev/null openssl list -provider azkv -$kind | sed -n "/Provided/,\$p" |
            grep -q "@ azkv" && exit 1
    done; exit 0'

# Error messages name vault, key, operation and cause.
MISSING="azkv:$VAULT_URL/keys/no-such-key"
check_fails "a missing key names the vault and the key" "no-such-key" openssl pkey -in "$MISSING"
check_fails "a missing key says it is not found" "not found" openssl pkey -in "$MISSING"
check_fails "a foreign host is refused" "not an Azure Key Vault" \
    openssl pkey -in "azkv:https://example.com/keys/k"
check_fails "a malformed URI lists the accepted forms" "azkv:VAULT/KEY" openssl pkey -in "azkv:bad"
check "short form azkv:demo/KEY resolves through the configured label" \
    bash -c 'openssl pkey -in azkv:demo/ref-rsa -pubout | cmp - rsa.pub'
check_fails "an EC key refuses RSA-PSS options" "pss\|PSS\|padding" \
    openssl dgst -sha256 -sign "$EC" -sigopt rsa_padding_mode:pss -out x data.bin
check_fails "private export is refused" "" openssl pkey -in "$RSA" -outform DER -out x.der
# A certificate URI yields the certificate and its key, which match.
curl -sf --cacert "$CA_FILE" -X POST -H "Authorization: Bearer $(emu_token demo)" \
    -H "Content-Type: application/json" -o /dev/null "$VAULT_URL/certificates/web/create?api-version=7.5" \
    -d '{"policy":{"key_props":{"kty":"EC-HSM","crv":"P-256"},"x509_props":{"subject":"CN=web"},"issuer":{"name":"Self"}}}'
CERT_URI="azkv:$VAULT_URL/certificates/web"
check "certificate URI yields a certificate and a key" \
    bash -c "openssl storeutl '$CERT_URI' | grep -q '^0: Certificate' && openssl storeutl '$CERT_URI' | grep -q '^1: Pkey'"
check "the certificate's key signs, verified with the certificate" bash -c "
    openssl dgst -sha256 -sign '$CERT_URI' -out cert.sig data.bin &&
    openssl storeutl -certs '$CERT_URI' | openssl x509 -pubkey -noout >web.pub &&
    OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify web.pub -signature cert.sig data.bin"
finish

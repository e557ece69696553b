#!/bin/bash
# azkv cert: create-self-signed, list, show, export (PEM chain leaf first, checked with openssl),
# and the external-CA flow: request prints the CSR (signed by the vault key), a local CA signs it,
# merge uploads it, export gives leaf + CA, and the vault key signs for the certificate.
#   cert_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/cli-env.sh" "$1" "$2"

check "create-self-signed RSA-HSM" "$AZKV" cert create-self-signed --vault demo --name web \
    --subject CN=web.example --san DNS:web.example,IP:127.0.0.1 --months 3
check "create-self-signed EC-HSM (JSON)" "$AZKV" cert create-self-signed --vault demo --name web-ec \
    --subject CN=ec.example --kty EC-HSM --curve P-384 --output json
check "  JSON names the subject" test "$(json_field last.log 'd["subject"]')" = CN=ec.example
check "list shows both" "$AZKV" cert list --vault demo --output json
check "  two certificates" test "$(json_field last.log '",".join(sorted(r["name"] for r in d))')" = web,web-ec
check "show" "$AZKV" cert show azkv:demo/web
check "  subject and key shown" bash -c "grep -q 'subject:     CN=web.example' last.log && grep -q '/keys/web/' last.log"
check "export the chain" "$AZKV" cert export azkv:demo/web --out web.pem
check "  leaf subject" bash -c "openssl x509 -in web.pem -noout -subject | grep -q web.example"
check "  SAN present" bash -c "openssl x509 -in web.pem -noout -ext subjectAltName | grep -q 'DNS:web.example'"
check "  self-signed chain verifies with openssl" openssl verify -CAfile web.pem web.pem
check "  no private key in the export" bash -c "! grep -q PRIVATE web.pem"
echo data >d.txt
check "the certificate's key signs (RS256), openssl verifies with the certificate" bash -c \
    "'$AZKV' sign azkv:demo/web --alg RS256 --in d.txt --out d.sig &&
     openssl x509 -in web.pem -pubkey -noout >web.pub && openssl dgst -sha256 -verify web.pub -signature d.sig d.txt"

# External CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj /CN=Test-CA -days 2 2>/dev/null
check "request prints a CSR" "$AZKV" cert request --vault demo --name api --subject CN=api.example --out api.csr
check "  the CSR's signature verifies (made by the vault key)" openssl req -in api.csr -verify -noout
check "  pending hint on stderr" grep -q "azkv cert merge api" last.log
check_exit 3 "  show while pending: not found" "api" "$AZKV" cert show azkv:demo/api
openssl x509 -req -in api.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out api-signed.pem 2>/dev/null
cat ca.pem api-signed.pem >api-bundle.pem   # CA first: merge must reorder leaf first
check "merge the CA-signed certificate" "$AZKV" cert merge azkv:demo/api --file api-bundle.pem
check "  issuer is the CA" bash -c "'$AZKV' cert show azkv:demo/api --output json | grep -q '\"issuer\": \"CN=Test-CA\"'"
check "export after merge" "$AZKV" cert export azkv:demo/api --out api-chain.pem
check "  leaf first" bash -c "openssl x509 -in api-chain.pem -noout -subject | grep -q api.example"
check "  chain has 2 certificates" test "$(grep -c 'BEGIN CERTIFICATE' api-chain.pem)" = 2
check "  verifies against the CA" openssl verify -CAfile ca.pem api-chain.pem
"$AZKV" cert request --vault demo --name api2 --subject CN=api2 --out api2.csr 2>/dev/null
check_exit 7 "merge of a certificate for another key is refused" "api2.*(public key|BadParameter)" \
    "$AZKV" cert merge azkv:demo/api2 --file web.pem
check_exit 3 "Managed HSM has no certificates" "." "$AZKV" cert list --vault hsm
check_exit 3 "show a missing certificate" "nope" "$AZKV" cert show azkv:demo/nope
finish

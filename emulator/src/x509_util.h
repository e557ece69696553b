// X.509 building blocks for the certificates API: self-signed certificates and CSRs made from a
// policy, DER/PEM/PFX conversions, thumbprints. Errors a client can cause are 400 BadParameter.
#pragma once

#include <openssl/x509.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "key_material.h"

namespace azkv::emu {

using X509Ptr = std::shared_ptr<X509>;

// The x509_props part of a certificate policy, validated.
struct X509Spec {
    std::string subject;  // "CN=a, O=b"
    nlohmann::json
        sans;  // {"dns_names":[...],"emails":[...],"upns":[...],"uris":[...],"ipAddresses":[...]}
    std::vector<std::string> ekus;       // OIDs
    std::vector<std::string> key_usage;  // digitalSignature, keyEncipherment, ...
    int validity_months = 12;
};

// Throws 400 BadParameter for a subject OpenSSL cannot express.
void check_subject(const std::string& subject);
bool known_key_usage(const std::string& usage);

void set_random_serial(X509* cert);  // 128-bit positive serial number
X509Ptr make_self_signed(EVP_PKEY* key, const X509Spec& spec);
Bytes make_csr(EVP_PKEY* key, const X509Spec& spec);  // DER, signed with `key`

Bytes cert_to_der(X509* cert);
X509Ptr cert_from_der(const Bytes& der);               // nullptr if not a certificate
std::string cert_thumbprint_b64url(const Bytes& der);  // x5t: SHA-1 of the DER
int64_t cert_not_before(X509* cert);
int64_t cert_not_after(X509* cert);
bool same_public_key(X509* cert, EVP_PKEY* key);

// A private key and its chain, leaf (the certificate of that key) first.
struct KeyAndChain {
    EvpPtr key;
    std::vector<X509Ptr> chain;
};
// Imports: PEM text (key + certificates in any order) or a PKCS#12 blob. 400 on anything else.
KeyAndChain parse_pem_bundle(const std::string& pem);
KeyAndChain parse_pfx(const Bytes& pfx, const std::string& password);

// Secret values: chain as PEM (private key first when given) or a PFX without password.
std::string chain_to_pem(const std::vector<Bytes>& chain, EVP_PKEY* key_or_null);
Bytes chain_to_pfx(const std::vector<Bytes>& chain, EVP_PKEY* key_or_null);

}  // namespace azkv::emu

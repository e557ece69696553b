#pragma once
// Certificates as the CLI shows them: X.509 fields, and the PEM chain from a certificate's secret.

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azkv/keyvault/models.h"
#include "azkv/util/status.h"

namespace azkv::cli {

struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

StatusOr<X509Ptr> ParseDer(const std::vector<uint8_t>& der, const std::string& what);
std::string CertPem(X509* cert);
// Every CERTIFICATE block of a PEM text, in file order.
StatusOr<std::vector<X509Ptr>> ParsePemChain(const std::string& pem, const std::string& what);
// Leaf first, then each issuer: the order nginx and the merge call want.
std::vector<X509Ptr> OrderLeafFirst(std::vector<X509Ptr> certs);
// The chain held in a certificate's secret (PEM or base64 PKCS#12), leaf first, without any
// private key.
StatusOr<std::vector<X509Ptr>> ChainFromSecret(const keyvault::SecretBundle& secret);

// subject, issuer, not_before/not_after (unix), sha1/sha256 thumbprints, serial.
nlohmann::json CertJson(X509* cert);

}  // namespace azkv::cli

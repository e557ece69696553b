#pragma once
// CKO_CERTIFICATE (CKC_X_509) objects for a vault certificate: the leaf, which shares CKA_ID
// with its key version, and the chain certificates beyond it, which have no key here.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "object.h"

namespace azkv::p11 {

struct CertificateObjectContext {
    std::string label;
    std::vector<uint8_t> id;  // the key version's 16 bytes for a leaf
    std::string kid;          // CKA_AZKV_KID: the versioned kid of the certificate's key
    bool authority = false;   // a chain certificate: CKA_CERTIFICATE_CATEGORY "authority"
    // The index under which the store keeps the handle stable (certificate name and version,
    // plus the chain position for chain certificates).
    std::string name, version;
};

// The DER of a parsed certificate (empty if OpenSSL cannot encode it).
std::vector<uint8_t> CertificateDer(const X509* cert);

// Throws CKR_GENERAL_ERROR (logged) if `der` is not an X.509 certificate.
std::shared_ptr<Object> BuildCertificateObject(const std::vector<uint8_t>& der,
                                               const CertificateObjectContext& context);

}  // namespace azkv::p11

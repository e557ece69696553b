#pragma once
// The Key Vault data models azkv uses, parsed from and written to the service's JSON.
// Byte fields are already decoded from base64url.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "azkv/util/secret.h"

namespace azkv::keyvault {

struct KeyAttributes {
    bool enabled = true;
    std::optional<int64_t> not_before;  // nbf, unix seconds
    std::optional<int64_t> expires;     // exp, unix seconds
    std::optional<int64_t> created;
    std::optional<int64_t> updated;
    std::string recovery_level;
    std::optional<bool> exportable;
};

// The public part of a key as the service returns it.
struct JsonWebKey {
    std::string kid;
    std::string kty;  // RSA, RSA-HSM, EC, EC-HSM, oct, oct-HSM
    std::vector<std::string> key_ops;
    std::vector<uint8_t> n, e;  // RSA
    std::string crv;            // EC: P-256, P-384, P-521, P-256K
    std::vector<uint8_t> x, y;  // EC

    bool HasOp(const std::string& op) const;
};

struct KeyBundle {
    JsonWebKey key;
    KeyAttributes attributes;
    std::map<std::string, std::string> tags;
    bool managed = false;  // backs a certificate
};

struct KeyItem {
    std::string kid;  // unversioned in list results, versioned in version lists
    KeyAttributes attributes;
    std::map<std::string, std::string> tags;
    bool managed = false;
};

struct KeyOperationResult {
    std::string kid;
    SecureBytes value;  // signature, ciphertext, or (decrypt/unwrap) plaintext
    std::vector<uint8_t> iv, tag, aad;
};

struct CertificateBundle {
    std::string id, kid, sid;
    std::vector<uint8_t> cer;  // DER of the leaf
    KeyAttributes attributes;
    std::map<std::string, std::string> tags;
};

struct SecretBundle {
    std::string id;
    SecretString value;
    std::string content_type;
    std::string kid;
    bool managed = false;
};

// Parameters of create key. Empty/absent fields are left out of the request.
struct CreateKeyParams {
    std::string kty;  // RSA-HSM, EC-HSM, oct-HSM (RSA, EC, oct for software keys)
    int key_size = 0;
    std::string crv;
    std::optional<long> public_exponent;
    std::vector<std::string> key_ops;
    std::optional<bool> enabled;
    std::optional<int64_t> not_before, expires;
    std::map<std::string, std::string> tags;
};

struct UpdateKeyParams {
    std::optional<bool> enabled;
    std::optional<int64_t> not_before, expires;
    std::optional<std::vector<std::string>> key_ops;
    std::optional<std::map<std::string, std::string>> tags;
};

}  // namespace azkv::keyvault

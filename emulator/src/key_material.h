// In-memory key material of one key version. EVP_PKEY is parsed once (at create, import or
// load) and shared read-only by every request: OpenSSL 3 allows concurrent use of a const key.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base64url.h"

namespace azkv::emu {

enum class KeyFamily { Rsa, Ec, Oct };

struct CurveInfo {
    const char* crv;     // JWK name
    const char* group;   // OpenSSL group name
    size_t field_bytes;  // coordinate and r/s half length
    const char* alg;     // the one ES* algorithm for this curve
    size_t digest_bytes;
};
const CurveInfo* curve_by_crv(const std::string& crv);
const CurveInfo* curve_by_group(const std::string& group);

struct KeyMaterial {
    KeyFamily family = KeyFamily::Rsa;
    std::shared_ptr<EVP_PKEY> pkey;  // RSA / EC
    Bytes oct;                       // symmetric key bytes
    const CurveInfo* curve = nullptr;
    int bits = 0;                  // RSA modulus bits, oct key bits
    nlohmann::json public_fields;  // n/e or crv/x/y, computed once
};

using EvpPtr = std::shared_ptr<EVP_PKEY>;
inline EvpPtr wrap_pkey(EVP_PKEY* p) {
    return EvpPtr(p, EVP_PKEY_free);
}

}  // namespace azkv::emu

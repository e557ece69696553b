#pragma once
// Local key pairs for unit tests, and their public JWK as Key Vault would return it.

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "azkv/keyvault/models.h"
#include "azkv/util/ossl.h"

namespace azkv::testing {

inline EvpPkeyPtr GenerateRsa(int bits) {
    return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
}

inline EvpPkeyPtr GenerateEc(const char* group) {
    return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
}

inline std::vector<uint8_t> BnParam(EVP_PKEY* k, const char* name, size_t pad = 0) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(k, name, &bn);
    size_t len = pad != 0 ? pad : static_cast<size_t>(BN_num_bytes(bn));
    std::vector<uint8_t> out(len);
    BN_bn2binpad(bn, out.data(), static_cast<int>(len));
    BN_free(bn);
    return out;
}

// kid like "https://v.vault.azure.net/keys/k/0123..."; kty RSA-HSM or EC-HSM.
inline keyvault::KeyBundle BundleFor(EVP_PKEY* k, const std::string& kid,
                                     const std::string& crv = "", size_t field = 0) {
    keyvault::KeyBundle b;
    b.key.kid = kid;
    if (crv.empty()) {
        b.key.kty = "RSA-HSM";
        b.key.n = BnParam(k, OSSL_PKEY_PARAM_RSA_N);
        b.key.e = BnParam(k, OSSL_PKEY_PARAM_RSA_E);
        b.key.key_ops = {"sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey"};
    } else {
        b.key.kty = "EC-HSM";
        b.key.crv = crv;
        b.key.x = BnParam(k, OSSL_PKEY_PARAM_EC_PUB_X, field);
        b.key.y = BnParam(k, OSSL_PKEY_PARAM_EC_PUB_Y, field);
        b.key.key_ops = {"sign", "verify"};
    }
    return b;
}

}  // namespace azkv::testing

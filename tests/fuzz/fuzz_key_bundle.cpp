// JWK and key bundles as a vault returns them (get, list page, sign/decrypt results,
// certificate and secret bundles), then the JWK -> OpenSSL public key conversion.

#include <cstdint>
#include <nlohmann/json.hpp>

#include "azkv/keyvault/jwk_key.h"
#include "keyvault/model_json.h"

namespace kv = azkv::keyvault;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return 0;
    if (auto bundle = kv::detail::ParseKeyBundle(j); bundle.ok())
        (void)kv::PublicKeyFromJwk(bundle->key);
    (void)kv::detail::ParseKeyItem(j);
    (void)kv::detail::ParseAttributes(j);
    (void)kv::detail::ParseOperationResult(j);
    (void)kv::detail::ParseCertificateBundle(j);
    (void)kv::detail::ParseSecretBundle(j);
    if (j.is_object() && j.contains("value") && j["value"].is_array())
        for (auto& item : j["value"])
            (void)kv::detail::ParseKeyItem(item);
    return 0;
}

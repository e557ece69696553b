// azkv: URIs (provider store, PKCS#11 and CLI key names), kid URLs and vault URLs.

#include <cstdint>
#include <string>

#include "azkv/config/config.h"
#include "azkv/keyvault/vault_url.h"
#include "store_uri.h"

namespace kv = azkv::keyvault;

namespace {

const azkv::Config& FuzzConfig() {
    static const azkv::Config config = [] {
        auto parsed = azkv::ParseConfig(
            R"({"vaults":[{"url":"https://localhost:8443","label":"demo"},
                          {"url":"https://127.0.0.1:9443","label":"hsm","type":"managedhsm"}]})",
            "fuzz");
        if (!parsed.ok())
            __builtin_trap();
        return *parsed;
    }();
    return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (auto url = kv::VaultUrl::Parse(text); url.ok()) {
        if (url->origin().rfind("https://", 0) != 0)
            __builtin_trap();
    }
    if (auto id = kv::ObjectId::Parse(text); id.ok()) {
        // The canonical form parses back to the same object.
        auto again = kv::ObjectId::Parse(id->ToString());
        if (!again.ok() || again->ToString() != id->ToString())
            __builtin_trap();
    }
    if (auto uri = azkv::provider::ParseStoreUri(text, FuzzConfig()); uri.ok()) {
        auto again = azkv::provider::ParseStoreUri(uri->ToString(), FuzzConfig());
        if (!again.ok() || again->ToString() != uri->ToString())
            __builtin_trap();
    }
    (void)kv::IsValidObjectName(text);
    (void)kv::IsValidVersion(text);
    return 0;
}

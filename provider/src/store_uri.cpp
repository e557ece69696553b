#include "store_uri.h"

#include <strings.h>

#include <vector>

namespace azkv::provider {
namespace {

const char kForms[] =
    "; use azkv:https://VAULT.vault.azure.net/keys/KEY[/VERSION], "
    "azkv:https://HSM.managedhsm.azure.net/keys/KEY[/VERSION], .../certificates/CERT[/VERSION] "
    "or azkv:VAULT/KEY[/VERSION]";

std::vector<std::string_view> Split(std::string_view s) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        size_t slash = s.find('/', start);
        parts.push_back(s.substr(start, slash - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

std::string ShortFormVault(std::string_view name, const Config& config) {
    for (const auto& v : config.vaults) {
        if (v.label.size() == name.size() &&
            strncasecmp(v.label.c_str(), name.data(), name.size()) == 0)
            return v.url;
    }
    return "https://" + std::string(name) + ".vault.azure.net";
}

bool Configured(const keyvault::VaultUrl& vault, const Config& config) {
    for (const auto& v : config.vaults) {
        if (strcasecmp(v.url.c_str(), vault.origin().c_str()) == 0)
            return true;
    }
    return false;
}

}  // namespace

std::string StoreUri::ToString() const {
    return std::string(kUriScheme) + id.ToString();
}

StatusOr<StoreUri> ParseStoreUri(std::string_view uri, const Config& config) {
    const std::string shown(uri);
    if (uri.size() < kUriScheme.size() || strncasecmp(uri.data(), kUriScheme.data(), 5) != 0) {
        return Status(ErrorCode::kInvalidArgument, "\"" + shown + "\" is not an azkv: URI");
    }
    std::string_view rest = uri.substr(kUriScheme.size());
    std::string full;
    if (rest.starts_with("https://") || rest.starts_with("HTTPS://")) {
        full = std::string(rest);
    } else {
        auto parts = Split(rest);
        if (parts.size() < 2 || parts.size() > 3 || !keyvault::IsValidObjectName(parts[0])) {
            return Status(ErrorCode::kInvalidArgument,
                          "azkv URI \"" + shown + "\" is malformed" + kForms);
        }
        full = ShortFormVault(parts[0], config) + "/keys/" + std::string(parts[1]);
        if (parts.size() == 3)
            full += "/" + std::string(parts[2]);
    }
    auto id = keyvault::ObjectId::Parse(full);
    if (!id.ok()) {
        return Status(ErrorCode::kInvalidArgument,
                      "azkv URI \"" + shown + "\": " + id.status().message() + kForms);
    }
    if (id->collection != "keys" && id->collection != "certificates") {
        return Status(ErrorCode::kInvalidArgument,
                      "azkv URI \"" + shown + "\" names " + id->collection +
                          "; the provider loads keys and certificates" + kForms);
    }
    if (!id->vault.known_resource() && !Configured(id->vault, config)) {
        return Status(ErrorCode::kConfig,
                      "azkv URI \"" + shown + "\": " + id->vault.origin() +
                          " is not an Azure Key Vault or Managed HSM host and is not a vault in "
                          "the azkv configuration (" +
                          config.source + "); add it under \"vaults\" to use it");
    }
    return StoreUri{std::move(*id)};
}

}  // namespace azkv::provider

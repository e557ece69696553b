#pragma once
// azkv: URIs, the names the store accepts:
//   azkv:https://NAME.vault.azure.net/keys/KEY[/VERSION]   (the key id as portal and CLI show it)
//   azkv:https://NAME.managedhsm.azure.net/keys/KEY[/VERSION], sovereign clouds alike
//   azkv:https://HOST[:PORT]/keys/KEY[/VERSION]            (a vault configured in azkv.json)
//   azkv:NAME/KEY[/VERSION]                                 (NAME: a configured vault's label,
//                                                            else NAME.vault.azure.net)
//   ... /certificates/CERT[/VERSION] in the https forms: the certificate, its chain and its key.

#include <string>
#include <string_view>

#include "azkv/config/config.h"
#include "azkv/keyvault/vault_url.h"
#include "azkv/util/status.h"

namespace azkv::provider {

inline constexpr std::string_view kUriScheme = "azkv:";

struct StoreUri {
    keyvault::ObjectId id;  // collection "keys" or "certificates"
    bool is_certificate() const { return id.collection == "certificates"; }
    // The canonical form, azkv:https://host/collection/name[/version].
    std::string ToString() const;
};

// Parses `uri` (with its "azkv:" prefix). Hosts that are neither Azure vault hosts nor configured
// vaults are refused, so that a URI cannot make azkv ask for tokens for an arbitrary server.
StatusOr<StoreUri> ParseStoreUri(std::string_view uri, const Config& config);

}  // namespace azkv::provider

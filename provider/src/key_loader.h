#pragma once
// Resolves an azkv: URI (or a key reference's URI) to a vault key: the one path by which store and
// decoder fetch keys, so both name keys and report failures the same way.

#include <memory>
#include <string_view>

#include "azkv/util/status.h"
#include "key_object.h"
#include "store_uri.h"

namespace azkv::provider {

class ProviderCtx;

// The vault key named by a "keys" URI. One GET on first use; later loads hit the runtime's cache.
StatusOr<std::unique_ptr<ProviderKey>> LoadVaultKey(ProviderCtx* ctx, const StoreUri& uri);
StatusOr<std::unique_ptr<ProviderKey>> LoadVaultKey(ProviderCtx* ctx, std::string_view uri);

// Parses `uri` against the runtime's configuration.
StatusOr<StoreUri> ParseUri(ProviderCtx* ctx, std::string_view uri);

}  // namespace azkv::provider

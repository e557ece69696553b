#include "key_loader.h"

#include "provider_ctx.h"

namespace azkv::provider {

StatusOr<StoreUri> ParseUri(ProviderCtx* ctx, std::string_view uri) {
    AZKV_ASSIGN_OR_RETURN(auto runtime, ctx->runtime());
    return ParseStoreUri(uri, runtime->config());
}

StatusOr<std::unique_ptr<ProviderKey>> LoadVaultKey(ProviderCtx* ctx, const StoreUri& uri) {
    AZKV_ASSIGN_OR_RETURN(auto runtime, ctx->runtime());
    AZKV_ASSIGN_OR_RETURN(auto remote,
                          runtime->Key(uri.id.vault.origin(), uri.id.name, uri.id.version));
    return ProviderKey::FromRemote(ctx, std::move(remote), uri.ToString());
}

StatusOr<std::unique_ptr<ProviderKey>> LoadVaultKey(ProviderCtx* ctx, std::string_view uri) {
    AZKV_ASSIGN_OR_RETURN(StoreUri parsed, ParseUri(ctx, uri));
    if (parsed.is_certificate()) {
        return Status(ErrorCode::kInvalidArgument,
                      "azkv URI \"" + std::string(uri) + "\" names a certificate, not a key");
    }
    return LoadVaultKey(ctx, parsed);
}

}  // namespace azkv::provider

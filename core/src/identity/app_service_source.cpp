// App Service / Functions / Container Apps managed identity, protocol 2019-08-01 (doc §4.2).

#include "identity/get_token_source.h"

namespace azkv::identity {

StatusOr<std::unique_ptr<TokenSource>> MakeAppServiceSource(const IdentityConfig& config,
                                                            const SourceContext& ctx) {
    GetSourceSpec spec;
    spec.name = "appservice";
    spec.url = config.endpoint.empty() ? EnvOr(ctx.env, "IDENTITY_ENDPOINT") : config.endpoint;
    spec.api_version = "2019-08-01";
    if (spec.url.empty()) {
        return Status(ErrorCode::kConfig,
                      "appservice: IDENTITY_ENDPOINT is not set (is managed identity enabled on "
                      "this app?)");
    }
    // The header proves the caller runs inside the app; the platform rotates it.
    SecretString header = SecretEnv(ctx.env, "IDENTITY_HEADER");
    if (header.empty()) {
        return Status(ErrorCode::kConfig, "appservice: IDENTITY_HEADER is not set (endpoint " +
                                              EndpointForMessage(spec.url) + ")");
    }
    spec.secret_headers.emplace_back("X-IDENTITY-HEADER", std::move(header));
    AZKV_RETURN_IF_ERROR(CheckIdentityUrl(spec.name, spec.url, /*allow_plain=*/true));
    // App Service spells the object id "principal_id" and the resource id "mi_res_id".
    AZKV_ASSIGN_OR_RETURN(spec.selector,
                          PickSelector(spec.name, {{"client_id", config.client_id},
                                                   {"principal_id", config.object_id},
                                                   {"mi_res_id", config.resource_id}}));
    return NewGetTokenSource(std::move(spec), ctx);
}

}  // namespace azkv::identity

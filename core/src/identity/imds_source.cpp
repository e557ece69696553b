// IMDS: the Azure VM / VMSS / AKS node identity endpoint (doc §4.1).

#include "identity/get_token_source.h"

namespace azkv::identity {
namespace {

constexpr const char* kDefaultImdsHost = "http://169.254.169.254";
constexpr const char* kTokenPath = "/metadata/identity/oauth2/token";

}  // namespace

StatusOr<std::unique_ptr<TokenSource>> MakeImdsSource(const IdentityConfig& config,
                                                      const SourceContext& ctx, bool probe_first) {
    // The pod-identity variable exists so that tests and sidecars can stand in for IMDS; the
    // path stays the same.
    std::string base = config.endpoint;
    if (base.empty())
        base = EnvOr(ctx.env, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
    if (base.empty())
        base = kDefaultImdsHost;
    while (!base.empty() && base.back() == '/')
        base.pop_back();

    GetSourceSpec spec;
    spec.name = "imds";
    spec.url = base + kTokenPath;
    spec.api_version = "2018-02-01";
    spec.probe_first = probe_first;
    // Exactly "true": IMDS answers 400 bad_request_102 without it.
    spec.headers.push_back({"Metadata", "true"});
    AZKV_RETURN_IF_ERROR(CheckIdentityUrl(spec.name, spec.url, /*allow_plain=*/true));
    AZKV_ASSIGN_OR_RETURN(spec.selector,
                          PickSelector(spec.name, {{"client_id", config.client_id},
                                                   {"object_id", config.object_id},
                                                   {"msi_res_id", config.resource_id}}));
    return NewGetTokenSource(std::move(spec), ctx);
}

StatusOr<std::unique_ptr<TokenSource>> MakeImdsSource(const IdentityConfig& config,
                                                      const SourceContext& ctx) {
    return MakeImdsSource(config, ctx, /*probe_first=*/false);
}

}  // namespace azkv::identity

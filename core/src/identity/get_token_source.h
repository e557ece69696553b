#pragma once
// The managed-identity endpoints that answer one GET with a token (IMDS, App Service) differ only
// in URL, api-version, selector spelling and headers: one source class serves both.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "identity/identity_http.h"

namespace azkv::identity {

struct GetSourceSpec {
    std::string name;  // "imds", "appservice"
    std::string url;   // the token endpoint, without query
    std::string api_version;
    std::optional<Selector> selector;
    std::vector<http::Header> headers;
    std::vector<std::pair<std::string, SecretString>> secret_headers;
    // Inside the auto chain: the first request is a probe with a short connect timeout and no
    // retries, so that a machine without IMDS moves on quickly instead of spending the budget.
    bool probe_first = false;
};

std::unique_ptr<TokenSource> NewGetTokenSource(GetSourceSpec spec, const SourceContext& ctx);

// IMDS with the probe option the auto chain needs (MakeImdsSource never probes).
StatusOr<std::unique_ptr<TokenSource>> MakeImdsSource(const IdentityConfig& config,
                                                      const SourceContext& ctx, bool probe_first);

}  // namespace azkv::identity

#pragma once
// The concrete token sources behind MakeTokenSource, built one by one.
//
// MakeTokenSource is what the front ends use. These exist so that tests and `azkv doctor` can
// build one particular source with a fake transport or a fake environment.

#include <chrono>
#include <functional>
#include <memory>

#include "azkv/config/config.h"
#include "azkv/http/http_client.h"
#include "azkv/http/retry_policy.h"
#include "azkv/identity/token_source.h"

namespace azkv::identity {

// How sources reach the network: http::Client::Send in production, a fake in unit tests.
using HttpSend =
    std::function<StatusOr<http::Response>(const http::Request&, const http::RetryPolicy&)>;
HttpSend SendThrough(std::shared_ptr<http::Client> client);

struct SourceContext {
    HttpSend send;
    EnvLookup env;
    std::chrono::milliseconds retry_budget{30000};
    // The Azure CLI gets this long to answer before it is killed.
    std::chrono::milliseconds cli_timeout{15000};
};

StatusOr<std::unique_ptr<TokenSource>> MakeImdsSource(const IdentityConfig& config,
                                                      const SourceContext& ctx);
StatusOr<std::unique_ptr<TokenSource>> MakeAppServiceSource(const IdentityConfig& config,
                                                            const SourceContext& ctx);
StatusOr<std::unique_ptr<TokenSource>> MakeArcSource(const IdentityConfig& config,
                                                     const SourceContext& ctx);
StatusOr<std::unique_ptr<TokenSource>> MakeWorkloadSource(const IdentityConfig& config,
                                                          const SourceContext& ctx);
StatusOr<std::unique_ptr<TokenSource>> MakeCliSource(const IdentityConfig& config,
                                                     const SourceContext& ctx);
// The DefaultAzureCredential-like chain (IdentityType::kAuto).
StatusOr<std::unique_ptr<TokenSource>> MakeAutoSource(const IdentityConfig& config,
                                                      const SourceContext& ctx);

}  // namespace azkv::identity

#pragma once
// Token sources: each speaks one managed-identity protocol and returns a token for a resource.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "azkv/config/config.h"
#include "azkv/http/http_client.h"
#include "azkv/identity/access_token.h"

namespace azkv::identity {

// Reads an environment variable; injectable so that tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnvironment();

class TokenSource {
public:
    virtual ~TokenSource() = default;
    // Short name for logs and doctor: "imds", "appservice", "arc", "workload", "cli".
    virtual std::string Name() const = 0;
    // `resource` is the v1 resource ("https://vault.azure.net"); sources that speak Entra v2
    // turn it into a scope themselves.
    virtual StatusOr<AccessToken> Fetch(const std::string& resource) = 0;
};

// Builds the source that `config` selects. For kAuto, the order of DefaultAzureCredential less
// everything that needs a stored secret: workload identity, then managed identity (App Service,
// Arc, IMDS by what the environment shows), then the Azure CLI.
StatusOr<std::unique_ptr<TokenSource>> MakeTokenSource(const IdentityConfig& config,
                                                       std::shared_ptr<http::Client> http,
                                                       EnvLookup env,
                                                       std::chrono::milliseconds retry_budget);

}  // namespace azkv::identity

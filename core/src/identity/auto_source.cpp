// The auto chain: DefaultAzureCredential's order less every credential that needs a stored secret.

#include <atomic>
#include <vector>

#include "azkv/identity/sources.h"
#include "azkv/log/log.h"
#include "identity/cli_source.h"
#include "identity/get_token_source.h"
#include "identity/identity_http.h"

namespace azkv::identity {
namespace {

struct Candidate {
    std::string name;
    std::unique_ptr<TokenSource> source;  // null when skipped
    std::string skipped_because;
};

Candidate Build(std::string name, StatusOr<std::unique_ptr<TokenSource>> made) {
    if (!made.ok())
        return {std::move(name), nullptr, made.status().message()};
    return {std::move(name), std::move(made).value(), ""};
}

Candidate Skip(std::string name, std::string why) {
    return {std::move(name), nullptr, std::move(why)};
}

bool Has(const EnvLookup& env, const char* name) {
    return !EnvOr(env, name).empty();
}

// Which managed-identity protocol the environment shows, in the C++ SDK's order (doc §4).
Candidate ManagedIdentity(const IdentityConfig& config, const SourceContext& ctx) {
    if (Has(ctx.env, "IDENTITY_ENDPOINT") && Has(ctx.env, "IDENTITY_HEADER")) {
        return Build("appservice", MakeAppServiceSource(config, ctx));
    }
    if (Has(ctx.env, "IDENTITY_ENDPOINT") && Has(ctx.env, "IMDS_ENDPOINT")) {
        return Build("arc", MakeArcSource(config, ctx));
    }
    return Build("imds", MakeImdsSource(config, ctx, /*probe_first=*/true));
}

class AutoSource : public TokenSource {
public:
    explicit AutoSource(std::vector<Candidate> candidates) : candidates_(std::move(candidates)) {}

    std::string Name() const override {
        int i = chosen_.load();
        return i < 0 ? "auto" : candidates_[static_cast<size_t>(i)].source->Name();
    }

    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        // Once a source has worked it stays chosen: switching identities silently on a
        // transient failure would be worse than reporting the failure. An atomic, not a
        // mutex, so that a forked child can use the chain.
        int i = chosen_.load();
        if (i >= 0)
            return candidates_[static_cast<size_t>(i)].source->Fetch(resource);

        std::string tried;
        for (size_t k = 0; k < candidates_.size(); ++k) {
            const Candidate& c = candidates_[k];
            if (!tried.empty())
                tried += "; ";
            if (!c.source) {
                tried += c.name + ": skipped (" + c.skipped_because + ")";
                continue;
            }
            StatusOr<AccessToken> token = c.source->Fetch(resource);
            if (token.ok()) {
                chosen_.store(static_cast<int>(k));
                log::Info("identity auto: using " + c.name + " (" + tried + c.name + ": ok)");
                return token;
            }
            tried += c.name + ": failed (" + token.status().message() + ")";
        }
        return Status(ErrorCode::kUnauthenticated,
                      "auto: no identity gave a token for " + resource + ". Tried " + tried +
                          ". Run on Azure with a managed identity, set up AKS workload identity, "
                          "or run `az login`; or set identity.type in the configuration to name "
                          "the one that should work");
    }

private:
    std::vector<Candidate> candidates_;
    std::atomic<int> chosen_{-1};
};

}  // namespace

StatusOr<std::unique_ptr<TokenSource>> MakeAutoSource(const IdentityConfig& config,
                                                      const SourceContext& ctx) {
    std::vector<Candidate> chain;
    // The configured endpoint overrides the managed-identity endpoint only: in auto mode it is
    // not meant as an Entra authority.
    IdentityConfig plain = config;
    plain.endpoint.clear();
    if (Has(ctx.env, "AZURE_FEDERATED_TOKEN_FILE")) {
        chain.push_back(Build("workload", MakeWorkloadSource(plain, ctx)));
    } else {
        chain.push_back(Skip("workload", "AZURE_FEDERATED_TOKEN_FILE is not set"));
    }
    chain.push_back(ManagedIdentity(config, ctx));
    if (FindAzOnPath(ctx.env)) {
        // The CLI uses its signed-in account; the selectors name managed identities.
        chain.push_back(Build("cli", MakeCliSource(IdentityConfig{}, ctx)));
    } else {
        chain.push_back(Skip("cli", "`az` is not on PATH"));
    }
    return std::unique_ptr<TokenSource>(std::make_unique<AutoSource>(std::move(chain)));
}

}  // namespace azkv::identity

// MakeTokenSource: from the configured identity type to a source.

#include "azkv/identity/token_source.h"

#include <cstdlib>

#include "azkv/identity/sources.h"

namespace azkv::identity {

EnvLookup ProcessEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr)
            return std::nullopt;
        return std::string(v);
    };
}

HttpSend SendThrough(std::shared_ptr<http::Client> client) {
    // Shared ownership: a background refresher may still be sending after its cache is gone.
    return [client = std::move(client)](const http::Request& req, const http::RetryPolicy& policy) {
        return client->Send(req, policy);
    };
}

StatusOr<std::unique_ptr<TokenSource>> MakeTokenSource(const IdentityConfig& config,
                                                       std::shared_ptr<http::Client> http,
                                                       EnvLookup env,
                                                       std::chrono::milliseconds retry_budget) {
    SourceContext ctx;
    ctx.send = SendThrough(std::move(http));
    ctx.env = env ? std::move(env) : ProcessEnvironment();
    ctx.retry_budget = retry_budget;
    switch (config.type) {
        case IdentityType::kAuto:
            return MakeAutoSource(config, ctx);
        case IdentityType::kImds:
            return MakeImdsSource(config, ctx);
        case IdentityType::kAppService:
            return MakeAppServiceSource(config, ctx);
        case IdentityType::kArc:
            return MakeArcSource(config, ctx);
        case IdentityType::kWorkload:
            return MakeWorkloadSource(config, ctx);
        case IdentityType::kCli:
            return MakeCliSource(config, ctx);
    }
    return Status(ErrorCode::kConfig, "identity: unknown identity type");
}

}  // namespace azkv::identity

#include "identity/get_token_source.h"

#include <atomic>

namespace azkv::identity {
namespace {

constexpr long kProbeConnectTimeoutMs = 1000;

class GetTokenSource : public TokenSource {
public:
    GetTokenSource(GetSourceSpec spec, const SourceContext& ctx)
        : spec_(std::move(spec)),
          send_(ctx.send),
          policy_(http::RetryPolicy::ForIdentity(ctx.retry_budget)),
          probe_pending_(spec_.probe_first) {}

    std::string Name() const override { return spec_.name; }

    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        http::Request req = BuildRequest(resource);
        // An atomic, not a mutex: sources must stay usable in a forked child.
        if (probe_pending_.load())
            return Probe(req);
        return RequestToken(send_, req, policy_, spec_.name);
    }

private:
    http::Request BuildRequest(const std::string& resource) const {
        QueryParams q = {{"api-version", spec_.api_version}, {"resource", AsV1Resource(resource)}};
        if (spec_.selector)
            q.emplace_back(spec_.selector->param, spec_.selector->value);
        http::Request req;
        req.method = "GET";
        req.url = AppendQuery(spec_.url, q);
        req.headers = spec_.headers;
        req.secret_headers = spec_.secret_headers;
        req.log_operation = "token:" + spec_.name;
        return req;
    }

    // Any HTTP answer proves the endpoint exists; from then on it gets the full retry policy.
    StatusOr<AccessToken> Probe(http::Request req) {
        req.connect_timeout_ms = kProbeConnectTimeoutMs;
        StatusOr<http::Response> resp = send_(req, http::RetryPolicy::None());
        if (!resp.ok()) {
            Status st = resp.status();
            st.Prepend(spec_.name + ": no answer from " + spec_.url + " within the " +
                       std::to_string(kProbeConnectTimeoutMs) + " ms probe: ");
            return st;
        }
        probe_pending_.store(false);
        req.connect_timeout_ms = 0;
        if (policy_.RetryableStatus(resp->status))
            return RequestToken(send_, req, policy_, spec_.name);
        // Re-use the probe's answer rather than asking twice.
        HttpSend replay = [&resp](const http::Request&, const http::RetryPolicy&) {
            return std::move(resp);
        };
        return RequestToken(replay, req, policy_, spec_.name);
    }

    GetSourceSpec spec_;
    HttpSend send_;
    http::RetryPolicy policy_;
    std::atomic<bool> probe_pending_;
};

}  // namespace

std::unique_ptr<TokenSource> NewGetTokenSource(GetSourceSpec spec, const SourceContext& ctx) {
    return std::make_unique<GetTokenSource>(std::move(spec), ctx);
}

}  // namespace azkv::identity

// Azure Arc (HIMDS): a challenge round trip proves the caller can read the agent's secret
// directory, then the second request gets the token (doc §4.3).

#include <strings.h>

#include "identity/arc_secret_file.h"
#include "identity/identity_http.h"

namespace azkv::identity {
namespace {

constexpr const char* kName = "arc";

// "Basic realm=/var/opt/azcmagent/tokens/<guid>.key", the value possibly quoted.
std::optional<std::string> RealmPath(std::string_view header) {
    static constexpr std::string_view kScheme = "basic ";
    if (header.size() <= kScheme.size() ||
        strncasecmp(header.data(), kScheme.data(), kScheme.size()) != 0) {
        return std::nullopt;
    }
    std::string_view param = header.substr(kScheme.size());
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || param.substr(0, eq) != "realm")
        return std::nullopt;
    std::string_view value = param.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    if (value.empty())
        return std::nullopt;
    return std::string(value);
}

class ArcSource : public TokenSource {
public:
    ArcSource(std::string url, std::string token_dir, const SourceContext& ctx)
        : url_(std::move(url)),
          token_dir_(std::move(token_dir)),
          send_(ctx.send),
          policy_(http::RetryPolicy::ForIdentity(ctx.retry_budget)) {}

    std::string Name() const override { return kName; }

    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        http::Request req;
        req.url = AppendQuery(
            url_, {{"api-version", "2020-06-01"}, {"resource", AsV1Resource(resource)}});
        req.headers.push_back({"Metadata", "true"});
        req.log_operation = "token:arc-challenge";
        AZKV_ASSIGN_OR_RETURN(std::string path, Challenge(req));
        AZKV_ASSIGN_OR_RETURN(SecretString secret, ReadArcSecret(path, token_dir_));

        // The file's contents go as they are, not base64-encoded again.
        std::string value;
        value.reserve(6 + secret.size());
        value.append("Basic ").append(secret.reveal());
        req.secret_headers.emplace_back("Authorization", SecretString(value));
        SecureWipe(value.data(), value.size());
        req.log_operation = "token:arc";
        return RequestToken(send_, req, policy_, kName);
    }

private:
    // The first request must fail with 401 and name the secret file.
    StatusOr<std::string> Challenge(const http::Request& req) {
        std::string endpoint = EndpointForMessage(req.url);
        StatusOr<http::Response> resp = send_(req, policy_);
        if (!resp.ok()) {
            Status st = resp.status();
            st.Prepend(std::string(kName) + ": challenge request to " + endpoint + " failed: ");
            return st;
        }
        if (resp->status != 401) {
            if (resp->status >= 200 && resp->status < 300) {
                return Status(ErrorCode::kBadResponse,
                              std::string(kName) + ": " + endpoint +
                                  " gave a token without the secret-file challenge; refusing an "
                                  "endpoint that does not behave like Azure Arc");
            }
            return HttpAnswerError(kName, endpoint, *resp);
        }
        std::optional<std::string> path = RealmPath(resp->header("WWW-Authenticate"));
        if (!path) {
            return Status(ErrorCode::kBadResponse,
                          std::string(kName) + ": " + endpoint +
                              " answered 401 without a \"WWW-Authenticate: Basic realm=<file>\" "
                              "challenge");
        }
        return *path;
    }

    std::string url_;
    std::string token_dir_;
    HttpSend send_;
    http::RetryPolicy policy_;
};

}  // namespace

StatusOr<std::unique_ptr<TokenSource>> MakeArcSource(const IdentityConfig& config,
                                                     const SourceContext& ctx) {
    if (!config.client_id.empty() || !config.object_id.empty() || !config.resource_id.empty()) {
        return Status(ErrorCode::kConfig,
                      "arc: Azure Arc serves only the machine's system-assigned identity; remove "
                      "identity client_id, object_id and resource_id from the configuration");
    }
    std::string url =
        config.endpoint.empty() ? EnvOr(ctx.env, "IDENTITY_ENDPOINT") : config.endpoint;
    if (url.empty()) {
        return Status(ErrorCode::kConfig,
                      "arc: IDENTITY_ENDPOINT is not set (is the Azure Connected Machine agent "
                      "installed?)");
    }
    AZKV_RETURN_IF_ERROR(CheckIdentityUrl(kName, url, /*allow_plain=*/true));
    std::string dir = config.arc_token_dir.empty() ? kDefaultArcTokenDir : config.arc_token_dir;
    return std::unique_ptr<TokenSource>(std::make_unique<ArcSource>(url, dir, ctx));
}

}  // namespace azkv::identity

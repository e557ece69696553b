// AKS workload identity: exchange the kubelet-projected service-account token for an Entra token
// (client_assertion grant, doc §4.6).

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "identity/identity_http.h"
#include "identity/secret_file.h"

namespace azkv::identity {
namespace {

constexpr const char* kName = "workload";
constexpr const char* kDefaultAuthority = "https://login.microsoftonline.com/";
// Projected service-account tokens are a few KiB; anything far larger is not one.
constexpr size_t kMaxAssertionBytes = size_t{64} * 1024;

// The tenant becomes a path segment: only what tenant ids and domain names contain.
bool ValidTenant(const std::string& t) {
    if (t.empty() || t.size() > 256)
        return false;
    for (unsigned char c : t) {
        if (!std::isalnum(c) && c != '-' && c != '.')
            return false;
    }
    return true;
}

// Re-read on every request: kubelet rotates the file, a cached copy would expire.
StatusOr<SecretString> ReadAssertion(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Status(ErrorCode::kUnauthenticated, std::string(kName) +
                                                       ": cannot open AZURE_FEDERATED_TOKEN_FILE " +
                                                       path + ": " + std::strerror(errno));
    }
    StatusOr<SecretString> assertion =
        ReadSecretFd(fd, kMaxAssertionBytes, std::string(kName) + ": federated token file " + path);
    ::close(fd);
    return assertion;
}

class WorkloadSource : public TokenSource {
public:
    WorkloadSource(std::string url, std::string client_id, std::string token_file,
                   const SourceContext& ctx)
        : url_(std::move(url)),
          client_id_(std::move(client_id)),
          token_file_(std::move(token_file)),
          send_(ctx.send),
          policy_(http::RetryPolicy::ForIdentity(ctx.retry_budget)) {}

    std::string Name() const override { return kName; }

    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        AZKV_ASSIGN_OR_RETURN(SecretString assertion, ReadAssertion(token_file_));
        std::string prefix = "grant_type=client_credentials&client_assertion_type=" +
                             UrlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                             "&client_id=" + UrlEncode(client_id_) +
                             "&scope=" + UrlEncode(AsV2Scope(resource)) + "&client_assertion=";
        std::string encoded = UrlEncode(assertion.reveal());

        http::Request req;
        req.method = "POST";
        req.url = url_;
        req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        // Reserved up front so that no reallocation leaves a copy of the assertion behind.
        req.body.reserve(prefix.size() + encoded.size());
        req.body.append(prefix).append(encoded);
        req.body_is_secret = true;
        req.log_operation = "token:workload";
        SecureWipe(encoded.data(), encoded.size());

        StatusOr<AccessToken> token = RequestToken(send_, req, policy_, kName);
        SecureWipe(req.body.data(), req.body.size());
        return token;
    }

private:
    std::string url_;
    std::string client_id_;
    std::string token_file_;
    HttpSend send_;
    http::RetryPolicy policy_;
};

}  // namespace

StatusOr<std::unique_ptr<TokenSource>> MakeWorkloadSource(const IdentityConfig& config,
                                                          const SourceContext& ctx) {
    std::string token_file = EnvOr(ctx.env, "AZURE_FEDERATED_TOKEN_FILE");
    std::string tenant = EnvOr(ctx.env, "AZURE_TENANT_ID");
    std::string client_id =
        config.client_id.empty() ? EnvOr(ctx.env, "AZURE_CLIENT_ID") : config.client_id;
    std::string missing;
    if (token_file.empty())
        missing += " AZURE_FEDERATED_TOKEN_FILE";
    if (tenant.empty())
        missing += " AZURE_TENANT_ID";
    if (client_id.empty())
        missing += " AZURE_CLIENT_ID";
    if (!missing.empty()) {
        return Status(ErrorCode::kConfig,
                      std::string(kName) + ": not set:" + missing +
                          " (the workload identity webhook injects them into pods labelled "
                          "azure.workload.identity/use=true)");
    }
    if (!config.object_id.empty() || !config.resource_id.empty()) {
        return Status(ErrorCode::kConfig, std::string(kName) +
                                              ": workload identity selects the identity by "
                                              "client_id only; remove object_id and resource_id");
    }
    if (!ValidTenant(tenant)) {
        return Status(ErrorCode::kConfig,
                      std::string(kName) + ": AZURE_TENANT_ID is not a tenant id or domain");
    }
    std::string authority = config.endpoint;
    if (authority.empty())
        authority = EnvOr(ctx.env, "AZURE_AUTHORITY_HOST");
    if (authority.empty())
        authority = kDefaultAuthority;
    if (authority.back() != '/')
        authority += '/';
    std::string url = authority + tenant + "/oauth2/v2.0/token";
    // The assertion and the token travel here: TLS only, even to loopback.
    AZKV_RETURN_IF_ERROR(CheckIdentityUrl(kName, url, /*allow_plain=*/false));
    return std::unique_ptr<TokenSource>(
        std::make_unique<WorkloadSource>(url, client_id, token_file, ctx));
}

}  // namespace azkv::identity

// azkv doctor: the config file, which identity source would be used and why, proxy settings.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "doctor.h"

namespace azkv::cli {
namespace {

std::string Env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? "" : v;
}

bool AzOnPath() {
    std::string path = Env("PATH");
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        std::string dir =
            path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty() && ::access((dir + "/az").c_str(), X_OK) == 0)
            return true;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return false;
}

// host and port of an http(s) URL.
std::pair<std::string, int> HostPort(const std::string& url, int default_port) {
    std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    rest = rest.substr(0, rest.find('/'));
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos && rest.find(']') == std::string::npos)
        return {rest.substr(0, colon), std::atoi(rest.substr(colon + 1).c_str())};
    return {rest, default_port};
}

// IMDS answers a token request without the Metadata header with 400 invalid_request; anything
// else on that address (a sandbox or proxy that accepts every connection) is not IMDS.
bool ImdsAnswers() {
    std::string response;
    auto err =
        PlainHttpExchange("169.254.169.254", 80,
                          "GET /metadata/identity/oauth2/token?api-version=2018-02-01 HTTP/1.0\r\n"
                          "Host: 169.254.169.254\r\n\r\n",
                          std::chrono::milliseconds(1000), &response);
    return !err && response.rfind("HTTP/1.", 0) == 0 &&
           response.find("invalid_request") != std::string::npos;
}

std::string Describe(const IdentityConfig& id) {
    std::string s = IdentityTypeName(id.type);
    if (!id.client_id.empty())
        s += ", client id " + id.client_id;
    if (!id.object_id.empty())
        s += ", object id " + id.object_id;
    if (!id.resource_id.empty())
        s += ", resource id " + id.resource_id;
    if (!id.endpoint.empty())
        s += ", endpoint " + id.endpoint;
    return s;
}

}  // namespace

std::optional<Config> CheckConfig(const DoctorOptions& opts, Checklist& out) {
    std::string path = opts.config_path;
    if (path.empty())
        path = Env("AZKV_CONFIG");
    if (path.empty())
        path = "/etc/azkv/azkv.json";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        out.Warn("config", path + " does not exist; using defaults (no vaults configured)",
                 "write " + path + " (see docs/configuration.md) or set AZKV_CONFIG");
    } else {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
        out.Info("config file",
                 path + " (mode " + mode + ", owner uid " + std::to_string(st.st_uid) + ")");
    }
    auto cfg = LoadConfig(path);
    if (!cfg.ok()) {
        std::string fix =
            cfg.status().message().find("group or others") != std::string::npos ||
                    cfg.status().message().find("owned by") != std::string::npos
                ? "chmod 600 " + path + " (or 644) and make root or the service user own it"
                : "correct " + path +
                      " (schema: docs/configuration.md), then run azkv doctor again";
        out.Fail("config", cfg.status().message(), fix, ErrorCode::kConfig);
        return std::nullopt;
    }
    out.Ok("config", "parsed " + cfg->source + ": " + std::to_string(cfg->vaults.size()) +
                         " vault(s), identity " + IdentityTypeName(cfg->identity.type));
    return std::move(*cfg);
}

void ExplainIdentity(const Config& config, const DoctorOptions& opts, Checklist& out) {
    const IdentityConfig& id = config.identity;
    std::string seen;
    for (const char* var : {"AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID",
                            "AZURE_AUTHORITY_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
                            "IMDS_ENDPOINT", "MSI_ENDPOINT"}) {
        if (!Env(var).empty())
            seen += std::string(seen.empty() ? "" : ", ") + var;
    }
    out.Info("identity env", seen.empty() ? "no identity variables set" : "set: " + seen);
    if (id.type != IdentityType::kAuto) {
        std::string detail = "configured: " + Describe(id);
        if ((id.type == IdentityType::kImds || id.type == IdentityType::kArc) &&
            !id.endpoint.empty()) {
            auto [host, port] = HostPort(id.endpoint, 80);
            if (auto err = TcpProbe(host, port, opts.timeout)) {
                out.Fail("identity", detail + "; its endpoint is unreachable: " + *err,
                         "check identity.endpoint in the config, or that the identity service runs",
                         ErrorCode::kUnauthenticated);
                return;
            }
        }
        out.Ok("identity", detail);
        return;
    }
    std::string why;
    std::string choice;
    if (!Env("AZURE_FEDERATED_TOKEN_FILE").empty()) {
        choice = "workload identity";
        why = "AZURE_FEDERATED_TOKEN_FILE is set";
    } else if (!Env("IDENTITY_ENDPOINT").empty() && !Env("IDENTITY_HEADER").empty()) {
        choice = "App Service managed identity";
        why = "IDENTITY_ENDPOINT and IDENTITY_HEADER are set";
    } else if (!Env("IDENTITY_ENDPOINT").empty() && !Env("IMDS_ENDPOINT").empty()) {
        choice = "Azure Arc managed identity";
        why = "IDENTITY_ENDPOINT and IMDS_ENDPOINT are set";
    } else if (ImdsAnswers()) {
        choice = "IMDS managed identity";
        why = "the instance metadata service at 169.254.169.254 answers";
    } else if (AzOnPath()) {
        choice = "Azure CLI";
        why = "no managed identity is visible and `az` is on PATH";
    }
    if (choice.empty()) {
        out.Fail(
            "identity",
            "auto: no identity source is available (no workload identity or App Service/Arc "
            "variables, IMDS 169.254.169.254 does not answer as IMDS within 1 s, `az` not on PATH)",
            "run on Azure with a managed identity, set up AKS workload identity, or run "
            "`az login`; or set identity.type (and identity.endpoint) in the config",
            ErrorCode::kUnauthenticated);
        return;
    }
    out.Ok("identity", "auto would use " + choice + " because " + why);
}

void CheckProxy(const Config& config, Checklist& out) {
    std::string env;
    for (const char* var :
         {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        std::string v = Env(var);
        if (!v.empty())
            env += std::string(env.empty() ? "" : ", ") + var + "=" + v;
    }
    if (config.http.proxy.empty() && env.empty()) {
        out.Ok("proxy", "none: vaults are reached directly (identity endpoints never use a proxy)");
        return;
    }
    std::string detail =
        config.http.proxy.empty()
            ? "from the environment: " + env
            : "http.proxy " + config.http.proxy + (env.empty() ? "" : "; environment: " + env);
    if (!config.http.proxy.empty()) {
        auto [host, port] = HostPort(config.http.proxy, 3128);
        if (auto err = TcpProbe(host, port, std::chrono::milliseconds(2000))) {
            out.Fail("proxy", detail + "; the proxy is unreachable: " + *err,
                     "fix http.proxy in the config, or remove it to connect directly",
                     ErrorCode::kUnavailable);
            return;
        }
    }
    out.Info("proxy", detail + " (vault traffic goes through it; identity endpoints do not)");
}

}  // namespace azkv::cli

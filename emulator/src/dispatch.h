// The vault request pipeline: challenge/auth -> api-version -> route -> faults -> RBAC ->
// throttling -> handler -> response headers, stats and ops log. API modules (keys today,
// certificates later) plug in through VaultRouter without touching this file.
#pragma once

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app.h"

namespace azkv::emu {

struct Route;

struct VaultRequest {
    VaultRequest(App& a, VaultContext& v, const httplib::Request& h, std::vector<std::string> s,
                 const Route& route, TokenClaims c, std::string api);

    App& app;
    VaultContext& vault;
    const httplib::Request& http;
    std::vector<std::string> segs;  // decoded path segments, original case
    std::string op, key, version;
    TokenClaims caller;
    std::string api_version;
    FaultDecision fault;

    // The JSON body as an object; 400 BadParameter when missing or malformed.
    const nlohmann::json& body();
    std::string query(const std::string& name) const;

private:
    std::optional<nlohmann::json> body_;
};

struct ApiResult {
    int status = 200;
    nlohmann::json body;  // null = empty body
};

using OpHandler = std::function<ApiResult(VaultRequest&)>;

struct Route {
    std::string op;            // stats/ops-log/fault-filter name: "sign", "get", ...
    std::string action;        // RBAC action: "sign", "get", "certificates/get", ...
    std::string azure_action;  // for the 403 message, e.g. "keys/sign/action"
    std::string key, version;  // key empty = vault-wide action
    OpHandler handler;
    // Throttling: the create bucket is charged with the kty from the body.
    bool create_bucket = false;
};

// segs_lc: lower-cased segments for keyword matching; segs: original spelling (names).
using RouteMatcher = std::function<std::optional<Route>(const std::string& method,
                                                        const std::vector<std::string>& segs_lc,
                                                        const std::vector<std::string>& segs)>;

class VaultRouter {
public:
    void add(RouteMatcher m) { matchers_.push_back(std::move(m)); }
    std::optional<Route> match(const std::string& method,
                               const std::vector<std::string>& segs) const;

private:
    std::vector<RouteMatcher> matchers_;
};

void handle_vault_request(App& app, VaultContext& vault, const VaultRouter& router,
                          const httplib::Request& req, httplib::Response& res);

// JSON field helpers: 400 BadParameter naming the field.
std::string require_string(const nlohmann::json& j, const char* field);
Bytes require_b64(const nlohmann::json& j, const char* field);
std::optional<Bytes> optional_b64(const nlohmann::json& j, const char* field);

}  // namespace azkv::emu

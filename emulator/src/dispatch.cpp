#include "dispatch.h"

#include <chrono>
#include <thread>

#include "errors.h"
#include "hostile.h"
#include "http_util.h"
#include "identities.h"
#include "ids.h"
#include "log.h"

namespace azkv::emu {
namespace {

constexpr const char* kServiceVersion = "1.9.2380.1";
constexpr const char* kLatestApi = "2025-07-01";
constexpr const char* kSubscriptionPath =
    "/subscriptions/00000000-0000-0000-0000-00000000a2c7/resourcegroups/azkv-emulator/providers/";

bool api_version_ok(const std::string& v) {
    if (v == "2025-07-01")
        return true;
    // 7.0 .. 7.6, and their "-preview.N" spellings (the C++ SDK defaults to 7.6-preview.2).
    if (v.size() < 3 || v[0] != '7' || v[1] != '.' || v[2] < '0' || v[2] > '6')
        return false;
    return v.size() == 3 || v.compare(3, 9, "-preview.") == 0;
}

void sleep_ms(double ms) {
    if (ms > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(ms * 1000)));
}

struct Unauthorized {
    std::string message;
};
struct AlreadyReplied {};

// Authenticates the bearer token. Returns the caller or throws Unauthorized.
TokenClaims authenticate(App& app, const VaultContext& vault, const httplib::Request& req) {
    std::string auth = req.get_header_value("Authorization");
    if (auth.size() < 7 || !iequals(auth.substr(0, 7), "Bearer "))
        throw Unauthorized{"AKV10000: Request is missing a Bearer or PoP token."};
    TokenClaims claims;
    switch (app.tokens.validate(auth.substr(7), claims)) {
        case TokenCheck::Ok:
            break;
        case TokenCheck::Expired:
            throw Unauthorized{"AKV10032: Invalid issuer. The token expired at " +
                               std::to_string(claims.exp) + " (token expired)."};
        case TokenCheck::Revoked:
            throw Unauthorized{"AKV10001: Invalid token: the token has been revoked."};
        default:
            throw Unauthorized{"AKV10001: Invalid token: signature validation failed."};
    }
    std::string aud = claims.aud;
    while (!aud.empty() && aud.back() == '/')
        aud.pop_back();
    if (!iequals(aud, vault.origin) && !iequals(aud, vault.cloud_resource()))
        throw Unauthorized{"AKV10022: Invalid audience. Expected " + vault.origin +
                           ", found: " + claims.aud + "."};
    return claims;
}

std::string rbac_message(const VaultContext& vault, const Route& route, const std::string& oid) {
    std::string provider =
        vault.mhsm() ? "Microsoft.KeyVault/managedHsm/" : "Microsoft.KeyVault/vaults/";
    std::string resource =
        std::string(kSubscriptionPath) +
        (vault.mhsm() ? "microsoft.keyvault/managedhsms/" : "microsoft.keyvault/vaults/") +
        to_lower(vault.name);
    if (!route.key.empty()) {
        // "certificates/get" -> certificates; plain key actions -> keys.
        auto slash = route.action.find('/');
        std::string coll = slash == std::string::npos ? "keys" : route.action.substr(0, slash);
        resource += "/" + coll + "/" + to_lower(route.key);
    }
    return "Caller is not authorized to perform action on resource.\r\n"
           "If role assignments were recently changed, please wait several minutes for role "
           "assignments to become effective.\r\n"
           "Caller: oid=" +
           oid +
           ";\r\n"
           "Action: '" +
           provider + route.azure_action +
           "'\r\n"
           "Resource: '" +
           resource +
           "'\r\n"
           "Assignment: (not found)\r\n"
           "Vault: " +
           vault.name + ";location=local\r\n";
}

void enforce_throttle(App& app, VaultContext& vault, const Route& route, VaultRequest& vr) {
    if (!app.throttle.enabled() || vault.mhsm())
        return;
    bool create = route.create_bucket;
    double weight = 0.5;  // vault-wide transactions: 4000 per window
    try {
        if (create) {
            const auto& b = vr.body();
            std::string kty = b.contains("key") ? b["key"].value("kty", "") : b.value("kty", "");
            if (b.value("Hsm", false) || b.value("hsm", false))
                kty += "-HSM";
            weight = Throttle::create_weight(kty);
        } else if (!route.key.empty()) {
            auto v = vault.keys->get(route.key, route.version, nullptr);
            weight = Throttle::weight_for(v->kty, v->material->bits);
        }
    } catch (const ApiError&) {
        // The handler reports the real error; charge the default weight.
    }
    if (!app.throttle.admit(vault.name, create, weight))
        throw ApiError(429, "Throttled",
                       "Request was not processed because too many requests were received. Reason: "
                       "VaultRequestTypeLimitReached");
}

// Sends `body` in two halves with a pause between them (rate_slow_body).
void slow_content(httplib::Response& res, std::string body, int pause_ms) {
    auto shared = std::make_shared<std::string>(std::move(body));
    res.set_chunked_content_provider(
        "application/json; charset=utf-8",
        [shared, pause_ms, sent = size_t{0}](size_t, httplib::DataSink& sink) mutable {
            if (sent >= shared->size()) {
                sink.done();
                return true;
            }
            if (sent > 0)
                sleep_ms(pause_ms);
            size_t n = sent == 0 ? shared->size() / 2 : shared->size() - sent;
            if (n == 0)
                n = shared->size() - sent;
            sink.write(shared->data() + sent, n);
            sent += n;
            return true;
        });
}

}  // namespace

VaultRequest::VaultRequest(App& a, VaultContext& v, const httplib::Request& h,
                           std::vector<std::string> s, const Route& route, TokenClaims c,
                           std::string api)
    : app(a),
      vault(v),
      http(h),
      segs(std::move(s)),
      op(route.op),
      key(route.key),
      version(route.version),
      caller(std::move(c)),
      api_version(std::move(api)) {}

const nlohmann::json& VaultRequest::body() {
    if (!body_) {
        if (http.body.empty())
            bad_parameter("The request body is empty; a JSON object is required.");
        auto j = nlohmann::json::parse(http.body, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            bad_parameter("The request body is not a valid JSON object.");
        body_ = std::move(j);
    }
    return *body_;
}

std::string VaultRequest::query(const std::string& name) const {
    return http.has_param(name.c_str()) ? http.get_param_value(name.c_str()) : std::string();
}

std::optional<Route> VaultRouter::match(const std::string& method,
                                        const std::vector<std::string>& segs) const {
    std::vector<std::string> lc;
    for (auto& s : segs)
        lc.push_back(to_lower(s));
    for (auto& m : matchers_)
        if (auto r = m(method, lc, segs))
            return r;
    return std::nullopt;
}

std::string require_string(const nlohmann::json& j, const char* field) {
    if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty())
        bad_parameter(std::string(field) + ": a non-empty string is required");
    return j[field];
}

std::optional<Bytes> optional_b64(const nlohmann::json& j, const char* field) {
    if (!j.contains(field) || j[field].is_null())
        return std::nullopt;
    if (!j[field].is_string())
        bad_parameter(std::string(field) + ": must be a base64url string");
    auto b = b64_decode(j[field].get<std::string>());
    if (!b)
        bad_parameter(std::string(field) + ": is not valid base64url");
    return b;
}

Bytes require_b64(const nlohmann::json& j, const char* field) {
    auto b = optional_b64(j, field);
    if (!b)
        bad_parameter(std::string(field) + ": is required");
    return *b;
}

void handle_vault_request(App& app, VaultContext& vault, const VaultRouter& router,
                          const httplib::Request& req, httplib::Response& res) {
    double start = monotonic_ms();
    std::vector<std::string> segs;
    OpsRecord rec;
    rec.vault = vault.name;
    rec.conn = current_connection_id();
    rec.method = req.method;
    rec.path = req.path;
    std::optional<VaultRequest> vr;
    bool reset = false;
    FaultDecision fault;

    res.set_header("x-ms-request-id", random_guid());
    res.set_header("Date", http_date_now());
    res.set_header("x-ms-keyvault-service-version", kServiceVersion);
    res.set_header("x-ms-keyvault-region", "local");
    if (req.has_header("x-ms-client-request-id"))
        res.set_header("x-ms-client-request-id", req.get_header_value("x-ms-client-request-id"));

    try {
        if (app.faults.vault_down(vault.name))
            throw ApiError(503, "ServiceUnavailable",
                           "The service is temporarily unavailable (injected vault_down).");
        // The challenge comes before any body parsing: SDKs probe with an empty body.
        TokenClaims caller;
        try {
            caller = authenticate(app, vault, req);
        } catch (const Unauthorized& u) {
            std::string resource =
                challenge_resource(app.faults.hostile_challenge(vault.name), vault.origin);
            res.set_header("WWW-Authenticate", "Bearer authorization=\"" + app.sts_url + "/" +
                                                   kTenant + "\", resource=\"" + resource + "\"");
            bool missing = !req.has_header("Authorization");
            if (vault.mhsm() && missing) {
                res.status = 401;  // Managed HSM challenges carry an empty body
                res.set_content("", "application/json; charset=utf-8");
            } else {
                reply_json(res, 401, ApiError(401, "Unauthorized", u.message).body());
            }
            throw AlreadyReplied{};
        }
        rec.oid = caller.oid;
        std::string api = req.has_param("api-version") ? req.get_param_value("api-version") : "";
        if (api.empty())
            bad_parameter("The api-version query parameter is missing; it is required.");
        if (!api_version_ok(api))
            bad_parameter("The specified version (" + api +
                          ") is not recognized. Consider using the latest supported version (" +
                          kLatestApi + ").");
        if (!split_path(req.path, segs))
            throw ApiError(404, "NotFound", "Not found: " + req.path);
        auto route = router.match(req.method, segs);
        if (!route)
            throw ApiError(
                404, "NotFound",
                "The requested operation " + req.method + " " + req.path + " is not supported.");
        rec.op = route->op;
        rec.key = route->key;
        rec.version = route->version;
        vr.emplace(app, vault, req, segs, *route, caller, api);

        fault = app.faults.decide(vault.name, route->op);
        sleep_ms(
            fault.delay_ms);  // in this connection's own thread: other connections are unaffected
        vr->fault = fault;
        switch (fault.kind) {
            case FaultKind::Throttle:
                res.set_header("Retry-After", std::to_string(fault.retry_after_s));
                [[fallthrough]];
            case FaultKind::ThrottleNoRetryAfter:
                throw ApiError(429, "Throttled",
                               "Request was not processed because too many requests were received. "
                               "Reason: VaultRequestTypeLimitReached");
            case FaultKind::Error500:
                throw ApiError(500, "InternalServerError",
                               "An unexpected error occurred (injected fault).");
            case FaultKind::Error503:
                throw ApiError(503, "ServiceUnavailable",
                               "The service is temporarily unavailable (injected fault).");
            case FaultKind::Reset:
                reset = reset_connection(req);
                throw ApiError(500, "InternalServerError", "connection reset (injected fault)");
            default:
                break;
        }
        if (!app.rbac.allowed(caller.oid, vault.name, route->key, route->action))
            throw ApiError(403, "Forbidden", rbac_message(vault, *route, caller.oid),
                           "ForbiddenByRbac");
        enforce_throttle(app, vault, *route, *vr);

        ApiResult result = route->handler(*vr);
        apply_hostile(fault.hostile, *vr, result);
        res.status = result.status;
        if (result.body.is_null()) {
            res.set_content("", "application/json; charset=utf-8");
        } else {
            std::string text =
                result.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            if (fault.kind == FaultKind::MalformedJson)
                text = text.substr(0, text.size() / 2);
            if (fault.kind == FaultKind::SlowBody)
                slow_content(res, std::move(text), fault.slow_body_ms);
            else
                res.set_content(text, "application/json; charset=utf-8");
        }
    } catch (const AlreadyReplied&) {
        // reply already written (401)
    } catch (const ApiError& e) {
        reply_json(res, e.status, e.body());
    } catch (const nlohmann::json::exception& e) {
        reply_json(
            res, 400,
            ApiError(400, "BadParameter", std::string("Invalid request: ") + e.what()).body());
    } catch (const std::exception& e) {
        log_line(LogLevel::Error, std::string("internal error: ") + e.what());
        reply_json(res, 500,
                   ApiError(500, "InternalServerError", "internal emulator error").body());
    }
    double ms = monotonic_ms() - start;
    if (vault.mhsm())
        res.set_header("x-ms-server-latency", std::to_string(static_cast<int64_t>(ms)));
    rec.status = reset ? 0 : res.status;
    rec.ms = ms;
    app.stats.count_vault_request(vault.name, rec.op, rec.status);
    app.ops_log.write(rec);
}

}  // namespace azkv::emu

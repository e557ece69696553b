#include "identity_endpoints.h"

#include <sys/stat.h>

#include <chrono>
#include <map>
#include <mutex>

#include "base64url.h"
#include "fsutil.h"
#include "http_util.h"
#include "ids.h"

namespace azkv::emu {
namespace {

constexpr int64_t kArcSecretLifetime = 60;

struct IdentityError {
    int status;
    nlohmann::json body;
};

[[noreturn]] void fail(int status, const std::string& error, const std::string& description) {
    throw IdentityError{status, {{"error", error}, {"error_description", description}}};
}

std::string param(const httplib::Request& req, const char* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// At most one selector; none = the system-assigned identity.
const Identity& select_identity(const httplib::Request& req,
                                std::initializer_list<const char*> selectors) {
    const char* used = nullptr;
    std::string value;
    for (const char* s : selectors) {
        if (!req.has_param(s))
            continue;
        if (used)
            fail(400, "invalid_request",
                 std::string("Only one of ") + used + " and " + s + " may be given");
        used = s;
        value = req.get_param_value(s);
    }
    if (!used)
        return system_identity();
    const Identity* id = find_identity(value);
    if (!id || !id->managed)
        fail(400, "invalid_request", "Identity not found");
    return *id;
}

std::string require_resource(const httplib::Request& req) {
    std::string r = param(req, "resource");
    if (r.empty())
        fail(400, "invalid_request", "Required query variable 'resource' is missing");
    return r;
}

void require_metadata_header(const httplib::Request& req) {
    if (req.get_header_value("Metadata") != "true")
        fail(400, "invalid_request", "bad_request_102: Required metadata header not specified");
    if (req.has_header("X-Forwarded-For"))
        fail(400, "invalid_request", "bad_request_103: X-Forwarded-For header is not allowed");
}

// IMDS and Arc answer with every value as a string.
nlohmann::json imds_shape(App& app, const Identity& id, const std::string& resource) {
    IssuedToken t = app.tokens.issue(id, resource);
    return {{"access_token", t.jwt},
            {"refresh_token", ""},
            {"expires_in", std::to_string(t.exp - t.iat)},
            {"expires_on", std::to_string(t.exp)},
            {"ext_expires_in", std::to_string(t.exp - t.iat)},
            {"not_before", std::to_string(t.iat)},
            {"resource", resource},
            {"token_type", "Bearer"},
            {"client_id", id.client_id}};
}

nlohmann::json imds(App& app, const httplib::Request& req) {
    require_metadata_header(req);
    std::string api = param(req, "api-version");
    if (api.empty())
        fail(400, "invalid_request", "Required query variable 'api-version' is missing");
    if (api < "2018-02-01")
        fail(400, "invalid_request", "Invalid api-version " + api);
    std::string resource = require_resource(req);
    return imds_shape(app, select_identity(req, {"client_id", "object_id", "msi_res_id"}),
                      resource);
}

nlohmann::json app_service(App& app, const httplib::Request& req) {
    if (!req.has_header("X-IDENTITY-HEADER"))
        fail(401, "unauthorized_client", "The X-IDENTITY-HEADER header is missing");
    if (req.get_header_value("X-IDENTITY-HEADER") != app.app_service_secret)
        fail(403, "unauthorized_client", "The X-IDENTITY-HEADER value is not valid");
    if (param(req, "api-version") != "2019-08-01")
        fail(400, "invalid_request", "api-version must be 2019-08-01");
    std::string resource = require_resource(req);
    const Identity& id =
        select_identity(req, {"client_id", "principal_id", "object_id", "mi_res_id"});
    IssuedToken t = app.tokens.issue(id, resource);
    return {{"access_token", t.jwt},
            {"expires_on", std::to_string(t.exp)},
            {"resource", resource},
            {"token_type", "Bearer"},
            {"client_id", id.client_id}};
}

// Outstanding Arc secrets: file content -> (file path, expiry). Single use.
std::mutex g_arc_mu;
std::map<std::string, std::pair<std::string, int64_t>> g_arc_secrets;

nlohmann::json arc(App& app, const httplib::Request& req, httplib::Response& res) {
    require_metadata_header(req);
    std::string api = param(req, "api-version");
    if (api != "2019-11-01" && api != "2020-06-01")
        fail(400, "invalid_request", "api-version must be 2019-11-01 or 2020-06-01");
    std::string resource = require_resource(req);
    std::string auth = req.get_header_value("Authorization");
    if (auth.empty()) {
        std::string secret = random_secret();
        std::string file = app.arc_token_dir + "/" + random_guid() + ".key";
        write_file_atomic(file, secret);
        {
            std::lock_guard lk(g_arc_mu);
            g_arc_secrets[secret] = {file, unix_now() + kArcSecretLifetime};
        }
        res.set_header("WWW-Authenticate", "Basic realm=" + file);
        fail(401, "unauthorized", "Use the secret in the realm file as Basic credentials");
    }
    if (auth.size() < 6 || !iequals(auth.substr(0, 6), "Basic "))
        fail(401, "unauthorized", "Basic credentials required");
    std::string presented = auth.substr(6);
    {
        std::lock_guard lk(g_arc_mu);
        auto it = g_arc_secrets.find(presented);
        bool valid = it != g_arc_secrets.end() && it->second.second >= unix_now();
        if (it != g_arc_secrets.end()) {
            std::remove(it->second.first.c_str());
            g_arc_secrets.erase(it);
        }
        if (!valid)
            fail(401, "unauthorized", "The Basic credentials are not valid or have expired");
    }
    return imds_shape(app, select_identity(req, {"client_id", "object_id", "msi_res_id"}),
                      resource);
}

[[noreturn]] void entra_fail(int status, const std::string& error, int code,
                             const std::string& text) {
    std::string id = random_guid();
    throw IdentityError{status,
                        {{"error", error},
                         {"error_description", "AADSTS" + std::to_string(code) + ": " + text +
                                                   " Trace ID: " + id + " Correlation ID: " + id},
                         {"error_codes", {code}},
                         {"timestamp", std::to_string(unix_now())},
                         {"trace_id", id},
                         {"correlation_id", id}}};
}

std::string form_value(const httplib::Params& form, const char* name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

nlohmann::json workload(App& app, const httplib::Request& req, const std::string& tenant) {
    // The Entra token request is an x-www-form-urlencoded body; httplib leaves it unparsed.
    httplib::Params form;
    httplib::detail::parse_query_text(req.body, form);
    auto field = [&form](const char* name) { return form_value(form, name); };
    if (!iequals(tenant, kTenant))
        entra_fail(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found.");
    if (field("grant_type") != "client_credentials")
        entra_fail(400, "unsupported_grant_type", 70003,
                   "The app requested an unsupported grant type.");
    if (field("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        entra_fail(400, "invalid_request", 900144,
                   "The request body must contain client_assertion_type.");
    std::string scope = field("scope");
    if (scope.empty())
        entra_fail(400, "invalid_scope", 70011,
                   "The provided value for the input parameter 'scope' is not valid.");
    const Identity* id = find_identity(field("client_id"));
    if (!id || !iequals(field("client_id"), id->client_id))
        entra_fail(400, "unauthorized_client", 700016,
                   "Application with identifier '" + field("client_id") + "' was not found.");
    if (field("client_assertion") != app.workload_assertion)
        entra_fail(401, "invalid_client", 70021,
                   "No matching federated identity record found for presented assertion.");
    IssuedToken t = app.tokens.issue(*id, scope);
    return {{"token_type", "Bearer"},
            {"expires_in", t.exp - t.iat},
            {"ext_expires_in", t.exp - t.iat},
            {"access_token", t.jwt}};
}

}  // namespace

void prepare_identity_state(App& app) {
    app.app_service_secret = random_secret();
    app.arc_token_dir = app.opts.state_dir + "/arc-tokens";
    make_dirs(app.arc_token_dir);
    app.workload_token_file = app.opts.state_dir + "/federated-token";
    // A JWT-shaped assertion like the one kubelet projects; it is a secret, so it carries the
    // marker.
    app.workload_assertion =
        b64url_encode(std::string(R"({"alg":"RS256","typ":"JWT"})")) + "." +
        b64url_encode(nlohmann::json{{"iss", "https://kubernetes.default.svc"},
                                     {"sub", "system:serviceaccount:default:azkv"},
                                     {"aud", "api://AzureADTokenExchange"}}
                          .dump()) +
        "." + random_secret();
    write_file_atomic(app.workload_token_file, app.workload_assertion);
}

void handle_identity_request(App& app, const httplib::Request& req, httplib::Response& res) {
    double start = monotonic_ms();
    std::string path = to_lower(req.path);
    if (path.size() > 1 && path.back() == '/')
        path.pop_back();
    std::vector<std::string> segs;
    split_path(path, segs);
    std::string endpoint;
    if (path == "/metadata/identity/oauth2/token")
        endpoint = "imds";
    else if (path == "/msi/token")
        endpoint = "app_service";
    else if (path == "/arc/identity/oauth2/token")
        endpoint = "arc";
    else if (segs.size() == 4 && segs[1] == "oauth2" && segs[2] == "v2.0" && segs[3] == "token")
        endpoint = "workload";

    OpsRecord rec{"identity",
                  current_connection_id(),
                  req.method,
                  req.path,
                  "token:" + endpoint,
                  "",
                  "",
                  "",
                  0,
                  0};
    try {
        if (endpoint.empty()) {
            reply_json(res, 404,
                       {{"error", "not_found"}, {"error_description", "unknown path " + req.path}});
        } else {
            app.stats.count_token_request(endpoint);
            if (app.faults.token_endpoint_down())
                fail(503, "service_unavailable",
                     "The identity endpoint is temporarily unavailable (injected fault).");
            bool post = endpoint == "workload";
            if (req.method != (post ? "POST" : "GET"))
                fail(405, "invalid_request", "Method " + req.method + " is not allowed here");
            nlohmann::json body = endpoint == "imds"          ? imds(app, req)
                                  : endpoint == "app_service" ? app_service(app, req)
                                  : endpoint == "arc"         ? arc(app, req, res)
                                                              : workload(app, req, segs[0]);
            reply_json(res, 200, body);
        }
    } catch (const IdentityError& e) {
        reply_json(res, e.status, e.body);
    }
    rec.status = res.status;
    rec.ms = monotonic_ms() - start;
    app.stats.count_status(res.status);
    app.ops_log.write(rec);
}

}  // namespace azkv::emu

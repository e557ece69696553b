#include "keyvault/service_error.h"

#include <nlohmann/json.hpp>

namespace azkv::keyvault::detail {
namespace {

struct ServiceBody {
    std::string code;  // innermost code: ForbiddenByRbac rather than Forbidden
    std::string message;
};

ServiceBody ParseBody(const std::string& body) {
    ServiceBody out;
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return out;
    auto err = j.find("error");
    if (err == j.end() || !err->is_object())
        return out;
    if (auto m = err->find("message"); m != err->end() && m->is_string()) {
        out.message = m->get<std::string>();
    }
    // Branch on codes, never on messages; the innermost code is the most specific.
    const nlohmann::json* level = &*err;
    for (int depth = 0; depth < 8 && level != nullptr && level->is_object(); ++depth) {
        if (auto c = level->find("code"); c != level->end() && c->is_string()) {
            out.code = c->get<std::string>();
        }
        auto inner = level->find("innererror");
        level = inner == level->end() ? nullptr : &*inner;
    }
    // Service messages are multi-line (RBAC details); keep them on one log line.
    for (char& ch : out.message) {
        if (ch == '\r' || ch == '\n')
            ch = ' ';
    }
    if (out.message.size() > 600)
        out.message.resize(600);
    return out;
}

bool IsCryptoOp(const std::string& op) {
    return op == "sign" || op == "verify" || op == "encrypt" || op == "decrypt" ||
           op == "wrapkey" || op == "unwrapkey";
}

std::string RbacAction(const ErrorContext& ctx) {
    const std::string& op = ctx.operation;
    std::string prefix =
        ctx.managed_hsm ? "Microsoft.KeyVault/managedHsm/keys/" : "Microsoft.KeyVault/vaults/keys/";
    if (op == "get" || op == "list")
        return prefix + "read";
    if (op == "certificates/get")
        return "Microsoft.KeyVault/vaults/certificates/read";
    if (op == "secrets/get")
        return "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    if (op == "rng")
        return "Microsoft.KeyVault/managedHsm/rng/action";
    std::string name = op == "wrapkey" ? "wrap" : op == "unwrapkey" ? "unwrap" : op;
    return prefix + name + "/action";
}

std::string RoleHint(const ErrorContext& ctx) {
    const std::string& op = ctx.operation;
    if (op == "certificates/get")
        return "Key Vault Certificate User";
    if (op == "secrets/get")
        return "Key Vault Secrets User";
    std::string role = (IsCryptoOp(op) || op == "get" || op == "list" || op == "rng")
                           ? "Crypto User"
                           : "Crypto Officer";
    return (ctx.managed_hsm ? "Managed HSM " : "Key Vault ") + role;
}

}  // namespace

std::string ContextPrefix(const ErrorContext& ctx) {
    std::string s = "vault " + ctx.vault;
    if (!ctx.object.empty())
        s += " object " + ctx.object;
    s += " " + ctx.operation + ": ";
    return s;
}

Status ServiceError(const http::Response& r, const ErrorContext& ctx) {
    ServiceBody body = ParseBody(r.body);
    std::string what = body.message.empty() ? "(no error message in the answer)" : body.message;
    ErrorCode code;
    std::string todo;
    switch (r.status) {
        case 400:
            code = ErrorCode::kInvalidArgument;
            todo = "the service refused the request as invalid";
            break;
        case 401:
            code = ErrorCode::kUnauthenticated;
            todo =
                "the vault rejected the token even after a refresh; check that the identity "
                "belongs to the vault's tenant and that the token audience matches the vault "
                "(azkv doctor shows both)";
            break;
        case 403:
            if (body.code == "KeyDisabled") {
                code = ErrorCode::kKeyDisabled;
                todo = "the key is disabled; enable it (azkv key enable) or use another key";
            } else if (body.code == "ForbiddenByFirewall") {
                code = ErrorCode::kPermissionDenied;
                todo =
                    "the vault's firewall refuses this client's address; allow it, or reach "
                    "the vault through its private endpoint";
            } else if (body.code == "ForbiddenByRbac" || body.code == "Forbidden" ||
                       body.code == "AccessDenied") {
                code = ErrorCode::kPermissionDenied;
                todo = "the identity may not perform " + RbacAction(ctx) + "; assign it the '" +
                       RoleHint(ctx) + "' role (or a custom role with that action) on this " +
                       (ctx.object.empty() ? "vault" : "key or vault");
            } else {
                // Outside nbf/exp, or an operation not in key_ops, also answer 403.
                code = ErrorCode::kKeyDisabled;
                todo =
                    "the key refuses this operation: check its enabled flag, not-before and "
                    "expiry dates, and its permitted operations (azkv key show)";
            }
            break;
        case 404:
            code = ErrorCode::kNotFound;
            todo = "no such object; check the name and version, and that it was not deleted";
            break;
        case 409:
            code = ErrorCode::kInvalidArgument;
            todo =
                "the name is held by a deleted key; recover or purge it, or choose another "
                "name";
            break;
        case 429:
            code = ErrorCode::kThrottled;
            todo =
                "the vault kept throttling until the retry budget was spent; reduce the "
                "request rate, enable TLS session resumption, or raise http.retry_budget_ms";
            break;
        default:
            if (r.status >= 500) {
                code = ErrorCode::kUnavailable;
                todo =
                    "the service kept failing until the retry budget was spent; try again "
                    "later or check the Azure status page";
            } else {
                code = ErrorCode::kBadResponse;
                todo = "unexpected HTTP status";
            }
    }
    std::string msg = ContextPrefix(ctx) + "HTTP " + std::to_string(r.status);
    if (!body.code.empty())
        msg += " " + body.code;
    msg += ": " + what + " -> " + todo;
    Status st(code, msg);
    st.set_http_status(static_cast<int>(r.status));
    st.set_service_code(body.code);
    st.set_request_id(std::string(r.request_id()));
    return st;
}

}  // namespace azkv::keyvault::detail

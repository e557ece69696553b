#include "hostile.h"

#include "base64url.h"
#include "crypto_ops.h"
#include "errors.h"
#include "jwk.h"

namespace azkv::emu {
namespace {

const char* const kModes[] = {"huge_body",   "short_result",  "long_result", "wrong_signature",
                              "foreign_kid", "other_key_kid", "wrong_jwk",   "foreign_challenge"};

constexpr size_t kHugeBodyBytes = 64u << 20;
constexpr const char* kForeignOrigin = "https://attacker.example";

bool is_crypto_op(const std::string& op) {
    return op == "sign" || op == "decrypt" || op == "unwrapKey" || op == "encrypt" ||
           op == "wrapKey";
}

// Rewrites a kid in place: to another vault host, or to another key of this vault.
void rewrite_kid(const std::string& mode, const VaultRequest& req, nlohmann::json& kid) {
    if (!kid.is_string())
        return;
    std::string s = kid.get<std::string>();
    const std::string& origin = req.vault.origin;
    if (s.rfind(origin, 0) != 0)
        return;
    if (mode == "foreign_kid") {
        kid = "https://other-vault.vault.azure.net" + s.substr(origin.size());
    } else {
        std::string keys = origin + "/keys/" + req.key;
        if (s.rfind(keys, 0) == 0)
            kid = keys + "-other" + s.substr(keys.size());
    }
}

void replace_public_key(nlohmann::json& key) {
    std::string kty = key.value("kty", "");
    KeyMaterial fresh;
    if (kty.rfind("RSA", 0) == 0) {
        fresh = generate_rsa(2048, 65537);
    } else if (kty.rfind("EC", 0) == 0) {
        const CurveInfo* curve = curve_by_crv(key.value("crv", ""));
        if (curve == nullptr)
            return;
        fresh = generate_ec(*curve);
    } else {
        return;
    }
    key.update(fresh.public_fields);
}

}  // namespace

void validate_hostile_mode(const std::string& mode) {
    if (mode.empty())
        return;
    for (const char* m : kModes)
        if (mode == m)
            return;
    bad_parameter("faults: unknown 'hostile' mode '" + mode +
                  "' (huge_body, short_result, long_result, wrong_signature, foreign_kid, "
                  "other_key_kid, wrong_jwk, foreign_challenge)");
}

void apply_hostile(const std::string& mode, const VaultRequest& req, ApiResult& result) {
    if (mode.empty() || result.status >= 300 || !result.body.is_object())
        return;
    nlohmann::json& body = result.body;
    if (mode == "huge_body") {
        body["padding"] = std::string(kHugeBodyBytes, 'A');
    } else if ((mode == "short_result" || mode == "long_result") && is_crypto_op(req.op)) {
        auto value = b64_decode(body.value("value", ""));
        if (!value || value->empty())
            return;
        if (mode == "short_result")
            value->pop_back();
        else
            value->push_back(0x5a);
        body["value"] = b64url_encode(*value);
    } else if (mode == "wrong_signature" && req.op == "sign") {
        // Right length, wrong bytes: only a check against the public key can tell.
        auto value = b64_decode(body.value("value", ""));
        if (!value || value->empty())
            return;
        (*value)[value->size() / 2] ^= 0x01;
        body["value"] = b64url_encode(*value);
    } else if (mode == "foreign_kid" || mode == "other_key_kid") {
        if (body.contains("kid"))
            rewrite_kid(mode, req, body["kid"]);
        if (body.contains("key") && body["key"].is_object() && body["key"].contains("kid"))
            rewrite_kid(mode, req, body["key"]["kid"]);
    } else if (mode == "wrong_jwk") {
        if (body.contains("key") && body["key"].is_object())
            replace_public_key(body["key"]);
    }
}

std::string challenge_resource(const std::string& mode, const std::string& vault_origin) {
    return mode == "foreign_challenge" ? kForeignOrigin : vault_origin;
}

}  // namespace azkv::emu

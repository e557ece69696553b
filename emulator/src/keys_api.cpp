#include "keys_api.h"

#include "byok.h"
#include "crypto_ops.h"
#include "errors.h"
#include "ids.h"
#include "jwk.h"
#include "key_json.h"
#include "paging.h"

namespace azkv::emu {
namespace {

const char* kAllKeyOps[] = {"encrypt", "decrypt",   "sign",   "verify",
                            "wrapKey", "unwrapKey", "import", "export"};

void validate_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 127;
    for (char c : name)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (!ok)
        bad_parameter("The key name '" + name +
                      "' is invalid: use 1-127 characters of 0-9, a-z, A-Z and -.");
}

std::vector<std::string> default_key_ops(KeyFamily f) {
    switch (f) {
        case KeyFamily::Rsa:
            return {"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"};
        case KeyFamily::Ec:
            return {"sign", "verify"};
        default:
            return {"encrypt", "decrypt", "wrapKey", "unwrapKey"};
    }
}

std::vector<std::string> parse_key_ops(const nlohmann::json& j, const char* where) {
    if (!j.is_array())
        bad_parameter(std::string(where) + ": must be an array of strings");
    std::vector<std::string> ops;
    for (auto& o : j) {
        if (!o.is_string())
            bad_parameter(std::string(where) + ": must be an array of strings");
        const char* canonical = nullptr;
        for (auto* k : kAllKeyOps)
            if (iequals(o.get<std::string>(), k))
                canonical = k;
        if (!canonical)
            bad_parameter(std::string(where) + ": unknown key operation '" + o.get<std::string>() +
                          "'");
        ops.push_back(canonical);
    }
    return ops;
}

std::optional<int64_t> optional_time(const nlohmann::json& a, const char* field) {
    if (!a.contains(field) || a[field].is_null())
        return std::nullopt;
    if (!a[field].is_number())
        bad_parameter(std::string("attributes.") + field + ": must be a number (unix seconds)");
    return static_cast<int64_t>(a[field].get<double>());
}

// attributes + tags + key_ops shared by create, import and update.
void apply_common(const nlohmann::json& body, KeyVersion& v, const VaultContext& vault,
                  bool creating) {
    if (body.contains("attributes") && !body["attributes"].is_null()) {
        const auto& a = body["attributes"];
        if (!a.is_object())
            bad_parameter("attributes: must be an object");
        if (a.contains("enabled")) {
            if (!a["enabled"].is_boolean())
                bad_parameter("attributes.enabled: must be a boolean");
            v.enabled = a["enabled"];
        }
        if (a.contains("nbf"))
            v.nbf = optional_time(a, "nbf");
        if (a.contains("exp"))
            v.exp = optional_time(a, "exp");
        if (a.contains("exportable")) {
            if (!a["exportable"].is_boolean())
                bad_parameter("attributes.exportable: must be a boolean");
            if (!creating && a["exportable"].get<bool>() != v.exportable)
                bad_parameter("attributes.exportable: cannot be changed after creation");
            v.exportable = a["exportable"];
        }
    }
    if (body.contains("tags") && !body["tags"].is_null()) {
        const auto& t = body["tags"];
        if (!t.is_object() || t.size() > 15)
            bad_parameter("tags: must be an object with at most 15 entries");
        for (auto& [k, val] : t.items())
            if (!val.is_string() || k.size() > 256 || val.get<std::string>().size() > 256)
                bad_parameter("tags: names and values must be strings of at most 256 characters");
        v.tags = t;
    }
    if (creating) {
        if (body.contains("release_policy") && !body["release_policy"].is_null()) {
            if (!body["release_policy"].is_object())
                bad_parameter("release_policy: must be an object");
            v.release_policy = body["release_policy"];
        }
        if (v.exportable && v.release_policy.is_null())
            bad_parameter("AKV.SKR.1004: Exportable keys must have release policy.");
        if (!v.exportable && !v.release_policy.is_null())
            bad_parameter("release_policy: Non-exportable keys must not have release policy.");
    }
    (void)vault;
}

// kty as reported by this vault for a key family; refuses what the flavor does not support.
std::string reported_kty(const VaultContext& vault, KeyFamily f, bool hsm) {
    if (f == KeyFamily::Oct && !vault.mhsm())
        bad_parameter("kty: symmetric (oct) keys are only supported on Managed HSM");
    std::string base = f == KeyFamily::Rsa ? "RSA" : f == KeyFamily::Ec ? "EC" : "oct";
    return (hsm || vault.mhsm()) ? base + "-HSM" : base;
}

ApiResult store_new_version(VaultRequest& r, const std::string& name, KeyVersion v) {
    v.version = random_hex(16);
    v.created = v.updated = unix_now();
    std::string display;
    auto stored = r.vault.keys->add_version(name, std::move(v), &display);
    return {200, key_bundle(r.vault, display, *stored)};
}

ApiResult create_key(VaultRequest& r) {
    validate_name(r.key);
    const auto& b = r.body();
    std::string kty = require_string(b, "kty");
    bool hsm = kty.size() > 4 && kty.compare(kty.size() - 4, 4, "-HSM") == 0;
    std::string family = hsm ? kty.substr(0, kty.size() - 4) : kty;
    if (family != "RSA" && family != "EC" && family != "oct")
        bad_parameter("kty: unknown key type '" + kty + "'");
    if (r.vault.mhsm() && !hsm)
        bad_parameter("kty: Managed HSM supports only RSA-HSM, EC-HSM and oct-HSM keys, not " +
                      kty);
    KeyVersion v;
    if (b.contains("key_size") && !b["key_size"].is_number_integer())
        bad_parameter("key_size: must be an integer");
    if (family == "RSA") {
        int bits = b.value("key_size", 2048);
        if (bits != 2048 && bits != 3072 && bits != 4096)
            bad_parameter("key_size: RSA keys must be 2048, 3072 or 4096 bits");
        int64_t e = 65537;
        if (b.contains("public_exponent")) {
            if (!b["public_exponent"].is_number_integer())
                bad_parameter("public_exponent: must be an integer");
            e = b["public_exponent"];
        }
        if (e < 3 || e % 2 == 0 || e > 0xffffffffLL)
            bad_parameter("public_exponent: must be an odd integer >= 3");
        v.material =
            std::make_shared<KeyMaterial>(generate_rsa(bits, static_cast<unsigned long>(e)));
    } else if (family == "EC") {
        std::string crv = "P-256";
        if (b.contains("crv"))
            crv = require_string(b, "crv");
        const CurveInfo* curve = curve_by_crv(crv);
        if (!curve)
            bad_parameter("crv: unsupported curve '" + crv + "'");
        v.material = std::make_shared<KeyMaterial>(generate_ec(*curve));
    } else {
        int bits = b.value("key_size", 256);
        if (bits != 128 && bits != 192 && bits != 256)
            bad_parameter("key_size: oct keys must be 128, 192 or 256 bits");
        reported_kty(r.vault, KeyFamily::Oct, true);  // refuses oct on a vault
        v.material = std::make_shared<KeyMaterial>(generate_oct(bits));
    }
    v.kty = reported_kty(r.vault, v.material->family, hsm);
    v.key_ops = b.contains("key_ops") ? parse_key_ops(b["key_ops"], "key_ops")
                                      : default_key_ops(v.material->family);
    apply_common(b, v, r.vault, true);
    return store_new_version(r, r.key, std::move(v));
}

ApiResult import_key(VaultRequest& r) {
    validate_name(r.key);
    const auto& b = r.body();
    if (!b.contains("key") || !b["key"].is_object())
        bad_parameter("key: a JSON Web Key object is required");
    const auto& jwk = b["key"];
    std::string kty = require_string(jwk, "kty");
    bool hsm_kty = kty.size() > 4 && kty.compare(kty.size() - 4, 4, "-HSM") == 0;
    std::string family = hsm_kty ? kty.substr(0, kty.size() - 4) : kty;
    if (family != "RSA" && family != "EC" && family != "oct")
        bad_parameter("key.kty: unknown key type '" + kty + "'");
    bool byok = jwk.contains("key_hsm") && !jwk["key_hsm"].is_null();
    bool hsm = hsm_kty || byok;  // a BYOK key lives in the HSM
    for (const char* flag : {"Hsm", "hsm"}) {
        if (!b.contains(flag) || b[flag].is_null())
            continue;
        if (!b[flag].is_boolean())
            bad_parameter(std::string(flag) + ": must be a boolean");
        hsm = hsm || b[flag].get<bool>();
    }
    KeyVersion v;
    v.material = std::make_shared<KeyMaterial>(byok ? unwrap_byok(r.vault, jwk, family)
                                                    : material_from_jwk(jwk, family));
    v.kty = reported_kty(r.vault, v.material->family, hsm);
    v.key_ops = jwk.contains("key_ops") ? parse_key_ops(jwk["key_ops"], "key.key_ops")
                                        : default_key_ops(v.material->family);
    apply_common(b, v, r.vault, true);
    return store_new_version(r, r.key, std::move(v));
}

// Refuses what the service refuses (protocol §1.4 date rule, §5.14).
void check_usable(const KeyVersion& v, const std::string& op, bool time_exempt) {
    if (!v.enabled)
        throw ApiError(403, "Forbidden", "Operation " + op + " is not allowed on a disabled key.",
                       "KeyDisabled");
    if (op == "get")
        return;
    bool listed = false;
    for (auto& k : v.key_ops)
        listed = listed || iequals(k, op);
    if (!listed)
        throw ApiError(403, "Forbidden",
                       "Operation " + op + " is not allowed by the key's key_ops.",
                       "KeyOperationForbidden");
    if (time_exempt)
        return;
    int64_t now = unix_now();
    if (v.nbf && now < *v.nbf)
        throw ApiError(403, "Forbidden",
                       "Operation " + op + " is not allowed before the key's nbf.",
                       "KeyNotYetValid");
    if (v.exp && now >= *v.exp)
        throw ApiError(403, "Forbidden", "Operation " + op + " is not allowed on an expired key.",
                       "KeyExpired");
}

ApiResult get_key(VaultRequest& r) {
    std::string name;
    auto v = r.vault.keys->get(r.key, r.version, &name);
    check_usable(*v, "get", true);
    return {200, key_bundle(r.vault, name, *v)};
}

ApiResult update_key(VaultRequest& r) {
    const auto& b = r.body();
    std::string name;
    auto v = r.vault.keys->update(
        r.key, r.version,
        [&](KeyVersion& kv) {
            if (b.contains("key_ops") && !b["key_ops"].is_null())
                kv.key_ops = parse_key_ops(b["key_ops"], "key_ops");
            apply_common(b, kv, r.vault, false);
        },
        &name);
    return {200, key_bundle(r.vault, name, *v)};
}

ApiResult list_keys(VaultRequest& r) {
    std::vector<nlohmann::json> items;
    for (auto& [name, v] : r.vault.keys->list_latest())
        items.push_back(key_item(r.vault, name, *v, false));
    return {200, make_page(r, "/keys", items)};
}

ApiResult list_versions(VaultRequest& r) {
    KeyRecord rec = r.vault.keys->record(r.key);
    std::vector<nlohmann::json> items;
    for (auto& v : rec.versions)
        items.push_back(key_item(r.vault, rec.name, *v, true));
    return {200, make_page(r, "/keys/" + rec.name + "/versions", items)};
}

ApiResult delete_key(VaultRequest& r) {
    return {200, deleted_bundle(r.vault, r.vault.keys->soft_delete(r.key))};
}
ApiResult get_deleted(VaultRequest& r) {
    return {200, deleted_bundle(r.vault, r.vault.keys->get_deleted(r.key))};
}

ApiResult list_deleted(VaultRequest& r) {
    std::vector<nlohmann::json> items;
    for (auto& rec : r.vault.keys->list_deleted())
        items.push_back(deleted_item(r.vault, rec));
    return {200, make_page(r, "/deletedkeys", items)};
}

ApiResult purge_key(VaultRequest& r) {
    r.vault.keys->purge(r.key);
    return {204, nullptr};
}

ApiResult recover_key(VaultRequest& r) {
    KeyRecord rec = r.vault.keys->recover(r.key);
    return {200, key_bundle(r.vault, rec.name, *rec.versions.back())};
}

ApiResult crypto_op(VaultRequest& r) {
    std::string name;
    auto v = r.vault.keys->get(r.key, r.version, &name);
    const std::string& op = r.op;
    // decrypt, unwrap and verify keep working outside nbf/exp (protocol §1.4).
    bool exempt = op == "verify" || op == "decrypt" || op == "unwrapKey";
    check_usable(*v, op, exempt);
    const auto& b = r.body();
    std::string alg = require_string(b, "alg");
    nlohmann::json out = {{"kid", key_id(r.vault, name, v->version)}};
    const KeyMaterial& m = *v->material;
    bool allow_rsnull = !r.vault.mhsm();
    if (op == "sign") {
        out["value"] = b64url_encode(sign(m, alg, require_b64(b, "value"), allow_rsnull));
    } else if (op == "verify") {
        out = {{"value",
                verify(m, alg, require_b64(b, "digest"), require_b64(b, "value"), allow_rsnull)}};
    } else {
        CipherInput in{alg, require_b64(b, "value"), optional_b64(b, "iv"), optional_b64(b, "aad"),
                       optional_b64(b, "tag")};
        bool wrap = op == "wrapKey" || op == "unwrapKey";
        CipherOutput res =
            (op == "encrypt" || op == "wrapKey") ? encrypt(m, in, wrap) : decrypt(m, in, wrap);
        out["value"] = b64url_encode(res.value);
        if (res.iv)
            out["iv"] = b64url_encode(*res.iv);
        if (res.tag)
            out["tag"] = b64url_encode(*res.tag);
        if (res.aad)
            out["aad"] = b64url_encode(*res.aad);
    }
    if (r.vault.mhsm() && op != "verify")
        out["alg"] = alg;
    return {200, out};
}

ApiResult rng(VaultRequest& r) {
    if (!r.vault.mhsm())
        throw ApiError(404, "NotFound", "POST /rng is only available on Managed HSM.");
    const auto& b = r.body();
    if (!b.contains("count") || !b["count"].is_number_integer() || b["count"].get<int64_t>() < 1 ||
        b["count"].get<int64_t>() > 128)
        bad_parameter("GetRandomBytesRequest: count cannot be greater than 128 or less than 1");
    return {200, {{"value", b64url_encode(random_bytes(b["count"].get<size_t>()))}}};
}

// Path operation segment -> (op name, RBAC action, Azure action suffix).
struct CryptoName {
    const char* segment;
    const char* op;
    const char* azure;
};
const CryptoName kCrypto[] = {
    {"sign", "sign", "keys/sign/action"},          {"verify", "verify", "keys/verify/action"},
    {"encrypt", "encrypt", "keys/encrypt/action"}, {"decrypt", "decrypt", "keys/decrypt/action"},
    {"wrapkey", "wrapKey", "keys/wrap/action"},    {"unwrapkey", "unwrapKey", "keys/unwrap/action"},
};

const CryptoName* crypto_name(const std::string& seg_lc) {
    for (auto& c : kCrypto)
        if (seg_lc == c.segment)
            return &c;
    return nullptr;
}

Route route(const char* op, const char* action, const char* azure, std::string key,
            std::string version, OpHandler h, bool create_bucket = false) {
    return Route{op,           action,       azure, std::move(key), std::move(version),
                 std::move(h), create_bucket};
}

std::optional<Route> match_keys(const std::string& m, const std::vector<std::string>& lc,
                                const std::vector<std::string>& s) {
    size_t n = lc.size();
    if (n == 0)
        return std::nullopt;
    if (lc[0] == "rng" && n == 1 && m == "POST")
        return route("rng", "rng", "rng/action", "", "", rng);
    if (lc[0] == "deletedkeys") {
        if (n == 1 && m == "GET")
            return route("list_deleted", "list", "deletedKeys/read", "", "", list_deleted);
        if (n == 2 && m == "GET")
            return route("get_deleted", "get", "deletedKeys/read", s[1], "", get_deleted);
        if (n == 2 && m == "DELETE")
            return route("purge", "purge", "deletedKeys/delete", s[1], "", purge_key);
        if (n == 3 && m == "POST" && lc[2] == "recover")
            return route("recover", "recover", "deletedKeys/recover/action", s[1], "", recover_key);
        return std::nullopt;
    }
    if (lc[0] != "keys")
        return std::nullopt;
    if (n == 1 && m == "GET")
        return route("list", "list", "keys/read", "", "", list_keys);
    if (n == 2) {
        if (m == "GET")
            return route("get", "get", "keys/read", s[1], "", get_key);
        if (m == "PUT")
            return route("import", "import", "keys/import/action", s[1], "", import_key, true);
        if (m == "PATCH")
            return route("update", "update", "keys/write", s[1], "", update_key);
        if (m == "DELETE")
            return route("delete", "delete", "keys/delete", s[1], "", delete_key);
        return std::nullopt;
    }
    if (n == 3) {
        if (m == "POST" && lc[2] == "create")
            return route("create", "create", "keys/create/action", s[1], "", create_key, true);
        if (m == "GET" && lc[2] == "versions")
            return route("list_versions", "list", "keys/read", s[1], "", list_versions);
        if (m == "POST")
            if (auto* c = crypto_name(lc[2]))
                return route(c->op, c->op, c->azure, s[1], "", crypto_op);
        if (m == "GET")
            return route("get", "get", "keys/read", s[1], s[2], get_key);
        if (m == "PATCH")
            return route("update", "update", "keys/write", s[1], s[2], update_key);
        return std::nullopt;
    }
    if (n == 4 && m == "POST")
        if (auto* c = crypto_name(lc[3]))
            return route(c->op, c->op, c->azure, s[1], s[2], crypto_op);
    return std::nullopt;
}

}  // namespace

void register_keys_api(VaultRouter& router) {
    router.add(match_keys);
}

KeyVersionPtr add_certificate_key(VaultContext& vault, const std::string& name,
                                  const std::string& version, KeyMaterial material, bool hsm) {
    KeyVersion v;
    v.version = version;
    v.created = v.updated = unix_now();
    v.kty = reported_kty(vault, material.family, hsm);
    v.key_ops = default_key_ops(material.family);
    v.managed = true;
    v.material = std::make_shared<KeyMaterial>(std::move(material));
    return vault.keys->add_version(name, std::move(v), nullptr);
}

}  // namespace azkv::emu

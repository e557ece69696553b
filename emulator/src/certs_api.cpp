#include "certs_api.h"

#include <openssl/x509.h>

#include "crypto_ops.h"
#include "errors.h"
#include "ids.h"
#include "jwk.h"
#include "keys_api.h"
#include "paging.h"

namespace azkv::emu {
namespace {

constexpr const char* kPem = "application/x-pem-file";

CertStore& certs_of(VaultRequest& r) {
    if (r.vault.mhsm() || !r.vault.certs)
        throw ApiError(404, "NotFound", "Managed HSM has no certificates API.");
    return *r.vault.certs;
}

void validate_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 127;
    for (char c : name)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (!ok)
        bad_parameter("The certificate name '" + name +
                      "' is invalid: use 1-127 characters of 0-9, a-z, A-Z and -.");
}

std::string cert_url(const VaultContext& v, const std::string& kind, const std::string& name,
                     const std::string& version = "") {
    return v.origin + "/" + kind + "/" + name + (version.empty() ? "" : "/" + version);
}

nlohmann::json cert_attributes(const VaultContext& v, const CertVersion& cv) {
    return {{"enabled", cv.enabled},
            {"nbf", cv.nbf},
            {"exp", cv.exp},
            {"created", cv.created},
            {"updated", cv.updated},
            {"recoveryLevel", "CustomizedRecoverable+Purgeable"},
            {"recoverableDays", v.keys->recoverable_days()}};
}

nlohmann::json cert_bundle(const VaultContext& v, const CertRecord& rec, const CertVersion& cv) {
    nlohmann::json b = {
        {"id", cert_url(v, "certificates", rec.name, cv.version)},
        {"kid", cert_url(v, "keys", rec.name, cv.version)},
        {"sid", cert_url(v, "secrets", rec.name, cv.version)},
        {"x5t", cert_thumbprint_b64url(cv.chain.front())},
        // cer is STANDARD base64 of the leaf only (protocol §1.9).
        {"cer", b64std_encode(cv.chain.front().data(), cv.chain.front().size())},
        {"attributes", cert_attributes(v, cv)},
        {"policy",
         cert_policy_json(rec.policy, cert_url(v, "certificates", rec.name) + "/policy")}};
    if (!cv.tags.empty())
        b["tags"] = cv.tags;
    return b;
}

nlohmann::json cert_item(const VaultContext& v, const CertRecord& rec, const CertVersion& cv,
                         bool versioned) {
    nlohmann::json item = {
        {"id", cert_url(v, "certificates", rec.name, versioned ? cv.version : "")},
        {"x5t", cert_thumbprint_b64url(cv.chain.front())},
        {"attributes", cert_attributes(v, cv)}};
    if (!cv.tags.empty())
        item["tags"] = cv.tags;
    return item;
}

nlohmann::json operation_json(const VaultContext& v, const CertRecord& rec) {
    const CertOperation& op = *rec.operation;
    nlohmann::json j = {
        {"id", cert_url(v, "certificates", rec.name) + "/pending"},
        {"issuer", {{"name", op.issuer}}},
        {"csr", b64std_encode(op.csr.data(), op.csr.size())},
        {"cancellation_requested", false},
        {"status", op.status},
        {"status_details",
         op.status == "completed"
             ? ""
             : "Pending certificate created. Please Perform Merge to complete the request."},
        {"request_id", op.request_id}};
    if (op.status == "completed")
        j["target"] = cert_url(v, "certificates", rec.name);
    return j;
}

const CertVersion& find_version(const CertRecord& rec, const std::string& version) {
    if (version.empty())
        return rec.versions.back();
    for (auto& v : rec.versions)
        if (v.version == to_lower(version))
            return v;
    certificate_not_found(rec.name + "/" + version);
}

// Certificate attributes and tags from a create/import/merge body.
void apply_attributes(const nlohmann::json& b, bool& enabled, nlohmann::json& tags) {
    if (b.contains("attributes") && b["attributes"].is_object()) {
        const auto& a = b["attributes"];
        if (a.contains("enabled") && !a["enabled"].is_null()) {
            if (!a["enabled"].is_boolean())
                bad_parameter("attributes.enabled: must be a boolean");
            enabled = a["enabled"];
        }
    }
    if (b.contains("tags") && !b["tags"].is_null()) {
        if (!b["tags"].is_object() || b["tags"].size() > 15)
            bad_parameter("tags: must be an object with at most 15 entries");
        for (auto& [k, val] : b["tags"].items())
            if (!val.is_string())
                bad_parameter("tags: values must be strings");
        tags = b["tags"];
    }
}

CertVersion make_version(const std::string& version, std::vector<Bytes> chain, bool enabled,
                         const nlohmann::json& tags) {
    CertVersion cv;
    cv.version = version;
    auto leaf = cert_from_der(chain.front());
    cv.nbf = cert_not_before(leaf.get());
    cv.exp = cert_not_after(leaf.get());
    cv.created = cv.updated = unix_now();
    cv.chain = std::move(chain);
    cv.enabled = enabled;
    cv.tags = tags;
    return cv;
}

KeyMaterial new_key_material(VaultRequest& r, const CertPolicy& p) {
    if (p.reuse_key) {
        if (auto prev = r.vault.certs->find(r.key); prev && !prev->versions.empty()) {
            auto key = r.vault.keys->get(r.key, prev->versions.back().version, nullptr);
            return *key->material;
        }
    }
    if (p.ec())
        return generate_ec(*curve_by_crv(p.crv));
    return generate_rsa(p.key_size, 65537);
}

ApiResult create_certificate(VaultRequest& r) {
    CertStore& store = certs_of(r);
    validate_name(r.key);
    const auto& b = r.body();
    if (!b.contains("policy"))
        bad_parameter("policy: a CertificatePolicy is required to create a certificate");
    CertPolicy policy = parse_cert_policy(b["policy"], false);
    CertOperation op;
    apply_attributes(b, op.enabled, op.tags);
    KeyMaterial material = new_key_material(r, policy);
    EVP_PKEY* pkey = material.pkey.get();
    // Build everything that can fail on the client's input before anything is stored.
    op.csr = make_csr(pkey, policy.x509);
    std::optional<CertVersion> version;
    std::string ver = random_hex(16);
    if (policy.issuer == "Self")
        version = make_version(ver, {cert_to_der(make_self_signed(pkey, policy.x509).get())},
                               op.enabled, op.tags);
    add_certificate_key(r.vault, r.key, ver, std::move(material), policy.hsm());
    op.request_id = random_hex(16);
    op.issuer = policy.issuer;
    op.key_version = ver;
    op.status = version ? "completed" : "inProgress";
    int64_t now = unix_now();
    CertRecord rec = store.modify(r.key, [&](CertRecord& c) {
        policy.created = c.name.empty() ? now : c.policy.created;
        policy.updated = now;
        c.policy = policy;
        if (version)
            c.versions.push_back(*version);
        c.operation = op;
    });
    return {202, operation_json(r.vault, rec)};
}

ApiResult get_pending(VaultRequest& r) {
    auto rec = certs_of(r).find(r.key);
    if (!rec || !rec->operation)
        throw ApiError(404, "PendingCertificateNotFound",
                       "Pending certificate not found: " + r.key);
    return {200, operation_json(r.vault, *rec)};
}

std::vector<Bytes> decode_x5c(const nlohmann::json& b) {
    if (!b.contains("x5c") || !b["x5c"].is_array() || b["x5c"].empty())
        bad_parameter("x5c: an array of base64 DER certificates (leaf first) is required");
    std::vector<Bytes> chain;
    for (auto& c : b["x5c"]) {
        auto der = c.is_string() ? b64_decode(c.get<std::string>()) : std::nullopt;
        if (!der || !cert_from_der(*der))
            bad_parameter("x5c[" + std::to_string(chain.size()) +
                          "]: not a base64 DER X.509 certificate");
        chain.push_back(*der);
    }
    return chain;
}

ApiResult merge_certificate(VaultRequest& r) {
    CertStore& store = certs_of(r);
    const auto& b = r.body();
    std::vector<Bytes> chain = decode_x5c(b);
    auto current = store.find(r.key);
    if (!current || !current->operation || current->operation->status != "inProgress")
        throw ApiError(404, "PendingCertificateNotFound",
                       "Pending certificate not found: " + r.key);
    const CertOperation& op = *current->operation;
    auto key = r.vault.keys->get(r.key, op.key_version, nullptr);
    if (!same_public_key(cert_from_der(chain.front()).get(), key->material->pkey.get()))
        bad_parameter(
            "x5c[0]: the leaf certificate's public key does not match the key of the "
            "pending certificate request (" +
            cert_url(r.vault, "keys", r.key, op.key_version) + ")");
    bool enabled = op.enabled;
    nlohmann::json tags = op.tags;
    apply_attributes(b, enabled, tags);
    CertVersion cv = make_version(op.key_version, std::move(chain), enabled, tags);
    CertRecord rec = store.modify(r.key, [&](CertRecord& c) {
        if (!c.operation || c.operation->key_version != cv.version ||
            c.operation->status != "inProgress")
            throw ApiError(409, "Conflict", "The pending certificate changed during the merge.");
        c.versions.push_back(cv);
        c.operation->status = "completed";
    });
    return {201, cert_bundle(r.vault, rec, rec.versions.back())};
}

// Fills policy fields that an import takes from the certificate itself.
void policy_from_certificate(CertPolicy& p, X509* leaf, EVP_PKEY* key,
                             const nlohmann::json& given) {
    bool hsm = p.hsm();
    bool ec = EVP_PKEY_is_a(key, "EC");
    if (given.contains("key_props") && given["key_props"].contains("kty") && p.ec() != ec)
        bad_parameter("key_props.kty: " + p.kty + " does not match the imported " +
                      (ec ? "EC" : "RSA") + " key");
    p.kty = std::string(ec ? "EC" : "RSA") + (hsm ? "-HSM" : "");
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, X509_get_subject_name(leaf), 0,
                       XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    p.x509.subject.assign(data, static_cast<size_t>(n));
    BIO_free(bio);
    int64_t months = (cert_not_after(leaf) - cert_not_before(leaf)) / (86400 * 30);
    p.x509.validity_months = static_cast<int>(std::max<int64_t>(1, months));
}

ApiResult import_certificate(VaultRequest& r) {
    CertStore& store = certs_of(r);
    validate_name(r.key);
    const auto& b = r.body();
    std::string value = require_string(b, "value");
    std::string pwd = b.contains("pwd") && b["pwd"].is_string() ? b["pwd"].get<std::string>() : "";
    nlohmann::json given =
        b.contains("policy") && !b["policy"].is_null() ? b["policy"] : nlohmann::json::object();
    CertPolicy policy = parse_cert_policy(given, true);
    bool has_type = given.contains("secret_props") && given["secret_props"].contains("contentType");
    bool pem =
        has_type ? policy.content_type == kPem : value.find("-----BEGIN") != std::string::npos;
    KeyAndChain parsed;
    if (pem) {
        parsed = parse_pem_bundle(value);
    } else {
        auto der = b64_decode(value);
        if (!der)
            bad_parameter("value: a PFX must be base64 encoded");
        parsed = parse_pfx(*der, pwd);
    }
    if (!has_type)
        policy.content_type = pem ? kPem : "application/x-pkcs12";
    policy_from_certificate(policy, parsed.chain.front().get(), parsed.key.get(), given);
    KeyMaterial material;
    material.family = EVP_PKEY_is_a(parsed.key.get(), "EC") ? KeyFamily::Ec : KeyFamily::Rsa;
    material.pkey = parsed.key;
    try {
        finish_material(material);
    } catch (const std::exception&) {
        bad_parameter("value: the private key's curve is not supported by Key Vault");
    }
    if (material.family == KeyFamily::Rsa && material.bits != 2048 && material.bits != 3072 &&
        material.bits != 4096)
        bad_parameter("value: RSA keys must be 2048, 3072 or 4096 bits");
    if (material.family == KeyFamily::Rsa)
        policy.key_size = material.bits;
    else
        policy.crv = material.curve->crv;
    std::vector<Bytes> chain;
    for (auto& c : parsed.chain)
        chain.push_back(cert_to_der(c.get()));
    bool enabled = true;
    nlohmann::json tags = nlohmann::json::object();
    apply_attributes(b, enabled, tags);
    std::string ver = random_hex(16);
    CertVersion cv = make_version(ver, std::move(chain), enabled, tags);
    add_certificate_key(r.vault, r.key, ver, std::move(material), policy.hsm());
    int64_t now = unix_now();
    CertRecord rec = store.modify(r.key, [&](CertRecord& c) {
        policy.created = c.name.empty() ? now : c.policy.created;
        policy.updated = now;
        c.policy = policy;
        c.versions.push_back(cv);
        c.operation.reset();
    });
    return {200, cert_bundle(r.vault, rec, rec.versions.back())};
}

ApiResult get_certificate(VaultRequest& r) {
    CertRecord rec = certs_of(r).get(r.key);
    return {200, cert_bundle(r.vault, rec, find_version(rec, r.version))};
}

ApiResult get_policy(VaultRequest& r) {
    auto rec = certs_of(r).find(r.key);
    if (!rec)
        certificate_not_found(r.key);
    return {200, cert_policy_json(rec->policy,
                                  cert_url(r.vault, "certificates", rec->name) + "/policy")};
}

ApiResult list_certificates(VaultRequest& r) {
    std::vector<nlohmann::json> items;
    for (auto& rec : certs_of(r).list())
        items.push_back(cert_item(r.vault, rec, rec.versions.back(), false));
    return {200, make_page(r, "/certificates", items)};
}

ApiResult list_certificate_versions(VaultRequest& r) {
    CertRecord rec = certs_of(r).get(r.key);
    std::vector<nlohmann::json> items;
    for (auto& cv : rec.versions)
        items.push_back(cert_item(r.vault, rec, cv, true));
    return {200, make_page(r, "/certificates/" + rec.name + "/versions", items)};
}

// The secret behind a certificate (its sid): the chain, plus the private key only when the
// policy made the key exportable (never for HSM keys).
ApiResult get_secret(VaultRequest& r) {
    auto rec = certs_of(r).find(r.key);
    if (!rec || rec->versions.empty())
        throw ApiError(404, "SecretNotFound",
                       "A secret with (name/id) " + r.key +
                           (r.version.empty() ? "" : "/" + r.version) +
                           " was not found in this key vault. If you recently deleted this secret "
                           "you may be able to recover it using the correct recovery command.");
    const CertVersion& cv = find_version(*rec, r.version);
    if (!cv.enabled)
        throw ApiError(403, "Forbidden", "Operation get is not allowed on a disabled secret.",
                       "SecretDisabled");
    EVP_PKEY* key = nullptr;
    KeyVersionPtr kv;
    if (rec->policy.exportable) {
        kv = r.vault.keys->get(rec->name, cv.version, nullptr);
        key = kv->material->pkey.get();
    }
    bool pem = rec->policy.content_type == kPem;
    std::string value;
    if (pem) {
        value = chain_to_pem(cv.chain, key);
    } else {
        Bytes pfx = chain_to_pfx(cv.chain, key);
        value = b64std_encode(pfx.data(), pfx.size());
    }
    nlohmann::json attrs = cert_attributes(r.vault, cv);
    nlohmann::json out = {{"value", value},
                          {"contentType", rec->policy.content_type},
                          {"id", cert_url(r.vault, "secrets", rec->name, cv.version)},
                          {"kid", cert_url(r.vault, "keys", rec->name, cv.version)},
                          {"managed", true},
                          {"attributes", attrs}};
    if (!cv.tags.empty())
        out["tags"] = cv.tags;
    return {200, out};
}

Route route(const char* op, const char* action, const char* azure, std::string key,
            std::string version, OpHandler h, bool create_bucket = false) {
    return Route{op,           action,       azure, std::move(key), std::move(version),
                 std::move(h), create_bucket};
}

std::optional<Route> match_certs(const std::string& m, const std::vector<std::string>& lc,
                                 const std::vector<std::string>& s) {
    size_t n = lc.size();
    if (n == 0)
        return std::nullopt;
    if (lc[0] == "secrets" && m == "GET" && (n == 2 || n == 3))
        return route("get_secret", "secrets/get", "secrets/getSecret/action", s[1],
                     n == 3 ? s[2] : "", get_secret);
    if (lc[0] != "certificates")
        return std::nullopt;
    if (n == 1 && m == "GET")
        return route("list_certificates", "certificates/list", "certificates/read", "", "",
                     list_certificates);
    if (n == 2 && m == "GET")
        return route("get_certificate", "certificates/get", "certificates/read", s[1], "",
                     get_certificate);
    if (n == 3) {
        if (m == "POST" && lc[2] == "create")
            return route("create_certificate", "certificates/create", "certificates/create/action",
                         s[1], "", create_certificate, true);
        if (m == "POST" && lc[2] == "import")
            return route("import_certificate", "certificates/import", "certificates/import/action",
                         s[1], "", import_certificate, true);
        if (m == "GET" && lc[2] == "pending")
            return route("get_pending", "certificates/get", "certificates/read", s[1], "",
                         get_pending);
        if (m == "GET" && lc[2] == "versions")
            return route("list_certificate_versions", "certificates/list", "certificates/read",
                         s[1], "", list_certificate_versions);
        if (m == "GET" && lc[2] == "policy")
            return route("get_certificate_policy", "certificates/get", "certificates/read", s[1],
                         "", get_policy);
        if (m == "GET")
            return route("get_certificate", "certificates/get", "certificates/read", s[1], s[2],
                         get_certificate);
    }
    if (n == 4 && m == "POST" && lc[2] == "pending" && lc[3] == "merge")
        return route("merge_certificate", "certificates/create", "certificates/create/action", s[1],
                     "", merge_certificate);
    return std::nullopt;
}

}  // namespace

void register_certs_api(VaultRouter& router) {
    router.add(match_certs);
}

}  // namespace azkv::emu

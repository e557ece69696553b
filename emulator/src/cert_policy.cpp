#include "cert_policy.h"

#include <openssl/objects.h>

#include "errors.h"
#include "key_material.h"

namespace azkv::emu {
namespace {

const char* kPem = "application/x-pem-file";
const char* kPkcs12 = "application/x-pkcs12";

const nlohmann::json& object_or_empty(const nlohmann::json& j, const char* field,
                                      const char* where) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!j.contains(field) || j[field].is_null())
        return empty;
    if (!j[field].is_object())
        bad_parameter(std::string(where) + ": must be an object");
    return j[field];
}

std::vector<std::string> strings(const nlohmann::json& j, const std::string& where) {
    if (!j.is_array())
        bad_parameter(where + ": must be an array of strings");
    std::vector<std::string> out;
    for (auto& s : j) {
        if (!s.is_string())
            bad_parameter(where + ": must be an array of strings");
        out.push_back(s);
    }
    return out;
}

bool optional_bool(const nlohmann::json& j, const char* field, const std::string& where,
                   bool fallback) {
    if (!j.contains(field) || j[field].is_null())
        return fallback;
    if (!j[field].is_boolean())
        bad_parameter(where + "." + field + ": must be a boolean");
    return j[field];
}

void parse_key_props(const nlohmann::json& k, CertPolicy& p) {
    if (k.contains("kty") && !k["kty"].is_null()) {
        if (!k["kty"].is_string())
            bad_parameter("key_props.kty: must be a string");
        p.kty = k["kty"];
        if (p.kty != "RSA" && p.kty != "RSA-HSM" && p.kty != "EC" && p.kty != "EC-HSM")
            bad_parameter(
                "key_props.kty: certificates need RSA, RSA-HSM, EC or EC-HSM keys, not '" + p.kty +
                "'");
    }
    if (p.ec()) {
        p.crv = "P-256";
        if (k.contains("crv") && !k["crv"].is_null()) {
            if (!k["crv"].is_string() || !curve_by_crv(k["crv"]))
                bad_parameter("key_props.crv: unsupported curve " + k["crv"].dump());
            p.crv = k["crv"];
        }
    } else if (k.contains("key_size") && !k["key_size"].is_null()) {
        if (!k["key_size"].is_number_integer())
            bad_parameter("key_props.key_size: must be an integer");
        p.key_size = k["key_size"];
        if (p.key_size != 2048 && p.key_size != 3072 && p.key_size != 4096)
            bad_parameter("key_props.key_size: RSA keys must be 2048, 3072 or 4096 bits");
    }
    p.exportable = optional_bool(k, "exportable", "key_props", !p.hsm());
    if (p.exportable && p.hsm())
        bad_parameter("key_props.exportable: the private key of an HSM-protected (" + p.kty +
                      ") certificate key cannot be exportable");
    p.reuse_key = optional_bool(k, "reuse_key", "key_props", false);
}

void parse_x509_props(const nlohmann::json& x, CertPolicy& p, bool for_import) {
    X509Spec& s = p.x509;
    if (x.contains("subject") && !x["subject"].is_null()) {
        if (!x["subject"].is_string())
            bad_parameter("x509_props.subject: must be a string");
        s.subject = x["subject"];
    }
    s.sans = nlohmann::json::object();
    for (const char* f : {"dns_names", "emails", "upns", "uris", "ipAddresses"}) {
        const auto& sans = object_or_empty(x, "sans", "x509_props.sans");
        if (sans.contains(f) && !sans[f].is_null() && !sans[f].empty())
            s.sans[f] = strings(sans[f], std::string("x509_props.sans.") + f);
    }
    if (!for_import && s.subject.empty() && s.sans.empty())
        bad_parameter("x509_props: a subject or at least one subject alternative name is required");
    if (!s.subject.empty())
        check_subject(s.subject);
    if (x.contains("ekus") && !x["ekus"].is_null()) {
        s.ekus = strings(x["ekus"], "x509_props.ekus");
        for (auto& oid : s.ekus) {
            ASN1_OBJECT* o = OBJ_txt2obj(oid.c_str(), 1);
            ASN1_OBJECT_free(o);
            if (!o)
                bad_parameter("x509_props.ekus: '" + oid + "' is not an OID");
        }
    } else {
        s.ekus = {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"};
    }
    if (x.contains("key_usage") && !x["key_usage"].is_null()) {
        s.key_usage = strings(x["key_usage"], "x509_props.key_usage");
        for (auto& u : s.key_usage)
            if (!known_key_usage(u))
                bad_parameter("x509_props.key_usage: unknown key usage '" + u + "'");
    } else if (p.ec()) {
        s.key_usage = {"digitalSignature"};
    } else {
        s.key_usage = {"digitalSignature", "keyEncipherment"};
    }
    if (x.contains("validity_months") && !x["validity_months"].is_null()) {
        if (!x["validity_months"].is_number_integer() || x["validity_months"].get<int>() < 1 ||
            x["validity_months"].get<int>() > 1200)
            bad_parameter("x509_props.validity_months: must be an integer from 1 to 1200");
        s.validity_months = x["validity_months"];
    }
}

}  // namespace

CertPolicy parse_cert_policy(const nlohmann::json& j, bool for_import) {
    if (!j.is_object())
        bad_parameter("policy: a CertificatePolicy object is required");
    CertPolicy p;
    parse_key_props(object_or_empty(j, "key_props", "policy.key_props"), p);
    const auto& secret = object_or_empty(j, "secret_props", "policy.secret_props");
    if (secret.contains("contentType") && !secret["contentType"].is_null()) {
        if (!secret["contentType"].is_string() ||
            (secret["contentType"] != kPem && secret["contentType"] != kPkcs12))
            bad_parameter(
                "secret_props.contentType: must be application/x-pkcs12 or "
                "application/x-pem-file");
        p.content_type = secret["contentType"];
    }
    parse_x509_props(object_or_empty(j, "x509_props", "policy.x509_props"), p, for_import);
    const auto& issuer = object_or_empty(j, "issuer", "policy.issuer");
    if (issuer.contains("name") && issuer["name"].is_string()) {
        p.issuer = issuer["name"];
        if (p.issuer != "Self" && p.issuer != "Unknown")
            bad_parameter(
                "issuer.name: this emulator supports the issuers Self and Unknown (merge "
                "flow), not '" +
                p.issuer + "'");
    } else if (!for_import) {
        bad_parameter("issuer.name: required (Self or Unknown)");
    }
    if (issuer.contains("cty") && issuer["cty"].is_string())
        p.cty = issuer["cty"];
    if (j.contains("lifetime_actions") && j["lifetime_actions"].is_array())
        p.lifetime_actions = j["lifetime_actions"];
    else
        p.lifetime_actions = {
            {{"trigger", {{"lifetime_percentage", 80}}},
             {"action", {{"action_type", p.issuer == "Self" ? "AutoRenew" : "EmailContacts"}}}}};
    const auto& attrs = object_or_empty(j, "attributes", "policy.attributes");
    p.enabled = optional_bool(attrs, "enabled", "policy.attributes", true);
    p.created = attrs.value("created", int64_t{0});
    p.updated = attrs.value("updated", int64_t{0});
    return p;
}

nlohmann::json cert_policy_json(const CertPolicy& p, const std::string& id) {
    nlohmann::json key = {{"exportable", p.exportable}, {"kty", p.kty}, {"reuse_key", p.reuse_key}};
    if (p.ec()) {
        key["crv"] = p.crv;
        key["key_size"] =
            curve_by_crv(p.crv)->field_bytes == 66 ? 521 : curve_by_crv(p.crv)->field_bytes * 8;
    } else {
        key["key_size"] = p.key_size;
    }
    nlohmann::json x509 = {{"subject", p.x509.subject},
                           {"ekus", p.x509.ekus},
                           {"key_usage", p.x509.key_usage},
                           {"validity_months", p.x509.validity_months},
                           {"basic_constraints", {{"ca", false}}}};
    if (!p.x509.sans.empty())
        x509["sans"] = p.x509.sans;
    nlohmann::json issuer = {{"name", p.issuer}};
    if (!p.cty.empty())
        issuer["cty"] = p.cty;
    nlohmann::json out = {
        {"key_props", key},
        {"secret_props", {{"contentType", p.content_type}}},
        {"x509_props", x509},
        {"lifetime_actions", p.lifetime_actions},
        {"issuer", issuer},
        {"attributes", {{"enabled", p.enabled}, {"created", p.created}, {"updated", p.updated}}}};
    if (!id.empty())
        out["id"] = id;
    return out;
}

nlohmann::json cert_policy_state(const CertPolicy& p) {
    return cert_policy_json(p, "");
}

CertPolicy cert_policy_from_state(const nlohmann::json& j) {
    return parse_cert_policy(j, true);
}

}  // namespace azkv::emu

#include "keyvault/model_json.h"

#include <strings.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "azkv/util/base64.h"

namespace azkv::keyvault {

bool JsonWebKey::HasOp(const std::string& op) const {
    return std::any_of(key_ops.begin(), key_ops.end(), [&](const std::string& o) {
        return strcasecmp(o.c_str(), op.c_str()) == 0;
    });
}

namespace detail {

using nlohmann::json;

namespace {

Status Bad(const std::string& what) {
    return Status(ErrorCode::kBadResponse, "the service's answer " + what);
}

// Optional string field, as a view into the DOM; wrong type is an error.
Status GetView(const json& j, const char* name, std::string_view& out, bool required = false) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) {
        return required ? Bad(std::string("lacks \"") + name + "\"") : Status::Ok();
    }
    if (!it->is_string())
        return Bad(std::string("has a non-string \"") + name + "\"");
    out = it->get_ref<const std::string&>();
    return Status::Ok();
}

Status GetString(const json& j, const char* name, std::string& out, bool required = false) {
    std::string_view v;
    AZKV_RETURN_IF_ERROR(GetView(j, name, v, required));
    if (v.data() != nullptr)
        out.assign(v);
    return Status::Ok();
}

// An optional base64url field; empty means absent.
Status DecodeBytes(const char* name, std::string_view s, std::vector<uint8_t>& out) {
    if (s.empty())
        return Status::Ok();
    auto d = Base64UrlDecode(s);
    if (!d)
        return Bad(std::string("has \"") + name + "\" that is not base64url");
    out = std::move(*d);
    return Status::Ok();
}

Status GetBytes(const json& j, const char* name, std::vector<uint8_t>& out) {
    std::string_view s;
    AZKV_RETURN_IF_ERROR(GetView(j, name, s));
    return DecodeBytes(name, s, out);
}

// A key operation answer read through `get(name, view, required)`, so that the DOM and the flat
// fast path (flat_json.h) give one meaning to the same fields.
template <typename GetField>
StatusOr<KeyOperationResult> OperationResultFrom(GetField get) {
    KeyOperationResult r;
    std::string_view kid;
    AZKV_RETURN_IF_ERROR(get("kid", kid, false));
    r.kid.assign(kid);
    std::string_view value;
    AZKV_RETURN_IF_ERROR(get("value", value, true));
    auto decoded = Base64UrlDecodeSecure(value);
    if (!decoded)
        return Bad("has \"value\" that is not base64url");
    r.value = std::move(*decoded);
    for (auto [name, out] : {std::pair{"iv", &r.iv}, {"tag", &r.tag}, {"aad", &r.aad}}) {
        std::string_view s;
        AZKV_RETURN_IF_ERROR(get(name, s, false));
        AZKV_RETURN_IF_ERROR(DecodeBytes(name, s, *out));
    }
    return r;
}

// Timestamps are numbers; spec examples show fractions, so accept doubles too.
Status GetTime(const json& j, const char* name, std::optional<int64_t>& out) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null())
        return Status::Ok();
    // Converting a double that int64_t cannot hold is undefined behaviour (found by fuzzing
    // key_bundle), and a huge unsigned would wrap negative: both are refused by name.
    constexpr double kLimit = 9.2e18;
    if (it->is_number_unsigned()) {
        if (it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return Bad(std::string("has an out-of-range timestamp \"") + name + "\"");
        out = static_cast<int64_t>(it->get<uint64_t>());
    } else if (it->is_number_integer()) {
        out = it->get<int64_t>();
    } else if (it->is_number_float() && std::isfinite(it->get<double>())) {
        double d = it->get<double>();
        if (d <= -kLimit || d >= kLimit)
            return Bad(std::string("has an out-of-range timestamp \"") + name + "\"");
        out = static_cast<int64_t>(d);
    } else {
        return Bad(std::string("has a non-numeric timestamp \"") + name + "\"");
    }
    return Status::Ok();
}

Status GetTags(const json& j, std::map<std::string, std::string>& out) {
    auto it = j.find("tags");
    if (it == j.end() || it->is_null())
        return Status::Ok();
    if (!it->is_object())
        return Bad("has \"tags\" that is not an object");
    for (auto t = it->begin(); t != it->end(); ++t) {
        if (t->is_string())
            out[t.key()] = t->get<std::string>();
    }
    return Status::Ok();
}

Status GetManaged(const json& j, bool& out) {
    auto it = j.find("managed");
    if (it != j.end() && it->is_boolean())
        out = it->get<bool>();
    return Status::Ok();
}

}  // namespace

StatusOr<KeyAttributes> ParseAttributes(const json& j) {
    KeyAttributes a;
    if (j.is_null())
        return a;
    if (!j.is_object())
        return Bad("has \"attributes\" that is not an object");
    if (auto it = j.find("enabled"); it != j.end() && !it->is_null()) {
        if (!it->is_boolean())
            return Bad("has a non-boolean \"attributes.enabled\"");
        a.enabled = it->get<bool>();
    }
    AZKV_RETURN_IF_ERROR(GetTime(j, "nbf", a.not_before));
    AZKV_RETURN_IF_ERROR(GetTime(j, "exp", a.expires));
    AZKV_RETURN_IF_ERROR(GetTime(j, "created", a.created));
    AZKV_RETURN_IF_ERROR(GetTime(j, "updated", a.updated));
    AZKV_RETURN_IF_ERROR(GetString(j, "recoveryLevel", a.recovery_level));
    if (auto it = j.find("exportable"); it != j.end() && it->is_boolean()) {
        a.exportable = it->get<bool>();
    }
    return a;
}

namespace {

StatusOr<KeyAttributes> AttributesOf(const json& j) {
    auto it = j.find("attributes");
    return ParseAttributes(it == j.end() ? json() : *it);
}

}  // namespace

StatusOr<KeyBundle> ParseKeyBundle(const json& j) {
    if (!j.is_object())
        return Bad("is not a JSON object");
    auto key = j.find("key");
    if (key == j.end() || !key->is_object())
        return Bad("lacks the \"key\" object");
    KeyBundle b;
    JsonWebKey& k = b.key;
    AZKV_RETURN_IF_ERROR(GetString(*key, "kid", k.kid, true));
    AZKV_RETURN_IF_ERROR(GetString(*key, "kty", k.kty, true));
    AZKV_RETURN_IF_ERROR(GetString(*key, "crv", k.crv));
    AZKV_RETURN_IF_ERROR(GetBytes(*key, "n", k.n));
    AZKV_RETURN_IF_ERROR(GetBytes(*key, "e", k.e));
    AZKV_RETURN_IF_ERROR(GetBytes(*key, "x", k.x));
    AZKV_RETURN_IF_ERROR(GetBytes(*key, "y", k.y));
    if (auto ops = key->find("key_ops"); ops != key->end() && !ops->is_null()) {
        if (!ops->is_array())
            return Bad("has \"key.key_ops\" that is not an array");
        for (const auto& o : *ops) {
            if (o.is_string())
                k.key_ops.push_back(o.get<std::string>());
        }
    }
    AZKV_ASSIGN_OR_RETURN(b.attributes, AttributesOf(j));
    AZKV_RETURN_IF_ERROR(GetTags(j, b.tags));
    AZKV_RETURN_IF_ERROR(GetManaged(j, b.managed));
    return b;
}

StatusOr<KeyItem> ParseKeyItem(const json& j) {
    if (!j.is_object())
        return Bad("has a list entry that is not an object");
    KeyItem item;
    AZKV_RETURN_IF_ERROR(GetString(j, "kid", item.kid, true));
    AZKV_ASSIGN_OR_RETURN(item.attributes, AttributesOf(j));
    AZKV_RETURN_IF_ERROR(GetTags(j, item.tags));
    AZKV_RETURN_IF_ERROR(GetManaged(j, item.managed));
    return item;
}

StatusOr<KeyOperationResult> ParseOperationResult(const json& j) {
    if (!j.is_object())
        return Bad("is not a JSON object");
    return OperationResultFrom([&](const char* name, std::string_view& out, bool required) {
        return GetView(j, name, out, required);
    });
}

StatusOr<KeyOperationResult> ParseOperationResult(const FlatStringObject& f) {
    return OperationResultFrom([&](const char* name, std::string_view& out, bool required) {
        auto v = f.Get(name);
        if (!v)
            return required ? Bad(std::string("lacks \"") + name + "\"") : Status::Ok();
        out = *v;
        return Status::Ok();
    });
}

StatusOr<CertificateBundle> ParseCertificateBundle(const json& j) {
    if (!j.is_object())
        return Bad("is not a JSON object");
    CertificateBundle c;
    AZKV_RETURN_IF_ERROR(GetString(j, "id", c.id, true));
    AZKV_RETURN_IF_ERROR(GetString(j, "kid", c.kid));
    AZKV_RETURN_IF_ERROR(GetString(j, "sid", c.sid));
    std::string cer;
    AZKV_RETURN_IF_ERROR(GetString(j, "cer", cer, true));
    // `cer` is standard base64, unlike every other byte field.
    auto der = Base64Decode(cer);
    if (!der)
        der = Base64UrlDecode(cer);
    if (!der || der->empty())
        return Bad("has \"cer\" that is not base64 DER");
    c.cer = std::move(*der);
    AZKV_ASSIGN_OR_RETURN(c.attributes, AttributesOf(j));
    AZKV_RETURN_IF_ERROR(GetTags(j, c.tags));
    return c;
}

StatusOr<SecretBundle> ParseSecretBundle(const json& j) {
    if (!j.is_object())
        return Bad("is not a JSON object");
    SecretBundle s;
    std::string value;
    AZKV_RETURN_IF_ERROR(GetString(j, "value", value, true));
    s.value = SecretString(value);
    SecureWipe(value.data(), value.size());
    AZKV_RETURN_IF_ERROR(GetString(j, "id", s.id));
    AZKV_RETURN_IF_ERROR(GetString(j, "contentType", s.content_type));
    AZKV_RETURN_IF_ERROR(GetString(j, "kid", s.kid));
    AZKV_RETURN_IF_ERROR(GetManaged(j, s.managed));
    return s;
}

namespace {

json AttributesBody(const std::optional<bool>& enabled, const std::optional<int64_t>& nbf,
                    const std::optional<int64_t>& exp) {
    json a = json::object();
    if (enabled)
        a["enabled"] = *enabled;
    if (nbf)
        a["nbf"] = *nbf;
    if (exp)
        a["exp"] = *exp;
    return a;
}

}  // namespace

json CreateKeyBody(const CreateKeyParams& p) {
    json b = {{"kty", p.kty}};
    if (p.key_size > 0)
        b["key_size"] = p.key_size;
    if (!p.crv.empty())
        b["crv"] = p.crv;
    if (p.public_exponent)
        b["public_exponent"] = *p.public_exponent;
    if (!p.key_ops.empty())
        b["key_ops"] = p.key_ops;
    b["attributes"] = AttributesBody(p.enabled, p.not_before, p.expires);
    if (!p.tags.empty())
        b["tags"] = p.tags;
    return b;
}

json UpdateKeyBody(const UpdateKeyParams& p) {
    json b = json::object();
    json a = AttributesBody(p.enabled, p.not_before, p.expires);
    if (!a.empty())
        b["attributes"] = a;
    if (p.key_ops)
        b["key_ops"] = *p.key_ops;
    if (p.tags)
        b["tags"] = *p.tags;
    return b;
}

}  // namespace detail
}  // namespace azkv::keyvault

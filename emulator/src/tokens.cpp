#include "tokens.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base64url.h"
#include "ids.h"

namespace azkv::emu {
namespace {
constexpr const char* kTokenMarker = "AzKvEmUtOkEn";
constexpr const char* kIssuerPrefix = "https://sts.windows.net/";
}  // namespace

TokenService::TokenService(int64_t ttl) : ttl_(ttl) {
    if (RAND_bytes(key_, sizeof key_) != 1)
        throw std::runtime_error("RAND_bytes");
}

std::string TokenService::audience_for(std::string resource) {
    const std::string suffix = "/.default";
    if (resource.size() >= suffix.size() &&
        resource.compare(resource.size() - suffix.size(), suffix.size(), suffix) == 0)
        resource.resize(resource.size() - suffix.size());
    while (!resource.empty() && resource.back() == '/')
        resource.pop_back();
    return resource;
}

std::string TokenService::sign(const std::string& input) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key_, sizeof key_, reinterpret_cast<const unsigned char*>(input.data()),
         input.size(), mac, &len);
    return kTokenMarker + b64url_encode(mac, len);
}

IssuedToken TokenService::issue(const Identity& id, const std::string& resource) {
    IssuedToken t;
    t.iat = unix_now();
    t.exp = t.iat + ttl_;
    nlohmann::json claims = {{"aud", audience_for(resource)},
                             {"iss", std::string(kIssuerPrefix) + kTenant + "/"},
                             {"iat", t.iat},
                             {"nbf", t.iat},
                             {"exp", t.exp},
                             {"oid", id.object_id},
                             {"appid", id.client_id},
                             {"tid", kTenant},
                             {"idtyp", "app"},
                             {"uti", std::to_string(next_serial_++)}};
    if (id.managed)
        claims["xms_mirid"] = id.resource_id;
    std::string input = b64url_encode(std::string(R"({"alg":"HS256","typ":"JWT"})")) + "." +
                        b64url_encode(claims.dump());
    t.jwt = input + "." + sign(input);
    return t;
}

TokenCheck TokenService::validate(const std::string& jwt, TokenClaims& out) const {
    auto d1 = jwt.find('.');
    auto d2 = d1 == std::string::npos ? d1 : jwt.find('.', d1 + 1);
    if (d2 == std::string::npos)
        return TokenCheck::Malformed;
    std::string input = jwt.substr(0, d2);
    std::string expect = sign(input);
    std::string got = jwt.substr(d2 + 1);
    if (got.size() != expect.size() || CRYPTO_memcmp(got.data(), expect.data(), got.size()) != 0)
        return TokenCheck::BadSignature;
    auto payload = b64_decode(std::string_view(jwt).substr(d1 + 1, d2 - d1 - 1));
    if (!payload)
        return TokenCheck::Malformed;
    auto claims = nlohmann::json::parse(payload->begin(), payload->end(), nullptr, false);
    if (!claims.is_object())
        return TokenCheck::Malformed;
    out.aud = claims.value("aud", "");
    out.oid = claims.value("oid", "");
    out.appid = claims.value("appid", "");
    out.exp = claims.value("exp", int64_t{0});
    // Only our own (signature-checked) tokens get here, so "uti" is always our decimal serial.
    uint64_t serial = std::strtoull(claims.value("uti", std::string("0")).c_str(), nullptr, 10);
    if (serial < min_serial_.load())
        return TokenCheck::Revoked;
    if (out.exp <= unix_now())
        return TokenCheck::Expired;
    return TokenCheck::Ok;
}

}  // namespace azkv::emu

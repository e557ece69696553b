#include "contender.h"

#include <openssl/sha.h>

#include <nlohmann/json.hpp>

#include "azkv/util/base64.h"

namespace azkv::bench {

const std::vector<unsigned char>& Message() {
    static const std::vector<unsigned char> m = [] {
        std::string s = "azkv benchmark: the same message for every contender";
        return std::vector<unsigned char>(s.begin(), s.end());
    }();
    return m;
}

const std::vector<unsigned char>& MessageDigest() {
    static const std::vector<unsigned char> d = [] {
        std::vector<unsigned char> out(SHA256_DIGEST_LENGTH);
        SHA256(Message().data(), Message().size(), out.data());
        return out;
    }();
    return d;
}

std::string SignRequestBody(KeyKind kind) {
    const auto& d = MessageDigest();
    nlohmann::json body = {{"alg", kind == KeyKind::kRsa ? "RS256" : "ES256"},
                           {"value", Base64UrlEncode(d.data(), d.size())}};
    return body.dump();
}

std::string SignUrl(const Target& target) {
    return target.key_url + "/sign?api-version=7.5";
}

std::unique_ptr<Contender> MakeContender(const std::string& name) {
    if (name == "limit")
        return MakeLimit();
    if (name == "core")
        return MakeCore();
    if (name == "pkcs11")
        return MakePkcs11();
    if (name == "provider")
        return MakeProvider();
    if (name == "peer")
        return MakePeer();
    return nullptr;
}

}  // namespace azkv::bench

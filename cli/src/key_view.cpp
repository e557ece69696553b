#include "key_view.h"

#include <openssl/pem.h>
#include <openssl/sha.h>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "azkv/util/base64.h"
#include "command.h"

namespace azkv::cli {

std::string SizeOrCurve(const keyvault::JsonWebKey& k) {
    if (!k.crv.empty())
        return k.crv;
    if (!k.n.empty()) {
        size_t i = 0;
        while (i < k.n.size() && k.n[i] == 0)
            ++i;
        return std::to_string((k.n.size() - i) * 8);
    }
    return "-";
}

StatusOr<std::string> PublicPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr || PEM_write_bio_PUBKEY(bio, key) != 1) {
        BIO_free(bio);
        return Status(ErrorCode::kInternal, "cannot encode the public key as PEM");
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
}

std::string SpkiFingerprint(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key, &der);
    if (len <= 0)
        return "";
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(der, static_cast<size_t>(len), md);
    OPENSSL_free(der);
    std::ostringstream s;
    for (unsigned char b : md)
        s << std::hex << std::setw(2) << std::setfill('0') << int(b);
    return s.str();
}

nlohmann::json BundleJson(const keyvault::KeyBundle& b, EVP_PKEY* pub) {
    nlohmann::json jwk = {{"kid", b.key.kid}, {"kty", b.key.kty}, {"key_ops", b.key.key_ops}};
    if (!b.key.n.empty()) {
        jwk["n"] = Base64UrlEncode(b.key.n);
        jwk["e"] = Base64UrlEncode(b.key.e);
    }
    if (!b.key.crv.empty()) {
        jwk["crv"] = b.key.crv;
        jwk["x"] = Base64UrlEncode(b.key.x);
        jwk["y"] = Base64UrlEncode(b.key.y);
    }
    nlohmann::json j = {{"kid", b.key.kid},
                        {"kty", b.key.kty},
                        {"size_or_curve", SizeOrCurve(b.key)},
                        {"enabled", b.attributes.enabled},
                        {"key_ops", b.key.key_ops},
                        {"created", b.attributes.created.value_or(0)},
                        {"managed", b.managed},
                        {"hsm", b.key.kty.find("-HSM") != std::string::npos},
                        {"tags", b.tags},
                        {"jwk", jwk},
                        {"not_before", nullptr},
                        {"expires", nullptr},
                        {"spki_sha256", nullptr}};
    if (b.attributes.not_before)
        j["not_before"] = *b.attributes.not_before;
    if (b.attributes.expires)
        j["expires"] = *b.attributes.expires;
    if (pub != nullptr)
        j["spki_sha256"] = SpkiFingerprint(pub);
    return j;
}

void PrintBundleTable(const keyvault::KeyBundle& b, EVP_PKEY* pub) {
    std::string tags;
    for (const auto& [k, v] : b.tags)
        tags += (tags.empty() ? "" : ",") + k + "=" + v;
    std::cout << "kid:         " << b.key.kid << "\n"
              << "type:        " << b.key.kty << " " << SizeOrCurve(b.key) << "\n"
              << "enabled:     " << (b.attributes.enabled ? "yes" : "no") << "\n"
              << "operations:  " << Join(b.key.key_ops) << "\n"
              << "not before:  " << UnixTime(b.attributes.not_before) << "\n"
              << "expires:     " << UnixTime(b.attributes.expires) << "\n"
              << "created:     " << UnixTime(b.attributes.created) << "\n"
              << "tags:        " << (tags.empty() ? "-" : tags) << "\n";
    if (pub != nullptr)
        std::cout << "spki sha256: " << SpkiFingerprint(pub) << "\n";
    std::cout << "jwk:         " << BundleJson(b, nullptr)["jwk"].dump() << "\n";
}

}  // namespace azkv::cli

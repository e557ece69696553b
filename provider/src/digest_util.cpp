#include "digest_util.h"

#include <openssl/core.h>
#include <openssl/err.h>
#include <openssl/params.h>

namespace azkv::provider {

StatusOr<EvpMdPtr> FetchDigest(OSSL_LIB_CTX* libctx, const std::string& name,
                               const std::string& properties) {
    EVP_MD* md =
        EVP_MD_fetch(libctx, name.c_str(), properties.empty() ? nullptr : properties.c_str());
    if (md == nullptr) {
        ERR_clear_error();
        return Status(ErrorCode::kInvalidArgument,
                      "digest \"" + name + "\" is not available" +
                          (properties.empty() ? "" : " with properties \"" + properties + "\"") +
                          "; is the default provider loaded?");
    }
    return EvpMdPtr(md);
}

EvpMdPtr ShareDigest(EVP_MD* md) {
    if (md == nullptr || EVP_MD_up_ref(md) != 1)
        return nullptr;
    return EvpMdPtr(md);
}

StatusOr<EvpMdPtr> DigestFromParams(OSSL_LIB_CTX* libctx, const OSSL_PARAM params[],
                                    const char* name_key, const char* props_key,
                                    const std::string& properties) {
    const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, name_key);
    if (p == nullptr)
        return EvpMdPtr();
    const char* name = nullptr;
    const char* props = nullptr;
    const OSSL_PARAM* pp = OSSL_PARAM_locate_const(params, props_key);
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
        (pp != nullptr && !OSSL_PARAM_get_utf8_string_ptr(pp, &props))) {
        return Status(ErrorCode::kInvalidArgument,
                      std::string("the ") + name_key + " parameter is not a string");
    }
    return FetchDigest(libctx, name, props != nullptr ? props : properties);
}

std::optional<keys::DigestAlg> DigestAlgOf(const EVP_MD* md) {
    using keys::DigestAlg;
    static const struct {
        const char* name;
        DigestAlg alg;
    } kKnown[] = {
        {"SHA256", DigestAlg::kSha256}, {"SHA384", DigestAlg::kSha384},
        {"SHA512", DigestAlg::kSha512}, {"SHA1", DigestAlg::kSha1},
        {"SHA224", DigestAlg::kSha224}, {"MD5-SHA1", DigestAlg::kMd5Sha1},
    };
    if (md == nullptr)
        return std::nullopt;
    for (const auto& k : kKnown) {
        if (EVP_MD_is_a(md, k.name))
            return k.alg;
    }
    return std::nullopt;
}

}  // namespace azkv::provider

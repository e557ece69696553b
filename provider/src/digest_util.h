#pragma once
// Digests as the provider meets them: OpenSSL EVP_MDs fetched from other providers (azkv itself
// implements none), mapped onto core's DigestAlg.

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>

#include "azkv/keys/digest.h"
#include "azkv/util/status.h"

namespace azkv::provider {

struct EvpMdFree {
    void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
using EvpMdPtr = std::unique_ptr<EVP_MD, EvpMdFree>;

// Fetches `name` from `libctx` (our child library context) with the caller's properties, never
// from this provider.
StatusOr<EvpMdPtr> FetchDigest(OSSL_LIB_CTX* libctx, const std::string& name,
                               const std::string& properties);
EvpMdPtr ShareDigest(EVP_MD* md);
// The digest that `params` name under `name_key` (properties under `props_key`, else
// `properties`), fetched as FetchDigest does; null when they name none.
StatusOr<EvpMdPtr> DigestFromParams(OSSL_LIB_CTX* libctx, const OSSL_PARAM params[],
                                    const char* name_key, const char* props_key,
                                    const std::string& properties);

std::optional<keys::DigestAlg> DigestAlgOf(const EVP_MD* md);

}  // namespace azkv::provider

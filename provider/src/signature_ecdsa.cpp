// ECDSA: the vault signs the digest fitted to its curve (ES256/384/512, ES256K) and returns raw
// r||s, which OpenSSL, X.509 and TLS want as a DER ECDSA-Sig-Value.

#include <openssl/core_names.h>

#include "azkv/keys/ecdsa.h"
#include "dispatch.h"
#include "signature_common.h"

namespace azkv::provider {
namespace {

StatusOr<std::vector<uint8_t>> EcdsaSign(SignatureCtx* ctx, std::span<const uint8_t> tbs) {
    AZKV_ASSIGN_OR_RETURN(auto plan, ctx->remote->PlanEcdsaSign(tbs));
    AZKV_ASSIGN_OR_RETURN(auto raw, ctx->remote->Sign(plan));
    return keys::EcdsaRawToDer(raw);
}

Status EcdsaConfigureMirror(const SignatureCtx*, EVP_PKEY_CTX*) {
    return Status::Ok();
}

// ECDSA has only the parameters every signature has.
const SignatureAlg kEcdsaAlg = {keys::KeyKind::kEc,   "ECDSA", EcdsaSign,
                                EcdsaConfigureMirror, nullptr, nullptr};

OSSL_FUNC_signature_settable_ctx_params_fn ecdsa_settable_ctx_params;
OSSL_FUNC_signature_gettable_ctx_params_fn ecdsa_gettable_ctx_params;

const OSSL_PARAM* ecdsa_settable_ctx_params(void*, void*) {
    static const OSSL_PARAM kSettable[] = {AZKV_SIGNATURE_COMMON_SETTABLE, OSSL_PARAM_END};
    return kSettable;
}

const OSSL_PARAM* ecdsa_gettable_ctx_params(void*, void*) {
    static const OSSL_PARAM kGettable[] = {AZKV_SIGNATURE_COMMON_GETTABLE, OSSL_PARAM_END};
    return kGettable;
}

}  // namespace

const OSSL_DISPATCH kEcdsaSignatureFunctions[] = {
    AZKV_SIGNATURE_FUNCTIONS(kEcdsaAlg),
    AZKV_FN(OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, ecdsa_gettable_ctx_params),
    AZKV_FN(OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, ecdsa_settable_ctx_params),
    {0, nullptr},
};

}  // namespace azkv::provider

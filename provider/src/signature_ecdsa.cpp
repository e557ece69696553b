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

int EcdsaSetParams(SignatureCtx* ctx, const OSSL_PARAM params[]) {
    return params == nullptr ? 1 : SignatureSetCommonParams(ctx, params);
}

const SignatureAlg kEcdsaAlg = {keys::KeyKind::kEc, "ECDSA", EcdsaSign, EcdsaConfigureMirror,
                                EcdsaSetParams};

OSSL_FUNC_signature_newctx_fn ecdsa_newctx;
OSSL_FUNC_signature_set_ctx_params_fn ecdsa_set_ctx_params;
OSSL_FUNC_signature_settable_ctx_params_fn ecdsa_settable_ctx_params;
OSSL_FUNC_signature_get_ctx_params_fn ecdsa_get_ctx_params;
OSSL_FUNC_signature_gettable_ctx_params_fn ecdsa_gettable_ctx_params;

void* ecdsa_newctx(void* provctx, const char* propq) {
    return SignatureNewCtx(provctx, propq, &kEcdsaAlg);
}

int ecdsa_set_ctx_params(void* vctx, const OSSL_PARAM params[]) {
    return EcdsaSetParams(static_cast<SignatureCtx*>(vctx), params);
}

const OSSL_PARAM* ecdsa_settable_ctx_params(void*, void*) {
    static const OSSL_PARAM kSettable[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kSettable;
}

int ecdsa_get_ctx_params(void* vctx, OSSL_PARAM params[]) {
    return SignatureGetCommonParams(static_cast<SignatureCtx*>(vctx), params);
}

const OSSL_PARAM* ecdsa_gettable_ctx_params(void*, void*) {
    static const OSSL_PARAM kGettable[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kGettable;
}

}  // namespace

const OSSL_DISPATCH kEcdsaSignatureFunctions[] = {
    AZKV_FN(OSSL_FUNC_SIGNATURE_NEWCTX, ecdsa_newctx),
    AZKV_SIGNATURE_COMMON_FUNCTIONS,
    AZKV_FN(OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, ecdsa_get_ctx_params),
    AZKV_FN(OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, ecdsa_gettable_ctx_params),
    AZKV_FN(OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, ecdsa_set_ctx_params),
    AZKV_FN(OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, ecdsa_settable_ctx_params),
    {0, nullptr},
};

}  // namespace azkv::provider

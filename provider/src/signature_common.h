#pragma once
// What RSA and ECDSA signatures share: the context, digest handling (hashing runs locally with a
// digest from another provider; only the signature of the hash goes to the vault), duplication,
// and local verification with the public key. The algorithm files supply the remote signing step
// and their parameters.

#include <openssl/core_dispatch.h>
#include <openssl/rsa.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "azkv/keys/remote_key.h"
#include "azkv/util/ossl.h"
#include "digest_util.h"

namespace azkv::provider {

class ProviderCtx;
struct ProviderKey;
struct SignatureCtx;

// The algorithm-specific part.
struct SignatureAlg {
    keys::KeyKind kind;
    const char* name;  // for messages: "RSA", "ECDSA"
    // Signs `tbs` (a digest, or for pkeyutl without a digest, the caller's raw input) remotely.
    StatusOr<std::vector<uint8_t>> (*sign)(SignatureCtx* ctx, std::span<const uint8_t> tbs);
    // Applies the algorithm's own settings to a public-key context (verify, AlgorithmIdentifier).
    Status (*configure_mirror)(const SignatureCtx* ctx, EVP_PKEY_CTX* mirror);
    // The algorithm's own set_ctx_params (also applied to the params given at init) and
    // get_ctx_params, after the common ones; null: it has none.
    int (*set_params)(SignatureCtx* ctx, const OSSL_PARAM params[]);
    int (*get_params)(SignatureCtx* ctx, OSSL_PARAM params[]);
};

struct SignatureCtx {
    ProviderCtx* prov = nullptr;
    const SignatureAlg* alg = nullptr;
    std::string propq;
    int operation = 0;  // EVP_PKEY_OP_SIGN or EVP_PKEY_OP_VERIFY
    std::shared_ptr<const keys::RemoteKey> remote;
    EvpPkeyPtr pub;
    std::string key_name;  // for messages

    EvpMdPtr md;  // null: the input is passed as is (pkeyutl without -digest)
    EvpMdCtxPtr mdctx;
    // RSA
    int pad_mode = RSA_PKCS1_PADDING;
    int saltlen = RSA_PSS_SALTLEN_DIGEST;
    EvpMdPtr mgf1_md;
};

void* SignatureNewCtx(void* provctx, const char* propq, const SignatureAlg* alg);
template <const SignatureAlg* Alg>
void* SignatureNewCtxOf(void* provctx, const char* propq) {
    return SignatureNewCtx(provctx, propq, Alg);
}
OSSL_FUNC_signature_freectx_fn SignatureFreeCtx;
OSSL_FUNC_signature_dupctx_fn SignatureDupCtx;
OSSL_FUNC_signature_sign_init_fn SignatureSignInit;
OSSL_FUNC_signature_sign_fn SignatureSign;
OSSL_FUNC_signature_verify_init_fn SignatureVerifyInit;
OSSL_FUNC_signature_verify_fn SignatureVerify;
OSSL_FUNC_signature_digest_sign_init_fn SignatureDigestSignInit;
OSSL_FUNC_signature_digest_sign_update_fn SignatureDigestUpdate;
OSSL_FUNC_signature_digest_sign_final_fn SignatureDigestSignFinal;
OSSL_FUNC_signature_digest_sign_fn SignatureDigestSign;
OSSL_FUNC_signature_digest_verify_init_fn SignatureDigestVerifyInit;
OSSL_FUNC_signature_digest_verify_final_fn SignatureDigestVerifyFinal;
// Parameters both algorithms understand (digest and its properties; algorithm-id and digest on
// get), then the algorithm's own.
OSSL_FUNC_signature_set_ctx_params_fn SignatureSetCtxParams;
OSSL_FUNC_signature_get_ctx_params_fn SignatureGetCtxParams;

// Raises `status` on the error queue, naming the key.
void SignatureRaise(const SignatureCtx* ctx, const Status& status);

}  // namespace azkv::provider

// The parameters every signature's settable and gettable tables start with.
#define AZKV_SIGNATURE_COMMON_SETTABLE                               \
    OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0), \
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, nullptr, 0)
#define AZKV_SIGNATURE_COMMON_GETTABLE                                      \
    OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, nullptr, 0), \
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0)

// The dispatch entries of a signature table for `alg` (a SignatureAlg); the algorithm file adds
// its settable and gettable tables.
#define AZKV_SIGNATURE_FUNCTIONS(alg)                                                 \
    AZKV_FN(OSSL_FUNC_SIGNATURE_NEWCTX, SignatureNewCtxOf<&alg>),                     \
        AZKV_FN(OSSL_FUNC_SIGNATURE_FREECTX, SignatureFreeCtx),                       \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DUPCTX, SignatureDupCtx),                         \
        AZKV_FN(OSSL_FUNC_SIGNATURE_SIGN_INIT, SignatureSignInit),                    \
        AZKV_FN(OSSL_FUNC_SIGNATURE_SIGN, SignatureSign),                             \
        AZKV_FN(OSSL_FUNC_SIGNATURE_VERIFY_INIT, SignatureVerifyInit),                \
        AZKV_FN(OSSL_FUNC_SIGNATURE_VERIFY, SignatureVerify),                         \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, SignatureDigestSignInit),       \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, SignatureDigestUpdate),       \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, SignatureDigestSignFinal),     \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN, SignatureDigestSign),                \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT, SignatureDigestVerifyInit),   \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE, SignatureDigestUpdate),     \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL, SignatureDigestVerifyFinal), \
        AZKV_FN(OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, SignatureSetCtxParams),           \
        AZKV_FN(OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, SignatureGetCtxParams)

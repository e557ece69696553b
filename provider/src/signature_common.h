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
    // The algorithm's set_ctx_params (also applied to the params given at init).
    int (*set_params)(SignatureCtx* ctx, const OSSL_PARAM params[]);
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

// Parameters both algorithms understand: digest (+ properties); algorithm-id and digest on get.
int SignatureSetCommonParams(SignatureCtx* ctx, const OSSL_PARAM params[]);
int SignatureGetCommonParams(SignatureCtx* ctx, OSSL_PARAM params[]);

// Raises `status` on the error queue, naming the key.
void SignatureRaise(const SignatureCtx* ctx, const Status& status);

}  // namespace azkv::provider

// The dispatch entries every signature table shares.
#define AZKV_SIGNATURE_COMMON_FUNCTIONS                                             \
    AZKV_FN(OSSL_FUNC_SIGNATURE_FREECTX, SignatureFreeCtx),                         \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DUPCTX, SignatureDupCtx),                       \
        AZKV_FN(OSSL_FUNC_SIGNATURE_SIGN_INIT, SignatureSignInit),                  \
        AZKV_FN(OSSL_FUNC_SIGNATURE_SIGN, SignatureSign),                           \
        AZKV_FN(OSSL_FUNC_SIGNATURE_VERIFY_INIT, SignatureVerifyInit),              \
        AZKV_FN(OSSL_FUNC_SIGNATURE_VERIFY, SignatureVerify),                       \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, SignatureDigestSignInit),     \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, SignatureDigestUpdate),     \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, SignatureDigestSignFinal),   \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_SIGN, SignatureDigestSign),              \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT, SignatureDigestVerifyInit), \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE, SignatureDigestUpdate),   \
        AZKV_FN(OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL, SignatureDigestVerifyFinal)
